"""The KPI expressions give the same results on DuckDB and on Spark (local mode)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from ecozone.errors import ConfigurationError
from ecozone.meters import dataset, engines, kpis
from ecozone.meters.ingest import import_readings_files
from ecozone.meters.readings_file import NORMALISED_SCHEMA, ReadingsFile
from ecozone.store.snapshot import MeterRecord

from .conftest import SPARK_WARNINGS

pytestmark = [pytest.mark.filterwarnings(w) for w in SPARK_WARNINGS]

LOCAL_START = np.datetime64("2024-03-01T00:00")
"""First interval start, local time (UTC+7): the data spans March and April 2024 (local)."""
DAYS = 61
RELATIVE_TOLERANCE = 1e-9

METERS = (
    MeterRecord("E1", "PA", "firm", "electricity", "kWh", "interval", firm_id="F1", interval_minutes=15),
    MeterRecord("E2", "PA", "firm", "electricity", "kWh", "interval", firm_id="F2", interval_minutes=15),
    MeterRecord("EP", "PA", "park", "electricity", "kWh", "interval", interval_minutes=15),
    MeterRecord("W1", "PA", "firm", "water_withdrawal", "m3", "interval", firm_id="F1", interval_minutes=1440),
    MeterRecord("R1", "PA", "firm", "recycled_water", "m3", "interval", firm_id="F1", interval_minutes=1440),
    MeterRecord("WW1", "PA", "park", "wastewater", "m3", "interval", interval_minutes=1440),
    MeterRecord("E3", "PB", "firm", "electricity", "MWh", "interval", firm_id="F3", interval_minutes=15),
    MeterRecord("G3", "PB", "firm", "groundwater", "m3", "interval", firm_id="F3", interval_minutes=1440),
    MeterRecord("WW3", "PB", "firm", "wastewater", "m3", "interval", firm_id="F3", interval_minutes=1440),
)
ROLES = {"WW1": "treated", "WW3": "untreated"}


def _series(meter: MeterRecord, rng: np.random.Generator) -> pa.Table:
    """Readings of one meter, local timestamps converted to naive UTC as a readings file holds them."""
    minutes = meter.interval_minutes or 15
    count = DAYS * 1440 // minutes
    local = LOCAL_START + np.arange(count) * np.timedelta64(minutes, "m")
    hour = (np.arange(count) * minutes // 60) % 24
    shape = 1.0 + 0.8 * np.sin(np.pi * hour / 24.0) ** 2
    scale = 1e-3 if meter.unit == "MWh" else 1.0
    values = np.round(scale * 50.0 * shape * rng.uniform(0.7, 1.3, count), 6)
    utc = (local - np.timedelta64(7, "h")).astype("datetime64[us]")
    return pa.table(
        {
            "meter_id": pa.array([meter.id] * count, pa.string()),
            "ts_utc": pa.array(utc, pa.timestamp("us")),
            "value": pa.array(values, pa.float64()),
            "unit": pa.array([meter.unit] * count, pa.string()),
        }
    )


def _readings_file(name: str, parts: list[pa.Table]) -> ReadingsFile:
    table = pa.concat_tables(parts)
    n = table.num_rows
    rows = pa.table(
        {
            "row": pa.array(np.arange(2, n + 2), pa.int64()),
            "meter_id": table.column("meter_id"),
            "ts_utc": table.column("ts_utc"),
            "value": table.column("value"),
            "value_text": pa.nulls(n, pa.string()),
            "unit": table.column("unit"),
            "estimated": pa.array(np.zeros(n, dtype=bool)),
        },
        schema=NORMALISED_SCHEMA,
    )
    digest = hashlib.sha256(name.encode()).hexdigest()
    return ReadingsFile(name, digest, rows)


@pytest.fixture(scope="module")
def readings_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two parks, two local months of 15-minute electricity and daily water, imported."""
    path = tmp_path_factory.mktemp("spark") / "readings"
    rng = np.random.default_rng(20240301)
    series = {m.id: _series(m, rng) for m in METERS}
    files = [
        _readings_file("park_a.parquet", [series[m.id] for m in METERS if m.park_id == "PA"]),
        _readings_file("park_b.parquet", [series[m.id] for m in METERS if m.park_id == "PB"]),
    ]
    report = import_readings_files(path, files, {m.id: m for m in METERS}, quarantine_path=path.parent / "quarantine")
    assert report.quarantined_total == 0
    assert report.accepted == sum(t.num_rows for t in series.values())
    return path


KpiFunction = Callable[[ir.Table], ir.Table]
KPIS: dict[str, tuple[KpiFunction, tuple[str, ...]]] = {
    "energy_by_carrier_meter": (
        lambda t: kpis.energy_by_carrier(t, level="meter", period="month"),
        ("park_id", "firm_id", "meter_id", "period_start", "carrier"),
    ),
    "electricity_demand_park": (
        lambda t: kpis.electricity_demand(t, level="park", period="month"),
        ("park_id", "period_start"),
    ),
    "electricity_demand_firm": (
        lambda t: kpis.electricity_demand(t, level="firm", period="month"),
        ("park_id", "firm_id", "period_start"),
    ),
    "water_balance_firm": (
        lambda t: kpis.water_balance(t, ROLES, level="firm", period="month"),
        ("park_id", "firm_id", "period_start"),
    ),
}


