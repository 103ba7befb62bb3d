"""Stream catalogue: shipped tables, validation of rows (bad inputs of the issue) and the store."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from ecozone.errors import ImportValidationError
from ecozone.registry.files import RawTable, read_table, write_table
from ecozone.registry.validation import RegistryIndex
from ecozone.store.database import engine_for
from ecozone.store.models import Base
from ecozone.store.models_symbiosis import SymbiosisStream
from ecozone.store.symbiosis_store import export_stream_rows, import_streams, load_streams
from ecozone.store.workspace import Workspace
from ecozone.symbiosis.taxonomy import normalise_text, resolve_class, stream_classes
from ecozone.symbiosis.validation import validate_streams
from ecozone.symbiosis.waste_codes import ewc_codes, normalise_ewc_code, normalise_vietnamese_code, vietnamese_codes
from tests.symbiosis.rows import FIRMS, STREAMS, build_registry, stream

INDEX = RegistryIndex(frozenset({"kcn-a", "kcn-b"}), {f["id"]: "kcn-a" for f in FIRMS} | {"other-co": "kcn-b"})
DATA = resources.files("ecozone.symbiosis.data")


def _problems(*rows: dict[str, Any]) -> list[tuple[str, str]]:
    result = validate_streams(RawTable.from_records("streams.csv", list(rows)), INDEX)
    return [(p.column, p.key) for p in result.problems]


@pytest.fixture
def registry(workspace: Workspace) -> Iterator[Workspace]:
    """The small registry on SQLite and on PostgreSQL."""
    build_registry(workspace)
    yield workspace


@pytest.mark.parametrize(
    "name", ["hazardous_codes_vn.csv", "ewc_codes.csv", "class_factors.csv", "knowledge_links.csv", "transport_modes.csv"]
)
def test_shipped_tables_carry_provenance(name: str) -> None:
    rows = list(csv.DictReader(DATA.joinpath(name).read_text(encoding="utf-8").splitlines()))
    assert rows
    for row in rows:
        assert row["source"] and row["edition"] and row["status"] in ("verified", "unverified")


def test_taxonomy_is_bilingual_and_codes_exist() -> None:
    classes = stream_classes()
    for entry in classes.values():
        assert entry.vi and entry.en and entry.unit in ("t", "m3", "MWh")
        for code in entry.ewc:
            assert code in ewc_codes(), (entry.code, code)
        for code in entry.vn_codes:
            assert code in vietnamese_codes(), (entry.code, code)
    assert resolve_class("Xỉ than, tro đáy lò hơi") == "coal_ash_slag"
    assert resolve_class("coal bottom ash and boiler slag") == "coal_ash_slag"
    assert resolve_class("Fly Ash") == "fly_ash"
    assert resolve_class("no such class") is None


def test_code_normalisation() -> None:
    assert normalise_vietnamese_code("170203") == "17 02 03"
    assert normalise_vietnamese_code("17.02.03") == "17 02 03"
    assert normalise_vietnamese_code("25 01 01") is None  # no group 25
    assert normalise_vietnamese_code("17 02") is None
    assert normalise_ewc_code("130205*") == "13 02 05*"
    assert normalise_ewc_code("21 01 01") is None
    assert normalise_text("Xỉ than (lò hơi)") == "xi than lo hoi"


def test_valid_rows_convert_to_canonical_units() -> None:
    result = validate_streams(RawTable.from_records("streams.csv", STREAMS), INDEX)
    assert result.problems == ()
    scrap = next(r for r in result.records if r["owner_id"] == "metal-co")
    assert scrap["quantity_per_year"] == pytest.approx(300.0)  # 300,000 kg = 300 t
    assert scrap["unit"] == "t"
    assert scrap["unit_cost_vnd"] == pytest.approx(-2_000_000.0)  # -2,000 VND/kg = -2 million VND/t
    assert scrap["hazardous"] is False


def test_energy_in_gj_is_stored_in_mwh() -> None:
    row = stream(
        name="Hơi thải", stream_class="steam_heat", quantity_per_year=3600, unit="GJ/yr", temperature_c=180, unit_cost_vnd=36000
    )
    result = validate_streams(RawTable.from_records("s.csv", [row]), INDEX)
    assert result.problems == ()
    assert result.records[0]["quantity_per_year"] == pytest.approx(1000.0)
    assert result.records[0]["unit_cost_vnd"] == pytest.approx(129600.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"quantity_per_year": -5}, ("quantity_per_year", "problem.below_minimum")),
        ({"stream_class": "moon dust"}, ("stream_class", "symbiosis.problem.stream_class")),
        ({"stream_class": "used_oil", "name": "Dầu thải"}, ("hazardous_code", "symbiosis.problem.hazardous_without_code")),
        ({"hazardous": True}, ("hazardous_code", "symbiosis.problem.hazardous_without_code")),
        (
            {"direction": "input", "stream_class": "brick_block_material", "quantity_per_year": 0},
            ("quantity_per_year", "symbiosis.problem.no_capacity"),
        ),
        ({"quantity_per_year": 0}, ("quantity_per_year", "symbiosis.problem.nothing_offered")),
        ({"latitude": 48.85, "longitude": 2.35}, ("latitude", "symbiosis.problem.outside_vietnam")),
        ({"latitude": 11.0}, ("latitude", "problem.coordinates_pair")),
        ({"unit": "m3"}, ("unit", "symbiosis.problem.unit_measure")),
        ({"stream_class": "cement_raw_material"}, ("stream_class", "symbiosis.problem.class_direction")),
        ({"owner_id": "ghost"}, ("owner_id", "problem.reference")),
        ({"owner_id": "other-co"}, ("owner_id", "problem.firm_other_park")),
        ({"park_id": "nowhere"}, ("park_id", "problem.reference")),
        ({"owner_kind": "park", "owner_id": "boiler-co"}, ("owner_id", "symbiosis.problem.owner_park")),
        ({"owner_kind": "external", "owner_id": "x1"}, ("owner_name", "symbiosis.problem.external_needs_name")),
        ({"stream_class": "steam_heat", "unit": "MWh"}, ("temperature_c", "symbiosis.problem.heat_needs_temperature")),
        ({"hazardous_code": "99 99 99", "hazardous": True}, ("hazardous_code", "symbiosis.problem.vn_code")),
        ({"ewc_code": "10 01 04*"}, ("hazardous_code", "symbiosis.problem.hazardous_without_code")),
        ({"ewc_code": "10 01 04*", "hazardous": False}, ("ewc_code", "symbiosis.problem.ewc_hazardous_mismatch")),
        (
            {"stream_class": "used_oil", "hazardous": False, "hazardous_code": "17 02 03"},
            ("hazardous", "symbiosis.problem.class_always_hazardous"),
        ),
        ({"min_purity_pct": 90}, ("min_purity_pct", "symbiosis.problem.wrong_direction_attribute")),
        ({"quantity_per_year": "1.234,5"}, ("quantity_per_year", "problem.vietnamese_number")),
    ],
)
def test_bad_rows_are_reported(values: dict[str, Any], expected: tuple[str, str]) -> None:
    assert expected in _problems(stream(**values))


def test_every_problem_is_reported_at_once() -> None:
    rows = [stream(quantity_per_year=-1), stream(name="b", stream_class="nope"), stream(name="b", stream_class="nope")]
    keys = _problems(*rows)
    assert ("quantity_per_year", "problem.below_minimum") in keys
    assert ("stream_class", "symbiosis.problem.stream_class") in keys
    assert ("name", "problem.duplicate_key") in keys


def test_hazardous_output_with_code_is_accepted() -> None:
    row = stream(
        name="Dầu nhớt thải", stream_class="used_oil", hazardous_code="170203", ewc_code="13 02 05*", unit_cost_vnd=3_000_000
    )
    result = validate_streams(RawTable.from_records("s.csv", [row]), INDEX)
    assert result.problems == ()
    assert result.records[0]["hazardous"] is True
    assert result.records[0]["hazardous_code"] == "17 02 03"


def test_vietnamese_column_names_and_labels() -> None:
    row = {
        "ma_kcn": "kcn-a",
        "loai_chu_dong": "doanh nghiệp",
        "ma_chu_dong": "boiler-co",
        "chieu": "đầu ra",
        "ten_dong": "Tro bay",
        "loai_dong": "Tro bay",
        "khoi_luong_nam": "1,500.5",
        "don_vi": "tấn",
    }
    result = validate_streams(RawTable.from_records("dong.csv", [row]), INDEX)
    assert result.problems == ()
    assert result.records[0]["stream_class"] == "fly_ash"
    assert result.records[0]["quantity_per_year"] == pytest.approx(1500.5)


def test_import_is_idempotent_and_round_trips(registry: Workspace, tmp_path: Path) -> None:
    first = import_streams(registry, RawTable.from_records("streams.csv", STREAMS))
    assert (first.inserted, first.updated, first.unchanged) == (5, 0, 0)
    again = import_streams(registry, RawTable.from_records("streams.csv", STREAMS))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    changed = [*STREAMS[:-1], {**STREAMS[-1], "quantity_per_year": 6000}]
    third = import_streams(registry, RawTable.from_records("streams.csv", changed))
    assert (third.inserted, third.updated, third.unchanged) == (0, 1, 4)
    streams = load_streams(registry, "kcn-a")
    assert len(streams) == 5
    assert {s.owner_id for s in streams} == {"boiler-co", "brick-co", "food-co", "metal-co", "biogas-x"}
    columns, rows = export_stream_rows(registry, "kcn-a")
    path = tmp_path / "export.csv"
    write_table(path, "stream", columns, rows)
    table = read_table(path, "stream")
    assert import_streams(registry, table).unchanged == 5


def test_import_is_all_or_nothing(registry: Workspace) -> None:
    rows = [*STREAMS, stream(name="bad", quantity_per_year=-3)]
    with pytest.raises(ImportValidationError) as caught:
        import_streams(registry, RawTable.from_records("streams.csv", rows))
    assert [p.row for p in caught.value.problems] == [6]
    assert load_streams(registry, "kcn-a") == ()


def test_dry_run_writes_nothing(registry: Workspace) -> None:
    summary = import_streams(registry, RawTable.from_records("streams.csv", STREAMS), dry_run=True)
    assert summary.inserted == 5
    assert load_streams(registry, "kcn-a") == ()


def test_migration_matches_the_model(workspace: Workspace) -> None:
    assert SymbiosisStream.__table__ is Base.metadata.tables["symbiosis_streams"]
    with engine_for(workspace.database_url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    mine = [d for d in differences if "symbiosis" in repr(d)]
    assert mine == []
