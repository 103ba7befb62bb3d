"""Benchmark of the readings store: import throughput and the monthly KPI + cost + GHG roll-up.

Run from the repository root::

    .venv/bin/python benchmarks/meters.py                  # 1,000 meters, 35 million readings
    .venv/bin/python benchmarks/meters.py --meters 200     # 7 million readings
    .venv/bin/python benchmarks/meters.py --json           # one JSON object with the figures

What it does (all data synthetic, generated with a fixed seed):

1. **Generates** N electricity meters (15-minute, kWh; 4 meters per firm, 100 per park, voltage
   levels 22-110 kV, 6-22 kV and >= 110 kV in turn) with one local year (2018, 35,040
   intervals per meter) of readings as **one Parquet file per park** (``meter_id, timestamp,
   value, unit``; naive local time, as a utility export holds it; 3.5 million readings each),
   and the first ``--csv-meters`` meters (default 100, 3.5 million readings) as one CSV file.
2. **Imports** the Parquet files through :func:`ecozone.meters.ingest.import_readings` (one call
   per park file, so memory stays bounded) into an empty store (checks, quality flags,
   partitioned write) and, separately, the CSV file into another empty store; readings/s =
   readings accepted / wall time of the calls.
3. **Rolls up** the stored readings three ways, each producing the same three tables (per meter,
   per firm, per park and local month: energy [kWh], electricity cost [VND] under the EVN
   time-of-use tariff in force on each local date for the meter's voltage level, location-based
   Scope 2 emissions [tCO2e] with Viet Nam's grid factor of the year):

   a. **ecozone** - Ibis expressions on DuckDB over :func:`ecozone.meters.engines.open_readings_on`:
      local month from :func:`ecozone.meters.kpis.with_period`; the time-of-use period of each
      interval by local weekday and minute of the day from the windows of :mod:`ecozone.tariffs`
      (one ``CASE`` built from the shipped windows, per span of dates with the same windows and
      tariff table); energy summed by meter, month, span and period, then priced by a join to the
      small price table of the tariff tables in force and multiplied by the grid factor of
      :func:`ecozone.ghg.factors.grid_factor`; firms and parks summed from the meters.
   b. **hand-written DuckDB SQL** - one query over the same files with the 2018 windows, prices
      and grid factor written in (checked against the shipped data first): the floor.
   c. **pandas** - a straightforward pandas implementation (``read_parquet``, ``.dt`` accessors,
      a period lookup array, ``groupby``).

   The three must agree to 1e-9 relative, the ecozone park totals must equal the Scope 2
   (location-based) of :func:`ecozone.ghg.compute_inventory` on the parks' annual electricity,
   and the monthly firm costs of the first park must equal those of the pandas pricing engine
   :func:`ecozone.tariffs.price_intervals` (its time is printed for comparison).

Targets (issue 3): ecozone within 1.3x of the hand-written query, at least 10x faster than pandas,
import at least 1 million readings/s from Parquet and 300,000/s from CSV.

Each DuckDB roll-up runs ``--repeats`` times (alternating, best kept), pandas ``--pandas-repeats``
times. Wall times are the figures of the targets; the process CPU times (all threads) are
printed beside them because they vary much less on a machine shared with other work (the load
average at the end is printed too).
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ecozone.ghg import compute_inventory
from ecozone.ghg.factors import grid_factor
from ecozone.meters import dataset, engines, kpis
from ecozone.meters.ingest import import_readings
from ecozone.store.snapshot import MeterRecord
from ecozone.tariffs import PERIODS, price_intervals, regime_in_force, table_in_force

YEAR = 2018
"""Local year of the readings: one tariff table (Decision 4495/QĐ-BCT, 1 Dec 2017 - 19 Mar 2019) and
one set of windows (Circular 16/2014) are in force all year, and its grid factor is official."""
INTERVAL_MINUTES = 15
UTC_OFFSET_HOURS = kpis.VIETNAM_UTC_OFFSET_HOURS
METERS_PER_FIRM = 4
METERS_PER_PARK = 100
VOLTAGE_LEVELS = ("22_110kv", "6_22kv", "ge_110kv")
CUSTOMER_GROUP = "production"
SEED = 20180101
RELATIVE_TOLERANCE = 1e-9
ROLLUP_REPEATS = 3
TARGETS = {"rollup_vs_duckdb": 1.3, "rollup_vs_pandas": 10.0, "import_parquet_rows_per_s": 1e6, "import_csv_rows_per_s": 3e5}
LEVELS = {"meter": ("park_id", "firm_id", "meter_id"), "firm": ("park_id", "firm_id"), "park": ("park_id",)}
MEASURES = ("energy_kwh", "cost_vnd", "co2e_t")
Rollup = dict[str, pd.DataFrame]


# --------------------------------------------------------------------------------------------
# Synthetic meters and readings
# --------------------------------------------------------------------------------------------


def benchmark_meters(count: int) -> dict[str, MeterRecord]:
    """Return ``count`` synthetic 15-minute electricity meters of firms in parks."""
    meters = {}
    for number in range(count):
        meter_id = f"M{number:05d}"
        meters[meter_id] = MeterRecord(
            id=meter_id,
            park_id=f"BP{number // METERS_PER_PARK:03d}",
            owner_kind="firm",
            carrier="electricity",
            unit="kWh",
            reading_kind="interval",
            firm_id=f"BF{number // METERS_PER_FIRM:05d}",
            interval_minutes=INTERVAL_MINUTES,
            voltage_level=VOLTAGE_LEVELS[number % len(VOLTAGE_LEVELS)],
            description="synthetic benchmark meter",
            is_synthetic=True,
        )
    return meters


def _local_times() -> np.ndarray:
    start = np.datetime64(f"{YEAR}-01-01T00:00", "m")
    end = np.datetime64(f"{YEAR + 1}-01-01T00:00", "m")
    return np.arange(start, end, np.timedelta64(INTERVAL_MINUTES, "m"))


def _load_shape(local: np.ndarray) -> np.ndarray:
    """Relative load of a two-shift factory by local hour, lower on Sundays, higher in the hot season."""
    minutes = (local - local.astype("datetime64[D]")).astype(np.int64)
    hour = minutes / 60.0
    shift = 0.45 + 0.55 / (1.0 + np.exp(-(hour - 6.5) * 2.0)) - 0.35 / (1.0 + np.exp(-(hour - 22.0) * 2.0))
    weekday = (local.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    month = local.astype("datetime64[M]").astype(np.int64) % 12
    season = 1.0 + 0.12 * np.sin((month - 1) * np.pi / 6.0)
    return np.asarray(shift * np.where(weekday == 6, 0.55, 1.0) * season)


SOURCE_SCHEMA = pa.schema(
    [("meter_id", pa.string()), ("timestamp", pa.timestamp("us")), ("value", pa.float64()), ("unit", pa.string())]
)
"""Columns of the generated source files (naive local timestamps, values in kWh)."""


def generated_batches(meters: list[MeterRecord], first_number: int = 0, batch_meters: int = 25) -> Iterator[pa.RecordBatch]:
    """Yield the source readings of ``meters`` a few meters at a time (seeded by meter number)."""
    local = _local_times()
    shape = _load_shape(local)
    timestamps = pa.array(local.astype("datetime64[us]"), pa.timestamp("us"))
    for first in range(0, len(meters), batch_meters):
        chunk = meters[first : first + batch_meters]
        rng = np.random.default_rng([SEED, first_number + first])
        base = rng.lognormal(mean=math.log(40.0), sigma=0.8, size=len(chunk))  # kWh per 15 min at full load
        noise = rng.uniform(0.85, 1.15, size=(len(chunk), len(local)))
        values = np.round(base[:, None] * shape[None, :] * noise, 3).ravel()
        ids = pa.array(np.repeat(np.arange(len(chunk), dtype=np.int32), len(local)))
        yield pa.record_batch(
            [
                pa.DictionaryArray.from_arrays(ids, pa.array([m.id for m in chunk])).cast(pa.string()),
                pa.concat_arrays([timestamps] * len(chunk)),
                pa.array(values, pa.float64()),
                pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(values), np.int32)), pa.array(["kWh"])).cast(pa.string()),
            ],
            schema=SOURCE_SCHEMA,
        )


@dataclass(frozen=True)
class SourceFiles:
    """The generated source files and their row counts."""

    parquet: tuple[Path, ...]
    csv: Path
    parquet_rows: int
    csv_rows: int
    parquet_bytes: int
    csv_bytes: int


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """The batch as a utility CSV export holds it: local time as ``YYYY-MM-DD HH:MM`` text."""
    return pa.record_batch(
        {
            "meter_id": batch.column("meter_id"),
            "timestamp": pc.strftime(batch.column("timestamp"), format="%Y-%m-%d %H:%M"),
            "value": batch.column("value"),
            "unit": batch.column("unit"),
        }
    )


def write_source_files(meters: dict[str, MeterRecord], folder: Path, csv_meters: int) -> SourceFiles:
    """Write one Parquet source file per park (all meters) and one CSV file of the first ``csv_meters`` meters."""
    folder.mkdir(parents=True, exist_ok=True)
    by_park: dict[str, list[MeterRecord]] = {}
    for meter in meters.values():
        by_park.setdefault(meter.park_id, []).append(meter)
    parquet_paths, parquet_rows, csv_rows = [], 0, 0
    csv_path = folder / "readings.csv"
    csv_writer: pa_csv.CSVWriter | None = None
    written = 0
    try:
        for park_id, park_meters in by_park.items():
            path = folder / f"readings_{park_id}.parquet"
            with pq.ParquetWriter(path, SOURCE_SCHEMA) as writer:
                for batch in generated_batches(park_meters, first_number=written):
                    writer.write_batch(batch, row_group_size=1 << 20)
                    parquet_rows += batch.num_rows
                    meters_in_batch = batch.num_rows // len(_local_times())
                    keep = max(0, min(meters_in_batch, csv_meters - written)) * len(_local_times())
                    if keep:
                        text = _csv_batch(batch.slice(0, keep))
                        if csv_writer is None:
                            csv_writer = pa_csv.CSVWriter(csv_path, text.schema)
                        csv_writer.write_batch(text)
                        csv_rows += keep
                    written += meters_in_batch
            parquet_paths.append(path)
    finally:
        if csv_writer is not None:
            csv_writer.close()
    return SourceFiles(
        tuple(parquet_paths),
        csv_path,
        parquet_rows,
        csv_rows,
        sum(p.stat().st_size for p in parquet_paths),
        csv_path.stat().st_size if csv_path.exists() else 0,
    )


def timed_import(store: Path, sources: tuple[Path, ...], meters: dict[str, MeterRecord]) -> tuple[float, float, int]:
    """Import each source file (one ``import_readings`` call per file) into the empty store ``store``.

    Returns the wall and CPU times [s] of the calls and the readings accepted.
    """
    shutil.rmtree(store, ignore_errors=True)
    quarantine = store.parent / f"{store.name}_quarantine"
    seconds, cpu_seconds, accepted = 0.0, 0.0, 0
    for source in sources:
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        report = import_readings(store, [source], meters, quarantine_path=quarantine)
        seconds += time.perf_counter() - start
        cpu_seconds += time.process_time() - cpu
        if report.quarantined_total:
            raise SystemExit(f"benchmark import quarantined rows: {report.quarantined}")
        accepted += report.accepted
    return seconds, cpu_seconds, accepted


# --------------------------------------------------------------------------------------------
# Tariff spans: dates with the same time-of-use windows and tariff table
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TariffSpan:
    """Consecutive local dates priced with the same windows and tariff table."""

    first_day: date
    last_day: date
    regime_name: str
    lookup: np.ndarray
    """Period index (see :data:`ecozone.tariffs.PERIODS`) by day type (0 Mon-Sat, 1 Sunday) and minute."""
    prices: dict[str, np.ndarray]
    """Prices [VND/kWh] in period order by voltage level."""
    decision: str
    status: str


def tariff_spans(first_day: date, last_day: date, voltage_levels: tuple[str, ...]) -> list[TariffSpan]:
    """Split ``first_day .. last_day`` into spans of one windows regime and one tariff table."""
    spans: list[TariffSpan] = []
    day = first_day
    while day <= last_day:
        regime, table = regime_in_force(day), table_in_force(day)
        if spans and spans[-1].regime_name == regime.name and spans[-1].decision == table.decision:
            last = spans[-1]
            spans[-1] = TariffSpan(last.first_day, day, last.regime_name, last.lookup, last.prices, last.decision, last.status)
        else:
            prices = {level: table.row(CUSTOMER_GROUP, level).prices() for level in voltage_levels}
            spans.append(TariffSpan(day, day, regime.name, regime.lookup, prices, table.decision, table.status))
        day += timedelta(days=1)
    return spans


def _windows(minutes: np.ndarray) -> list[tuple[int, int, int]]:
    """Runs of one day type's period lookup: ``(start minute, end minute, period)``."""
    starts = np.flatnonzero(np.r_[True, minutes[1:] != minutes[:-1]])
    ends = np.r_[starts[1:], len(minutes)]
    return [(int(a), int(b), int(minutes[a])) for a, b in zip(starts, ends, strict=True)]


