"""The optimisation problem as plain data: supplies, demands and candidate arcs with their economics.

Per arc (supplier output s → receiver input r, through a curated knowledge-base link):

- ``ratio`` [input unit / output unit]: input replaced per unit of output;
- ``capacity`` = min(supply of s, demand of r / ratio) [output unit/yr];
- ``unit_benefit_vnd`` [VND / output unit] = disposal cost avoided at s (its ``unit_cost_vnd``,
  0 when unknown) + ratio × purchase price avoided at r − pre-treatment cost − transport cost
  (distance × the mode's VND per unit-km);
- ``setup_cost_vnd`` [VND/yr] = the link's yearly set-up cost + distance × the mode's
  pipeline cost per km-year;
- ``unit_tco2e`` [tCO2e / output unit] = avoided emissions (knowledge base) − distance × the
  mode's transport emissions per unit-km.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.knowledge import KnowledgeBase
from ecozone.symbiosis.matching import Candidate


@dataclass(frozen=True)
class Supply:
    """An output that can be exchanged: ``quantity`` [unit/yr], quality offered."""

    key: str
    owner_id: str
    quantity: float
    purity_pct: float | None = None
    moisture_pct: float | None = None


@dataclass(frozen=True)
class Demand:
    """An input that can receive: ``quantity`` [unit/yr], blend requirements."""

    key: str
    owner_id: str
    quantity: float
    min_purity_pct: float | None = None
    max_moisture_pct: float | None = None


@dataclass(frozen=True)
class Arc:
    """A candidate link with the coefficients of the model (units in the module doc)."""

    supplier: str
    receiver: str
    supplier_owner: str
    receiver_owner: str
    output_class: str
    input_class: str
    ratio: float
    capacity: float
    unit_benefit_vnd: float
    setup_cost_vnd: float
    unit_tco2e: float
    distance_km: float = 0.0
    avoided_disposal_vnd_per_unit: float = 0.0
    avoided_purchase_vnd_per_unit: float = 0.0
    pretreatment_vnd_per_unit: float = 0.0
    transport_vnd_per_unit: float = 0.0


@dataclass(frozen=True)
class SymbiosisProblem:
    """Supplies, demands and arcs (arcs refer to supplies and demands by key)."""

    supplies: tuple[Supply, ...]
    demands: tuple[Demand, ...]
    arcs: tuple[Arc, ...]

    def supply(self, key: str) -> Supply:
        """The supply ``key``."""
        return next(s for s in self.supplies if s.key == key)

    def demand(self, key: str) -> Demand:
        """The demand ``key``."""
        return next(d for d in self.demands if d.key == key)


def _stream_key(stream: StreamRecord) -> str:
    return f"{stream.park_id}:{stream.key}"


def arc_from_candidate(candidate: Candidate, kb: KnowledgeBase) -> Arc | None:
    """The arc of an optimisable candidate (None when it lacks economics or capacity)."""
    link = candidate.link
    if link is None or not candidate.optimisable or link.substitution_ratio is None or link.substitution_ratio <= 0:
        return None
    supplier, receiver, ratio = candidate.supplier, candidate.receiver, link.substitution_ratio
    capacity = min(supplier.quantity, receiver.quantity / ratio)
    if capacity <= 0:
        return None
    mode = kb.transport_mode(supplier.stream_class)
    disposal = supplier.unit_cost_vnd or 0.0
    purchase = ratio * (receiver.unit_cost_vnd or 0.0)
    transport = candidate.distance_km * mode.cost_vnd_per_unit_km
    return Arc(
        supplier=_stream_key(supplier),
        receiver=_stream_key(receiver),
        supplier_owner=supplier.owner_id,
        receiver_owner=receiver.owner_id,
        output_class=supplier.stream_class,
        input_class=receiver.stream_class,
        ratio=ratio,
        capacity=capacity,
        unit_benefit_vnd=disposal + purchase - link.pretreatment_cost_vnd_per_unit - transport,
        setup_cost_vnd=link.setup_cost_vnd_per_year + candidate.distance_km * mode.setup_vnd_per_km_year,
        unit_tco2e=kb.avoided_tco2e_per_unit(link) - candidate.distance_km * mode.emission_tco2e_per_unit_km,
        distance_km=candidate.distance_km,
        avoided_disposal_vnd_per_unit=disposal,
        avoided_purchase_vnd_per_unit=purchase,
        pretreatment_vnd_per_unit=link.pretreatment_cost_vnd_per_unit,
        transport_vnd_per_unit=transport,
    )


def build_problem(candidates: Iterable[Candidate], kb: KnowledgeBase) -> SymbiosisProblem:
    """Turn the optimisable candidates of a match into a :class:`SymbiosisProblem`."""
    arcs: list[Arc] = []
    supplies: dict[str, Supply] = {}
    demands: dict[str, Demand] = {}
    for candidate in candidates:
        arc = arc_from_candidate(candidate, kb)
        if arc is None:
            continue
        arcs.append(arc)
        s, r = candidate.supplier, candidate.receiver
        supplies.setdefault(arc.supplier, Supply(arc.supplier, s.owner_id, s.quantity, s.purity_pct, s.moisture_pct))
        demands.setdefault(arc.receiver, Demand(arc.receiver, r.owner_id, r.quantity, r.min_purity_pct, r.max_moisture_pct))
    return SymbiosisProblem(tuple(supplies.values()), tuple(demands.values()), tuple(arcs))


def without_unprofitable_arcs(problem: SymbiosisProblem) -> SymbiosisProblem:
    """Drop arcs that cannot earn money even at full capacity (unit benefit × capacity ≤ set-up cost).

    Valid when maximising net benefit without a CO2e target: setting such an arc's flow and link
    to zero never lowers the objective and only frees capacity. Arcs into a receiver with a
    quality limit (minimum purity, maximum moisture) are kept: a loss-making clean stream can be
    what lets a profitable off-spec stream be blended in.
    """
    blended = {d.key for d in problem.demands if d.min_purity_pct is not None or d.max_moisture_pct is not None}
    arcs = tuple(a for a in problem.arcs if a.receiver in blended or a.unit_benefit_vnd * a.capacity - a.setup_cost_vnd > 0)
    return _restricted(problem, arcs)


def _restricted(problem: SymbiosisProblem, arcs: tuple[Arc, ...]) -> SymbiosisProblem:
    suppliers, receivers = {a.supplier for a in arcs}, {a.receiver for a in arcs}
    return SymbiosisProblem(
        tuple(s for s in problem.supplies if s.key in suppliers), tuple(d for d in problem.demands if d.key in receivers), arcs
    )


def components(problem: SymbiosisProblem) -> list[SymbiosisProblem]:
    """Split ``problem`` into independent sub-problems (connected components of the supply-demand graph)."""
    parent: dict[str, str] = {}

    def root(node: str) -> str:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for arc in problem.arcs:
        parent[root("s:" + arc.supplier)] = root("d:" + arc.receiver)
    groups: dict[str, list[Arc]] = {}
    for arc in problem.arcs:
        groups.setdefault(root("s:" + arc.supplier), []).append(arc)
    return [_restricted(problem, tuple(arcs)) for arcs in groups.values()]
