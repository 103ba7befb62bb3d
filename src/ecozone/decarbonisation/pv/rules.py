"""Rooftop-solar export rules in force by date, and the export price, as dated data.

``rooftop_solar_rules.csv``: per legal instrument, its validity, the cap on exported surplus
as a share of generation and the price basis (the previous year's average market price).
``market_prices.csv``: the previous-year average market prices published by the market
operator, by year. None could be read in a published source yet, so the file ships empty and
an export price must be given (or exports valued at zero, flagged) until it is filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from ecozone.decarbonisation.errors import MissingPriceError
from ecozone.decarbonisation.reference import number, read_rows

DATA = "ecozone.decarbonisation.data"


@dataclass(frozen=True)
class ExportRule:
    """The surplus-export rule of one legal instrument.

    Attributes
    ----------
    instrument : str
    valid_from, valid_to : date, date or None
        Inclusive validity (None: until replaced).
    export_cap_share : float [-]
        Largest share of generation that may be exported.
    price_basis : str
        ``previous_year_average_market_price``.
    source, status : str
    """

    instrument: str
    valid_from: date
    valid_to: date | None
    export_cap_share: float
    price_basis: str
    source: str
    status: str

    def covers(self, day: date) -> bool:
        """Whether the rule is in force on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@cache
def export_rules() -> tuple[ExportRule, ...]:
    """Every shipped rule, oldest first."""
    file = "rooftop_solar_rules.csv"
    rows = read_rows(DATA, file, ("instrument", "valid_from", "valid_to", "export_cap_share", "price_basis"))
    rules = [
        ExportRule(
            r["instrument"],
            date.fromisoformat(r["valid_from"]),
            date.fromisoformat(r["valid_to"]) if r["valid_to"].strip() else None,
            number(r["export_cap_share"], file, "export_cap_share"),
            r["price_basis"],
            r["source"],
            r["status"],
        )
        for r in rows
    ]
    return tuple(sorted(rules, key=lambda r: r.valid_from))


def rule_in_force(day: date) -> ExportRule:
    """Return the export rule in force on ``day``.

    Raises
    ------
    MissingPriceError
        If no rule covers ``day`` (before the first shipped decree).
    """
    for rule in export_rules():
        if rule.covers(day):
            return rule
    known = "; ".join(f"{r.instrument} {r.valid_from}..{r.valid_to or ''}" for r in export_rules())
    raise MissingPriceError("decarbonisation.pv.no_export_rule", day=day.isoformat(), known=known)


@dataclass(frozen=True)
class ExportPrice:
    """Price paid for exported surplus [VND/kWh] and where it comes from."""

    value_vnd_per_kwh: float
    basis: str
    status: str


@cache
def market_prices() -> dict[int, tuple[float, str, str]]:
    """Published average market prices by year: ``{year: (VND/kWh, source, status)}``."""
    file = "market_prices.csv"
    rows = read_rows(DATA, file, ("year", "value_vnd_per_kwh"))
    return {int(r["year"]): (number(r["value_vnd_per_kwh"], file, "value_vnd_per_kwh"), r["source"], r["status"]) for r in rows}


def export_price(year: int, override_vnd_per_kwh: float | None = None, zero_if_missing: bool = False) -> ExportPrice:
    """Price of surplus exported in ``year`` [VND/kWh]: the previous year's average market price.

    Parameters
    ----------
    year : int
        Year of the export.
    override_vnd_per_kwh : float, optional
        A price given by the user (e.g. from a contract); used as is.
    zero_if_missing : bool
        Value exports at 0 (flagged ``zero_missing_market_price``) when no price is published.

    Raises
    ------
    MissingPriceError
        If no price for ``year - 1`` is shipped, none is given and ``zero_if_missing`` is False.
    """
    if override_vnd_per_kwh is not None:
        if override_vnd_per_kwh < 0:
            raise MissingPriceError("decarbonisation.pv.negative_export_price", price=override_vnd_per_kwh)
        return ExportPrice(override_vnd_per_kwh, "user", "user")
    published = market_prices().get(year - 1)
    if published is not None:
        return ExportPrice(published[0], f"average market price {year - 1}: {published[1]}", published[2])
    if zero_if_missing:
        return ExportPrice(0.0, "zero_missing_market_price", "unverified")
    raise MissingPriceError("decarbonisation.pv.no_market_price", year=year - 1)
