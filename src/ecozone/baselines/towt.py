"""Hourly time-of-week-and-temperature (TOWT) baselines (LBNL; CalTRACK 2.0 §3.7–3.11).

Model of the energy of each hour::

    E_h = α_tow(h) + Σ_n β_n^occ·Tc_n(h)·occ(h) + Σ_n β_n^unocc·Tc_n(h)·(1 − occ(h)) + Σ_j γ_j·X_jh

with one coefficient per hour of the week (168, Monday 00:00 first), binned temperature
features ``Tc_n`` (CalTRACK §3.9: endpoints 30, 45, 55, 65, 75, 90 °F, bins with fewer than
20 hours merged), an occupancy flag per hour of the week (§3.8: occupied when more than
65 % of its hours are under-predicted by an HDD/CDD regression with balance points 50 and
65 °F) and optional drivers per hour. One model is fitted over the whole baseline (the
CalTRACK month-by-month weighting is not applied). Each meter is fitted by least squares
from its own design matrix: there is no candidate search to batch.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.findings import Finding, is_disqualified
from ecozone.baselines.goodness_of_fit import Acceptance, FitStatistics, effective_points, g14_acceptance, lag1_autocorrelation
from ecozone.baselines.model import Coefficient, baseline_window
from ecozone.baselines.observations import (
    PERIOD_COLUMN,
    TEMPERATURE_COLUMN,
    BoolArray,
    FloatArray,
    IntArray,
    Period,
    PreparedObservations,
    local_period_starts,
)
from ecozone.baselines.settings import BaselineSettings, Frequency
from ecozone.baselines.sufficiency import sufficiency_findings
from ecozone.baselines.uncertainty import two_sided_p_value

HOURS_PER_WEEK = 168
RANK_TOLERANCE = 1e-10


def time_of_week(timestamps: np.ndarray) -> IntArray:
    """Hour of the week of local timestamps, Monday 00:00 = 0 ... Sunday 23:00 = 167."""
    hours = np.asarray(timestamps, dtype="datetime64[h]").astype(np.int64)
    # 1970-01-01 00:00 was a Thursday: hour 72 of its week.
    return np.asarray((hours + 72) % HOURS_PER_WEEK, dtype=np.int64)


def merged_bin_endpoints(temperature_c: FloatArray, endpoints_c: tuple[float, ...], min_hours: int) -> tuple[float, ...]:
    """Drop bin endpoints until every temperature bin holds at least ``min_hours`` hours (CalTRACK §3.9.1.2).

    A sparse bin is merged with the next bin by dropping its upper endpoint; the highest bin
    drops its lower endpoint.
    """
    kept = list(endpoints_c)
    while kept:
        counts = np.bincount(np.searchsorted(np.asarray(kept), temperature_c, side="left"), minlength=len(kept) + 1)
        sparse = np.flatnonzero(counts < min_hours)
        if sparse.size == 0:
            break
        first = int(sparse[0])
        kept.pop(first if first < len(kept) else len(kept) - 1)
    return tuple(kept)


def temperature_features(temperature_c: FloatArray, endpoints_c: tuple[float, ...]) -> FloatArray:
    """Binned temperature features (CalTRACK §3.9.1.3–3.9.1.5), shape (hours, len(endpoints) + 1) [°C]."""
    temperature = np.asarray(temperature_c, dtype=np.float64)
    if not endpoints_c:
        return temperature[:, None]
    bounds = np.asarray(endpoints_c)
    columns = [np.minimum(temperature, bounds[0])]
    for lower, upper in itertools.pairwise(bounds):
        columns.append(np.clip(temperature - lower, 0.0, upper - lower))
    columns.append(np.maximum(temperature - bounds[-1], 0.0))
    return np.stack(columns, axis=1)


def occupancy(
    energy: FloatArray, temperature_c: FloatArray, tow: IntArray, balance_points_c: tuple[float, float], threshold: float
) -> BoolArray:
    """Occupied hours of the week: under-predicted more than ``threshold`` of the time (CalTRACK §3.8).

    The reference is the least-squares fit of ``E = μ + βh·max(τh − T, 0) + βc·max(T − τc, 0)``.
    """
    heating, cooling = balance_points_c
    design = np.stack(
        [np.ones_like(temperature_c), np.maximum(heating - temperature_c, 0.0), np.maximum(temperature_c - cooling, 0.0)], 1
    )
    beta = least_squares(design, energy)[0]
    under = (energy > design @ beta).astype(np.float64)
    hours = np.bincount(tow, minlength=HOURS_PER_WEEK)
    share = np.bincount(tow, weights=under, minlength=HOURS_PER_WEEK) / np.maximum(hours, 1)
    return np.asarray(share > threshold, dtype=np.bool_)


def towt_design(
    tow: IntArray, temperature_c: FloatArray, occupied: BoolArray, endpoints_c: tuple[float, ...], drivers: FloatArray
) -> FloatArray:
    """Design matrix: 168 time-of-week indicators, occupied and unoccupied temperature features, drivers."""
    indicators = np.zeros((tow.size, HOURS_PER_WEEK))
    indicators[np.arange(tow.size), tow] = 1.0
    features = temperature_features(temperature_c, endpoints_c)
    occ = occupied[tow].astype(np.float64)[:, None]
    return np.concatenate([indicators, features * occ, features * (1.0 - occ), drivers], axis=1)


def least_squares(design: FloatArray, response: FloatArray) -> tuple[FloatArray, int]:
    """Minimum-norm least squares through the column-scaled normal equations; returns (coefficients, rank).

    The design of a year of hours is tall and narrow (8,760 × ~185): solving its small Gram
    matrix by SVD is much faster than an SVD of the design, and handles the rank deficiency
    of temperature features that never leave one bin.
    """
    norms = np.sqrt((design**2).sum(axis=0))
    norms = np.where(norms > 0, norms, 1.0)
    scaled = design / norms
    solution, _, rank, _ = np.linalg.lstsq(scaled.T @ scaled, scaled.T @ response, rcond=RANK_TOLERANCE)
    return np.asarray(solution / norms, dtype=np.float64), int(rank)


@dataclass(frozen=True)
class TowtModel:
    """A fitted hourly time-of-week-and-temperature baseline.

    Attributes
    ----------
    meter_id : str
        The meter.
    bin_endpoints_c : tuple of float
        Temperature bin endpoints kept [°C].
    occupied : tuple of bool
        Occupancy of each hour of the week (168).
    time_of_week_coefficients : tuple of float
        Energy of each hour of the week at the reference temperature features [kWh] (NaN
        when that hour never occurred in the baseline).
    occupied_temperature_coefficients, unoccupied_temperature_coefficients : tuple of float
        Slopes of the temperature features [kWh/(h·°C)].
    coefficients : tuple of Coefficient
        Driver coefficients with their standard errors.
    drivers : tuple of str
        Drivers in the model.
    statistics : FitStatistics
        Goodness of fit (hourly).
    acceptance : Acceptance
        Guideline 14 hourly acceptance.
    findings : tuple of Finding
        Everything the checks found.
    baseline : Period
        Baseline window.
    temperature_range_c : (float, float)
        Baseline temperature range [°C].
    driver_ranges : mapping
        Baseline range of each driver per hour.
    settings : BaselineSettings
        Settings of the fit.
    energy_unit : str
        Unit of the energy.
    """

    meter_id: str
    bin_endpoints_c: tuple[float, ...]
    occupied: tuple[bool, ...]
    time_of_week_coefficients: tuple[float, ...]
    occupied_temperature_coefficients: tuple[float, ...]
    unoccupied_temperature_coefficients: tuple[float, ...]
    coefficients: tuple[Coefficient, ...]
    drivers: tuple[str, ...]
    statistics: FitStatistics
    acceptance: Acceptance
    findings: tuple[Finding, ...]
    baseline: Period
    temperature_range_c: tuple[float, float]
    driver_ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    settings: BaselineSettings = field(default_factory=BaselineSettings)
    energy_unit: str = "kWh"

    kind: ClassVar[str] = "towt"
    form: ClassVar[str] = "TOWT"
    frequency: ClassVar[Frequency] = "hourly"

    @property
    def is_disqualified(self) -> bool:
        """Whether a finding disqualifies the model for compliance reporting."""
        return is_disqualified(self.findings)

    @property
    def parameters(self) -> int:
        """Number of parameters p (rank of the design)."""
        return self.statistics.parameters

    def predict_arrays(
        self, period_start: np.ndarray, temperature_c: FloatArray, drivers: Mapping[str, FloatArray]
    ) -> FloatArray:
        """Predict the energy of hours starting at local ``period_start`` [kWh].

        Hours of the week absent from the baseline are predicted as NaN.
        """
        tow = time_of_week(period_start)
        features = temperature_features(np.asarray(temperature_c, dtype=np.float64), self.bin_endpoints_c)
        occupied = np.asarray(self.occupied, dtype=np.bool_)[tow][:, None]
        slopes = np.where(
            occupied, np.asarray(self.occupied_temperature_coefficients), np.asarray(self.unoccupied_temperature_coefficients)
        )
        energy = np.asarray(self.time_of_week_coefficients)[tow] + (features * slopes).sum(axis=1)
        for coefficient in self.coefficients:
            name = coefficient.name.removeprefix("driver:")
            if name not in drivers:
                raise BaselineInputError("baselines.error.missing_driver", driver=name, meter_id=self.meter_id)
            energy = energy + coefficient.value * np.asarray(drivers[name], dtype=np.float64)
        return np.asarray(energy, dtype=np.float64)

    def predict(self, frame: pd.DataFrame) -> FloatArray:
        """Predict the energy of the hours of ``frame`` (``period_start``, ``temperature_c``, drivers) [kWh]."""
        missing = [name for name in (PERIOD_COLUMN, TEMPERATURE_COLUMN, *self.drivers) if name not in frame.columns]
        if missing:
            raise BaselineInputError("baselines.error.missing_columns", columns=", ".join(missing), required=", ".join(missing))
        starts = local_period_starts(frame[PERIOD_COLUMN], "hourly").to_numpy(dtype="datetime64[s]")
        drivers = {name: frame[name].to_numpy(dtype=np.float64) for name in self.drivers}
        return self.predict_arrays(starts, frame[TEMPERATURE_COLUMN].to_numpy(dtype=np.float64), drivers)


def _statistics(energy: FloatArray, predicted: FloatArray, rank: int, settings: BaselineSettings) -> FitStatistics:
    points = energy.size
    residuals = energy - predicted
    sse = float((residuals**2).sum())
    mean = float(energy.mean())
    sst = float(((energy - mean) ** 2).sum())
    residual_df = points - rank
    r2 = 1.0 - sse / sst if sst > 0 else 0.0
    rho = float(lag1_autocorrelation(residuals[None, :], np.ones((1, points), dtype=np.bool_))[0])
    nan = float("nan")
    return FitStatistics(
        points=points,
        parameters=rank,
        r_squared=r2,
        adjusted_r_squared=1.0 - (1.0 - r2) * (points - 1) / residual_df if residual_df > 0 else nan,
        cv_rmse=float(np.sqrt(sse / residual_df) / mean) if residual_df > 0 else nan,
        nmbe=float(residuals.sum() / (residual_df * mean)) if residual_df > 0 else nan,
        rmse=float(np.sqrt(sse / residual_df)) if residual_df > 0 else nan,
        mean_energy=mean,
        sse=sse,
        autocorrelation=rho,
        effective_points=float(effective_points(np.array([points]), np.array([rho]), settings.autocorrelation_correction)[0]),
    )


@dataclass(frozen=True)
class _Series:
    """One meter's hourly baseline observations."""

    meter_id: str
    starts: np.ndarray
    energy: FloatArray
    temperature_c: FloatArray
    drivers: FloatArray
    driver_names: tuple[str, ...]


