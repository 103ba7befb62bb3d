"""Importing readings: validation, unit conversion, registers, quality flags, quarantine.

``import_readings`` reads every file first (a file with unreadable timestamps stops the
whole import before anything is written), then under the dataset's writer lock:

1. resolves meters and units: rows of an unknown meter, with a unit that does not suit the
   meter's carrier (m3 for electricity), of another dimension than the meter's unit (kg for
   a diesel meter in litres: no density) or without a number go to the **quarantine**;
2. converts values to the meter's base unit (kWh, m3 or kg);
3. drops exact repeats (same meter, time and value; counted as duplicates skipped) and
   quarantines conflicting repeats, within the batch and against stored readings;
4. turns cumulative registers into interval values (:mod:`ecozone.meters.registers`),
   quarantining readings that go backwards or that fall before the register's latest stored
   reading (registers are imported in time order);
5. sets quality flags (:mod:`ecozone.meters.quality`);
6. merges the rows into the Parquet dataset atomically (:mod:`ecozone.meters.dataset`) and
   writes the quarantine as CSV beside the dataset.

Importing the same file twice adds nothing (every row is a duplicate the second time).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ecozone.i18n import translate
from ecozone.meters import dataset
from ecozone.meters.errors import ReadingsFileError
from ecozone.meters.quality import (
    BoolArray,
    FloatArray,
    Int16Array,
    IntArray,
    QualitySettings,
    count_flags,
    flags_value,
    gap_flags,
    group_index,
    nominal_intervals,
    run_starts,
    shift,
    spike_flags,
    stuck_flags,
)
from ecozone.meters.readings_file import NORMALISED_SCHEMA, ReadingsFile, read_readings_file
from ecozone.meters.registers import MICROSECONDS_PER_MINUTE, register_intervals
from ecozone.meters.timestamps import DEFAULT_TIMEZONE
from ecozone.registry.schema import vocabulary
from ecozone.store.snapshot import MeterRecord
from ecozone.units import Unit, UnitError, parse_unit

__all__ = ["QUARANTINE_REASONS", "ImportReport", "import_readings", "import_readings_files", "read_readings_file"]

QUARANTINE_REASONS = (
    "meter_missing",
    "meter_unknown",
    "value_missing",
    "value_not_number",
    "unit_unknown",
    "unit_carrier",
    "unit_dimension",
    "interval_unknown",
    "duplicate_conflict",
    "stored_conflict",
    "register_backwards",
    "register_backfill",
)
"""Reasons a row is quarantined, in the order they are checked (message keys ``meters.reason.<reason>``)."""

QUARANTINE_COLUMNS = ("file", "row", "meter_id", "ts_utc", "value", "unit", "reason", "detail", "message_en", "message_vi")
SAME_VALUE_TOLERANCE = 1e-9
"""Relative tolerance when comparing a repeated reading with the first one [-] (unit conversion rounding)."""

IntervalLabel = Literal["start", "end"]


@dataclass(frozen=True)
class ImportReport:
    """What an import did.

    Attributes
    ----------
    files : tuple of str
        File names, in import order.
    rows_read : int
        Data rows read from the files.
    accepted : int
        Rows stored as new readings.
    duplicates_skipped : int
        Rows identical to a stored reading or to an earlier row of the import.
    quarantined : dict
        Rows quarantined, by reason (see :data:`QUARANTINE_REASONS`).
    flagged : dict
        Stored rows written by this import carrying each flag, by flag name.
    registers_completed : int
        Latest stored register readings that received their interval value.
    partitions : tuple of str
        Dataset partitions rewritten.
    quarantine_file : Path or None
        CSV of the quarantined rows (file, row, reason, ...), when any.
    ignored_columns : dict
        Columns ignored, by file.
    """

    files: tuple[str, ...]
    rows_read: int
    accepted: int
    duplicates_skipped: int
    quarantined: dict[str, int] = field(default_factory=dict)
    flagged: dict[str, int] = field(default_factory=dict)
    registers_completed: int = 0
    partitions: tuple[str, ...] = ()
    quarantine_file: Path | None = None
    ignored_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def quarantined_total(self) -> int:
        """Rows quarantined, all reasons."""
        return sum(self.quarantined.values())

    def lines(self, lang: str | None = None) -> list[str]:
        """Return the report as lines of text in ``lang`` (``vi`` or ``en``)."""
        lines = [
            translate(
                "meters.report.summary",
                lang,
                files=len(self.files),
                read=self.rows_read,
                accepted=self.accepted,
                duplicates=self.duplicates_skipped,
                quarantined=self.quarantined_total,
            )
        ]
        lines += [
            translate("meters.report.quarantined", lang, count=n, reason=translate(f"meters.reason.{r}", lang))
            for r, n in self.quarantined.items()
        ]
        lines += [
            translate("meters.report.flagged", lang, count=n, flag=translate(f"meters.flag.{f}", lang))
            for f, n in self.flagged.items()
        ]
        if self.registers_completed:
            lines.append(translate("meters.report.registers_completed", lang, count=self.registers_completed))
        lines += [
            translate("meters.report.ignored_columns", lang, file=name, columns=", ".join(columns))
            for name, columns in self.ignored_columns.items()
            if columns
        ]
        if self.quarantine_file is not None:
            lines.append(translate("meters.report.quarantine_file", lang, path=str(self.quarantine_file)))
        return lines


@dataclass(frozen=True)
class _Meters:
    """The meters as arrays indexed like ``ids``."""

    ids: pa.Array
    records: tuple[MeterRecord, ...]
    factor: FloatArray
    dimension: IntArray
    base_unit: tuple[str, ...]
    cumulative: BoolArray
    declared_minutes: FloatArray
    allowed: BoolArray
    dimensions: dict[str, int]

    @classmethod
    def build(cls, meters: Mapping[str, MeterRecord]) -> _Meters:
        carriers = vocabulary("carrier")
        records = tuple(meters.values())
        dimensions: dict[str, int] = {}
        for entry in carriers.values():
            for name in entry.get("dimensions", []):
                dimensions.setdefault(name, len(dimensions))
        units = [_parse_or_none(m.unit) for m in records]
        for unit in units:
            if unit is not None:
                dimensions.setdefault(unit.dimension, len(dimensions))
        allowed = np.zeros((len(records), max(len(dimensions), 1)), dtype=bool)
        for i, record in enumerate(records):
            for name in carriers.get(record.carrier, {}).get("dimensions", []):
                allowed[i, dimensions[name]] = True
        return cls(
            ids=pa.array([m.id for m in records], pa.string()),
            records=records,
            factor=np.array([u.to_base if u else np.nan for u in units], dtype=np.float64),
            dimension=np.array([dimensions[u.dimension] if u else -1 for u in units], dtype=np.int64),
            base_unit=tuple(u.base_unit if u else "" for u in units),
            cumulative=np.array([m.reading_kind == "cumulative" for m in records], dtype=bool),
            declared_minutes=np.array([m.interval_minutes or np.nan for m in records], dtype=np.float64),
            allowed=allowed,
            dimensions=dimensions,
        )


def _parse_or_none(text: str) -> Unit | None:
    try:
        return parse_unit(text)
    except UnitError:
        return None


@dataclass
class _Batch:
    """Rows of all files with their state during the import (arrays of equal length)."""

    rows: pa.Table
    file_index: IntArray
    reason: IntArray
    detail: FloatArray
    meter: IntArray
    factor: FloatArray
    ts_us: IntArray
    value: FloatArray
    estimated: BoolArray

    def quarantine(self, mask: BoolArray, reason: str, detail: FloatArray | None = None) -> None:
        """Quarantine the rows of ``mask`` not yet quarantined, for ``reason``."""
        chosen = mask & (self.reason == 0)
        self.reason[chosen] = QUARANTINE_REASONS.index(reason) + 1
        if detail is not None:
            self.detail[chosen] = detail[chosen]


def _concat(files: Sequence[ReadingsFile]) -> tuple[pa.Table, IntArray]:
    tables = [f.rows.cast(NORMALISED_SCHEMA) for f in files]
    table = pa.concat_tables(tables) if tables else NORMALISED_SCHEMA.empty_table()
    index = (
        np.concatenate([np.full(t.num_rows, i, dtype=np.int64) for i, t in enumerate(tables)])
        if tables
        else np.zeros(0, np.int64)
    )
    return table.combine_chunks(), index


def _resolve(files: Sequence[ReadingsFile], meters: _Meters) -> _Batch:
    """Resolve meters and units of every row; quarantine rows that cannot be converted."""
    table, file_index = _concat(files)
    n = table.num_rows
    meter = pc.fill_null(pc.index_in(table.column("meter_id"), value_set=meters.ids), -1).to_numpy().astype(np.int64)
    value = pc.fill_null(table.column("value"), np.nan).to_numpy().astype(np.float64)
    batch = _Batch(
        rows=table,
        file_index=file_index,
        reason=np.zeros(n, dtype=np.int64),
        detail=np.full(n, np.nan),
        meter=meter,
        factor=np.full(n, np.nan),
        ts_us=table.column("ts_utc").cast(pa.int64()).to_numpy().astype(np.int64),
        value=value,
        estimated=table.column("estimated").to_numpy(zero_copy_only=False).astype(bool),
    )
    batch.quarantine(table.column("meter_id").is_null().to_numpy(zero_copy_only=False), "meter_missing")
    batch.quarantine(meter < 0, "meter_unknown")
    not_number = table.column("value_text").is_valid().to_numpy(zero_copy_only=False) | np.isinf(value)
    batch.quarantine(np.isnan(value) & ~not_number, "value_missing")
    batch.quarantine(not_number, "value_not_number")
    _resolve_units(batch, table.column("unit"), meters)
    return batch


def _resolve_units(batch: _Batch, unit_column: pa.ChunkedArray, meters: _Meters) -> None:
    encoded = pc.dictionary_encode(unit_column.combine_chunks())
    spellings = encoded.dictionary.to_pylist()
    parsed = [_parse_or_none(s) for s in spellings]
    dimension_of = [meters.dimensions.setdefault(u.dimension, len(meters.dimensions)) if u else -1 for u in parsed]
    factor_of = np.array([u.to_base if u else np.nan for u in parsed] + [np.nan], dtype=np.float64)
    dims = np.array([*dimension_of, -1], dtype=np.int64)
    codes = pc.fill_null(encoded.indices, len(spellings)).to_numpy().astype(np.int64)
    own = codes == len(spellings)
    known = batch.meter >= 0
    if not len(meters.records):
        return
    meter = np.where(known, batch.meter, 0)
    row_dimension = np.where(own, meters.dimension[meter], dims[codes])
    batch.factor = np.where(own, meters.factor[meter], factor_of[codes])
    batch.quarantine(known & (row_dimension < 0), "unit_unknown")
    allowed = np.zeros(len(meter), dtype=bool)
    in_matrix = known & (row_dimension >= 0) & (row_dimension < meters.allowed.shape[1])
    allowed[in_matrix] = meters.allowed[meter[in_matrix], row_dimension[in_matrix]]
    batch.quarantine(known & ~allowed, "unit_carrier")
    batch.quarantine(known & (row_dimension != meters.dimension[meter]), "unit_dimension")


def _sorted_valid(batch: _Batch) -> IntArray:
    """Return positions of rows still valid, sorted by meter, time, file and row."""
    valid = np.flatnonzero(batch.reason == 0)
    rows = batch.rows.column("row").to_numpy()[valid]
    order = np.lexsort((rows, batch.file_index[valid], batch.ts_us[valid], batch.meter[valid]))
    return np.asarray(valid[order], dtype=np.int64)


def _label_interval_ends(batch: _Batch, meters: _Meters, positions: IntArray) -> None:
    """Move end-labelled interval values to their interval start (cumulative readings keep their time)."""
    meter = batch.meter[positions]
    interval = ~meters.cumulative[meter]
    starts = run_starts(meter)
    group = group_index(starts)
    steps = (batch.ts_us[positions] - shift(batch.ts_us[positions], starts, 0)) / MICROSECONDS_PER_MINUTE
    steps = np.where(starts, np.nan, steps)
    declared = meters.declared_minutes[meter[starts]]
    nominal = nominal_intervals(group, steps, declared, int(starts.sum()))[group]
    unknown = interval & np.isnan(nominal)
    batch.quarantine(np.isin(np.arange(len(batch.reason)), positions[unknown]), "interval_unknown")
    shifted = interval & ~unknown
    batch.ts_us[positions[shifted]] -= np.round(nominal[shifted] * MICROSECONDS_PER_MINUTE).astype(np.int64)


def _drop_repeats(batch: _Batch, positions: IntArray) -> tuple[IntArray, IntArray, int]:
    """Keep the first row of each meter and time; return (kept, kept-with-repeats, skipped)."""
    key_start = run_starts(batch.meter[positions], batch.ts_us[positions])
    first = np.maximum.accumulate(np.where(key_start, np.arange(len(positions)), 0))
    values = batch.value[positions] * batch.factor[positions]
    same = np.isclose(values, values[first], rtol=SAME_VALUE_TOLERANCE, atol=0.0)
    repeat = ~key_start & same
    conflict = ~key_start & ~same
    mask = np.zeros(len(batch.reason), dtype=bool)
    mask[positions[conflict]] = True
    batch.quarantine(mask, "duplicate_conflict", detail=_expand(positions, values[first], len(batch.reason)))
    return positions[key_start], np.unique(positions[first[repeat]]), int(repeat.sum())


def _concat_int(blocks: list[IntArray]) -> IntArray:
    return np.concatenate(blocks).astype(np.int64) if blocks else np.zeros(0, np.int64)


def _expand(positions: IntArray, values: FloatArray, length: int) -> FloatArray:
    full = np.full(length, np.nan)
    full[positions] = values
    return full


@dataclass(frozen=True)
class _Stored:
    """What the dataset already holds for the batch's meters."""

    matched_value: FloatArray
    matched_register: FloatArray
    matched: BoolArray
    previous_ts: IntArray
    last_ts: IntArray
    last_register: FloatArray
    last_flags: IntArray
    last_source: list[str | None]
    has_last: BoolArray


