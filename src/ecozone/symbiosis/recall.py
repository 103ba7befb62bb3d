"""Recall of the matcher on the documented literature networks.

For each park of the literature data set, the firms' streams are rebuilt from its documented
exchanges: every supplier offers each flow it supplies (an output named as in the paper,
classed by :mod:`ecozone.symbiosis.classification`), and every accepter declares a need for
each flow it receives, named only by the *label of the inferred input class* (e.g. "Cement
raw material or additive"), as a receiver would describe a need without knowing the source;
accepters count as licensed receivers (the documented exchanges took place lawfully).
The matcher then runs on the park's streams; recall is the share of documented exchanges
(distinct supplier, accepter and flow) whose output–input pair is among the candidates.

Two knowledge bases are reported: ``in_sample`` (evidence from all 17 parks) and
``leave_one_out`` (evidence from the other 16 parks only, plus the curated links) — the honest
figure. Exchanges with a generic flow (``unspecified``: Ulsan's categories, products) count
as misses in the overall recall and are also reported apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.knowledge import KnowledgeBase, knowledge_base
from ecozone.symbiosis.literature import LiteratureExchange, classified_exchanges
from ecozone.symbiosis.matching import match_streams
from ecozone.symbiosis.settings import MatchSettings
from ecozone.symbiosis.taxonomy import UNSPECIFIED, stream_class


@dataclass(frozen=True)
class ParkRecall:
    """Recall on one literature park.

    Attributes
    ----------
    park : str
    documented : int
        Distinct documented exchanges.
    classified : int
        Those whose output and input classes are both known.
    found : int
        Documented exchanges among the candidates.
    candidates : int
        Candidates proposed.
    possible_pairs : int
        Output–input pairs between different firms (what an unfiltered list would hold).
    """

    park: str
    documented: int
    classified: int
    found: int
    candidates: int
    possible_pairs: int

    @property
    def recall(self) -> float:
        """Found / documented [-]."""
        return self.found / self.documented if self.documented else 0.0


def _owner(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower())[:60] or "unnamed"


def park_streams(
    exchanges: Sequence[LiteratureExchange],
) -> tuple[list[StreamRecord], dict[tuple[str, str, str], tuple[str, str]]]:
    """Streams of one park and, per documented exchange, the (output key, input key) it should match."""
    streams: dict[str, StreamRecord] = {}
    expected: dict[tuple[str, str, str], tuple[str, str]] = {}
    for e in exchanges:
        supplier, accepter = _owner(e.supplier), _owner(e.accepter)
        output = StreamRecord(e.park, "firm", supplier, "output", e.flow, e.output_class, 1.0, "t", owner_name=e.supplier)
        need = stream_class(e.input_class).en if e.input_class != UNSPECIFIED else e.flow
        receiver = StreamRecord(
            e.park, "firm", accepter, "input", need, e.input_class, 1.0, "t", owner_name=e.accepter, licensed_receiver=True
        )
        streams.setdefault(output.key, output)
        streams.setdefault(receiver.key, receiver)
        expected[(e.supplier, e.accepter, e.flow)] = (output.key, receiver.key)
    return list(streams.values()), expected


def park_recall(park: str, exchanges: Sequence[LiteratureExchange], kb: KnowledgeBase) -> ParkRecall:
    """Recall of the matcher on one park's documented exchanges with knowledge base ``kb``."""
    streams, expected = park_streams(exchanges)
    usable = [s for s in streams if s.stream_class != UNSPECIFIED]
    result = match_streams(usable, kb, {}, MatchSettings())
    found_pairs = {(c.supplier.key, c.receiver.key) for c in result.candidates}
    outputs = [s for s in streams if s.direction == "output"]
    inputs = [s for s in streams if s.direction == "input"]
    possible = sum(1 for o in outputs for i in inputs if o.owner_id != i.owner_id)
    distinct_classified = len(
        {(e.supplier, e.accepter, e.flow) for e in exchanges if UNSPECIFIED not in (e.output_class, e.input_class)}
    )
    found = sum(1 for pair in expected.values() if pair in found_pairs)
    return ParkRecall(park, len(expected), distinct_classified, found, len(result.candidates), possible)


def literature_recall(leave_one_out: bool = True) -> list[ParkRecall]:
    """Recall per literature park (see the module doc)."""
    by_park: dict[str, list[LiteratureExchange]] = defaultdict(list)
    for exchange in classified_exchanges():
        by_park[exchange.park].append(exchange)
    shared = None if leave_one_out else knowledge_base()
    return [park_recall(park, rows, shared or knowledge_base(exclude_parks=[park])) for park, rows in sorted(by_park.items())]


def overall(recalls: Sequence[ParkRecall]) -> dict[str, float]:
    """Pooled figures: recall over all and over classified exchanges, candidates per documented exchange."""
    documented = sum(r.documented for r in recalls)
    classified = sum(r.classified for r in recalls)
    found = sum(r.found for r in recalls)
    candidates = sum(r.candidates for r in recalls)
    possible = sum(r.possible_pairs for r in recalls)
    return {
        "documented": documented,
        "found": found,
        "recall": found / documented if documented else 0.0,
        "recall_classified": found / classified if classified else 0.0,
        "candidates": candidates,
        "candidate_share_of_pairs": candidates / possible if possible else 0.0,
    }
