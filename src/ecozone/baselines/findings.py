"""Findings: structured records of what the checks found (not strings).

A finding has a dotted ``code`` (also its message key in ``messages_baselines.yaml``), a
``severity`` (``info``, ``warning`` or ``disqualification``) and the ``data`` behind it;
its Vietnamese and English messages are rendered from the catalogue with that data. A
disqualification means the result must not be used for compliance reporting; where the
problem makes a model meaningless no model is produced at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ecozone.i18n import translate

Severity = Literal["info", "warning", "disqualification"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "disqualification")


@dataclass(frozen=True)
class Finding:
    """One result of a check.

    Attributes
    ----------
    code : str
        Dotted code, e.g. ``baselines.sufficiency.short_baseline``.
    severity : {"info", "warning", "disqualification"}
        How much it matters.
    data : mapping
        The values behind the finding (JSON-compatible scalars).
    """

    code: str
    severity: Severity
    data: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (``vi`` or ``en``)."""
        return translate(self.code, lang, **dict(self.data))

    @property
    def message_vi(self) -> str:
        """The Vietnamese message."""
        return self.message("vi")

    @property
    def message_en(self) -> str:
        """The English message."""
        return self.message("en")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-compatible dictionary (code, severity, data and both messages)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "data": dict(self.data),
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Finding:
        """Rebuild a finding from :meth:`to_dict` output (messages are re-rendered)."""
        severity = document["severity"]
        if severity not in SEVERITIES:
            raise ValueError(str(severity))
        return cls(str(document["code"]), severity, dict(document.get("data", {})))


def is_disqualified(findings: Iterable[Finding]) -> bool:
    """Whether any finding is a disqualification."""
    return any(finding.severity == "disqualification" for finding in findings)


def codes(findings: Iterable[Finding]) -> list[str]:
    """Return the codes of ``findings`` in order."""
    return [finding.code for finding in findings]
