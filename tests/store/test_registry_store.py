"""Imports and exports on SQLite and on PostgreSQL: round trip, all-or-nothing, idempotence."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ecozone.errors import ImportValidationError
from ecozone.registry.files import RawTable, read_table, write_table
from ecozone.store.database import session_scope
from ecozone.store.models import ImportRecord, Park
from ecozone.store.registry_store import export_rows, import_table, load_park, load_registry
from ecozone.store.workspace import Workspace
from tests.store.registry_rows import ROWS

ORDER = ("park", "firm", "meter", "certification")


def _load(workspace: Workspace) -> None:
    for entity in ORDER:
        import_table(workspace, entity, RawTable.from_records(f"{entity}.csv", ROWS[entity]))


def _dump(workspace: Workspace) -> dict[str, list[dict[str, object]]]:
    return {entity: export_rows(workspace, entity)[1] for entity in ORDER}


def test_import_then_snapshot(workspace: Workspace) -> None:
    _load(workspace)
    snapshot = load_park(workspace, "vsip-1")
    assert snapshot.park.province_old_code == "74"
    assert snapshot.park.province_new_code == "79"
    assert snapshot.park.occupancy_pct == pytest.approx(100 * 340.5 / 350)
    assert [f.id for f in snapshot.firms] == ["f1", "f2"]
    assert {m.id for m in snapshot.meters} == {"m1", "m2"}
    assert {(c.holder_kind, c.scheme, c.level) for c in snapshot.certifications} == {
        ("firm", "iso_14001", None),
        ("park", "leed", "gold"),
    }
    other = load_registry(workspace).park("can-tho-new").park
    assert (other.province_old_code, other.province_new_code) == (None, "92")


def test_repeated_import_changes_nothing(workspace: Workspace) -> None:
    _load(workspace)
    before = _dump(workspace)
    with session_scope(workspace) as session:
        imports_before = session.scalar(select(func.count()).select_from(ImportRecord))
    for entity in ORDER:
        summary = import_table(workspace, entity, RawTable.from_records(f"{entity}.csv", ROWS[entity]))
        assert (summary.inserted, summary.updated, summary.unchanged) == (0, 0, len(ROWS[entity]))
    assert _dump(workspace) == before
    with session_scope(workspace) as session:
        assert session.scalar(select(func.count()).select_from(ImportRecord)) == imports_before


def test_changed_rows_are_updated_in_place(workspace: Workspace) -> None:
    _load(workspace)
    rows = [{**ROWS["park"][0], "leased_land_ha": 345.0}, ROWS["park"][1]]
    summary = import_table(workspace, "park", RawTable.from_records("parks-2.csv", rows))
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 1)
    assert load_park(workspace, "vsip-1").park.leased_land_ha == 345.0


def test_a_file_failing_on_its_last_row_writes_nothing(workspace: Workspace) -> None:
    _load(workspace)
    before = _dump(workspace)
    good = [{**ROWS["firm"][0], "employees": 1300}, {"id": "f3", "park_id": "vsip-1", "name": "C", "vsic_code": "25"}]
    bad_last = {"id": "f4", "park_id": "no-such-park", "name": "D", "vsic_code": "25"}
    with pytest.raises(ImportValidationError) as caught:
        import_table(workspace, "firm", RawTable.from_records("firms.csv", [*good, bad_last]))
    assert [(p.row, p.column, p.key) for p in caught.value.problems] == [(3, "park_id", "problem.reference")]
    assert _dump(workspace) == before


def test_dry_run_validates_without_writing(workspace: Workspace) -> None:
    summary = import_table(workspace, "park", RawTable.from_records("p.csv", ROWS["park"]), dry_run=True)
    assert (summary.rows, summary.inserted, summary.dry_run) == (2, 2, True)
    assert _dump(workspace)["park"] == []


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".geojson"])
def test_export_import_round_trip_is_lossless(workspace: Workspace, tmp_path: Path, suffix: str) -> None:
    _load(workspace)
    original = _dump(workspace)
    entities = ORDER if suffix != ".geojson" else ("park",)
    for entity in entities:
        path = tmp_path / f"{entity}{suffix}"
        columns, rows = export_rows(workspace, entity)
        write_table(path, entity, columns, rows)
        again = import_table(workspace, entity, read_table(path, entity))
        assert (again.inserted, again.updated) == (0, 0), entity
    # into an empty database: the same registry comes back
    fresh = Workspace(tmp_path / "fresh", f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    from ecozone.store.database import dispose_engine, migrate

    migrate(fresh)
    try:
        for entity in entities:
            import_table(fresh, entity, read_table(tmp_path / f"{entity}{suffix}", entity))
        restored = _dump(fresh)
        for entity in entities:
            assert restored[entity] == original[entity], entity
    finally:
        dispose_engine(fresh.database_url)


KILL_SCRIPT = """
import sys, time
from pathlib import Path
import ecozone.store.registry_store as store
from ecozone.registry.files import RawTable
from ecozone.store.workspace import resolve_workspace

real = store.upsert_records
def slow(session, entity, records):
    result = real(session, entity, records)
    Path(sys.argv[2]).write_text("flushed")
    time.sleep(60)
    return result
store.upsert_records = slow
rows = [{"id": f"k{i}", "name_vi": f"KCN {i}", "province": "01", "park_type": "general", "status": "planned"} for i in range(500)]
workspace = resolve_workspace(sys.argv[1], sys.argv[3] if len(sys.argv) > 3 else None)
store.import_table(workspace, "park", RawTable.from_records("big.csv", rows))
"""


def test_killed_import_leaves_the_store_as_it_was(workspace: Workspace, tmp_path: Path) -> None:
    _load(workspace)
    before = _dump(workspace)
    marker = tmp_path / "flushed"
    arguments = [sys.executable, "-c", KILL_SCRIPT, str(workspace.path), str(marker)]
    if not workspace.is_embedded:
        arguments.append(workspace.database_url)
    process = subprocess.Popen(arguments, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the import never reached its write"
    process.send_signal(signal.SIGKILL)
    process.wait()
    from ecozone.store.database import dispose_engine

    dispose_engine(workspace.database_url)
    assert _dump(workspace) == before
    with session_scope(workspace) as session:
        assert session.scalar(select(func.count()).select_from(Park)) == 2
