"""The knowledge base: which output classes can feed which input classes, and on what terms.

Two kinds of link:

- **curated** links (``data/knowledge_links.csv``): substitution ratio (input units per
  output unit), pre-treatment and its cost, yearly set-up cost, avoided virgin emissions
  (or the input class's factor in ``data/class_factors.csv``), process emissions of the
  receiving treatment, whether a licence is required; each row with source, edition and
  status. Only curated links carry economics, so only they enter the optimisation.
- **literature** links: class pairs seen in the 738 documented exchanges of 17
  eco-industrial parks (``data/literature/``), with their evidence count and parks. Curated
  links get the same evidence counts.

Transport modes (``data/transport_modes.csv``) give the per-km costs and emissions.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from ecozone.symbiosis.errors import SymbiosisDataError
from ecozone.symbiosis.taxonomy import UNSPECIFIED, stream_class


@dataclass(frozen=True)
class KnowledgeLink:
    """A way an output class can serve an input class.

    Attributes
    ----------
    output_class, input_class : str
        Taxonomy codes.
    substitution_ratio : float or None
        Input units replaced per output unit [input unit / output unit]; None when unknown.
    pretreatment_cost_vnd_per_unit : float [VND / output unit]
        Cost of the pre-treatment.
    setup_cost_vnd_per_year : float [VND/yr]
        Fixed yearly cost of running the link (contract, permit, equipment annuity).
    avoided_virgin_tco2e_per_unit : float or None [tCO2e / output unit]
        Virgin-material emissions avoided; None means ratio × the input class's factor.
    process_tco2e_per_unit : float [tCO2e / output unit]
        Emissions of the receiving process (composting, digestion).
    licence_required : bool
        The receiver must hold a licence (hazardous waste, electricity sale).
    curated : bool
        Whether the link comes from ``knowledge_links.csv`` (with economics).
    evidence : int
        Number of documented literature exchanges with this class pair.
    evidence_parks : tuple of str
        Parks where they were documented.
    """

    output_class: str
    input_class: str
    substitution_ratio: float | None
    ratio_unit: str
    pretreatment_en: str = ""
    pretreatment_vi: str = ""
    pretreatment_cost_vnd_per_unit: float = 0.0
    setup_cost_vnd_per_year: float = 0.0
    avoided_virgin_tco2e_per_unit: float | None = None
    process_tco2e_per_unit: float = 0.0
    licence_required: bool = False
    default_for_output: bool = False
    curated: bool = True
    evidence: int = 0
    evidence_parks: tuple[str, ...] = ()
    source: str = ""
    edition: str = ""
    status: str = "unverified"
    note: str = ""

    def pretreatment(self, lang: str = "en") -> str:
        """The pre-treatment in ``lang``."""
        return self.pretreatment_vi if lang == "vi" else self.pretreatment_en


@dataclass(frozen=True)
class ClassFactor:
    """An emission factor attached to a class (virgin input replaced, or disposal avoided)."""

    stream_class: str
    parameter: str
    value: float
    unit: str
    source: str
    edition: str
    status: str


@dataclass(frozen=True)
class TransportMode:
    """Costs and emissions of moving a class's stream.

    Attributes
    ----------
    cost_vnd_per_unit_km : float [VND / (unit km)]
    emission_tco2e_per_unit_km : float [tCO2e / (unit km)]
    setup_vnd_per_km_year : float [VND / (km yr)]
        Annualised cost of a pipeline per km of distance.
    max_distance_km : float [km]
    """

    mode: str
    cost_vnd_per_unit_km: float
    emission_tco2e_per_unit_km: float
    setup_vnd_per_km_year: float
    max_distance_km: float
    source: str
    status: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ecozone.symbiosis.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _optional(text: str) -> float | None:
    return float(text) if text.strip() else None


def _link(row: dict[str, str]) -> KnowledgeLink:
    try:
        for code in (row["output_class"], row["input_class"]):
            stream_class(code)
        return KnowledgeLink(
            output_class=row["output_class"],
            input_class=row["input_class"],
            substitution_ratio=float(row["substitution_ratio"]),
            ratio_unit=row["ratio_unit"],
            pretreatment_en=row["pretreatment_en"],
            pretreatment_vi=row["pretreatment_vi"],
            pretreatment_cost_vnd_per_unit=float(row["pretreatment_cost_vnd_per_unit"]),
            setup_cost_vnd_per_year=float(row["setup_cost_vnd_per_year"]),
            avoided_virgin_tco2e_per_unit=_optional(row["avoided_virgin_tco2e_per_unit"]),
            process_tco2e_per_unit=float(row["process_tco2e_per_unit"] or 0),
            licence_required=row["licence_required"] == "yes",
            default_for_output=row["default_for_output"] == "yes",
            source=row["source"],
            edition=row["edition"],
            status=row["status"],
            note=row["note"],
        )
    except (KeyError, ValueError) as exc:
        raise SymbiosisDataError("symbiosis.bad_table", file="knowledge_links.csv", detail=str(exc)) from exc


@cache
def curated_links() -> dict[tuple[str, str], KnowledgeLink]:
    """Curated links by (output class, input class)."""
    return {(link.output_class, link.input_class): link for link in map(_link, _rows("knowledge_links.csv"))}


@cache
def class_factors() -> dict[tuple[str, str], ClassFactor]:
    """Class emission factors by (class, parameter)."""
    factors = {}
    for row in _rows("class_factors.csv"):
        stream_class(row["stream_class"])
        factor = ClassFactor(
            row["stream_class"], row["parameter"], float(row["value"]), row["unit"], row["source"], row["edition"], row["status"]
        )
        factors[(factor.stream_class, factor.parameter)] = factor
    return factors


@cache
def transport_modes() -> dict[str, TransportMode]:
    """Transport modes by name."""
    return {
        row["mode"]: TransportMode(
            row["mode"],
            float(row["cost_vnd_per_unit_km"]),
            float(row["emission_tco2e_per_unit_km"]),
            float(row["setup_vnd_per_km_year"]),
            float(row["max_distance_km"]),
            row["source"],
            row["status"],
        )
        for row in _rows("transport_modes.csv")
    }


@dataclass(frozen=True)
class KnowledgeBase:
    """Links, class factors and transport modes, ready for matching and optimisation."""

    links: Mapping[tuple[str, str], KnowledgeLink]
    factors: Mapping[tuple[str, str], ClassFactor] = field(default_factory=dict)
    transport: Mapping[str, TransportMode] = field(default_factory=dict)

    def link(self, output_class: str, input_class: str) -> KnowledgeLink | None:
        """The link from ``output_class`` to ``input_class``, if any."""
        return self.links.get((output_class, input_class))

    def links_from(self, output_class: str) -> list[KnowledgeLink]:
        """Every link leaving ``output_class``."""
        return [link for (source, _), link in self.links.items() if source == output_class]

    def factor(self, stream_class_code: str, parameter: str) -> float:
        """A class factor's value, 0 when none is shipped (not estimated)."""
        found = self.factors.get((stream_class_code, parameter))
        return found.value if found else 0.0

    def avoided_tco2e_per_unit(self, link: KnowledgeLink) -> float:
        """Emissions avoided per output unit exchanged [tCO2e / output unit], before transport.

        Virgin emissions avoided (the link's value, else ratio × the input class's factor)
        plus the output's disposal emissions avoided, minus the receiving process's emissions.
        """
        if link.avoided_virgin_tco2e_per_unit is not None:
            virgin = link.avoided_virgin_tco2e_per_unit
        else:
            virgin = (link.substitution_ratio or 0.0) * self.factor(link.input_class, "virgin_tco2e_per_unit")
        disposal = self.factor(link.output_class, "disposal_tco2e_per_unit")
        return virgin + disposal - link.process_tco2e_per_unit

    def transport_mode(self, output_class: str) -> TransportMode:
        """The transport mode of ``output_class``'s streams."""
        return self.transport[stream_class(output_class).transport]


