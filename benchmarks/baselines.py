"""Benchmark of the baseline engine: throughput, accuracy and balance-point recovery on synthetic meters.

Usage::

    .venv/bin/python benchmarks/baselines.py [--meters 1000] [--large 10000] [--opendsm-sample 20] [--json]

1. Generates ``--meters`` synthetic daily meter-years with known change-point parameters
   (1P, 2P, 3PC, 3PH, 4P, 5P; temperate climates so that every balance point lies inside the
   data; multiplicative noise of 5 %).
2. Fits them all with ``ecozone.baselines.fit_many`` (one batch) and reports meters/s, the
   median CV(RMSE) and the largest balance-point error over the meters that have one.
3. If OpenDSM is importable (an optional ``bench`` extra: ``opendsm`` with ``multimethod<1.13``),
   fits its ``DailyModel`` on a sample of the same meters and compares throughput and median
   CV(RMSE) on that sample; otherwise says so and reports ecozone's figures only.
4. Times ``fit_many`` on ``--large`` meters.

CV(RMSE) in the comparison is ``sqrt(mean((y − ŷ)²)) / mean(y)`` (n in the denominator) for
both tools, so parameter counts do not favour either. With ``--json`` one JSON object is
printed with ``speedup_vs_opendsm``, ``cvrmse_ratio_vs_opendsm``, ``balance_point_max_error_c``
and ``fit_many_10000_s`` (None where OpenDSM is unavailable).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ecozone.baselines import fit_many
from ecozone.baselines.model import ChangePointModel

FORMS = ("1P", "2P", "3PC", "3PH", "4P", "5P")
FORM_SHARES = (0.15, 0.10, 0.25, 0.15, 0.10, 0.25)
NOISE = 0.05
DAYS = 365
START = "2023-01-01"


@dataclass(frozen=True)
class Truth:
    """Known parameters of one synthetic meter."""

    meter_id: str
    form: str
    heating_c: float | None
    cooling_c: float | None


def synthetic_meters(count: int, seed: int) -> tuple[pd.DataFrame, list[Truth]]:
    """Long table of ``count`` daily meter-years and their true parameters."""
    rng = np.random.default_rng(seed)
    forms = rng.choice(FORMS, size=count, p=FORM_SHARES)
    doy = np.arange(DAYS)
    mean = rng.uniform(10.0, 20.0, count)[:, None]
    amplitude = rng.uniform(9.0, 14.0, count)[:, None]
    temperature = mean + amplitude * np.sin(2 * np.pi * (doy - 100) / DAYS)[None, :] + rng.normal(0.0, 3.0, (count, DAYS))
    base = rng.uniform(500.0, 5000.0, count)[:, None]
    heating_c = np.round(mean[:, 0] - rng.uniform(2.0, 6.0, count), 1)
    cooling_c = np.round(mean[:, 0] + rng.uniform(2.0, 6.0, count), 1)
    shared = np.round(mean[:, 0] + rng.uniform(-2.0, 2.0, count), 1)
    has_heating = np.isin(forms, ("3PH", "4P", "5P"))
    has_cooling = np.isin(forms, ("3PC", "4P", "5P"))
    heating_c = np.where(forms == "4P", shared, heating_c)
    cooling_c = np.where(forms == "4P", shared, cooling_c)
    heating_slope = base[:, 0] * rng.uniform(0.03, 0.08, count) * has_heating
    cooling_slope = base[:, 0] * rng.uniform(0.04, 0.10, count) * has_cooling
    energy = (
        base
        + heating_slope[:, None] * np.maximum(heating_c[:, None] - temperature, 0.0)
        + cooling_slope[:, None] * np.maximum(temperature - cooling_c[:, None], 0.0)
    )
    linear = forms == "2P"
    energy = np.where(linear[:, None], base + base * 0.03 * (temperature - mean), energy)
    energy = energy * (1.0 + NOISE * rng.standard_normal((count, DAYS)))
    ids = [f"m{index:05d}" for index in range(count)]
    table = pd.DataFrame(
        {
            "meter_id": np.repeat(ids, DAYS),
            "period_start": np.tile(pd.date_range(START, periods=DAYS, freq="D").to_numpy(), count),
            "energy": energy.ravel(),
            "temperature_c": temperature.ravel(),
        }
    )
    truths = [
        Truth(
            ids[i],
            str(forms[i]),
            float(heating_c[i]) if has_heating[i] else None,
            float(cooling_c[i]) if has_cooling[i] else None,
        )
        for i in range(count)
    ]
    return table, truths


def cv_rmse(observed: np.ndarray, predicted: np.ndarray) -> float:
    """``sqrt(mean((y − ŷ)²)) / mean(y)`` [-]."""
    return float(np.sqrt(np.mean((observed - predicted) ** 2)) / np.mean(observed))


def ecozone_fit(table: pd.DataFrame) -> tuple[dict[str, ChangePointModel], float]:
    """Fit every meter in one batch; return the models and the wall time [s]."""
    started = time.perf_counter()
    fits = fit_many(table)
    elapsed = time.perf_counter() - started
    models = {meter_id: fit.model for meter_id, fit in fits.items() if isinstance(fit.model, ChangePointModel)}
    return models, elapsed


def balance_point_errors(models: dict[str, ChangePointModel], truths: list[Truth]) -> tuple[list[float], int, int]:
    """Absolute errors of recovered balance points [°C], balance points expected, balance points missed."""
    errors: list[float] = []
    expected = missed = 0
    for truth in truths:
        model = models.get(truth.meter_id)
        for true_value, fitted in (
            (truth.heating_c, model and model.heating_balance_point_c),
            (truth.cooling_c, model and model.cooling_balance_point_c),
        ):
            if true_value is None:
                continue
            expected += 1
            if fitted is None:
                missed += 1
            else:
                errors.append(abs(float(fitted) - true_value))
    return errors, expected, missed


def ecozone_cv(models: dict[str, ChangePointModel], table: pd.DataFrame, meter_ids: list[str]) -> list[float]:
    """CV(RMSE) (n in the denominator) of each meter's baseline fit."""
    values = []
    for meter_id in meter_ids:
        rows = table[table["meter_id"] == meter_id]
        values.append(cv_rmse(rows["energy"].to_numpy(), models[meter_id].predict(rows)))
    return values