def price_table(spans: list[TariffSpan]) -> pd.DataFrame:
    """Prices by tariff key (span * 3 + period) and voltage level [VND/kWh]."""
    rows = [
        {"tariff_key": number * len(PERIODS) + period, "voltage_level": level, "price_vnd_per_kwh": float(prices[period])}
        for number, span in enumerate(spans)
        for level, prices in span.prices.items()
        for period in range(len(PERIODS))
    ]
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# (a) ecozone: Ibis expressions on DuckDB
# --------------------------------------------------------------------------------------------


def _period_case(minute: ir.IntegerValue, lookup: np.ndarray, offset: int) -> ir.IntegerValue:
    """``CASE`` giving ``offset`` + the period of a local minute of the day (windows in ascending order)."""
    windows = _windows(lookup)
    branches = [(minute < end, offset + period) for _, end, period in windows[:-1]]
    return ibis.cases(*branches, else_=offset + windows[-1][2]) if branches else ibis.literal(offset + windows[-1][2])


def with_tariff_key(table: ir.Table, spans: list[TariffSpan]) -> ir.Table:
    """Add ``tariff_key`` (span * 3 + time-of-use period of the interval's local start) to readings.

    The local minute of the day and the day type are computed once per reading, then ``CASE``
    expressions built from the shipped windows (Monday-Saturday or Sunday; per span of dates when
    the windows or the tariff table change) pick the period.
    """
    local = table.ts_utc + ibis.interval(hours=UTC_OFFSET_HOURS)
    table = table.mutate(local_minute=local.hour() * 60 + local.minute(), sunday=local.day_of_week.index() == 6)
    if len(spans) > 1:
        table = table.mutate(local_date=local.date())
    keys = []
    for number, span in enumerate(spans):
        offset = number * len(PERIODS)
        mon_sat, sunday = (_period_case(table.local_minute, span.lookup[day_type], offset) for day_type in (0, 1))
        keys.append(ibis.ifelse(table.sunday, sunday, mon_sat))
    if len(spans) == 1:
        key = keys[0]
    else:
        key = ibis.cases(
            *[(table.local_date <= ibis.literal(span.last_day), k) for span, k in zip(spans[:-1], keys, strict=True)],
            else_=keys[-1],
        )
    return table.mutate(tariff_key=key).drop("local_minute", "sunday", *(["local_date"] if len(spans) > 1 else []))


