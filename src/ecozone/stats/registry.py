"""Aggregates of the parks held in a registry snapshot.

Pure functions on :class:`~ecozone.store.snapshot.RegistrySnapshot`: number of parks, total
area, industrial land and leased land [ha] and the occupancy derived from them [%], by
province (2008 or 2025 layout), by status and by park type.

A missing area is reported as missing, never as zero: a group's sum covers only the parks
that report the figure, each summary says how many parks lack it, and a group where no park
reports it has no sum (None / ``<NA>``). Occupancy is leased land over industrial land of the
parks that report both.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields

import pandas as pd

from ecozone.errors import NotFoundError
from ecozone.i18n import translate
from ecozone.provinces import LAYOUTS, provinces
from ecozone.registry.schema import vocabulary
from ecozone.store.snapshot import ParkRecord, RegistrySnapshot

UNKNOWN_PROVINCE = "unknown"
"""Group key of parks whose 2008 province is not recorded (only their 2025 unit is)."""

GROUPINGS = ("province", "status", "type")
AREA_METRICS = ("total_area_ha", "industrial_land_ha", "leased_land_ha")
PROVINCE_METRICS = ("parks", *AREA_METRICS)


@dataclass(frozen=True)
class AreaSummary:
    """Counts and areas of a group of parks.

    Attributes
    ----------
    parks : int
        Number of parks in the group.
    total_area_ha : float or None
        Sum of the total (natural) areas the parks report [ha]; None when none reports it.
    industrial_land_ha : float or None
        Sum of industrial land [ha]; None when no park reports it.
    leased_land_ha : float or None
        Sum of leased industrial land [ha]; None when no park reports it.
    occupancy_pct : float or None
        Leased over industrial land of the parks reporting both (and a positive industrial
        land) [%]; None when there are none.
    parks_missing_total_area, parks_missing_industrial_land, parks_missing_leased_land : int
        How many parks of the group lack each figure.
    parks_with_occupancy : int
        How many parks enter the occupancy.
    """

    parks: int
    total_area_ha: float | None
    industrial_land_ha: float | None
    leased_land_ha: float | None
    occupancy_pct: float | None
    parks_missing_total_area: int
    parks_missing_industrial_land: int
    parks_missing_leased_land: int
    parks_with_occupancy: int


SUMMARY_COLUMNS = tuple(field.name for field in fields(AreaSummary))


def _sum_reported(values: list[float | None]) -> tuple[float | None, int]:
    reported = [value for value in values if value is not None]
    return (math.fsum(reported) if reported else None), len(values) - len(reported)


def summarise(parks: Iterable[ParkRecord]) -> AreaSummary:
    """Summarise a group of parks.

    Parameters
    ----------
    parks : iterable of ParkRecord
        The parks of the group (areas in [ha]).

    Returns
    -------
    AreaSummary
        Count, sums of reported areas [ha], derived occupancy [%] and missing-figure counts.
    """
    group = list(parks)
    total, missing_total = _sum_reported([park.total_area_ha for park in group])
    industrial, missing_industrial = _sum_reported([park.industrial_land_ha for park in group])
    leased, missing_leased = _sum_reported([park.leased_land_ha for park in group])
    both = [park for park in group if park.occupancy_pct is not None]
    occupancy = None
    if both:
        leased_of_both = math.fsum(park.leased_land_ha or 0.0 for park in both)
        industrial_of_both = math.fsum(park.industrial_land_ha or 0.0 for park in both)
        occupancy = 100.0 * leased_of_both / industrial_of_both
    return AreaSummary(
        parks=len(group),
        total_area_ha=total,
        industrial_land_ha=industrial,
        leased_land_ha=leased,
        occupancy_pct=occupancy,
        parks_missing_total_area=missing_total,
        parks_missing_industrial_land=missing_industrial,
        parks_missing_leased_land=missing_leased,
        parks_with_occupancy=len(both),
    )


def registry_totals(snapshot: RegistrySnapshot) -> AreaSummary:
    """Summarise every park of ``snapshot``."""
    return summarise(item.park for item in snapshot.parks)


def check_layout(layout: str) -> str:
    """Return ``layout`` if it is ``"2008"`` or ``"2025"``.

    Raises
    ------
    NotFoundError
        For any other layout.
    """
    if layout not in LAYOUTS:
        raise NotFoundError("stats.unknown_layout", layout=layout, known=", ".join(LAYOUTS))
    return layout


def province_key(park: ParkRecord, layout: str) -> str:
    """Return the GSO code of ``park``'s province in ``layout``, or :data:`UNKNOWN_PROVINCE`."""
    if check_layout(layout) == "2025":
        return park.province_new_code
    return park.province_old_code or UNKNOWN_PROVINCE


def _group(snapshot: RegistrySnapshot, key: Callable[[ParkRecord], str]) -> dict[str, list[ParkRecord]]:
    groups: dict[str, list[ParkRecord]] = {}
    for item in snapshot.parks:
        groups.setdefault(key(item.park), []).append(item.park)
    return groups


