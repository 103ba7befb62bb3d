"""Words and numbers of a result document in Vietnamese or English (shared by the CLI and the reports)."""

from __future__ import annotations

from typing import Any

from ecozone.i18n import translate


def number(value: float | None, lang: str, decimals: int = 1) -> str:
    """``1234.5`` → ``1,234.5`` (en) or ``1.234,5`` (vi); None → ``–``."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    if decimals and text.endswith("0" * decimals):
        text = text[: -(decimals + 1)]
    if lang == "vi":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


def verdict(status: str, lang: str) -> str:
    """The verdict's label."""
    return translate(f"assessment.verdict.{status}", lang)


def text(value: dict[str, str] | None, lang: str) -> str:
    """A bilingual value of the document in ``lang``."""
    if not value:
        return ""
    return value.get(lang) or value.get("en") or ""


def comparison(outcome: dict[str, Any], lang: str) -> str:
    """``12 ≥ 10 %``, ``3 ≥ 1 links``, ``14 ≤ 12 months`` (empty when there is nothing to compare)."""
    threshold = outcome.get("threshold")
    operator = outcome.get("operator")
    if threshold is None or operator is None:
        return ""
    unit = outcome.get("unit") or ""
    operator_text = {">=": "≥", "<=": "≤"}.get(operator, operator)
    value = outcome.get("value")
    if outcome.get("kind") == "combination":
        return translate("assessment.text.parts_met", lang, met=number(value, lang, 0), needed=number(threshold, lang, 0))
    shown = "?" if value is None else number(value, lang)
    return f"{shown} {operator_text} {number(threshold, lang)} {unit}".rstrip()


def evidence_lines(outcome: dict[str, Any], lang: str) -> list[str]:
    """One line per piece of evidence of the outcome and its parts."""
    lines = []
    for item in outcome.get("evidence", []):
        parts = [item.get("reference"), item.get("date"), item.get("detail")]
        lines.append(" · ".join(str(part) for part in parts if part))
    for part in outcome.get("parts", []):
        lines.extend(evidence_lines(part, lang))
    return [line for line in lines if line]


def reason(outcome: dict[str, Any], lang: str) -> str:
    """Why the verdict is what it is, in words."""
    return translate(f"assessment.reason.{outcome.get('reason', '')}", lang)


def missing_text(requirement: dict[str, Any], lang: str) -> str:
    """The missing data of a requirement, in words."""
    return "; ".join(requirement.get("missing", []))
