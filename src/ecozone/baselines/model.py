"""Fitted baseline models: change-point models and their results, ready to predict and serialise."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

import numpy as np
import pandas as pd

from ecozone.baselines.changepoint import FORM_SPECS, temperature_design
from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.findings import Finding, is_disqualified
from ecozone.baselines.goodness_of_fit import Acceptance, FitStatistics
from ecozone.baselines.observations import (
    DAYS_COLUMN,
    PERIOD_COLUMN,
    TEMPERATURE_COLUMN,
    FloatArray,
    Period,
    local_period_starts,
    period_days,
)
from ecozone.baselines.settings import BaselineSettings, Form, Frequency


@dataclass(frozen=True)
class Coefficient:
    """One regression coefficient.

    Attributes
    ----------
    name : str
        ``intercept``, ``temperature_slope``, ``heating_slope``, ``cooling_slope`` or
        ``driver:<name>``.
    value : float
        Estimate, in ``unit``.
    standard_error, t_statistic, p_value : float
        Conditional on the selected balance points (NaN when undefined).
    unit : str
        e.g. ``kWh/d``, ``kWh/(d·°C)``, ``kWh/production``.
    """

    name: str
    value: float
    standard_error: float
    t_statistic: float
    p_value: float
    unit: str


@dataclass(frozen=True)
class CandidateSummary:
    """How one model form fared in the selection.

    Attributes
    ----------
    form : str
        The form.
    score : float
        Best selection score (None-like NaN when no candidate qualified).
    heating_balance_point_c, cooling_balance_point_c : float
        Balance points of the best candidate [°C] (NaN when unused).
    candidates, qualified : int
        Balance-point candidates tried and qualified.
    """

    form: Form
    score: float
    heating_balance_point_c: float
    cooling_balance_point_c: float
    candidates: int
    qualified: int


@dataclass(frozen=True)
class ChangePointModel:
    """A fitted daily or monthly change-point baseline with extra drivers.

    Attributes
    ----------
    meter_id : str
        The meter.
    frequency : {"daily", "monthly"}
        Period kind it was fitted on.
    form : str
        Selected form (``1P`` ... ``5P``).
    coefficients : tuple of Coefficient
        Intercept, drivers, then temperature slopes.
    heating_balance_point_c, cooling_balance_point_c : float or None
        Balance points [°C].
    drivers : tuple of str
        Extra drivers in the model.
    statistics : FitStatistics
        Goodness of fit on the baseline.
    acceptance : Acceptance
        Guideline 14 acceptance.
    findings : tuple of Finding
        Everything the checks found.
    baseline : Period
        Baseline window (days).
    temperature_range_c : (float, float)
        Baseline temperature range [°C].
    driver_ranges : mapping
        Baseline range of each driver per day.
    candidates : tuple of CandidateSummary
        The selection, form by form.
    settings : BaselineSettings
        Settings of the fit.
    energy_unit : str
        Unit of the energy [kWh by default].
    """

    meter_id: str
    frequency: Frequency
    form: Form
    coefficients: tuple[Coefficient, ...]
    heating_balance_point_c: float | None
    cooling_balance_point_c: float | None
    drivers: tuple[str, ...]
    statistics: FitStatistics
    acceptance: Acceptance
    findings: tuple[Finding, ...]
    baseline: Period
    temperature_range_c: tuple[float, float]
    driver_ranges: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    candidates: tuple[CandidateSummary, ...] = ()
    settings: BaselineSettings = field(default_factory=BaselineSettings)
    energy_unit: str = "kWh"

    kind: ClassVar[str] = "change_point"

    @property
    def is_disqualified(self) -> bool:
        """Whether a finding disqualifies the model for compliance reporting."""
        return is_disqualified(self.findings)

    def coefficient(self, name: str) -> Coefficient:
        """Return the coefficient ``name``.

        Raises
        ------
        KeyError
            If the model has no such coefficient.
        """
        for coefficient in self.coefficients:
            if coefficient.name == name:
                return coefficient
        raise KeyError(name)

    def predict_arrays(self, temperature_c: FloatArray, days: FloatArray, drivers: Mapping[str, FloatArray]) -> FloatArray:
        """Predict the energy of periods [kWh].

        Parameters
        ----------
        temperature_c : numpy.ndarray
            Mean temperature of each period [°C].
        days : numpy.ndarray
            Length of each period [d].
        drivers : mapping
            Total of each driver of the model over each period.

        Returns
        -------
        numpy.ndarray
            Predicted energy per period [kWh].
        """
        temperature = np.asarray(temperature_c, dtype=np.float64)
        length = np.asarray(days, dtype=np.float64)
        spec = FORM_SPECS[self.form]
        heating = self.heating_balance_point_c if self.heating_balance_point_c is not None else np.nan
        cooling = self.cooling_balance_point_c if self.cooling_balance_point_c is not None else np.nan
        columns = temperature_design(spec, temperature, heating, cooling)
        slopes = np.array([self.coefficient(name).value for name in spec.temperature_columns], dtype=np.float64)
        per_day = self.coefficient("intercept").value + columns @ slopes
        total = length * per_day
        for name in self.drivers:
            if name not in drivers:
                raise BaselineInputError("baselines.error.missing_driver", driver=name, meter_id=self.meter_id)
            total = total + self.coefficient(f"driver:{name}").value * np.asarray(drivers[name], dtype=np.float64)
        return np.asarray(total, dtype=np.float64)

    def predict(self, frame: pd.DataFrame) -> FloatArray:
        """Predict the energy of the periods of ``frame`` [kWh].

        ``frame`` has ``period_start`` and ``temperature_c`` (and ``days`` and the model's
        drivers); see :mod:`ecozone.baselines.observations`.
        """
        missing = [name for name in (PERIOD_COLUMN, TEMPERATURE_COLUMN, *self.drivers) if name not in frame.columns]
        if missing:
            raise BaselineInputError("baselines.error.missing_columns", columns=", ".join(missing), required=", ".join(missing))
        starts = local_period_starts(frame[PERIOD_COLUMN], self.frequency)
        days = frame[DAYS_COLUMN] if DAYS_COLUMN in frame.columns else period_days(starts, self.frequency)
        drivers = {name: frame[name].to_numpy(dtype=np.float64) for name in self.drivers}
        return self.predict_arrays(frame[TEMPERATURE_COLUMN].to_numpy(dtype=np.float64), days.to_numpy(dtype=np.float64), drivers)

    @property
    def parameters(self) -> int:
        """Number of parameters p (coefficients and balance points)."""
        return self.statistics.parameters


def baseline_window(first: np.datetime64, last: np.datetime64, frequency: Frequency) -> Period:
    """The calendar days covered by periods starting from ``first`` to ``last``."""
    start = pd.Timestamp(first).date()
    end_start = pd.Timestamp(last)
    end = (end_start + pd.offsets.MonthEnd(0)).date() if frequency == "monthly" else end_start.date()
    return Period(start, end if end >= start else start)


def to_date(value: np.datetime64) -> date:
    """Convert a numpy datetime to a date."""
    return pd.Timestamp(value).date()
