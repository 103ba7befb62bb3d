"""Matching by meaning: candidate exchanges between outputs and inputs, each explained.

A pair (output of one owner, input of another) becomes a candidate when

- the knowledge base links the output's class to the input's class (a curated link with
  economics, or a class pair documented in the literature networks), or
- their free-text names are similar: cosine of character 2–4-gram TF-IDF vectors of the
  folded names (scikit-learn, offline) at least ``min_name_similarity``, and the two classes
  share a measure (mass, volume or energy).

Meaning across languages comes from the classes: "xỉ than", "coal slag" and "boiler bottom
ash" are all ``coal_ash_slag``, which the knowledge base links to ``cement_raw_material``
("cement additive"). A candidate is then checked against legal rules (a hazardous output
only to a licensed receiver), quality (temperature; purity and moisture known when
required) and transport reach; a pair that fails is kept as an *exclusion* with its reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ecozone.i18n import translate
from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.classification import char_vectorizer
from ecozone.symbiosis.distance import transport_distance_km
from ecozone.symbiosis.knowledge import KnowledgeBase, KnowledgeLink
from ecozone.symbiosis.settings import MatchSettings
from ecozone.symbiosis.taxonomy import normalise_text, stream_class

LINK_WEIGHT = 0.6
NAME_WEIGHT = 0.4
LITERATURE_BASE = 0.3
LITERATURE_STEP = 0.1
MAX_LISTED_PARKS = 4


@dataclass(frozen=True)
class Reason:
    """One explanation, as a message key and its parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The explanation in ``lang``."""
        return translate(self.key, lang, **self.params)


@dataclass(frozen=True)
class Candidate:
    """A candidate exchange from ``supplier`` (an output) to ``receiver`` (an input).

    Attributes
    ----------
    link : KnowledgeLink or None
        The class link (None for a name-only candidate).
    name_similarity : float [-]
        TF-IDF cosine of the two names.
    score : float [-]
        0.6 × link strength (1 curated, 0.3 + 0.1 × evidence up to 1 literature-only)
        + 0.4 × name similarity.
    distance_km : float [km]
        Road distance estimate.
    distance_estimated : bool
        True when the intra-park default was used.
    reasons, warnings : tuple of Reason
        Why the pair matched; what to check.
    """

    supplier: StreamRecord
    receiver: StreamRecord
    link: KnowledgeLink | None
    name_similarity: float
    score: float
    distance_km: float
    distance_estimated: bool
    reasons: tuple[Reason, ...]
    warnings: tuple[Reason, ...] = ()

    @property
    def optimisable(self) -> bool:
        """Whether the pair has the economics the optimisation needs (a curated link)."""
        return self.link is not None and self.link.curated and self.link.substitution_ratio is not None


@dataclass(frozen=True)
class Exclusion:
    """A compatible pair ruled out, with the reasons (legal, quality, reach)."""

    supplier: StreamRecord
    receiver: StreamRecord
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class MatchResult:
    """Candidates (best first), exclusions and the streams nothing matched."""

    candidates: tuple[Candidate, ...]
    excluded: tuple[Exclusion, ...]
    unmatched_outputs: tuple[StreamRecord, ...]
    unmatched_inputs: tuple[StreamRecord, ...]


def name_similarities(outputs: Sequence[StreamRecord], inputs: Sequence[StreamRecord]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Cosine similarity of every output name with every input name [-], shape (outputs, inputs)."""
    if not outputs or not inputs:
        return np.zeros((len(outputs), len(inputs)))
    names = [normalise_text(s.name) for s in (*outputs, *inputs)]
    matrix = char_vectorizer().fit_transform(names)
    similarity = (matrix[: len(outputs)] @ matrix[len(outputs) :].T).toarray()
    return np.asarray(similarity, dtype=np.float64)


def _link_strength(link: KnowledgeLink | None) -> float:
    if link is None:
        return 0.0
    if link.curated:
        return 1.0
    return min(1.0, LITERATURE_BASE + LITERATURE_STEP * link.evidence)


def _parks(link: KnowledgeLink) -> str:
    listed = ", ".join(link.evidence_parks[:MAX_LISTED_PARKS])
    return listed + (" …" if len(link.evidence_parks) > MAX_LISTED_PARKS else "")


