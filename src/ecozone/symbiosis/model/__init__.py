"""The exchange-network optimisation (HiGHS MILP): build, solve, read back; Pareto sweep.

``optimise`` wires the steps: it checks a CO2e target first (raising
:class:`~ecozone.symbiosis.errors.InfeasibleTargetError` with the binding constraints when
it cannot be met), builds the model with an optional extra-constraints hook, hands the greedy
solution to HiGHS as a starting incumbent and reads the solution back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from ecozone.symbiosis.errors import InfeasibleTargetError, SymbiosisError
from ecozone.symbiosis.model.build import BuiltModel, ExtraConstraints, build_model, model_size
from ecozone.symbiosis.model.greedy import greedy_benefit, greedy_flows, greedy_start
from ecozone.symbiosis.model.infeasibility import InfeasibilityExplanation, explain_co2_target, max_avoidable_tco2e
from ecozone.symbiosis.model.problem import (
    Arc,
    Demand,
    Supply,
    SymbiosisProblem,
    build_problem,
    components,
    without_unprofitable_arcs,
)
from ecozone.symbiosis.model.readback import Exchange, SymbiosisSolution, read_solution
from ecozone.symbiosis.model.solve import SolveResult, solve
from ecozone.symbiosis.settings import OptimisationSettings

MIN_COMPONENT_TIME_S = 0.05

__all__ = [
    "Arc",
    "BuiltModel",
    "Demand",
    "Exchange",
    "InfeasibilityExplanation",
    "ParetoPoint",
    "SolveResult",
    "Supply",
    "SymbiosisProblem",
    "SymbiosisSolution",
    "build_model",
    "build_problem",
    "components",
    "explain_co2_target",
    "greedy_benefit",
    "greedy_flows",
    "max_avoidable_tco2e",
    "model_size",
    "optimise",
    "pareto_sweep",
    "read_solution",
    "solve",
    "without_unprofitable_arcs",
]


def optimise(
    problem: SymbiosisProblem,
    co2_target: float | None = None,
    settings: OptimisationSettings | None = None,
    extra_constraints: ExtraConstraints | None = None,
) -> SymbiosisSolution:
    """Maximise net benefit [VND/yr], subject to avoiding at least ``co2_target`` [tCO2e/yr] if given.

    Raises
    ------
    InfeasibleTargetError
        When the target exceeds what the candidate links can avoid (with the explanation).
    SymbiosisError
        When extra constraints make the model infeasible.
    """
    settings = settings or OptimisationSettings()
    if co2_target is not None:
        explanation = explain_co2_target(problem, co2_target)
        if explanation is not None:
            raise InfeasibleTargetError(explanation, target=f"{co2_target:,.1f}", maximum=f"{explanation.max_tco2e:,.1f}")
    if co2_target is None and extra_constraints is None:
        return _optimise_by_component(problem, settings)
    built = build_model(problem, "benefit", co2_target, extra_constraints)
    start = None
    if settings.use_greedy_start and extra_constraints is None:
        start = greedy_start(problem)
        n = len(problem.arcs)
        if co2_target is not None and sum(a.unit_tco2e * f for a, f in zip(problem.arcs, start[:n], strict=True)) < co2_target:
            start = None
    result = solve(built, settings, start)
    if not result.feasible:
        raise SymbiosisError("symbiosis.solver_failed", status=result.status)
    return read_solution(built, result)


@dataclass
class _Part:
    """A component with its model and best result so far."""

    built: BuiltModel
    result: SolveResult

    @property
    def slack(self) -> float:
        """Absolute gap bound − objective [VND/yr]."""
        return abs((self.result.bound or 0.0) - (self.result.objective or 0.0))


def _solve_part(built: BuiltModel, settings: OptimisationSettings, budget: float, start: list[float] | None) -> SolveResult:
    result = solve(built, settings.model_copy(update={"time_limit_s": max(budget, MIN_COMPONENT_TIME_S)}), start)
    if not result.feasible or result.objective is None or result.bound is None:
        raise SymbiosisError("symbiosis.solver_failed", status=result.status)
    return result


def _optimise_by_component(problem: SymbiosisProblem, settings: OptimisationSettings) -> SymbiosisSolution:
    """Maximise net benefit component by component (after dropping arcs that cannot pay off).

    Without a CO2e target or extra constraints the connected components of the supply-demand
    graph are independent, so their optima and bounds add up. First pass: components smallest
    first, each with a share of the time left proportional to its arcs (time a component does
    not use passes on). Second pass, while time is left and the gap of the sums exceeds the
    target: the component with the largest absolute gap is solved again from its incumbent.
    ``solve_s`` is the wall-clock time of both passes.
    """
    started = time.perf_counter()
    deadline = started + settings.time_limit_s
    parts_data = sorted(components(without_unprofitable_arcs(problem)), key=lambda p: len(p.arcs))
    arcs_left = sum(len(p.arcs) for p in parts_data)
    parts: list[_Part] = []
    for data in parts_data:
        share = (deadline - time.perf_counter()) * len(data.arcs) / max(arcs_left, 1)
        arcs_left -= len(data.arcs)
        built = build_model(data)
        parts.append(_Part(built, _solve_part(built, settings, share, greedy_start(data) if settings.use_greedy_start else None)))

    def gap() -> float:
        objective = sum(p.result.objective or 0.0 for p in parts)
        return sum(p.slack for p in parts) / max(abs(objective), 1.0)

    while parts and gap() > settings.mip_rel_gap and time.perf_counter() < deadline - MIN_COMPONENT_TIME_S:
        worst = max(parts, key=lambda p: p.slack)
        if worst.result.status == "optimal":
            break
        again = _solve_part(worst.built, settings, deadline - time.perf_counter(), list(worst.result.column_values))
        if (again.objective or 0.0) >= (worst.result.objective or 0.0):
            worst.result = replace(again, bound=min(again.bound or 0.0, worst.result.bound or 0.0))
        else:
            break
    exchanges = sorted(
        (e for p in parts for e in read_solution(p.built, p.result).exchanges),
        key=lambda e: (-e.benefit_vnd, e.arc.supplier, e.arc.receiver),
    )
    objective = sum(p.result.objective or 0.0 for p in parts)
    final_gap = gap() if parts else 0.0
    status = "optimal" if final_gap <= settings.mip_rel_gap or all(p.result.status == "optimal" for p in parts) else "time_limit"
    return SymbiosisSolution(
        status=status,
        exchanges=tuple(exchanges),
        objective=objective,
        bound=sum(p.result.bound or 0.0 for p in parts),
        gap=final_gap,
        solve_s=time.perf_counter() - started,
        benefit_vnd=sum(e.benefit_vnd for e in exchanges),
        tco2e=sum(e.tco2e for e in exchanges),
    )


@dataclass(frozen=True)
class ParetoPoint:
    """One point of the money-versus-CO2e trade-off.

    Attributes
    ----------
    co2_target : float or None [tCO2e/yr]
    tco2e : float [tCO2e/yr]
    benefit_vnd : float [VND/yr]
    links : int
    """

    co2_target: float | None
    tco2e: float
    benefit_vnd: float
    links: int


def pareto_sweep(problem: SymbiosisProblem, points: int = 6, settings: OptimisationSettings | None = None) -> list[ParetoPoint]:
    """Trade-off between net benefit and tCO2e avoided by the ε-constraint method.

    The first point maximises benefit without a target; the others maximise benefit subject
    to CO2e targets evenly spaced up to the most avoidable. Dominated points are dropped.
    """
    first = optimise(problem, settings=settings)
    sweep = [ParetoPoint(None, first.tco2e, first.benefit_vnd, len(first.exchanges))]
    maximum, _ = max_avoidable_tco2e(problem)
    if maximum <= first.tco2e + 1e-9 or points < 2:
        return sweep
    for target in np.linspace(first.tco2e, maximum * (1 - 1e-7), points)[1:]:
        solution = optimise(problem, co2_target=float(target), settings=settings)
        sweep.append(ParetoPoint(float(target), solution.tco2e, solution.benefit_vnd, len(solution.exchanges)))
    return [p for p in sweep if not any(_dominates(q, p) for q in sweep)]


def _dominates(a: ParetoPoint, b: ParetoPoint) -> bool:
    tolerance = 1e-6
    better_or_equal = a.tco2e >= b.tco2e - tolerance and a.benefit_vnd >= b.benefit_vnd - tolerance * max(1.0, abs(b.benefit_vnd))
    strictly = a.tco2e > b.tco2e + tolerance or a.benefit_vnd > b.benefit_vnd + tolerance * max(1.0, abs(b.benefit_vnd))
    return better_or_equal and strictly