def _driver_coefficients(
    design: FloatArray, beta: FloatArray, series: _Series, residual_variance: float, energy_unit: str, residual_df: int
) -> tuple[Coefficient, ...]:
    count = len(series.driver_names)
    if count == 0:
        return ()
    covariance = np.linalg.pinv(design.T @ design) * residual_variance
    coefficients = []
    for offset, name in enumerate(series.driver_names):
        column = design.shape[1] - count + offset
        error = float(np.sqrt(max(covariance[column, column], 0.0)))
        t_value = float(beta[column] / error) if error > 0 else float("nan")
        p_value = two_sided_p_value(t_value, residual_df)
        coefficients.append(Coefficient(f"driver:{name}", float(beta[column]), error, t_value, p_value, f"{energy_unit}/{name}"))
    return tuple(coefficients)


def fit_towt(
    series: _Series, settings: BaselineSettings, findings: list[Finding], baseline: Period, energy_unit: str
) -> TowtModel:
    """Fit the TOWT model of one meter's hourly series."""
    tow = time_of_week(series.starts)
    endpoints = merged_bin_endpoints(series.temperature_c, settings.towt_bin_endpoints_c, settings.towt_min_bin_hours)
    occupied = occupancy(
        series.energy, series.temperature_c, tow, settings.towt_occupancy_balance_points_c, settings.towt_occupancy_threshold
    )
    design = towt_design(tow, series.temperature_c, occupied, endpoints, series.drivers)
    beta, rank = least_squares(design, series.energy)
    predicted = design @ beta
    statistics = _statistics(series.energy, predicted, int(rank), settings)
    seen = np.bincount(tow, minlength=HOURS_PER_WEEK) > 0
    features = len(endpoints) + 1
    residual_df = statistics.points - statistics.parameters
    variance = statistics.sse / residual_df if residual_df > 0 else float("nan")
    acceptance = g14_acceptance("hourly", statistics.cv_rmse, statistics.nmbe)
    if not acceptance.passes:
        data = {
            "cv_rmse_pct": round(100 * statistics.cv_rmse, 2),
            "nmbe_pct": round(100 * statistics.nmbe, 2),
            "cv_rmse_max_pct": round(100 * acceptance.cv_rmse_max, 1),
            "nmbe_max_pct": round(100 * acceptance.nmbe_max, 1),
            "interval": "hourly",
        }
        findings.append(Finding("baselines.model.g14_not_met", "warning", data))
    per_hour = series.drivers
    return TowtModel(
        meter_id=series.meter_id,
        bin_endpoints_c=endpoints,
        occupied=tuple(bool(value) for value in occupied),
        time_of_week_coefficients=tuple(
            float(value) if seen[index] else float("nan") for index, value in enumerate(beta[:HOURS_PER_WEEK])
        ),
        occupied_temperature_coefficients=tuple(float(v) for v in beta[HOURS_PER_WEEK : HOURS_PER_WEEK + features]),
        unoccupied_temperature_coefficients=tuple(
            float(v) for v in beta[HOURS_PER_WEEK + features : HOURS_PER_WEEK + 2 * features]
        ),
        coefficients=_driver_coefficients(design, beta, series, variance, energy_unit, residual_df),
        drivers=series.driver_names,
        statistics=statistics,
        acceptance=acceptance,
        findings=tuple(findings),
        baseline=baseline,
        temperature_range_c=(float(series.temperature_c.min()), float(series.temperature_c.max())),
        driver_ranges={
            name: (float(per_hour[:, index].min()), float(per_hour[:, index].max()))
            for index, name in enumerate(series.driver_names)
        },
        settings=settings,
        energy_unit=energy_unit,
    )


