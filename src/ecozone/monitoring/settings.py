"""Method settings of monitoring: a frozen pydantic model whose defaults come from ``parameters.csv``.

Every default is a row of ``parameters.csv`` with its unit, source, edition and status
(``verified`` only when read in the primary text); :func:`parameter_table` returns the rows so
that outputs can cite them.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from ecozone.errors import ReferenceDataError

PARAMETERS_FILE = "parameters.csv"
PARAMETER_COLUMNS = ("name", "value", "unit", "description", "source", "edition", "status")


@cache
def parameter_table() -> dict[str, dict[str, str]]:
    """Return the rows of ``parameters.csv`` by name (value as text, unit, source, edition, status)."""
    text = resources.files(__package__).joinpath(PARAMETERS_FILE).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    if not rows or any(column not in rows[0] for column in PARAMETER_COLUMNS):
        raise ReferenceDataError("monitoring.bad_parameters", file=PARAMETERS_FILE, columns=", ".join(PARAMETER_COLUMNS))
    return {row["name"]: row for row in rows}


def parameter(name: str) -> float:
    """Return the shipped value of the parameter ``name``.

    Raises
    ------
    ReferenceDataError
        If the file has no such row or its value is not a number.
    """
    row = parameter_table().get(name)
    if row is None:
        raise ReferenceDataError("monitoring.bad_parameter", name=name, file=PARAMETERS_FILE)
    try:
        return float(row["value"])
    except ValueError as exc:
        raise ReferenceDataError("monitoring.bad_parameter", name=name, file=PARAMETERS_FILE) from exc


def _default(name: str) -> float:
    return parameter(name)


def _int_default(name: str) -> int:
    return round(parameter(name))


class MonitoringSettings(BaseModel):
    """Thresholds of the detectors; each default is the row of the same name in ``parameters.csv``.

    Attributes
    ----------
    mad_consistency : float [-]
        MAD to standard deviation factor.
    z_threshold : float [-]
        Robust z-score above which an interval is flagged.
    persistence_k, persistence_n : int [intervals]
        k-of-n persistence for sub-daily meters; ``persistence_daily_k`` / ``_n`` for daily ones.
    min_history_days : float [d]
        History needed for profile-based detection.
    profile_weeks : int [wk]
        Most history used by the profile.
    temperature_band_width_c : float [°C]
        Width of a temperature band.
    cusum_k, cusum_h : float [sd]
        Tabular CUSUM allowance and decision interval; ``cusum_min_days`` [d] of window needed.
    stuck_min_hours : float [h]
        Shortest stuck run (sub-daily); ``stuck_min_readings_daily`` for daily meters.
    gap_min_hours, stale_after_hours : float [h]
        Shortest gap reported; missing tail that counts as a gap.
    jump_ratio : float [-]
        Multiple of the historical maximum that is impossible.
    clock_max_lag_hours, clock_error_ratio, clock_min_amplitude, clock_park_share
        Clock-shift search range [h], error ratio [-], profile amplitude [-] and the share of a
        park's meters [-] above which shifts become one park finding.
    closed_level, closed_min_range : float [-]
        Definition of closed hours from the profile.
    open_to_closed_rate : float [-]
        An excess is in closed hours when its open hours are flagged less than this share as
        often as its closed hours.
    merge_gap_hours : float [h]
        Events of a meter and family closer than this are merged.
    relative_scale_floor : float [-]
        Smallest residual scale relative to the expected value.
    scale_reference_share : float [-]
        Share of the typical level below which residuals are scaled as if at that share.
    cusum_clip : float [sd]
        Daily standardised totals are clipped to ± this before entering the CUSUM.
    severity_high_share, severity_medium_share : float [-]; severity_high_hours : float [h]
        Severity thresholds.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    mad_consistency: float = Field(default_factory=lambda: _default("mad_consistency"), gt=0)
    z_threshold: float = Field(default_factory=lambda: _default("z_threshold"), gt=0)
    persistence_k: int = Field(default_factory=lambda: _int_default("persistence_k"), ge=1)
    persistence_n: int = Field(default_factory=lambda: _int_default("persistence_n"), ge=1)
    persistence_daily_k: int = Field(default_factory=lambda: _int_default("persistence_daily_k"), ge=1)
    persistence_daily_n: int = Field(default_factory=lambda: _int_default("persistence_daily_n"), ge=1)
    min_history_days: float = Field(default_factory=lambda: _default("min_history_days"), ge=0)
    profile_weeks: int = Field(default_factory=lambda: _int_default("profile_weeks"), ge=1)
    temperature_band_width_c: float = Field(default_factory=lambda: _default("temperature_band_width_c"), gt=0)
    cusum_k: float = Field(default_factory=lambda: _default("cusum_k"), ge=0)
    cusum_h: float = Field(default_factory=lambda: _default("cusum_h"), gt=0)
    cusum_min_days: int = Field(default_factory=lambda: _int_default("cusum_min_days"), ge=1)
    stuck_min_hours: float = Field(default_factory=lambda: _default("stuck_min_hours"), gt=0)
    stuck_min_readings_daily: int = Field(default_factory=lambda: _int_default("stuck_min_readings_daily"), ge=2)
    gap_min_hours: float = Field(default_factory=lambda: _default("gap_min_hours"), gt=0)
    stale_after_hours: float = Field(default_factory=lambda: _default("stale_after_hours"), gt=0)
    jump_ratio: float = Field(default_factory=lambda: _default("jump_ratio"), gt=1)
    clock_max_lag_hours: int = Field(default_factory=lambda: _int_default("clock_max_lag_hours"), ge=1)
    clock_error_ratio: float = Field(default_factory=lambda: _default("clock_error_ratio"), gt=0, lt=1)
    clock_min_amplitude: float = Field(default_factory=lambda: _default("clock_min_amplitude"), ge=0)
    clock_park_share: float = Field(default_factory=lambda: _default("clock_park_share"), gt=0, le=1)
    closed_level: float = Field(default_factory=lambda: _default("closed_level"), ge=0, le=1)
    closed_min_range: float = Field(default_factory=lambda: _default("closed_min_range"), ge=0, le=1)
    open_to_closed_rate: float = Field(default_factory=lambda: _default("open_to_closed_rate"), ge=0, le=1)
    merge_gap_hours: float = Field(default_factory=lambda: _default("merge_gap_hours"), ge=0)
    relative_scale_floor: float = Field(default_factory=lambda: _default("relative_scale_floor"), ge=0)
    scale_reference_share: float = Field(default_factory=lambda: _default("scale_reference_share"), gt=0)
    cusum_clip: float = Field(default_factory=lambda: _default("cusum_clip"), gt=0)
    severity_high_share: float = Field(default_factory=lambda: _default("severity_high_share"), gt=0)
    severity_medium_share: float = Field(default_factory=lambda: _default("severity_medium_share"), gt=0)
    severity_high_hours: float = Field(default_factory=lambda: _default("severity_high_hours"), gt=0)

    def persistence(self, interval_minutes: int) -> tuple[int, int]:
        """Return (k, n) of the persistence rule for meters read every ``interval_minutes``."""
        if interval_minutes >= 1440:
            return self.persistence_daily_k, self.persistence_daily_n
        return self.persistence_k, self.persistence_n
