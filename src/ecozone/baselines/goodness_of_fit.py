"""Goodness of fit of a baseline: R², adjusted R², CV(RMSE), NMBE and residual autocorrelation.

Definitions (ASHRAE Guideline 14-2014, Annex B, with the degrees-of-freedom corrections),
for n periods, p model parameters (regression coefficients *and* estimated balance points),
measured energy y_i, predicted ŷ_i and mean ȳ:

- ``CV(RMSE) = sqrt(Σ (y_i − ŷ_i)² / (n − p)) / ȳ``
- ``NMBE = Σ (y_i − ŷ_i) / ((n − p) · ȳ)`` — sign convention **measured minus predicted**
  (a positive NMBE means the model under-predicts)
- ``R² = 1 − SSE / SST`` and ``adjusted R² = 1 − (1 − R²)(n − 1)/(n − p)``

All functions are vectorised over meters: arrays of shape (meters, periods) with a boolean
``valid`` mask; they return one value per meter.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np

from ecozone.baselines.method_parameters import method_parameter
from ecozone.baselines.observations import BoolArray, FloatArray, IntArray
from ecozone.baselines.settings import Frequency

NMBE_CONVENTION = "measured_minus_predicted"


def _masked(values: FloatArray, valid: BoolArray) -> FloatArray:
    return np.where(valid, values, 0.0)


def mean_energy(measured: FloatArray, valid: BoolArray) -> FloatArray:
    """Mean measured energy per period [kWh]."""
    mean: FloatArray = _masked(measured, valid).sum(axis=1) / np.maximum(valid.sum(axis=1), 1)
    return mean


def cv_rmse(measured: FloatArray, predicted: FloatArray, valid: BoolArray, parameters: IntArray) -> FloatArray:
    """Coefficient of variation of the root-mean-square error, n − p degrees of freedom [-]."""
    residual_df = valid.sum(axis=1) - parameters
    sse = _masked((measured - predicted) ** 2, valid).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = np.sqrt(sse / residual_df) / mean_energy(measured, valid)
    return np.where(residual_df > 0, result, np.nan)


def nmbe(measured: FloatArray, predicted: FloatArray, valid: BoolArray, parameters: IntArray) -> FloatArray:
    """Normalised mean bias error, n − p degrees of freedom, measured minus predicted [-]."""
    residual_df = valid.sum(axis=1) - parameters
    bias = _masked(measured - predicted, valid).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = bias / (residual_df * mean_energy(measured, valid))
    return np.where(residual_df > 0, result, np.nan)


def r_squared(measured: FloatArray, predicted: FloatArray, valid: BoolArray) -> FloatArray:
    """Coefficient of determination ``1 − SSE/SST`` [-]."""
    mean = mean_energy(measured, valid)
    sse = _masked((measured - predicted) ** 2, valid).sum(axis=1)
    sst = _masked((measured - mean[:, None]) ** 2, valid).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sst > 0, 1.0 - sse / sst, np.nan)


def adjusted_r_squared(r2: FloatArray, points: IntArray, parameters: IntArray) -> FloatArray:
    """Adjusted R² ``1 − (1 − R²)(n − 1)/(n − p)`` [-]."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(points - parameters > 0, 1.0 - (1.0 - r2) * (points - 1) / (points - parameters), np.nan)


def lag1_autocorrelation(residuals: FloatArray, valid: BoolArray) -> FloatArray:
    """Lag-1 autocorrelation of the residuals in time order (gaps ignored) [-].

    ``ρ = Σ (e_t − ē)(e_{t+1} − ē) / Σ (e_t − ē)²`` over consecutive observations.
    """
    order = np.argsort(~valid, axis=1, kind="stable")
    ordered = np.take_along_axis(np.where(valid, residuals, 0.0), order, axis=1)
    kept = np.take_along_axis(valid, order, axis=1)
    mean = ordered.sum(axis=1) / np.maximum(kept.sum(axis=1), 1)
    centred = np.where(kept, ordered - mean[:, None], 0.0)
    pairs = kept[:, 1:] & kept[:, :-1]
    numerator = np.where(pairs, centred[:, 1:] * centred[:, :-1], 0.0).sum(axis=1)
    denominator = (centred**2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, 0.0)


def effective_points(points: IntArray | FloatArray, autocorrelation: FloatArray, correct: bool = True) -> FloatArray:
    """Effective number of independent points ``n' = n (1 − ρ)/(1 + ρ)`` (ρ > 0 only) [-]."""
    rho = np.clip(autocorrelation, 0.0, 0.999999) if correct else np.zeros_like(autocorrelation)
    return np.asarray(points, dtype=np.float64) * (1.0 - rho) / (1.0 + rho)