def fit_prepared_hourly(
    prepared: PreparedObservations, settings: BaselineSettings, energy_unit: str
) -> dict[str, tuple[TowtModel | None, tuple[Finding, ...]]]:
    """Fit the TOWT model of every meter of checked hourly observations.

    Returns
    -------
    dict
        Per meter id: the model (None for rejected meters) and all findings.
    """
    arrays = prepared.arrays
    findings: dict[str, list[Finding]] = {key: list(value) for key, value in prepared.findings.items()}
    for meter_id, extra in sufficiency_findings(arrays, prepared.windows, settings).items():
        findings.setdefault(meter_id, []).extend(extra)
    result: dict[str, tuple[TowtModel | None, tuple[Finding, ...]]] = {}
    for row, meter_id in enumerate(arrays.meter_ids):
        valid = arrays.valid[row]
        active = arrays.active_drivers[row]
        series = _Series(
            meter_id=meter_id,
            starts=arrays.period_start[row][valid],
            energy=arrays.energy[row][valid],
            temperature_c=arrays.temperature_c[row][valid],
            drivers=arrays.drivers[row][valid][:, active],
            driver_names=tuple(name for name, kept in zip(arrays.driver_names, active, strict=True) if kept),
        )
        own = findings.setdefault(meter_id, [])
        first, last = prepared.windows[meter_id]
        model = fit_towt(series, settings, own, baseline_window(first, last, "daily"), energy_unit)
        result[meter_id] = (model, tuple(own))
    for meter_id in sorted({*prepared.rejected, *findings} - set(result)):
        result[meter_id] = (None, tuple(findings.get(meter_id, [])))
    return dict(sorted(result.items()))
