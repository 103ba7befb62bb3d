"""Energy baselines (M&V), EnPIs and verified savings (ISO 50001/50006/50015, IPMVP, ASHRAE Guideline 14).

Quick start::

    from ecozone.baselines import Period, fit_many, avoided_energy
    fits = fit_many(daily, drivers=["production"], baseline=Period.parse("2024-01-01:2024-12-31"))
    model = fits["meter-1"].model
    result = avoided_energy(model, reporting_daily, reporting=Period.parse("2025-01-01:2025-06-30"))
    result.savings, result.uncertainty_at(0.9).absolute

Modules: :mod:`~ecozone.baselines.observations` (input tables), :mod:`~ecozone.baselines.changepoint`
(batched change-point search), :mod:`~ecozone.baselines.towt` (hourly model),
:mod:`~ecozone.baselines.fitting` (``fit``, ``fit_many``), :mod:`~ecozone.baselines.goodness_of_fit`
and :mod:`~ecozone.baselines.uncertainty` (Guideline 14 statistics), :mod:`~ecozone.baselines.savings`,
:mod:`~ecozone.baselines.enpi`, :mod:`~ecozone.baselines.weather`, :mod:`~ecozone.baselines.calendar_drivers`,
:mod:`~ecozone.baselines.serialisation`. Engines take DataFrames and return results; they never
touch the database.
"""

from __future__ import annotations

from ecozone.baselines.calendar_drivers import CALENDAR_DRIVERS, calendar_drivers
from ecozone.baselines.enpi import EnpiTracking, enpi_tracking
from ecozone.baselines.errors import BaselineInputError, ModelFormatError
from ecozone.baselines.findings import Finding
from ecozone.baselines.fitting import MeterFit, fit, fit_many
from ecozone.baselines.goodness_of_fit import Acceptance, FitStatistics, g14_acceptance
from ecozone.baselines.model import ChangePointModel, Coefficient
from ecozone.baselines.observations import Period
from ecozone.baselines.savings import NormalisedSavings, SavingsResult, avoided_energy, normalised_savings
from ecozone.baselines.serialisation import FORMAT_VERSION, model_from_json, model_to_json
from ecozone.baselines.settings import BaselineSettings
from ecozone.baselines.towt import TowtModel
from ecozone.baselines.uncertainty import SavingsUncertainty
from ecozone.baselines.weather import degree_days, province_normals, read_temperature_csv

__all__ = [
    "CALENDAR_DRIVERS",
    "FORMAT_VERSION",
    "Acceptance",
    "BaselineInputError",
    "BaselineSettings",
    "ChangePointModel",
    "Coefficient",
    "EnpiTracking",
    "Finding",
    "FitStatistics",
    "MeterFit",
    "ModelFormatError",
    "NormalisedSavings",
    "Period",
    "SavingsResult",
    "SavingsUncertainty",
    "TowtModel",
    "avoided_energy",
    "calendar_drivers",
    "degree_days",
    "enpi_tracking",
    "fit",
    "fit_many",
    "g14_acceptance",
    "model_from_json",
    "model_to_json",
    "normalised_savings",
    "province_normals",
    "read_temperature_csv",
]
