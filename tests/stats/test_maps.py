from __future__ import annotations

import re
from pathlib import Path

import matplotlib.image
import pytest

from ecozone.provinces import ATTRIBUTION, boundaries, provinces
from ecozone.stats.maps import choropleth_html, choropleth_png, value_range
from ecozone.stats.number_format import format_number

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_png_is_written_and_valid(tmp_path: Path) -> None:
    values = {code: float(index) for index, code in enumerate(provinces("2025"))}
    del values["01"]  # drawn as no data
    path = choropleth_png(values, "2025", tmp_path / "parks.png", "Số KCN theo tỉnh/thành", "vi", legend_label="Số KCN")
    assert path.read_bytes()[:8] == PNG_MAGIC
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (800, 640)
    assert image[..., :3].std() > 0.05  # not a blank page


@pytest.mark.parametrize("layout", ["2025", "2008"])
def test_html_has_one_path_per_feature_and_loads_nothing(tmp_path: Path, layout: str) -> None:
    values = dict.fromkeys(provinces(layout), 2.0)
    path = choropleth_html(values, layout, tmp_path / "map.html", "Parks / Số KCN", "en", legend_label="Parks")
    page = path.read_text(encoding="utf-8")
    features = boundaries(layout)["features"]
    assert page.count("<path") == len(features)
    assert len(features) == (34 if layout == "2025" else 64)
    without_namespace = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in without_namespace
    assert "https://" not in without_namespace
    for loader in ("<script", "<link", "<img", "src=", "@import", "url("):
        assert loader not in page
    assert ATTRIBUTION in page.replace("&#x27;", "'")


def test_html_hover_titles_legend_and_vietnamese_numbers(tmp_path: Path) -> None:
    values = {"79": 1234.5, "01": 0.0}
    page = choropleth_html(values, "2025", tmp_path / "m.html", "Đất công nghiệp", "vi", legend_label="Đất CN (ha)").read_text(
        encoding="utf-8"
    )
    assert '<html lang="vi">' in page
    assert "<title>Thành phố Hồ Chí Minh (79) — Đất CN (ha): 1.234,5</title>" in page
    assert "<title>Thành phố Hà Nội (01) — Đất CN (ha): 0,0</title>" in page
    assert "Không có số liệu" in page  # the 32 other units have no data
    fills = dict(re.findall(r'data-code="(\d+)" fill="(#[0-9a-f]{6})"', page))
    assert fills["79"] != fills["01"]
    assert fills["48"] == "#d9d9d9"


def test_value_range() -> None:
    assert value_range({"a": 3.0, "b": 7.0}) == (0.0, 7.0)
    assert value_range({}) == (0.0, 1.0)
    assert value_range({"a": 0.0}) == (0.0, 1.0)
    assert value_range({"a": -2.0, "b": float("nan")}) == (-2.0, 0.0)


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (89200, "en", 0, "89,200"),
        (89200, "vi", 0, "89.200"),
        (57.7, "vi", 1, "57,7"),
        (1234.56, "en", 1, "1,234.6"),
        (None, "en", 0, "–"),
    ],
)
def test_format_number(value: float | None, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang, decimals) == expected
