"""Matching by meaning: class links, name similarity, legal/quality/reach exclusions, literature recall."""

from __future__ import annotations

from typing import Any

import pytest

from ecozone.symbiosis.catalogue import StreamRecord
from ecozone.symbiosis.classification import classify_name
from ecozone.symbiosis.knowledge import knowledge_base
from ecozone.symbiosis.matching import match_streams, name_similarities
from ecozone.symbiosis.recall import literature_recall, overall
from ecozone.symbiosis.settings import MatchSettings

PARK = {"p": (11.0, 106.7)}
KB = knowledge_base()


def record(owner: str, direction: str, name: str, stream_class: str | None = None, **values: Any) -> StreamRecord:
    code = stream_class or classify_name(name, direction).stream_class
    unit = {"steam_heat": "MWh", "treated_wastewater": "m3", "clean_water": "m3"}.get(code, "t")
    return StreamRecord("p", "firm", owner, direction, name, code, values.pop("quantity", 100.0), unit, **values)


def test_slag_in_any_language_meets_cement_additive() -> None:
    streams = [
        record("a", "output", "xỉ than"),
        record("b", "output", "coal slag"),
        record("c", "output", "boiler bottom ash"),
        record("cement", "input", "cement additive"),
    ]
    result = match_streams(streams, KB, PARK)
    suppliers = {c.supplier.name for c in result.candidates if c.receiver.name == "cement additive"}
    assert suppliers == {"xỉ than", "coal slag", "boiler bottom ash"}
    candidate = result.candidates[0]
    explanation = " ".join(r.text("en") for r in candidate.reasons)
    assert "coal_ash_slag → cement_raw_material" in explanation
    assert "documented" in explanation
    assert " ".join(r.text("vi") for r in candidate.reasons)
    assert candidate.optimisable


def test_same_owner_is_not_a_candidate() -> None:
    streams = [record("a", "output", "xỉ than"), record("a", "input", "cement additive")]
    assert match_streams(streams, KB, PARK).candidates == ()


def test_hazardous_output_only_to_licensed_receivers() -> None:
    oil = record("a", "output", "dầu nhớt thải", hazardous=True, hazardous_code="17 02 03")
    unlicensed = record("b", "input", "xử lý chất thải nguy hại", "hazardous_treatment")
    result = match_streams([oil, unlicensed], KB, PARK)
    assert result.candidates == ()
    assert [r.key for r in result.excluded[0].reasons] == ["symbiosis.block.hazardous_unlicensed"]
    licensed = record("b", "input", "xử lý chất thải nguy hại", "hazardous_treatment", licensed_receiver=True)
    assert len(match_streams([oil, licensed], KB, PARK).candidates) == 1


def test_heat_below_required_temperature_is_excluded() -> None:
    steam = record("a", "output", "hơi thải", "steam_heat", temperature_c=120.0)
    need = record("b", "input", "process steam", "steam_heat", min_temperature_c=180.0)
    result = match_streams([steam, need], KB, PARK)
    assert result.candidates == ()
    assert result.excluded[0].reasons[0].key == "symbiosis.block.temperature"
    hot = record("a", "output", "hơi thải", "steam_heat", temperature_c=200.0)
    assert len(match_streams([hot, need], KB, PARK).candidates) == 1


def test_unknown_quality_and_blend_warning() -> None:
    ash = record("a", "output", "fly ash", "fly_ash")
    picky = record("b", "input", "cement additive", "cement_raw_material", min_purity_pct=90.0)
    assert match_streams([ash, picky], KB, PARK).excluded[0].reasons[0].key == "symbiosis.block.quality_unknown"
    impure = record("a", "output", "fly ash", "fly_ash", purity_pct=80.0)
    candidate = match_streams([impure, picky], KB, PARK).candidates[0]
    assert "symbiosis.warning.blend_purity" in {w.key for w in candidate.warnings}


def test_transport_reach() -> None:
    steam = record("a", "output", "hơi thải", "steam_heat", temperature_c=200.0)
    far = record("b", "input", "process steam", "steam_heat", latitude=10.8, longitude=106.6)
    result = match_streams([steam, far], KB, PARK)
    assert result.excluded[0].reasons[0].key == "symbiosis.block.distance"


def test_name_only_candidate_when_classes_have_no_link() -> None:
    pallets = record("a", "output", "pallet gỗ cũ", "wood_waste")
    needs = record("b", "input", "pallet gỗ", "packaging_reusable")
    result = match_streams([pallets, needs], KB, PARK)
    assert len(result.candidates) == 1
    candidate = result.candidates[0]
    assert candidate.link is None and not candidate.optimisable
    assert candidate.reasons[0].key == "symbiosis.reason.name_similarity"
    assert match_streams([pallets, needs], KB, PARK, MatchSettings(name_matching=False)).candidates == ()


def test_name_similarity_is_a_cosine() -> None:
    outputs = [record("a", "output", "Phoi sắt")]
    inputs = [record("b", "input", "phoi sat", "furnace_charge"), record("c", "input", "cement", "cement_raw_material")]
    similarity = name_similarities(outputs, inputs)
    assert similarity[0, 0] == pytest.approx(1.0)
    assert 0.0 <= similarity[0, 1] < 0.2


def test_best_candidates_per_output() -> None:
    streams = [record("a", "output", "xỉ than")] + [
        record(f"r{i}", "input", "gạch không nung", "brick_block_material") for i in range(5)
    ]
    result = match_streams(streams, KB, PARK, MatchSettings(max_candidates_per_output=2))
    assert len(result.candidates) == 2


def test_matcher_recall_on_the_literature_networks() -> None:
    recalls = literature_recall(leave_one_out=True)
    figures = overall(recalls)
    print(
        f"leave-one-park-out recall {figures['recall']:.3f} ({figures['found']}/{figures['documented']}), "
        f"{figures['recall_classified']:.3f} of classified exchanges, "
        f"candidates {figures['candidate_share_of_pairs']:.3f} of pairs"
    )
    assert len(recalls) == 17
    assert figures["recall"] >= 0.80
    assert figures["recall_classified"] >= 0.95
    assert figures["candidate_share_of_pairs"] <= 0.2
