"""Reading readings files (CSV, XLSX, Parquet) into one normalised Arrow table.

Columns (English or Vietnamese names, any case, with or without accents):

=========== ================ ======== =====================================================
column      Vietnamese       required meaning
=========== ================ ======== =====================================================
meter_id    ma_dong_ho       yes      meter identifier in the registry
timestamp   thoi_gian        yes      interval start or register reading time
value       gia_tri          yes      interval quantity or register reading
unit        don_vi           no       unit of ``value``; the meter's unit when absent or empty
timezone    mui_gio          no       time zone of the row (else the import's time zone)
estimated   uoc_tinh         no       1 / true / yes / có / E marks an estimated reading
=========== ================ ======== =====================================================

Other columns are ignored (and listed in the import report). Row numbers are the ones a
user sees: the line of a CSV file or the spreadsheet row (header = row 1), the 1-based row
index of a Parquet file.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ecozone.errors import FileFormatError
from ecozone.meters.errors import ReadingsFileError
from ecozone.meters.timestamps import DEFAULT_TIMEZONE, to_naive_utc
from ecozone.registry.files import decode_text
from ecozone.registry.schema import fold

READINGS_FILE_FORMATS = (".csv", ".xlsx", ".parquet")
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "meter_id": ("meter_id", "ma_dong_ho", "meter"),
    "timestamp": ("timestamp", "thoi_gian", "time", "datetime", "ts", "ngay_gio"),
    "value": ("value", "gia_tri", "reading", "chi_so"),
    "unit": ("unit", "don_vi"),
    "timezone": ("timezone", "mui_gio", "time_zone", "tz"),
    "estimated": ("estimated", "uoc_tinh", "is_estimated"),
}
REQUIRED_COLUMNS = ("meter_id", "timestamp", "value")
TRUE_WORDS = frozenset({"1", "true", "t", "yes", "y", "x", "e", "est", "estimated", "co", "uoc tinh", "uoc_tinh"})
NUMBER_PATTERN = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"

NORMALISED_SCHEMA = pa.schema(
    [
        ("row", pa.int64()),
        ("meter_id", pa.string()),
        ("ts_utc", pa.timestamp("us")),
        ("value", pa.float64()),
        ("value_text", pa.string()),
        ("unit", pa.string()),
        ("estimated", pa.bool_()),
    ]
)
"""Columns of :attr:`ReadingsFile.rows`; ``value_text`` keeps a value that is not a number."""


@dataclass(frozen=True)
class ReadingsFile:
    """One readings file, read and normalised.

    Attributes
    ----------
    name : str
        File name shown in reports.
    sha256 : str
        Hash of the file's bytes (stored with each reading as ``source_hash``).
    rows : pyarrow.Table
        Columns of :data:`NORMALISED_SCHEMA`, timestamps in naive UTC.
    ignored_columns : tuple of str
        Columns present in the file but not used.
    """

    name: str
    sha256: str
    rows: pa.Table
    ignored_columns: tuple[str, ...] = ()


def _canonical_columns(header: list[str], file_name: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """Map canonical names to the file's column names; return also the ignored columns."""
    lookup = {alias: canonical for canonical, aliases in COLUMN_NAMES.items() for alias in aliases}
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for column in header:
        canonical = lookup.get(fold(str(column)).replace(" ", "_").replace("-", "_"))
        if canonical is None:
            ignored.append(str(column))
        elif canonical in chosen:
            raise ReadingsFileError(
                "meters.column_twice", file=file_name, column=canonical, first=chosen[canonical], second=column
            )
        else:
            chosen[canonical] = column
    missing = [name for name in REQUIRED_COLUMNS if name not in chosen]
    if missing:
        raise ReadingsFileError(
            "meters.column_missing",
            file=file_name,
            columns=", ".join(f"{m} ({COLUMN_NAMES[m][1]})" for m in missing),
            found=", ".join(map(str, header)),
        )
    return chosen, tuple(ignored)