def evidence_links(exchanges: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], tuple[int, tuple[str, ...]]]:
    """Count documented exchanges per class pair.

    Parameters
    ----------
    exchanges : iterable of (park, output class, input class)
        Classified literature exchanges; pairs with an unspecified side are skipped.

    Returns
    -------
    dict
        (output class, input class) → (count, sorted parks).
    """
    counts: Counter[tuple[str, str]] = Counter()
    parks: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for park, output_class, input_class in exchanges:
        if UNSPECIFIED in (output_class, input_class):
            continue
        counts[(output_class, input_class)] += 1
        parks[(output_class, input_class)].add(park)
    return {pair: (count, tuple(sorted(parks[pair]))) for pair, count in counts.items()}


def _literature_link(output_class: str, input_class: str, count: int, parks: tuple[str, ...]) -> KnowledgeLink:
    same_measure = stream_class(output_class).measure == stream_class(input_class).measure
    hazardous = stream_class(output_class).hazardous == "always"
    return KnowledgeLink(
        output_class=output_class,
        input_class=input_class,
        substitution_ratio=1.0 if same_measure else None,
        ratio_unit="",
        curated=False,
        licence_required=hazardous,
        evidence=count,
        evidence_parks=parks,
        source="complexly/EIPs literature networks (GPL), classified by ecozone",
        edition="e5e4436",
        status="unverified",
    )


def knowledge_base(exclude_parks: Iterable[str] = (), include_literature: bool = True) -> KnowledgeBase:
    """Build the knowledge base.

    Parameters
    ----------
    exclude_parks : iterable of str
        Literature parks whose exchanges are not used as evidence (leave-one-park-out tests).
    include_literature : bool
        Add literature-only links and evidence counts.
    """
    links = dict(curated_links())
    if include_literature:
        from ecozone.symbiosis.literature import classified_exchanges

        excluded = set(exclude_parks)
        rows = [(e.park, e.output_class, e.input_class) for e in classified_exchanges() if e.park not in excluded]
        for pair, (count, parks) in evidence_links(rows).items():
            existing = links.get(pair)
            links[pair] = (
                replace(existing, evidence=count, evidence_parks=parks) if existing else _literature_link(*pair, count, parks)
            )
    return KnowledgeBase(links, class_factors(), transport_modes())