def opendsm_fit(table: pd.DataFrame, meter_ids: list[str]) -> dict[str, Any]:
    """Fit OpenDSM's DailyModel on each sampled meter (°F, timezone-aware index), timing each fit."""
    try:
        from opendsm import eemeter as em  # type: ignore[import-not-found]
    except ImportError as error:
        return {"available": False, "reason": f"opendsm not importable ({error})"}
    seconds, cvs = [], []
    for meter_id in meter_ids:
        rows = table[table["meter_id"] == meter_id]
        frame = pd.DataFrame(
            {"temperature": rows["temperature_c"].to_numpy() * 9.0 / 5.0 + 32.0, "observed": rows["energy"].to_numpy()},
            index=pd.DatetimeIndex(rows["period_start"]).tz_localize("UTC"),
        )
        started = time.perf_counter()
        data = em.DailyBaselineData(frame, is_electricity_data=True)
        model = em.DailyModel().fit(data, ignore_disqualification=True)
        seconds.append(time.perf_counter() - started)
        predicted = model.predict(data)["predicted"].to_numpy()
        cvs.append(cv_rmse(frame["observed"].to_numpy(), predicted))
    return {"available": True, "seconds": seconds, "cv": cvs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meters", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--opendsm-sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    table, truths = synthetic_meters(options.meters, options.seed)
    models, elapsed = ecozone_fit(table)
    errors, expected, missed = balance_point_errors(models, truths)
    sample = [truth.meter_id for truth in truths[: options.opendsm_sample]]
    ecozone_all_cv = ecozone_cv(models, table, list(models))
    ecozone_sample_cv = ecozone_cv(models, table, sample)
    opendsm = opendsm_fit(table, sample)

    large_table, _ = synthetic_meters(options.large, options.seed + 1)
    _, large_elapsed = ecozone_fit(large_table)

    ecozone_rate = len(truths) / elapsed
    result: dict[str, Any] = {
        "meters": len(truths),
        "ecozone_seconds": elapsed,
        "ecozone_meters_per_s": ecozone_rate,
        "ecozone_median_cvrmse": float(np.median(ecozone_all_cv)),
        "ecozone_median_cvrmse_sample": float(np.median(ecozone_sample_cv)),
        "forms_recovered_share": float(np.mean([models[t.meter_id].form == t.form for t in truths if t.meter_id in models])),
        "balance_points_expected": expected,
        "balance_points_missed": missed,
        "balance_point_max_error_c": float(max(errors)) if errors else None,
        "balance_point_p95_error_c": float(np.percentile(errors, 95)) if errors else None,
        "balance_points_within_1c_share": float(np.mean(np.asarray(errors) <= 1.0)) if errors else None,
        f"fit_many_{options.large}_s": large_elapsed,
        "fit_many_10000_s": large_elapsed if options.large == 10000 else None,
        "opendsm_available": opendsm["available"],
        "opendsm_sample": len(sample),
        "speedup_vs_opendsm": None,
        "cvrmse_ratio_vs_opendsm": None,
    }
    if opendsm["available"]:
        opendsm_rate = len(sample) / float(np.sum(opendsm["seconds"]))
        result.update(
            opendsm_meters_per_s=opendsm_rate,
            opendsm_median_cvrmse_sample=float(np.median(opendsm["cv"])),
            speedup_vs_opendsm=ecozone_rate / opendsm_rate,
            cvrmse_ratio_vs_opendsm=float(np.median(ecozone_sample_cv) / np.median(opendsm["cv"])),
        )
    else:
        result["opendsm_reason"] = opendsm["reason"]
    if options.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{'figure':<40} {'value':>14}")
    print("-" * 55)
    for key, value in result.items():
        shown = f"{value:,.4g}" if isinstance(value, float) else str(value)
        print(f"{key:<40} {shown:>14}")


if __name__ == "__main__":
    main()
