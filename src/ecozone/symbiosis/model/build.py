"""Build the mixed-integer model of an exchange network in HiGHS.

Variables (one pair per arc a = s → r):

- ``x_a`` ≥ 0, continuous: yearly flow [supplier unit/yr], bounded by the arc's capacity;
- ``y_a`` ∈ {0, 1}: link a is set up (pays its fixed yearly cost).

Constraints:

- supply: Σ_a∈out(s) x_a ≤ Q_s for every supply s;
- demand: Σ_a∈in(r) ratio_a · x_a ≤ D_r for every demand r;
- activation: x_a − capacity_a · y_a ≤ 0 (no flow without the link);
- quality (blend): Σ_a∈in(r) (purity_s − min_purity_r) · x_a ≥ 0 and
  Σ_a∈in(r) (max_moisture_r − moisture_s) · x_a ≥ 0 where r sets a requirement;
- CO2e target (optional): Σ_a unit_tco2e_a · x_a ≥ T.

Objective: maximise Σ_a (unit_benefit_a · x_a − setup_a · y_a) [VND/yr] (equivalently,
minimise cost subject to the CO2e target), or maximise Σ_a unit_tco2e_a · x_a [tCO2e/yr].
An ``extra_constraints`` hook receives the built model and may add rows before solving.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import highspy
import numpy as np

from ecozone.symbiosis.model.problem import SymbiosisProblem
from ecozone.symbiosis.settings import OptimisationSettings

OBJECTIVES = ("benefit", "co2")
_BANNER_SILENCED: list[bool] = []


def new_highs(threads: int | None = None) -> highspy.Highs:
    """A silent HiGHS instance (the version banner HiGHS prints once per process is swallowed).

    ``threads`` (default: that of :class:`OptimisationSettings`) is set on every instance, LPs
    included: HiGHS sizes one scheduler per process at its first run and fails a later run whose
    ``threads`` option differs ("status: error"), so an LP left at HiGHS's own default (half the
    cores or more) before a MILP with one thread broke every later solve of the process.
    """
    if _BANNER_SILENCED:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with Path(os.devnull).open("w", encoding="utf-8") as devnull:
                os.dup2(devnull.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SILENCED.append(True)
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("threads", int(OptimisationSettings().threads if threads is None else threads))
    return highs


@dataclass
class BuiltModel:
    """A HiGHS model with the meaning of its columns and rows.

    Attributes
    ----------
    highs : highspy.Highs
        The solver instance holding the model.
    problem : SymbiosisProblem
        The data it was built from.
    objective : str
        ``benefit`` or ``co2``.
    co2_target : float or None [tCO2e/yr]
    rows : list of (kind, key)
        What each row means: ``("supply", key)``, ``("demand", key)``, ``("activation", arc)``,
        ``("purity", key)``, ``("moisture", key)``, ``("co2", "")`` or ``("extra", name)``.
    relaxed : bool
        Whether the link binaries were relaxed to [0, 1] (LP relaxation).
    """

    highs: highspy.Highs
    problem: SymbiosisProblem
    objective: str
    co2_target: float | None
    rows: list[tuple[str, str]] = field(default_factory=list)
    relaxed: bool = False

    @property
    def arc_count(self) -> int:
        """Number of arcs (and of flow and link columns each)."""
        return len(self.problem.arcs)

    def flow_column(self, arc: int) -> int:
        """Column of the flow variable of arc ``arc``."""
        return arc

    def link_column(self, arc: int) -> int:
        """Column of the link (binary) variable of arc ``arc``."""
        return self.arc_count + arc

    def add_row(self, name: str, columns: Sequence[int], coefficients: Sequence[float], lower: float, upper: float) -> None:
        """Add the constraint lower ≤ Σ coefficients · columns ≤ upper (for extra-constraint hooks)."""
        inf = highspy.kHighsInf
        self.highs.addRow(
            max(lower, -inf),
            min(upper, inf),
            len(columns),
            np.asarray(columns, dtype=np.int32),
            np.asarray(coefficients, dtype=np.float64),
        )
        self.rows.append(("extra", name))


ExtraConstraints = Callable[[BuiltModel], None]


def quality_terms(problem: SymbiosisProblem) -> list[tuple[str, str, list[int], list[float]]]:
    """Blend rows (kind, demand key, arcs, coefficients): Σ coefficient · x ≥ 0 for each requirement."""
    supplies = {s.key: s for s in problem.supplies}
    incoming: dict[str, list[int]] = {}
    for index, arc in enumerate(problem.arcs):
        incoming.setdefault(arc.receiver, []).append(index)
    terms: list[tuple[str, str, list[int], list[float]]] = []
    for demand in problem.demands:
        arcs = incoming.get(demand.key, [])
        if demand.min_purity_pct is not None and arcs:
            values = [(supplies[problem.arcs[a].supplier].purity_pct or 0.0) - demand.min_purity_pct for a in arcs]
            terms.append(("purity", demand.key, arcs, values))
        if demand.max_moisture_pct is not None and arcs:
            values = [demand.max_moisture_pct - (supplies[problem.arcs[a].supplier].moisture_pct or 0.0) for a in arcs]
            terms.append(("moisture", demand.key, arcs, values))
    return terms


class _Rows:
    """Row-wise sparse matrix under construction."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.indices: list[int] = []
        self.values: list[float] = []
        self.meaning: list[tuple[str, str]] = []

    def add(self, meaning: tuple[str, str], columns: Sequence[int], values: Sequence[float], lower: float, upper: float) -> None:
        self.starts.append(len(self.indices))
        self.indices.extend(columns)
        self.values.extend(values)
        self.lower.append(lower)
        self.upper.append(upper)
        self.meaning.append(meaning)


