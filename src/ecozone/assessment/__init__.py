"""Assessment of parks against green and eco-industrial-park standards.

Rulebooks (``rulebooks/<id>/rulebook.yaml``) encode a standard's requirements with a fixed set
of check kinds (:mod:`ecozone.assessment.rulebook`); :func:`~ecozone.assessment.engine.assess`
evaluates them on a registry snapshot, KPI values and questionnaire answers and returns
verdicts with their evidence, scores by category and findings; :mod:`~ecozone.assessment.roadmap`
orders the gaps; :mod:`~ecozone.assessment.reports` renders them for a park management board.
"""

from __future__ import annotations

from ecozone.assessment.answers import Answers, parse_answers
from ecozone.assessment.engine import AssessmentInputs, AssessmentResult, assess
from ecozone.assessment.kpis import Measurement, kpi_catalogue, registry_kpis
from ecozone.assessment.lint import lint_rulebook, parse_rulebook
from ecozone.assessment.rulebook import Rulebook, load_rulebook, load_rulebook_file, shipped_rulebook_ids

__all__ = [
    "Answers",
    "AssessmentInputs",
    "AssessmentResult",
    "Measurement",
    "Rulebook",
    "assess",
    "kpi_catalogue",
    "lint_rulebook",
    "load_rulebook",
    "load_rulebook_file",
    "parse_answers",
    "parse_rulebook",
    "registry_kpis",
    "shipped_rulebook_ids",
]
