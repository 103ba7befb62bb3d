"""Savings: avoided energy use, CUSUM, uncertainty, non-routine events and normalised savings.

Avoided energy use (IPMVP; CalTRACK 2.0 §3.6) in each reporting period is the baseline
model's counterfactual minus the measured energy. Cumulative savings add it up; the CUSUM
of ISO 50006 practice adds up measured minus expected (it falls while savings accrue).
Periods after a step change in residuals that the baseline's drivers do not explain are
flagged as a non-routine event and left out of the reported savings (they are still shown).
The savings uncertainty follows ASHRAE Guideline 14 (:mod:`ecozone.baselines.uncertainty`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.findings import Finding, is_disqualified
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.non_routine import StepTest, flag_segments, step_changes
from ecozone.baselines.observations import (
    DAYS_COLUMN,
    ENERGY_COLUMN,
    PERIOD_COLUMN,
    TEMPERATURE_COLUMN,
    BoolArray,
    FloatArray,
    IntArray,
    Period,
    local_period_starts,
    period_days,
)
from ecozone.baselines.towt import TowtModel
from ecozone.baselines.uncertainty import SavingsUncertainty, correction_factor, savings_uncertainty

BaselineModel = ChangePointModel | TowtModel
PERIOD_COLUMNS = ("period_start", "observed", "counterfactual", "savings", "cumulative_savings", "cusum", "flagged")
MONTHS_PER_DAY = 12.0 / 365.25


@dataclass(frozen=True)
class NonRoutineEvent:
    """A run of reporting periods whose residuals stepped away from the routine level.

    Attributes
    ----------
    start, end : str
        First and last period start of the run (ISO dates or date-times).
    periods : int
        Periods in the run.
    shift : float [kWh per period]
        Mean residual (measured − counterfactual) of the run minus that of the routine level.
    z_score : float [-]
        Standardised size of the shift.
    """

    start: str
    end: str
    periods: int
    shift: float
    z_score: float


@dataclass(frozen=True)
class SavingsResult:
    """Savings of one meter over a reporting period.

    Attributes
    ----------
    meter_id : str
        The meter.
    reporting : Period
        Reporting period (days covered by the data used).
    periods : pandas.DataFrame
        One row per period: ``period_start``, ``observed``, ``counterfactual``, ``savings``
        (counterfactual − observed), ``cumulative_savings``, ``cusum`` (cumulative observed −
        counterfactual) [kWh] and ``flagged`` (non-routine event).
    observed_total, counterfactual_total : float [kWh]
        Over the periods not flagged.
    savings : float [kWh]
        Avoided energy use over the periods not flagged (the reported savings).
    savings_all_periods : float [kWh]
        Avoided energy use including flagged periods.
    savings_fraction : float [-]
        ``savings / counterfactual_total``.
    uncertainty : tuple of SavingsUncertainty
        One per confidence level of the settings.
    non_routine_events : tuple of NonRoutineEvent
        Flagged runs.
    findings : tuple of Finding
        Warnings (extrapolation, events, uncertainty) and the model's disqualifications.
    energy_unit : str
        Unit of the energies.
    """

    meter_id: str
    reporting: Period
    periods: pd.DataFrame
    observed_total: float
    counterfactual_total: float
    savings: float
    savings_all_periods: float
    savings_fraction: float
    uncertainty: tuple[SavingsUncertainty, ...]
    non_routine_events: tuple[NonRoutineEvent, ...]
    findings: tuple[Finding, ...]
    energy_unit: str = "kWh"

    @property
    def is_disqualified(self) -> bool:
        """Whether a finding disqualifies these savings for compliance reporting."""
        return is_disqualified(self.findings)

    def uncertainty_at(self, confidence: float) -> SavingsUncertainty:
        """The uncertainty at ``confidence`` (KeyError if it was not computed)."""
        for item in self.uncertainty:
            if abs(item.confidence - confidence) < 1e-9:
                return item
        raise KeyError(confidence)

    def to_dict(self, *, with_periods: bool = True) -> dict[str, Any]:
        """Return a JSON-compatible dictionary."""
        document: dict[str, Any] = {
            "meter_id": self.meter_id,
            "reporting": {"start": self.reporting.start.isoformat(), "end": self.reporting.end.isoformat()},
            "energy_unit": self.energy_unit,
            "observed_total": self.observed_total,
            "counterfactual_total": self.counterfactual_total,
            "savings": self.savings,
            "savings_all_periods": self.savings_all_periods,
            "savings_fraction": _finite(self.savings_fraction),
            "uncertainty": [item.to_dict() for item in self.uncertainty],
            "non_routine_events": [vars(event) for event in self.non_routine_events],
            "findings": [finding.to_dict() for finding in self.findings],
            "disqualified": self.is_disqualified,
        }
        if with_periods:
            frame = self.periods.assign(period_start=self.periods["period_start"].astype(str))
            document["periods"] = [
                {key: _finite(value) if isinstance(value, float) else value for key, value in row.items()}
                for row in frame.to_dict(orient="records")
            ]
        return document


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


@dataclass(frozen=True)
class _Reporting:
    """Checked reporting observations of one meter, time order."""

    starts: pd.Series
    observed: FloatArray
    temperature_c: FloatArray
    days: FloatArray
    drivers: dict[str, FloatArray]


def _reporting_rows(model: BaselineModel, table: pd.DataFrame, reporting: Period | None) -> _Reporting:
    required = (PERIOD_COLUMN, ENERGY_COLUMN, TEMPERATURE_COLUMN, *model.drivers)
    missing = [name for name in required if name not in table.columns]
    if missing:
        raise BaselineInputError("baselines.error.missing_columns", columns=", ".join(missing), required=", ".join(required))
    starts = local_period_starts(table[PERIOD_COLUMN], model.frequency)
    frame = pd.DataFrame(
        {
            PERIOD_COLUMN: starts,
            ENERGY_COLUMN: pd.to_numeric(table[ENERGY_COLUMN], errors="coerce"),
            TEMPERATURE_COLUMN: pd.to_numeric(table[TEMPERATURE_COLUMN], errors="coerce"),
            DAYS_COLUMN: table[DAYS_COLUMN] if DAYS_COLUMN in table.columns else period_days(starts, model.frequency),
            **{name: pd.to_numeric(table[name], errors="coerce") for name in model.drivers},
        }
    )
    if frame[PERIOD_COLUMN].duplicated().any():
        count = int(frame[PERIOD_COLUMN].duplicated(keep=False).sum())
        raise BaselineInputError("baselines.error.duplicate_periods", count=count, examples=model.meter_id)
    if reporting is not None:
        low, high = reporting.bounds()
        stamps = frame[PERIOD_COLUMN].to_numpy(dtype="datetime64[s]")
        frame = frame[(stamps >= low) & (stamps < high)]
    frame = frame.dropna().sort_values(PERIOD_COLUMN)
    if frame.empty:
        raise BaselineInputError("baselines.error.no_reporting_data", meter_id=model.meter_id, period=str(reporting or "-"))
    return _Reporting(
        starts=frame[PERIOD_COLUMN].reset_index(drop=True),
        observed=frame[ENERGY_COLUMN].to_numpy(dtype=np.float64),
        temperature_c=frame[TEMPERATURE_COLUMN].to_numpy(dtype=np.float64),
        days=frame[DAYS_COLUMN].to_numpy(dtype=np.float64),
        drivers={name: frame[name].to_numpy(dtype=np.float64) for name in model.drivers},
    )


def _covered(starts: pd.Series, frequency: str) -> Period:
    first = pd.Timestamp(starts.iloc[0])
    last = pd.Timestamp(starts.iloc[-1])
    end = (last + pd.offsets.MonthEnd(0)) if frequency == "monthly" else last
    return Period(first.date(), end.date())


def check_reporting_period(model: BaselineModel, reporting: Period) -> None:
    """Refuse a reporting period that shares a day with the model's baseline.

    Raises
    ------
    BaselineInputError
        If the periods overlap.
    """
    if reporting.overlaps(model.baseline):
        raise BaselineInputError(
            "baselines.error.reporting_overlaps_baseline",
            reporting=str(reporting),
            baseline=str(model.baseline),
            meter_id=model.meter_id,
        )


def _counterfactual(model: BaselineModel, rows: _Reporting) -> FloatArray:
    if isinstance(model, TowtModel):
        return model.predict_arrays(rows.starts.to_numpy(dtype="datetime64[s]"), rows.temperature_c, rows.drivers)
    return model.predict_arrays(rows.temperature_c, rows.days, rows.drivers)


def _plausible(model: BaselineModel, rows: _Reporting) -> None:
    low, high = model.settings.plausible_temperature_c
    if rows.temperature_c.min() < low or rows.temperature_c.max() > high:
        raise BaselineInputError(
            "baselines.error.implausible_reporting_temperature",
            meter_id=model.meter_id,
            minimum=round(float(rows.temperature_c.min()), 2),
            maximum=round(float(rows.temperature_c.max()), 2),
            low=low,
            high=high,
        )


def extrapolation_findings(
    model: BaselineModel, temperature_c: FloatArray, drivers: dict[str, FloatArray], days: FloatArray
) -> list[Finding]:
    """Warn when reporting conditions leave the baseline's range (temperature by the CalTRACK margin)."""
    findings: list[Finding] = []
    low, high = model.temperature_range_c
    margin = model.settings.extrapolation_margin * (high - low)
    outside = (temperature_c < low - margin) | (temperature_c > high + margin)
    if outside.any():
        data = {
            "share_pct": round(100.0 * float(outside.mean()), 1),
            "minimum": round(float(temperature_c.min()), 2),
            "maximum": round(float(temperature_c.max()), 2),
            "baseline_minimum": round(low, 2),
            "baseline_maximum": round(high, 2),
        }
        findings.append(Finding("baselines.savings.temperature_extrapolation", "warning", data))
    for name, (driver_low, driver_high) in model.driver_ranges.items():
        per_period = drivers[name] / (days if model.frequency != "hourly" else 1.0)
        beyond = (per_period < driver_low) | (per_period > driver_high)
        if beyond.any():
            detail = {"driver": name, "share_pct": round(100.0 * float(beyond.mean()), 1), "low": driver_low, "high": driver_high}
            findings.append(Finding("baselines.savings.driver_extrapolation", "warning", detail))
    return findings