def _link_reasons(link: KnowledgeLink) -> list[Reason]:
    pair = {"output_class": link.output_class, "input_class": link.input_class}
    if not link.curated:
        return [Reason("symbiosis.reason.literature_only", {**pair, "count": link.evidence, "parks": _parks(link)})]
    reasons = [
        Reason(
            "symbiosis.reason.link",
            {
                **pair,
                "ratio": f"{link.substitution_ratio:g}",
                "ratio_unit": link.ratio_unit,
                "pretreatment_en": link.pretreatment_en,
                "pretreatment_vi": link.pretreatment_vi,
            },
        )
    ]
    if link.evidence:
        reasons.append(Reason("symbiosis.reason.evidence", {"count": link.evidence, "parks": _parks(link)}))
    return reasons


def _blocks(supplier: StreamRecord, receiver: StreamRecord, link: KnowledgeLink | None) -> list[Reason]:
    blocks: list[Reason] = []
    if supplier.hazardous and not receiver.licensed_receiver:
        blocks.append(
            Reason(
                "symbiosis.block.hazardous_unlicensed", {"code": supplier.hazardous_code or "?", "receiver": receiver.owner_label}
            )
        )
    elif link is not None and link.licence_required and not receiver.licensed_receiver:
        blocks.append(Reason("symbiosis.block.licence_required", {"receiver": receiver.owner_label}))
    if receiver.min_temperature_c is not None:
        if supplier.temperature_c is None:
            blocks.append(Reason("symbiosis.block.quality_unknown", {"attribute": "temperature_c"}))
        elif supplier.temperature_c < receiver.min_temperature_c:
            params = {"temperature": supplier.temperature_c, "minimum": receiver.min_temperature_c}
            blocks.append(Reason("symbiosis.block.temperature", params))
    for required, offered in (("min_purity_pct", "purity_pct"), ("max_moisture_pct", "moisture_pct")):
        if getattr(receiver, required) is not None and getattr(supplier, offered) is None:
            blocks.append(Reason("symbiosis.block.quality_unknown", {"attribute": offered}))
    return blocks


def _quality_warnings(supplier: StreamRecord, receiver: StreamRecord) -> list[Reason]:
    warnings: list[Reason] = []
    if receiver.min_purity_pct is not None and supplier.purity_pct is not None and supplier.purity_pct < receiver.min_purity_pct:
        warnings.append(
            Reason("symbiosis.warning.blend_purity", {"value": supplier.purity_pct, "limit": receiver.min_purity_pct})
        )
    if (
        receiver.max_moisture_pct is not None
        and supplier.moisture_pct is not None
        and supplier.moisture_pct > receiver.max_moisture_pct
    ):
        warnings.append(
            Reason("symbiosis.warning.blend_moisture", {"value": supplier.moisture_pct, "limit": receiver.max_moisture_pct})
        )
    return warnings


def _evaluate(
    supplier: StreamRecord,
    receiver: StreamRecord,
    link: KnowledgeLink | None,
    similarity: float,
    kb: KnowledgeBase,
    park_locations: Mapping[str, tuple[float, float]],
    settings: MatchSettings,
) -> Candidate | Exclusion:
    distance, estimated = transport_distance_km(supplier, receiver, park_locations, settings.intra_park_km, settings.circuity)
    mode = kb.transport_mode(supplier.stream_class)
    blocks = _blocks(supplier, receiver, link)
    if distance > mode.max_distance_km:
        blocks.append(
            Reason(
                "symbiosis.block.distance", {"distance": f"{distance:.1f}", "max": f"{mode.max_distance_km:g}", "mode": mode.mode}
            )
        )
    if blocks:
        return Exclusion(supplier, receiver, tuple(blocks))
    reasons = _link_reasons(link) if link is not None else []
    if similarity >= settings.min_name_similarity:
        params = {"similarity": f"{similarity:.2f}", "supplier": supplier.name, "receiver": receiver.name}
        reasons.append(Reason("symbiosis.reason.name_similarity", params))
    key = "symbiosis.reason.distance_estimated" if estimated else "symbiosis.reason.distance"
    reasons.append(Reason(key, {"distance": f"{distance:.1f}", "mode": mode.mode}))
    warnings = _quality_warnings(supplier, receiver)
    if link is not None and link.curated and link.status != "verified":
        warnings.append(Reason("symbiosis.warning.unverified", {}))
    score = LINK_WEIGHT * _link_strength(link) + NAME_WEIGHT * similarity
    return Candidate(supplier, receiver, link, similarity, score, distance, estimated, tuple(reasons), tuple(warnings))


