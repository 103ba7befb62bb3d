"""Benchmark of the baseline engine: throughput, accuracy and balance-point recovery, against OpenDSM.

Usage::

    .venv/bin/python benchmarks/baselines.py [--meters 1000] [--large 10000] [--opendsm-sample 30] [--json]

1. Generates ``--meters`` synthetic daily meter-years with known change-point parameters
   (1P, 2P, 3PC, 3PH, 4P, 5P; temperate climates so that every balance point lies inside the
   data; multiplicative noise of 5 %).
2. Fits them all with ``ecozone.baselines.fit_many`` (one batch) and reports meters/s, the
   median CV(RMSE) and the largest balance-point error over the meters that have one.
3. Fits OpenDSM's ``DailyModel`` (formerly OpenEEmeter) on the first ``--opendsm-sample`` of the
   same meters and compares throughput and median CV(RMSE) on that sample. OpenDSM pins
   pandas 2 and ``multimethod<1.13``, so it runs in its own virtual environment
   (``--opendsm-venv``, default ``benchmarks/.venv-opendsm``), created on demand with
   ``python3.11 -m venv`` and ``pip install opendsm "multimethod<1.13"``; the sample is written to
   a temporary Parquet file and ``benchmarks/opendsm_runner.py`` fits it there (subprocess), writing
   timings and daily predictions to JSON. If the venv cannot be built or the runner fails, the
   OpenDSM figures are null and ``opendsm_reason`` says why; the rest of the benchmark still runs.
4. Times ``fit_many`` on ``--large`` meters (and reports their balance-point recovery too).

CV(RMSE) is computed here, by the same function for both tools, from the observed daily energy
and each tool's predictions on the baseline year:

* ``CV(RMSE)`` (the compared figure) is ASHRAE Guideline 14's
  ``sqrt(Σ (y − ŷ)² / (n − p)) / ȳ`` with p each model's own parameter count, balance points
  included (ecozone: ``ChangePointModel.parameters``; OpenDSM: ``baseline_metrics.num_model_params``,
  whose model coefficients also include its balance points);
* ``CV(RMSE) with n`` (also reported) is ``sqrt(Σ (y − ŷ)² / n) / ȳ``, free of parameter counts.

Throughput: ecozone's is the whole ``--meters`` batch (one ``fit_many`` call, including the
preparation of the long table); OpenDSM's is the sample fitted one meter at a time (building
``DailyBaselineData`` plus ``DailyModel().fit``, after one untimed warm-up fit that compiles its
numba kernels; the subprocess start and imports are not counted). CPU-time figures are given
beside the wall-clock ones because the machine is shared.

With ``--json`` one JSON object is printed with ``speedup_vs_opendsm``,
``cvrmse_ratio_vs_opendsm`` (ecozone median / OpenDSM median on the sample),
``balance_point_max_error_c`` and ``fit_many_10000_s`` among others; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
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
HERE = Path(__file__).resolve().parent
RUNNER = HERE / "opendsm_runner.py"
DEFAULT_OPENDSM_VENV = HERE / ".venv-opendsm"
OPENDSM_REQUIREMENTS = ("opendsm", "multimethod<1.13")
"""What the OpenDSM venv installs: OpenDSM needs multimethod < 1.13 to import."""
VENV_TIMEOUT_S = 1800
RUNNER_TIMEOUT_S = 3600
TIMEZONE = "Asia/Ho_Chi_Minh"


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


def cv_rmse(observed: np.ndarray, predicted: np.ndarray, parameters: int = 0) -> float:
    """``sqrt(Σ (y − ŷ)² / (n − p)) / ȳ`` [-] over the days where both are finite (p = 0: n in the denominator)."""
    kept = np.isfinite(observed) & np.isfinite(predicted)
    y, y_hat = observed[kept], predicted[kept]
    return float(np.sqrt(np.sum((y - y_hat) ** 2) / (y.size - parameters)) / np.mean(y))


@dataclass(frozen=True)
class EcozoneRun:
    """Models fitted by one ``fit_many`` batch and its cost."""

    models: dict[str, ChangePointModel]
    wall_s: float
    cpu_s: float


def ecozone_fit(table: pd.DataFrame) -> EcozoneRun:
    """Fit every meter in one batch; return the models, wall and CPU time [s]."""
    cpu = time.process_time()
    started = time.perf_counter()
    fits = fit_many(table)
    elapsed = time.perf_counter() - started
    cpu_elapsed = time.process_time() - cpu
    models = {meter_id: fit.model for meter_id, fit in fits.items() if isinstance(fit.model, ChangePointModel)}
    return EcozoneRun(models, elapsed, cpu_elapsed)


def balance_point_errors(models: dict[str, ChangePointModel], truths: list[Truth]) -> tuple[list[float], int, int]:
    """Absolute errors of recovered balance points [°C], balance points expected, balance points missed."""
    errors: list[float] = []
    expected = missed = 0
    for truth in truths:
        model = models.get(truth.meter_id)
        for true_value, fitted in (
            (truth.heating_c, None if model is None else model.heating_balance_point_c),
            (truth.cooling_c, None if model is None else model.cooling_balance_point_c),
        ):
            if true_value is None:
                continue
            expected += 1
            if fitted is None:
                missed += 1
            else:
                errors.append(abs(float(fitted) - true_value))
    return errors, expected, missed


def recovery_figures(models: dict[str, ChangePointModel], truths: list[Truth], suffix: str = "") -> dict[str, Any]:
    """Form and balance-point recovery of a batch (keys end with ``suffix``)."""
    errors, expected, missed = balance_point_errors(models, truths)
    worst = max(range(len(errors)), key=errors.__getitem__) if errors else None
    return {
        f"forms_recovered_share{suffix}": float(
            np.mean([models[t.meter_id].form == t.form for t in truths if t.meter_id in models])
        ),
        f"balance_points_expected{suffix}": expected,
        f"balance_points_missed{suffix}": missed,
        f"balance_point_max_error_c{suffix}": float(errors[worst]) if worst is not None else None,
        f"balance_point_p95_error_c{suffix}": float(np.percentile(errors, 95)) if errors else None,
        f"balance_points_within_1c_share{suffix}": float(np.mean(np.asarray(errors) <= 1.0)) if errors else None,
    }


def ecozone_cv(models: dict[str, ChangePointModel], table: pd.DataFrame, meter_ids: Sequence[str]) -> dict[str, dict[str, float]]:
    """Both CV(RMSE) definitions of each meter's baseline fit (ecozone's own predictions)."""
    wanted = set(meter_ids)
    values: dict[str, dict[str, float]] = {}
    for meter_id, rows in table[table["meter_id"].isin(wanted)].groupby("meter_id", sort=False):
        model = models[str(meter_id)]
        observed, predicted = rows["energy"].to_numpy(), model.predict(rows)
        values[str(meter_id)] = {
            "g14": cv_rmse(observed, predicted, model.parameters),
            "n": cv_rmse(observed, predicted),
            "parameters": float(model.parameters),
        }
    return values


def log(message: str) -> None:
    """Progress on stderr (stdout carries the table or the JSON object)."""
    print(message, file=sys.stderr, flush=True)


def _run(command: Sequence[str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=timeout, check=False)


def _tail(text: str, lines: int = 3) -> str:
    kept = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return " | ".join(kept[-lines:])


def _imports_opendsm(python: Path) -> bool:
    try:
        result = _run([str(python), "-c", "import opendsm.eemeter"], timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def opendsm_python(venv: Path, create: bool) -> tuple[Path | None, str | None]:
    """The OpenDSM venv's interpreter, building the venv if needed; or ``(None, reason)``."""
    python = venv / "bin" / "python"
    if python.exists() and _imports_opendsm(python):
        return python, None
    if not create:
        return None, f"no working OpenDSM venv at {venv} (creation disabled by --no-opendsm-install)"
    interpreter = shutil.which("python3.11") or sys.executable
    steps = [
        ("venv", [interpreter, "-m", "venv", str(venv)]),
        ("pip install", [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *OPENDSM_REQUIREMENTS]),
    ]
    for name, command in steps:
        log(f"OpenDSM venv: {' '.join(command)}")
        try:
            result = _run(command, timeout=VENV_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"OpenDSM venv {name} failed: {error}"
        if result.returncode != 0:
            return None, f"OpenDSM venv {name} failed (exit {result.returncode}): {_tail(result.stderr or result.stdout)}"
    if not _imports_opendsm(python):
        return None, f"opendsm still not importable in {venv} after installation"
    return python, None


def run_opendsm(python: Path, sample: pd.DataFrame, model_kind: str) -> tuple[dict[str, Any] | None, str | None]:
    """Fit the sample with ``opendsm_runner.py`` in OpenDSM's venv; return its JSON or ``(None, reason)``."""
    with tempfile.TemporaryDirectory(prefix="ecozone-opendsm-") as folder:
        meters, output = Path(folder) / "meters.parquet", Path(folder) / "opendsm.json"
        sample[["meter_id", "period_start", "energy", "temperature_c"]].to_parquet(meters, index=False)
        command = [str(python), str(RUNNER), "--input", str(meters), "--output", str(output), "--timezone", TIMEZONE]
        command += ["--model", model_kind]
        log(f"OpenDSM: fitting {sample['meter_id'].nunique()} meters with {RUNNER.name} in {python.parent.parent} ...")
        try:
            result = _run(command, timeout=RUNNER_TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as error:
            return None, f"OpenDSM runner failed: {error}"
        if result.returncode != 0 or not output.exists():
            return None, f"OpenDSM runner failed (exit {result.returncode}): {_tail(result.stderr or result.stdout)}"
        document: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    return document, None


def opendsm_figures(document: dict[str, Any], sample: pd.DataFrame) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Throughput and CV(RMSE) of OpenDSM's fits, recomputed from its daily predictions."""
    energy = {
        str(meter_id): rows.set_index(rows["period_start"].dt.strftime("%Y-%m-%d"))["energy"]
        for meter_id, rows in sample.groupby("meter_id")
    }
    per_meter: dict[str, dict[str, float]] = {}
    wall = cpu = 0.0
    largest_difference = 0.0
    failures: dict[str, str] = {}
    for meter_id, result in document["meters"].items():
        if "error" in result:
            failures[meter_id] = result["error"]
            continue
        wall += result["data_seconds"] + result["fit_seconds"]
        cpu += result["cpu_seconds"]
        observed = energy[meter_id].reindex(result["dates"]).to_numpy(dtype=float)
        theirs = np.asarray(result["observed"], dtype=float)
        both = np.isfinite(observed) & np.isfinite(theirs)
        largest_difference = max(largest_difference, float(np.max(np.abs(observed[both] - theirs[both]) / observed[both])))
        predicted = np.asarray(result["predicted"], dtype=float)
        per_meter[meter_id] = {
            "g14": cv_rmse(observed, predicted, int(result["num_model_params"])),
            "n": cv_rmse(observed, predicted),
            "parameters": float(result["num_model_params"]),
            "days": float(np.sum(np.isfinite(observed) & np.isfinite(predicted))),
        }
    fitted = len(per_meter)
    splits = [result["best_combination"] for result in document["meters"].values() if "error" not in result]
    figures = {
        "opendsm_version": document["opendsm_version"],
        "opendsm_model": document["model"],
        "opendsm_fitted": fitted,
        "opendsm_failures": failures,
        "opendsm_seconds": wall,
        "opendsm_cpu_seconds": cpu,
        "opendsm_seconds_per_meter": wall / fitted if fitted else None,
        "opendsm_meters_per_s": fitted / wall if wall > 0 else None,
        "opendsm_warmup_seconds": document["warmup_seconds"],
        "opendsm_split_models_share": float(np.mean([split != "fw-su_sh_wi" for split in splits])) if splits else None,
        "opendsm_input_max_relative_difference": largest_difference,
    }
    return figures, per_meter


def compare(ecozone: dict[str, dict[str, float]], opendsm: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Median CV(RMSE) of both tools and their ratios, on the meters both fitted."""
    shared = sorted(set(ecozone) & set(opendsm))
    if not shared:
        return {"compared_meters": 0}
    median = {
        (tool, kind): float(np.median([values[m][kind] for m in shared]))
        for tool, values in (("ecozone", ecozone), ("opendsm", opendsm))
        for kind in ("g14", "n", "parameters")
    }
    return {
        "compared_meters": len(shared),
        "ecozone_median_cvrmse_sample": median["ecozone", "g14"],
        "opendsm_median_cvrmse_sample": median["opendsm", "g14"],
        "ecozone_median_cvrmse_n_sample": median["ecozone", "n"],
        "opendsm_median_cvrmse_n_sample": median["opendsm", "n"],
        "ecozone_median_parameters_sample": median["ecozone", "parameters"],
        "opendsm_median_parameters_sample": median["opendsm", "parameters"],
        "cvrmse_ratio_vs_opendsm": median["ecozone", "g14"] / median["opendsm", "g14"],
        "cvrmse_n_ratio_vs_opendsm": median["ecozone", "n"] / median["opendsm", "n"],
        "cvrmse_better_or_equal_share": float(np.mean([ecozone[m]["g14"] <= opendsm[m]["g14"] for m in shared])),
    }


def load_average() -> float | None:
    """One-minute load average (None where the platform has none)."""
    try:
        return float(os.getloadavg()[0])
    except (AttributeError, OSError):
        return None


def benchmark(options: argparse.Namespace) -> dict[str, Any]:
    """Run every part of the benchmark; return the flat result object."""
    log(f"ecozone: fitting {options.meters} synthetic meter-years ...")
    table, truths = synthetic_meters(options.meters, options.seed)
    run = ecozone_fit(table)
    all_cv = ecozone_cv(run.models, table, list(run.models))
    rate, cpu_rate = len(truths) / run.wall_s, len(truths) / run.cpu_s
    result: dict[str, Any] = {
        "meters": len(truths),
        "ecozone_seconds": run.wall_s,
        "ecozone_cpu_seconds": run.cpu_s,
        "ecozone_meters_per_s": rate,
        "ecozone_meters_per_cpu_s": cpu_rate,
        "ecozone_median_cvrmse": float(np.median([v["g14"] for v in all_cv.values()])),
        "ecozone_median_cvrmse_n": float(np.median([v["n"] for v in all_cv.values()])),
        **recovery_figures(run.models, truths),
    }
    sample_ids = [truth.meter_id for truth in truths[: options.opendsm_sample]]
    sample = table[table["meter_id"].isin(sample_ids)].reset_index(drop=True)
    sample_run = ecozone_fit(sample)
    result.update(
        opendsm_sample=len(sample_ids),
        opendsm_sample_forms={form: sum(t.form == form for t in truths[: options.opendsm_sample]) for form in FORMS},
        ecozone_sample_alone_seconds=sample_run.wall_s,
        speedup_vs_opendsm=None,
        speedup_vs_opendsm_cpu=None,
        cvrmse_ratio_vs_opendsm=None,
        opendsm_available=False,
        opendsm_reason=None,
    )
    if options.no_opendsm:
        result["opendsm_reason"] = "skipped (--no-opendsm)"
    elif sample_ids:
        python, reason = opendsm_python(options.opendsm_venv, create=not options.no_opendsm_install)
        document = None
        if python is not None:
            document, reason = run_opendsm(python, sample, options.opendsm_model)
        if document is not None:
            figures, opendsm_cv = opendsm_figures(document, sample)
            result.update(figures)
            if figures["opendsm_fitted"]:
                ecozone_sample_cv = {m: all_cv[m] for m in sample_ids if m in all_cv}
                result.update(compare(ecozone_sample_cv, opendsm_cv))
                result.update(
                    opendsm_available=True,
                    speedup_vs_opendsm=rate / figures["opendsm_meters_per_s"],
                    speedup_vs_opendsm_cpu=cpu_rate / (figures["opendsm_fitted"] / figures["opendsm_cpu_seconds"]),
                    speedup_vs_opendsm_sample_batch=(len(sample_ids) / sample_run.wall_s) / figures["opendsm_meters_per_s"],
                )
            else:
                reason = (
                    "OpenDSM fitted none of the sample meters: "
                    + "; ".join(sorted(set(figures["opendsm_failures"].values())))[:500]
                )
        result["opendsm_reason"] = reason
    if options.large > 0:
        log(f"ecozone: fitting {options.large} synthetic meter-years in one batch ...")
        large_table, large_truths = synthetic_meters(options.large, options.seed + 1)
        large = ecozone_fit(large_table)
        result[f"fit_many_{options.large}_s"] = large.wall_s
        result[f"fit_many_{options.large}_cpu_s"] = large.cpu_s
        result.update(recovery_figures(large.models, large_truths, suffix=f"_{options.large}"))
    result["fit_many_10000_s"] = result.get("fit_many_10000_s")
    result["targets"] = {
        "speedup_vs_opendsm": ">= 100",
        "cvrmse_ratio_vs_opendsm": "<= 1.05",
        "balance_point_max_error_c": "<= 1.0",
    }
    result["targets_met"] = {
        "speedup_vs_opendsm": None if result["speedup_vs_opendsm"] is None else bool(result["speedup_vs_opendsm"] >= 100),
        "cvrmse_ratio_vs_opendsm": None
        if result["cvrmse_ratio_vs_opendsm"] is None
        else bool(result["cvrmse_ratio_vs_opendsm"] <= 1.05),
        "balance_point_max_error_c": None
        if result["balance_point_max_error_c"] is None
        else bool(result["balance_point_max_error_c"] <= 1.0),
    }
    result["load_average"] = load_average()
    return result


def _number(value: Any, digits: int = 4) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.{digits}g}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table_rows(result: dict[str, Any], large: int) -> list[tuple[str, str, str]]:
    """The printed table: (figure, value, note)."""
    met = result["targets_met"]

    def verdict(key: str) -> str:
        return {None: "not measured", True: "met", False: "NOT met"}[met[key]]

    rows = [
        ("meter-years fitted (daily)", _number(result["meters"]), "one fit_many batch"),
        (
            "ecozone throughput",
            f"{result['ecozone_meters_per_s']:,.0f} meters/s",
            f"{result['ecozone_seconds']:.2f} s (CPU {result['ecozone_cpu_seconds']:.2f} s)",
        ),
        ("ecozone median CV(RMSE), all meters", f"{100 * result['ecozone_median_cvrmse']:.2f} %", "G14, n − p"),
        ("forms recovered", f"{100 * result['forms_recovered_share']:.1f} %", "selected form = true form"),
        (
            "balance point, largest error",
            f"{_number(result['balance_point_max_error_c'], 3)} °C",
            f"{result['balance_points_expected']} true balance points, {result['balance_points_missed']} missed; "
            f"target <= 1 °C: {verdict('balance_point_max_error_c')}",
        ),
        ("balance point, 95th percentile error", f"{_number(result['balance_point_p95_error_c'], 3)} °C", ""),
    ]
    if result["opendsm_available"]:
        rows += [
            (
                f"OpenDSM {result['opendsm_version']} DailyModel ({result['opendsm_model']})",
                f"{result['opendsm_meters_per_s']:.3g} meters/s",
                f"{result['opendsm_fitted']} meters, {result['opendsm_seconds_per_meter']:.2f} s each "
                f"(CPU {result['opendsm_cpu_seconds'] / result['opendsm_fitted']:.2f} s); "
                f"warm-up {result['opendsm_warmup_seconds']:.1f} s not counted",
            ),
            (
                "speedup vs OpenDSM",
                f"{result['speedup_vs_opendsm']:,.0f}x",
                f"CPU time: {result['speedup_vs_opendsm_cpu']:,.0f}x; target >= 100: {verdict('speedup_vs_opendsm')}",
            ),
            (
                "speedup, ecozone on the sample alone",
                f"{result['speedup_vs_opendsm_sample_batch']:,.0f}x",
                f"fit_many on the {result['opendsm_sample']} sample meters only: {result['ecozone_sample_alone_seconds']:.3f} s",
            ),
            (
                "median CV(RMSE) on the sample",
                f"{100 * result['ecozone_median_cvrmse_sample']:.3f} % / {100 * result['opendsm_median_cvrmse_sample']:.3f} %",
                f"ecozone / OpenDSM, G14 n − p (median p {result['ecozone_median_parameters_sample']:.0f} / "
                f"{result['opendsm_median_parameters_sample']:.0f})",
            ),
            (
                "CV(RMSE) ratio ecozone / OpenDSM",
                f"{result['cvrmse_ratio_vs_opendsm']:.4f}",
                f"target <= 1.05: {verdict('cvrmse_ratio_vs_opendsm')}; with n: {result['cvrmse_n_ratio_vs_opendsm']:.4f}; "
                f"ecozone <= OpenDSM on {100 * result['cvrmse_better_or_equal_share']:.0f} % of meters",
            ),
        ]
    else:
        rows.append(("OpenDSM", "n/a", str(result["opendsm_reason"])))
    if f"fit_many_{large}_s" in result:
        rows += [
            (
                f"fit_many on {large:,} meters",
                f"{result[f'fit_many_{large}_s']:.2f} s",
                f"CPU {result[f'fit_many_{large}_cpu_s']:.2f} s; {large / result[f'fit_many_{large}_s']:,.0f} meters/s",
            ),
            (
                f"balance point, largest error ({large:,})",
                f"{_number(result[f'balance_point_max_error_c_{large}'], 3)} °C",
                f"{100 * result[f'balance_points_within_1c_share_{large}']:.2f} % within 1 °C "
                f"of {result[f'balance_points_expected_{large}']}",
            ),
        ]
    rows.append(("load average (1 min)", _number(result["load_average"], 3), f"{os.cpu_count()} CPUs"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--meters", type=int, default=1000, help="synthetic meter-years of the main batch")
    parser.add_argument("--large", type=int, default=10000, help="meters of the large fit_many timing (0: skip)")
    parser.add_argument("--opendsm-sample", type=int, default=30, help="meters of the sample fitted by OpenDSM too")
    parser.add_argument("--opendsm-venv", type=Path, default=DEFAULT_OPENDSM_VENV, help="OpenDSM's own venv")
    parser.add_argument("--opendsm-model", default="current", choices=("current", "legacy"), help="DailyModel settings")
    parser.add_argument("--no-opendsm", action="store_true", help="skip the OpenDSM comparison")
    parser.add_argument("--no-opendsm-install", action="store_true", help="use the OpenDSM venv only if it already works")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    options = parser.parse_args()
    result = benchmark(options)
    if options.json:
        print(json.dumps(result, indent=2, default=str))
        return
    rows = table_rows(result, options.large)
    width = max(len(row[0]) for row in rows)
    value_width = max(len(row[1]) for row in rows)
    print(f"{'figure':<{width}}  {'value':>{value_width}}  note")
    print("-" * (width + value_width + 60))
    for figure, value, note in rows:
        print(f"{figure:<{width}}  {value:>{value_width}}  {note}")


if __name__ == "__main__":
    main()
