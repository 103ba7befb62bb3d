"""Hard constraints: whether a park can give the investor what it needs at all.

Each check compares what the investor requires with what the park's (published) profile
offers and ends ``met``, ``failed`` or ``unknown`` (the park's data cannot tell). A park
with a failed binding check is excluded, with the reasons; a park with an unknown check is
kept but marked unconfirmed (or excluded when the investor asks so). Two checks are
advisory and never exclude: the renewable-share target (a park's current share says
little about what a new tenant can contract, e.g. through a DPPA) and the workforce.

A value resting on an approximation (a distance measured from the province's point for a
park without coordinates) decides a check only when its whole uncertainty interval lies on
one side of the limit; otherwise the check is unknown.

Power is checked against the park's spare capacity when an engine supplied it
(``power_available_mw``), else against its grid connection capacity, an upper bound that
the check's note names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ecozone.siting.investor import InvestorProfile
from ecozone.siting.profile import ParkProfile, ProfileField

MET = "met"
FAILED = "failed"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConstraintCheck:
    """One requirement checked against one park.

    Attributes
    ----------
    name : str
        Check name (label key ``siting.check.<name>``).
    outcome : str
        ``met``, ``failed`` or ``unknown``.
    required : object
        What the investor asked for.
    offered : object
        What the park's profile says (None when unknown).
    unit : str or None
        Unit of ``required`` and ``offered``.
    binding : bool
        Whether a failure excludes the park.
    approximate : bool
        Whether ``offered`` rests on an approximation.
    note : str or None
        Message key of a remark (e.g. capacity used instead of spare capacity).
    uncertainty : float or None
        For an approximate ``offered``, the most the true value can differ from it.
    """

    name: str
    outcome: str
    required: object
    offered: object
    unit: str | None
    binding: bool = True
    approximate: bool = False
    note: str | None = None
    uncertainty: float | None = None


def _bounds(item: ProfileField) -> tuple[float, float, float]:
    """Return (value, lowest possible, highest possible) of a numeric field."""
    value = float(item.value)
    spread = (item.uncertainty or 0.0) if item.approximate else 0.0
    return value, value - spread, value + spread


def _compare(
    name: str, required: float, item: ProfileField | None, unit: str, *, at_least: bool, note: str | None = None
) -> ConstraintCheck:
    """Check ``offered >= required`` (``at_least``) or ``offered <= required``.

    An approximate value with a known uncertainty decides only when the whole interval
    ``value ± uncertainty`` is on one side; otherwise the outcome is unknown.
    """
    if item is None or item.value is None:
        return ConstraintCheck(name, UNKNOWN, required, None, unit, note=note)
    value, low, high = _bounds(item)
    if at_least:
        surely_met, surely_failed = low >= required, high < required
    else:
        surely_met, surely_failed = high <= required, low > required
    if item.approximate and item.uncertainty is None:
        surely_met = surely_failed = False
    outcome = MET if surely_met else FAILED if surely_failed else UNKNOWN
    uncertainty = item.uncertainty if item.approximate else None
    return ConstraintCheck(name, outcome, required, value, unit, approximate=item.approximate, note=note, uncertainty=uncertainty)


def _at_least(
    name: str, required: float, profile: ParkProfile, field: str, unit: str, note: str | None = None
) -> ConstraintCheck:
    return _compare(name, required, profile.field(field), unit, at_least=True, note=note)


def _at_most(name: str, limit: float, profile: ParkProfile, field: str, unit: str) -> ConstraintCheck:
    return _compare(name, limit, profile.field(field), unit, at_least=False)


def _power(investor: InvestorProfile, profile: ParkProfile) -> ConstraintCheck:
    assert investor.power_mw is not None
    if profile.value("power_available_mw") is not None:
        return _at_least("power", investor.power_mw, profile, "power_available_mw", "MW")
    return _at_least("power", investor.power_mw, profile, "power_capacity_mw", "MW", "siting.check.note.capacity_not_spare")


def _certifications(investor: InvestorProfile, profile: ParkProfile) -> ConstraintCheck:
    required = ", ".join(investor.required_park_certifications)
    item = profile.field("park_certifications")
    if item is None or item.value is None:
        return ConstraintCheck("park_certifications", UNKNOWN, required, None, None)
    held = {str(entry).split(":", 1)[0] for entry in item.value}
    missing = [scheme for scheme in investor.required_park_certifications if scheme not in held]
    offered = ", ".join(sorted(held)) or "-"
    return ConstraintCheck("park_certifications", FAILED if missing else MET, required, offered, None)


def _eip(profile: ParkProfile) -> ConstraintCheck:
    value = profile.value("eip_status")
    if value is None:
        return ConstraintCheck("eip_status", UNKNOWN, True, None, None)
    return ConstraintCheck("eip_status", MET if value else FAILED, True, bool(value), None)


def _renewable(investor: InvestorProfile, profile: ParkProfile) -> ConstraintCheck:
    assert investor.renewable_share_target_pct is not None
    check = _at_least("renewable_share", investor.renewable_share_target_pct, profile, "renewable_share_pct", "%")
    note = "siting.check.note.dppa" if profile.value("dppa_eligible") else "siting.check.note.renewable_advisory"
    return ConstraintCheck(
        check.name, check.outcome, check.required, check.offered, "%", False, check.approximate, note, check.uncertainty
    )


def check_park(investor: InvestorProfile, profile: ParkProfile) -> tuple[ConstraintCheck, ...]:
    """Check every requirement the investor stated against one park's profile.

    Returns
    -------
    tuple of ConstraintCheck
        Only the requirements the investor stated, binding ones first.
    """
    checks = [_at_least("land", investor.land_ha, profile, "land_available_ha", "ha")]
    if investor.power_mw is not None:
        checks.append(_power(investor, profile))
    if investor.water_m3_day is not None:
        checks.append(_at_least("water", investor.water_m3_day, profile, "water_supply_capacity_m3_day", "m3/day"))
    if investor.wastewater_m3_day is not None:
        checks.append(_at_least("wastewater", investor.wastewater_m3_day, profile, "wastewater_capacity_m3_day", "m3/day"))
    for limit, field, name in (
        (investor.max_km_to_seaport, "distance_seaport_km", "seaport"),
        (investor.max_km_to_airport, "distance_airport_km", "airport"),
        (investor.max_km_to_border_gate, "distance_border_gate_km", "border_gate"),
        (investor.max_km_to_expressway, "distance_expressway_km", "expressway"),
    ):
        if limit is not None:
            checks.append(_at_most(name, limit, profile, field, "km"))
    if investor.land_rent_budget_vnd_m2 is not None:
        checks.append(_at_most("land_rent", investor.land_rent_budget_vnd_m2, profile, "land_rent_vnd_m2", "VND/m2"))
    if investor.required_park_certifications:
        checks.append(_certifications(investor, profile))
    if investor.require_eip:
        checks.append(_eip(profile))
    if investor.renewable_share_target_pct is not None:
        checks.append(_renewable(investor, profile))
    if investor.workforce is not None:
        workforce = _at_least("workforce", investor.workforce, profile, "workforce_catchment", "person")
        checks.append(ConstraintCheck(workforce.name, workforce.outcome, workforce.required, workforce.offered, "person", False))
    return tuple(checks)


def park_status(checks: tuple[ConstraintCheck, ...], exclude_when_unknown: bool = False) -> str:
    """Return ``excluded``, ``unconfirmed`` or ``met`` from a park's checks (binding ones only)."""
    binding = [check for check in checks if check.binding]
    if any(check.outcome == FAILED for check in binding):
        return "excluded"
    if any(check.outcome == UNKNOWN for check in binding):
        return "excluded" if exclude_when_unknown else "unconfirmed"
    return MET
