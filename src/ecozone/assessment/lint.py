"""Checking a rulebook: its JSON Schema, then what a schema cannot say.

:func:`lint_rulebook` returns every problem with its line: unknown check kinds, thresholds
without a unit, KPIs that do not exist (with the closest known name), units that do not suit
the KPI, questions that are not declared or have the wrong type, unknown certificate schemes,
firm attributes, carriers, measures and SDG targets, duplicate ids. :func:`parse_rulebook`
raises :class:`~ecozone.assessment.errors.RulebookError` when any of them is an error.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from ecozone.assessment.errors import Problem, RulebookError
from ecozone.assessment.kpis import kpi_catalogue
from ecozone.assessment.located_yaml import LocatedDocument, Path, load_located
from ecozone.assessment.measures import measure_catalogue
from ecozone.assessment.rulebook import CALENDAR_DAYS, CHECK_KINDS, WORKING_DAYS, Rulebook, build_rulebook
from ecozone.assessment.sdg import sdg_targets
from ecozone.registry.schema import vocabulary
from ecozone.units import UnitError, conversion_factor

SCHEMA_FILE = "rulebook.schema.json"
FIRM_NUMERIC_ATTRIBUTES = ("employees", "floor_area_m2", "roof_area_m2", "land_area_ha", "annual_production")
COUNT_QUESTION_TYPES = ("integer", "firm_list", "link_list")
MONTHS = "months"


@cache
def rulebook_schema() -> dict[str, Any]:
    """The rulebook JSON Schema (``rulebook.schema.json``)."""
    schema: dict[str, Any] = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def parse_rulebook(text: str, file: str = "<rulebook>") -> Rulebook:
    """Validate a rulebook's YAML text and build it.

    Raises
    ------
    RulebookError
        With every problem found, when at least one is an error.
    """
    document = load_located(text, file)
    problems = lint_document(document)
    if any(problem.severity == "error" for problem in problems):
        raise RulebookError(problems, file=file)
    return build_rulebook(document.data, text, file)


def lint_rulebook(text: str, file: str = "<rulebook>") -> list[Problem]:
    """Every problem (errors and warnings) of a rulebook's YAML text, errors first."""
    return lint_document(load_located(text, file))


def lint_document(document: LocatedDocument) -> list[Problem]:
    """Schema and semantic problems of a located rulebook document, errors first."""
    if document.data is None:
        return document.problems or [document.problem((), "assessment.lint.empty")]
    problems = list(document.problems)
    if not isinstance(document.data, dict):
        return [*problems, document.problem((), "assessment.lint.not_mapping")]
    schema_problems = _schema_problems(document)
    problems.extend(schema_problems)
    if not schema_problems:
        problems.extend(_SemanticLint(document).run())
    return sorted(problems, key=lambda p: (p.severity != "error", p.line or 0))


# --------------------------------------------------------------------------- schema


def _schema_problems(document: LocatedDocument) -> list[Problem]:
    validator = jsonschema.Draft202012Validator(rulebook_schema())
    problems = []
    seen: set[tuple[Path, str]] = set()
    for error in validator.iter_errors(document.data):
        path: Path = tuple(error.absolute_path)
        problem = _translate(document, path, error)
        if (path, problem.key) not in seen:
            seen.add((path, problem.key))
            problems.append(problem)
    return problems


def _translate(document: LocatedDocument, path: Path, error: jsonschema.ValidationError) -> Problem:
    validator = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
    given: Any = error.instance
    if validator == "required":
        instance = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in expected if name not in instance]
        if path and path[-1] == "threshold" and "unit" in missing:
            return document.problem(path, "assessment.lint.threshold_without_unit")
        return document.problem(path, "assessment.lint.required", fields=", ".join(missing))
    if validator == "enum":
        known = ", ".join(str(value) for value in expected)
        if path and path[-1] == "kind":
            return document.problem(path, "assessment.lint.unknown_check_kind", kind=error.instance, known=", ".join(CHECK_KINDS))
        return document.problem(path, "assessment.lint.not_one_of", value=error.instance, known=known)
    if validator == "additionalProperties":
        allowed = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [name for name in given if name not in allowed]
        return document.problem(
            (*path, extra[0]) if extra else path,
            "assessment.lint.unknown_field",
            field=", ".join(map(str, extra)),
            known=", ".join(allowed),
        )
    if validator == "type":
        return document.problem(path, "assessment.lint.wrong_type", value=error.instance, expected=expected)
    if validator == "pattern":
        return document.problem(path, "assessment.lint.bad_identifier", value=error.instance)
    if validator in ("minItems", "minLength", "minProperties", "maxProperties", "minimum"):
        return document.problem(path, "assessment.lint.bound", detail=error.message)
    return document.problem(path, "assessment.lint.schema", detail=error.message)


# --------------------------------------------------------------------------- semantics


def _closest(name: str, known: list[str]) -> str:
    matches = difflib.get_close_matches(name, known, n=1)
    return matches[0] if matches else ""


