"""Benchmark of the symbiosis MILP: 100, 500 and 2,000 firms with about 10 streams each.

Generated instances (seeded): parks of 100 firms with centres spread over Viet Nam, firms within
about a kilometre of their park's centre; each firm has 5 outputs and 5 inputs whose classes are
drawn from the curated knowledge-base links, with log-normal quantities and prices. Candidate arcs
join each output to its nearest compatible inputs of other firms (5) within the transport mode's
reach; their coefficients come from :func:`ecozone.symbiosis.model.problem.arc_from_candidate`,
the same economics the CLI uses.

For each instance the table shows the model size, HiGHS solve time and proven gap (target: 2,000
firms to gap ≤ 1 % within 60 s), the greedy heuristic's objective ("take the best remaining pair
until capacities run out") and the ratio of the MILP objective to greedy's.

Usage: ``.venv/bin/python benchmarks/symbiosis.py [--json] [--sizes 100 500 2000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from typing import Any

import numpy as np

from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.distance import haversine_km
from ecozone.symbiosis.knowledge import KnowledgeBase, curated_links, knowledge_base
from ecozone.symbiosis.matching import Candidate
from ecozone.symbiosis.model import (
    SymbiosisProblem,
    build_model,
    build_problem,
    components,
    greedy_benefit,
    greedy_flows,
    model_size,
    optimise,
    without_unprofitable_arcs,
)
from ecozone.symbiosis.settings import OptimisationSettings
from ecozone.symbiosis.taxonomy import stream_class

FIRMS_PER_PARK = 100
OUTPUTS_PER_FIRM = 5
INPUTS_PER_FIRM = 5
NEAREST = int(os.environ.get("BENCH_NEAREST", "5"))
CIRCUITY = 1.3
INTRA_PARK_KM = 2.0


def _streams(n_firms: int, rng: np.random.Generator) -> list[StreamRecord]:
    links = [link for link in curated_links().values() if stream_class(link.output_class).hazardous != "always"]
    output_classes = sorted({link.output_class for link in links})
    input_classes = sorted({link.input_class for link in links})
    n_parks = max(1, n_firms // FIRMS_PER_PARK)
    centres = np.column_stack([rng.uniform(10.0, 21.5, n_parks), rng.uniform(105.5, 107.5, n_parks)])
    streams: list[StreamRecord] = []
    for firm in range(n_firms):
        park = firm % n_parks
        latitude, longitude = centres[park] + rng.normal(0.0, 0.01, 2)
        for index in range(OUTPUTS_PER_FIRM + INPUTS_PER_FIRM):
            direction = "output" if index < OUTPUTS_PER_FIRM else "input"
            code = str(rng.choice(output_classes if direction == "output" else input_classes))
            entry = stream_class(code)
            quantity = float(rng.lognormal(np.log(500.0 if entry.measure != "volume" else 50_000.0), 1.0))
            price = float(rng.lognormal(np.log(300_000.0 if entry.measure != "volume" else 8_000.0), 0.8))
            streams.append(
                StreamRecord(
                    f"p{park}", "firm", f"f{firm}", direction, f"{code}-{index}", code, quantity, entry.unit,
                    unit_cost_vnd=price, latitude=float(latitude), longitude=float(longitude), temperature_c=200.0,
                )
            )  # fmt: skip
    return streams


def _candidates(streams: list[StreamRecord], kb: KnowledgeBase) -> list[Candidate]:
    inputs_by_class: dict[str, list[StreamRecord]] = {}
    for stream in streams:
        if stream.direction == "input":
            inputs_by_class.setdefault(stream.stream_class, []).append(stream)
    coordinates = {c: np.array([[s.latitude, s.longitude] for s in group]) for c, group in inputs_by_class.items()}
    candidates: list[Candidate] = []
    for supplier in (s for s in streams if s.direction == "output"):
        mode = kb.transport_mode(supplier.stream_class)
        options: list[tuple[float, StreamRecord, Any]] = []
        for link in kb.links_from(supplier.stream_class):
            group = inputs_by_class.get(link.input_class, [])
            if not group:
                continue
            points = coordinates[link.input_class]
            rough = np.hypot(
                points[:, 0] - supplier.latitude, (points[:, 1] - supplier.longitude) * np.cos(np.radians(supplier.latitude))
            )
            for j in np.argsort(rough)[: NEAREST * 2]:
                receiver = group[int(j)]
                if receiver.owner_id == supplier.owner_id:
                    continue
                assert supplier.latitude is not None and supplier.longitude is not None
                assert receiver.latitude is not None and receiver.longitude is not None
                distance = haversine_km(supplier.latitude, supplier.longitude, receiver.latitude, receiver.longitude) * CIRCUITY
                distance = max(distance, INTRA_PARK_KM) if supplier.park_id == receiver.park_id else distance
                if distance <= mode.max_distance_km:
                    options.append((distance, receiver, link))
        options.sort(key=lambda o: o[0])
        for distance, receiver, link in options[:NEAREST]:
            candidates.append(Candidate(supplier, receiver, link, 0.0, 1.0, distance, False, ()))
    return candidates


def instance(n_firms: int, seed: int = 20240101) -> SymbiosisProblem:
    """A generated problem with ``n_firms`` firms."""
    rng = np.random.default_rng(seed + n_firms)
    kb = knowledge_base(include_literature=False)
    return build_problem(_candidates(_streams(n_firms, rng), kb), kb)


def run(n_firms: int, settings: OptimisationSettings) -> dict[str, Any]:
    """Solve one instance and compare with greedy."""
    started = time.perf_counter()
    problem = instance(n_firms)
    generated = time.perf_counter() - started
    greedy_started = time.perf_counter()
    flows = greedy_flows(problem)
    greedy_value = greedy_benefit(problem, flows)
    greedy_s = time.perf_counter() - greedy_started
    size = model_size(build_model(problem))
    parts = components(without_unprofitable_arcs(problem))
    solution = optimise(problem, settings=settings)
    objective = solution.benefit_vnd
    return {
        "firms": n_firms,
        "streams": n_firms * (OUTPUTS_PER_FIRM + INPUTS_PER_FIRM),
        "arcs": len(problem.arcs),
        **size,
        "generate_s": round(generated, 2),
        "components": len(parts),
        "largest_component_arcs": max((len(p.arcs) for p in parts), default=0),
        "solve_s": round(solution.solve_s, 2),
        "status": solution.status,
        "gap": solution.gap,
        "objective_vnd": objective,
        "greedy_vnd": greedy_value,
        "greedy_s": round(greedy_s, 2),
        "objective_vs_greedy": objective / greedy_value if greedy_value > 0 else float("nan"),
        "links": len(solution.exchanges),
    }


def main() -> None:
    """Run the benchmark and print a table (or one JSON object with ``--json``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--gap", type=float, default=0.01, help="relative gap at which HiGHS stops")
    arguments = parser.parse_args()
    settings = OptimisationSettings(time_limit_s=arguments.time_limit, mip_rel_gap=arguments.gap)
    rows = [run(n, settings) for n in arguments.sizes]
    if arguments.json:
        document: dict[str, Any] = {"instances": rows, "min_objective_vs_greedy": min(r["objective_vs_greedy"] for r in rows)}
        for row in rows:
            document[f"firms_{row['firms']}_solve_s"] = row["solve_s"]
            document[f"firms_{row['firms']}_gap"] = row["gap"]
        print(json.dumps(document, indent=2))
        return
    header = (
        "firms", "arcs", "columns", "binaries", "rows", "nonzeros", "components", "largest_component_arcs",
        "solve_s", "status", "gap", "objective_vnd", "greedy_vnd", "objective_vs_greedy",
    )  # fmt: skip
    print(" | ".join(header))
    for row in rows:
        cells = [f"{row[h]:.4g}" if isinstance(row[h], float) else str(row[h]) for h in header]
        print(" | ".join(cells))


if __name__ == "__main__":
    main()
