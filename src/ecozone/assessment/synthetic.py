"""Seeded, documented SYNTHETIC questionnaire answers for the demo park.

:func:`synthetic_answers` fills a rulebook's questionnaire for a park from the parameters in
``data/synthetic_answers.yaml`` (illustrative, ``unverified``), so that ``ecozone demo`` can
assess the demo park against every shipped rulebook. The result is YAML text that goes through
the same validation as a user's file and is marked ``synthetic: true``; reports built from it
say the answers are synthetic.

Draws come from ``numpy.random.default_rng`` seeded by the seed and a CRC-32 of the rulebook
and question ids, so an answer does not depend on the other questions: evidence is present with
probability ``evidence_present`` (unanswered with ``evidence_unanswered``), dated a uniform
number of months back; firm lists take a uniform share of the firms; symbiosis links join two
firms drawn without replacement; entered KPIs are uniform in their range.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ecozone.assessment.answers import SYMBIOSIS_TYPES
from ecozone.assessment.checks import add_months
from ecozone.assessment.questionnaire import answerable_kpis
from ecozone.assessment.rulebook import Question, Rulebook
from ecozone.store.snapshot import ParkSnapshot

DEFAULT_SEED = 20240101
PARAMETERS_FILE = "synthetic_answers.yaml"
ANSWERED_BY = "ecozone demo generator (synthetic answers)"


@cache
def parameters() -> dict[str, Any]:
    """The synthetic-answer parameters (``data/synthetic_answers.yaml``)."""
    text = resources.files("ecozone.assessment").joinpath("data").joinpath(PARAMETERS_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def _rng(seed: int, *keys: str) -> np.random.Generator:
    return np.random.default_rng([seed, *(zlib.crc32(key.encode("utf-8")) for key in keys)])


def _answer(question: Question, park: ParkSnapshot, on: date, rng: np.random.Generator, settings: dict[str, Any]) -> Any:
    firm_ids = [firm.id for firm in park.firms]
    fixed = settings["fixed"]
    if question.id in fixed:
        return fixed[question.id]
    if question.type == "evidence":
        draw = rng.random()
        if draw < settings["evidence_unanswered"]:
            return None
        present = draw < settings["evidence_unanswered"] + settings["evidence_present"]
        low, high = settings["evidence_age_months"]
        day = add_months(on, -int(rng.integers(low, high + 1)))
        return {"present": True, "reference": f"SYN-{question.id.upper()}", "date": day} if present else {"present": False}
    if question.type == "firm_list":
        low, high = settings["firm_list_share"]
        count = round(rng.uniform(low, high) * len(firm_ids))
        return sorted(str(firm) for firm in rng.choice(firm_ids, size=count, replace=False)) if firm_ids else []
    if question.type == "link_list":
        low, high = settings["symbiosis_links"]
        if len(firm_ids) < 2:
            return []
        return [
            {
                "firms": sorted(str(firm) for firm in rng.choice(firm_ids, size=2, replace=False)),
                "type": str(SYMBIOSIS_TYPES[int(rng.integers(0, 4))]),
                "description": "synthetic link",
                "reference": f"SYN-LINK-{index + 1}",
            }
            for index in range(int(rng.integers(low, high + 1)))
        ]
    if question.type == "integer":
        low, high = settings["integer_default"]
        return int(rng.integers(low, high + 1))
    if question.type == "date":
        days = settings["dates_days_after_new_year"].get(question.id)
        return None if days is None else date(on.year, 1, 1) + timedelta(days=int(days))
    return None


def synthetic_answers(rulebook: Rulebook, park: ParkSnapshot, assessed_on: date, seed: int = DEFAULT_SEED) -> str:
    """SYNTHETIC answers to ``rulebook``'s questionnaire for ``park`` as YAML text.

    Parameters
    ----------
    rulebook : Rulebook
        Whose questionnaire to fill.
    park : ParkSnapshot
        The (synthetic) park; only its firm ids are used.
    assessed_on : date
        The assessment date; documents are dated before it, and so is ``answered_on``.
    seed : int
        Seed of the generator.
    """
    settings = parameters()
    answers = {}
    for question in rulebook.questions:
        answers[question.id] = _answer(question, park, assessed_on, _rng(seed, rulebook.id, question.id), settings)
    kpis = {}
    for name in answerable_kpis(rulebook):
        low, high = settings["kpis"][name]
        value = round(float(_rng(seed, rulebook.id, name).uniform(low, high)), 1)
        kpis[name] = {"value": value, "reference": "SYN-KPI (synthetic)"}
    document = {
        "rulebook": rulebook.id,
        "park": park.park.id,
        "answered_by": ANSWERED_BY,
        "answered_on": assessed_on,
        "synthetic": True,
        "note": f"SYNTHETIC answers generated by ecozone.assessment.synthetic (seed {seed}); they describe no real park.",
        "answers": answers,
        "kpis": kpis,
    }
    header = "# SYNTHETIC questionnaire answers for the ecozone demo / Câu trả lời GIẢ LẬP cho bản minh họa ecozone\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
