"""What an evaluated check says: the verdict, the values, the firms, the evidence, what is missing.

Every check yields an :class:`Outcome` with a status (``met``, ``not_met``,
``not_enough_data``, ``not_applicable``), a reason code, the value compared with the
threshold, the firms behind a share, the evidence behind an answer and, for "not enough data",
exactly which data are missing (:class:`Missing`). Findings are records, not strings: a
dotted code, a severity, the message in Vietnamese and English and the data behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from ecozone.i18n import translate

Status = Literal["met", "not_met", "not_enough_data", "not_applicable"]
STATUSES: tuple[Status, ...] = ("met", "not_met", "not_enough_data", "not_applicable")
MET: Status = "met"
NOT_MET: Status = "not_met"
NOT_ENOUGH_DATA: Status = "not_enough_data"
NOT_APPLICABLE: Status = "not_applicable"
SEVERITIES = ("info", "warning", "disqualification")


@dataclass(frozen=True)
class Missing:
    """A datum the verdict needs and does not have.

    Attributes
    ----------
    source : str
        Where it should come from: ``registry`` (a park or firm field), ``answers`` (a
        questionnaire answer), ``kpi`` (a KPI value from meters, GHG or the questionnaire).
    datum : str
        Its name: ``park.green_area_ha``, ``firm.demo-f03.employees``, ``answers.PM-SV-1``,
        ``answers.PM-SV-1.date``, ``kpi.renewable_energy_share_pct``, ``park.firms``.
    """

    source: str
    datum: str

    def message(self, lang: str) -> str:
        """How to provide it, in ``lang``."""
        return translate(f"assessment.missing.{self.source}", lang, datum=self.datum)


@dataclass(frozen=True)
class EvidenceItem:
    """A document, answer or registry record behind a verdict."""

    label: str
    reference: str | None = None
    date: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class Outcome:
    """The result of one check (nested checks of a combination in ``parts``).

    Attributes
    ----------
    value : float or None
        The value compared with the threshold [unit] (a share [%], a count, a KPI, days).
    threshold : float or None
        The limit [unit].
    firms_meeting, firms_not_meeting, firms_unknown : tuple of str
        For shares of firms: the firms of the population meeting the condition, not meeting
        it, and those whose membership or condition is unknown.
    detail : dict
        Kind-specific numbers (population size, firms needed to reach the threshold, ...).
    """

    kind: str
    status: Status
    reason: str
    value: float | None = None
    unit: str | None = None
    operator: str | None = None
    threshold: float | None = None
    firms_meeting: tuple[str, ...] = ()
    firms_not_meeting: tuple[str, ...] = ()
    firms_unknown: tuple[str, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    missing: tuple[Missing, ...] = ()
    parts: tuple[Outcome, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    def all_missing(self) -> tuple[Missing, ...]:
        """Missing data behind a "not enough data" verdict (its own and its parts'), without repeats."""
        if self.status != "not_enough_data":
            return ()
        found = list(self.missing)
        for part in self.parts:
            found.extend(part.all_missing())
        return tuple(dict.fromkeys(found))

    def all_evidence(self) -> tuple[EvidenceItem, ...]:
        """Evidence of this outcome and its parts."""
        found = list(self.evidence)
        for part in self.parts:
            found.extend(part.all_evidence())
        return tuple(found)


@dataclass(frozen=True)
class Finding:
    """A finding: a dotted code, a severity, a message in both languages and its data."""

    code: str
    severity: str
    message_vi: str
    message_en: str
    requirement_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        """The message in ``lang``."""
        return self.message_vi if lang == "vi" else self.message_en

    @classmethod
    def make(cls, code: str, severity: str, requirement_id: str | None = None, **data: Any) -> Finding:
        """A finding whose messages come from the catalogue key ``code``."""
        return cls(code, severity, translate(code, "vi", **data), translate(code, "en", **data), requirement_id, data)


@dataclass(frozen=True)
class RequirementResult:
    """A requirement's verdict with the outcome behind it and its findings."""

    requirement_id: str
    category: str
    prerequisite: bool
    outcome: Outcome
    findings: tuple[Finding, ...] = ()

    @property
    def status(self) -> Status:
        """The verdict."""
        return self.outcome.status
