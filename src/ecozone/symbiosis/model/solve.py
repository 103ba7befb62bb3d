"""Solve a built model with HiGHS and report status, objective, bound and gap.

A starting incumbent (e.g. the greedy solution) is handed to HiGHS, but HiGHS's answer is not
taken on trust when one was given. HiGHS 1.16 maps a user solution into the presolved space by
keeping the values of the columns presolve left; when presolve has fixed a column the start
does not use (a dominated column set to its bound, its value moved into the objective offset)
and tightened the bounds of the others, the mapped start can violate them, yet HiGHS accepts it
as an incumbent with the offset included. That incumbent can be worth more than the optimum, so
HiGHS prunes the tree against it, reports "optimal" with a false objective and bound, and returns
the start itself (seen: 20,000 VND/yr claimed for a start worth 16,000, the optimum).
:func:`solve` therefore checks the returned columns against the original model (bounds, rows,
integrality, and objective = Σ cost · column); when the check fails the solver state is cleared
and the model solved again without the start. The start, feasible by contract, is kept if the
second solve ends at the time limit with something worse.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import highspy
import numpy as np

from ecozone.symbiosis.model.build import BuiltModel
from ecozone.symbiosis.settings import OptimisationSettings

FEASIBLE = ("optimal", "time_limit", "gap_limit")
FEASIBILITY_TOLERANCE = 1e-5
OBJECTIVE_TOLERANCE = 1e-7
MIN_RETRY_TIME_S = 0.05


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


def objective_value(built: BuiltModel, values: Sequence[float], lp: highspy.HighsLp | None = None) -> float:
    """Σ cost · column (+ offset) of the model for the column vector ``values`` (``lp``: the model's, if at hand)."""
    lp = built.highs.getLp() if lp is None else lp
    return float(np.asarray(lp.col_cost_, dtype=np.float64) @ np.asarray(values, dtype=np.float64)) + float(lp.offset_)


def max_violation(built: BuiltModel, values: Sequence[float], lp: highspy.HighsLp | None = None) -> float:
    """Largest relative violation of a bound, row or integrality of the model by ``values`` [-] (0 when feasible).

    A bound violation is divided by max(1, |bound|), a row violation by max(1, |bound|, Σ |a · x|)
    over the row's terms; an integrality violation is the distance to the nearest integer.
    """
    lp = built.highs.getLp() if lp is None else lp
    x = np.asarray(values, dtype=np.float64)
    if x.size != lp.num_col_:
        return float("inf")
    matrix = lp.a_matrix_
    starts, index = np.asarray(matrix.start_, dtype=np.int64), np.asarray(matrix.index_, dtype=np.int64)
    value = np.asarray(matrix.value_, dtype=np.float64)
    owner = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    rows, columns = (index, owner) if matrix.format_ == highspy.MatrixFormat.kColwise else (owner, index)
    terms = value * x[columns]
    activity = np.bincount(rows, weights=terms, minlength=lp.num_row_)
    magnitude = np.bincount(rows, weights=np.abs(terms), minlength=lp.num_row_)
    violations = [0.0]
    for level, lower, upper, scale in (
        (x, np.asarray(lp.col_lower_), np.asarray(lp.col_upper_), np.zeros_like(x)),
        (activity, np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), magnitude),
    ):
        if level.size:
            finite_lower, finite_upper = np.where(np.isfinite(lower), lower, 0.0), np.where(np.isfinite(upper), upper, 0.0)
            below = (lower - level) / np.maximum.reduce([np.ones_like(level), np.abs(finite_lower), scale])
            above = (level - upper) / np.maximum.reduce([np.ones_like(level), np.abs(finite_upper), scale])
            violations.append(float(max(below.max(), above.max())))
    integer = np.asarray(lp.integrality_, dtype=np.int64) == int(highspy.HighsVarType.kInteger) if lp.integrality_ else None
    if integer is not None and integer.any():
        violations.append(float(np.abs(x[integer] - np.round(x[integer])).max()))
    return max(violations)


def trustworthy(built: BuiltModel, result: SolveResult) -> bool:
    """Whether the returned columns are feasible and worth the objective HiGHS reported."""
    if not result.feasible or result.objective is None:
        return True
    lp = built.highs.getLp()
    recomputed = objective_value(built, result.column_values, lp)
    if abs(recomputed - result.objective) > OBJECTIVE_TOLERANCE * max(1.0, abs(recomputed)):
        return False
    return max_violation(built, result.column_values, lp) <= FEASIBILITY_TOLERANCE


def _run(built: BuiltModel, start: Sequence[float] | None) -> SolveResult:
    highs = built.highs
    if start is not None:
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


def _keep_start(built: BuiltModel, result: SolveResult, start: Sequence[float]) -> SolveResult:
    """``result``, or the (feasible) start with ``result``'s bound when the start is worth more."""
    if not result.feasible or result.objective is None or result.bound is None:
        return result
    lp = built.highs.getLp()
    value = objective_value(built, start, lp)
    sign = 1.0 if lp.sense_ == highspy.ObjSense.kMaximize else -1.0
    if sign * (value - result.objective) <= 0 or max_violation(built, start, lp) > FEASIBILITY_TOLERANCE:
        return result
    gap = abs(result.bound - value) / max(abs(value), 1.0)
    return replace(result, objective=value, gap=gap, column_values=tuple(map(float, start)))


def solve(built: BuiltModel, settings: OptimisationSettings | None = None, start: Sequence[float] | None = None) -> SolveResult:
    """Solve ``built``.

    Parameters
    ----------
    built : BuiltModel
    settings : OptimisationSettings, optional
        Time limit, gap, threads.
    start : sequence of float, optional
        A feasible column vector handed to HiGHS as its first incumbent (e.g. the greedy one).
        When HiGHS's answer fails the check of the module doc (a MILP run again keeps its last
        incumbent as a start too, so every MILP answer is checked), the model is solved again
        without a start.
    """
    settings = settings or OptimisationSettings()
    highs = built.highs
    highs.setOptionValue("time_limit", float(settings.time_limit_s))
    highs.setOptionValue("mip_rel_gap", float(settings.mip_rel_gap))
    highs.setOptionValue("threads", int(settings.threads))
    if built.relaxed:
        return _run(built, None)
    if start is not None and len(start) != highs.getNumCol():
        start = None
    started = time.perf_counter()
    result = _run(built, start)
    if trustworthy(built, result):
        return result
    highs.clearSolver()  # also forgets the incumbent of an earlier run, which HiGHS would reuse as a start
    highs.setOptionValue("time_limit", max(float(settings.time_limit_s) - (time.perf_counter() - started), MIN_RETRY_TIME_S))
    retried = _run(built, None)
    if start is not None:
        retried = _keep_start(built, retried, start)
    return replace(retried, solve_s=time.perf_counter() - started)