def _read_csv(data: bytes, file_name: str, encoding: str | None) -> tuple[pa.Table, int]:
    """Read CSV bytes with every column as text; return the table and the first data row number."""
    if encoding or not _is_utf8(data):
        data = decode_text(data, file_name, encoding).encode("utf-8")
    header_line = data.split(b"\n", 1)[0]
    delimiter = max(",;\t", key=header_line.decode("utf-8", errors="replace").count)
    names = pa_csv.read_csv(io.BytesIO(header_line + b"\n"), parse_options=pa_csv.ParseOptions(delimiter=delimiter)).column_names
    try:
        table = pa_csv.read_csv(
            io.BytesIO(data),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=True),
        )
    except pa.ArrowInvalid as exc:
        raise ReadingsFileError("meters.csv_malformed", file=file_name, detail=str(exc)) from exc
    return table, 2


def _is_utf8(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:1000]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_xlsx(path: Path) -> tuple[pa.Table, int]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    header_index = next((i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)), None)
    if header_index is None:
        raise FileFormatError("file.empty", file=path.name)
    header = [str(v).strip() if v is not None else f"column_{i + 1}" for i, v in enumerate(rows[header_index])]
    columns: list[list[Any]] = [[] for _ in header]
    for row in rows[header_index + 1 :]:
        for i in range(len(header)):
            columns[i].append(row[i] if i < len(row) else None)
    arrays = [_xlsx_array(values) for values in columns]
    return pa.table(dict(zip(header, arrays, strict=True))), header_index + 2


def _xlsx_array(values: list[Any]) -> pa.Array:
    """Return an Arrow array of one spreadsheet column: typed when uniform, else text."""
    present = [v for v in values if v is not None and v != ""]
    cleaned = [None if v == "" else v for v in values]
    if present and all(isinstance(v, bool) for v in present):
        return pa.array(cleaned, pa.bool_())
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.array(cleaned, pa.float64())
    from datetime import date, datetime

    if present and all(isinstance(v, datetime) for v in present):
        return pa.array(cleaned, pa.timestamp("us"))
    texts: list[str | None] = []
    for value in cleaned:
        if isinstance(value, datetime):
            texts.append(value.isoformat(sep=" "))
        elif isinstance(value, date):
            texts.append(value.isoformat())
        else:
            texts.append(None if value is None else str(value))
    return pa.array(texts, pa.string())


def _blank_rows(table: pa.Table) -> pa.Array:
    """Return a mask of rows whose every cell is empty."""
    blank = pa.array([True] * table.num_rows)
    for column in table.columns:
        values = column.combine_chunks()
        empty = pc.is_null(values)
        if pa.types.is_string(values.type):
            empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(values), ""))
        blank = pc.and_(blank, pc.fill_null(empty, True))
    return blank


def _text(values: pa.Array) -> pa.Array:
    """Return ``values`` as stripped text with empty cells null."""
    text = pc.utf8_trim_whitespace(pc.cast(values, pa.string()))
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def _numbers(values: pa.Array, decimal_comma: bool) -> tuple[pa.Array, pa.Array]:
    """Return (float64 values, text of cells that are not numbers)."""
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type) or pa.types.is_decimal(values.type):
        return pc.cast(values, pa.float64()), pa.nulls(len(values), pa.string())
    text = _text(values)
    cleaned = pc.replace_substring(text, " ", "")
    if decimal_comma:
        cleaned = pc.replace_substring(pc.replace_substring(cleaned, ".", ""), ",", ".")
    numeric = pc.fill_null(pc.match_substring_regex(cleaned, NUMBER_PATTERN), False)
    numbers = pc.cast(pc.if_else(numeric, cleaned, pa.scalar(None, pa.string())), pa.float64())
    bad = pc.if_else(pc.and_(pc.invert(numeric), pc.is_valid(text)), text, pa.scalar(None, pa.string()))
    return numbers, bad


