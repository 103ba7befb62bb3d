"""The blank questionnaire of a rulebook, as commented bilingual YAML or as XLSX, and reading XLSX back.

``ecozone assess questionnaire --rulebook ID > answers.yaml`` writes :func:`questionnaire_yaml`:
every question of the rulebook with its Vietnamese and English prompt, the requirements it
serves and a blank value of the right shape (``null`` = not answered), then the KPIs the
rulebook compares with thresholds that people may enter. :func:`questionnaire_xlsx` writes the
same as a workbook; :func:`read_answers_xlsx` reads a filled workbook into the same validated
:class:`~ecozone.assessment.answers.Answers`, with row numbers in place of lines.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from ecozone.assessment.answers import SYMBIOSIS_TYPES, Answers, parse_answers, validate_answers
from ecozone.assessment.kpis import kpi_catalogue
from ecozone.assessment.located_yaml import LocatedDocument
from ecozone.assessment.rulebook import (
    CountCheck,
    DeadlineCheck,
    EvidenceCheck,
    Question,
    Rulebook,
    ShareOfFirmsCheck,
    walk_checks,
)
from ecozone.errors import FileFormatError
from ecozone.i18n import translate
from ecozone.store.snapshot import ParkSnapshot

INFO_SHEET = "info"
ANSWERS_SHEET = "answers"
LINKS_SHEET = "links"
KPIS_SHEET = "kpis"
FIRMS_SHEET = "firms"
ANSWER_COLUMNS = (
    "question_id",
    "type",
    "requirements",
    "prompt_vi",
    "prompt_en",
    "unit",
    "present",
    "reference",
    "date",
    "value",
    "note",
)
LINK_COLUMNS = ("question_id", "firms", "type", "description", "reference", "partners_outside")
KPI_COLUMNS = ("kpi", "unit", "name_vi", "name_en", "value", "reference", "date")


def question_users(rulebook: Rulebook) -> dict[str, list[str]]:
    """Question id → ids of the requirements that read it (also through conditions and applicability)."""
    users: dict[str, list[str]] = {question.id: [] for question in rulebook.questions}
    for requirement in rulebook.requirements:
        named: list[str] = []
        if requirement.applies_when is not None and requirement.applies_when.question:
            named.append(requirement.applies_when.question)
        for check in walk_checks(requirement.check):
            if isinstance(check, EvidenceCheck | CountCheck):
                named.append(check.question)
            elif isinstance(check, DeadlineCheck):
                named.extend((check.start, check.end))
            elif isinstance(check, ShareOfFirmsCheck):
                named.extend(_condition_questions(check.condition))
                if check.population is not None:
                    named.extend(_condition_questions(check.population))
        for question in dict.fromkeys(named):
            users.setdefault(question, []).append(requirement.id)
    return users


def _condition_questions(condition: Any) -> list[str]:
    found = [condition.question] if condition.question else []
    for part in condition.parts:
        found.extend(_condition_questions(part))
    return found


def answerable_kpis(rulebook: Rulebook) -> list[str]:
    """KPIs of the rulebook that the questionnaire asks for."""
    catalogue = kpi_catalogue()
    return [name for name in rulebook.kpis() if catalogue[name].answerable]


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _blank(question: Question) -> list[str]:
    if question.type == "evidence":
        return ["    present: null", "    reference: null", "    date: null", "    note: null"]
    if question.type == "number":
        return ["    value: null", f"    unit: {_quote(question.unit or '')}"]
    return []


def questionnaire_yaml(rulebook: Rulebook, park: ParkSnapshot | None = None) -> str:
    """The blank, commented, bilingual questionnaire of ``rulebook`` (YAML text).

    Parameters
    ----------
    rulebook : Rulebook
        Whose questions to ask.
    park : ParkSnapshot, optional
        Fills in the park id and lists its firms (for the firm-list questions).
    """
    t = translate
    lines = [
        f"# {t('assessment.questionnaire.title', 'vi')} / {t('assessment.questionnaire.title', 'en')}",
        f"# {rulebook.title.vi} / {rulebook.title.en} ({rulebook.id}, {rulebook.version})",
        "#",
    ]
    for kind in HELP_KINDS:
        lines.append(f"# {t(f'assessment.questionnaire.help.{kind}', 'vi')} / {t(f'assessment.questionnaire.help.{kind}', 'en')}")
        if kind == "link_list":
            lines.append(f"#   {', '.join(SYMBIOSIS_TYPES)}")
    if park is not None and park.firms:
        lines.append(f"# {t('assessment.questionnaire.firms', 'vi')} / {t('assessment.questionnaire.firms', 'en')}:")
        lines.extend(f"#   {firm.id}: {firm.name}" for firm in park.firms)
    lines += [
        f"rulebook: {rulebook.id}",
        f"park: {park.park.id if park is not None else 'null'}",
        'answered_by: ""  # '
        + t("assessment.questionnaire.answered_by", "vi")
        + " / "
        + t("assessment.questionnaire.answered_by", "en"),
        "answered_on: null  # YYYY-MM-DD",
        "answers:",
    ]
    users = question_users(rulebook)
    for question in rulebook.questions:
        lines.append(f"  # [{question.type}] {question.prompt.vi}")
        lines.append(f"  #   {question.prompt.en}")
        if users.get(question.id):
            lines.append(f"  #   → {', '.join(users[question.id])}")
        body = _blank(question)
        lines.append(f"  {question.id}:" if body else f"  {question.id}: null")
        lines.extend(body)
    kpis = answerable_kpis(rulebook)
    lines.append("kpis:" if kpis else "kpis: {}")
    catalogue = kpi_catalogue()
    for name in kpis:
        definition = catalogue[name]
        lines.append(f"  # [{definition.unit}] {definition.label_vi} / {definition.label_en}")
        lines.append(f"  #   {definition.formula}")
        lines += [
            f"  {name}:",
            "    value: null",
            f"    unit: {_quote(definition.unit)}",
            "    reference: null",
            "    date: null",
        ]
    return "\n".join(lines) + "\n"


HELP_KINDS = ("null", "evidence", "firm_list", "link_list", "dates", "kpis")


# --------------------------------------------------------------------------- XLSX


def questionnaire_xlsx(rulebook: Rulebook, path: Path, park: ParkSnapshot | None = None) -> Path:
    """Write the blank questionnaire as an XLSX workbook (sheets info, answers, links, kpis, firms)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    info.append(["key", "value", "help"])
    info.append(["rulebook", rulebook.id, f"{rulebook.title.vi} / {rulebook.title.en}"])
    info.append(["park", park.park.id if park is not None else None, "mã KCN / park id"])
    info.append(
        [
            "answered_by",
            None,
            " / ".join(translate("assessment.questionnaire.answered_by", lang) for lang in ("vi", "en")),
        ]
    )
    info.append(["answered_on", None, "YYYY-MM-DD"])
    answers = workbook.create_sheet(ANSWERS_SHEET)
    answers.append(list(ANSWER_COLUMNS))
    users = question_users(rulebook)
    for question in rulebook.questions:
        answers.append(
            [
                question.id,
                question.type,
                ", ".join(users.get(question.id, [])),
                question.prompt.vi,
                question.prompt.en,
                question.unit,
            ]
            + [None] * 5
        )
    links = workbook.create_sheet(LINKS_SHEET)
    links.append(list(LINK_COLUMNS))
    kpis = workbook.create_sheet(KPIS_SHEET)
    kpis.append(list(KPI_COLUMNS))
    catalogue = kpi_catalogue()
    for name in answerable_kpis(rulebook):
        definition = catalogue[name]
        kpis.append([name, definition.unit, definition.label_vi, definition.label_en, None, None, None])
    firms = workbook.create_sheet(FIRMS_SHEET)
    firms.append(["firm_id", "name"])
    for firm in park.firms if park is not None else ():
        firms.append([firm.id, firm.name])
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        stripped = value.strip()
        return stripped or None
    return value