def _stored_state(readings_path: Path, batch: _Batch, meters: _Meters, kept: IntArray) -> _Stored:
    """Look up stored rows with the same keys, and each meter's latest stored reading."""
    meter = batch.meter[kept]
    park_ids = {meters.records[i].park_id for i in np.unique(meter)}
    keys = pa.table(
        {
            "pos": pa.array(np.arange(len(kept), dtype=np.int64)),
            "meter_id": pc.take(meters.ids, pa.array(meter)),
            "ts_utc": pa.array(batch.ts_us[kept], pa.int64()).cast(pa.timestamp("us")),
        }
    )
    n_meters = len(meters.records)
    con = dataset.connect_stored(readings_path, park_ids)
    try:
        con.register("batch_keys", keys)
        matches = con.sql(
            "SELECT b.pos, s.value, s.register_value FROM batch_keys b "
            "JOIN stored s ON s.meter_id = b.meter_id AND s.ts_utc = b.ts_utc"
        ).to_arrow_table()
        latest = con.sql(
            "WITH firsts AS (SELECT meter_id, min(ts_utc) AS first_ts FROM batch_keys GROUP BY meter_id) "
            "SELECT s.meter_id, epoch_us(max(s.ts_utc) FILTER (WHERE s.ts_utc < f.first_ts)) AS previous_ts, "
            "epoch_us(max(s.ts_utc)) AS last_ts, arg_max(s.register_value, s.ts_utc) AS last_register, "
            "arg_max(s.flags, s.ts_utc) AS last_flags, arg_max(s.source_hash, s.ts_utc) AS last_source "
            "FROM stored s JOIN firsts f ON s.meter_id = f.meter_id GROUP BY s.meter_id"
        ).to_arrow_table()
    finally:
        con.close()
    matched = np.zeros(len(kept), dtype=bool)
    matched_value = np.full(len(kept), np.nan)
    matched_register = np.full(len(kept), np.nan)
    pos = matches.column("pos").to_numpy()
    matched[pos] = True
    matched_value[pos] = pc.fill_null(matches.column("value"), np.nan).to_numpy()
    matched_register[pos] = pc.fill_null(matches.column("register_value"), np.nan).to_numpy()
    index = pc.index_in(latest.column("meter_id"), value_set=meters.ids).to_numpy()
    previous_ts = np.full(n_meters, np.iinfo(np.int64).min)
    last_ts = np.full(n_meters, np.iinfo(np.int64).min)
    last_register = np.full(n_meters, np.nan)
    last_flags = np.zeros(n_meters, dtype=np.int64)
    last_source: list[str | None] = [None] * n_meters
    has_last = np.zeros(n_meters, dtype=bool)
    previous_ts[index] = pc.fill_null(latest.column("previous_ts"), np.iinfo(np.int64).min).to_numpy()
    last_ts[index] = latest.column("last_ts").to_numpy()
    last_register[index] = pc.fill_null(latest.column("last_register"), np.nan).to_numpy()
    last_flags[index] = latest.column("last_flags").to_numpy()
    for i, source in zip(index, latest.column("last_source").to_pylist(), strict=True):
        last_source[int(i)] = source
    has_last[index] = True
    return _Stored(
        matched_value, matched_register, matched, previous_ts, last_ts, last_register, last_flags, last_source, has_last
    )


