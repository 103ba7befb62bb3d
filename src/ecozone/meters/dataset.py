"""The readings store: a Parquet dataset partitioned by park and month, written atomically.

Layout (hive partitioning)::

    <readings_path>/park_id=<park>/month=<YYYY-MM>/data.parquet
    <readings_path>/.staging/<transaction>/            only while a write is in progress
    <readings_path>/.lock                              held by the one writer

One file per partition holds the park's readings whose interval starts in that UTC month,
sorted by ``meter_id`` then ``ts_utc``, with the columns of :data:`STORED_SCHEMA`; the
partition keys ``park_id`` and ``month`` live in the folder names only.

Each row is one quantity over an interval: ``value`` [base unit of the meter: kWh for
energy, m3 for volume, kg for mass] consumed (or produced) from ``ts_utc`` (naive UTC,
interval start) during ``interval_minutes``. Cumulative registers also keep the register
reading at ``ts_utc`` in ``register_value``; the latest reading of a register has no
``value`` yet (it is completed by the next import). ``flags`` is the quality bitmask of
:class:`ecozone.meters.quality.ReadingFlag`.

A write merges the new rows into the partitions they touch (a new row replaces a stored row
with the same ``meter_id`` and ``ts_utc``), writes the merged partitions to a staging folder,
then installs each file with :func:`os.replace`, keeping a hard-linked backup of the old file
so that any failure rolls every partition back. A journal lets
:func:`recover_interrupted_writes` finish the roll-back after a crash.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ecozone.meters.errors import ReadingsDatasetError

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir

DICTIONARY_STRING = pa.dictionary(pa.int32(), pa.string())
"""Arrow type of the repetitive text columns (Parquet dictionary pages; read as text by SQL)."""
_COLUMNS = (
    ("meter_id", True, False),
    ("firm_id", True, True),
    ("carrier", True, False),
    ("unit", True, False),
    ("ts_utc", pa.timestamp("us"), False),
    ("interval_minutes", pa.int32(), True),
    ("value", pa.float64(), True),
    ("register_value", pa.float64(), True),
    ("flags", pa.int16(), False),
    ("source_hash", True, True),
)
STORED_SCHEMA = pa.schema(
    [pa.field(name, DICTIONARY_STRING if kind is True else kind, nullable=nullable) for name, kind, nullable in _COLUMNS]
)
"""Columns stored in every partition file (the partition keys are not repeated inside).

``meter_id``, ``firm_id``, ``carrier``, ``unit`` and ``source_hash`` are dictionary-encoded
text; DuckDB, Spark and Ibis read them as plain strings.
"""

PARTITION_KEYS = ("park_id", "month")
DATASET_SCHEMA = pa.schema(
    [
        *[pa.field(name, pa.string() if kind is True else kind, nullable=nullable) for name, kind, nullable in _COLUMNS],
        pa.field("park_id", pa.string()),
        pa.field("month", pa.string()),
    ]
)
"""Columns seen when the dataset is read with hive partitioning (text columns as strings)."""

WRITE_COLUMNS = ("park_id", *STORED_SCHEMA.names)
"""Columns :func:`write_readings` expects (``month`` is derived from ``ts_utc``); text columns may be
plain or dictionary-encoded strings."""

DATA_FILE = "data.parquet"
STAGING_DIR = ".staging"
LOCK_FILE = ".lock"
JOURNAL_FILE = "journal.json"
SAFE_PARTITION_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
FILE_GLOB = f"park_id=*/month=*/{DATA_FILE}"


def partition_path(readings_path: Path, park_id: str, month: str) -> Path:
    """Return the folder of one partition.

    Parameters
    ----------
    readings_path : Path
        The dataset folder (``Workspace.readings_path``).
    park_id : str
        Park identifier.
    month : str
        UTC month of the interval starts, ``YYYY-MM``.
    """
    return readings_path / f"park_id={park_id}" / f"month={month}"


def dataset_files(readings_path: Path, park_ids: Iterable[str] | None = None) -> list[Path]:
    """Return the dataset's partition files, optionally only those of ``park_ids``."""
    if park_ids is None:
        return sorted(readings_path.glob(FILE_GLOB))
    files: list[Path] = []
    for park_id in sorted(set(park_ids)):
        files.extend(sorted((readings_path / f"park_id={park_id}").glob(f"month=*/{DATA_FILE}")))
    return files


