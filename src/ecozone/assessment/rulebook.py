"""Rulebooks: the requirements of a standard as plain, immutable data.

A rulebook is a YAML file (``rulebooks/<id>/rulebook.yaml``) validated against
``rulebook.schema.json`` and then by :mod:`ecozone.assessment.lint`. Each requirement keeps its
framework's own id, category and subcategory, prerequisite flag, metric, threshold and unit,
source and verification status, and exactly one check drawn from a fixed set of kinds:

==================  ===========================================================================
kind                meaning
==================  ===========================================================================
kpi_threshold       a KPI (registry, meters or questionnaire) compared with a threshold
share_of_firms      the share of the park's firms meeting a condition (certificate valid on the
                    assessment date, firm attribute, questionnaire list, symbiosis participation,
                    registered meter), optionally within a population (e.g. > 100 employees)
evidence            a questionnaire answer: present, with a document reference and a date no
                    older than a maximum age
count               a number of items (integer answer, or the length of a list answer)
combination         all / any / at least k of nested checks (three-valued logic)
park_certificate    the park itself holds a certificate valid on the assessment date
deadline            the days (working or calendar) between two answered dates, against a limit
==================  ===========================================================================

No executable code is read from YAML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from ecozone.assessment.errors import UnknownRulebookError

CheckKind = Literal["kpi_threshold", "share_of_firms", "evidence", "count", "combination", "park_certificate", "deadline"]
CHECK_KINDS: tuple[str, ...] = (
    "kpi_threshold",
    "share_of_firms",
    "evidence",
    "count",
    "combination",
    "park_certificate",
    "deadline",
)
QUESTION_TYPES: tuple[str, ...] = ("evidence", "boolean", "integer", "number", "date", "firm_list", "link_list", "text")
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
WORKING_DAYS = "working days"
CALENDAR_DAYS = "days"
RULEBOOK_FILE = "rulebook.yaml"


@dataclass(frozen=True)
class Bilingual:
    """A text in Vietnamese and English."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (English unless ``vi``)."""
        return self.vi if lang == "vi" else self.en

    @classmethod
    def of(cls, raw: dict[str, str] | None) -> Bilingual | None:
        """Build from ``{vi, en}`` (None stays None)."""
        return None if raw is None else cls(raw["vi"], raw["en"])


@dataclass(frozen=True)
class Threshold:
    """A threshold with its unit, source and verification status.

    Attributes
    ----------
    value : float
        The limit, in ``unit``.
    unit : str
        Unit of the value (``%`` for shares of firms, ``working days`` or ``days`` for deadlines).
    status : str
        ``verified`` only when read in the primary text, else ``unverified``.
    source : str
        Where the value comes from (document and article/section), or why it is a placeholder.
    note : Bilingual or None
        Explanation shown with the value.
    """

    value: float
    unit: str
    status: str
    source: str
    note: Bilingual | None = None


@dataclass(frozen=True)
class FirmCondition:
    """A condition on one firm (a small tree: ``any_of`` / ``all_of`` combine others).

    ``kind`` is one of ``certificate`` (``schemes``, optional ``levels``), ``attribute``
    (``attribute`` compared with ``value`` by ``operator``), ``answer`` (the firm is listed in
    the ``firm_list`` answer ``question``), ``symbiosis`` (the firm takes part in a link of the
    ``link_list`` answer ``question``), ``meter`` (the firm has a registered meter of one of
    ``carriers``), ``any_of`` and ``all_of`` (``parts``).
    """

    kind: str
    schemes: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    attribute: str | None = None
    operator: str | None = None
    value: float | None = None
    question: str | None = None
    carriers: tuple[str, ...] = ()
    parts: tuple[FirmCondition, ...] = ()


@dataclass(frozen=True)
class KpiThresholdCheck:
    """``kpi`` compared with ``threshold`` by ``operator``."""

    kpi: str
    operator: str
    threshold: Threshold
    kind: str = "kpi_threshold"


@dataclass(frozen=True)
class ShareOfFirmsCheck:
    """Share of the firms in ``population`` (all firms if None) meeting ``condition`` [%]."""

    condition: FirmCondition
    operator: str
    threshold: Threshold
    population: FirmCondition | None = None
    kind: str = "share_of_firms"