def ecozone_rollup(readings_path: Path, meters: dict[str, MeterRecord], spans: list[TariffSpan]) -> Rollup:
    """Monthly energy, cost and location-based emissions per meter, firm and park with ecozone's Ibis KPIs."""
    backend = engines.connect("duckdb")
    readings = engines.open_readings_on(backend, readings_path)
    table = kpis.with_period(readings.filter(readings.carrier == "electricity"), "month", UTC_OFFSET_HOURS)
    table = with_tariff_key(table, spans)
    keys = [*LEVELS["meter"], "period_start"]
    by_period = table.group_by([*keys, "tariff_key"]).aggregate(energy_kwh=table.value.sum())
    levels = ibis.memtable(pd.DataFrame({"meter_id": list(meters), "voltage_level": [m.voltage_level for m in meters.values()]}))
    prices = ibis.memtable(price_table(spans))
    priced = by_period.join(levels, "meter_id").join(prices, ["tariff_key", "voltage_level"])
    priced = priced.mutate(cost_vnd=priced.energy_kwh * priced.price_vnd_per_kwh)
    monthly = priced.group_by(keys).aggregate(energy_kwh=priced.energy_kwh.sum(), cost_vnd=priced.cost_vnd.sum())
    years = sorted({span.first_day.year for span in spans} | {span.last_day.year for span in spans})
    grid = ibis.memtable(pd.DataFrame({"year": years, "grid_t_per_mwh": [grid_factor(y).value for y in years]}))
    monthly = monthly.mutate(year=monthly.period_start.year()).join(grid, "year")
    monthly = monthly.mutate(co2e_t=monthly.energy_kwh / 1000.0 * monthly.grid_t_per_mwh).drop("year", "grid_t_per_mwh")
    meter_frame = backend.to_pyarrow(monthly)
    result = {"meter": meter_frame.to_pandas()}
    per_meter = ibis.memtable(meter_frame)
    for level in ("firm", "park"):
        summed = per_meter.group_by([*LEVELS[level], "period_start"]).aggregate(**{m: per_meter[m].sum() for m in MEASURES})
        result[level] = backend.to_pyarrow(summed).to_pandas()
    return result