@dataclass(frozen=True)
class FitStatistics:
    """Goodness of fit of one baseline model.

    Attributes
    ----------
    points : int
        Baseline periods n.
    parameters : int
        Model parameters p (coefficients and estimated balance points).
    r_squared, adjusted_r_squared : float [-]
        Of the regression as fitted (weighted for monthly data).
    cv_rmse : float [-]
        CV(RMSE) of the period energies (G14, n − p).
    nmbe : float [-]
        NMBE of the period energies (G14, n − p; measured minus predicted).
    rmse : float [kWh]
        ``sqrt(SSE/(n − p))`` of the period energies.
    mean_energy : float [kWh]
        Mean measured energy per period.
    sse : float [kWh²]
        Sum of squared residuals of the period energies.
    autocorrelation : float [-]
        Lag-1 autocorrelation of the residuals.
    effective_points : float [-]
        n' after the autocorrelation correction.
    """

    points: int
    parameters: int
    r_squared: float
    adjusted_r_squared: float
    cv_rmse: float
    nmbe: float
    rmse: float
    mean_energy: float
    sse: float
    autocorrelation: float
    effective_points: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dictionary (NaN as None)."""
        return {name: _plain(value) for name, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> FitStatistics:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            points=int(document["points"]),
            parameters=int(document["parameters"]),
            **{name: _number(document[name]) for name in _FLOAT_FIELDS},
        )


_FLOAT_FIELDS = (
    "r_squared",
    "adjusted_r_squared",
    "cv_rmse",
    "nmbe",
    "rmse",
    "mean_energy",
    "sse",
    "autocorrelation",
    "effective_points",
)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _number(value: Any) -> float:
    return float("nan") if value is None else float(value)


Interval = Literal["monthly", "daily", "hourly"]


@dataclass(frozen=True)
class Acceptance:
    """ASHRAE Guideline 14 acceptance of a baseline model.

    Attributes
    ----------
    interval : {"monthly", "daily", "hourly"}
        Data interval whose limits apply (daily models use the hourly limits, an ecozone convention).
    cv_rmse_max, nmbe_max : float [-]
        Limits (fractions).
    cv_rmse_passes, nmbe_passes : bool
        Whether each limit is met.
    status : str
        ``verified`` only if both limits were read in the primary text, else ``unverified``.
    """

    interval: Interval
    cv_rmse_max: float
    nmbe_max: float
    cv_rmse_passes: bool
    nmbe_passes: bool
    status: str

    @property
    def passes(self) -> bool:
        """Both limits met."""
        return self.cv_rmse_passes and self.nmbe_passes

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dictionary."""
        return {**asdict(self), "passes": self.passes}

    @classmethod
    def from_dict(cls, document: dict[str, Any]) -> Acceptance:
        """Rebuild from :meth:`to_dict` output."""
        fields = {name: document[name] for name in ("interval", "cv_rmse_max", "nmbe_max", "cv_rmse_passes", "nmbe_passes")}
        return cls(**fields, status=str(document["status"]))


def g14_limits(frequency: Frequency) -> tuple[float, float, str]:
    """Return (CV(RMSE) limit, |NMBE| limit, status) for ``frequency`` as fractions."""
    cv = method_parameter(f"g14_cv_rmse_max_{frequency}")
    bias = method_parameter(f"g14_nmbe_max_{frequency}")
    status = "verified" if cv.status == bias.status == "verified" else "unverified"
    return cv.value / 100.0, bias.value / 100.0, status


def g14_acceptance(frequency: Frequency, cv_rmse_value: float, nmbe_value: float) -> Acceptance:
    """Judge a model against the Guideline 14 limits of its data interval.

    Parameters
    ----------
    frequency : {"monthly", "daily", "hourly"}
        Data interval of the model.
    cv_rmse_value, nmbe_value : float [-]
        The model's CV(RMSE) and NMBE (fractions).
    """
    cv_max, nmbe_max, status = g14_limits(frequency)
    return Acceptance(
        interval=frequency,
        cv_rmse_max=cv_max,
        nmbe_max=nmbe_max,
        cv_rmse_passes=bool(np.isfinite(cv_rmse_value) and cv_rmse_value <= cv_max),
        nmbe_passes=bool(np.isfinite(nmbe_value) and abs(nmbe_value) <= nmbe_max),
        status=status,
    )
