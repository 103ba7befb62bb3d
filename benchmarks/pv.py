"""Benchmark of rooftop PV: yearly hourly yield + dispatch for 1,000 roofs, and the sizing of a 60-firm park.

Roofs: seeded random areas (300-20,000 m2), tilts (0-30°) and azimuths (0-360°), each with
a battery of 0-500 kWh, on the clear-sky + sunshine estimate at the demo park (Bình Dương),
against seeded synthetic hourly loads. Sizing: the 60 firms of the demo park with their
synthetic readings (one model per firm, no budget). Target (issue 7): 1,000 roofs in < 30 s.

Usage::

    .venv/bin/python benchmarks/pv.py [--roofs 1000] [--json]
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

import numpy as np

from ecozone.decarbonisation.firms import firm_energy, readings_rows
from ecozone.decarbonisation.planning import pv_inputs
from ecozone.decarbonisation.pv.dispatch import dispatch
from ecozone.decarbonisation.pv.prices import hourly_tariff
from ecozone.decarbonisation.pv.roofs import Roof, roof_arrays
from ecozone.decarbonisation.pv.sizing import size_firms
from ecozone.decarbonisation.pv.study import PvSettings
from ecozone.decarbonisation.pv.weather import clear_sky_estimate
from ecozone.decarbonisation.pv.yield_model import hourly_ac_kwh
from ecozone.demo.readings import demo_readings
from ecozone.demo.registry import demo_registry
from ecozone.store.snapshot import FirmRecord, MeterRecord

YEAR = 2024
SITE = (11.05, 106.68)


def roofs_benchmark(count: int) -> dict[str, float]:
    rng = np.random.default_rng(7)
    weather = clear_sky_estimate(*SITE, YEAR)
    roofs = [
        Roof(f"r{i}", f"f{i}", float(rng.uniform(300, 20000)), float(rng.uniform(0, 30)), float(rng.uniform(0, 360)))
        for i in range(count)
    ]
    hours = len(weather.times)
    daily = np.tile(np.r_[np.full(7, 0.4), np.full(12, 1.0), np.full(5, 0.6)], hours // 24 + 1)[:hours]
    loads = daily[:, None] * rng.uniform(20, 2000, count)[None, :] * rng.uniform(0.8, 1.2, (hours, count))
    tariff = hourly_tariff(weather.times, "22_110kv", date(2025, 6, 2))
    started = time.perf_counter()
    generation = hourly_ac_kwh(weather, roof_arrays(roofs))
    simulated = time.perf_counter()
    battery = rng.uniform(0, 500, count)
    result = dispatch(generation, loads, tariff.is_peak, tariff.is_off_peak, 0.2, battery, battery / 2)
    bill = (result.grid_import * tariff.price_vnd_per_kwh[:, None]).sum(axis=0)
    finished = time.perf_counter()
    return {
        "roofs": float(count),
        "yield_s": simulated - started,
        "dispatch_s": finished - simulated,
        "total_s": finished - started,
        "roofs_per_s": count / (finished - started),
        "mean_specific_yield": float(generation.sum() / roof_arrays(roofs).capacity_kwp.sum()),
        "bills_vnd": float(bill.sum()),
    }


def sizing_benchmark() -> dict[str, float]:
    rows = demo_registry(20240101)
    firms = [
        FirmRecord(**{k: v for k, v in r.items() if k in FirmRecord.__dataclass_fields__})
        for r in rows["firm"]
        if r["park_id"] == "demo"
    ]
    meters = [
        MeterRecord(**{k: v for k, v in r.items() if k in MeterRecord.__dataclass_fields__})
        for r in rows["meter"]
        if r["park_id"] == "demo"
    ]
    readings = demo_readings(readings_rows(firms, meters), YEAR)
    energies = firm_energy(firms, meters, readings, YEAR)
    inputs = pv_inputs(energies)
    weather = clear_sky_estimate(*SITE, YEAR)
    started = time.perf_counter()
    result = size_firms(weather, inputs, PvSettings(zero_export_price_if_missing=True))
    seconds = time.perf_counter() - started
    return {
        "firms": float(len(inputs)),
        "sizing_s": seconds,
        "solver_s": result.seconds,
        "pv_mwp": float(result.table["pv_kwp"].sum() / 1000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roofs", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    roofs = roofs_benchmark(args.roofs)
    sizing = sizing_benchmark()
    if args.json:
        print(
            json.dumps(
                {"roofs_1000_s": roofs["total_s"], "park_60_sizing_s": sizing["sizing_s"], "roofs": roofs, "sizing": sizing}
            )
        )
        return
    print(f"{'measure':<34}{'value':>14}")
    for name, value in (
        ("roofs simulated", roofs["roofs"]),
        ("yield [s]", roofs["yield_s"]),
        ("dispatch [s]", roofs["dispatch_s"]),
        ("total [s] (target < 30)", roofs["total_s"]),
        ("roofs per second", roofs["roofs_per_s"]),
        ("mean specific yield [kWh/kWp]", roofs["mean_specific_yield"]),
        ("park sizing firms", sizing["firms"]),
        ("park sizing [s]", sizing["sizing_s"]),
        ("park PV chosen [MWp]", sizing["pv_mwp"]),
    ):
        print(f"{name:<34}{value:>14,.2f}")


if __name__ == "__main__":
    main()
