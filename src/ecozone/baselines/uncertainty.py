"""Savings uncertainty after ASHRAE Guideline 14 (Annex B), with the autocorrelation correction.

The uncertainty of the savings over m reporting periods predicted by a baseline of n periods
and p parameters, with lag-1 residual autocorrelation ρ, is::

    ΔE_save = t(α_c, n' − p) · α · CV(RMSE) · sqrt( (n / n') · (1 + 2 / n') · (1 / m) ) · E_baseline

where n' = n (1 − ρ)/(1 + ρ) when ρ > 0 (else n), t is the two-sided Student quantile at
confidence α_c, α = 1.26 (Guideline 14) or the Sun & Baltazar polynomial ``a·M² + b·M + d``
of the number M of reporting months (CalTRACK 2.0 §4.3.2.4), and E_baseline the adjusted
baseline (counterfactual) energy of the reporting period. The fractional savings uncertainty
is ``FSU = ΔE_save / E_save`` (= the formula above divided by the savings fraction F).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from scipy import special  # type: ignore[import-untyped]

from ecozone.baselines.method_parameters import parameter_value
from ecozone.baselines.settings import Frequency, UncertaintyMethod


def t_quantile(confidence: float, degrees_of_freedom: float) -> float:
    """Two-sided Student t quantile: P(|T| ≤ t) = ``confidence`` with ``degrees_of_freedom`` [-]."""
    if not degrees_of_freedom > 0:
        return math.nan
    return float(special.stdtrit(degrees_of_freedom, 0.5 + confidence / 2.0))


def two_sided_p_value(t_statistic: float, degrees_of_freedom: float) -> float:
    """p-value of a two-sided t test."""
    if not (degrees_of_freedom > 0 and math.isfinite(t_statistic)):
        return math.nan
    return float(2.0 * special.stdtr(degrees_of_freedom, -abs(t_statistic)))


def correction_factor(method: UncertaintyMethod, frequency: Frequency, reporting_months: float) -> float:
    """The factor α replacing 1.26 (Guideline 14) or the Sun & Baltazar polynomial [-].

    The polynomial is given for daily and billing (monthly) data only; hourly models use 1.26.
    """
    if method == "g14" or frequency == "hourly":
        return parameter_value("g14_fsu_alpha")
    a = parameter_value(f"sun_baltazar_{frequency}_a")
    b = parameter_value(f"sun_baltazar_{frequency}_b")
    d = parameter_value(f"sun_baltazar_{frequency}_d")
    return a * reporting_months**2 + b * reporting_months + d


@dataclass(frozen=True)
class SavingsUncertainty:
    """Uncertainty of reported savings at one confidence level.

    Attributes
    ----------
    confidence : float [-]
        Two-sided confidence level (e.g. 0.68).
    absolute : float [kWh]
        Half-width of the interval of the savings.
    fractional : float [-]
        ``absolute / |savings|`` (NaN when the savings are zero).
    t_value : float [-]
        Student quantile used.
    """

    confidence: float
    absolute: float
    fractional: float
    t_value: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dictionary (NaN as None)."""
        return {name: (None if isinstance(v, float) and not math.isfinite(v) else v) for name, v in asdict(self).items()}


def savings_uncertainty(
    *,
    confidence: float,
    cv_rmse: float,
    points: int,
    effective_points: float,
    parameters: int,
    reporting_points: int,
    counterfactual_total: float,
    savings: float,
    factor: float,
) -> SavingsUncertainty:
    """Guideline 14 uncertainty of the savings over ``reporting_points`` periods.

    Parameters
    ----------
    confidence : float [-]
        Two-sided confidence level.
    cv_rmse : float [-]
        Baseline CV(RMSE) (n − p).
    points, effective_points : int, float
        Baseline periods n and their effective number n'.
    parameters : int
        Model parameters p.
    reporting_points : int
        Reporting periods m used in the savings.
    counterfactual_total : float [kWh]
        Adjusted baseline energy over those periods.
    savings : float [kWh]
        Savings over those periods.
    factor : float [-]
        α (:func:`correction_factor`).

    Returns
    -------
    SavingsUncertainty
        NaN values when n' ≤ p or m = 0.
    """
    t_value = t_quantile(confidence, effective_points - parameters)
    if reporting_points <= 0 or not effective_points > 0 or not math.isfinite(t_value):
        return SavingsUncertainty(confidence, math.nan, math.nan, t_value)
    spread = math.sqrt((points / effective_points) * (1.0 + 2.0 / effective_points) / reporting_points)
    absolute = t_value * factor * cv_rmse * spread * abs(counterfactual_total)
    fractional = absolute / abs(savings) if savings != 0 else math.nan
    return SavingsUncertainty(confidence, absolute, fractional, t_value)
