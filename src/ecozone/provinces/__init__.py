"""Viet Nam's provincial units: the 63 provinces (2008 layout) and the 34 units of 2025.

The 2025 reform (Resolution 202/2025/QH15) merged whole provinces, so each old province
maps to exactly one new unit; a new unit maps back to the old provinces it absorbed.
Codes are GSO codes. A new unit keeps the code of the old province hosting its centre, so
a code alone is ambiguous between layouts; :func:`resolve_province` interprets a value
that is valid in both layouts as the old province, which always resolves to the same new
unit.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ecozone.errors import NotFoundError
from ecozone.registry.schema import fold

LAYOUTS = ("2008", "2025")
ATTRIBUTION = (
    "Administrative boundaries courtesy of geoBoundaries.org (CC BY 4.0): Runfola D. et al. (2020) "
    "geoBoundaries: A global database of political administrative boundaries. PLoS ONE 15(4): e0231866. "
    "2025 units dissolved from them following Resolution 202/2025/QH15."
)


@dataclass(frozen=True)
class Province:
    """A provincial unit in one layout.

    Attributes
    ----------
    layout : str
        ``"2008"`` (63 provinces) or ``"2025"`` (34 units).
    code : str
        Two-digit GSO code.
    name : str
        Official Vietnamese name.
    name_ascii : str
        Name without diacritics.
    successor_code : str or None
        For a 2008 province, the code of the 2025 unit it merged into.
    """

    layout: str
    code: str
    name: str
    name_ascii: str
    successor_code: str | None = None


@dataclass(frozen=True)
class ProvinceRef:
    """A park's province in both layouts (``old_code`` is None if only the 2025 unit is known)."""

    old_code: str | None
    new_code: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def provinces(layout: str) -> dict[str, Province]:
    """Return the provinces of ``layout`` by GSO code."""
    if layout == "2008":
        return {
            r["old_code"]: Province("2008", r["old_code"], r["old_name"], r["old_name_ascii"], r["new_code"])
            for r in _rows("province_mapping_63_to_34.csv")
        }
    if layout == "2025":
        return {r["code"]: Province("2025", r["code"], r["name"], r["name_ascii"]) for r in _rows("provinces_34_2025.csv")}
    raise NotFoundError("province.unknown_layout", layout=layout, known=", ".join(LAYOUTS))


def _name_key(text: str) -> str:
    """Fold a province name: no accents, punctuation, 'tỉnh'/'thành phố' prefix or 'city' suffix."""
    words = re.sub(r"[-–—.,]", " ", fold(text)).split()
    while words and words[0] in ("tinh", "thanh", "pho", "tp"):
        words = words[1:]
    if words and words[-1] == "city":
        words = words[:-1]
    return "".join(words)


@cache
def _lookup(layout: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, province in provinces(layout).items():
        for name in (province.name, province.name_ascii):
            table[_name_key(name)] = code
        table[code] = code
        table[code.lstrip("0")] = code
    return table


def find_province(text: str, layout: str) -> Province | None:
    """Return the province of ``layout`` whose code or name is ``text``, or None."""
    key = text.strip()
    code = _lookup(layout).get(key) or _lookup(layout).get(_name_key(key))
    return provinces(layout)[code] if code else None


def _exact(text: str, layout: str) -> Province | None:
    key = fold(text)
    for province in provinces(layout).values():
        if key in (fold(province.name), fold(province.name_ascii)):
            return province
    return None


def _reference(province: Province) -> ProvinceRef:
    if province.layout == "2008":
        assert province.successor_code is not None
        return ProvinceRef(province.code, province.successor_code)
    merged = predecessors(province.code)
    return ProvinceRef(merged[0].code if len(merged) == 1 else None, province.code)


def resolve_province(text: str, layout: str | None = None) -> ProvinceRef:
    """Resolve a province code or name into both layouts.

    An exact full name wins (``"Thành phố Cần Thơ"`` is the 2025 unit, ``"Cần Thơ"`` the
    2008 province); otherwise a code or a loose name (no prefix, accents or punctuation)
    is tried in the 2008 layout first, then the 2025 one. A 2025 unit that absorbed no
    other province also gets its 2008 code.

    Parameters
    ----------
    text : str
        GSO code or name, with or without diacritics.
    layout : str, optional
        ``"2008"`` or ``"2025"`` to force one layout.

    Raises
    ------
    NotFoundError
        If no province of the allowed layouts matches.
    """
    layouts = (layout,) if layout else LAYOUTS
    for finder in (_exact, find_province):
        for candidate in layouts:
            province = finder(text, candidate)
            if province is not None:
                return _reference(province)
    raise NotFoundError("province.unknown", value=text)


def predecessors(new_code: str) -> list[Province]:
    """Return the 2008 provinces merged into the 2025 unit ``new_code``."""
    if new_code not in provinces("2025"):
        raise NotFoundError("province.unknown", value=new_code)
    return [p for p in provinces("2008").values() if p.successor_code == new_code]


@cache
def boundaries(layout: str) -> dict[str, Any]:
    """Return the boundaries of ``layout`` as a GeoJSON FeatureCollection.

    Each feature's properties hold ``code`` and ``name``. The 2008 layout has 64 features
    (Côn Đảo is drawn apart but carries Bà Rịa–Vũng Tàu's code).
    """
    if layout not in LAYOUTS:
        raise NotFoundError("province.unknown_layout", layout=layout, known=", ".join(LAYOUTS))
    text = resources.files(__package__).joinpath("data", f"boundaries_{layout}.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def centroids(layout: str) -> dict[str, tuple[float, float]]:
    """Return each province's representative point as ``(latitude, longitude)`` [degree]."""
    from shapely import make_valid
    from shapely.geometry import shape
    from shapely.ops import unary_union

    parts: dict[str, list[Any]] = {}
    for feature in boundaries(layout)["features"]:
        # rounding the shipped coordinates to 1e-4 degree can make a ring touch itself
        parts.setdefault(feature["properties"]["code"], []).append(make_valid(shape(feature["geometry"])))
    points = {code: unary_union(shapes).representative_point() for code, shapes in parts.items()}
    return {code: (point.y, point.x) for code, point in points.items()}