# --------------------------------------------------------------------------------------------
# (b) one hand-written DuckDB query: the floor
# --------------------------------------------------------------------------------------------

HAND_WRITTEN_SQL = """
WITH readings AS (
    SELECT park_id, firm_id, meter_id, value,
           ts_utc + INTERVAL 7 HOUR AS local_ts
    FROM read_parquet({files}, hive_partitioning = true, hive_types_autocast = false)
    WHERE carrier = 'electricity'
),
by_period AS (
    SELECT park_id, firm_id, meter_id,
           CAST(date_trunc('month', local_ts) AS DATE) AS period_start,
           CASE
               WHEN hour(local_ts) < 4 OR hour(local_ts) >= 22 THEN 'off_peak'
               WHEN dayofweek(local_ts) = 0 THEN 'normal'
               WHEN hour(local_ts) * 60 + minute(local_ts) BETWEEN 570 AND 689
                    OR hour(local_ts) BETWEEN 17 AND 19 THEN 'peak'
               ELSE 'normal'
           END AS period,
           sum(value) AS energy_kwh
    FROM readings
    GROUP BY ALL
),
priced AS (
    SELECT b.*, b.energy_kwh * p.price AS cost_vnd
    FROM by_period b
    JOIN meter_levels m USING (meter_id)
    JOIN (VALUES
        -- Decision 4495/QĐ-BCT (from 1 Dec 2017), production, VND/kWh excl. VAT
        ('ge_110kv', 'off_peak', 884.0), ('ge_110kv', 'normal', 1434.0), ('ge_110kv', 'peak', 2570.0),
        ('22_110kv', 'off_peak', 918.0), ('22_110kv', 'normal', 1452.0), ('22_110kv', 'peak', 2673.0),
        ('6_22kv', 'off_peak', 953.0), ('6_22kv', 'normal', 1503.0), ('6_22kv', 'peak', 2759.0)
    ) AS p(voltage_level, period, price) ON p.voltage_level = m.voltage_level AND p.period = b.period
)
SELECT park_id, firm_id, meter_id, period_start,
       sum(energy_kwh) AS energy_kwh,
       sum(cost_vnd) AS cost_vnd,
       sum(energy_kwh) / 1000.0 * 0.913 AS co2e_t,  -- Viet Nam grid factor 2018 [tCO2/MWh]
       GROUPING(firm_id, meter_id) AS grouping_id
FROM priced
GROUP BY GROUPING SETS ((park_id, firm_id, meter_id, period_start), (park_id, firm_id, period_start), (park_id, period_start))
"""
"""Monthly energy, cost and emissions per meter, firm and park for 2018 in one query (Circular
16/2014 windows: off-peak 22:00-04:00; peak 09:30-11:30 and 17:00-20:00 Monday-Saturday; no peak
on Sunday)."""
HAND_WRITTEN_CONSTANTS = {
    "grid_t_per_mwh": 0.913,
    "decision": "4495/QĐ-BCT",
    "prices": {"ge_110kv": (884.0, 1434.0, 2570.0), "22_110kv": (918.0, 1452.0, 2673.0), "6_22kv": (953.0, 1503.0, 2759.0)},
}
GROUPING_LEVEL = {0: "meter", 1: "firm", 3: "park"}


