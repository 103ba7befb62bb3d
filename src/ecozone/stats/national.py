"""Published national statistics on Viet Nam's industrial parks (IPs).

The figures are those of the Ministry of Planning and Investment (MPI), Economic Zones
Management Department, as reported by the press; they ship as
``ecozone/stats/data/ip_headline_statistics.csv`` with one source per row (see
``data/SOURCE.md``). Nothing here touches a registry: these are the country's totals, to be
read beside :mod:`ecozone.stats.registry`.
"""

from __future__ import annotations

import io
import re
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from ecozone.errors import NotFoundError, ReferenceDataError

HEADLINE_FILE = "ip_headline_statistics.csv"
PROVINCIAL_FILE = "provincial_ip_aggregates.csv"
EIP_PROGRAMME_FILE = "unido_eip_vietnam_results.csv"

COUNT_COLUMNS = (
    "ips_established",
    "ips_outside_ez",
    "ips_in_coastal_ez",
    "ips_in_border_ez",
    "ips_operating",
    "ips_under_construction",
    "ips_planned_total",
    "coastal_ez_established",
    "border_gate_ez",
)
"""Counts [number of parks or zones]."""

MEASURE_COLUMNS = (
    "total_natural_area_ha",
    "industrial_land_ha",
    "operating_natural_area_ha",
    "operating_industrial_land_ha",
    "leased_industrial_land_ha",
    "occupancy_all_established_pct",
    "occupancy_operating_pct",
    "coastal_ez_area_ha",
)
"""Areas [ha] and occupancy rates [%]."""

METRIC_COLUMNS = COUNT_COLUMNS + MEASURE_COLUMNS
SOURCE_COLUMNS = ("source", "source_publisher", "source_url", "edition", "status")
REQUIRED_COLUMNS = ("as_of", "as_of_precision", *METRIC_COLUMNS, "notes", *SOURCE_COLUMNS)

METRIC_UNITS: dict[str, str] = {
    **dict.fromkeys(COUNT_COLUMNS, "parks"),
    "coastal_ez_established": "zones",
    "border_gate_ez": "zones",
    **{name: "ha" for name in MEASURE_COLUMNS if name.endswith("_ha")},
    **{name: "%" for name in MEASURE_COLUMNS if name.endswith("_pct")},
}
"""Unit of each metric column."""

