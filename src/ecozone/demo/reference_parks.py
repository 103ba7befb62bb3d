"""The 13 real reference parks shipped with the demo registry.

The facts come from ``data/reference_parks_facts.csv`` (press and agency pages, one source
per row, status ``unverified``; see ``data/SOURCE.md``). Each row becomes a park row keyed by
the attribute names of ``registry/attributes/park.yaml``:

- ``id``: a slug of the English name (:func:`park_slug`), e.g. ``tra-noc-1``;
- ``name_vi``, ``name_en``, ``developer``, ``year_established``, ``source`` (the page URL) as given;
- ``province``: the pre-2025 (63-province) name, which :func:`ecozone.provinces.resolve_province`
  resolves into both layouts;
- ``park_type``: ``general`` unless the name or notes say export processing zone, high-tech or
  eco-industrial park (:func:`park_type_from_facts`);
- ``status``: the park's development status, read through the ``park_status`` vocabulary;
- ``total_area_ha``: the reported area.

Nothing is invented: industrial and leased land are left empty because the facts give at most
an occupancy percentage (occupancy is derived from leased / industrial land, never stored);
coordinates are empty because no open source gave them. Every row has ``is_synthetic`` False.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources

from ecozone.errors import ReferenceDataError
from ecozone.provinces import resolve_province
from ecozone.registry.schema import entity_schema, fold, resolve_code

FACTS_FILE = "reference_parks_facts.csv"
_ROMAN_NUMERALS = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5"}
_GENERIC_WORDS = frozenset({"industrial", "park", "zone", "iz"})
_PARK_TYPE_PATTERNS = (
    ("export_processing", re.compile(r"\bepz\b|export processing|khu che xuat")),
    ("high_tech", re.compile(r"\bhi-?tech\b|high-tech park|cong nghe cao")),
    ("eco_industrial", re.compile(r"eco-industrial park|kcn sinh thai")),
)


@cache
def reference_park_facts() -> tuple[dict[str, str], ...]:
    """Return the rows of ``data/reference_parks_facts.csv`` as text, column name to cell."""
    text = resources.files(__package__).joinpath("data", FACTS_FILE).read_text(encoding="utf-8")
    return tuple(csv.DictReader(text.splitlines()))


def park_slug(name_en: str) -> str:
    """Return a stable identifier made from a park's English name.

    Words are folded to ASCII lower case; "Industrial", "Park", "Zone" and "IZ" are dropped
    and Roman numerals become digits: ``"Tra Noc I Industrial Park"`` gives ``"tra-noc-1"``,
    ``"Amata Industrial Park (Bien Hoa)"`` gives ``"amata-bien-hoa"``.
    """
    words = re.findall(r"[a-z0-9]+", fold(name_en))
    return "-".join(_ROMAN_NUMERALS.get(word, word) for word in words if word not in _GENERIC_WORDS)


def park_type_from_facts(fact: dict[str, str]) -> str:
    """Return the ``park_type`` code the facts support, ``general`` by default.

    The Vietnamese and English names and the notes are searched (folded, accent-free) for
    "EPZ"/"export processing"/"khu chế xuất", "high-tech"/"công nghệ cao" and
    "eco-industrial park"/"KCN sinh thái". Taking part in an eco-industrial-park *programme*
    (column ``eip_programme``) does not make a park eco-industrial.
    """
    text = " ".join(fold(fact.get(column) or "") for column in ("name_vi", "name_en", "notes"))
    for code, pattern in _PARK_TYPE_PATTERNS:
        if pattern.search(text):
            return code
    return "general"


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def _park_row(fact: dict[str, str]) -> dict[str, object]:
    name = fact["name_en"]
    status = resolve_code("park_status", fact["park_status"])
    if status is None:
        raise ReferenceDataError("demo.bad_reference_park", name=name, detail=f"unknown park status {fact['park_status']!r}")
    resolve_province(fact["province_old"])
    values: dict[str, object] = {
        "id": park_slug(name),
        "name_vi": fact["name_vi"],
        "name_en": name,
        "province": fact["province_old"],
        "park_type": park_type_from_facts(fact),
        "status": status,
        "year_established": _year(fact["year_established"]),
        "total_area_ha": _number(fact["area_ha"]),
        "developer": fact["developer"] or None,
        "source": fact["source"],
        "is_synthetic": False,
    }
    return {attribute: values.get(attribute) for attribute in entity_schema("park").names}


def reference_park_rows() -> list[dict[str, object]]:
    """Return the 13 real reference parks as park rows keyed by attribute name.

    Every attribute of ``park.yaml`` is a key; attributes the facts do not give are None
    (industrial land, leased land, green area, coordinates, capacities, operator, boundary).

    Returns
    -------
    list of dict
        One row per park, in the order of ``data/reference_parks_facts.csv``.

    Raises
    ------
    ReferenceDataError
        If a row has an unknown status or two parks get the same identifier.
    ecozone.errors.NotFoundError
        If a province does not resolve.
    """
    rows = [_park_row(fact) for fact in reference_park_facts()]
    ids = [row["id"] for row in rows]
    duplicated = sorted({str(i) for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ReferenceDataError("demo.bad_reference_park", name=", ".join(duplicated), detail="identifier used twice")
    return rows