def check_hand_written_constants(spans: list[TariffSpan]) -> None:
    """Stop unless the query's written-in windows, prices and grid factor are the shipped data of the year."""
    problems = []
    if len(spans) != 1 or spans[0].decision != HAND_WRITTEN_CONSTANTS["decision"]:
        problems.append(f"tariff spans {[(s.decision, s.regime_name) for s in spans]}")
    else:
        minute = np.arange(1440)
        off_peak = (minute < 240) | (minute >= 1320)
        peak = ((minute >= 570) & (minute < 690)) | ((minute >= 1020) & (minute < 1200))
        mon_sat = np.where(off_peak, 0, np.where(peak, 2, 1))
        sunday = np.where(off_peak, 0, 1)
        if not (np.array_equal(spans[0].lookup[0], mon_sat) and np.array_equal(spans[0].lookup[1], sunday)):
            problems.append("time-of-use windows")
        for level, prices in HAND_WRITTEN_CONSTANTS["prices"].items():  # type: ignore[attr-defined]
            if tuple(spans[0].prices[level]) != prices:
                problems.append(f"prices {level}")
    if grid_factor(YEAR).value != HAND_WRITTEN_CONSTANTS["grid_t_per_mwh"]:
        problems.append("grid factor")
    if problems:
        raise SystemExit(f"the hand-written query no longer matches the shipped data: {', '.join(problems)}")


def hand_written_rollup(readings_path: Path, meters: dict[str, MeterRecord]) -> Rollup:
    """The same roll-up as one hand-written DuckDB query over the stored files."""
    con = duckdb.connect()
    con.register(
        "meter_levels", pa.table({"meter_id": list(meters), "voltage_level": [m.voltage_level for m in meters.values()]})
    )
    files = [str(p) for p in dataset.dataset_files(readings_path)]
    frame = con.sql(HAND_WRITTEN_SQL.format(files=files)).to_arrow_table().to_pandas()
    con.close()
    result = {}
    for grouping, level in GROUPING_LEVEL.items():
        part = frame[frame["grouping_id"] == grouping]
        result[level] = part[[*LEVELS[level], "period_start", *MEASURES]].reset_index(drop=True)
    return result


# --------------------------------------------------------------------------------------------
# (c) a straightforward pandas implementation
# --------------------------------------------------------------------------------------------


def pandas_rollup(readings_path: Path, meters: dict[str, MeterRecord], spans: list[TariffSpan]) -> Rollup:
    """The same roll-up in plain pandas: read every partition, compute, group."""
    frame = pd.read_parquet(readings_path, columns=["park_id", "firm_id", "meter_id", "carrier", "ts_utc", "value"])
    frame = frame[frame["carrier"] == "electricity"]
    local = frame["ts_utc"] + pd.Timedelta(hours=UTC_OFFSET_HOURS)
    frame["period_start"] = local.dt.to_period("M").dt.start_time
    minute = (local.dt.hour * 60 + local.dt.minute).to_numpy()
    sunday = (local.dt.day_of_week == 6).to_numpy().astype(int)
    day = local.dt.normalize()
    voltage = frame["meter_id"].astype(str).map({meter_id: m.voltage_level for meter_id, m in meters.items()})
    frame["price"] = np.nan
    for span in spans:
        in_span = ((day >= pd.Timestamp(span.first_day)) & (day <= pd.Timestamp(span.last_day))).to_numpy()
        period = span.lookup[sunday[in_span], minute[in_span]]
        prices = np.full(len(period), np.nan)
        for level, level_prices in span.prices.items():
            is_level = (voltage[in_span] == level).to_numpy()
            prices[is_level] = level_prices[period[is_level]]
        frame.loc[in_span, "price"] = prices
    frame["cost_vnd"] = frame["value"] * frame["price"]
    keys = [*LEVELS["meter"], "period_start"]
    monthly = frame.groupby(keys, observed=True).agg(energy_kwh=("value", "sum"), cost_vnd=("cost_vnd", "sum")).reset_index()
    factors = {year: grid_factor(year).value for year in monthly["period_start"].dt.year.unique()}
    monthly["co2e_t"] = monthly["energy_kwh"] / 1000.0 * monthly["period_start"].dt.year.map(factors)
    result = {"meter": monthly}
    for level in ("firm", "park"):
        result[level] = monthly.groupby([*LEVELS[level], "period_start"], observed=True)[list(MEASURES)].sum().reset_index()
    return result


# --------------------------------------------------------------------------------------------
# Agreement, timing, report
# --------------------------------------------------------------------------------------------


