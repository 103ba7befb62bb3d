"""Explain an infeasible CO2e target: the most the network can avoid, and which constraints bind.

The largest avoidable tCO2e is a linear programme (set-up costs do not limit emissions):
maximise Σ unit_tco2e · x subject to supply, demand and blend constraints, with every link
allowed. When a target exceeds it, the constraints with a non-zero shadow price at that
optimum are the ones that bind: each more unit of that supply or demand would avoid
``marginal_tco2e`` more.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from ecozone.i18n import translate
from ecozone.stats.number_format import format_number
from ecozone.symbiosis.model.build import new_highs, quality_terms
from ecozone.symbiosis.model.problem import SymbiosisProblem
from ecozone.symbiosis.taxonomy import stream_class

DUAL_TOLERANCE = 1e-9
TARGET_TOLERANCE = 1e-6


@dataclass(frozen=True)
class BindingConstraint:
    """A constraint that limits the emissions avoided.

    Attributes
    ----------
    kind : str
        ``supply``, ``demand``, ``purity`` or ``moisture``.
    key : str
        The stream (``park:owner/direction/name``).
    limit : float
        Its right-hand side [unit/yr] (0 for blend rows).
    marginal_tco2e : float [tCO2e per unit]
        Extra emissions avoided per extra unit of the limit (shadow price).
    unit : str
        Unit of the limit (t, m3 or MWh per year).
    """

    kind: str
    key: str
    limit: float
    marginal_tco2e: float
    unit: str = ""


@dataclass(frozen=True)
class InfeasibilityExplanation:
    """Why a CO2e target cannot be met.

    Attributes
    ----------
    target_tco2e, max_tco2e : float [tCO2e/yr]
        The target asked for and the most the candidate links can avoid.
    binding : tuple of BindingConstraint
        Binding constraints, the most valuable first.
    arcs : int
        Candidate links considered.
    """

    target_tco2e: float
    max_tco2e: float
    binding: tuple[BindingConstraint, ...]
    arcs: int

    def lines(self, lang: str = "en") -> list[str]:
        """The explanation as sentences in ``lang``."""
        lines = [
            translate(
                "symbiosis.infeasible.summary",
                lang,
                target=format_number(self.target_tco2e, lang, 1),
                maximum=format_number(self.max_tco2e, lang, 1),
                arcs=self.arcs,
            )
        ]
        if not self.arcs:
            lines.append(translate("symbiosis.infeasible.no_links", lang))
        lines.extend(
            translate(
                f"symbiosis.infeasible.{b.kind}",
                lang,
                stream=b.key,
                limit=format_number(b.limit, lang, 1),
                unit=b.unit,
                marginal=format_number(b.marginal_tco2e, lang, 3),
            )
            for b in self.binding
        )
        return lines


def _co2_programme(problem: SymbiosisProblem) -> tuple[highspy.Highs, list[tuple[str, str]]]:
    """The LP max Σ unit_tco2e · x over supply, demand and blend rows (no link variables, no bounds but x ≥ 0)."""
    inf = highspy.kHighsInf
    highs = new_highs()
    n = len(problem.arcs)
    highs.addVars(n, np.zeros(n), np.full(n, inf))
    highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.asarray([a.unit_tco2e for a in problem.arcs], dtype=np.float64))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
    meaning: list[tuple[str, str]] = []
    for kind, key, columns, values, lower, upper in _limit_rows(problem):
        highs.addRow(lower, upper, len(columns), np.asarray(columns, dtype=np.int32), np.asarray(values, dtype=np.float64))
        meaning.append((kind, key))
    return highs, meaning


def _limit_rows(problem: SymbiosisProblem) -> list[tuple[str, str, list[int], list[float], float, float]]:
    inf = highspy.kHighsInf
    outgoing: dict[str, list[int]] = {}
    incoming: dict[str, list[int]] = {}
    for index, arc in enumerate(problem.arcs):
        outgoing.setdefault(arc.supplier, []).append(index)
        incoming.setdefault(arc.receiver, []).append(index)
    rows = [("supply", s.key, outgoing[s.key], [1.0] * len(outgoing[s.key]), -inf, s.quantity) for s in problem.supplies]
    rows += [
        ("demand", d.key, incoming[d.key], [problem.arcs[a].ratio for a in incoming[d.key]], -inf, d.quantity)
        for d in problem.demands
    ]
    rows += [(kind, key, arcs, values, 0.0, inf) for kind, key, arcs, values in quality_terms(problem)]
    return rows


def max_avoidable_tco2e(problem: SymbiosisProblem) -> tuple[float, tuple[BindingConstraint, ...]]:
    """The largest tCO2e/yr the arcs can avoid, and the constraints binding at that optimum."""
    if not problem.arcs:
        return 0.0, ()
    highs, meaning = _co2_programme(problem)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return 0.0, ()
    duals = highs.getSolution().row_dual
    limits = {("supply", s.key): s.quantity for s in problem.supplies} | {("demand", d.key): d.quantity for d in problem.demands}
    units = {("supply", a.supplier): stream_class(a.output_class).unit for a in problem.arcs}
    units |= {("demand", a.receiver): stream_class(a.input_class).unit for a in problem.arcs}
    binding = [
        BindingConstraint(kind, key, limits.get((kind, key), 0.0), abs(float(dual)), units.get((kind, key), ""))
        for (kind, key), dual in zip(meaning, duals, strict=True)
        if abs(float(dual)) > DUAL_TOLERANCE
    ]
    binding.sort(key=lambda b: (-b.marginal_tco2e * max(b.limit, 1.0), b.key))
    return max(0.0, float(highs.getInfo().objective_function_value)), tuple(binding)


def explain_co2_target(problem: SymbiosisProblem, target_tco2e: float) -> InfeasibilityExplanation | None:
    """An explanation when ``target_tco2e`` [tCO2e/yr] cannot be met, else None."""
    maximum, binding = max_avoidable_tco2e(problem)
    if target_tco2e <= maximum * (1 + TARGET_TOLERANCE) + TARGET_TOLERANCE:
        return None
    return InfeasibilityExplanation(target_tco2e, maximum, binding, len(problem.arcs))