def _detection_series(model: BaselineModel, starts: pd.Series, residuals: FloatArray) -> tuple[FloatArray, IntArray, pd.Series]:
    """Residuals on the detection scale: days for hourly models (summed), else the periods themselves.

    Returns the series, the index of each period into it, and the series' period starts.
    """
    if model.frequency != "hourly":
        return residuals, np.arange(residuals.size, dtype=np.int64), starts
    days = starts.dt.floor("D")
    codes, uniques = pd.factorize(days, sort=True)
    totals = np.asarray(np.bincount(codes, weights=residuals), dtype=np.float64)
    return totals, np.asarray(codes, dtype=np.int64), pd.Series(uniques)


def _step_test(model: BaselineModel) -> StepTest:
    settings, statistics = model.settings, model.statistics
    sigma, level = statistics.rmse, statistics.mean_energy
    if model.frequency == "hourly":
        sigma, level = sigma * np.sqrt(24.0), level * 24.0
    minimum = settings.nre_min_segment_monthly if model.frequency == "monthly" else settings.nre_min_segment_daily
    return StepTest(
        sigma=float(sigma),
        autocorrelation=statistics.autocorrelation,
        level=float(level),
        min_segment=minimum,
        z_threshold=settings.nre_z_threshold,
        min_shift_fraction=settings.nre_min_shift_fraction,
    )


