"""Benchmark of the pathway model: 60 and 500 firms, 26 years (2025-2050), solve time and proven gap.

Firms are seeded synthetic (sector, electricity 0.2-20 GWh/yr, coal, biomass, diesel and LPG
with sector-like probabilities, roof and land areas); every measure of the catalogue is
evaluated for each, with a simple PV outcome (roof-limited kWp at 1,400 kWh/kWp, 60 % of it
self-consumed). The pathway enforces the 2030 NDC reduction and a yearly budget of 30 % of
the first-year cost of all options, with divisible adoption and a minimum share (binaries).
Target (issue 7): 500 firms solved to a proven gap ≤ 1 % within 120 s.

Usage::

    .venv/bin/python benchmarks/pathway.py [--firms 60 500] [--json]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from ecozone.decarbonisation.catalogue import measures
from ecozone.decarbonisation.effects import EffectContext, PvOutcome, evaluate
from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.pathway import PathwaySettings, plan_pathway
from ecozone.decarbonisation.prices import price_table
from ecozone.store.snapshot import FirmRecord

SECTORS = ("1010", "1311", "1410", "2011", "2220", "2511", "2610", "5210")


def synthetic_park(count: int, seed: int = 11) -> tuple[dict[str, FirmEnergy], EffectContext]:
    rng = np.random.default_rng(seed)
    energies: dict[str, FirmEnergy] = {}
    outcomes: dict[str, PvOutcome] = {}
    for i in range(count):
        firm_id = f"f{i:04d}"
        roof = float(rng.uniform(2000, 40000))
        firm = FirmRecord(
            firm_id, "bench", firm_id, str(rng.choice(SECTORS)), roof_area_m2=roof, land_area_ha=float(rng.uniform(1, 20))
        )
        annual = {"electricity": float(rng.lognormal(np.log(2e6), 1.0)), "water_withdrawal": float(rng.uniform(5e3, 2e5))}
        for carrier, probability, low, high in (
            ("coal", 0.1, 200, 3000),
            ("biomass", 0.08, 200, 2000),
            ("diesel", 0.6, 5e3, 6e4),
            ("lpg", 0.25, 1e3, 6e4),
        ):
            if rng.random() < probability:
                annual[carrier] = float(rng.uniform(low, high))
        energies[firm_id] = FirmEnergy(firm, 2024, annual)
        kwp = roof * 0.147
        generation = kwp * 1400.0
        consumed = min(0.6 * generation, 0.5 * annual["electricity"])
        outcomes[firm_id] = PvOutcome(
            firm_id, kwp, generation, consumed, 0.1 * generation, generation - consumed - 0.1 * generation, consumed * 2000.0, 0.0
        )
    context = EffectContext(price_table(), dict.fromkeys(energies, 2000.0), outcomes)
    return energies, context


def run(count: int) -> dict[str, float | str]:
    energies, context = synthetic_park(count)
    options = [evaluate(m, e, context) for e in energies.values() for m in measures().values()]
    applicable = [o for o in options if o.applicable]
    budget = 0.3 * sum(o.capex_vnd for o in applicable)
    settings = PathwaySettings(target=None, enforce_ndc=True, budget_vnd_per_year=budget)
    started = time.perf_counter()
    result = plan_pathway(options, energies, settings)
    seconds = time.perf_counter() - started
    return {
        "firms": float(count),
        "options": float(len(applicable)),
        "status": result.status,
        "solve_s": seconds,
        "solver_s": result.seconds,
        "gap": result.mip_gap,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, nargs="+", default=[60, 500])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = {count: run(count) for count in args.firms}
    if args.json:
        largest = runs[max(runs)]
        print(
            json.dumps(
                {
                    "firms_500_solve_s": largest["solve_s"],
                    "firms_500_gap": largest["gap"],
                    "runs": {str(k): v for k, v in runs.items()},
                }
            )
        )
        return
    print(f"{'firms':>6}{'options':>9}{'status':>12}{'solve [s]':>12}{'gap':>10}")
    for count, values in runs.items():
        print(f"{count:>6}{values['options']:>9.0f}{values['status']:>12}{values['solve_s']:>12.2f}{values['gap']:>10.4f}")
    print("target: 500 firms to a proven gap <= 1 % within 120 s")


if __name__ == "__main__":
    main()
