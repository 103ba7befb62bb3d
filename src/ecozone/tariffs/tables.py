"""EVN retail tariff tables and time-of-use windows, versioned by decision and validity dates.

``data/evn_tou.csv`` holds one row per decision, customer group and voltage band with the
normal, off-peak and peak prices [VND/kWh, excl. VAT], ``valid_from`` / ``valid_to``
(inclusive; an empty ``valid_to`` means "until replaced") and its source and status.
``data/tou_windows.csv`` holds the time-of-use windows of each regime by day type
(``mon_sat`` or ``sunday``) with their own validity dates. Every day of a regime must be covered
exactly once; the loader checks it.

Only tables whose numbers could be sourced are shipped (Decision 4495/QĐ-BCT of 2017, Decision
1279/QĐ-BCT of 2025); between 20 March 2019 and 9 May 2025 no table is in force and pricing
fails unless a flagged fallback is explicitly requested.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources

import numpy as np

from ecozone.errors import NotFoundError, ReferenceDataError
from ecozone.registry.schema import resolve_code, vocabulary
from ecozone.tariffs.errors import TariffError

PERIODS = ("off_peak", "normal", "peak")
DAY_TYPES = ("mon_sat", "sunday")
MINUTES_PER_DAY = 1440
VOLTAGE_LEVEL_KV: dict[str, tuple[float, float]] = {
    "lt_6kv": (0.0, 6.0),
    "6_22kv": (6.0, 22.0),
    "22_110kv": (22.0, 110.0),
    "ge_110kv": (110.0, math.inf),
}
PROVENANCE = ("source", "edition", "status")


@dataclass(frozen=True)
class TariffRow:
    """Prices of one customer group and voltage band [VND/kWh, excl. VAT]."""

    customer_group: str
    voltage_band: str
    voltage_min_kv: float
    voltage_max_kv: float
    normal_vnd_per_kwh: float
    offpeak_vnd_per_kwh: float
    peak_vnd_per_kwh: float
    source: str
    edition: str
    status: str

    def covers(self, voltage_level: str) -> bool:
        """Whether this band contains the registry ``voltage_level`` (e.g. ``22_110kv``)."""
        low, high = VOLTAGE_LEVEL_KV[voltage_level]
        return self.voltage_min_kv <= low and high <= self.voltage_max_kv

    def prices(self) -> np.ndarray:
        """Prices in :data:`PERIODS` order (off-peak, normal, peak) [VND/kWh]."""
        return np.array([self.offpeak_vnd_per_kwh, self.normal_vnd_per_kwh, self.peak_vnd_per_kwh])


@dataclass(frozen=True)
class TariffTable:
    """One tariff decision and its validity.

    Attributes
    ----------
    decision : str
        Decision number, e.g. ``1279/QĐ-BCT``.
    valid_from, valid_to : date, date or None
        Inclusive validity; ``valid_to`` None means in force until replaced.
    rows : tuple of TariffRow
    is_fallback : bool
        True when returned for a day outside its validity because a fallback was requested.
    """

    decision: str
    valid_from: date
    valid_to: date | None
    rows: tuple[TariffRow, ...]
    is_fallback: bool = False

    @property
    def status(self) -> str:
        """``verified`` only if every row is verified."""
        return "verified" if all(r.status == "verified" for r in self.rows) else "unverified"

    def covers(self, day: date) -> bool:
        """Whether the table is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def row(self, customer_group: str, voltage_level: str) -> TariffRow:
        """Return the prices of ``customer_group`` at ``voltage_level``.

        Raises
        ------
        TariffError
            If the table has no price for them (e.g. a band that was not transcribed).
        """
        for row in self.rows:
            if row.customer_group == customer_group and row.covers(voltage_level):
                return row
        bands = ", ".join(f"{r.customer_group} {r.voltage_band}" for r in self.rows)
        raise TariffError("tariffs.no_price", decision=self.decision, group=customer_group, level=voltage_level, known=bands)