def _skip_stored(batch: _Batch, meters: _Meters, kept: IntArray, stored: _Stored) -> tuple[IntArray, int]:
    """Drop rows already stored (same value) and quarantine conflicting ones; return (new rows, skipped)."""
    cumulative = meters.cumulative[batch.meter[kept]]
    values = batch.value[kept] * batch.factor[kept]
    reference = np.where(cumulative, stored.matched_register, stored.matched_value)
    same = stored.matched & np.isclose(values, reference, rtol=SAME_VALUE_TOLERANCE, atol=0.0)
    conflict = stored.matched & ~same
    mask = np.zeros(len(batch.reason), dtype=bool)
    mask[kept[conflict]] = True
    batch.quarantine(mask, "stored_conflict", detail=_expand(kept, reference, len(batch.reason)))
    return kept[~stored.matched], int(same.sum())


@dataclass
class _Output:
    """Columns of the rows to write (arrays of equal length)."""

    meter: list[IntArray] = field(default_factory=list)
    ts_us: list[IntArray] = field(default_factory=list)
    minutes: list[FloatArray] = field(default_factory=list)
    value: list[FloatArray] = field(default_factory=list)
    register: list[FloatArray] = field(default_factory=list)
    flags: list[Int16Array] = field(default_factory=list)
    source: list[IntArray] = field(default_factory=list)

    def add(
        self,
        meter: IntArray,
        ts_us: IntArray,
        minutes: FloatArray,
        value: FloatArray,
        register: FloatArray,
        flags: Int16Array,
        source: IntArray,
    ) -> None:
        """Append a block of rows."""
        self.meter.append(meter)
        self.ts_us.append(ts_us)
        self.minutes.append(minutes)
        self.value.append(value)
        self.register.append(register)
        self.flags.append(flags)
        self.source.append(source)

    def table(self, meters: _Meters, sources: list[str | None]) -> pa.Table:
        """Return the rows as a table of :data:`ecozone.meters.dataset.WRITE_COLUMNS`.

        ``source`` codes index ``sources`` (file hashes, then stored sources by meter).
        """
        meter = _concat_int(self.meter)
        records = meters.records
        minutes = np.concatenate(self.minutes) if self.minutes else np.zeros(0)
        value = np.concatenate(self.value) if self.value else np.zeros(0)
        register = np.concatenate(self.register) if self.register else np.zeros(0)
        return pa.table(
            {
                "park_id": _dictionary([m.park_id for m in records], meter),
                "meter_id": _dictionary([m.id for m in records], meter),
                "firm_id": _dictionary([m.firm_id for m in records], meter),
                "carrier": _dictionary([m.carrier for m in records], meter),
                "unit": _dictionary(list(meters.base_unit), meter),
                "ts_utc": pa.array(_concat_int(self.ts_us), pa.int64()).cast(pa.timestamp("us")),
                "interval_minutes": pa.array(np.round(minutes), pa.float64(), mask=np.isnan(minutes)).cast(pa.int32()),
                "value": pa.array(value, pa.float64(), mask=np.isnan(value)),
                "register_value": pa.array(register, pa.float64(), mask=np.isnan(register)),
                "flags": pa.array(np.concatenate(self.flags) if self.flags else np.zeros(0, np.int16), pa.int16()),
                "source_hash": _dictionary(sources, _concat_int(self.source)),
            }
        )