class _SemanticLint:
    """What the schema cannot check: references between parts and to shipped tables."""

    def __init__(self, document: LocatedDocument) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.problems: list[Problem] = []
        self.questions: dict[str, str] = {}
        self.used_questions: set[str] = set()

    def error(self, path: Path, key: str, **params: Any) -> None:
        self.problems.append(self.document.problem(path, key, **params))

    def warning(self, path: Path, key: str, **params: Any) -> None:
        self.problems.append(self.document.problem(path, key, "warning", **params))

    def run(self) -> list[Problem]:
        self._unique_ids("categories")
        self._unique_ids("questions")
        self._unique_ids("requirements")
        for index, question in enumerate(self.data.get("questions", [])):
            self.questions[question["id"]] = question["type"]
            if question.get("unit") and question["type"] != "number":
                self.warning(("questions", index, "unit"), "assessment.lint.unit_ignored", question=question["id"])
        categories = {c["id"]: {s["id"] for s in c.get("subcategories", [])} for c in self.data["categories"]}
        for index, requirement in enumerate(self.data["requirements"]):
            self._requirement(("requirements", index), requirement, categories)
        for index, question in enumerate(self.data.get("questions", [])):
            if question["id"] not in self.used_questions:
                self.warning(("questions", index), "assessment.lint.unused_question", question=question["id"])
        self._scoring()
        self._notes()
        return self.problems

    def _unique_ids(self, section: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(self.data.get(section, [])):
            if item["id"] in seen:
                self.error((section, index, "id"), "assessment.lint.duplicate_id", id=item["id"], section=section)
            seen.add(item["id"])

    def _requirement(self, path: Path, requirement: dict[str, Any], categories: dict[str, set[str]]) -> None:
        category = requirement["category"]
        if category not in categories:
            self.error((*path, "category"), "assessment.lint.unknown_category", category=category, known=", ".join(categories))
        elif "subcategory" in requirement and requirement["subcategory"] not in categories[category]:
            self.error(
                (*path, "subcategory"),
                "assessment.lint.unknown_subcategory",
                subcategory=requirement["subcategory"],
                category=category,
                known=", ".join(sorted(categories[category])),
            )
        self._check((*path, "check"), requirement["check"])
        applies = requirement.get("applies_when")
        if applies:
            self._applies_when((*path, "applies_when"), applies)
        measures = measure_catalogue()
        for position, measure in enumerate(requirement.get("measures", [])):
            if measure not in measures:
                self.error(
                    (*path, "measures", position),
                    "assessment.lint.unknown_measure",
                    measure=measure,
                    suggestion=_closest(measure, list(measures)),
                )
        targets = sdg_targets()
        for position, target in enumerate(requirement.get("sdg_targets", [])):
            if target not in targets:
                self.error(
                    (*path, "sdg_targets", position), "assessment.lint.unknown_sdg", target=target, known=", ".join(targets)
                )

    def _question(self, path: Path, question: str, allowed: tuple[str, ...]) -> None:
        self.used_questions.add(question)
        kind = self.questions.get(question)
        if kind is None:
            self.error(
                path, "assessment.lint.unknown_question", question=question, suggestion=_closest(question, list(self.questions))
            )
        elif kind not in allowed:
            self.error(path, "assessment.lint.question_type", question=question, type=kind, allowed=", ".join(allowed))

    def _check(self, path: Path, check: dict[str, Any]) -> None:
        kind = check["kind"]
        if kind == "kpi_threshold":
            self._kpi(path, check)
        elif kind == "share_of_firms":
            self._share(path, check)
        elif kind == "evidence":
            self._question((*path, "question"), check["question"], ("evidence",))
            if "max_age" in check and check["max_age"]["unit"] != MONTHS:
                self.error((*path, "max_age", "unit"), "assessment.lint.max_age_unit", unit=check["max_age"]["unit"])
        elif kind == "count":
            self._question((*path, "question"), check["question"], COUNT_QUESTION_TYPES)
        elif kind == "combination":
            if check["mode"] == "at_least" and check["k"] > len(check["checks"]):
                self.error((*path, "k"), "assessment.lint.k_too_large", k=check["k"], count=len(check["checks"]))
            if check["mode"] != "at_least" and "k" in check:
                self.warning((*path, "k"), "assessment.lint.k_ignored", mode=check["mode"])
            for index, part in enumerate(check["checks"]):
                self._check((*path, "checks", index), part)
        elif kind == "park_certificate":
            self._schemes(path, check["schemes"], check.get("levels", []))
        elif kind == "deadline":
            self._question((*path, "start"), check["start"], ("date",))
            self._question((*path, "end"), check["end"], ("date",))
            unit = check["threshold"]["unit"]
            if unit not in (WORKING_DAYS, CALENDAR_DAYS):
                self.error(
                    (*path, "threshold", "unit"),
                    "assessment.lint.deadline_unit",
                    unit=unit,
                    known=f"{WORKING_DAYS}, {CALENDAR_DAYS}",
                )

    def _kpi(self, path: Path, check: dict[str, Any]) -> None:
        catalogue = kpi_catalogue()
        name = check["kpi"]
        definition = catalogue.get(name)
        if definition is None:
            self.error((*path, "kpi"), "assessment.lint.unknown_kpi", kpi=name, suggestion=_closest(name, list(catalogue)) or "-")
            return
        unit = check["threshold"]["unit"]
        if unit != definition.unit:
            try:
                conversion_factor(unit, definition.unit)
            except UnitError:
                self.error(
                    (*path, "threshold", "unit"), "assessment.lint.unit_mismatch", unit=unit, kpi=name, kpi_unit=definition.unit
                )

    def _share(self, path: Path, check: dict[str, Any]) -> None:
        threshold = check["threshold"]
        if threshold["unit"] != "%":
            self.error((*path, "threshold", "unit"), "assessment.lint.share_unit", unit=threshold["unit"])
        elif not 0 <= threshold["value"] <= 100:
            self.error((*path, "threshold", "value"), "assessment.lint.share_range", value=threshold["value"])
        self._condition((*path, "condition"), check["condition"])
        if "population" in check:
            self._condition((*path, "population"), check["population"])

    def _condition(self, path: Path, condition: dict[str, Any]) -> None:
        for kind, body in condition.items():
            here = (*path, kind)
            if kind == "certificate":
                self._schemes(here, body["schemes"], body.get("levels", []))
            elif kind == "attribute" and body["name"] not in FIRM_NUMERIC_ATTRIBUTES:
                self.error(
                    (*here, "name"),
                    "assessment.lint.unknown_attribute",
                    name=body["name"],
                    known=", ".join(FIRM_NUMERIC_ATTRIBUTES),
                )
            elif kind == "answer":
                self._question(here, body, ("firm_list",))
            elif kind == "symbiosis":
                self._question(here, body, ("link_list",))
            elif kind == "meter":
                carriers = vocabulary("carrier")
                for index, carrier in enumerate(body["carriers"]):
                    if carrier not in carriers:
                        self.error(
                            (*here, "carriers", index),
                            "assessment.lint.unknown_carrier",
                            carrier=carrier,
                            known=", ".join(carriers),
                        )
            elif kind in ("any_of", "all_of"):
                for index, part in enumerate(body):
                    self._condition((*here, index), part)

    def _schemes(self, path: Path, schemes: list[str], levels: list[str]) -> None:
        vocabulary_schemes = vocabulary("certification_scheme")
        allowed_levels: set[str] = set()
        for index, scheme in enumerate(schemes):
            if scheme not in vocabulary_schemes:
                self.error(
                    (*path, "schemes", index),
                    "assessment.lint.unknown_scheme",
                    scheme=scheme,
                    known=", ".join(vocabulary_schemes),
                )
            else:
                allowed_levels.update(vocabulary_schemes[scheme].get("levels", []))
        for index, level in enumerate(levels):
            if level not in allowed_levels:
                self.error(
                    (*path, "levels", index),
                    "assessment.lint.unknown_level",
                    level=level,
                    known=", ".join(sorted(allowed_levels)) or "-",
                )

    def _applies_when(self, path: Path, applies: dict[str, Any]) -> None:
        if "park_type" in applies:
            types = vocabulary("park_type")
            for index, park_type in enumerate(applies["park_type"]):
                if park_type not in types:
                    self.error(
                        (*path, "park_type", index), "assessment.lint.unknown_park_type", value=park_type, known=", ".join(types)
                    )
        else:
            self._question((*path, "answer", "question"), applies["answer"]["question"], ("boolean", "text", "integer", "number"))

    def _scoring(self) -> None:
        if self.data["scoring"]["method"] != "points":
            return
        totals: dict[str, float] = {}
        for index, requirement in enumerate(self.data["requirements"]):
            if "points" not in requirement:
                self.error(("requirements", index), "assessment.lint.points_missing", id=requirement["id"])
            totals[requirement["category"]] = totals.get(requirement["category"], 0.0) + float(requirement.get("points", 0))
        for index, category in enumerate(self.data["categories"]):
            weight = category.get("weight")
            if weight is not None and abs(totals.get(category["id"], 0.0) - weight) > 1e-9:
                self.error(
                    ("categories", index, "weight"),
                    "assessment.lint.weight_mismatch",
                    category=category["id"],
                    weight=weight,
                    points=totals.get(category["id"], 0.0),
                )

    def _notes(self) -> None:
        unverified = [
            requirement["id"]
            for requirement in self.data["requirements"]
            if any(threshold.get("status") != "verified" for threshold in _thresholds(requirement["check"]))
        ]
        if unverified and "notes" not in self.data:
            self.warning((), "assessment.lint.unverified_without_notes", count=len(unverified))


def _thresholds(check: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in ("threshold", "max_age"):
        if key in check:
            yield check[key]
    for part in check.get("checks", []):
        yield from _thresholds(part)
