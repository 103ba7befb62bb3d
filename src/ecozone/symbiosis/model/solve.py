"""Solve a built model with HiGHS and report status, objective, bound and gap."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from ecozone.symbiosis.model.build import BuiltModel
from ecozone.symbiosis.settings import OptimisationSettings

FEASIBLE = ("optimal", "time_limit", "gap_limit")


@dataclass(frozen=True)
class SolveResult:
    """What HiGHS returned.

    Attributes
    ----------
    status : str
        ``optimal``, ``time_limit`` (incumbent kept), ``infeasible``, ``unbounded`` or ``error``.
    objective : float or None
        Objective of the incumbent [VND/yr or tCO2e/yr].
    bound : float or None
        Best proven bound on the optimum.
    gap : float or None [-]
        Relative gap |bound − objective| / max(|objective|, 1).
    solve_s : float [s]
        Wall-clock time of the solve.
    column_values, row_duals : tuple of float
        Primal values; row duals (LP models only).
    """

    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    solve_s: float
    column_values: tuple[float, ...] = ()
    row_duals: tuple[float, ...] = ()

    @property
    def feasible(self) -> bool:
        """Whether an incumbent solution exists."""
        return self.status in FEASIBLE


def _status(model_status: highspy.HighsModelStatus, has_solution: bool) -> str:
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kUnbounded: "unbounded",
        highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible",
        highspy.HighsModelStatus.kModelEmpty: "optimal",
    }
    if model_status in names:
        return names[model_status]
    if model_status in (
        highspy.HighsModelStatus.kTimeLimit,
        highspy.HighsModelStatus.kSolutionLimit,
        highspy.HighsModelStatus.kInterrupt,
    ):
        return "time_limit" if has_solution else "error"
    return "error"


def solve(built: BuiltModel, settings: OptimisationSettings | None = None, start: Sequence[float] | None = None) -> SolveResult:
    """Solve ``built``.

    Parameters
    ----------
    built : BuiltModel
    settings : OptimisationSettings, optional
        Time limit, gap, threads.
    start : sequence of float, optional
        A feasible column vector handed to HiGHS as its first incumbent (e.g. the greedy one).
    """
    settings = settings or OptimisationSettings()
    highs = built.highs
    highs.setOptionValue("time_limit", float(settings.time_limit_s))
    highs.setOptionValue("mip_rel_gap", float(settings.mip_rel_gap))
    highs.setOptionValue("threads", int(settings.threads))
    if start is not None and not built.relaxed and len(start) == highs.getNumCol():
        solution = highspy.HighsSolution()
        solution.col_value = list(map(float, start))
        highs.setSolution(solution)
    started = time.perf_counter()
    highs.run()
    elapsed = time.perf_counter() - started
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2
    status = _status(highs.getModelStatus(), has_solution)
    if status not in FEASIBLE:
        return SolveResult(status, None, None, None, elapsed)
    objective = float(info.objective_function_value)
    bound = objective if built.relaxed or built.arc_count == 0 else float(info.mip_dual_bound)
    gap = abs(bound - objective) / max(abs(objective), 1.0)
    solution = highs.getSolution()
    duals = tuple(float(v) for v in solution.row_dual) if built.relaxed else ()
    values = tuple(float(v) for v in np.asarray(solution.col_value))
    return SolveResult(status, objective, bound, gap, elapsed, values, duals)