@dataclass(frozen=True)
class TouRegime:
    """Time-of-use windows of one regime.

    Attributes
    ----------
    lookup : ndarray of int8, shape (2, 1440)
        Period index (see :data:`PERIODS`) by day type (0 = Monday-Saturday, 1 = Sunday) and
        minute of the day.
    """

    name: str
    valid_from: date
    valid_to: date | None
    lookup: np.ndarray
    status: str
    source: str

    def covers(self, day: date) -> bool:
        """Whether the windows are in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _rows(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    text = resources.files("ecozone.tariffs.data").joinpath(name).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in (*required, *PROVENANCE) if c not in (reader.fieldnames or ())]
    if missing:
        raise ReferenceDataError("tariffs.bad_file", file=name, detail=", ".join(missing))
    return list(reader)


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text.strip() else None


@cache
def tariff_tables() -> tuple[TariffTable, ...]:
    """Return every shipped tariff table, oldest first.

    Raises
    ------
    ReferenceDataError
        If two tables overlap in time.
    """
    file = "evn_tou.csv"
    columns = ("decision", "valid_from", "valid_to", "customer_group", "voltage_band", "voltage_min_kv", "voltage_max_kv")
    prices = ("normal_vnd_per_kwh", "offpeak_vnd_per_kwh", "peak_vnd_per_kwh")
    grouped: dict[tuple[str, str, str], list[TariffRow]] = {}
    for r in _rows(file, (*columns, *prices)):
        row = TariffRow(
            r["customer_group"],
            r["voltage_band"],
            float(r["voltage_min_kv"]),
            float(r["voltage_max_kv"]) if r["voltage_max_kv"].strip() else math.inf,
            float(r["normal_vnd_per_kwh"]),
            float(r["offpeak_vnd_per_kwh"]),
            float(r["peak_vnd_per_kwh"]),
            r["source"],
            r["edition"],
            r["status"],
        )
        grouped.setdefault((r["decision"], r["valid_from"], r["valid_to"]), []).append(row)
    tables = sorted(
        (
            TariffTable(decision, date.fromisoformat(start), _date(end), tuple(rows))
            for (decision, start, end), rows in grouped.items()
        ),
        key=lambda t: t.valid_from,
    )
    for earlier, later in itertools.pairwise(tables):
        if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
            raise ReferenceDataError("tariffs.bad_file", file=file, detail=f"{earlier.decision} overlaps {later.decision}")
    return tuple(tables)


def table_in_force(day: date, *, fallback: bool = False) -> TariffTable:
    """Return the tariff table in force on ``day``.

    Parameters
    ----------
    day : date
        Local (Asia/Ho_Chi_Minh) calendar day.
    fallback : bool
        When no table covers ``day``, return the table nearest to it in time (days from the
        end of an earlier table or to the start of a later one) marked ``is_fallback=True``
        instead of raising.

    Raises
    ------
    TariffError
        If no table covers ``day`` and ``fallback`` is False.
    """
    tables = tariff_tables()
    for table in tables:
        if table.covers(day):
            return table
    if not fallback:
        spans = "; ".join(f"{t.decision} {t.valid_from}..{t.valid_to or ''}" for t in tables)
        raise TariffError("tariffs.no_table_in_force", day=day.isoformat(), known=spans)

    def distance(table: TariffTable) -> int:
        if day < table.valid_from:
            return (table.valid_from - day).days
        return (day - table.valid_to).days if table.valid_to is not None else 0

    return replace(min(tables, key=distance), is_fallback=True)


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@cache
def tou_regimes() -> tuple[TouRegime, ...]:
    """Return the time-of-use regimes, oldest first, each checked to cover every minute once."""
    file = "tou_windows.csv"
    grouped: dict[str, list[dict[str, str]]] = {}
    for r in _rows(file, ("regime", "valid_from", "valid_to", "day_type", "period", "start", "end")):
        grouped.setdefault(r["regime"], []).append(r)
    regimes = []
    for name, rows in grouped.items():
        lookup = np.full((len(DAY_TYPES), MINUTES_PER_DAY), -1, dtype=np.int8)
        for r in rows:
            if r["day_type"] not in DAY_TYPES or r["period"] not in PERIODS:
                raise ReferenceDataError("tariffs.bad_file", file=file, detail=f"{name}: {r['day_type']} {r['period']}")
            window = lookup[DAY_TYPES.index(r["day_type"]), _minute(r["start"]) : _minute(r["end"])]
            if (window != -1).any():
                raise ReferenceDataError("tariffs.bad_file", file=file, detail=f"{name}: overlapping windows at {r['start']}")
            window[:] = PERIODS.index(r["period"])
        if (lookup == -1).any():
            raise ReferenceDataError("tariffs.bad_file", file=file, detail=f"{name}: some minutes have no period")
        status = "verified" if all(r["status"] == "verified" for r in rows) else "unverified"
        first = rows[0]
        regimes.append(
            TouRegime(name, date.fromisoformat(first["valid_from"]), _date(first["valid_to"]), lookup, status, first["source"])
        )
    return tuple(sorted(regimes, key=lambda r: r.valid_from))


def regime_in_force(day: date) -> TouRegime:
    """Return the time-of-use windows in force on ``day``.

    Raises
    ------
    TariffError
        If no regime covers ``day``.
    """
    for regime in tou_regimes():
        if regime.covers(day):
            return regime
    raise TariffError("tariffs.no_windows_in_force", day=day.isoformat())


def resolve_voltage_level(text: str) -> str:
    """Return the registry voltage-level code spelled ``text`` (code, label or alias).

    Raises
    ------
    NotFoundError
        If ``text`` names no voltage level.
    """
    code = resolve_code("voltage_level", text)
    if code is None or code not in VOLTAGE_LEVEL_KV:
        raise NotFoundError("tariffs.unknown_voltage_level", level=text, known=", ".join(vocabulary("voltage_level")))
    return code


def customer_groups() -> tuple[str, ...]:
    """Customer groups priced by at least one table."""
    return tuple(sorted({row.customer_group for table in tariff_tables() for row in table.rows}))
