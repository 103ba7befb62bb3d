"""Tariff data files: provenance and validity."""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from ecozone.tariffs import tariff_tables


@pytest.mark.parametrize("name", ["evn_tou.csv", "tou_windows.csv"])
def test_files_have_provenance(name: str) -> None:
    text = resources.files("ecozone.tariffs.data").joinpath(name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        assert row["source"].strip()
        assert row["edition"].strip()
        assert row["status"] in {"verified", "unverified"}


def test_the_2025_table_is_unverified_and_open_ended() -> None:
    latest = tariff_tables()[-1]
    assert latest.decision == "1279/QĐ-BCT"
    assert latest.valid_to is None
    assert latest.status == "unverified"
    assert {r.customer_group for r in latest.rows} == {"production", "commercial"}
