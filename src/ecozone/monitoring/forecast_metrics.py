"""Forecast accuracy: MAPE, MASE and the pinball loss of quantile forecasts.

- MAPE = mean(|y − ŷ| / |y|) × 100 over the points where y ≠ 0 [%];
- MASE = mean |y − ŷ| / mean |yₜ − yₜ₋ₘ| where the denominator is the in-sample error of the
  seasonal-naive forecast with season m over the training series (Hyndman R.J., Koehler A.B.
  (2006) Another look at measures of forecast accuracy, Int. J. Forecasting 22(4):679-688);
  below 1 the forecast beats the in-sample seasonal-naive forecast;
- pinball loss of the q-quantile forecast = mean(max(q (y − ŷ), (q − 1)(y − ŷ))) (Koenker R.,
  Bassett G. (1978) Regression quantiles, Econometrica 46(1):33-50).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _pair(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    y = np.asarray(actual, dtype=np.float64)
    f = np.asarray(forecast, dtype=np.float64)
    keep = ~np.isnan(y) & ~np.isnan(f)
    return y[keep], f[keep]


def mae(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Mean absolute error over the points where both are known [unit of the series]."""
    y, f = _pair(actual, forecast)
    return float(np.mean(np.abs(y - f))) if y.size else float("nan")


def mape(actual: npt.ArrayLike, forecast: npt.ArrayLike) -> float:
    """Mean absolute percentage error over the points where the actual value is not zero [%]."""
    y, f = _pair(actual, forecast)
    nonzero = y != 0
    return float(np.mean(np.abs((y[nonzero] - f[nonzero]) / y[nonzero])) * 100.0) if nonzero.any() else float("nan")


def seasonal_naive_scale(training: npt.ArrayLike, season: int) -> float:
    """Mean absolute error of the in-sample seasonal-naive forecast yₜ₋ₘ of ``training`` [unit]."""
    values = np.asarray(training, dtype=np.float64)
    if values.size <= season:
        return float("nan")
    differences = np.abs(values[season:] - values[:-season])
    differences = differences[~np.isnan(differences)]
    return float(np.mean(differences)) if differences.size else float("nan")


def mase(actual: npt.ArrayLike, forecast: npt.ArrayLike, training: npt.ArrayLike, season: int) -> float:
    """Mean absolute scaled error of ``forecast`` against ``actual`` with seasonal period ``season`` [-]."""
    scale = seasonal_naive_scale(training, season)
    return mae(actual, forecast) / scale if scale and not np.isnan(scale) else float("nan")


def pinball_loss(actual: npt.ArrayLike, forecast: npt.ArrayLike, quantile: float) -> float:
    """Mean pinball (quantile) loss of a ``quantile`` forecast [unit of the series]."""
    y, f = _pair(actual, forecast)
    difference = y - f
    return float(np.mean(np.maximum(quantile * difference, (quantile - 1.0) * difference))) if y.size else float("nan")


def coverage(actual: npt.ArrayLike, lower: npt.ArrayLike, upper: npt.ArrayLike) -> float:
    """Share of actual values inside [lower, upper] [-]."""
    y = np.asarray(actual, dtype=np.float64)
    low = np.asarray(lower, dtype=np.float64)
    high = np.asarray(upper, dtype=np.float64)
    keep = ~np.isnan(y) & ~np.isnan(low) & ~np.isnan(high)
    return float(np.mean((y[keep] >= low[keep]) & (y[keep] <= high[keep]))) if keep.any() else float("nan")