@dataclass(frozen=True)
class EvidenceCheck:
    """An evidence answer to ``question``, present, referenced and at most ``max_age`` old [months]."""

    question: str
    max_age: Threshold | None = None
    kind: str = "evidence"

    @property
    def max_age_months(self) -> float | None:
        """The maximum age of the document [months], if any."""
        return None if self.max_age is None else self.max_age.value


@dataclass(frozen=True)
class CountCheck:
    """The number of items answered to ``question`` compared with ``threshold``."""

    question: str
    operator: str
    threshold: Threshold
    kind: str = "count"


@dataclass(frozen=True)
class CombinationCheck:
    """``all``, ``any`` or ``at_least`` ``k`` of ``checks``."""

    mode: str
    checks: tuple[Check, ...]
    k: int | None = None
    kind: str = "combination"


@dataclass(frozen=True)
class ParkCertificateCheck:
    """The park holds a certificate of one of ``schemes`` (and ``levels``) on the assessment date."""

    schemes: tuple[str, ...]
    levels: tuple[str, ...] = ()
    kind: str = "park_certificate"


@dataclass(frozen=True)
class DeadlineCheck:
    """Days from the ``start`` answer to the ``end`` answer at most ``threshold`` (working or calendar days)."""

    start: str
    end: str
    threshold: Threshold
    kind: str = "deadline"

    @property
    def working_days(self) -> bool:
        """Whether the limit counts working days (Monday–Friday except public holidays)."""
        return self.threshold.unit == WORKING_DAYS


Check = (
    KpiThresholdCheck | ShareOfFirmsCheck | EvidenceCheck | CountCheck | CombinationCheck | ParkCertificateCheck | DeadlineCheck
)


@dataclass(frozen=True)
class AppliesWhen:
    """When a requirement applies: the park's type is one of ``park_types``, or ``question`` equals ``equals``."""

    park_types: tuple[str, ...] = ()
    question: str | None = None
    equals: bool | str | float | None = None


@dataclass(frozen=True)
class Source:
    """Where a requirement comes from."""

    document: str
    section: str | None = None
    url: str | None = None
    note: str | None = None

    def citation(self) -> str:
        """``document, section`` as one line."""
        return ", ".join(part for part in (self.document, self.section) if part)


@dataclass(frozen=True)
class FormField:
    """The reporting form row a requirement fills (e.g. form A.5, code ENV.1, section I)."""

    name: str
    code: str
    section: str
    label_vi: str | None = None


@dataclass(frozen=True)
class Question:
    """A questionnaire question: what only people know."""

    id: str
    type: str
    prompt: Bilingual
    help: Bilingual | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Requirement:
    """One requirement of a rulebook."""

    id: str
    category: str
    prerequisite: bool
    title: Bilingual
    metric: Bilingual
    check: Check
    source: Source
    status: str
    subcategory: str | None = None
    description: Bilingual | None = None
    applies_when: AppliesWhen | None = None
    sdg_targets: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    points: float | None = None
    form: FormField | None = None

    @property
    def threshold(self) -> Threshold | None:
        """The top-level threshold of the check (an evidence's maximum age; None for combinations)."""
        if isinstance(self.check, EvidenceCheck):
            return self.check.max_age
        return getattr(self.check, "threshold", None)


@dataclass(frozen=True)
class Subcategory:
    """A subcategory of a category."""

    id: str
    name: Bilingual


@dataclass(frozen=True)
class Category:
    """A category (scored separately) with its subcategories and optional weight [points]."""

    id: str
    name: Bilingual
    subcategories: tuple[Subcategory, ...] = ()
    weight: float | None = None


@dataclass(frozen=True)
class Framework:
    """The standard a rulebook encodes."""

    name: Bilingual
    edition: str
    publisher: str
    source: str