def _flags(values: pa.Array) -> pa.Array:
    """Return ``values`` read as yes/no (null and unknown words: no)."""
    if pa.types.is_boolean(values.type):
        return pc.fill_null(values, False)
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        return pc.fill_null(pc.not_equal(values, 0), False)
    words = pc.utf8_lower(_text(values))
    folded = pa.array([None if w is None else fold(w) for w in pc.unique(words).to_pylist()], pa.string())
    truthy = pa.array([w in TRUE_WORDS for w in folded.to_pylist()], pa.bool_())
    index = pc.index_in(words, value_set=pc.unique(words))
    return pc.fill_null(pc.take(truthy, index), False)


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes (hex)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_readings_file(
    path: Path,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    decimal_comma: bool = False,
    encoding: str | None = None,
) -> ReadingsFile:
    """Read a CSV, XLSX or Parquet readings file.

    Parameters
    ----------
    path : Path
        The file; its extension chooses the format.
    timezone : str
        Zone of timestamps written without an offset and without a ``timezone`` column
        (``Asia/Ho_Chi_Minh``, ``UTC``, any IANA zone or ``+07:00``).
    decimal_comma : bool
        Read text numbers the Vietnamese way (``1.234,5``).
    encoding : str, optional
        Force the CSV text encoding (else UTF-8, UTF-16 or Windows-1258 is detected).

    Returns
    -------
    ReadingsFile
        Normalised rows (see :data:`NORMALISED_SCHEMA`); values that are not numbers keep
        their text in ``value_text`` and are quarantined by the import.

    Raises
    ------
    FileFormatError
        Missing file, unknown extension, empty file.
    ReadingsFileError
        Missing column, timestamps missing, unreadable, of two formats or in an unknown zone.
    """
    path = Path(path)
    if not path.is_file():
        raise FileFormatError("file.not_found", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw, first_row = _read_csv(path.read_bytes(), path.name, encoding)
    elif suffix == ".xlsx":
        raw, first_row = _read_xlsx(path)
    elif suffix == ".parquet":
        raw, first_row = pq.read_table(path), 1
    else:
        raise FileFormatError("file.unknown_format", file=path.name, suffix=suffix, known=", ".join(READINGS_FILE_FORMATS))
    columns, ignored = _canonical_columns(raw.column_names, path.name)
    raw = raw.append_column("__row", pa.array(range(first_row, first_row + raw.num_rows), pa.int64()))
    raw = raw.filter(pc.invert(_blank_rows(raw.select([columns[c] for c in columns]))))
    if raw.num_rows == 0:
        raise FileFormatError("file.empty", file=path.name)
    return ReadingsFile(path.name, file_sha256(path), normalise_rows(raw, columns, path.name, timezone, decimal_comma), ignored)


def normalise_rows(raw: pa.Table, columns: dict[str, str], file_name: str, timezone: str, decimal_comma: bool) -> pa.Table:
    """Return the rows of a raw file table in :data:`NORMALISED_SCHEMA`.

    Parameters
    ----------
    raw : pyarrow.Table
        The file's columns plus ``__row`` (row numbers).
    columns : dict
        Canonical name to the file's column name.
    file_name, timezone, decimal_comma
        See :func:`read_readings_file`.
    """

    def column(name: str) -> pa.Array | None:
        if name not in columns:
            return None
        return raw.column(columns[name]).combine_chunks()

    rows = raw.column("__row").combine_chunks()
    zones = column("timezone")
    ts_utc = to_naive_utc(column("timestamp"), rows, timezone, None if zones is None else _text(zones), file_name)
    values, bad_values = _numbers(column("value"), decimal_comma)
    unit = column("unit")
    estimated = column("estimated")
    return pa.table(
        {
            "row": rows,
            "meter_id": _text(column("meter_id")),
            "ts_utc": ts_utc,
            "value": values,
            "value_text": bad_values,
            "unit": pa.nulls(raw.num_rows, pa.string()) if unit is None else _text(unit),
            "estimated": pa.array([False] * raw.num_rows) if estimated is None else _flags(estimated),
        },
        schema=NORMALISED_SCHEMA,
    )
