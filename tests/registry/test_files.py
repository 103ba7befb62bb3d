"""Reading files: encodings Vietnamese users produce, delimiters, XLSX and GeoJSON."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from ecozone.errors import FileFormatError
from ecozone.registry.files import decode_text, read_table, write_table

TEXT = "ma_kcn,ten_kcn,tinh\np1,KCN Phước Đông,Tây Ninh\np2,KCN Hải Sơn (giai đoạn 1),Long An\n"


def encode_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed where the code page has them, tones combining."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", char)
            # recompose the base with any non-tone mark the code page holds precomposed (â, ê, ô, ă, ơ, ư)
            head = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in "\u0302\u0306\u031b"))
            out += head.encode("cp1258") + "".join(m for m in marks if m not in "\u0302\u0306\u031b").encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize(
    "encoder",
    [
        lambda t: t.encode("utf-8"),
        lambda t: t.encode("utf-8-sig"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),
        encode_cp1258,
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-no-bom", "windows-1258"],
)
def test_encodings_are_detected(tmp_path: Path, encoder: object) -> None:
    path = tmp_path / "parks.csv"
    path.write_bytes(encoder(TEXT))  # type: ignore[operator]
    table = read_table(path, "park")
    assert table.columns == ("ma_kcn", "ten_kcn", "tinh")
    assert [r["ten_kcn"] for r in table.rows] == ["KCN Phước Đông", "KCN Hải Sơn (giai đoạn 1)"]
    assert table.row_numbers == (2, 3)


def test_windows_1258_really_differs_from_utf8() -> None:
    data = encode_cp1258("Phước Đông")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_text(data, "x.csv") == "Phước Đông"


def test_undecodable_bytes_give_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"id,name\n1,\x81\x8a\x8d\n")  # bytes undefined in Windows-1258 and invalid UTF-8
    with pytest.raises(FileFormatError, match="text encoding"):
        read_table(path, "park")


def test_semicolon_delimiter_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id;name_vi\n\np1;A\n;\np2;B\n", encoding="utf-8")
    table = read_table(path, "park")
    assert [r["id"] for r in table.rows] == ["p1", "p2"]
    assert table.row_numbers == (3, 5)


def test_unknown_extension_and_geojson_for_firms(tmp_path: Path) -> None:
    (tmp_path / "p.txt").write_text("x")
    (tmp_path / "f.geojson").write_text("{}")
    with pytest.raises(FileFormatError, match="not supported"):
        read_table(tmp_path / "p.txt", "park")
    with pytest.raises(FileFormatError, match="only for parks"):
        read_table(tmp_path / "f.geojson", "firm")


def test_xlsx_rows_keep_spreadsheet_numbers(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    write_table(path, "park", ["id", "total_area_ha"], [{"id": "p1", "total_area_ha": 12.5}, {"id": "p2", "total_area_ha": None}])
    table = read_table(path, "park")
    assert table.rows == ({"id": "p1", "total_area_ha": 12.5}, {"id": "p2", "total_area_ha": None})
    assert table.row_numbers == (2, 3)


def test_geojson_points_become_coordinates(tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    feature = {"type": "Feature", "properties": {"id": "p1"}, "geometry": {"type": "Point", "coordinates": [106.7, 10.9]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    (row,) = read_table(path, "park").rows
    assert (row["latitude"], row["longitude"]) == (10.9, 106.7)
