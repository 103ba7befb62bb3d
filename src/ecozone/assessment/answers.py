"""Questionnaire answers: what only people know, validated with line numbers.

An answers file (YAML, or the XLSX questionnaire) names its rulebook, who answered and when,
then gives one value per question under ``answers`` and entered KPI values under ``kpis``.
:func:`parse_answers` checks everything at once and raises
:class:`~ecozone.assessment.errors.AnswersError` listing each problem with its line: unknown
keys (a question or KPI the rulebook does not have), wrong types, dates in the future, evidence
without a reference, units that do not suit the question. A ``null`` value means "not
answered", which later yields "not enough data" naming the question.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ecozone.assessment.errors import AnswersError, Problem
from ecozone.assessment.kpis import Measurement, kpi_catalogue
from ecozone.assessment.located_yaml import LocatedDocument, Path, load_located
from ecozone.assessment.rulebook import Question, Rulebook
from ecozone.units import UnitError, conversion_factor

TOP_LEVEL_KEYS = ("rulebook", "park", "answered_by", "answered_on", "organisation", "note", "synthetic", "answers", "kpis")
EVIDENCE_KEYS = ("present", "reference", "date", "note")
LINK_KEYS = ("firms", "type", "description", "reference", "partners_outside")
KPI_KEYS = ("value", "unit", "reference", "date")
SYMBIOSIS_TYPES = ("input_output_exchange", "shared_infrastructure", "business_services", "cooperation_other_parks", "other")
"""Symbiosis types of forms A.4/B.4 (Circular 05/2025/TT-BKHĐT Art. 2 cl. 1; portal spec)."""


@dataclass(frozen=True)
class EvidenceAnswer:
    """An evidence answer: present or not, with a document reference and its date."""

    present: bool
    reference: str | None = None
    date: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class SymbiosisLink:
    """An industrial-symbiosis link between firms of the park (and partners outside it)."""

    firms: tuple[str, ...]
    type: str
    description: str | None = None
    reference: str | None = None
    partners_outside: str | None = None


@dataclass(frozen=True)
class NumberAnswer:
    """A number with its unit."""

    value: float
    unit: str


AnswerValue = EvidenceAnswer | bool | int | NumberAnswer | date | tuple[str, ...] | tuple[SymbiosisLink, ...] | str


@dataclass(frozen=True)
class Answers:
    """Validated answers to a rulebook's questionnaire.

    Attributes
    ----------
    values : dict
        Question id → answer (unanswered questions are absent).
    kpis : dict
        KPI name → entered :class:`~ecozone.assessment.kpis.Measurement` (source ``answers``).
    lines : dict
        Question id or ``kpis.<name>`` → line in the file (for later errors, e.g. unknown firms).
    """

    rulebook_id: str
    answered_by: str
    answered_on: date
    values: Mapping[str, AnswerValue] = field(default_factory=dict)
    kpis: Mapping[str, Measurement] = field(default_factory=dict)
    park_id: str | None = None
    organisation: str | None = None
    synthetic: bool = False
    file: str = "<answers>"
    lines: Mapping[str, int] = field(default_factory=dict)

    def get(self, question_id: str) -> AnswerValue | None:
        """The answer to ``question_id`` or None when unanswered."""
        return self.values.get(question_id)

    def firm_references(self) -> list[tuple[str, str, int | None]]:
        """Every firm id named in the answers: (question, firm id, line)."""
        found: list[tuple[str, str, int | None]] = []
        for question, value in self.values.items():
            if isinstance(value, tuple):
                for item in value:
                    firms = item.firms if isinstance(item, SymbiosisLink) else (item,)
                    found.extend((question, firm, self.lines.get(question)) for firm in firms)
        return found


def parse_answers(text: str, rulebook: Rulebook, file: str = "<answers>", today: date | None = None) -> Answers:
    """Read and validate an answers YAML text for ``rulebook``.

    Parameters
    ----------
    text : str
        The YAML text.
    rulebook : Rulebook
        The rulebook whose questionnaire was answered.
    file : str
        Label of the file in problems.
    today : date, optional
        The day dates may not be after (default: today).

    Raises
    ------
    AnswersError
        With every problem found.
    """
    return validate_answers(load_located(text, file), rulebook, today)


def validate_answers(document: LocatedDocument, rulebook: Rulebook, today: date | None = None) -> Answers:
    """Validate a located answers document (from YAML or XLSX) for ``rulebook``."""
    reader = _AnswerReader(document, rulebook, today or date.today())
    answers = reader.read()
    if any(problem.severity == "error" for problem in reader.problems) or answers is None:
        raise AnswersError(reader.problems, file=document.file)
    return answers


class ScalarReader:
    """Reads typed values of a located YAML document, keeping every problem with its line.

    Shared by the questionnaire answers and the Form A.4 data file, so both accept and refuse
    values (dates not in the future, text, yes/no, whole numbers ≥ 0) the same way.
    """

    def __init__(self, document: LocatedDocument, today: date) -> None:
        self.document = document
        self.today = today
        self.problems: list[Problem] = list(document.problems)

    def error(self, path: Path, key: str, **params: Any) -> None:
        """Record problem ``key`` at ``path`` (with its line)."""
        self.problems.append(self.document.problem(path, key, **params))

    def _date(self, path: Path, value: Any, *, required: bool = False) -> date | None:
        if value is None:
            if required:
                self.error(path, "assessment.answers.required")
            return None
        if isinstance(value, datetime):
            value = value.date()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                self.error(path, "assessment.answers.bad_date", value=value)
                return None
        day: date = value
        if day > self.today:
            self.error(path, "assessment.answers.future_date", value=day.isoformat(), today=self.today.isoformat())
            return None
        return day

    def _text(self, path: Path, value: Any) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(path, "assessment.answers.wrong_type", expected="text", value=value)
            return None
        return str(value)

    def _boolean(self, path: Path, value: Any) -> bool | None:
        if not isinstance(value, bool):
            self.error(path, "assessment.answers.wrong_type", expected="true/false", value=value)
            return None
        return value

    def _count(self, path: Path, value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error(path, "assessment.answers.wrong_type", expected="integer ≥ 0", value=value)
            return None
        return value


class _AnswerReader(ScalarReader):
    def __init__(self, document: LocatedDocument, rulebook: Rulebook, today: date) -> None:
        super().__init__(document, today)
        self.rulebook = rulebook

    def read(self) -> Answers | None:
        data = self.document.data
        if not isinstance(data, dict):
            if not self.problems:
                self.error((), "assessment.answers.not_mapping")
            return None
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.error((key,), "assessment.answers.unknown_top_key", name=key, known=", ".join(TOP_LEVEL_KEYS))
        if data.get("rulebook") != self.rulebook.id:
            self.error(("rulebook",), "assessment.answers.wrong_rulebook", found=data.get("rulebook"), expected=self.rulebook.id)
        answered_by = data.get("answered_by")
        if not isinstance(answered_by, str) or not answered_by.strip():
            self.error(("answered_by",), "assessment.answers.answered_by")
        answered_on = self._date(("answered_on",), data.get("answered_on"), required=True)
        values = self._answers(data.get("answers"))
        kpis = self._kpis(data.get("kpis"))
        lines = {str(path[1]): line for path, line in self.document.lines.items() if len(path) == 2 and path[0] == "answers"}
        lines.update(
            {f"kpis.{path[1]}": line for path, line in self.document.lines.items() if len(path) == 2 and path[0] == "kpis"}
        )
        park = data.get("park")
        organisation = data.get("organisation")
        return Answers(
            rulebook_id=self.rulebook.id,
            answered_by=str(answered_by or ""),
            answered_on=answered_on or self.today,
            values=values,
            kpis=kpis,
            park_id=None if park is None else str(park),
            organisation=None if organisation is None else str(organisation),
            synthetic=bool(data.get("synthetic", False)),
            file=self.document.file,
            lines=lines,
        )

    # ----------------------------------------------------------------- scalars

    def _unknown_keys(self, path: Path, value: dict[str, Any], allowed: tuple[str, ...]) -> None:
        for key in value:
            if key not in allowed:
                self.error((*path, key), "assessment.answers.unknown_field", field=key, known=", ".join(allowed))

    # ----------------------------------------------------------------- answers

    def _answers(self, raw: Any) -> dict[str, AnswerValue]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(("answers",), "assessment.answers.wrong_type", expected="mapping", value=type(raw).__name__)
            return {}
        known = {question.id: question for question in self.rulebook.questions}
        values: dict[str, AnswerValue] = {}
        for key, value in raw.items():
            path: Path = ("answers", key)
            question = known.get(str(key))
            if question is None:
                suggestion = difflib.get_close_matches(str(key), list(known), n=1)
                self.error(
                    path,
                    "assessment.answers.unknown_question",
                    question=key,
                    rulebook=self.rulebook.id,
                    suggestion=suggestion[0] if suggestion else "-",
                )
                continue
            if value is None:
                continue
            parsed = self._value(path, question, value)
            if parsed is not None:
                values[question.id] = parsed
        return values

    def _value(self, path: Path, question: Question, value: Any) -> AnswerValue | None:
        kind = question.type
        if kind == "evidence":
            return self._evidence(path, value)
        if kind == "boolean":
            return self._boolean(path, value)
        if kind == "integer":
            return self._count(path, value)
        if kind == "number":
            return self._number(path, question, value)
        if kind == "date":
            return self._date(path, value)
        if kind == "firm_list":
            return self._firm_list(path, value)
        if kind == "link_list":
            return self._links(path, value)
        return self._text(path, value)

    def _evidence(self, path: Path, value: Any) -> EvidenceAnswer | None:
        if isinstance(value, bool):
            self.error(path, "assessment.answers.evidence_mapping")
            return None
        if not isinstance(value, dict):
            self.error(path, "assessment.answers.wrong_type", expected="{present, reference, date}", value=value)
            return None
        self._unknown_keys(path, value, EVIDENCE_KEYS)
        present = value.get("present")
        if present is None:
            if any(value.get(k) for k in ("reference", "date")):
                self.error((*path, "present"), "assessment.answers.required")
            return None
        if not isinstance(present, bool):
            self.error((*path, "present"), "assessment.answers.wrong_type", expected="true/false", value=present)
            return None
        reference = self._text((*path, "reference"), value.get("reference"))
        day = self._date((*path, "date"), value.get("date"))
        if present and not (reference and reference.strip()):
            self.error(path, "assessment.answers.evidence_without_reference")
            return None
        return EvidenceAnswer(present, reference, day, self._text((*path, "note"), value.get("note")))

    def _number(self, path: Path, question: Question, value: Any) -> NumberAnswer | None:
        unit = question.unit or ""
        if isinstance(value, dict):
            self._unknown_keys(path, value, ("value", "unit"))
            number, given_unit = value.get("value"), value.get("unit", unit)
        else:
            number, given_unit = value, unit
        if isinstance(number, bool) or not isinstance(number, int | float):
            self.error(path, "assessment.answers.wrong_type", expected=f"number [{unit}]", value=number)
            return None
        converted = self._convert(path, float(number), str(given_unit), unit)
        return None if converted is None else NumberAnswer(converted, unit)

    def _convert(self, path: Path, number: float, given: str, wanted: str) -> float | None:
        if given == wanted:
            return number
        try:
            return number * conversion_factor(given, wanted)
        except UnitError:
            self.error((*path, "unit"), "assessment.answers.unit", unit=given, expected=wanted)
            return None

    def _firm_list(self, path: Path, value: Any) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.error(path, "assessment.answers.wrong_type", expected="list of firm ids", value=value)
            return None
        duplicated = sorted({item for item in value if value.count(item) > 1})
        if duplicated:
            self.error(path, "assessment.answers.duplicate_firm", firms=", ".join(duplicated))
        return tuple(dict.fromkeys(value))

    def _links(self, path: Path, value: Any) -> tuple[SymbiosisLink, ...] | None:
        if not isinstance(value, list):
            self.error(path, "assessment.answers.wrong_type", expected="list of links", value=value)
            return None
        links = []
        for index, item in enumerate(value):
            here = (*path, index)
            if not isinstance(item, dict):
                self.error(here, "assessment.answers.wrong_type", expected="{firms, type, description, reference}", value=item)
                continue
            self._unknown_keys(here, item, LINK_KEYS)
            firms = item.get("firms")
            if not isinstance(firms, list) or not firms or not all(isinstance(firm, str) for firm in firms):
                self.error((*here, "firms"), "assessment.answers.link_firms")
                continue
            link_type = item.get("type")
            if link_type not in SYMBIOSIS_TYPES:
                self.error((*here, "type"), "assessment.answers.link_type", value=link_type, known=", ".join(SYMBIOSIS_TYPES))
                continue
            links.append(
                SymbiosisLink(
                    tuple(firms),
                    link_type,
                    self._text((*here, "description"), item.get("description")),
                    self._text((*here, "reference"), item.get("reference")),
                    self._text((*here, "partners_outside"), item.get("partners_outside")),
                )
            )
        return tuple(links)

    # ----------------------------------------------------------------- kpis

    def _kpis(self, raw: Any) -> dict[str, Measurement]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.error(("kpis",), "assessment.answers.wrong_type", expected="mapping", value=type(raw).__name__)
            return {}
        catalogue = kpi_catalogue()
        allowed = [name for name in self.rulebook.kpis() if catalogue[name].answerable]
        kpis = {}
        for name, value in raw.items():
            path: Path = ("kpis", name)
            if name not in allowed:
                self.error(path, "assessment.answers.unknown_kpi", kpi=name, known=", ".join(allowed) or "-")
                continue
            if value is None:
                continue
            entry = value if isinstance(value, dict) else {"value": value}
            self._unknown_keys(path, entry, KPI_KEYS)
            number = entry.get("value")
            if number is None:
                continue
            if isinstance(number, bool) or not isinstance(number, int | float):
                self.error(
                    (*path, "value"), "assessment.answers.wrong_type", expected=f"number [{catalogue[name].unit}]", value=number
                )
                continue
            unit = catalogue[name].unit
            converted = self._convert(path, float(number), str(entry.get("unit", unit)), unit)
            reference = self._text((*path, "reference"), entry.get("reference"))
            day = self._date((*path, "date"), entry.get("date"))
            if converted is not None:
                detail = "; ".join(part for part in (reference, day.isoformat() if day else None) if part)
                kpis[name] = Measurement(converted, unit, "answers", detail)
        return kpis
