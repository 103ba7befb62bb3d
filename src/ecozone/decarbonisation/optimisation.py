"""A small linear / mixed-integer model builder over HiGHS (build, solve, read back).

Engines add blocks of variables (:meth:`LinearModel.add_variables`) and rows given as
coefficient triplets (:meth:`LinearModel.add_rows`), then call :func:`solve`. The matrix is
assembled column-wise once, duplicates summed. Callers keep the index arrays the builder
returns to read the solution back, and may pass an ``extra_constraints`` hook that adds rows
before the solve.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import highspy
import numpy as np
import numpy.typing as npt

from ecozone.decarbonisation.errors import SolverError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
INFINITY = math.inf


@dataclass
class LinearModel:
    """Columns (bounds, cost, integrality) and rows (bounds, triplets) of a minimisation."""

    lower: list[FloatArray] = field(default_factory=list)
    upper: list[FloatArray] = field(default_factory=list)
    cost: list[FloatArray] = field(default_factory=list)
    integer: list[npt.NDArray[np.bool_]] = field(default_factory=list)
    row_lower: list[FloatArray] = field(default_factory=list)
    row_upper: list[FloatArray] = field(default_factory=list)
    row_names: list[str] = field(default_factory=list)
    triplet_rows: list[IntArray] = field(default_factory=list)
    triplet_cols: list[IntArray] = field(default_factory=list)
    triplet_values: list[FloatArray] = field(default_factory=list)
    num_cols: int = 0
    num_rows: int = 0
    objective_offset: float = 0.0

    def add_variables(
        self,
        shape: int | tuple[int, ...],
        lower: float | npt.ArrayLike = 0.0,
        upper: float | npt.ArrayLike = INFINITY,
        cost: float | npt.ArrayLike = 0.0,
        integer: bool = False,
    ) -> IntArray:
        """Add a block of columns and return their indices with ``shape``."""
        count = int(np.prod(shape))
        index = np.arange(self.num_cols, self.num_cols + count, dtype=np.int64).reshape(shape)
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), index.shape).ravel().copy())
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), index.shape).ravel().copy())
        self.cost.append(np.broadcast_to(np.asarray(cost, dtype=np.float64), index.shape).ravel().copy())
        self.integer.append(np.full(count, integer, dtype=np.bool_))
        self.num_cols += count
        return index

    def add_rows(
        self,
        count: int,
        rows: npt.ArrayLike,
        cols: npt.ArrayLike,
        values: npt.ArrayLike,
        lower: float | npt.ArrayLike = -INFINITY,
        upper: float | npt.ArrayLike = INFINITY,
        name: str = "",
    ) -> IntArray:
        """Add ``count`` rows ``lower <= sum(values * x[cols]) <= upper``.

        ``rows`` are local row numbers (0 ... count-1) of each triplet. Returns the global row indices.
        """
        local = np.asarray(rows, dtype=np.int64).ravel()
        columns = np.asarray(cols, dtype=np.int64).ravel()
        coefficients = np.broadcast_to(np.asarray(values, dtype=np.float64), local.shape).ravel()
        if columns.shape != local.shape:
            raise SolverError("decarbonisation.solver_model", detail=f"{name}: {local.size} rows vs {columns.size} columns")
        self.triplet_rows.append(local + self.num_rows)
        self.triplet_cols.append(columns)
        self.triplet_values.append(coefficients.copy())
        self.row_lower.append(np.broadcast_to(np.asarray(lower, dtype=np.float64), (count,)).copy())
        self.row_upper.append(np.broadcast_to(np.asarray(upper, dtype=np.float64), (count,)).copy())
        self.row_names.extend([name] * count)
        index = np.arange(self.num_rows, self.num_rows + count, dtype=np.int64)
        self.num_rows += count
        return index

    def column_data(self) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]:
        """Lower, upper, cost and integrality of every column."""
        return (
            np.concatenate(self.lower) if self.lower else np.zeros(0),
            np.concatenate(self.upper) if self.upper else np.zeros(0),
            np.concatenate(self.cost) if self.cost else np.zeros(0),
            np.concatenate(self.integer) if self.integer else np.zeros(0, dtype=np.bool_),
        )

    def matrix(self) -> tuple[IntArray, IntArray, FloatArray]:
        """The constraint matrix in compressed-column form (starts, row indices, values), duplicates summed."""
        rows = np.concatenate(self.triplet_rows) if self.triplet_rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self.triplet_cols) if self.triplet_cols else np.zeros(0, dtype=np.int64)
        values = np.concatenate(self.triplet_values) if self.triplet_values else np.zeros(0)
        keep = values != 0.0
        rows, cols, values = rows[keep], cols[keep], values[keep]
        keys = cols * max(self.num_rows, 1) + rows
        unique, inverse = np.unique(keys, return_inverse=True)
        summed = np.bincount(inverse, weights=values, minlength=unique.size)
        unique_cols = unique // max(self.num_rows, 1)
        unique_rows = unique % max(self.num_rows, 1)
        starts = np.concatenate([[0], np.cumsum(np.bincount(unique_cols, minlength=self.num_cols))]).astype(np.int64)
        return starts, unique_rows.astype(np.int64), summed.astype(np.float64)


@dataclass(frozen=True)
class Solution:
    """What the solver returned.

    Attributes
    ----------
    status : str
        ``optimal``, ``infeasible``, ``time_limit`` (with a feasible point) or ``other``.
    values : ndarray
        Column values (empty when no feasible point).
    objective : float
    mip_gap : float
        Relative gap proven by the solver (0 for LPs solved to optimality).
    seconds : float [s]
        Wall time of the solve.
    row_activity : ndarray
        Value of every row at the solution.
    """

    status: str
    values: FloatArray
    objective: float
    mip_gap: float
    seconds: float
    row_activity: FloatArray

    @property
    def has_solution(self) -> bool:
        """Whether a feasible point is available."""
        return self.values.size > 0


@cache
def _silence_banner() -> None:
    """Create the process's first HiGHS instance with standard output closed.

    HiGHS prints its banner on standard output once per process, which would spoil
    ``--json`` output; later instances print nothing.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highspy.Highs()  # type: ignore[no-untyped-call]
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def _status(model_status: object, has_point: bool) -> str:
    statuses = highspy.HighsModelStatus
    if model_status == statuses.kOptimal:
        return "optimal"
    if model_status in (statuses.kInfeasible, statuses.kUnboundedOrInfeasible):
        return "infeasible"
    if model_status in (statuses.kTimeLimit, statuses.kSolutionLimit, statuses.kIterationLimit) and has_point:
        return "time_limit"
    return "other"


