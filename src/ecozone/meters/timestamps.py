"""Timestamps of readings files: formats, time zones and conversion to naive UTC.

A timestamp column must use one format throughout. Accepted formats (day before month, as
written in Viet Nam):

========== =========================================== =========================
family     example                                     note
========== =========================================== =========================
iso        ``2024-01-31 07:15`` or ``2024-01-31``       seconds optional
iso_offset ``2024-01-31T07:15:00+07:00`` or ``...Z``   the offset wins over the time zone
dmy_slash  ``31/01/2024 07:15``                         day/month/year
dmy_dash   ``31-01-2024 07:15``
dmy_dot    ``31.01.2024 07:15``
ymd_slash  ``2024/01/31 07:15``
========== =========================================== =========================

Timestamps without an offset are local times of the file's time zone
(``Asia/Ho_Chi_Minh`` by default, or ``UTC``, any IANA zone or a fixed offset like
``+07:00``). Everything is stored as naive UTC (``timestamp[us]``).
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from ecozone.meters.errors import ReadingsFileError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
TIMESTAMP_TYPE = pa.timestamp("us")
ROWS_SHOWN = 8

_TIME = r"(?:[ T](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.(?P<f>\d{1,6}))?)?)?"
_OFFSET = r"\s?(?P<off>Z|z|[+-]\d{2}(?::?\d{2})?)"


@dataclass(frozen=True)
class TimestampFormat:
    """One accepted family of timestamp spellings.

    Attributes
    ----------
    name : str
        Family name used in messages.
    pattern : str
        Regular expression with named groups ``y, mo, d, h, mi, s, f`` and optionally ``off``.
    example : str
        An example shown to users.
    """

    name: str
    pattern: str
    example: str


TIMESTAMP_FORMATS = (
    TimestampFormat("iso", rf"^(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}$", "2024-01-31 07:15"),
    TimestampFormat(
        "iso_offset", rf"^(?P<y>\d{{4}})-(?P<mo>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}{_OFFSET}$", "2024-01-31T07:15+07:00"
    ),
    TimestampFormat("dmy_slash", rf"^(?P<d>\d{{1,2}})/(?P<mo>\d{{1,2}})/(?P<y>\d{{4}}){_TIME}$", "31/01/2024 07:15"),
    TimestampFormat("dmy_dash", rf"^(?P<d>\d{{1,2}})-(?P<mo>\d{{1,2}})-(?P<y>\d{{4}}){_TIME}$", "31-01-2024 07:15"),
    TimestampFormat("dmy_dot", rf"^(?P<d>\d{{1,2}})\.(?P<mo>\d{{1,2}})\.(?P<y>\d{{4}}){_TIME}$", "31.01.2024 07:15"),
    TimestampFormat("ymd_slash", rf"^(?P<y>\d{{4}})/(?P<mo>\d{{1,2}})/(?P<d>\d{{1,2}}){_TIME}$", "2024/01/31 07:15"),
)
_OFFSET_TEXT = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def _rows_text(rows: pa.Array, mask: pa.Array) -> str:
    chosen = rows.filter(mask).to_pylist()
    shown = ", ".join(str(r) for r in chosen[:ROWS_SHOWN])
    return shown + (f" (+{len(chosen) - ROWS_SHOWN})" if len(chosen) > ROWS_SHOWN else "")


def normalise_timezone(name: str) -> str:
    """Return ``name`` as a zone Arrow understands (IANA name or ``+HH:MM``).

    Raises
    ------
    ReadingsFileError
        If ``name`` is neither an IANA zone, ``UTC`` nor an offset like ``+07:00`` or ``UTC+7``.
    """
    text = name.strip()
    if text.upper() in ("UTC", "Z", "GMT"):
        return "UTC"
    match = _OFFSET_TEXT.match(text)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        return f"{sign}{hours:02d}:{minutes:02d}"
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ReadingsFileError("meters.timezone_unknown", timezone=name) from exc
    return text


def _components(strings: pa.Array, family: TimestampFormat) -> tuple[pa.Array, pa.Array, pa.Array | None]:
    """Return (naive ISO text, fraction digits, offset text or None) for one family."""
    parts = pc.extract_regex(strings, family.pattern)
    field = {parts.type.field(i).name: parts.field(i) for i in range(parts.type.num_fields)}

    def padded(name: str, default: str) -> pa.Array:
        column = field[name]
        return pc.if_else(pc.equal(column, ""), default, pc.utf8_lpad(column, width=2, padding="0"))

    text = pc.binary_join_element_wise(field["y"], padded("mo", "01"), padded("d", "01"), "-")
    clock = pc.binary_join_element_wise(padded("h", "00"), padded("mi", "00"), padded("s", "00"), ":")
    text = pc.binary_join_element_wise(text, clock, " ")
    return text, field["f"], field.get("off")


def _offset_minutes(offsets: pa.Array) -> pa.Array:
    """Return each offset (``Z``, ``+07``, ``+0700``, ``+07:00``) in signed minutes."""
    cleaned = pc.replace_substring(pc.utf8_upper(offsets), ":", "")
    cleaned = pc.if_else(pc.equal(cleaned, "Z"), "+0000", cleaned)
    cleaned = pc.utf8_rpad(cleaned, width=5, padding="0")
    sign = pc.if_else(pc.starts_with(cleaned, "-"), -1, 1)
    hours = pc.cast(pc.utf8_slice_codeunits(cleaned, 1, 3), pa.int64())
    minutes = pc.cast(pc.utf8_slice_codeunits(cleaned, 3, 5), pa.int64())
    return pc.multiply(sign, pc.add(pc.multiply(hours, 60), minutes))


def _parse_family(strings: pa.Array, rows: pa.Array, family: TimestampFormat, file_name: str) -> pa.Array:
    text, fraction, offsets = _components(strings, family)
    try:
        parsed = pc.cast(text, TIMESTAMP_TYPE)  # validates the calendar: 30 February fails
    except pa.ArrowInvalid:
        guess = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="us", error_is_null=True)
        round_trip = pc.equal(pc.strftime(pc.cast(guess, pa.timestamp("s")), format="%Y-%m-%d %H:%M:%S"), text)
        invalid = pc.invert(pc.fill_null(round_trip, False))
        raise ReadingsFileError(
            "meters.timestamp_invalid", file=file_name, rows=_rows_text(rows, invalid), example=strings.filter(invalid)[0].as_py()
        ) from None
    values = pc.cast(parsed, pa.int64())
    if pc.any(pc.not_equal(fraction, "")).as_py():
        micros = pc.cast(pc.utf8_rpad(pc.if_else(pc.equal(fraction, ""), "0", fraction), width=6, padding="0"), pa.int64())
        values = pc.add(values, micros)
    if offsets is not None:
        values = pc.subtract(values, pc.multiply(_offset_minutes(offsets), 60_000_000))
    return pc.cast(values, TIMESTAMP_TYPE)


def parse_timestamp_text(strings: pa.Array, rows: pa.Array, file_name: str) -> tuple[pa.Array, bool]:
    """Parse a column of timestamp texts that must all share one format.

    Parameters
    ----------
    strings : pyarrow.Array
        Timestamp texts (already stripped, no nulls).
    rows : pyarrow.Array
        Row numbers shown in errors.
    file_name : str
        File named in errors.

    Returns
    -------
    (pyarrow.Array, bool)
        Naive timestamps ``timestamp[us]`` and whether they were written with an offset
        (then they are UTC already; otherwise local times).

    Raises
    ------
    ReadingsFileError
        If some rows match no format, if two formats are mixed, or a date does not exist.
    """
    try:
        return pc.cast(strings, TIMESTAMP_TYPE), False
    except pa.ArrowInvalid:
        pass
    first = next((f for f in TIMESTAMP_FORMATS if re.match(f.pattern, str(strings[0].as_py()))), None)
    if first is not None and pc.all(pc.match_substring_regex(strings, first.pattern)).as_py():
        return _parse_family(strings, rows, first, file_name), first.name == "iso_offset"
    matches = [pc.match_substring_regex(strings, f.pattern) for f in TIMESTAMP_FORMATS]
    used = [(f, m) for f, m in zip(TIMESTAMP_FORMATS, matches, strict=True) if pc.any(m).as_py()]
    unmatched = pc.invert(_any_of([m for _, m in used], len(strings)))
    if pc.any(unmatched).as_py():
        raise ReadingsFileError(
            "meters.timestamp_unparseable",
            file=file_name,
            rows=_rows_text(rows, unmatched),
            example=strings.filter(unmatched)[0].as_py(),
            formats=", ".join(f.example for f in TIMESTAMP_FORMATS),
        )
    if len(used) > 1:
        described = "; ".join(f"{f.example!r}: {pc.sum(m).as_py()} (rows {_rows_text(rows, m)})" for f, m in used)
        raise ReadingsFileError("meters.timestamp_mixed", file=file_name, formats=described)
    family = used[0][0]
    return _parse_family(strings, rows, family, file_name), family.name == "iso_offset"


def _any_of(masks: list[pa.Array], length: int) -> pa.Array:
    result = pa.array([False] * length) if not masks else masks[0]
    for mask in masks[1:]:
        result = pc.or_(result, mask)
    return result


def localise(timestamps: pa.Array, timezone: str, zones: pa.Array | None, rows: pa.Array, file_name: str) -> pa.Array:
    """Convert naive local ``timestamps`` to naive UTC.

    Parameters
    ----------
    timestamps : pyarrow.Array
        Naive local times, ``timestamp[us]``.
    timezone : str
        Zone of rows without their own (IANA name, ``UTC`` or ``+HH:MM``).
    zones : pyarrow.Array, optional
        Per-row zone names (null: use ``timezone``).
    rows, file_name
        Shown in errors.
    """
    default = normalise_timezone(timezone)
    if zones is None or zones.null_count == len(zones):
        return _assume(timestamps, default, rows, file_name)
    zones = pc.fill_null(zones, default)
    result = timestamps
    for name in pc.unique(zones).to_pylist():
        mask = pc.equal(zones, name)
        converted = _assume(timestamps, normalise_timezone(str(name)), rows, file_name, mask)
        result = pc.if_else(mask, converted, result)
    return result


def _assume(timestamps: pa.Array, zone: str, rows: pa.Array, file_name: str, mask: pa.Array | None = None) -> pa.Array:
    if zone in ("UTC", "+00:00"):
        return timestamps
    subject = timestamps if mask is None else pc.if_else(mask, timestamps, pa.scalar(None, TIMESTAMP_TYPE))
    try:
        aware = pc.assume_timezone(subject, timezone=zone)
    except pa.ArrowInvalid as exc:
        raise ReadingsFileError("meters.timezone_ambiguous", file=file_name, timezone=zone, detail=str(exc)) from exc
    return pc.cast(aware, TIMESTAMP_TYPE)


def to_naive_utc(column: pa.Array, rows: pa.Array, timezone: str, zones: pa.Array | None, file_name: str) -> pa.Array:
    """Return a timestamp column of any type as naive UTC ``timestamp[us]``.

    Handles text (see the module's formats), dates, naive timestamps (local times of the
    zone) and zone-aware timestamps (converted).

    Raises
    ------
    ReadingsFileError
        If a timestamp is missing or cannot be read.
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    kind = column.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        column = pc.utf8_trim_whitespace(column)
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
    missing = pc.is_null(column)
    if pc.any(missing).as_py():
        raise ReadingsFileError("meters.timestamp_missing", file=file_name, rows=_rows_text(rows, missing))
    if pa.types.is_timestamp(kind):
        if kind.tz is not None:
            return pc.cast(pc.cast(column, pa.timestamp("us", tz="UTC")), TIMESTAMP_TYPE)
        return localise(pc.cast(column, TIMESTAMP_TYPE), timezone, zones, rows, file_name)
    if pa.types.is_date(kind):
        return localise(pc.cast(column, TIMESTAMP_TYPE), timezone, zones, rows, file_name)
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        raise ReadingsFileError(
            "meters.timestamp_unparseable",
            file=file_name,
            rows=_rows_text(rows, pc.is_valid(column)),
            example=str(column[0].as_py()),
            formats=", ".join(f.example for f in TIMESTAMP_FORMATS),
        )
    parsed, has_offset = parse_timestamp_text(column, rows, file_name)
    return parsed if has_offset else localise(parsed, timezone, zones, rows, file_name)
