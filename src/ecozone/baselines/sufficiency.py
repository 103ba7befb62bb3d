"""Data-sufficiency checks of a baseline period, returned as findings.

- Length: at least 365 days (daily, hourly) or 12 months (monthly) — CalTRACK 2.0 §2.2.1.1.
- Coverage: at least 90 % of the periods of the baseline window have energy and
  temperature — CalTRACK 2.0 §2.2.1.2.
- Temperature range: when temperature forms were requested but no balance point
  qualified (too few points on a side of every candidate), the model falls back to the
  intercept-only or linear form and says so.
Both length and coverage failures are disqualifications: the model is still fitted, but
must not be used for compliance reporting.
"""

from __future__ import annotations

import numpy as np

from ecozone.baselines.findings import Finding
from ecozone.baselines.observations import MeterArrays, expected_periods
from ecozone.baselines.settings import BaselineSettings


def _span_findings(first: np.datetime64, last: np.datetime64, frequency: str, settings: BaselineSettings) -> list[Finding]:
    if frequency == "monthly":
        months = expected_periods(first, last, "monthly")
        if months < settings.min_baseline_months:
            data = {"months": months, "required": settings.min_baseline_months}
            return [Finding("baselines.sufficiency.short_baseline_months", "disqualification", data)]
        return []
    days = expected_periods(first, last, "daily")
    if days < settings.min_baseline_days:
        return [
            Finding(
                "baselines.sufficiency.short_baseline", "disqualification", {"days": days, "required": settings.min_baseline_days}
            )
        ]
    return []


def sufficiency_findings(
    arrays: MeterArrays, windows: dict[str, tuple[np.datetime64, np.datetime64]], settings: BaselineSettings
) -> dict[str, list[Finding]]:
    """Check the length and coverage of every meter's baseline.

    Parameters
    ----------
    arrays : MeterArrays
        Observations kept for fitting.
    windows : dict
        Per meter, the first and last period start of the baseline window.
    settings : BaselineSettings
        Thresholds.

    Returns
    -------
    dict
        Findings per meter id (meters without findings are absent).
    """
    found: dict[str, list[Finding]] = {}
    counts = arrays.counts
    for row, meter_id in enumerate(arrays.meter_ids):
        first, last = windows[meter_id]
        findings = _span_findings(first, last, arrays.frequency, settings)
        expected = expected_periods(first, last, arrays.frequency)
        coverage = float(counts[row]) / expected if expected > 0 else 0.0
        if coverage < settings.min_coverage:
            data = {
                "coverage_pct": round(100.0 * coverage, 1),
                "required_pct": round(100.0 * settings.min_coverage, 1),
                "periods": int(counts[row]),
                "expected": expected,
            }
            findings.append(Finding("baselines.sufficiency.low_coverage", "disqualification", data))
        if findings:
            found[meter_id] = findings
    return found


def narrow_range_finding(minimum_c: float, maximum_c: float, min_points: int) -> Finding:
    """The finding for a temperature range too narrow to place any balance point."""
    data = {"minimum": round(minimum_c, 2), "maximum": round(maximum_c, 2), "points": min_points}
    return Finding("baselines.sufficiency.narrow_temperature_range", "warning", data)