def _frame(rows: list[tuple[str, str, str, AreaSummary]]) -> pd.DataFrame:
    records = [{"key": key, "name_vi": name_vi, "name_en": name_en, **asdict(summary)} for key, name_vi, name_en, summary in rows]
    table = pd.DataFrame.from_records(records, columns=["key", "name_vi", "name_en", *SUMMARY_COLUMNS])
    table = table.astype({"key": "str", "name_vi": "str", "name_en": "str"})
    for name in SUMMARY_COLUMNS:
        is_count = name == "parks" or name.startswith("parks_")
        table[name] = pd.array(table[name].tolist(), dtype="Int64" if is_count else "Float64")
    return table


def province_name(code: str, layout: str, lang: str) -> str:
    """Return the official name of province ``code`` in ``layout`` (a label for unknown)."""
    if code == UNKNOWN_PROVINCE:
        return translate("stats.province.unknown", lang)
    province = provinces(layout).get(code)
    return province.name if province else code


def by_province(snapshot: RegistrySnapshot, layout: str = "2025") -> pd.DataFrame:
    """Aggregate the parks by province.

    Parameters
    ----------
    snapshot : RegistrySnapshot
        The parks to aggregate.
    layout : str
        ``"2025"`` (34 units, from ``province_new_code``) or ``"2008"`` (63 provinces, from
        ``province_old_code``; parks without one go to the row :data:`UNKNOWN_PROVINCE`,
        "unknown (recorded in the 2025 layout)").

    Returns
    -------
    pandas.DataFrame
        One row per province holding parks, by code (unknown last): ``key`` (GSO code),
        ``name_vi``, ``name_en``, then the :class:`AreaSummary` fields (counts ``Int64``,
        areas [ha] and occupancy [%] ``Float64``, ``<NA>`` when missing).
    """
    groups = _group(snapshot, lambda park: province_key(park, layout))
    codes = sorted(groups, key=lambda code: (code == UNKNOWN_PROVINCE, code))
    rows = [
        (code, province_name(code, layout, "vi"), province_name(code, layout, "en"), summarise(groups[code])) for code in codes
    ]
    return _frame(rows)


def _by_vocabulary(snapshot: RegistrySnapshot, attribute: str, vocabulary_name: str) -> pd.DataFrame:
    labels = vocabulary(vocabulary_name)
    groups = _group(snapshot, lambda park: str(getattr(park, attribute)))
    order = list(labels)
    codes = sorted(groups, key=lambda code: (order.index(code) if code in order else len(order), code))
    rows = [
        (code, str(labels.get(code, {}).get("vi", code)), str(labels.get(code, {}).get("en", code)), summarise(groups[code]))
        for code in codes
    ]
    return _frame(rows)


def by_status(snapshot: RegistrySnapshot) -> pd.DataFrame:
    """Aggregate the parks by status (``planned``, ``under_construction``, ``operating``).

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`by_province`; ``key`` is the status code, names its labels.
    """
    return _by_vocabulary(snapshot, "status", "park_status")


def by_park_type(snapshot: RegistrySnapshot) -> pd.DataFrame:
    """Aggregate the parks by park type (``general``, ``export_processing``, ...).

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`by_province`; ``key`` is the type code, names its labels.
    """
    return _by_vocabulary(snapshot, "park_type", "park_type")


def aggregate(snapshot: RegistrySnapshot, by: str, layout: str = "2025") -> pd.DataFrame:
    """Aggregate the parks by ``"province"`` (in ``layout``), ``"status"`` or ``"type"``.

    Raises
    ------
    NotFoundError
        For an unknown grouping or layout.
    """
    if by == "province":
        return by_province(snapshot, layout)
    if by == "status":
        return by_status(snapshot)
    if by == "type":
        return by_park_type(snapshot)
    raise NotFoundError("stats.unknown_grouping", by=by, known=", ".join(GROUPINGS))


def province_values(snapshot: RegistrySnapshot, layout: str = "2025", metric: str = "parks") -> dict[str, float]:
    """Return one value per province of ``layout``, ready for a choropleth.

    Parameters
    ----------
    metric : str
        ``"parks"`` (number of registered parks; every province present, 0 when it has none)
        or an area of :data:`AREA_METRICS` [ha] (only provinces where a park reports it; the
        others have no data).

    Returns
    -------
    dict
        ``{GSO code: value}``; parks of unknown 2008 province are left out.

    Raises
    ------
    NotFoundError
        For an unknown metric or layout.
    """
    if metric not in PROVINCE_METRICS:
        raise NotFoundError("stats.unknown_metric", metric=metric, known=", ".join(PROVINCE_METRICS))
    table = by_province(snapshot, check_layout(layout))
    table = table.loc[table["key"] != UNKNOWN_PROVINCE]
    values: dict[str, float] = dict.fromkeys(provinces(layout), 0.0) if metric == "parks" else {}
    for code, value in zip(table["key"], table[metric], strict=True):
        if not pd.isna(value):
            values[str(code)] = float(value)
    return values