PRECISIONS = ("year-end", "month", "year", "approx", "inferred", "undated")
"""How exactly ``as_of`` dates a row; ``undated`` rows have no ``period``."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _read_csv(name: str) -> pd.DataFrame:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def period_end(as_of: str) -> pd.Timestamp | None:
    """Return the last day of the period ``as_of`` names, or None when it is not a date.

    Parameters
    ----------
    as_of : str
        ``"YYYY-MM"`` (a month) or ``"YYYY"`` (a year); anything else (``"c.2021"``) is undated.

    Returns
    -------
    pandas.Timestamp or None
        Midnight of the period's last day, e.g. ``"2023-12"`` → 2023-12-31.
    """
    text = as_of.strip()
    month = _MONTH.match(text)
    if month:
        return pd.Period(year=int(month[1]), month=int(month[2]), freq="M").to_timestamp(how="end").normalize()
    year = _YEAR.match(text)
    if year:
        return pd.Timestamp(year=int(year[1]), month=12, day=31)
    return None


def _typed(raw: pd.DataFrame) -> pd.DataFrame:
    missing = [name for name in REQUIRED_COLUMNS if name not in raw.columns]
    if missing:
        raise ReferenceDataError("stats.bad_table", file=HEADLINE_FILE, columns=", ".join(missing))
    table = raw.loc[:, list(REQUIRED_COLUMNS)].copy()
    for name in COUNT_COLUMNS:
        table[name] = pd.to_numeric(table[name].replace("", None)).astype("Int64")
    for name in MEASURE_COLUMNS:
        table[name] = pd.to_numeric(table[name].replace("", None)).astype("Float64")
    periods = [period_end(text) for text in table["as_of"]]
    table["period"] = pd.to_datetime(pd.Series(periods, index=table.index, dtype=object))
    table["dated"] = table["period"].notna() & (table["as_of_precision"] != "undated")
    table.loc[~table["dated"], "period"] = pd.NaT
    return table.rename(columns={"as_of_precision": "precision"})


@cache
def _national_series() -> pd.DataFrame:
    table = _typed(_read_csv(HEADLINE_FILE))
    table = table.sort_values(["dated", "period"], ascending=[False, True], kind="stable", na_position="last")
    return table.reset_index(drop=True)


def national_series() -> pd.DataFrame:
    """Return the national IP statistics, one row per published observation.

    Returns
    -------
    pandas.DataFrame
        Dated rows first in time order, then undated ones (kept, flagged ``dated = False``).
        Columns: ``as_of`` (text as published), ``precision`` (one of :data:`PRECISIONS`),
        ``period`` (last day of the dated period, NaT when undated), ``dated`` (bool), the counts
        of :data:`COUNT_COLUMNS` (``Int64``) [parks or zones], the areas [ha] and rates [%] of
        :data:`MEASURE_COLUMNS` (``Float64``), ``notes`` and the source columns
        ``source``, ``source_publisher``, ``source_url``, ``edition``, ``status``.
        Missing figures are ``<NA>``.
    """
    return _national_series().copy()


def observed_years() -> list[int]:
    """Years for which a dated observation exists, in ascending order."""
    series = _national_series()
    return sorted({int(period.year) for period in series.loc[series["dated"], "period"]})


def default_year() -> int:
    """Return the most recent year having a ``year-end`` row (else the most recent dated year)."""
    series = _national_series()
    dated = series.loc[series["dated"]]
    year_ends = dated.loc[dated["precision"] == "year-end", "period"]
    return int((year_ends if len(year_ends) else dated["period"]).max().year)


def latest_year_end(year: int | None = None) -> dict[str, dict[str, Any]]:
    """Return the national figures at the end of ``year``, each with its source.

    The year's ``year-end`` row is used; when the year has none, its latest dated row (its
    ``precision`` says how exactly it is dated).

    Parameters
    ----------
    year : int, optional
        Calendar year; default :func:`default_year`.

    Returns
    -------
    dict
        ``{metric: {"value", "unit", "as_of", "precision", "source", "source_publisher",
        "source_url", "edition", "status"}}`` for every metric the row gives (counts as ``int``
        [parks or zones], areas as ``float`` [ha], rates as ``float`` [%]); missing figures are
        left out rather than reported as zero.

    Raises
    ------
    NotFoundError
        If no dated observation falls in ``year``.
    """
    if year is None:
        year = default_year()
    series = _national_series()
    dated = series.loc[series["dated"]]
    rows = dated.loc[dated["period"].dt.year == year]
    if rows.empty:
        raise NotFoundError("stats.no_year_figures", year=year, years=", ".join(map(str, observed_years())))
    year_end = rows.loc[rows["precision"] == "year-end"]
    row = (year_end if len(year_end) else rows).iloc[-1]
    figures: dict[str, dict[str, Any]] = {}
    for name in METRIC_COLUMNS:
        if pd.isna(row[name]):
            continue
        value = int(row[name]) if name in COUNT_COLUMNS else float(row[name])
        figures[name] = {
            "value": value,
            "unit": METRIC_UNITS[name],
            "as_of": str(row["as_of"]),
            "precision": str(row["precision"]),
            **{column: str(row[column]) for column in SOURCE_COLUMNS},
        }
    return figures


def provincial_aggregates() -> pd.DataFrame:
    """Return published province-level aggregates (a few provinces, various dates).

    Returns
    -------
    pandas.DataFrame
        ``scope``, ``as_of`` (text), ``parks`` (``Int64``), ``total_area_ha``, ``leasable_ha``,
        ``leased_ha`` [ha], ``occupancy_pct`` [%] (``Float64``), ``notes`` and the source columns.
    """
    table = _read_csv(PROVINCIAL_FILE)
    table["parks"] = pd.to_numeric(table["parks"].replace("", None)).astype("Int64")
    for name in ("total_area_ha", "leasable_ha", "leased_ha", "occupancy_pct"):
        table[name] = pd.to_numeric(table[name].replace("", None)).astype("Float64")
    return table


def eip_programme_results() -> pd.DataFrame:
    """Return the published results of the MPI–UNIDO eco-industrial-park programmes.

    Returns
    -------
    pandas.DataFrame
        ``programme``, ``period``, ``parks``, ``metric``, ``value`` (``Float64``, in ``unit``),
        ``unit`` and the source columns.
    """
    table = _read_csv(EIP_PROGRAMME_FILE)
    table["value"] = pd.to_numeric(table["value"]).astype("Float64")
    return table