def solve(model: LinearModel, mip_rel_gap: float = 0.01, time_limit_s: float = 120.0, threads: int = 1) -> Solution:
    """Solve ``model`` (minimise) with HiGHS.

    Raises
    ------
    SolverError
        If HiGHS rejects the model or ends without a usable answer (not infeasibility).
    """
    lower, upper, cost, integer = model.column_data()
    starts, row_index, values = model.matrix()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = model.num_cols, model.num_rows
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, lower, upper
    lp.offset_ = model.objective_offset
    lp.row_lower_ = np.concatenate(model.row_lower) if model.row_lower else np.zeros(0)
    lp.row_upper_ = np.concatenate(model.row_upper) if model.row_upper else np.zeros(0)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = starts, row_index, values
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = model.num_cols, model.num_rows
    if integer.any():
        lp.integrality_ = [highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer]
    _silence_banner()
    highs = highspy.Highs()  # type: ignore[no-untyped-call]
    for option, value in (
        ("output_flag", False),
        ("mip_rel_gap", mip_rel_gap),
        ("time_limit", time_limit_s),
        ("threads", threads),
        ("random_seed", 0),
    ):
        highs.setOptionValue(option, value)
    if highs.passModel(lp) != highspy.HighsStatus.kOk:
        raise SolverError("decarbonisation.solver_model", detail="HiGHS rejected the model")
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    info = highs.getInfo()
    solution = highs.getSolution()
    has_point = bool(solution.value_valid)
    status = _status(highs.getModelStatus(), has_point)
    if status == "other":
        raise SolverError("decarbonisation.solver_failed", status=str(highs.getModelStatus()))
    point = np.asarray(solution.col_value, dtype=np.float64) if has_point else np.zeros(0)
    activity = np.asarray(solution.row_value, dtype=np.float64) if has_point else np.zeros(0)
    gap = float(info.mip_gap) if integer.any() else 0.0
    objective = float(info.objective_function_value) if has_point else math.nan
    return Solution(status, point, objective, gap if math.isfinite(gap) else math.inf, seconds, activity)


def values_of(solution: Solution, index: IntArray) -> FloatArray:
    """Solution values of the columns ``index`` (same shape)."""
    return np.asarray(solution.values[index], dtype=np.float64)


def row_groups(model: LinearModel) -> Sequence[str]:
    """Name of every row (for explanations)."""
    return model.row_names
