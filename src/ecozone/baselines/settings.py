"""Method settings of a baseline fit: a frozen pydantic model whose defaults are the prescribed method.

Every default comes from ``data/method_parameters.csv`` (CalTRACK 2.0 and ASHRAE Guideline 14
values with their sources; ecozone's own choices marked ``unverified``). Results computed
with other settings are no longer the standard method: say so when reporting them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ecozone.baselines.method_parameters import fahrenheit_to_celsius, parameter_value

Form = Literal["1P", "2P", "3PC", "3PH", "4P", "5P"]
Frequency = Literal["daily", "monthly", "hourly"]
Selection = Literal["adjusted_r2", "aic", "bic"]
UncertaintyMethod = Literal["g14", "sun_baltazar"]

FORMS: tuple[Form, ...] = ("1P", "2P", "3PC", "3PH", "4P", "5P")
FREQUENCIES: tuple[Frequency, ...] = ("daily", "monthly", "hourly")
TOWT_BIN_PARAMETERS = tuple(f"towt_bin_endpoint_{index}" for index in range(1, 7))


def _number(name: str) -> float:
    return parameter_value(name)


def _whole(name: str) -> int:
    return round(parameter_value(name))


def _towt_bins() -> tuple[float, ...]:
    return tuple(round(fahrenheit_to_celsius(parameter_value(name)), 4) for name in TOWT_BIN_PARAMETERS)


def _occupancy_balance_points() -> tuple[float, float]:
    return (
        round(fahrenheit_to_celsius(parameter_value("towt_occupancy_heating_base")), 4),
        round(fahrenheit_to_celsius(parameter_value("towt_occupancy_cooling_base")), 4),
    )


class BaselineSettings(BaseModel):
    """How baselines are fitted, checked and turned into savings.

    Attributes
    ----------
    forms : tuple of {"1P", "2P", "3PC", "3PH", "4P", "5P"}
        Candidate model forms: intercept only (plus drivers), linear in temperature, 3-parameter
        cooling and heating, 4-parameter (one change point, two slopes), 5-parameter (heating and
        cooling balance points with a dead band). CalTRACK 2.0 §3.4.3.1 uses 1P, 3PH, 3PC and
        5P; ASHRAE's inverse models add 2P and 4P.
    selection : {"adjusted_r2", "aic", "bic"}
        Model selection: highest adjusted R² (CalTRACK 2.0 §3.4.3.3) or lowest AIC/BIC.
    balance_point_step_c : float [°C]
        Grid step of the balance-point search over each meter's temperature range (at most
        3 °F, CalTRACK 2.0 §3.2.3).
    refine_balance_points : bool
        Search again around the best candidate on a grid five times finer (ecozone choice).
    min_segment_points_daily, min_segment_points_monthly : int
        Periods required on each side of a balance point (CalTRACK 2.0 §3.2.2.2.1 for days).
    min_degree_days_per_year_c : float [°C·d]
        Degree days required per year on each temperature segment (CalTRACK 2.0 §3.2.2.2.2).
    require_positive_slopes : bool
        Heating and cooling slopes must be positive (CalTRACK 2.0 §3.4.3.2).
    require_positive_intercept : bool
        The base load must be positive in models without extra drivers (CalTRACK 2.0 §3.4.3.2.3).
    min_baseline_days, min_baseline_months : int
        Shortest baseline period (CalTRACK 2.0 §2.2.1.1); shorter is a disqualification.
    min_coverage : float [-]
        Smallest share of baseline periods with data (CalTRACK 2.0 §2.2.1.2).
    plausible_temperature_c : (float, float) [°C]
        Mean temperatures outside this range are a unit error (°F declared as °C).
    significance_level : float [-]
        p-value above which a coefficient is reported as not significant.
    dead_band_significance_level : float [-]
        Level of the partial F test that a 5P's dead band must pass against the nested 4P
        when both forms are searched (ecozone convention; 1 switches the test off).
    confidence_levels : tuple of float [-]
        Confidence levels of the savings uncertainty (68 % and 90 %).
    autocorrelation_correction : bool
        Use the effective number of points n' = n (1 − ρ) / (1 + ρ) (ASHRAE Guideline 14).
    uncertainty_method : {"g14", "sun_baltazar"}
        The 1.26 factor of Guideline 14, or the Sun & Baltazar polynomial (CalTRACK 2.0 §4.3.2.4).
    extrapolation_margin : float [-]
        Share of the baseline temperature range beyond which reporting temperatures are an
        extrapolation (CalTRACK 2.0 §3.7.5.2).
    nre_z_threshold, nre_min_shift_fraction : float
        Smallest standardised size and smallest relative size of a step in residuals flagged
        as a non-routine event.
    nre_min_segment_daily, nre_min_segment_monthly, nre_max_events : int
        Shortest run of periods on each side of a step and most steps searched for.
    towt_bin_endpoints_c : tuple of float [°C]
        Temperature bin endpoints of the hourly model (30, 45, 55, 65, 75, 90 °F; CalTRACK §3.9.1.1).
    towt_min_bin_hours : int
        Bins with fewer hours are merged (CalTRACK §3.9.1.2).
    towt_occupancy_threshold : float [-]
        Share of under-predicted hours above which a time of week is occupied (CalTRACK §3.8.4).
    towt_occupancy_balance_points_c : (float, float) [°C]
        Heating and cooling balance points of the occupancy regression (50 and 65 °F; §3.8.3).
    enpi_r_squared_min : float [-]
        Smallest R² of a regression used to normalise an EnPI.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    forms: tuple[Form, ...] = FORMS
    selection: Selection = "adjusted_r2"
    balance_point_step_c: float = Field(default_factory=lambda: _number("balance_point_step"), gt=0)
    refine_balance_points: bool = True
    min_segment_points_daily: int = Field(default_factory=lambda: _whole("min_segment_points_daily"), ge=1)
    min_segment_points_monthly: int = Field(default_factory=lambda: _whole("min_segment_points_monthly"), ge=1)
    min_degree_days_per_year_c: float = Field(default_factory=lambda: _number("min_degree_days_per_year"), ge=0)
    require_positive_slopes: bool = True
    require_positive_intercept: bool = True
    min_baseline_days: int = Field(default_factory=lambda: _whole("min_baseline_days"), ge=1)
    min_baseline_months: int = Field(default_factory=lambda: _whole("min_baseline_months"), ge=1)
    min_coverage: float = Field(default_factory=lambda: _number("min_coverage"), ge=0, le=1)
    plausible_temperature_c: tuple[float, float] = Field(
        default_factory=lambda: (_number("plausible_temperature_min"), _number("plausible_temperature_max"))
    )
    significance_level: float = Field(default_factory=lambda: _number("significance_level"), gt=0, lt=1)
    dead_band_significance_level: float = Field(default_factory=lambda: _number("dead_band_significance_level"), gt=0, le=1)
    confidence_levels: tuple[float, ...] = (0.68, 0.90)
    autocorrelation_correction: bool = True
    uncertainty_method: UncertaintyMethod = "g14"
    extrapolation_margin: float = Field(default_factory=lambda: _number("extrapolation_margin"), ge=0)
    nre_z_threshold: float = Field(default_factory=lambda: _number("nre_z_threshold"), gt=0)
    nre_min_shift_fraction: float = Field(default_factory=lambda: _number("nre_min_shift_fraction"), ge=0)
    nre_min_segment_daily: int = Field(default_factory=lambda: _whole("nre_min_segment_daily"), ge=1)
    nre_min_segment_monthly: int = Field(default_factory=lambda: _whole("nre_min_segment_monthly"), ge=1)
    nre_max_events: int = Field(default_factory=lambda: _whole("nre_max_events"), ge=0)
    towt_bin_endpoints_c: tuple[float, ...] = Field(default_factory=_towt_bins)
    towt_min_bin_hours: int = Field(default_factory=lambda: _whole("towt_min_bin_hours"), ge=1)
    towt_occupancy_threshold: float = Field(default_factory=lambda: _number("towt_occupancy_threshold"), gt=0, lt=1)
    towt_occupancy_balance_points_c: tuple[float, float] = Field(default_factory=_occupancy_balance_points)
    enpi_r_squared_min: float = Field(default_factory=lambda: _number("enpi_r_squared_min"), ge=0, le=1)

    @field_validator("balance_point_step_c")
    @classmethod
    def _step_within_caltrack(cls, value: float) -> float:
        if value > parameter_value("max_balance_point_step"):
            raise ValueError(f"balance_point_step_c must be at most {parameter_value('max_balance_point_step')} °C")
        return value

    @field_validator("confidence_levels")
    @classmethod
    def _levels(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if not value or any(not 0 < level < 1 for level in value):
            raise ValueError("confidence levels must lie strictly between 0 and 1")
        return value

    @field_validator("forms")
    @classmethod
    def _forms(cls, value: tuple[Form, ...]) -> tuple[Form, ...]:
        if not value:
            raise ValueError("at least one model form is needed")
        return tuple(dict.fromkeys(value))

    @model_validator(mode="after")
    def _ranges(self) -> BaselineSettings:
        low, high = self.plausible_temperature_c
        if not low < high:
            raise ValueError("plausible_temperature_c must be (low, high) with low < high")
        if list(self.towt_bin_endpoints_c) != sorted(self.towt_bin_endpoints_c):
            raise ValueError("towt_bin_endpoints_c must increase")
        return self

    def min_segment_points(self, frequency: Frequency) -> int:
        """Periods required on each side of a balance point for ``frequency``."""
        return self.min_segment_points_monthly if frequency == "monthly" else self.min_segment_points_daily
