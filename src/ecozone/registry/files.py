"""Reading and writing registry tables as CSV, XLSX and GeoJSON files.

Reading detects the text encoding Vietnamese users produce (UTF-8 with or without BOM,
UTF-16 from Excel's "Unicode text", Windows-1258) and the delimiter; it keeps every
value as read so that validation can report the exact cell.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ecozone.errors import FileFormatError

TABLE_FORMATS = (".csv", ".xlsx", ".geojson", ".json")
ENCODINGS_TRIED = ("utf-8", "utf-16", "cp1258")


@dataclass(frozen=True)
class RawTable:
    """Rows of one file as read, before validation.

    Attributes
    ----------
    file_name : str
        Name shown in problem reports.
    columns : tuple of str
        Header as written in the file.
    rows : tuple of dict
        One mapping per data row from header to raw value (text, number, date or None).
    row_numbers : tuple of int
        Each row's number as the user sees it (spreadsheet row, CSV line, feature index).
    sha256 : str
        Hash of the file's bytes (provenance).
    """

    file_name: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    row_numbers: tuple[int, ...]
    sha256: str = ""

    @classmethod
    def from_records(cls, file_name: str, records: Sequence[dict[str, Any]]) -> RawTable:
        """Build a table from dictionaries (generated data, API payloads)."""
        columns: dict[str, None] = {}
        for record in records:
            columns.update(dict.fromkeys(record))
        digest = hashlib.sha256(json.dumps(records, default=str, sort_keys=True).encode()).hexdigest()
        return cls(file_name, tuple(columns), tuple(records), tuple(range(1, len(records) + 1)), digest)


def decode_text(data: bytes, file_name: str, encoding: str | None = None) -> str:
    """Decode a text file's bytes, detecting the encoding unless one is given.

    Order: a byte-order mark (UTF-8, UTF-16), strict UTF-8, UTF-16 without BOM (NUL
    bytes), then Windows-1258. Text is NFC-normalised, as Windows-1258 stores tones as
    combining marks.

    Raises
    ------
    FileFormatError
        If no candidate decodes the bytes.
    """
    if encoding:
        try:
            return unicodedata.normalize("NFC", data.decode(encoding))
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileFormatError("file.encoding", file=file_name) from exc
    if data.startswith(b"\xef\xbb\xbf"):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    elif b"\x00" in data[:1000]:
        candidates = ("utf-16-le", "utf-16-be")
    else:
        candidates = ("utf-8", "cp1258")
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return unicodedata.normalize("NFC", text)
    raise FileFormatError("file.encoding", file=file_name)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value or None
    return value


def _read_csv(data: bytes, name: str, encoding: str | None) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    text = decode_text(data, name, encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise FileFormatError("file.empty", file=name)
    header = [unicodedata.normalize("NFC", h).strip() for h in rows[0]]
    records, numbers = [], []
    for line_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        padded = row + [""] * (len(header) - len(row))
        record = {header[i]: _clean(padded[i]) for i in range(len(header))}
        if len(row) > len(header):
            record["__extra__"] = row[len(header) :]
        records.append(record)
        numbers.append(line_number)
    return header, records, numbers


def _read_xlsx(path: Path, entity: str) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = next((ws for ws in workbook.worksheets if ws.title.casefold() in (entity, entity + "s")), workbook.worksheets[0])
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        workbook.close()
    header_index = next((i for i, row in enumerate(rows) if any(v not in (None, "") for v in row)), None)
    if header_index is None:
        raise FileFormatError("file.empty", file=path.name)
    header = [str(v).strip() if v is not None else "" for v in rows[header_index]]
    while header and header[-1] == "":
        header.pop()
    records, numbers = [], []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = list(row[: len(header)]) + [None] * (len(header) - len(row))
        if all(_clean(v) is None for v in values):
            continue
        records.append({header[i]: _clean(values[i]) for i in range(len(header))})
        numbers.append(offset)
    return header, records, numbers


def _read_geojson(data: bytes, name: str) -> tuple[list[str], list[dict[str, Any]], list[int]]:
    try:
        collection = json.loads(decode_text(data, name))
        features = collection["features"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise FileFormatError("file.bad_geojson", file=name, detail=str(exc)) from exc
    header: dict[str, None] = {}
    records, numbers = [], []
    for number, feature in enumerate(features, start=1):
        record = {k: _clean(v) for k, v in (feature.get("properties") or {}).items()}
        geometry = feature.get("geometry")
        if geometry and geometry.get("type") == "Point":
            longitude, latitude = geometry["coordinates"][:2]
            record.setdefault("longitude", longitude)
            record.setdefault("latitude", latitude)
        elif geometry:
            record["boundary"] = json.dumps(geometry)
        header.update(dict.fromkeys(record))
        records.append(record)
        numbers.append(number)
    return list(header), records, numbers


def read_table(path: Path, entity: str, encoding: str | None = None) -> RawTable:
    """Read a registry table from a CSV, XLSX or GeoJSON (parks only) file.

    Parameters
    ----------
    path : Path
        The file; its extension chooses the format.
    entity : str
        ``park``, ``firm``, ``meter`` or ``certification`` (chooses an XLSX sheet).
    encoding : str, optional
        Force a text encoding for CSV files instead of detecting it.
    """
    if not path.is_file():
        raise FileFormatError("file.not_found", file=str(path))
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".csv":
        header, records, numbers = _read_csv(data, path.name, encoding)
    elif suffix == ".xlsx":
        header, records, numbers = _read_xlsx(path, entity)
    elif suffix in (".geojson", ".json"):
        if entity != "park":
            raise FileFormatError("file.geojson_entity", entity=entity)
        header, records, numbers = _read_geojson(data, path.name)
    else:
        raise FileFormatError("file.unknown_format", file=path.name, suffix=suffix, known=", ".join(TABLE_FORMATS))
    if not records:
        raise FileFormatError("file.empty", file=path.name)
    return RawTable(path.name, tuple(header), tuple(records), tuple(numbers), hashlib.sha256(data).hexdigest())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def write_table(path: Path, entity: str, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """Write rows to CSV (UTF-8 with BOM, for Excel), XLSX or GeoJSON (parks), by extension."""
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows([_text(row.get(c)) for c in columns] for row in rows)
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = entity
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(c) for c in columns])
        workbook.save(path)
    elif suffix in (".geojson", ".json"):
        if entity != "park":
            raise FileFormatError("file.geojson_entity", entity=entity)
        path.write_text(json.dumps(_feature_collection(columns, rows), ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise FileFormatError("file.unknown_format", file=path.name, suffix=suffix, known=", ".join(TABLE_FORMATS))


def _feature_collection(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for row in rows:
        properties = {c: row.get(c) for c in columns if c != "boundary"}
        geometry = json.loads(row["boundary"]) if row.get("boundary") else None
        if geometry is None and row.get("latitude") is not None and row.get("longitude") is not None:
            geometry = {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
            properties.pop("latitude")
            properties.pop("longitude")
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
