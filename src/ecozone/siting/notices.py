"""Structured notices: what an engine wants the user to know, translated only when shown."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecozone.i18n import translate


@dataclass(frozen=True)
class Notice:
    """A warning or remark with its message key and parameters.

    Attributes
    ----------
    key : str
        Message key in ``ecozone/i18n/messages_siting.yaml``.
    params : Mapping
        Values substituted into the message.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """Return the notice in ``lang``."""
        return translate(self.key, lang, **self.params)

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """Return the notice as JSON-ready data (key, parameters and text)."""
        return {"key": self.key, "params": dict(self.params), "text": self.text(lang)}