def _dictionary(values: Sequence[str | None], codes: IntArray) -> pa.DictionaryArray:
    """Return ``values[codes]`` as a dictionary array (one dictionary entry per distinct text)."""
    distinct = sorted({v for v in values if v is not None})
    position = {text: i for i, text in enumerate(distinct)}
    mapped = np.array([position.get(v, -1) if v is not None else -1 for v in values] + [-1], dtype=np.int32)
    indices = mapped[codes] if len(codes) else np.zeros(0, dtype=np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32(), mask=indices < 0), pa.array(distinct, pa.string()))


def _interval_rows(
    batch: _Batch, meters: _Meters, new: IntArray, stored: _Stored, repeated: BoolArray, settings: QualitySettings
) -> tuple[_Output, int]:
    """Build rows of interval meters from the new positions (sorted by meter and time)."""
    output = _Output()
    meter = batch.meter[new]
    if not len(new):
        return output, 0
    starts = run_starts(meter)
    group = group_index(starts)
    n_groups = int(starts.sum())
    ts = batch.ts_us[new]
    previous = shift(ts, starts, 0)
    previous = np.where(starts, stored.previous_ts[meter], previous)
    has_previous = previous != np.iinfo(np.int64).min
    steps = np.where(has_previous, (ts - previous) / MICROSECONDS_PER_MINUTE, np.nan)
    within = np.where(starts, np.nan, steps)
    nominal = nominal_intervals(group, within, meters.declared_minutes[meter[starts]], n_groups)[group]
    value = batch.value[new] * batch.factor[new]
    rates = np.where(nominal > 0, value / nominal, value)
    flags = flags_value(
        gap=gap_flags(steps, nominal, settings),
        duplicate=repeated[new],
        negative=value < 0,
        spike=spike_flags(group, rates, n_groups, settings),
        stuck=stuck_flags(starts, value, settings),
        estimated=batch.estimated[new],
    )
    output.add(meter, ts, nominal, value, np.full(len(new), np.nan), flags, batch.file_index[new])
    return output, len(new)