def _rows(problem: SymbiosisProblem, co2_target: float | None) -> _Rows:
    inf = highspy.kHighsInf
    n = len(problem.arcs)
    rows = _Rows()
    outgoing: dict[str, list[int]] = {}
    incoming: dict[str, list[int]] = {}
    for index, arc in enumerate(problem.arcs):
        outgoing.setdefault(arc.supplier, []).append(index)
        incoming.setdefault(arc.receiver, []).append(index)
    for supply in problem.supplies:
        arcs = outgoing.get(supply.key, [])
        rows.add(("supply", supply.key), arcs, [1.0] * len(arcs), -inf, supply.quantity)
    for demand in problem.demands:
        arcs = incoming.get(demand.key, [])
        rows.add(("demand", demand.key), arcs, [problem.arcs[a].ratio for a in arcs], -inf, demand.quantity)
    for index, arc in enumerate(problem.arcs):
        rows.add(("activation", str(index)), [index, n + index], [1.0, -arc.capacity], -inf, 0.0)
    for kind, key, arcs, values in quality_terms(problem):
        rows.add((kind, key), arcs, values, 0.0, inf)
    if co2_target is not None:
        rows.add(("co2", ""), list(range(n)), [arc.unit_tco2e for arc in problem.arcs], co2_target, inf)
    return rows


def build_model(
    problem: SymbiosisProblem,
    objective: str = "benefit",
    co2_target: float | None = None,
    extra_constraints: ExtraConstraints | None = None,
    relax: bool = False,
) -> BuiltModel:
    """Build the model of ``problem`` (see the module doc).

    Parameters
    ----------
    problem : SymbiosisProblem
    objective : str
        ``benefit`` (maximise net benefit [VND/yr]) or ``co2`` (maximise tCO2e avoided).
    co2_target : float, optional [tCO2e/yr]
        Minimum emissions avoided.
    extra_constraints : callable, optional
        Called with the built model to add rows (see :meth:`BuiltModel.add_row`).
    relax : bool
        Relax the link binaries to continuous [0, 1] (for duals and bounds).
    """
    if objective not in OBJECTIVES:
        raise ValueError(objective)
    n = len(problem.arcs)
    arcs = problem.arcs
    lp = highspy.HighsLp()
    lp.num_col_ = 2 * n
    if objective == "benefit":
        costs = [a.unit_benefit_vnd for a in arcs] + [-a.setup_cost_vnd for a in arcs]
    else:
        costs = [a.unit_tco2e for a in arcs] + [0.0] * n
    lp.col_cost_ = np.asarray(costs, dtype=np.float64)
    lp.col_lower_ = np.zeros(2 * n)
    lp.col_upper_ = np.asarray([a.capacity for a in arcs] + [1.0] * n, dtype=np.float64)
    rows = _rows(problem, co2_target)
    lp.num_row_ = len(rows.lower)
    lp.row_lower_ = np.asarray(rows.lower, dtype=np.float64)
    lp.row_upper_ = np.asarray(rows.upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray([*rows.starts, len(rows.indices)], dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(rows.indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(rows.values, dtype=np.float64)
    lp.sense_ = highspy.ObjSense.kMaximize
    if not relax:
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * n + [highspy.HighsVarType.kInteger] * n
    highs = new_highs()
    highs.passModel(lp)
    built = BuiltModel(highs, problem, objective, co2_target, list(rows.meaning), relax)
    if extra_constraints is not None:
        extra_constraints(built)
    return built


def model_size(built: BuiltModel) -> dict[str, Any]:
    """Columns, binaries, rows and non-zeros of a built model."""
    return {
        "columns": built.highs.getNumCol(),
        "binaries": 0 if built.relaxed else built.arc_count,
        "rows": built.highs.getNumRow(),
        "nonzeros": built.highs.getNumNz(),
    }
