"""Fit baselines for one meter or many: checks, batched search, exact refit, statistics and findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special  # type: ignore[import-untyped]

from ecozone.baselines.changepoint import FORM_SPECS, LinearFit, SearchResult, fit_selected, search_change_points
from ecozone.baselines.findings import Finding, is_disqualified
from ecozone.baselines.goodness_of_fit import (
    FitStatistics,
    adjusted_r_squared,
    cv_rmse,
    effective_points,
    g14_acceptance,
    lag1_autocorrelation,
    mean_energy,
    nmbe,
)
from ecozone.baselines.model import CandidateSummary, ChangePointModel, Coefficient, baseline_window
from ecozone.baselines.non_routine import StepTest, internal_step
from ecozone.baselines.observations import (
    FloatArray,
    IntArray,
    MeterArrays,
    Period,
    PreparedObservations,
    check_frequency,
    prepare_observations,
)
from ecozone.baselines.settings import BaselineSettings, Frequency
from ecozone.baselines.sufficiency import narrow_range_finding, sufficiency_findings
from ecozone.baselines.towt import TowtModel, fit_prepared_hourly

HINGE_FORMS = ("3PC", "3PH", "4P", "5P")
BaselineModel = ChangePointModel | TowtModel


@dataclass(frozen=True)
class MeterFit:
    """The outcome of fitting one meter: a model, or none, and the findings.

    Attributes
    ----------
    meter_id : str
        The meter.
    model : ChangePointModel or TowtModel or None
        None when the input cannot give a meaningful model (see ``findings``).
    findings : tuple of Finding
        All findings (those of the model included).
    """

    meter_id: str
    model: BaselineModel | None
    findings: tuple[Finding, ...]

    @property
    def is_disqualified(self) -> bool:
        """Whether the meter has no model or a disqualifying finding."""
        return self.model is None or is_disqualified(self.findings)


@dataclass(frozen=True)
class _Group:
    """Exact fit of the meters sharing a form and a set of active drivers."""

    rows: IntArray
    form_index: int
    arrays: MeterArrays
    fit: LinearFit
    names: tuple[str, ...]
    predicted: FloatArray
    statistics: list[FitStatistics]


def _coefficient_names(arrays: MeterArrays, keep: np.ndarray, form: str) -> tuple[str, ...]:
    drivers = [f"driver:{name}" for name, kept in zip(arrays.driver_names, keep[1:], strict=True) if kept]
    return ("intercept", *drivers, *FORM_SPECS[form].temperature_columns)  # type: ignore[index]


def _group_statistics(
    arrays: MeterArrays, fit: LinearFit, parameters: int, settings: BaselineSettings
) -> tuple[FloatArray, list[FitStatistics]]:
    valid = arrays.valid
    predicted = np.where(valid, arrays.days * fit.fitted, 0.0)
    measured = np.where(valid, arrays.energy, 0.0)
    p = np.full(len(arrays.meter_ids), parameters, dtype=np.int64)
    points = valid.sum(axis=1).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = np.where(fit.weighted_sst > 0, 1.0 - fit.weighted_sse / fit.weighted_sst, 0.0)
    residuals = measured - predicted
    rho = lag1_autocorrelation(residuals, valid)
    sse = np.where(valid, residuals**2, 0.0).sum(axis=1)
    statistics = [
        FitStatistics(
            points=int(points[row]),
            parameters=parameters,
            r_squared=float(r2[row]),
            adjusted_r_squared=float(value),
            cv_rmse=float(cv),
            nmbe=float(bias),
            rmse=float(np.sqrt(sse[row] / (points[row] - parameters))) if points[row] > parameters else float("nan"),
            mean_energy=float(level),
            sse=float(sse[row]),
            autocorrelation=float(rho[row]),
            effective_points=float(effective),
        )
        for row, (value, cv, bias, level, effective) in enumerate(
            zip(
                adjusted_r_squared(r2, points, p),
                cv_rmse(measured, predicted, valid, p),
                nmbe(measured, predicted, valid, p),
                mean_energy(measured, valid),
                effective_points(points, rho, settings.autocorrelation_correction),
                strict=True,
            )
        )
    ]
    return predicted, statistics


def _fit_groups(arrays: MeterArrays, search: SearchResult, settings: BaselineSettings) -> list[_Group]:
    weights = 2 ** np.arange(arrays.active_drivers.shape[1], dtype=np.int64)
    pattern = (arrays.active_drivers.astype(np.int64) * weights).sum(axis=1)
    groups = []
    for form_index, code in sorted({(int(f), int(c)) for f, c in zip(search.selected, pattern, strict=True) if f >= 0}):
        rows = np.flatnonzero((search.selected == form_index) & (pattern == code))
        part = arrays.subset(rows)
        form = search.forms[form_index]
        spec = FORM_SPECS[form]
        fit, keep = fit_selected(part, spec, search.heating_c[rows, form_index], search.cooling_c[rows, form_index])
        names = _coefficient_names(part, keep, form)
        predicted, statistics = _group_statistics(part, fit, len(names) + spec.balance_points, settings)
        groups.append(_Group(rows, form_index, part, fit, names, predicted, statistics))
    return groups


def _unit(name: str, energy_unit: str) -> str:
    if name == "intercept":
        return f"{energy_unit}/d"
    if name.startswith("driver:"):
        return f"{energy_unit}/{name.removeprefix('driver:')}"
    return f"{energy_unit}/(d·°C)"


def _coefficients(group: _Group, index: int, energy_unit: str) -> tuple[Coefficient, ...]:
    fit = group.fit
    values, errors = fit.coefficients[index], fit.standard_errors[index]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_values = values / errors
    df = float(fit.residual_df[index])
    p_values = 2.0 * special.stdtr(df, -np.abs(t_values)) if df > 0 else np.full(values.shape, np.nan)
    rows = zip(group.names, values.tolist(), errors.tolist(), t_values.tolist(), np.asarray(p_values).tolist(), strict=True)
    return tuple(Coefficient(name, value, error, t, p, _unit(name, energy_unit)) for name, value, error, t, p in rows)


def _model_findings(
    group: _Group, index: int, coefficients: tuple[Coefficient, ...], settings: BaselineSettings
) -> list[Finding]:
    statistics = group.statistics[index]
    arrays = group.arrays
    findings: list[Finding] = []
    acceptance = g14_acceptance(arrays.frequency, statistics.cv_rmse, statistics.nmbe)
    if not acceptance.passes:
        data = {
            "cv_rmse_pct": round(100 * statistics.cv_rmse, 2),
            "nmbe_pct": round(100 * statistics.nmbe, 2),
            "cv_rmse_max_pct": round(100 * acceptance.cv_rmse_max, 1),
            "nmbe_max_pct": round(100 * acceptance.nmbe_max, 1),
            "interval": acceptance.interval,
        }
        findings.append(Finding("baselines.model.g14_not_met", "warning", data))
    for coefficient in coefficients[1:]:
        if not coefficient.p_value <= settings.significance_level:
            detail = {
                "coefficient": coefficient.name,
                "p_value": round(coefficient.p_value, 4),
                "level": settings.significance_level,
            }
            findings.append(Finding("baselines.model.insignificant_coefficient", "info", detail))
    if len(coefficients) > 1 and statistics.r_squared < settings.enpi_r_squared_min:
        data = {"r_squared": round(statistics.r_squared, 3), "minimum": settings.enpi_r_squared_min}
        findings.append(Finding("baselines.model.low_r_squared", "info", data))
    findings.extend(_baseline_steps(group, index, settings))
    return findings


def _baseline_steps(group: _Group, index: int, settings: BaselineSettings) -> list[Finding]:
    arrays, statistics = group.arrays, group.statistics[index]
    valid = arrays.valid[index]
    residuals = (arrays.energy[index] - group.predicted[index])[valid]
    minimum = settings.nre_min_segment_monthly if arrays.frequency == "monthly" else settings.nre_min_segment_daily
    test = StepTest(
        sigma=statistics.rmse,
        autocorrelation=statistics.autocorrelation,
        level=statistics.mean_energy,
        min_segment=minimum,
        z_threshold=settings.nre_z_threshold,
        min_shift_fraction=settings.nre_min_shift_fraction,
    )
    step = internal_step(residuals, test)
    if step is None:
        return []
    when = pd.Timestamp(arrays.period_start[index][valid][step.index]).date().isoformat()
    data = {"date": when, "shift": round(step.shift, 3), "z_score": round(step.z_score, 2)}
    return [Finding("baselines.model.baseline_step_change", "warning", data)]


def _candidates(search: SearchResult, row: int) -> tuple[CandidateSummary, ...]:
    scores = np.where(np.isfinite(search.score[row]), search.score[row], np.nan).tolist()
    columns = zip(
        search.forms,
        scores,
        search.heating_c[row].tolist(),
        search.cooling_c[row].tolist(),
        search.candidates[row].tolist(),
        search.qualified[row].tolist(),
        strict=True,
    )
    return tuple(CandidateSummary(*values) for values in columns)


def _ranges(arrays: MeterArrays, index: int) -> tuple[tuple[float, float], dict[str, tuple[float, float]]]:
    valid = arrays.valid[index]
    temperature = arrays.temperature_c[index][valid]
    per_day = arrays.drivers[index][valid] / arrays.days[index][valid][:, None]
    drivers = {
        name: (float(per_day[:, column].min()), float(per_day[:, column].max()))
        for column, name in enumerate(arrays.driver_names)
        if arrays.active_drivers[index, column]
    }
    return (float(temperature.min()), float(temperature.max())), drivers


def _build_model(
    group: _Group,
    index: int,
    search: SearchResult,
    prepared: PreparedObservations,
    findings: list[Finding],
    settings: BaselineSettings,
    energy_unit: str,
) -> ChangePointModel:
    arrays = group.arrays
    meter_id = arrays.meter_ids[index]
    row = int(group.rows[index])
    form = search.forms[group.form_index]
    spec = FORM_SPECS[form]
    coefficients = _coefficients(group, index, energy_unit)
    findings.extend(_model_findings(group, index, coefficients, settings))
    heating = float(search.heating_c[row, group.form_index]) if spec.heating else None
    cooling = float(search.cooling_c[row, group.form_index]) if spec.cooling else None
    statistics = group.statistics[index]
    temperature_range, driver_ranges = _ranges(arrays, index)
    first, last = prepared.windows[meter_id]
    return ChangePointModel(
        meter_id=meter_id,
        frequency=arrays.frequency,
        form=form,
        coefficients=coefficients,
        heating_balance_point_c=heating,
        cooling_balance_point_c=cooling,
        drivers=tuple(name.removeprefix("driver:") for name in group.names if name.startswith("driver:")),
        statistics=statistics,
        acceptance=g14_acceptance(arrays.frequency, statistics.cv_rmse, statistics.nmbe),
        findings=tuple(findings),
        baseline=baseline_window(first, last, arrays.frequency),
        temperature_range_c=temperature_range,
        driver_ranges=driver_ranges,
        candidates=_candidates(search, row),
        settings=settings,
        energy_unit=energy_unit,
    )


def _fit_change_points(prepared: PreparedObservations, settings: BaselineSettings, energy_unit: str) -> dict[str, MeterFit]:
    arrays = prepared.arrays
    findings: dict[str, list[Finding]] = {key: list(value) for key, value in prepared.findings.items()}
    for meter_id, extra in sufficiency_findings(arrays, prepared.windows, settings).items():
        findings.setdefault(meter_id, []).extend(extra)
    search = search_change_points(arrays, settings)
    hinge_columns = [column for column, form in enumerate(search.forms) if form in HINGE_FORMS]
    min_points = settings.min_segment_points(arrays.frequency)
    for row, meter_id in enumerate(arrays.meter_ids):
        if hinge_columns and not search.candidates[row, hinge_columns].any():
            valid = arrays.valid[row]
            temperature = arrays.temperature_c[row][valid]
            findings.setdefault(meter_id, []).append(
                narrow_range_finding(float(temperature.min()), float(temperature.max()), min_points)
            )
        if search.selected[row] < 0:
            data = {"forms": ", ".join(search.forms)}
            findings.setdefault(meter_id, []).append(Finding("baselines.model.no_qualified_model", "disqualification", data))
    models: dict[str, ChangePointModel] = {}
    for group in _fit_groups(arrays, search, settings):
        for index, meter_id in enumerate(group.arrays.meter_ids):
            own = findings.setdefault(meter_id, [])
            models[meter_id] = _build_model(group, index, search, prepared, own, settings, energy_unit)
    meter_ids = sorted({*arrays.meter_ids, *prepared.rejected, *findings})
    return {meter_id: MeterFit(meter_id, models.get(meter_id), tuple(findings.get(meter_id, []))) for meter_id in meter_ids}


def fit_many(
    table: pd.DataFrame,
    *,
    frequency: str = "daily",
    drivers: Sequence[str] = (),
    settings: BaselineSettings | None = None,
    baseline: Period | None = None,
    expected_meters: Sequence[str] = (),
    energy_unit: str = "kWh",
) -> dict[str, MeterFit]:
    """Fit a baseline for every meter of a long table, in one batch.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per meter and period: ``meter_id``, ``period_start``, ``energy`` [kWh],
        ``temperature_c`` [°C], optional ``days`` and the driver columns (see
        :mod:`ecozone.baselines.observations`).
    frequency : {"daily", "monthly", "hourly"}
        Period kind: daily and monthly data get change-point models, hourly data the
        time-of-week-and-temperature model.
    drivers : sequence of str
        Extra linear drivers (ISO 50006 relevant variables), e.g. ``("production",)``.
    settings : BaselineSettings, optional
        Method settings (defaults: the standard method).
    baseline : Period, optional
        Baseline period: other rows are ignored; length and coverage are judged against it.
    expected_meters : sequence of str
        Meters that must appear (those without data get ``baselines.input.no_baseline_data``).
    energy_unit : str
        Unit of ``energy`` (for coefficient units).

    Returns
    -------
    dict
        :class:`MeterFit` per meter id, sorted by id.

    Raises
    ------
    BaselineInputError
        On missing columns, an unknown frequency or duplicated periods.
    """
    settings = settings or BaselineSettings()
    chosen: Frequency = check_frequency(frequency)
    prepared = prepare_observations(
        table, frequency=chosen, drivers=drivers, settings=settings, period=baseline, expected_meters=expected_meters
    )
    if chosen == "hourly":
        fits = fit_prepared_hourly(prepared, settings, energy_unit)
        return {meter_id: MeterFit(meter_id, model, findings) for meter_id, (model, findings) in fits.items()}
    return _fit_change_points(prepared, settings, energy_unit)


def fit(
    table: pd.DataFrame,
    *,
    frequency: str = "daily",
    drivers: Sequence[str] = (),
    settings: BaselineSettings | None = None,
    baseline: Period | None = None,
    meter_id: str | None = None,
    energy_unit: str = "kWh",
) -> MeterFit:
    """Fit the baseline of one meter (the table may omit ``meter_id``).

    See :func:`fit_many` for the parameters; ``meter_id`` names the meter when the table
    has no ``meter_id`` column (default ``meter``).
    """
    frame = table if "meter_id" in table.columns else table.assign(meter_id=meter_id or "meter")
    fits = fit_many(
        frame,
        frequency=frequency,
        drivers=drivers,
        settings=settings,
        baseline=baseline,
        expected_meters=[meter_id] if meter_id else (),
        energy_unit=energy_unit,
    )
    if meter_id is not None:
        return fits[meter_id]
    if len(fits) != 1:
        from ecozone.baselines.errors import BaselineInputError

        raise BaselineInputError("baselines.error.several_meters", count=len(fits))
    return next(iter(fits.values()))
