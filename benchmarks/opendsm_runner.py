"""Fit OpenDSM's daily model on sample meters; run by ``benchmarks/baselines.py`` inside OpenDSM's own venv.

OpenDSM (formerly OpenEEmeter) pins pandas 2 and ``multimethod<1.13``, so it cannot live in the
project's environment; ``benchmarks/baselines.py`` builds a separate venv (default
``benchmarks/.venv-opendsm``) and runs this script there with ``subprocess``. The script only needs
pandas, pyarrow and opendsm: it imports nothing from ecozone.

Usage::

    benchmarks/.venv-opendsm/bin/python benchmarks/opendsm_runner.py --input meters.parquet --output opendsm.json

Without ``--input`` and ``--output`` it prints a note and exits 0 (``make bench`` runs every
``benchmarks/*.py`` with the project's interpreter).

Input: a Parquet file with one row per meter and day: ``meter_id``, ``period_start`` (local date,
naive), ``energy`` [kWh/d] and ``temperature_c`` (daily mean [°C]).

For each meter, as OpenDSM's documentation asks (``DailyBaselineData`` docstring in
``opendsm/eemeter/models/daily/data.py``): a DataFrame with a **timezone-aware** daily index
(local midnight in ``--timezone``), an ``observed`` column (energy) and a ``temperature`` column
in **°F** (converted here: °F = °C × 9/5 + 32); then ``DailyBaselineData(frame,
is_electricity_data=True)``, ``DailyModel(model=...).fit(data, ignore_disqualification=True)`` and
``model.predict(data, ignore_disqualification=True)`` on the same baseline data.

The first meter is fitted once untimed before the timed loop, so that numba's compilation of
OpenDSM's kernels is not counted (its time is reported as ``warmup_seconds``).

Output (JSON): versions, then per meter the timings (``data_seconds``: building
``DailyBaselineData``; ``fit_seconds``: ``DailyModel().fit``; ``cpu_seconds``: process CPU time of
both), the dates, observed and predicted
daily energy, the number of model parameters OpenDSM counts (``num_model_params``), its own
``cvrmse`` and ``cvrmse_adj``, the selected split (``best_combination``) and submodel types, and
the disqualification/warning names; ``error`` instead when a fit raised.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import platform
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def fahrenheit(celsius: np.ndarray) -> np.ndarray:
    """Convert °C to °F."""
    return celsius * 9.0 / 5.0 + 32.0


def meter_frame(rows: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """OpenDSM's daily input: tz-aware daily index, ``observed`` and ``temperature`` [°F]."""
    index = pd.DatetimeIndex(pd.to_datetime(rows["period_start"].to_numpy())).tz_localize(timezone)
    return pd.DataFrame(
        {
            "observed": rows["energy"].to_numpy(dtype=float),
            "temperature": fahrenheit(rows["temperature_c"].to_numpy(dtype=float)),
        },
        index=index,
    )


def fit_one(em: Any, frame: pd.DataFrame, model_kind: str) -> dict[str, Any]:
    """Build the baseline data, fit, predict on the baseline; return timings and results."""
    cpu_started = time.process_time()
    started = time.perf_counter()
    data = em.DailyBaselineData(frame, is_electricity_data=True)
    built = time.perf_counter()
    model = em.DailyModel(model=model_kind).fit(data, ignore_disqualification=True)
    fitted = time.perf_counter()
    cpu_seconds = time.process_time() - cpu_started
    prediction = model.predict(data, ignore_disqualification=True)
    metrics = model.baseline_metrics
    submodels = model.params.submodels
    return {
        "data_seconds": built - started,
        "fit_seconds": fitted - built,
        "cpu_seconds": cpu_seconds,
        "dates": [stamp.strftime("%Y-%m-%d") for stamp in prediction.index],
        "observed": [float(value) for value in prediction["observed"].to_numpy()],
        "predicted": [float(value) for value in prediction["predicted"].to_numpy()],
        "num_model_params": int(metrics.num_model_params),
        "opendsm_cvrmse": float(metrics.cvrmse),
        "opendsm_cvrmse_adj": float(metrics.cvrmse_adj),
        "best_combination": str(model.best_combination),
        "submodel_types": {key: str(value.model_type.value) for key, value in submodels.items()},
        "disqualification": [warning.qualified_name for warning in model.disqualification],
        "warnings": sorted({warning.qualified_name for warning in model.warnings}),
    }


def run(table: pd.DataFrame, timezone: str, model_kind: str) -> dict[str, Any]:
    """Fit every meter of ``table``; return the JSON document."""
    from opendsm import eemeter as em  # type: ignore[import-not-found]

    logging.getLogger("eemeter").setLevel(logging.ERROR)
    groups = {str(meter_id): rows.sort_values("period_start") for meter_id, rows in table.groupby("meter_id", sort=True)}
    document: dict[str, Any] = {
        "opendsm_version": importlib.metadata.version("opendsm"),
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "model": model_kind,
        "timezone": timezone,
        "warmup_seconds": None,
        "meters": {},
    }
    if groups:
        first = next(iter(groups.values()))
        started = time.perf_counter()
        try:
            fit_one(em, meter_frame(first, timezone), model_kind)
        finally:
            document["warmup_seconds"] = time.perf_counter() - started
    for meter_id, rows in groups.items():
        try:
            document["meters"][meter_id] = fit_one(em, meter_frame(rows, timezone), model_kind)
        except Exception as error:  # reported per meter, the run goes on
            document["meters"][meter_id] = {"error": f"{type(error).__name__}: {error}"}
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--input", help="Parquet file: meter_id, period_start, energy, temperature_c")
    parser.add_argument("--output", help="JSON file written")
    parser.add_argument("--timezone", default="Asia/Ho_Chi_Minh", help="local time zone of the daily index")
    parser.add_argument("--model", default="current", choices=("current", "legacy"), help="DailyModel settings")
    options = parser.parse_args()
    if not options.input or not options.output:
        # ``make bench`` runs every benchmarks/*.py without arguments: this helper has nothing to measure alone.
        print("opendsm_runner.py is run by benchmarks/baselines.py inside OpenDSM's venv (see its docstring); nothing to do.")
        return
    table = pd.read_parquet(options.input)
    document = run(table, options.timezone, options.model)
    Path(options.output).write_text(json.dumps(document), encoding="utf-8")


if __name__ == "__main__":
    main()
