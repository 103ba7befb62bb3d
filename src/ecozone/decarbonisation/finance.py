"""Money: dated exchange rates, NPV, IRR, discounted payback, LCOE and cash flows in VND.

Conventions
-----------
Cash flows are yearly, in VND, ``cash_flows[0]`` at the start (year 0, undiscounted) and
``cash_flows[t]`` at the end of year ``t``. Prices are real (constant VND of the price date);
the discount rate is real. :func:`npv`, :func:`irr` follow numpy-financial's definitions
(tests check them against it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from ecozone.decarbonisation.errors import DecarbonisationError, MissingPriceError
from ecozone.decarbonisation.reference import number, read_rows

DATA = "ecozone.decarbonisation.data"
FloatArray = npt.NDArray[np.float64]


class FinanceSettings(BaseModel):
    """Financial assumptions of appraisals.

    Attributes
    ----------
    discount_rate : float [-/yr]
        Real discount rate. 0.10 is an ecozone default (order of magnitude of a Vietnamese
        manufacturer's real cost of capital), not a regulatory value: set your own.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    discount_rate: float = Field(0.10, gt=-0.99, lt=1.0)


@dataclass(frozen=True)
class ExchangeRate:
    """VND per unit of ``currency`` published on ``date``."""

    currency: str
    date: date
    vnd_per_unit: float
    source: str
    status: str


def exchange_rates() -> tuple[ExchangeRate, ...]:
    """Return every shipped exchange rate, oldest first."""
    file = "exchange_rates.csv"
    rows = read_rows(DATA, file, ("date", "currency", "vnd_per_unit"))
    rates = [
        ExchangeRate(
            r["currency"],
            date.fromisoformat(r["date"]),
            number(r["vnd_per_unit"], file, "vnd_per_unit"),
            r["source"],
            r["status"],
        )
        for r in rows
    ]
    return tuple(sorted(rates, key=lambda r: r.date))


def exchange_rate(currency: str, on: date) -> ExchangeRate:
    """Return the latest rate of ``currency`` published on or before ``on``.

    ``VND`` returns a rate of 1.

    Raises
    ------
    MissingPriceError
        If no rate of ``currency`` is dated on or before ``on``.
    """
    if currency == "VND":
        return ExchangeRate("VND", on, 1.0, "identity", "verified")
    earlier = [r for r in exchange_rates() if r.currency == currency and r.date <= on]
    if not earlier:
        known = ", ".join(f"{r.currency} {r.date}" for r in exchange_rates())
        raise MissingPriceError("decarbonisation.no_exchange_rate", currency=currency, day=on.isoformat(), known=known)
    return earlier[-1]


def to_vnd(amount: float, currency: str, on: date) -> float:
    """Convert ``amount`` of ``currency`` priced on ``on`` into VND [VND]."""
    return amount * exchange_rate(currency, on).vnd_per_unit


def discount_factors(rate: float, years: int) -> FloatArray:
    """Return ``(1 + rate) ** -t`` for t = 0 ... years [-]."""
    return np.asarray((1.0 + rate) ** -np.arange(years + 1, dtype=np.float64), dtype=np.float64)


def npv(rate: float, cash_flows: Sequence[float] | FloatArray) -> float:
    """Net present value [VND] of yearly ``cash_flows`` (the first one undiscounted)."""
    flows = np.asarray(cash_flows, dtype=np.float64)
    return float(flows @ discount_factors(rate, flows.size - 1))


def irr(
    cash_flows: Sequence[float] | FloatArray, low: float = -0.99, high: float = 10.0, tolerance: float = 1e-10
) -> float | None:
    """Internal rate of return [-/yr]: the rate where :func:`npv` is zero, by bisection.

    Returns None when NPV has the same sign at both ends of ``[low, high]`` (e.g. a project
    that never pays back).
    """
    flows = np.asarray(cash_flows, dtype=np.float64)
    f_low, f_high = npv(low, flows), npv(high, flows)
    if np.sign(f_low) == np.sign(f_high):
        return None
    for _ in range(200):
        middle = 0.5 * (low + high)
        f_middle = npv(middle, flows)
        if abs(high - low) < tolerance or f_middle == 0.0:
            return middle
        if np.sign(f_middle) == np.sign(f_low):
            low, f_low = middle, f_middle
        else:
            high = middle
    return 0.5 * (low + high)


def discounted_payback(rate: float, cash_flows: Sequence[float] | FloatArray) -> float | None:
    """Years until the cumulative discounted cash flow turns non-negative [yr], interpolated within the year.

    Returns 0 when the first flow is already non-negative, None when it never pays back.
    """
    flows = np.asarray(cash_flows, dtype=np.float64)
    cumulative = np.cumsum(flows * discount_factors(rate, flows.size - 1))
    if cumulative[0] >= 0:
        return 0.0
    after = np.flatnonzero(cumulative >= 0)
    if after.size == 0:
        return None
    year = int(after[0])
    before = cumulative[year - 1]
    step = cumulative[year] - before
    return float(year - 1 + (-before / step if step > 0 else 1.0))


def capital_recovery_factor(rate: float, years: float) -> float:
    """Capital recovery factor ``r / (1 - (1 + r)^-n)`` [-/yr] (``1/n`` when the rate is 0)."""
    if years <= 0:
        raise DecarbonisationError("decarbonisation.bad_lifetime", years=years)
    if abs(rate) < 1e-12:
        return 1.0 / years
    return float(rate / (1.0 - (1.0 + rate) ** -years))


def lcoe(rate: float, capex: float, annual_opex: float, annual_energy: float, lifetime: int) -> float:
    """Levelised cost of energy [VND/kWh]: discounted costs over discounted energy.

    Parameters
    ----------
    rate : float [-/yr]
    capex : float [VND]
        Paid in year 0.
    annual_opex : float [VND/yr]
        Paid at the end of years 1 ... lifetime.
    annual_energy : float [kWh/yr]
        Produced (or saved) in years 1 ... lifetime.
    lifetime : int [yr]

    Raises
    ------
    DecarbonisationError
        If the energy is not positive.
    """
    if annual_energy <= 0:
        raise DecarbonisationError("decarbonisation.no_energy_for_lcoe", energy=annual_energy)
    factors = discount_factors(rate, lifetime)[1:]
    return float((capex + annual_opex * factors.sum()) / (annual_energy * factors.sum()))


def project_cash_flows(capex: float, annual_net_benefit: float | Sequence[float], lifetime: int) -> FloatArray:
    """Yearly cash flows [VND]: ``-capex`` in year 0, the net benefit in years 1 ... lifetime.

    ``annual_net_benefit`` is savings minus operating costs [VND/yr], one value or one per year.
    """
    if lifetime < 1:
        raise DecarbonisationError("decarbonisation.bad_lifetime", years=lifetime)
    benefits = np.broadcast_to(np.asarray(annual_net_benefit, dtype=np.float64), (lifetime,))
    return np.concatenate([[-float(capex)], benefits]).astype(np.float64)


@dataclass(frozen=True)
class Appraisal:
    """Financial indicators of one project.

    Attributes
    ----------
    npv_vnd : float [VND]
    irr : float or None [-/yr]
    discounted_payback_years : float or None [yr]
    simple_payback_years : float or None [yr]
    """

    npv_vnd: float
    irr: float | None
    discounted_payback_years: float | None
    simple_payback_years: float | None


def appraise(cash_flows: Sequence[float] | FloatArray, rate: float) -> Appraisal:
    """Return NPV, IRR, discounted and simple payback of ``cash_flows`` at ``rate``."""
    flows = np.asarray(cash_flows, dtype=np.float64)
    return Appraisal(npv(rate, flows), irr(flows), discounted_payback(rate, flows), discounted_payback(0.0, flows))
