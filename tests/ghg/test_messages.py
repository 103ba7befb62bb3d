"""Every message key the GHG and tariff code raises exists in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ecozone.i18n import catalogue

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ecozone"
SOURCES = [*(PACKAGE / "ghg").rglob("*.py"), *(PACKAGE / "tariffs").rglob("*.py")]
KEY = re.compile(r"\"((?:ghg|tariffs)\.[a-z0-9_.]+)\"")


@pytest.mark.parametrize("path", SOURCES, ids=str)
def test_keys_used_in_code_are_translated(path: Path) -> None:
    messages = catalogue()
    for key in KEY.findall(path.read_text(encoding="utf-8")):
        assert key in messages, f"{path}: {key} missing"
        assert messages[key].get("vi") and messages[key].get("en")


def test_flags_and_categories_have_labels() -> None:
    messages = catalogue()
    for flag in ("estimate_grid_factor", "no_emission_factor", "residual_mix_proxy_grid_factor", "recycling_cut_off"):
        assert f"ghg.flag.{flag}" in messages
    for number in range(1, 16):
        assert f"ghg.scope3.cat{number:02d}" in messages