def _pairs(
    outputs: Sequence[StreamRecord], inputs: Sequence[StreamRecord], kb: KnowledgeBase, settings: MatchSettings
) -> list[tuple[int, int, KnowledgeLink | None, float]]:
    """(output index, input index, link, similarity) of every pair worth evaluating."""
    by_class: dict[str, list[int]] = {}
    for j, receiver in enumerate(inputs):
        by_class.setdefault(receiver.stream_class, []).append(j)
    similarity = name_similarities(outputs, inputs) if settings.name_matching else None
    pairs: list[tuple[int, int, KnowledgeLink | None, float]] = []
    for i, supplier in enumerate(outputs):
        linked: dict[int, KnowledgeLink] = {}
        for link in kb.links_from(supplier.stream_class):
            if link.curated or settings.use_literature_links:
                linked.update(dict.fromkeys(by_class.get(link.input_class, []), link))
        similar: set[int] = set()
        if similarity is not None:
            measure = stream_class(supplier.stream_class).measure
            similar = {
                j
                for j in map(int, np.flatnonzero(similarity[i] >= settings.min_name_similarity))
                if stream_class(inputs[j].stream_class).measure == measure
            }
        for j in sorted(set(linked) | similar):
            if inputs[j].owner_id == supplier.owner_id:
                continue
            pairs.append((i, j, linked.get(j), float(similarity[i, j]) if similarity is not None else 0.0))
    return pairs


def match_streams(
    streams: Sequence[StreamRecord],
    kb: KnowledgeBase,
    park_locations: Mapping[str, tuple[float, float]],
    settings: MatchSettings | None = None,
) -> MatchResult:
    """Find and explain candidate exchanges among ``streams``.

    Parameters
    ----------
    streams : sequence of StreamRecord
        Outputs and inputs of one park (or several).
    kb : KnowledgeBase
        Links, factors and transport modes.
    park_locations : mapping
        Park id → (latitude, longitude) [degree], used for streams without coordinates.
    settings : MatchSettings, optional

    Returns
    -------
    MatchResult
        Candidates sorted by score (best first), exclusions, unmatched streams.
    """
    settings = settings or MatchSettings()
    outputs = [s for s in streams if s.direction == "output"]
    inputs = [s for s in streams if s.direction == "input"]
    candidates: list[Candidate] = []
    excluded: list[Exclusion] = []
    for i, j, link, similarity in _pairs(outputs, inputs, kb, settings):
        result = _evaluate(outputs[i], inputs[j], link, similarity, kb, park_locations, settings)
        (candidates if isinstance(result, Candidate) else excluded).append(result)  # type: ignore[arg-type]
    candidates.sort(key=lambda c: (-c.score, c.distance_km, c.supplier.key, c.receiver.key))
    if settings.max_candidates_per_output is not None:
        candidates = _best_per_output(candidates, settings.max_candidates_per_output)
    matched_outputs = {c.supplier.key for c in candidates}
    matched_inputs = {c.receiver.key for c in candidates}
    return MatchResult(
        tuple(candidates),
        tuple(excluded),
        tuple(s for s in outputs if s.key not in matched_outputs),
        tuple(s for s in inputs if s.key not in matched_inputs),
    )


def _best_per_output(candidates: list[Candidate], limit: int) -> list[Candidate]:
    kept: list[Candidate] = []
    counts: dict[str, int] = {}
    for candidate in candidates:
        key = f"{candidate.supplier.park_id}:{candidate.supplier.key}"
        if counts.get(key, 0) < limit:
            kept.append(candidate)
            counts[key] = counts.get(key, 0) + 1
    return kept