def _non_routine(model: BaselineModel, starts: pd.Series, residuals: FloatArray) -> tuple[tuple[NonRoutineEvent, ...], BoolArray]:
    series, index, series_starts = _detection_series(model, starts, residuals)
    test = _step_test(model)
    steps = step_changes(series, test, model.settings.nre_max_events)
    segments, flagged = flag_segments(series, steps, test)
    events = tuple(
        NonRoutineEvent(
            start=pd.Timestamp(series_starts.iloc[segment.start]).isoformat(),
            end=pd.Timestamp(series_starts.iloc[segment.end - 1]).isoformat(),
            periods=segment.end - segment.start,
            shift=segment.shift,
            z_score=segment.z_score,
        )
        for segment in segments
    )
    return events, flagged[index]


def _reporting_months(rows: _Reporting, frequency: str) -> float:
    return float(rows.days.sum()) * MONTHS_PER_DAY if frequency != "hourly" else rows.observed.size / 24.0 * MONTHS_PER_DAY


def model_uncertainty(
    model: BaselineModel, *, confidence: float, periods: int, counterfactual: float, savings: float, months: float
) -> SavingsUncertainty:
    """Guideline 14 uncertainty of ``savings`` over ``periods`` periods predicted by ``model``.

    ``months`` is the length of those periods in months (for the Sun & Baltazar factor).
    """
    statistics = model.statistics
    return savings_uncertainty(
        confidence=confidence,
        cv_rmse=statistics.cv_rmse,
        points=statistics.points,
        effective_points=statistics.effective_points,
        parameters=statistics.parameters,
        reporting_points=periods,
        counterfactual_total=counterfactual,
        savings=savings,
        factor=correction_factor(model.settings.uncertainty_method, model.frequency, months),
    )


