"""`ecozone import readings`, `ecozone kpi` and `ecozone ghg` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

PARKS = "id,name_vi,province,park_type,status,industrial_land_ha,leased_land_ha\nP,KCN P,74,general,operating,100,50\n"
FIRMS = "id,park_id,name,vsic_code,employees,floor_area_m2\nF,P,Firm F,26,100,2000\n"
METERS = (
    "id,park_id,owner_kind,firm_id,carrier,unit,reading_kind,interval_minutes,voltage_level\n"
    "E,P,firm,F,electricity,kWh,interval,15,22_110kv\n"
    "D,P,firm,F,diesel,L,interval,44640,\n"
)


def ecozone(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ECOZONE_LANG": "en", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "ecozone", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for name, text in (("parks", PARKS), ("firms", FIRMS), ("meters", METERS)):
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    ecozone("init", cwd=tmp_path)
    for name in ("parks", "firms", "meters"):
        assert ecozone("import", name, f"{name}.csv", cwd=tmp_path).returncode == 0
    stamps = pd.date_range("2025-06-02 00:00", periods=96, freq="15min")
    rows = [f"E,{t},2.5" for t in stamps] + ["D,2025-06-01 00:00,1000", "X,2025-06-01 00:00,5"]
    (tmp_path / "readings.csv").write_text("meter_id,timestamp,value\n" + "\n".join(rows), encoding="utf-8")
    return tmp_path


def test_import_kpi_and_ghg(workspace: Path) -> None:
    imported = ecozone("import", "readings", "readings.csv", cwd=workspace)
    assert imported.returncode == 0, imported.stderr
    assert "97 accepted" in imported.stdout
    assert "1 quarantined" in imported.stdout
    again = ecozone("import", "readings", "readings.csv", cwd=workspace)
    assert "0 accepted" in again.stdout  # idempotent

    kpi = json.loads(ecozone("kpi", "--park", "P", "--year", "2025", "--json", cwd=workspace).stdout)
    energy = {row["carrier"]: row for row in kpi["energy_by_carrier"]}
    assert energy["electricity"]["quantity"] == pytest.approx(96 * 2.5)
    assert energy["diesel"]["quantity"] == pytest.approx(1.0)  # 1,000 L = 1 m3
    (month,) = kpi["electricity_monthly"]
    assert month["peak_kw"] == pytest.approx(2.5 * 4)  # 2.5 kWh in 15 minutes
    assert sum(row["cost_vnd"] for row in kpi["electricity_cost"]) == pytest.approx(2.5 * 4 * (5 * 3398 + 6 * 1190 + 13 * 1833))

    ghg = json.loads(ecozone("ghg", "--park", "P", "--year", "2025", "--json", cwd=workspace).stdout)
    firm = next(r for r in ghg["summary"] if r["entity_id"] == "F" and r["entity_kind"] == "entity")
    assert firm["estimate_grid_factor"] is True  # 2025 has no official grid factor yet
    table = ecozone("ghg", "--park", "P", "--year", "2025", "--plot", "ghg.png", cwd=workspace)
    assert "research estimate" in table.stdout
    assert (workspace / "ghg.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_errors_are_clear(workspace: Path) -> None:
    missing = ecozone("kpi", "--park", "P", "--year", "2019", cwd=workspace)
    assert missing.returncode == 2
    assert "No readings" in missing.stderr
    assert "Traceback" not in missing.stderr
    other = ecozone("kpi", "--park", "P", "--year", "2025", "--firm", "NOPE", cwd=workspace)
    assert "not in park" in other.stderr


def test_measured_kpis_for_the_assessment(workspace: Path) -> None:
    from datetime import date

    from ecozone.cli.meters import assessment_metrics
    from ecozone.store.database import dispose_engine
    from ecozone.store.registry_store import load_park
    from ecozone.store.workspace import resolve_workspace

    june = pd.date_range("2025-06-01 00:00", "2025-06-30 23:45", freq="15min")
    rows = [f"E,{t},1.0" for t in june]
    (workspace / "june.csv").write_text("meter_id,timestamp,value\n" + "\n".join(rows), encoding="utf-8")
    assert ecozone("import", "readings", "june.csv", cwd=workspace).returncode == 0
    store = resolve_workspace(workspace / "ecozone-data")
    try:
        park = load_park(store, "P")
        in_june = assessment_metrics(store, park, date(2025, 6, 30))
        assert in_june["energy_data_months"].value == 1  # 2,880 of 2,880 intervals in June
        assert in_june["renewable_energy_share_pct"].value == 0.0  # no PV, no green contract
        assert "wastewater_treated_share_pct" not in in_june  # no wastewater meter: not measured, not zero
        assert assessment_metrics(store, park, date(2025, 7, 31))["energy_data_months"].value == 0  # July is empty
        assert assessment_metrics(store, park, date(2019, 1, 31)) == {}  # no readings that year
    finally:
        dispose_engine(store.database_url)
