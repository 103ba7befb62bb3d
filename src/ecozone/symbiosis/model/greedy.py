"""Greedy heuristic: take the best remaining pair until capacities run out.

The value of an arc given what is left is unit benefit × (largest flow the remaining supply
and demand allow) − set-up cost. The arc with the highest positive value is taken at that
flow, capacities are reduced, and the next best is sought (values only fall, so a lazy
max-heap finds the best in O(arcs log arcs)). Arcs whose supplier alone misses the receiver's
purity or moisture requirement are skipped, so every greedy solution is feasible.
"""

from __future__ import annotations

import heapq

from ecozone.symbiosis.model.problem import Demand, Supply, SymbiosisProblem

EPSILON = 1e-9


def _meets_quality(supply: Supply, demand: Demand) -> bool:
    if demand.min_purity_pct is not None and (supply.purity_pct or 0.0) < demand.min_purity_pct:
        return False
    return not (demand.max_moisture_pct is not None and (supply.moisture_pct or 0.0) > demand.max_moisture_pct)


def greedy_flows(problem: SymbiosisProblem) -> list[float]:
    """Flows [supplier unit/yr] per arc chosen by the greedy heuristic (0 for arcs not taken)."""
    supply_left = {s.key: s.quantity for s in problem.supplies}
    demand_left = {d.key: d.quantity for d in problem.demands}
    supplies = {s.key: s for s in problem.supplies}
    demands = {d.key: d for d in problem.demands}
    flows = [0.0] * len(problem.arcs)

    def value(index: int) -> tuple[float, float]:
        arc = problem.arcs[index]
        flow = min(arc.capacity, supply_left[arc.supplier], demand_left[arc.receiver] / arc.ratio)
        return arc.unit_benefit_vnd * flow - arc.setup_cost_vnd, flow

    heap: list[tuple[float, int]] = []
    for index, arc in enumerate(problem.arcs):
        if _meets_quality(supplies[arc.supplier], demands[arc.receiver]):
            worth, _ = value(index)
            if worth > EPSILON:
                heap.append((-worth, index))
    heapq.heapify(heap)
    while heap:
        negative, index = heapq.heappop(heap)
        worth, flow = value(index)
        if worth <= EPSILON or flow <= EPSILON:
            continue
        if worth < -negative - EPSILON * max(1.0, abs(worth)):
            heapq.heappush(heap, (-worth, index))
            continue
        arc = problem.arcs[index]
        flows[index] = flow
        supply_left[arc.supplier] -= flow
        demand_left[arc.receiver] -= flow * arc.ratio
    return flows


def greedy_start(problem: SymbiosisProblem) -> list[float]:
    """The greedy solution as a full column vector (flows, then link binaries)."""
    flows = greedy_flows(problem)
    return flows + [1.0 if f > 0 else 0.0 for f in flows]


def greedy_benefit(problem: SymbiosisProblem, flows: list[float]) -> float:
    """Net benefit of a flow vector [VND/yr] (set-up paid for every arc with flow)."""
    return sum(arc.unit_benefit_vnd * f - arc.setup_cost_vnd for arc, f in zip(problem.arcs, flows, strict=True) if f > 0)