def empty_readings() -> pa.Table:
    """Return an empty table with the dataset's columns (:data:`DATASET_SCHEMA`)."""
    return DATASET_SCHEMA.empty_table()


def _sql_list(paths: Sequence[Path]) -> str:
    quoted = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    return f"[{quoted}]"


def stored_relation_sql(files: Sequence[Path]) -> str:
    """Return a DuckDB ``FROM`` clause reading ``files`` with their partition columns."""
    return f"read_parquet({_sql_list(files)}, hive_partitioning = true, hive_types_autocast = false)"


def connect_stored(readings_path: Path, park_ids: Iterable[str] | None = None) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection with a view ``stored`` over the stored readings of ``park_ids``.

    The view has the columns of :data:`DATASET_SCHEMA` (empty when nothing is stored).
    """
    con = duckdb.connect()
    files = dataset_files(readings_path, park_ids)
    if files:
        con.execute(f"CREATE VIEW stored AS SELECT * FROM {stored_relation_sql(files)}")
    else:
        con.register("stored_empty", empty_readings())
        con.execute("CREATE VIEW stored AS SELECT * FROM stored_empty")
    return con


def open_readings(readings_path: Path, connection: ibis.BaseBackend | None = None, table_name: str = "readings") -> ir.Table:
    """Return the stored readings as an Ibis table (DuckDB unless another backend is given).

    Parameters
    ----------
    readings_path : Path
        The dataset folder.
    connection : ibis backend, optional
        Backend that reads the Parquet files; a new in-memory DuckDB connection by default.
    table_name : str
        Name of the view created in the backend.

    Returns
    -------
    ibis.Table
        Columns of :data:`DATASET_SCHEMA`; an in-memory empty table when nothing is stored.
    """
    import ibis

    backend = connection if connection is not None else ibis.duckdb.connect()
    if not dataset_files(readings_path):
        return ibis.memtable(empty_readings())
    pattern = str(readings_path / "park_id=*" / "month=*" / DATA_FILE)
    table: ir.Table = backend.read_parquet(pattern, table_name=table_name, hive_partitioning=True, hive_types_autocast=False)
    return table


@contextmanager
def lock_dataset(readings_path: Path) -> Iterator[None]:
    """Hold the dataset's writer lock (one writer at a time) and recover interrupted writes.

    Raises
    ------
    ReadingsDatasetError
        If another process holds the lock.
    """
    readings_path.mkdir(parents=True, exist_ok=True)
    handle = (readings_path / LOCK_FILE).open("a+")
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: no advisory lock
            fcntl = None  # type: ignore[assignment]
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                raise ReadingsDatasetError("meters.dataset_locked", path=str(readings_path)) from exc
        recover_interrupted_writes(readings_path)
        yield
    finally:
        handle.close()


def _check_partition_values(values: Iterable[str], key: str) -> None:
    for value in values:
        if value is None or not SAFE_PARTITION_VALUE.match(value):
            raise ReadingsDatasetError("meters.unsafe_partition", partition_key=key, value=str(value))


def _check_columns(rows: pa.Table) -> None:
    missing = [name for name in WRITE_COLUMNS if name not in rows.column_names]
    if missing:
        raise ReadingsDatasetError("meters.write_columns", missing=", ".join(missing))


def write_readings(readings_path: Path, rows: pa.Table, *, already_locked: bool = False) -> tuple[str, ...]:
    """Merge ``rows`` into the dataset atomically.

    Parameters
    ----------
    readings_path : Path
        The dataset folder (created if absent).
    rows : pyarrow.Table
        Columns :data:`WRITE_COLUMNS`; at most one row per ``meter_id`` and ``ts_utc``. A row
        replaces a stored row with the same key; other stored rows are kept.
    already_locked : bool
        True when the caller holds :func:`lock_dataset` already.

    Returns
    -------
    tuple of str
        The partitions written, as ``park_id=.../month=...``.

    Raises
    ------
    ReadingsDatasetError
        On malformed input or a locked dataset; the dataset is then unchanged.
    """
    if rows.num_rows == 0:
        return ()
    _check_columns(rows)
    if already_locked:
        return _write_locked(readings_path, rows.select(list(WRITE_COLUMNS)))
    with lock_dataset(readings_path):
        return _write_locked(readings_path, rows.select(list(WRITE_COLUMNS)))


def _write_locked(readings_path: Path, rows: pa.Table) -> tuple[str, ...]:
    readings_path.mkdir(parents=True, exist_ok=True)
    transaction = readings_path / STAGING_DIR / uuid.uuid4().hex
    staged_root = transaction / "new"
    try:
        partitions = _stage_partitions(readings_path, rows, staged_root)
        _install(readings_path, transaction, partitions)
    finally:
        shutil.rmtree(transaction, ignore_errors=True)
    return tuple(f"park_id={park}/month={month}" for park, month in partitions)


def _dictionary_column(column: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """Return a text column as one dictionary array (unified dictionary)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.unify_dictionaries().combine_chunks() if pa.types.is_dictionary(column.type) else column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    return column