def _uncertainties(
    model: BaselineModel, m: int, counterfactual: float, savings: float, months: float
) -> tuple[SavingsUncertainty, ...]:
    return tuple(
        model_uncertainty(model, confidence=level, periods=m, counterfactual=counterfactual, savings=savings, months=months)
        for level in model.settings.confidence_levels
    )


def _uncertainty_findings(uncertainty: tuple[SavingsUncertainty, ...], savings: float) -> list[Finding]:
    from ecozone.baselines.method_parameters import parameter_value

    findings = []
    limit = parameter_value("g14_fsu_max_68") / 100.0
    for item in uncertainty:
        if not np.isfinite(item.absolute):
            findings.append(
                Finding("baselines.savings.uncertainty_undefined", "warning", {"confidence_pct": round(100 * item.confidence)})
            )
            break
        if abs(item.confidence - 0.68) < 1e-9 and not item.fractional < limit:
            data = {
                "fsu_pct": round(100 * item.fractional, 1) if np.isfinite(item.fractional) else None,
                "limit_pct": 100 * limit,
            }
            findings.append(Finding("baselines.savings.uncertainty_too_high", "warning", {**data, "savings": round(savings, 1)}))
    return findings


def avoided_energy(model: BaselineModel, table: pd.DataFrame, *, reporting: Period | None = None) -> SavingsResult:
    """Savings of one meter: counterfactual from the baseline model minus measured energy.

    Parameters
    ----------
    model : ChangePointModel or TowtModel
        Fitted baseline.
    table : pandas.DataFrame
        Reporting observations of the meter: ``period_start``, ``energy`` [kWh],
        ``temperature_c`` [°C], the model's drivers and optional ``days``.
    reporting : Period, optional
        Reporting period (rows outside are ignored); else the span of the data.

    Returns
    -------
    SavingsResult

    Raises
    ------
    BaselineInputError
        If columns are missing, periods are duplicated, no data remain, temperatures are
        implausible (e.g. °F declared as °C) or the reporting period overlaps the baseline.
    """
    rows = _reporting_rows(model, table, reporting)
    covered = reporting or _covered(rows.starts, model.frequency)
    check_reporting_period(model, covered)
    _plausible(model, rows)
    findings: list[Finding] = []
    if model.is_disqualified:
        codes = sorted({f.code for f in model.findings if f.severity == "disqualification"})
        findings.append(Finding("baselines.savings.disqualified_model", "disqualification", {"codes": ", ".join(codes)}))
    counterfactual = _counterfactual(model, rows)
    known = np.isfinite(counterfactual)
    if not known.all():
        findings.append(Finding("baselines.savings.unpredictable_periods", "warning", {"count": int((~known).sum())}))
    findings.extend(extrapolation_findings(model, rows.temperature_c, rows.drivers, rows.days))
    observed = rows.observed
    residuals = np.where(known, observed - counterfactual, 0.0)
    events, flagged = _non_routine(model, rows.starts, residuals)
    if events:
        data = {"count": len(events), "first": events[0].start, "shift": round(events[0].shift, 1)}
        findings.append(Finding("baselines.savings.non_routine_event", "warning", data))
    savings_each = np.where(known, counterfactual - observed, np.nan)
    used = known & ~flagged
    total_counterfactual = float(counterfactual[used].sum())
    total_savings = float(savings_each[used].sum())
    uncertainty = _uncertainties(
        model, int(used.sum()), total_counterfactual, total_savings, _reporting_months(rows, model.frequency)
    )
    findings.extend(_uncertainty_findings(uncertainty, total_savings))
    periods = pd.DataFrame(
        {
            "period_start": rows.starts,
            "observed": observed,
            "counterfactual": counterfactual,
            "savings": savings_each,
            "cumulative_savings": np.nancumsum(savings_each),
            "cusum": np.nancumsum(-savings_each),
            "flagged": flagged,
        },
        columns=list(PERIOD_COLUMNS),
    )
    return SavingsResult(
        meter_id=model.meter_id,
        reporting=covered,
        periods=periods,
        observed_total=float(observed[used].sum()),
        counterfactual_total=total_counterfactual,
        savings=total_savings,
        savings_all_periods=float(np.nansum(savings_each)),
        savings_fraction=total_savings / total_counterfactual if total_counterfactual else float("nan"),
        uncertainty=uncertainty,
        non_routine_events=events,
        findings=tuple(findings),
        energy_unit=model.energy_unit,
    )