@dataclass(frozen=True)
class Rulebook:
    """A validated rulebook.

    Attributes
    ----------
    scoring : str
        ``share_met`` (share of applicable requirements met per category, as UNIDO scores parks
        against the International EIP Framework) or ``points`` (sum of the points of the
        requirements met, per category; an estimate, not a rating).
    sha256 : str
        Digest of the YAML text, stored with every result.
    """

    id: str
    version: str
    title: Bilingual
    framework: Framework
    scope: str
    scoring: str
    categories: tuple[Category, ...]
    questions: tuple[Question, ...]
    requirements: tuple[Requirement, ...]
    notes: Bilingual | None = None
    label: Bilingual | None = None
    scoring_description: Bilingual | None = None
    sha256: str = ""
    path: str = ""

    def question(self, question_id: str) -> Question:
        """The question ``question_id`` (KeyError if unknown)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def category(self, category_id: str) -> Category:
        """The category ``category_id`` (KeyError if unknown)."""
        return next(c for c in self.categories if c.id == category_id)

    def requirement(self, requirement_id: str) -> Requirement:
        """The requirement ``requirement_id`` (KeyError if unknown)."""
        for requirement in self.requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(requirement_id)

    def unverified_thresholds(self) -> list[tuple[Requirement, Threshold]]:
        """Every threshold (also inside combinations) whose status is ``unverified``."""
        found: list[tuple[Requirement, Threshold]] = []
        for requirement in self.requirements:
            found.extend(
                (requirement, threshold) for threshold in check_thresholds(requirement.check) if threshold.status != "verified"
            )
        return found

    def kpis(self) -> tuple[str, ...]:
        """KPIs named by the rulebook's checks, in order of appearance."""
        names: list[str] = []
        for requirement in self.requirements:
            for check in walk_checks(requirement.check):
                if isinstance(check, KpiThresholdCheck) and check.kpi not in names:
                    names.append(check.kpi)
        return tuple(names)


def walk_checks(check: Check) -> list[Check]:
    """``check`` and every check nested in it (depth first)."""
    found: list[Check] = [check]
    if isinstance(check, CombinationCheck):
        for part in check.checks:
            found.extend(walk_checks(part))
    return found


def check_thresholds(check: Check) -> list[Threshold]:
    """Every threshold in ``check`` and its nested checks (maximum ages of evidence included)."""
    found: list[Threshold] = []
    for part in walk_checks(check):
        if isinstance(part, EvidenceCheck):
            if part.max_age is not None:
                found.append(part.max_age)
        elif not isinstance(part, CombinationCheck | ParkCertificateCheck):
            found.append(part.threshold)
    return found


# --------------------------------------------------------------------------- parsing


def _threshold(raw: dict[str, Any]) -> Threshold:
    return Threshold(float(raw["value"]), str(raw["unit"]), raw["status"], raw["source"], Bilingual.of(raw.get("note")))


def firm_condition(raw: dict[str, Any]) -> FirmCondition:
    """Build a :class:`FirmCondition` from its (schema-valid) mapping."""
    (kind, body), *_ = raw.items()
    if kind == "certificate":
        return FirmCondition(kind, schemes=tuple(body["schemes"]), levels=tuple(body.get("levels", ())))
    if kind == "attribute":
        return FirmCondition(kind, attribute=body["name"], operator=body["operator"], value=float(body["value"]))
    if kind in ("answer", "symbiosis"):
        return FirmCondition(kind, question=str(body))
    if kind == "meter":
        return FirmCondition(kind, carriers=tuple(body["carriers"]))
    return FirmCondition(kind, parts=tuple(firm_condition(part) for part in body))


def build_check(raw: dict[str, Any]) -> Check:
    """Build a check from its (schema-valid) mapping."""
    kind = raw["kind"]
    if kind == "kpi_threshold":
        return KpiThresholdCheck(raw["kpi"], raw["operator"], _threshold(raw["threshold"]))
    if kind == "share_of_firms":
        population = raw.get("population")
        return ShareOfFirmsCheck(
            firm_condition(raw["condition"]),
            raw["operator"],
            _threshold(raw["threshold"]),
            None if population is None else firm_condition(population),
        )
    if kind == "evidence":
        max_age = raw.get("max_age")
        return EvidenceCheck(raw["question"], None if max_age is None else _threshold(max_age))
    if kind == "count":
        return CountCheck(raw["question"], raw["operator"], _threshold(raw["threshold"]))
    if kind == "combination":
        return CombinationCheck(raw["mode"], tuple(build_check(part) for part in raw["checks"]), raw.get("k"))
    if kind == "park_certificate":
        return ParkCertificateCheck(tuple(raw["schemes"]), tuple(raw.get("levels", ())))
    return DeadlineCheck(raw["start"], raw["end"], _threshold(raw["threshold"]))


def _applies_when(raw: dict[str, Any] | None) -> AppliesWhen | None:
    if raw is None:
        return None
    if "park_type" in raw:
        return AppliesWhen(park_types=tuple(raw["park_type"]))
    return AppliesWhen(question=raw["answer"]["question"], equals=raw["answer"]["equals"])