def _register_rows(
    batch: _Batch, meters: _Meters, new: IntArray, stored: _Stored, repeated: BoolArray, settings: QualitySettings, n_files: int
) -> tuple[_Output, int, int]:
    """Build rows of cumulative meters, completing each meter's latest stored reading."""
    output = _Output()
    if not len(new):
        return output, 0, 0
    meter = batch.meter[new]
    backfill = stored.has_last[meter] & (batch.ts_us[new] < stored.last_ts[meter])
    mask = np.zeros(len(batch.reason), dtype=bool)
    mask[new[backfill]] = True
    batch.quarantine(mask, "register_backfill")
    new = new[~backfill]
    meter = batch.meter[new]
    if not len(new):
        return output, 0, 0
    seed_meters = np.unique(meter[stored.has_last[meter]])
    n_seed = len(seed_meters)
    all_meter = np.concatenate([seed_meters, meter])
    all_ts = np.concatenate([stored.last_ts[seed_meters], batch.ts_us[new]])
    all_register = np.concatenate([stored.last_register[seed_meters], batch.value[new] * batch.factor[new]])
    all_factor = np.concatenate([meters.factor[seed_meters], batch.factor[new]])
    is_seed = np.concatenate([np.ones(n_seed, dtype=bool), np.zeros(len(new), dtype=bool)])
    order = np.lexsort((all_ts, all_meter))
    all_meter, all_ts, all_register, all_factor, is_seed = (
        a[order] for a in (all_meter, all_ts, all_register, all_factor, is_seed)
    )
    source_position = np.concatenate([np.full(n_seed, -1), new])[order]

    starts = run_starts(all_meter)
    intervals = register_intervals(starts, all_ts, all_register, all_factor, settings)
    back = np.zeros(len(batch.reason), dtype=bool)
    back[source_position[intervals.backwards]] = True
    batch.quarantine(
        back,
        "register_backwards",
        detail=_expand(source_position[intervals.backwards], intervals.previous[intervals.backwards], len(batch.reason)),
    )

    keep = ~intervals.backwards & ~(is_seed & np.isnan(intervals.value))
    rows = np.flatnonzero(keep)
    k_meter, k_starts = all_meter[rows], run_starts(all_meter[rows])
    group = group_index(k_starts)
    n_groups = int(k_starts.sum())
    minutes = intervals.interval_minutes[rows]
    value = intervals.value[rows]
    nominal = nominal_intervals(group, minutes, meters.declared_minutes[k_meter[k_starts]], n_groups)[group]
    from_file = source_position[rows] >= 0
    file_pos = np.where(from_file, source_position[rows], 0)
    flags = flags_value(
        gap=gap_flags(minutes, nominal, settings),
        duplicate=from_file & repeated[file_pos],
        spike=spike_flags(group, np.where(minutes > 0, value / minutes, np.nan), n_groups, settings),
        stuck=stuck_flags(run_starts(all_meter), all_register, settings)[rows],
        estimated=from_file & batch.estimated[file_pos],
        rollover=intervals.rollover[rows],
        reset=intervals.reset[rows],
    )
    flags = np.where(from_file, flags, flags | stored.last_flags[k_meter].astype(np.int16)).astype(np.int16)
    source = np.where(from_file, batch.file_index[file_pos], n_files + k_meter)
    output.add(k_meter, all_ts[rows], minutes, value, all_register[rows], flags, source)
    return output, int(from_file.sum()), int((~from_file).sum())


