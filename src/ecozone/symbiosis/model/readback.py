"""Read a solved model back into exchanges (plain data) and recompute its value independently."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecozone.symbiosis.model.build import BuiltModel
from ecozone.symbiosis.model.problem import Arc, SymbiosisProblem
from ecozone.symbiosis.model.solve import SolveResult

FLOW_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Exchange:
    """One active link of a solution.

    Attributes
    ----------
    arc : Arc
    flow : float [supplier unit/yr]
    delivered : float [receiver unit/yr]
        flow × ratio.
    benefit_vnd : float [VND/yr]
        unit benefit × flow − set-up cost.
    tco2e : float [tCO2e/yr]
    """

    arc: Arc
    flow: float
    delivered: float
    benefit_vnd: float
    tco2e: float


@dataclass(frozen=True)
class SymbiosisSolution:
    """The optimised network.

    Attributes
    ----------
    status : str
        Solver status (see :class:`SolveResult`).
    exchanges : tuple of Exchange
        Active links, largest benefit first.
    objective : float or None
        The solver's objective [VND/yr for ``benefit``, tCO2e/yr for ``co2``].
    bound, gap, solve_s : float or None
        Proven bound, relative gap [-], solve time [s].
    benefit_vnd, tco2e : float
        Recomputed totals [VND/yr], [tCO2e/yr].
    co2_target : float or None [tCO2e/yr]
    """

    status: str
    exchanges: tuple[Exchange, ...]
    objective: float | None
    bound: float | None
    gap: float | None
    solve_s: float
    benefit_vnd: float
    tco2e: float
    co2_target: float | None = None
    objective_kind: str = "benefit"


def exchanges_from_flows(
    problem: SymbiosisProblem, flows: Sequence[float], links: Sequence[float] | None = None
) -> list[Exchange]:
    """Exchanges of a flow vector; a link counts as set up when its flow is positive (or its binary is 1).

    A link whose binary is 1 without flow is listed only when it costs a set-up (the model paid
    for it, so the benefits still add up to the objective): a free link carrying nothing is no
    exchange, and the solver may leave its binary at 1 at no cost.
    """
    exchanges = []
    for index, arc in enumerate(problem.arcs):
        flow = max(0.0, flows[index])
        paid = links is not None and links[index] > 0.5 and arc.setup_cost_vnd != 0.0
        active = flow > FLOW_TOLERANCE or paid
        if not active:
            continue
        exchanges.append(
            Exchange(arc, flow, flow * arc.ratio, arc.unit_benefit_vnd * flow - arc.setup_cost_vnd, arc.unit_tco2e * flow)
        )
    exchanges.sort(key=lambda e: (-e.benefit_vnd, e.arc.supplier, e.arc.receiver))
    return exchanges


def read_solution(built: BuiltModel, result: SolveResult) -> SymbiosisSolution:
    """The solution of a solved model (no exchanges when the solve found none)."""
    exchanges: list[Exchange] = []
    if result.feasible:
        n = built.arc_count
        values = result.column_values
        exchanges = exchanges_from_flows(built.problem, values[:n], values[n : 2 * n])
    return SymbiosisSolution(
        status=result.status,
        exchanges=tuple(exchanges),
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        solve_s=result.solve_s,
        benefit_vnd=sum(e.benefit_vnd for e in exchanges),
        tco2e=sum(e.tco2e for e in exchanges),
        co2_target=built.co2_target,
        objective_kind=built.objective,
    )