def _sorted(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    keys = list(LEVELS[level])
    result = pd.DataFrame({k: frame[k].astype(str) for k in keys})
    result["period_start"] = pd.to_datetime(frame["period_start"]).astype("datetime64[us]").to_numpy()
    for measure in MEASURES:
        result[measure] = frame[measure].astype("float64").to_numpy()
    return result.sort_values([*keys, "period_start"]).reset_index(drop=True)


def largest_relative_difference(reference: Rollup, other: Rollup, name: str) -> float:
    """Return the largest relative difference of ``other`` from ``reference``; stop when keys differ."""
    largest = 0.0
    for level, keys in LEVELS.items():
        left, right = _sorted(reference[level], level), _sorted(other[level], level)
        key_columns = [*keys, "period_start"]
        if len(left) != len(right) or not left[key_columns].equals(right[key_columns]):
            raise SystemExit(f"{name}: the {level} rows differ from ecozone's")
        for measure in MEASURES:
            a, b = left[measure].to_numpy(), right[measure].to_numpy()
            scale = np.maximum(np.abs(a), np.finfo(float).tiny)
            largest = max(largest, float(np.max(np.abs(a - b) / scale)))
    return largest


def inventory_difference(rollup: Rollup) -> float:
    """Relative difference between the roll-up's annual park emissions and ``compute_inventory``'s Scope 2 (location)."""
    parks = rollup["park"].assign(year=pd.to_datetime(rollup["park"]["period_start"]).dt.year)
    annual = parks.groupby(["park_id", "year"], observed=True)[["energy_kwh", "co2e_t"]].sum().reset_index()
    activity = pd.DataFrame(
        {
            "entity_id": annual["park_id"].astype(str),
            "year": annual["year"],
            "carrier": "electricity",
            "amount": annual["energy_kwh"],
            "unit": "kWh",
        }
    )
    summary = compute_inventory(activity).summary.set_index(["entity_id", "year"])["scope2_location_t"]
    inventory = summary.loc[list(zip(activity["entity_id"], activity["year"], strict=True))].to_numpy(dtype=float)
    return float(np.max(np.abs(inventory - annual["co2e_t"].to_numpy()) / np.abs(inventory)))


def price_intervals_check(readings_path: Path, meters: dict[str, MeterRecord], rollup: Rollup) -> tuple[float, float, int]:
    """Price the first park's readings with :func:`ecozone.tariffs.price_intervals` and compare with the roll-up.

    Returns the seconds taken by the pandas pricing engine (reading the park's intervals into
    pandas included), the largest relative difference of its monthly firm costs and the number
    of readings priced.
    """
    park_id = min(m.park_id for m in meters.values())
    files = [str(p) for p in dataset.dataset_files(readings_path, [park_id])]
    start = time.perf_counter()
    con = duckdb.connect()
    frame = con.sql(
        f"SELECT meter_id, firm_id, ts_utc, value FROM read_parquet({files}) WHERE carrier = 'electricity' AND value IS NOT NULL"
    ).df()
    con.close()
    frame["voltage_level"] = frame["meter_id"].map({meter_id: m.voltage_level for meter_id, m in meters.items()})
    frame["local"] = frame["ts_utc"] + pd.Timedelta(hours=UTC_OFFSET_HOURS)
    parts = []
    for level, rows in frame.groupby("voltage_level"):
        priced = price_intervals(rows["local"].reset_index(drop=True), rows["value"].to_numpy(), str(level), CUSTOMER_GROUP)
        parts.append(
            pd.DataFrame(
                {
                    "firm_id": rows["firm_id"].astype(str).to_numpy(),
                    "month": priced["timestamp_local"].dt.to_period("M"),
                    "cost_vnd": priced["cost_vnd"],
                }
            )
        )
    by_firm = pd.concat(parts).groupby(["firm_id", "month"])["cost_vnd"].sum()
    seconds = time.perf_counter() - start
    firms = rollup["firm"][rollup["firm"]["park_id"].astype(str) == park_id]
    ours = pd.Series(
        firms["cost_vnd"].to_numpy(),
        index=pd.MultiIndex.from_arrays([firms["firm_id"].astype(str), pd.to_datetime(firms["period_start"]).dt.to_period("M")]),
    )
    if len(ours) != len(by_firm):
        raise SystemExit("price_intervals check: the firm months differ")
    aligned = ours.reindex(by_firm.index)
    return seconds, float(np.max(np.abs(aligned.to_numpy() - by_firm.to_numpy()) / np.abs(by_firm.to_numpy()))), len(frame)


def best_time(function: Callable[[], Rollup], repeats: int) -> tuple[float, float, Rollup]:
    """Run ``function`` ``repeats`` times; return the shortest wall and CPU times [s] and the last result.

    The CPU time is the process's (all threads): on a machine shared with other work it varies
    less than the wall time.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    return min(walls), min(cpus), result


@dataclass(frozen=True)
class Figures:
    """Measured figures of one benchmark run."""

    meters: int
    firms: int
    parks: int
    readings: int
    source_parquet_mb: float
    import_parquet_s: float
    import_parquet_rows_per_s: float
    import_parquet_cpu_s: float
    csv_meters: int
    csv_readings: int
    import_csv_s: float
    import_csv_rows_per_s: float
    import_csv_cpu_s: float
    rollup_ecozone_s: float
    rollup_duckdb_sql_s: float
    rollup_pandas_s: float
    rollup_vs_duckdb: float
    rollup_vs_pandas: float
    rollup_ecozone_cpu_s: float
    rollup_duckdb_sql_cpu_s: float
    rollup_pandas_cpu_s: float
    rollup_vs_duckdb_cpu: float
    rollup_vs_pandas_cpu: float
    load_average: float
    max_relative_difference: float
    inventory_relative_difference: float
    price_intervals_relative_difference: float
    price_intervals_park_s: float
    price_intervals_park_readings: int
    peak_memory_gb: float
    duckdb_threads: int

    def as_json(self) -> dict[str, Any]:
        """Return the figures with the targets, as JSON-ready values."""
        values: dict[str, Any] = dict(self.__dict__)
        values["year"] = YEAR
        values["targets"] = {
            "rollup_vs_duckdb_at_most": TARGETS["rollup_vs_duckdb"],
            "rollup_vs_pandas_at_least": TARGETS["rollup_vs_pandas"],
            "import_parquet_rows_per_s_at_least": TARGETS["import_parquet_rows_per_s"],
            "import_csv_rows_per_s_at_least": TARGETS["import_csv_rows_per_s"],
        }
        values["targets_met"] = {
            "rollup_vs_duckdb": self.rollup_vs_duckdb <= TARGETS["rollup_vs_duckdb"],
            "rollup_vs_pandas": self.rollup_vs_pandas >= TARGETS["rollup_vs_pandas"],
            "import_parquet_rows_per_s": self.import_parquet_rows_per_s >= TARGETS["import_parquet_rows_per_s"],
            "import_csv_rows_per_s": self.import_csv_rows_per_s >= TARGETS["import_csv_rows_per_s"],
        }
        return values

    def table(self) -> str:
        """Return the figures as a plain-text table."""
        met = self.as_json()["targets_met"]

        def mark(key: str) -> str:
            return "met" if met[key] else "NOT met"

        rows = [
            (
                "readings stored (15-min, one local year)",
                f"{self.readings:,}",
                f"{self.meters:,} meters, {self.firms:,} firms, {self.parks} parks",
            ),
            (
                "import from Parquet",
                f"{self.import_parquet_rows_per_s:,.0f} readings/s",
                f"{self.import_parquet_s:.1f} s (CPU {self.import_parquet_cpu_s:.1f} s); "
                f"target >= 1,000,000: {mark('import_parquet_rows_per_s')}",
            ),
            (
                "import from CSV",
                f"{self.import_csv_rows_per_s:,.0f} readings/s",
                f"{self.csv_readings:,} readings ({self.csv_meters} meters) in {self.import_csv_s:.1f} s "
                f"(CPU {self.import_csv_cpu_s:.1f} s); "
                f"target >= 300,000: {mark('import_csv_rows_per_s')}",
            ),
            (
                "roll-up: ecozone (Ibis on DuckDB)",
                f"{self.rollup_ecozone_s:.3f} s",
                f"monthly energy, TOU cost, location GHG by meter/firm/park (CPU {self.rollup_ecozone_cpu_s:.2f} s)",
            ),
            (
                "roll-up: hand-written DuckDB SQL",
                f"{self.rollup_duckdb_sql_s:.3f} s",
                f"one query, the floor (CPU {self.rollup_duckdb_sql_cpu_s:.2f} s)",
            ),
            (
                "roll-up: pandas",
                f"{self.rollup_pandas_s:.3f} s",
                f"straightforward pandas (CPU {self.rollup_pandas_cpu_s:.2f} s)",
            ),
            (
                "ecozone / hand-written SQL",
                f"{self.rollup_vs_duckdb:.2f}x",
                f"target <= 1.3: {mark('rollup_vs_duckdb')} (CPU time: {self.rollup_vs_duckdb_cpu:.2f}x)",
            ),
            (
                "pandas / ecozone",
                f"{self.rollup_vs_pandas:.1f}x",
                f"target >= 10: {mark('rollup_vs_pandas')} (CPU time: {self.rollup_vs_pandas_cpu:.1f}x)",
            ),
            (
                "largest relative difference",
                f"{self.max_relative_difference:.1e}",
                "between the three roll-ups (must be <= 1e-9)",
            ),
            ("GHG vs compute_inventory", f"{self.inventory_relative_difference:.1e}", "annual park Scope 2 (location-based)"),
            (
                "cost vs tariffs.price_intervals",
                f"{self.price_intervals_relative_difference:.1e}",
                f"monthly firm costs of one park; pandas pricing of its {self.price_intervals_park_readings:,} readings took "
                f"{self.price_intervals_park_s:.1f} s",
            ),
            (
                "peak memory (this process)",
                f"{self.peak_memory_gb:.1f} GB",
                f"DuckDB threads: {self.duckdb_threads}; load average at the end: {self.load_average}",
            ),
        ]
        width = [max(len(r[i]) for r in rows) for i in range(3)]
        lines = [f"{'figure':<{width[0]}}  {'value':>{width[1]}}  note", "-" * (sum(width) + 8)]
        lines += [f"{a:<{width[0]}}  {b:>{width[1]}}  {c}" for a, b, c in rows]
        return "\n".join(lines)


def run(
    meter_count: int, csv_meters: int, workdir: Path, repeats: int, pandas_repeats: int, log: Callable[[str], None]
) -> Figures:
    """Generate, import, roll up three ways, check agreement; return the figures."""
    meters = benchmark_meters(meter_count)
    log(f"generating {meter_count:,} meters x {len(_local_times()):,} readings in {workdir}")
    sources = write_source_files(meters, workdir / "source", min(csv_meters, meter_count))
    log(f"importing {len(sources.parquet)} Parquet file(s), {sources.parquet_rows:,} readings")
    parquet_s, parquet_cpu_s, readings = timed_import(workdir / "store", sources.parquet, meters)
    log(f"importing the CSV file, {sources.csv_rows:,} readings")
    csv_s, csv_cpu_s, csv_readings = timed_import(workdir / "store_csv", (sources.csv,), meters)
    shutil.rmtree(workdir / "store_csv", ignore_errors=True)
    store = workdir / "store"
    spans = tariff_spans(date(YEAR, 1, 1), date(YEAR, 12, 31), VOLTAGE_LEVELS)
    check_hand_written_constants(spans)
    log("rolling up: ecozone and hand-written SQL (alternating), then pandas")
    ecozone_times: list[tuple[float, float]] = []
    sql_times: list[tuple[float, float]] = []
    for _ in range(repeats):
        *times, ecozone = best_time(lambda: ecozone_rollup(store, meters, spans), 1)
        ecozone_times.append((times[0], times[1]))
        *times, hand_written = best_time(lambda: hand_written_rollup(store, meters), 1)
        sql_times.append((times[0], times[1]))
    pandas_s, pandas_cpu_s, pandas_result = best_time(lambda: pandas_rollup(store, meters, spans), pandas_repeats)
    difference = max(
        largest_relative_difference(ecozone, hand_written, "hand-written SQL"),
        largest_relative_difference(ecozone, pandas_result, "pandas"),
    )
    if difference > RELATIVE_TOLERANCE:
        raise SystemExit(f"the roll-ups disagree: largest relative difference {difference:.2e} > {RELATIVE_TOLERANCE:g}")
    inventory = inventory_difference(ecozone)
    if inventory > RELATIVE_TOLERANCE:
        raise SystemExit(f"the roll-up's emissions differ from compute_inventory by {inventory:.2e}")
    log("checking the costs of one park with ecozone.tariffs.price_intervals")
    pricing_s, pricing, priced_readings = price_intervals_check(store, meters, ecozone)
    if pricing > RELATIVE_TOLERANCE:
        raise SystemExit(f"the roll-up's costs differ from price_intervals by {pricing:.2e}")
    ecozone_s, sql_s = min(t[0] for t in ecozone_times), min(t[0] for t in sql_times)
    ecozone_cpu_s, sql_cpu_s = min(t[1] for t in ecozone_times), min(t[1] for t in sql_times)
    return Figures(
        meters=meter_count,
        firms=len({m.firm_id for m in meters.values()}),
        parks=len({m.park_id for m in meters.values()}),
        readings=readings,
        source_parquet_mb=round(sources.parquet_bytes / 1e6, 1),
        import_parquet_s=round(parquet_s, 3),
        import_parquet_rows_per_s=round(readings / parquet_s),
        import_parquet_cpu_s=round(parquet_cpu_s, 3),
        csv_meters=min(csv_meters, meter_count),
        csv_readings=csv_readings,
        import_csv_s=round(csv_s, 3),
        import_csv_rows_per_s=round(csv_readings / csv_s),
        import_csv_cpu_s=round(csv_cpu_s, 3),
        rollup_ecozone_s=round(ecozone_s, 4),
        rollup_duckdb_sql_s=round(sql_s, 4),
        rollup_pandas_s=round(pandas_s, 4),
        rollup_vs_duckdb=round(ecozone_s / sql_s, 3),
        rollup_vs_pandas=round(pandas_s / ecozone_s, 2),
        rollup_ecozone_cpu_s=round(ecozone_cpu_s, 4),
        rollup_duckdb_sql_cpu_s=round(sql_cpu_s, 4),
        rollup_pandas_cpu_s=round(pandas_cpu_s, 4),
        rollup_vs_duckdb_cpu=round(ecozone_cpu_s / sql_cpu_s, 3),
        rollup_vs_pandas_cpu=round(pandas_cpu_s / ecozone_cpu_s, 2),
        load_average=round(os.getloadavg()[0], 2),
        max_relative_difference=difference,
        inventory_relative_difference=inventory,
        price_intervals_relative_difference=pricing,
        price_intervals_park_s=round(pricing_s, 3),
        price_intervals_park_readings=priced_readings,
        peak_memory_gb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 2),
        duckdb_threads=int(duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]),  # type: ignore[index]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--meters", type=int, default=1000, help="number of 15-minute meters (default 1,000: 35 million readings)"
    )
    parser.add_argument(
        "--csv-meters", type=int, default=100, help="meters in the CSV import (default 100: 3.5 million readings)"
    )
    parser.add_argument("--repeats", type=int, default=ROLLUP_REPEATS, help="runs of each DuckDB roll-up (best is kept)")
    parser.add_argument("--pandas-repeats", type=int, default=1, help="runs of the pandas roll-up (best is kept)")
    parser.add_argument("--workdir", type=Path, help="folder for the generated files (default: a temporary folder, removed)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"[meters benchmark] {message}", file=sys.stderr, flush=True)

    temporary = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="ecozone-bench-meters-")) if temporary else args.workdir
    try:
        figures = run(args.meters, args.csv_meters, workdir, args.repeats, args.pandas_repeats, log)
    finally:
        if temporary:
            shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(figures.as_json(), indent=2) if args.json else figures.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
