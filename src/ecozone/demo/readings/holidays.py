"""Vietnamese public holidays (days off) of the years the demo readings cover.

``data/public_holidays_vn.csv`` lists every day off of 2024 and 2025 under the Labour Code
2019 (Law 45/2019/QH14), Art. 112 — New Year's Day, the five-day Tết break stretched by the
annual schedule, the Hùng Kings' day (10th of the 3rd lunar month), 30 April, 1 May and
2 September with an adjacent day — including the weekend and swapped days inside each
break, as announced for civil servants (private employers pick their own Tết days). The
2024 Tết break ran 8–14 February (Lunar New Year's Day 10 February 2024); the 2025 break
25 January – 2 February (Lunar New Year's Day 29 January 2025). Status ``unverified``.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from ecozone.errors import ReferenceDataError

HOLIDAYS_FILE = "public_holidays_vn.csv"
TET = "tet"


@dataclass(frozen=True)
class Holiday:
    """One day off.

    Attributes
    ----------
    day : datetime.date
        The local calendar day.
    holiday : str
        Key of the holiday (``new_year``, ``tet``, ``hung_kings``, ``reunification_day``,
        ``labour_day``, ``national_day`` or ``bridge`` for a swapped or weekend day inside a break).
    name_vi, name_en : str
        Names of the holiday.
    lunar_new_year_day : bool
        True on the first day of the lunar year (Mùng 1 Tết).
    """

    day: date
    holiday: str
    name_vi: str
    name_en: str
    lunar_new_year_day: bool


@cache
def _all_holidays() -> tuple[Holiday, ...]:
    text = resources.files("ecozone.demo").joinpath("data", HOLIDAYS_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    try:
        return tuple(
            Holiday(
                date.fromisoformat(row["date"]),
                row["holiday"],
                row["name_vi"],
                row["name_en"],
                row["lunar_new_year_day"] == "true",
            )
            for row in rows
        )
    except (KeyError, ValueError) as exc:
        raise ReferenceDataError("demo_readings.bad_file", file=HOLIDAYS_FILE, detail=str(exc)) from exc


def holiday_years() -> tuple[int, ...]:
    """Return the years whose days off are shipped."""
    return tuple(sorted({holiday.day.year for holiday in _all_holidays()}))


def public_holidays(year: int) -> tuple[Holiday, ...]:
    """Return the days off of ``year`` in date order.

    Raises
    ------
    ReferenceDataError
        If the year's holidays are not shipped.
    """
    if year not in holiday_years():
        raise ReferenceDataError("demo_readings.no_holidays", year=year, years=", ".join(map(str, holiday_years())))
    return tuple(sorted((h for h in _all_holidays() if h.day.year == year), key=lambda h: h.day))


def tet_days(year: int) -> tuple[date, ...]:
    """Return the days of the Tết break of ``year`` [local dates]."""
    return tuple(h.day for h in public_holidays(year) if h.holiday == TET)


def lunar_new_year_day(year: int) -> date:
    """Return the first day of the lunar year (Mùng 1 Tết) falling in ``year``."""
    return next(h.day for h in public_holidays(year) if h.lunar_new_year_day)
