"""Bankable project sheet in Vietnamese and English, HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from ecozone.decarbonisation.catalogue import measures
from ecozone.decarbonisation.effects import EffectContext, PvOutcome, evaluate
from ecozone.decarbonisation.sheet import sheet_html, write_sheet

from .conftest import make_energy, make_firm


def _pv_option() -> object:
    energy = make_energy(make_firm("f"), electricity=2_000_000.0)
    outcome = PvOutcome("f", 500.0, 700_000.0, 600_000.0, 80_000.0, 20_000.0, 1.3e9, 0.0)
    return evaluate(measures()["pv_rooftop"], energy, EffectContext(prices={}, pv={"f": outcome}))


def test_sheet_in_both_languages() -> None:
    option = _pv_option()
    english = sheet_html(option, "en", firm_name="Demo firm", park_name="Demo park")  # type: ignore[arg-type]
    vietnamese = sheet_html(option, "vi")  # type: ignore[arg-type]
    assert "Project sheet: Rooftop solar PV" in english
    assert "Hồ sơ dự án" in vietnamese
    for document in (english, vietnamese):
        assert "Decision 21/2025" in document or "Quyết định 21/2025" in document
        assert "unverified" in document
    assert "Renewable energy: Solar power" in english
    assert "LCOE" in english


@pytest.mark.slow
def test_pdf_is_written(tmp_path: Path) -> None:
    path = write_sheet(_pv_option(), tmp_path / "sheet.pdf", "vi")  # type: ignore[arg-type]
    assert path.read_bytes()[:4] == b"%PDF"
    html = write_sheet(_pv_option(), tmp_path / "sheet.html", "en")  # type: ignore[arg-type]
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
