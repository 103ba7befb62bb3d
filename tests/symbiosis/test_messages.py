"""Every message key the symbiosis code uses exists in Vietnamese and English."""

from __future__ import annotations

import re
from dataclasses import fields
from pathlib import Path

from ecozone.i18n import catalogue
from ecozone.symbiosis.metrics import ProgrammeMetrics

ROOT = Path(__file__).resolve().parents[2] / "src" / "ecozone"
SOURCES = [*sorted((ROOT / "symbiosis").rglob("*.py")), ROOT / "cli" / "symbiosis.py"]
LITERAL = re.compile(r"[\"'](symbiosis\.[a-z_]+(?:\.[a-z_]+)*)[\"']")
COMPUTED = ("symbiosis.column.", "symbiosis.metric.", "symbiosis.infeasible.")
COLUMNS = ("supplier", "receiver", "score", "distance", "why", "flow", "benefit", "tco2e", "metric", "value", "target", "links",
           "code", "label", "unit", "roles", "hazardous")  # fmt: skip


def test_literal_keys_exist_in_both_languages() -> None:
    messages = catalogue()
    used = {key for path in SOURCES for key in LITERAL.findall(path.read_text(encoding="utf-8")) if not key.endswith(".")}
    assert used
    missing = sorted(k for k in used if k not in messages and not k.startswith(COMPUTED) and k != "symbiosis.html")
    assert missing == []
    for key in used & messages.keys():
        assert messages[key]["vi"].strip() and messages[key]["en"].strip()


def test_computed_keys_exist() -> None:
    messages = catalogue()
    for name in (f.name for f in fields(ProgrammeMetrics)):
        assert f"symbiosis.metric.{name}" in messages
    for column in COLUMNS:
        assert f"symbiosis.column.{column}" in messages
    for kind in ("supply", "demand", "purity", "moisture", "summary", "no_links"):
        assert f"symbiosis.infeasible.{kind}" in messages