def _write_quarantine(batch: _Batch, files: Sequence[ReadingsFile], folder: Path) -> Path | None:
    """Write the quarantined rows as CSV (UTF-8 with BOM, so that Excel shows Vietnamese)."""
    quarantined = np.flatnonzero(batch.reason > 0)
    if not len(quarantined):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256("".join(f.sha256 for f in files).encode()).hexdigest()[:8]
    path = folder / f"readings-{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{digest}.csv"
    table = batch.rows.take(pa.array(quarantined))
    reason = pa.array(batch.reason[quarantined] - 1)
    value = pc.coalesce(table.column("value_text"), pc.cast(table.column("value"), pa.string()))
    detail = batch.detail[quarantined]
    output = pa.table(
        {
            "file": pc.take(pa.array([f.name for f in files], pa.string()), pa.array(batch.file_index[quarantined])),
            "row": table.column("row"),
            "meter_id": table.column("meter_id"),
            "ts_utc": table.column("ts_utc"),
            "value": value,
            "unit": table.column("unit"),
            "reason": pc.take(pa.array(QUARANTINE_REASONS), reason),
            "detail": pc.cast(pa.array(detail, pa.float64(), mask=np.isnan(detail)), pa.string()),
            "message_en": pc.take(pa.array([translate(f"meters.reason.{r}", "en") for r in QUARANTINE_REASONS]), reason),
            "message_vi": pc.take(pa.array([translate(f"meters.reason.{r}", "vi") for r in QUARANTINE_REASONS]), reason),
        }
    )
    with path.open("wb") as handle:
        handle.write("\ufeff".encode())
        pa_csv.write_csv(output, handle)
    return path