def _normalised(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """Sort by the keys (nulls as ''), dates as timestamps, numbers as float64."""
    result = frame.copy()
    for column in result.columns:
        if column == "period_start":
            result[column] = pd.to_datetime(result[column])
        elif column in keys or result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            result[column] = result[column].astype("object").where(result[column].notna(), "").astype(str)
        else:
            result[column] = pd.to_numeric(result[column]).astype("float64")
    return result.sort_values(list(keys)).reset_index(drop=True)


def _assert_same(duck: pd.DataFrame, spark: pd.DataFrame, keys: tuple[str, ...]) -> None:
    assert list(duck.columns) == list(spark.columns)
    left, right = _normalised(duck, keys), _normalised(spark, keys)
    assert len(left) == len(right) > 0
    for column in left.columns:
        if pd.api.types.is_float_dtype(left[column]):
            np.testing.assert_allclose(right[column].to_numpy(), left[column].to_numpy(), rtol=RELATIVE_TOLERANCE, atol=0.0)
        else:
            assert left[column].tolist() == right[column].tolist(), column


@pytest.mark.slow
def test_spark_reads_the_dataset_like_duckdb(readings_path: Path, spark_backend: ibis.BaseBackend) -> None:
    duck = engines.open_readings_on("duckdb", readings_path)
    spark = engines.open_readings_on(spark_backend, readings_path)
    assert list(spark.schema().names) == list(duck.schema().names) == list(dataset.DATASET_SCHEMA.names)
    for name, dtype in duck.schema().items():
        other = spark.schema()[name]
        # Spark's timestamps carry no declared scale (microseconds, like the stored column).
        assert other == dtype or (other.is_timestamp() and dtype.is_timestamp() and other.timezone is None), name
    counts = spark.group_by("park_id", "month").aggregate(n=spark.count()).execute()
    expected = duck.group_by("park_id", "month").aggregate(n=duck.count()).execute()
    _assert_same(expected, counts, ("park_id", "month"))
    # March and April local time start at 17:00 UTC the day before: three UTC months per park.
    assert sorted(set(counts["month"])) == ["2024-02", "2024-03", "2024-04"]


@pytest.mark.slow
@pytest.mark.parametrize("name", list(KPIS))
def test_kpi_same_on_spark_and_duckdb(name: str, readings_path: Path, spark_backend: ibis.BaseBackend) -> None:
    function, keys = KPIS[name]
    expected = function(engines.open_readings_on("duckdb", readings_path)).execute()
    actual = function(engines.open_readings_on(spark_backend, readings_path)).execute()
    _assert_same(expected, actual, keys)


@pytest.mark.slow
def test_monthly_energy_matches_hand_sum(readings_path: Path, spark_backend: ibis.BaseBackend) -> None:
    """Spark's monthly park electricity equals a plain sum of the stored values by local month."""
    stored = pd.read_parquet(readings_path)
    electricity = stored[stored["carrier"] == "electricity"]
    local_month = (pd.to_datetime(electricity["ts_utc"]) + pd.Timedelta(hours=7)).dt.strftime("%Y-%m")
    by_hand = electricity.groupby([electricity["park_id"].astype(str), local_month])["value"].sum()
    result = kpis.energy_by_carrier(engines.open_readings_on(spark_backend, readings_path), level="park").execute()
    result = result[result["carrier"] == "electricity"]
    assert len(result) == 4  # two parks, two local months
    for row in result.itertuples():
        month = pd.Timestamp(row.period_start).strftime("%Y-%m")
        assert row.energy_kwh == pytest.approx(by_hand[(row.park_id, month)], rel=RELATIVE_TOLERANCE)
        assert row.unit == "kWh"  # E3 in MWh is stored in kWh


def test_duckdb_engine_reads_the_store(readings_path: Path) -> None:
    backend = engines.connect("DuckDB")
    assert engines.engine_of(backend) == "duckdb"
    table = engines.open_readings_on(backend, readings_path)
    assert list(table.schema().names) == list(dataset.DATASET_SCHEMA.names)
    assert table.count().execute() == sum((m.interval_minutes and DAYS * 1440 // m.interval_minutes) or 0 for m in METERS)


def test_empty_store_gives_an_empty_table(tmp_path: Path) -> None:
    table = engines.open_readings_on("duckdb", tmp_path / "nothing")
    assert table.count().execute() == 0


def test_unknown_engine_is_a_bilingual_error() -> None:
    with pytest.raises(engines.EngineError) as caught:
        engines.connect("polars")
    assert isinstance(caught.value, ConfigurationError)
    assert caught.value.key == "engines.unknown"
    assert "polars" in caught.value.message("en") and "duckdb, spark" in caught.value.message("en")
    assert "Công cụ truy vấn" in caught.value.message("vi")
    with pytest.raises(engines.EngineError):
        engines.open_readings_on("sqlite", Path())


def test_spark_settings_keep_spark_local() -> None:
    conf = engines.SparkSettings().spark_conf()
    assert conf["spark.master"] == "local[2]"
    assert conf["spark.sql.session.timeZone"] == "UTC"
    assert conf["spark.ui.enabled"] == "false"
    assert conf["spark.driver.bindAddress"] == "127.0.0.1"
    assert int(conf["spark.sql.shuffle.partitions"]) <= 8
    assert engines.check_engine(" Spark ") == "spark"
