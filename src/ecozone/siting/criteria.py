"""The criteria an investor can weigh, and how each is read from a park profile.

Each criterion is a benefit (more is better) or a cost (less is better) and reads one
profile field, except ``same_sector_firms`` (tenants in the investor's VSIC division,
from ``sectors_present``) and ``eip_status`` (1 for an eco-industrial park, else 0). A
value is missing when the field is unpublished or not available; for tenant-based
criteria it is also missing when the registry holds no tenant of the park (no data is
not the same as no firms).
"""

from __future__ import annotations

from dataclasses import dataclass

from ecozone.siting.profile import ParkProfile

BENEFIT = "benefit"
COST = "cost"


@dataclass(frozen=True)
class Criterion:
    """A ranking criterion.

    Attributes
    ----------
    name : str
        Criterion name, used as the key of investor weights and of its label
        ``siting.criterion.<name>``.
    field : str
        Profile field it reads.
    direction : str
        ``benefit`` or ``cost``.
    unit : str or None
        Unit of the value.
    """

    name: str
    field: str
    direction: str
    unit: str | None

    @property
    def is_benefit(self) -> bool:
        """Whether more is better."""
        return self.direction == BENEFIT


CRITERIA: tuple[Criterion, ...] = (
    Criterion("land_available_ha", "land_available_ha", BENEFIT, "ha"),
    Criterion("power_capacity_mw", "power_capacity_mw", BENEFIT, "MW"),
    Criterion("water_supply_capacity_m3_day", "water_supply_capacity_m3_day", BENEFIT, "m3/day"),
    Criterion("wastewater_capacity_m3_day", "wastewater_capacity_m3_day", BENEFIT, "m3/day"),
    Criterion("distance_seaport_km", "distance_seaport_km", COST, "km"),
    Criterion("distance_airport_km", "distance_airport_km", COST, "km"),
    Criterion("distance_border_gate_km", "distance_border_gate_km", COST, "km"),
    Criterion("distance_expressway_km", "distance_expressway_km", COST, "km"),
    Criterion("land_rent_vnd_m2", "land_rent_vnd_m2", COST, "VND/m2"),
    Criterion("workforce_catchment", "workforce_catchment", BENEFIT, "person"),
    Criterion("same_sector_firms", "sectors_present", BENEFIT, "firms"),
    Criterion("green_certified_firms_share_pct", "green_certified_firms_share_pct", BENEFIT, "%"),
    Criterion("eip_status", "eip_status", BENEFIT, None),
    Criterion("assessment_score", "assessment_score", BENEFIT, "%"),
    Criterion("renewable_share_pct", "renewable_share_pct", BENEFIT, "%"),
    Criterion("ghg_intensity", "ghg_intensity", COST, "tCO2e/ha"),
    Criterion("symbiosis_links", "symbiosis_links", BENEFIT, None),
)
CRITERION_NAMES = tuple(criterion.name for criterion in CRITERIA)
_BY_NAME = {criterion.name: criterion for criterion in CRITERIA}


def criterion(name: str) -> Criterion:
    """Return the criterion ``name`` (KeyError if unknown; callers validate names first)."""
    return _BY_NAME[name]


@dataclass(frozen=True)
class CriterionValue:
    """A park's value on one criterion.

    Attributes
    ----------
    value : float or None
        The value in the criterion's unit; None when missing.
    approximate : bool
        Whether the value rests on an approximation (e.g. a province point).
    """

    value: float | None
    approximate: bool = False


def criterion_value(item: Criterion, profile: ParkProfile, sector_division: str) -> CriterionValue:
    """Read a park's value on ``item``.

    Parameters
    ----------
    item : Criterion
        The criterion.
    profile : ParkProfile
        The (published) profile of the park.
    sector_division : str
        The investor's VSIC 2018 division (two digits).
    """
    field = profile.field(item.field)
    if field is None or field.value is None:
        return CriterionValue(None)
    if item.name == "same_sector_firms":
        return CriterionValue(float(dict(field.value).get(sector_division, 0)), field.approximate)
    if isinstance(field.value, bool):
        return CriterionValue(1.0 if field.value else 0.0, field.approximate)
    try:
        return CriterionValue(float(field.value), field.approximate)
    except (TypeError, ValueError):
        return CriterionValue(None)