def _ranks(column: pa.ChunkedArray | pa.Array) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Return each row's rank of its text in lexical order (equal texts, equal ranks)."""
    encoded = _dictionary_column(column)
    order = np.argsort(np.asarray(encoded.dictionary.to_pylist(), dtype=object), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    return np.asarray(rank[indices], dtype=np.int64) if len(rank) else np.zeros(len(indices), dtype=np.int64)


def _as_stored(rows: pa.Table) -> pa.Table:
    """Return ``rows`` with the stored columns and types (text columns dictionary-encoded)."""
    columns = []
    for field in STORED_SCHEMA:
        column = rows.column(field.name)
        columns.append(_dictionary_column(column) if field.type == DICTIONARY_STRING else column.cast(field.type))
    return pa.table(columns, schema=STORED_SCHEMA)


def _sort_by_meter_and_time(table: pa.Table) -> pa.Table:
    table = table.unify_dictionaries()
    order = np.lexsort((table.column("ts_utc").cast(pa.int64()).to_numpy(), _ranks(table.column("meter_id"))))
    return table.take(pa.array(order))


def _partitions(rows: pa.Table) -> list[tuple[str, str, pa.Table]]:
    """Split rows by park and UTC month, each part sorted by meter and time."""
    ts = rows.column("ts_utc")
    year_month = pc.add(pc.multiply(pc.cast(pc.year(ts), pa.int32()), 100), pc.cast(pc.month(ts), pa.int32())).to_numpy()
    parks, meters = _ranks(rows.column("park_id")), _ranks(rows.column("meter_id"))
    times = ts.cast(pa.int64()).to_numpy()
    order = np.lexsort((times, meters, year_month, parks))
    parks, meters, times, year_month = parks[order], meters[order], times[order], year_month[order]
    repeated = (meters[1:] == meters[:-1]) & (times[1:] == times[:-1])
    if repeated.any():
        raise ReadingsDatasetError("meters.write_duplicate_keys", count=int(repeated.sum()))
    stored = _as_stored(rows).take(pa.array(order))
    park_ids = _dictionary_column(rows.column("park_id")).take(pa.array(order))
    starts = np.flatnonzero(np.r_[True, (parks[1:] != parks[:-1]) | (year_month[1:] != year_month[:-1])])
    ends = np.r_[starts[1:], len(parks)]
    parts = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        month = int(year_month[start])
        parts.append((str(park_ids[start].as_py()), f"{month // 100:04d}-{month % 100:02d}", stored.slice(start, end - start)))
    return parts


def _stage_partitions(readings_path: Path, rows: pa.Table, staged_root: Path) -> list[tuple[str, str]]:
    """Write each touched partition, merged with its stored rows, under ``staged_root``; return them."""
    parts = _partitions(rows)
    _check_partition_values((park for park, _, _ in parts), "park_id")
    for park, month, new in parts:
        merged = new
        existing = partition_path(readings_path, park, month) / DATA_FILE
        if existing.exists():
            kept = pq.read_table(existing, schema=STORED_SCHEMA).join(
                new.select(["meter_id", "ts_utc"]), keys=["meter_id", "ts_utc"], join_type="left anti"
            )
            merged = _sort_by_meter_and_time(pa.concat_tables([kept.select(STORED_SCHEMA.names).cast(STORED_SCHEMA), new]))
        folder = partition_path(staged_root, park, month)
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(merged, folder / DATA_FILE)
    return [(park, month) for park, month, _ in parts]


def _install_file(staged: Path, final: Path) -> None:
    """Move one staged partition file into place (atomic on one file system)."""
    staged.replace(final)


def _backup(final: Path, backup: Path) -> None:
    backup.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(final, backup)
    except OSError:
        shutil.copy2(final, backup)


def _write_journal(transaction: Path, state: str, entries: list[dict[str, Any]]) -> None:
    temporary = transaction / (JOURNAL_FILE + ".tmp")
    temporary.write_text(json.dumps({"state": state, "partitions": entries}), encoding="utf-8")
    temporary.replace(transaction / JOURNAL_FILE)


def _install(readings_path: Path, transaction: Path, partitions: list[tuple[str, str]]) -> None:
    entries: list[dict[str, Any]] = [
        {"park_id": park, "month": month, "existed": (partition_path(readings_path, park, month) / DATA_FILE).exists()}
        for park, month in partitions
    ]
    _write_journal(transaction, "swapping", entries)
    attempted: list[dict[str, Any]] = []
    try:
        for entry in entries:
            relative = partition_path(Path(), entry["park_id"], entry["month"]) / DATA_FILE
            final = readings_path / relative
            attempted.append(entry)
            if entry["existed"]:
                _backup(final, transaction / "backup" / relative)
            final.parent.mkdir(parents=True, exist_ok=True)
            _install_file(transaction / "new" / relative, final)
    except BaseException:
        _roll_back(readings_path, transaction, attempted)
        raise
    _write_journal(transaction, "committed", entries)


def _roll_back(readings_path: Path, transaction: Path, entries: list[dict[str, Any]]) -> None:
    for entry in reversed(entries):
        relative = partition_path(Path(), entry["park_id"], entry["month"]) / DATA_FILE
        final = readings_path / relative
        backup = transaction / "backup" / relative
        if entry["existed"]:
            if backup.exists():
                backup.replace(final)
        else:
            final.unlink(missing_ok=True)
            for folder in (final.parent, final.parent.parent):
                if folder.exists() and not any(folder.iterdir()):
                    folder.rmdir()


def recover_interrupted_writes(readings_path: Path) -> int:
    """Roll back writes that a crash interrupted while swapping; return how many.

    Staging folders of writes that never started swapping, or that committed, are removed.
    """
    staging = readings_path / STAGING_DIR
    if not staging.is_dir():
        return 0
    recovered = 0
    for transaction in sorted(p for p in staging.iterdir() if p.is_dir()):
        journal = transaction / JOURNAL_FILE
        if journal.exists():
            data = json.loads(journal.read_text(encoding="utf-8"))
            if data.get("state") == "swapping":
                _roll_back(readings_path, transaction, list(data.get("partitions", [])))
                recovered += 1
        shutil.rmtree(transaction, ignore_errors=True)
    return recovered
