"""Fixtures of the meters tests: a small registry of meters and a CSV writer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pytest

from ecozone.store.snapshot import MeterRecord

IBIS_WARNINGS = (
    # ibis 12 calls DuckDB 2.0's deprecated fetch_arrow_table(), and reads a pandas option
    # deprecated in pandas 3.1; neither concerns ecozone.
    "ignore:fetch_arrow_table\\(\\) is deprecated:DeprecationWarning",
    "ignore:The 'future.infer_string' option is deprecated:Warning",
)


@pytest.fixture
def meters() -> dict[str, MeterRecord]:
    """Meters of park P1 (firms F1, F2) and park P2."""
    records = [
        MeterRecord("E1", "P1", "firm", "electricity", "kWh", "interval", firm_id="F1", interval_minutes=15),
        MeterRecord("E2", "P1", "firm", "electricity", "kWh", "interval", firm_id="F2", interval_minutes=15),
        MeterRecord("EH", "P1", "park", "electricity", "MWh", "interval", interval_minutes=60),
        MeterRecord("EC", "P1", "firm", "electricity", "kWh", "cumulative", firm_id="F1"),
        MeterRecord("W1", "P1", "firm", "water_withdrawal", "m3", "interval", firm_id="F1", interval_minutes=1440),
        MeterRecord("WC", "P1", "firm", "water_withdrawal", "m3", "cumulative", firm_id="F2", interval_minutes=60),
        MeterRecord("D1", "P1", "firm", "diesel", "L", "interval", firm_id="F1"),
        MeterRecord("Q1", "P2", "park", "electricity", "kWh", "interval", interval_minutes=15),
    ]
    return {m.id: m for m in records}


class CsvWriter(Protocol):
    def __call__(self, name: str, rows: Sequence[Sequence[object]], header: Sequence[str] = ...) -> Path: ...


@pytest.fixture
def write_csv(tmp_path: Path) -> CsvWriter:
    """Return a function writing a small CSV file in ``tmp_path`` (header, then rows)."""

    def write(
        name: str, rows: Sequence[Sequence[object]], header: Sequence[str] = ("meter_id", "timestamp", "value", "unit")
    ) -> Path:
        lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
