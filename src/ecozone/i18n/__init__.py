"""Bilingual (Vietnamese / English) message catalogue.

Every user-facing string lives in a ``messages*.yaml`` file beside this module (one per
domain, e.g. ``messages_stats.yaml``) with a ``vi`` and an ``en`` text; a key defined
twice is an error, and a test fails when a key lacks either language.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "en"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Return the message catalogue, ``{key: {"vi": text, "en": text}}``."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(resources.files(__package__).iterdir(), key=lambda p: p.name):
        if not (path.name.startswith("messages") and path.name.endswith(".yaml")):
            continue
        data: dict[str, dict[str, str]] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        duplicated = merged.keys() & data.keys()
        if duplicated:
            raise ValueError(f"i18n keys defined twice ({path.name}): {sorted(duplicated)}")
        merged.update(data)
    return merged


def current_language() -> str:
    """Return the language chosen by ``ECOZONE_LANG`` (``vi`` or ``en``)."""
    lang = os.environ.get("ECOZONE_LANG", DEFAULT_LANGUAGE).lower()[:2]
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def translate(key: str, lang: str | None = None, **params: Any) -> str:
    """Return the message ``key`` in ``lang`` with ``params`` substituted.

    An unknown key is returned as is (with its parameters) so that a missing entry
    never hides the underlying problem.
    """
    lang = lang or current_language()
    entry = catalogue().get(key)
    if entry is None:
        extra = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{key} ({extra})" if extra else key
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


t = translate