def import_readings(
    readings_path: Path,
    files: Iterable[Path | str],
    meters: Mapping[str, MeterRecord],
    *,
    timezone: str = DEFAULT_TIMEZONE,
    interval_label: IntervalLabel = "start",
    decimal_comma: bool = False,
    encoding: str | None = None,
    settings: QualitySettings | None = None,
    quarantine_path: Path | None = None,
) -> ImportReport:
    """Import readings files into the dataset at ``readings_path``.

    Parameters
    ----------
    readings_path : Path
        The dataset folder (``Workspace.readings_path``).
    files : iterable of Path
        CSV, XLSX or Parquet files (see :mod:`ecozone.meters.readings_file`).
    meters : mapping of str to MeterRecord
        The registry's meters by id (rows of other meters are quarantined).
    timezone : str
        Zone of timestamps written without offset (``Asia/Ho_Chi_Minh`` or ``UTC``, ...).
    interval_label : {"start", "end"}
        Whether interval values are time-stamped at the start (default) or the end of their
        interval; register readings are instants either way.
    decimal_comma : bool
        Read text numbers the Vietnamese way (``1.234,5``).
    encoding : str, optional
        Force the CSV text encoding.
    settings : QualitySettings, optional
        Thresholds of the quality checks.
    quarantine_path : Path, optional
        Folder of quarantine files; ``<workspace>/quarantine`` by default.

    Returns
    -------
    ImportReport

    Raises
    ------
    FileFormatError, ReadingsFileError
        When a file cannot be read as a whole; nothing is written then.
    ReadingsDatasetError
        When the dataset is locked by another import or cannot be written; it is unchanged.
    """
    parsed = [read_readings_file(Path(f), timezone=timezone, decimal_comma=decimal_comma, encoding=encoding) for f in files]
    return import_readings_files(
        readings_path, parsed, meters, interval_label=interval_label, settings=settings, quarantine_path=quarantine_path
    )


