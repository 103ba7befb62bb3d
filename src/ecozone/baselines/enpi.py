"""Energy performance indicators (ISO 50006): ratio and regression-based, tracked by month.

- **Ratio EnPI**: measured energy per unit of a relevant variable (e.g. kWh per tonne), for
  the baseline and the reporting period; improvement = ``1 − EnPI_reporting / EnPI_baseline``.
- **Regression EnPI**: measured energy over the energy the baseline model expects under the
  same conditions; 1 in the baseline by construction, below 1 when performance improved;
  improvement = ``1 − Σ measured / Σ expected`` over the reporting period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.observations import ENERGY_COLUMN, PERIOD_COLUMN, local_period_starts
from ecozone.baselines.towt import TowtModel

ENPI_COLUMNS = ("phase", "month", "energy", "expected", "driver", "ratio_enpi", "regression_enpi")


@dataclass(frozen=True)
class EnpiTracking:
    """EnPIs of one meter, by month and in total.

    Attributes
    ----------
    monthly : pandas.DataFrame
        Columns ``phase`` (``baseline`` / ``reporting``), ``month`` (first day), ``energy``
        and ``expected`` [kWh], ``driver`` (total of the relevant variable, NaN without one),
        ``ratio_enpi`` [kWh per driver unit] and ``regression_enpi`` [-].
    driver : str or None
        The relevant variable of the ratio EnPI.
    baseline_ratio, reporting_ratio : float
        Ratio EnPI over each whole period [kWh per driver unit] (NaN without a driver).
    ratio_improvement : float [-]
        ``1 − reporting_ratio / baseline_ratio``.
    regression_enpi : float [-]
        Σ measured / Σ expected over the reporting period.
    regression_improvement : float [-]
        ``1 − regression_enpi``.
    """

    monthly: pd.DataFrame
    driver: str | None
    baseline_ratio: float
    reporting_ratio: float
    ratio_improvement: float
    regression_enpi: float
    regression_improvement: float


def _monthly(model: ChangePointModel | TowtModel, table: pd.DataFrame, driver: str | None, phase: str) -> pd.DataFrame:
    if driver is not None and driver not in table.columns:
        raise BaselineInputError("baselines.error.missing_columns", columns=driver, required=driver)
    expected = model.predict(table)
    month = local_period_starts(table[PERIOD_COLUMN], "monthly")
    frame = pd.DataFrame(
        {
            "month": month.dt.date,
            "energy": pd.to_numeric(table[ENERGY_COLUMN], errors="coerce").to_numpy(dtype=np.float64),
            "expected": expected,
            "driver": table[driver].to_numpy(dtype=np.float64) if driver is not None else np.nan,
        }
    ).dropna(subset=["energy", "expected"])
    grouped = frame.groupby("month", sort=True).sum(min_count=1).reset_index()
    grouped.insert(0, "phase", phase)
    with np.errstate(divide="ignore", invalid="ignore"):
        grouped["ratio_enpi"] = grouped["energy"] / grouped["driver"]
        grouped["regression_enpi"] = grouped["energy"] / grouped["expected"]
    return grouped


def enpi_tracking(
    model: ChangePointModel | TowtModel, baseline: pd.DataFrame, reporting: pd.DataFrame, *, driver: str | None = None
) -> EnpiTracking:
    """Track the ratio and regression EnPIs of a meter against its baseline model.

    Parameters
    ----------
    model : ChangePointModel or TowtModel
        Baseline model (defines the expected energy).
    baseline, reporting : pandas.DataFrame
        Observations of each period (columns of :mod:`ecozone.baselines.observations`).
    driver : str, optional
        Relevant variable of the ratio EnPI (a column of both tables), e.g. ``production``.

    Returns
    -------
    EnpiTracking
    """
    monthly = pd.concat([_monthly(model, baseline, driver, "baseline"), _monthly(model, reporting, driver, "reporting")])
    monthly = monthly[list(ENPI_COLUMNS)].reset_index(drop=True)
    parts = {phase: monthly[monthly["phase"] == phase] for phase in ("baseline", "reporting")}
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = {
            phase: float(part["energy"].sum() / part["driver"].sum()) if driver is not None else float("nan")
            for phase, part in parts.items()
        }
        regression = float(parts["reporting"]["energy"].sum() / parts["reporting"]["expected"].sum())
    return EnpiTracking(
        monthly=monthly,
        driver=driver,
        baseline_ratio=ratios["baseline"],
        reporting_ratio=ratios["reporting"],
        ratio_improvement=1.0 - ratios["reporting"] / ratios["baseline"] if driver is not None else float("nan"),
        regression_enpi=regression,
        regression_improvement=1.0 - regression,
    )