def aggregate_uncertainty(results: Sequence[SavingsResult], confidence: float) -> float:
    """Uncertainty of the sum of several meters' savings: root sum of squares (CalTRACK 2.0 §4.3.2.5) [kWh]."""
    return float(np.sqrt(sum(result.uncertainty_at(confidence).absolute ** 2 for result in results)))


@dataclass(frozen=True)
class NormalisedSavings:
    """Savings under fixed (standard) conditions: both periods' models predict the same conditions.

    Attributes
    ----------
    baseline_energy, reporting_energy : float [kWh]
        Predictions of the baseline and reporting-period models under the conditions.
    savings : float [kWh]
        ``baseline_energy − reporting_energy``.
    uncertainty : tuple of SavingsUncertainty
        Root sum of squares of both models' prediction uncertainties (Guideline 14).
    """

    baseline_energy: float
    reporting_energy: float
    savings: float
    uncertainty: tuple[SavingsUncertainty, ...]


def normalised_savings(
    baseline_model: BaselineModel, reporting_model: BaselineModel, conditions: pd.DataFrame
) -> NormalisedSavings:
    """Savings under standard conditions (IPMVP "normalised savings").

    Parameters
    ----------
    baseline_model, reporting_model : ChangePointModel or TowtModel
        Models fitted on the baseline and on the reporting period (same drivers).
    conditions : pandas.DataFrame
        The standard conditions: ``period_start``, ``temperature_c`` (e.g. a normal year),
        the drivers at their reference values and optional ``days``.

    Returns
    -------
    NormalisedSavings
    """
    baseline = baseline_model.predict(conditions)
    reporting = reporting_model.predict(conditions)
    baseline_total, reporting_total = float(np.sum(baseline)), float(np.sum(reporting))
    savings = baseline_total - reporting_total
    m = len(conditions)
    months = m * (
        MONTHS_PER_DAY
        if baseline_model.frequency == "daily"
        else 1.0
        if baseline_model.frequency == "monthly"
        else MONTHS_PER_DAY / 24
    )
    levels = baseline_model.settings.confidence_levels
    combined = []
    for level in levels:
        first = model_uncertainty(
            baseline_model, confidence=level, periods=m, counterfactual=baseline_total, savings=baseline_total, months=months
        )
        second = model_uncertainty(
            reporting_model, confidence=level, periods=m, counterfactual=reporting_total, savings=reporting_total, months=months
        )
        absolute = float(np.hypot(first.absolute, second.absolute))
        fractional = absolute / abs(savings) if savings else float("nan")
        combined.append(SavingsUncertainty(level, absolute, fractional, first.t_value))
    return NormalisedSavings(baseline_total, reporting_total, savings, tuple(combined))