def import_readings_files(
    readings_path: Path,
    files: Sequence[ReadingsFile],
    meters: Mapping[str, MeterRecord],
    *,
    interval_label: IntervalLabel = "start",
    settings: QualitySettings | None = None,
    quarantine_path: Path | None = None,
) -> ImportReport:
    """Import already-read files (see :func:`import_readings`; e.g. generated demo data)."""
    if interval_label not in ("start", "end"):
        raise ReadingsFileError("meters.interval_label", value=str(interval_label))
    settings = settings or QualitySettings()
    table = _Meters.build(meters)
    batch = _resolve(files, table)
    positions = _sorted_valid(batch)
    if interval_label == "end":
        _label_interval_ends(batch, table, positions)
        positions = _sorted_valid(batch)
    kept, repeated_positions, repeats = _drop_repeats(batch, positions)
    repeated = np.zeros(len(batch.reason), dtype=bool)
    repeated[repeated_positions] = True
    with dataset.lock_dataset(readings_path):
        stored = _stored_state(readings_path, batch, table, kept)
        new, stored_repeats = _skip_stored(batch, table, kept, stored)
        cumulative = table.cumulative[batch.meter[new]]
        interval_output, interval_count = _interval_rows(batch, table, new[~cumulative], stored, repeated, settings)
        register_output, register_count, completed = _register_rows(
            batch, table, new[cumulative], stored, repeated, settings, len(files)
        )
        sources = [f.sha256 for f in files] + stored.last_source
        rows = pa.concat_tables([interval_output.table(table, sources), register_output.table(table, sources)])
        partitions = dataset.write_readings(readings_path, rows, already_locked=True)
    quarantine_file = _write_quarantine(batch, files, quarantine_path or readings_path.parent / "quarantine")
    reasons = Counter(QUARANTINE_REASONS[r - 1] for r in batch.reason[batch.reason > 0])
    return ImportReport(
        files=tuple(f.name for f in files),
        rows_read=len(batch.reason),
        accepted=interval_count + register_count,
        duplicates_skipped=repeats + stored_repeats,
        quarantined={r: reasons[r] for r in QUARANTINE_REASONS if reasons[r]},
        flagged=count_flags(rows.column("flags").to_numpy()),
        registers_completed=completed,
        partitions=partitions,
        quarantine_file=quarantine_file,
        ignored_columns={f.name: f.ignored_columns for f in files},
    )