def _truth(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "có", "co", "x", "1"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "không", "khong", "0"):
        return False
    return value


def _sheet_rows(workbook: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    if name not in workbook.sheetnames:
        return []
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    found = []
    for number, row in enumerate(rows[1:], start=2):
        record = {header[i]: _cell(value) for i, value in enumerate(row) if i < len(header) and header[i]}
        if any(value is not None for value in record.values()):
            found.append((number, record))
    return found


def read_answers_xlsx(path: Path, rulebook: Rulebook, today: date | None = None) -> Answers:
    """Read a filled XLSX questionnaire (problems name the sheet's row).

    Raises
    ------
    AnswersError
        With every problem found.
    """
    return read_answers_file(path, rulebook, today)[0]


def read_answers_file(path: Path, rulebook: Rulebook, today: date | None = None) -> tuple[Answers, str]:
    """Read a filled questionnaire (``.yaml``/``.yml`` or ``.xlsx``) and the text to store.

    Returns
    -------
    tuple
        The validated answers and their YAML text (an XLSX workbook's contents as YAML).

    Raises
    ------
    AnswersError
        With every problem found.
    FileFormatError
        If the suffix is neither YAML nor XLSX.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        text = path.read_text(encoding="utf-8-sig")
        return parse_answers(text, rulebook, path.name, today), text
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            data, lines = _workbook_document(workbook, rulebook)
        finally:
            workbook.close()
        answers = validate_answers(LocatedDocument(data, lines, [], path.name), rulebook, today)
        return answers, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    raise FileFormatError("assessment.answers.format", file=str(path), suffix=suffix or "-")


def _workbook_document(workbook: Any, rulebook: Rulebook) -> tuple[dict[str, Any], dict[tuple[str | int, ...], int]]:
    data: dict[str, Any] = {}
    lines: dict[tuple[str | int, ...], int] = {}
    for number, row in _sheet_rows(workbook, INFO_SHEET):
        key = row.get("key")
        if key:
            data[str(key)] = row.get("value")
            lines[(str(key),)] = number
    types = {question.id: question.type for question in rulebook.questions}
    answers: dict[str, Any] = {}
    for number, row in _sheet_rows(workbook, ANSWERS_SHEET):
        question = str(row.get("question_id") or "")
        value = _answer_cell(types.get(question), row)
        lines[("answers", question)] = number
        if value is not None or question not in types:
            answers[question] = value
    links: dict[str, list[dict[str, Any]]] = {}
    for number, row in _sheet_rows(workbook, LINKS_SHEET):
        question = str(row.get("question_id") or "")
        items = links.setdefault(question, [])
        firms = [part.strip() for part in str(row.get("firms") or "").split(",") if part.strip()]
        lines[("answers", question, len(items))] = number
        lines.setdefault(("answers", question), number)
        items.append({k: v for k, v in {**row, "firms": firms}.items() if k != "question_id" and v is not None})
    answers.update(links)
    kpis: dict[str, Any] = {}
    for number, row in _sheet_rows(workbook, KPIS_SHEET):
        name = str(row.get("kpi") or "")
        lines[("kpis", name)] = number
        if row.get("value") is not None:
            kpis[name] = {k: row[k] for k in ("value", "unit", "reference", "date") if row.get(k) is not None}
    data["answers"] = answers
    data["kpis"] = kpis
    return data, lines


def _answer_cell(kind: str | None, row: dict[str, Any]) -> Any:
    if kind == "evidence":
        present = _truth(row.get("present"))
        if present is None and row.get("reference") is None:
            return None
        return {
            k: v
            for k, v in {
                "present": present,
                "reference": row.get("reference"),
                "date": row.get("date"),
                "note": row.get("note"),
            }.items()
            if v is not None
        }
    value = row.get("value")
    if value is None:
        return None
    if kind == "firm_list":
        return [part.strip() for part in str(value).split(",") if part.strip()]
    if kind == "boolean":
        return _truth(value)
    if kind == "number" and row.get("unit"):
        return {"value": value, "unit": row["unit"]}
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value
