"""Monitoring benchmark: labelled injected anomalies, scoring throughput and forecast skill.

1. Detection quality: a synthetic park (``ecozone.monitoring.synthetic``) of 400 electricity
   meters (15 min) and 100 water meters (daily), five weeks of history and one scored week;
   20 incidents of each kind are injected on distinct meters. Per kind: precision (alerts of the
   kind that overlap an incident of the kind on their meter / alerts of the kind), recall
   (incidents matched by an alert of their kind) and the median detection delay (incident start
   to the alert's confirmation). Overall precision counts an alert as true when it overlaps any
   incident of its meter.
2. Throughput: one day of 15-minute readings for 10,000 meters scored against four weeks of
   history (meter-days scored per second, including gridding).
3. Forecasts: day-ahead backtest of 1,000 synthetic meters and of the demo park's meters, MASE
   of the model and of seasonal-naive (same time last week).

Usage: ``.venv/bin/python benchmarks/monitoring.py [--json] [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd

from ecozone.monitoring import synthetic
from ecozone.monitoring.detection import detect_anomalies
from ecozone.monitoring.forecasting import aggregate_series, backtest
from ecozone.monitoring.inputs import MonitoredMeter

UTC = "UTC"


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=UTC)


def labelled_park(
    per_kind: int, seed: int = 11
) -> tuple[pd.DataFrame, dict[str, MonitoredMeter], list[synthetic.Incident], pd.Timestamp]:
    readings, meters = synthetic.synthetic_park(400, 42, start="2024-09-02", seed=seed, n_water=100)
    window = _t("2024-10-06 17:00")  # local Monday 7 October
    rng = np.random.default_rng(seed)
    electricity = [m for m in meters if "-e" in m]
    water = [m for m in meters if "-w" in m]
    rng.shuffle(electricity)
    incidents: list[synthetic.Incident] = []
    kinds = [
        "baseload_drift",
        "stuck",
        "gap",
        "negative",
        "jump",
        "clock_shift",
        "consumption_high",
        "consumption_low",
        "level_shift_up",
    ]
    position = 0
    for kind in kinds:
        for _ in range(per_kind):
            meter = electricity[position]
            position += 1
            day = int(rng.integers(1, 5))
            # consumption incidents in working hours (09:00-13:00 local): in closed hours the same
            # excess is, by design, a base-load drift; faults at any hour
            hour = float(rng.integers(9, 13)) if kind.startswith("consumption") else float(rng.integers(0, 24))
            start = window + pd.Timedelta(days=day, hours=hour)
            readings, incident = _inject(readings, meter, kind, start, window, rng)
            incidents.append(incident)
    rng.shuffle(water)
    for meter in water[:per_kind]:
        level = float(readings.loc[readings["meter_id"] == meter, "value"].median())
        start = window + pd.Timedelta(days=int(rng.integers(1, 3)))
        readings, incident = synthetic.inject_addition(readings, meter, start, window + pd.Timedelta(days=7), 0.3 * level, "leak")
        incidents.append(incident)
    return readings, meters, incidents, window


def _inject(
    readings: pd.DataFrame, meter: str, kind: str, start: pd.Timestamp, window: pd.Timestamp, rng: np.random.Generator
) -> tuple[pd.DataFrame, synthetic.Incident]:
    level = float(readings.loc[readings["meter_id"] == meter, "value"].median())
    if kind == "baseload_drift":
        saturday = window + pd.Timedelta(days=5, hours=13)  # local Saturday 13:00
        return synthetic.inject_addition(readings, meter, saturday, saturday + pd.Timedelta(hours=41), 0.6 * level, kind)
    if kind == "stuck":
        return synthetic.inject_freeze(readings, meter, start, start + pd.Timedelta(hours=8))
    if kind == "gap":
        return synthetic.inject_gap(readings, meter, start, start + pd.Timedelta(hours=4))
    if kind == "negative":
        return synthetic.inject_negative(readings, meter, start, start + pd.Timedelta(hours=2))
    if kind == "jump":
        return synthetic.inject_jump(readings, meter, start.floor("15min"), 40.0)
    if kind == "clock_shift":
        day_start = window + pd.Timedelta(days=int(rng.integers(1, 5)))
        return synthetic.inject_clock_shift(readings, meter, day_start, day_start + pd.Timedelta(days=1), 2)
    if kind == "consumption_high":
        return synthetic.inject_scaling(readings, meter, start, start + pd.Timedelta(hours=3), 1.8, kind)
    if kind == "consumption_low":
        return synthetic.inject_scaling(readings, meter, start, start + pd.Timedelta(hours=3), 0.2, kind)
    step = window + pd.Timedelta(days=1)
    return synthetic.inject_scaling(readings, meter, step, window + pd.Timedelta(days=7), 1.12, kind)


def detection_quality(per_kind: int) -> dict[str, object]:
    readings, meters, incidents, window = labelled_park(per_kind)
    started = time.perf_counter()
    result = detect_anomalies(readings, meters, score_from=window)
    elapsed = time.perf_counter() - started
    alerts = result.alerts_frame()
    matched = synthetic.match_alerts(incidents, alerts)
    rows = []
    for kind in sorted(set(matched["kind"])):
        own = matched[matched["kind"] == kind]
        kind_alerts = alerts[alerts["kind"] == kind] if not alerts.empty else alerts
        true_alerts = sum(
            any(
                synthetic.overlaps(i, a["meter_id"], pd.Timestamp(a["start"]), pd.Timestamp(a["end"])) and i.kind == kind
                for i in incidents
            )
            for _, a in kind_alerts.iterrows()
        )
        rows.append(
            {
                "kind": kind,
                "incidents": len(own),
                "recall": float(own["detected"].mean()),
                "alerts": len(kind_alerts),
                "precision": true_alerts / len(kind_alerts) if len(kind_alerts) else float("nan"),
                "median_delay_h": float(own["delay_h"].median()),
            }
        )
    true_any = sum(
        any(synthetic.overlaps(i, a["meter_id"], pd.Timestamp(a["start"]), pd.Timestamp(a["end"])) for i in incidents)
        for _, a in alerts.iterrows()
    )
    return {
        "per_kind": rows,
        "recall": float(matched["detected"].mean()),
        "precision": true_any / len(alerts) if len(alerts) else float("nan"),
        "alerts": len(alerts),
        "incidents": len(incidents),
        "scoring_s": elapsed,
        "meter_days": result.meter_days,
    }


def throughput(meters: int) -> dict[str, float]:
    readings, known = synthetic.synthetic_park(meters, 29, start="2024-09-02", seed=5)
    started = time.perf_counter()
    result = detect_anomalies(readings, known)
    elapsed = time.perf_counter() - started
    return {
        "meters": meters,
        "meter_days": result.meter_days,
        "seconds": elapsed,
        "meter_days_per_s": result.meter_days / elapsed,
        "alerts": len(result.alerts),
    }


def forecast_skill(meters: int) -> dict[str, float]:
    readings, known = synthetic.synthetic_park(meters, 56, start="2024-08-05", seed=9)
    series = aggregate_series(readings, known, "meter")
    started = time.perf_counter()
    synthetic_result = backtest(series, 1).summary()
    seconds = time.perf_counter() - started
    from ecozone.demo.readings import demo_readings
    from ecozone.demo.registry import demo_registry

    rows = demo_registry(20240101)
    demo = demo_readings(rows, 2024)
    demo = demo[(demo["timestamp"] >= _t("2024-09-01")) & (demo["timestamp"] < _t("2024-11-14 17:00"))]
    demo_meters = {
        m["id"]: MonitoredMeter(
            m["id"], m["park_id"], m.get("firm_id"), m["carrier"], m["unit"], m.get("interval_minutes"), m.get("voltage_level")
        )
        for m in rows["meter"]
    }
    demo_meter = backtest(aggregate_series(demo, demo_meters, "meter"), 1).summary()
    demo_park = backtest(aggregate_series(demo, demo_meters, "park"), 1).summary()
    return {
        "meters": meters,
        "seconds": seconds,
        "mase": synthetic_result["mase"],
        "mase_seasonal_naive": synthetic_result["mase_seasonal_naive"],
        "demo_meters_mase": demo_meter["mase"],
        "demo_meters_mase_seasonal_naive": demo_meter["mase_seasonal_naive"],
        "demo_park_mase": demo_park["mase"],
        "demo_park_mase_seasonal_naive": demo_park["mase_seasonal_naive"],
        "pinball_median": synthetic_result["pinball_median"],
        "coverage": synthetic_result["coverage"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (1,000 meters for throughput, 200 for forecasts)")
    options = parser.parse_args()
    quality = detection_quality(20)
    speed = throughput(1_000 if options.quick else 10_000)
    skill = forecast_skill(200 if options.quick else 1_000)
    if options.json:
        document = {
            "precision": quality["precision"],
            "recall": quality["recall"],
            "meter_days_per_s": speed["meter_days_per_s"],
            "mase": skill["mase"],
            "detection": quality,
            "throughput": speed,
            "forecast": skill,
        }
        print(json.dumps(document, indent=2, default=float))
        return
    print(f"{'kind':<18}{'incidents':>10}{'alerts':>8}{'precision':>11}{'recall':>8}{'delay h':>9}")
    for row in quality["per_kind"]:  # type: ignore[union-attr]
        print(
            f"{row['kind']:<18}{row['incidents']:>10}{row['alerts']:>8}{row['precision']:>11.2f}{row['recall']:>8.2f}{row['median_delay_h']:>9.2f}"
        )
    overall = (quality["precision"], quality["recall"], quality["alerts"], quality["incidents"])
    print("overall: precision {:.3f}, recall {:.3f} ({} alerts, {} incidents; targets 0.8 / 0.9)".format(*overall))
    rate = (speed["meters"], speed["seconds"], speed["meter_days_per_s"])
    print("throughput: {} meters x 1 day in {:.1f} s = {:.0f} meter-days/s (target: 10,000 in < 60 s)".format(*rate))
    models = ("mase", "demo_meters_mase", "demo_park_mase")
    pairs = ", ".join(f"{name} {skill[name]:.3f} (seasonal-naive {skill[name + '_seasonal_naive']:.3f})" for name in models)
    print(f"forecast day-ahead backtest ({skill['meters']} synthetic meters; demo meters; demo park): {pairs}")


if __name__ == "__main__":
    main()