def _requirement(raw: dict[str, Any]) -> Requirement:
    source = raw["source"]
    form = raw.get("form")
    return Requirement(
        id=raw["id"],
        category=raw["category"],
        prerequisite=raw["prerequisite"],
        title=Bilingual(raw["title"]["vi"], raw["title"]["en"]),
        metric=Bilingual(raw["metric"]["vi"], raw["metric"]["en"]),
        check=build_check(raw["check"]),
        source=Source(source["document"], source.get("section"), source.get("url"), source.get("note")),
        status=raw["status"],
        subcategory=raw.get("subcategory"),
        description=Bilingual.of(raw.get("description")),
        applies_when=_applies_when(raw.get("applies_when")),
        sdg_targets=tuple(raw.get("sdg_targets", ())),
        measures=tuple(raw.get("measures", ())),
        points=raw.get("points"),
        form=None if form is None else FormField(form["name"], form["code"], form["section"], form.get("label_vi")),
    )


def build_rulebook(data: dict[str, Any], text: str = "", path: str = "") -> Rulebook:
    """Build a :class:`Rulebook` from a mapping that passed :func:`ecozone.assessment.lint.lint_document`."""
    framework = data["framework"]
    return Rulebook(
        id=data["id"],
        version=str(data["version"]),
        title=Bilingual(data["title"]["vi"], data["title"]["en"]),
        framework=Framework(
            Bilingual(framework["name"]["vi"], framework["name"]["en"]),
            str(framework["edition"]),
            framework["publisher"],
            framework["source"],
        ),
        scope=data["scope"],
        scoring=data["scoring"]["method"],
        scoring_description=Bilingual.of(data["scoring"].get("description")),
        categories=tuple(
            Category(
                c["id"],
                Bilingual(c["name"]["vi"], c["name"]["en"]),
                tuple(Subcategory(s["id"], Bilingual(s["name"]["vi"], s["name"]["en"])) for s in c.get("subcategories", ())),
                c.get("weight"),
            )
            for c in data["categories"]
        ),
        questions=tuple(
            Question(
                q["id"], q["type"], Bilingual(q["prompt"]["vi"], q["prompt"]["en"]), Bilingual.of(q.get("help")), q.get("unit")
            )
            for q in data.get("questions", ())
        ),
        requirements=tuple(_requirement(r) for r in data["requirements"]),
        notes=Bilingual.of(data.get("notes")),
        label=Bilingual.of(data.get("label")),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest() if text else "",
        path=path,
    )


# --------------------------------------------------------------------------- shipped rulebooks


def shipped_rulebook_ids() -> tuple[str, ...]:
    """Identifiers of the rulebooks shipped in ``ecozone/assessment/rulebooks``."""
    folder = resources.files("ecozone.assessment").joinpath("rulebooks")
    return tuple(sorted(entry.name for entry in folder.iterdir() if entry.is_dir() and entry.joinpath(RULEBOOK_FILE).is_file()))


def rulebook_text(rulebook_id: str) -> tuple[str, str]:
    """The YAML text of a shipped rulebook and its path label.

    Raises
    ------
    UnknownRulebookError
        If no shipped rulebook has this id.
    """
    if rulebook_id not in shipped_rulebook_ids():
        raise UnknownRulebookError("assessment.rulebook.unknown", rulebook=rulebook_id, known=", ".join(shipped_rulebook_ids()))
    entry = resources.files("ecozone.assessment").joinpath("rulebooks").joinpath(rulebook_id).joinpath(RULEBOOK_FILE)
    return entry.read_text(encoding="utf-8"), f"rulebooks/{rulebook_id}/{RULEBOOK_FILE}"


@cache
def load_rulebook(rulebook_id: str) -> Rulebook:
    """Load, validate and return a shipped rulebook.

    Raises
    ------
    UnknownRulebookError
        If no shipped rulebook has this id.
    RulebookError
        If the shipped file is invalid (a test keeps this from happening).
    """
    from ecozone.assessment.lint import parse_rulebook

    text, label = rulebook_text(rulebook_id)
    return parse_rulebook(text, label)


def load_rulebook_file(path: Path) -> Rulebook:
    """Load and validate a user's rulebook file (raises :class:`~ecozone.assessment.errors.RulebookError`)."""
    from ecozone.assessment.lint import parse_rulebook

    return parse_rulebook(path.read_text(encoding="utf-8"), str(path))
