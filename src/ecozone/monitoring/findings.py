"""Findings: limitations of the data or the method met while monitoring, as records.

A finding is not an alert: it says what could not be checked or what was assumed (short
history, a stopped temperature feed, duplicated readings, a park-wide clock change), with a
dotted code that is also its message key in ``messages_monitoring.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecozone.i18n import translate

SEVERITIES = ("info", "warning")


@dataclass(frozen=True)
class Finding:
    """One limitation reported by a monitoring run.

    Attributes
    ----------
    code : str
        Dotted code and message key, e.g. ``monitoring.finding.short_history``.
    severity : str
        ``info`` or ``warning``.
    meter_id : str or None
        The meter concerned, None for the park or the run.
    params : mapping
        Values behind the message (counts, times, thresholds).
    """

    code: str
    severity: str
    meter_id: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the finding's message in ``lang``."""
        return translate(self.code, lang, meter=self.meter_id or "", **self.params)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready record with both messages."""
        return {
            "code": self.code,
            "severity": self.severity,
            "meter_id": self.meter_id,
            "params": {key: str(value) for key, value in self.params.items()},
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
        }
