"""A park's profile for investors: registry facts, logistics, capacities, sectors and certificates.

:func:`build_park_profile` assembles every field it can from a registry snapshot, the
shipped logistics nodes and, when given, results of other engines passed as plain values
(assessment score, GHG intensity, renewable share, symbiosis links, land rent, ...). Each
:class:`ProfileField` says where its value came from and when; a field without data keeps
its place with the value None ("not available"), so that missing is never read as zero.

What a park shows to investors is :meth:`ParkProfile.only` of the fields it chose to
publish (stored by :mod:`ecozone.store.siting_store`); the other fields are left out of the
published profile altogether.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ecozone.errors import ReferenceDataError
from ecozone.siting.errors import UnknownProfileFieldError
from ecozone.siting.logistics import NODES_FILE, NearestNode, ParkLocation, logistics_nodes, nearest_node, park_location
from ecozone.store.snapshot import ParkSnapshot

REGISTRY = "registry"
DERIVED = "derived"
ENGINE = "engine"
REFERENCE = "reference"

GREEN_FIRM_SCHEMES = ("iso_14001", "iso_50001", "eco_enterprise", "leed", "green_mark", "edge", "lotus")
"""Certificates that make a tenant count as 'green certified' in ``green_certified_firms_share_pct``."""


@dataclass(frozen=True)
class FieldSpec:
    """A profile field: its name, unit and where its value comes from.

    Attributes
    ----------
    name : str
        Field name (also the key of its label ``siting.field.<name>``).
    unit : str or None
        Unit of the value, None for text, lists and flags.
    origin : str
        ``registry`` (a park attribute), ``derived`` (computed from the registry),
        ``reference`` (computed with shipped reference data) or ``engine`` (passed in from
        another engine's results).
    """

    name: str
    unit: str | None
    origin: str


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("park_type", None, REGISTRY),
    FieldSpec("development_status", None, REGISTRY),
    FieldSpec("year_established", None, REGISTRY),
    FieldSpec("latitude", "degree", REGISTRY),
    FieldSpec("longitude", "degree", REGISTRY),
    FieldSpec("distance_seaport_km", "km", REFERENCE),
    FieldSpec("distance_airport_km", "km", REFERENCE),
    FieldSpec("distance_border_gate_km", "km", REFERENCE),
    FieldSpec("distance_expressway_km", "km", REFERENCE),
    FieldSpec("total_area_ha", "ha", REGISTRY),
    FieldSpec("industrial_land_ha", "ha", REGISTRY),
    FieldSpec("leased_land_ha", "ha", REGISTRY),
    FieldSpec("land_available_ha", "ha", DERIVED),
    FieldSpec("occupancy_pct", "%", DERIVED),
    FieldSpec("land_rent_vnd_m2", "VND/m2", ENGINE),
    FieldSpec("power_capacity_mw", "MW", REGISTRY),
    FieldSpec("power_available_mw", "MW", ENGINE),
    FieldSpec("voltage_levels", None, DERIVED),
    FieldSpec("onsite_renewable_mw", "MW", ENGINE),
    FieldSpec("dppa_eligible", None, ENGINE),
    FieldSpec("water_supply_capacity_m3_day", "m3/day", REGISTRY),
    FieldSpec("wastewater_capacity_m3_day", "m3/day", REGISTRY),
    FieldSpec("employees_in_park", "person", DERIVED),
    FieldSpec("workforce_catchment", "person", ENGINE),
    FieldSpec("firms_count", None, DERIVED),
    FieldSpec("sectors_present", None, DERIVED),
    FieldSpec("park_certifications", None, DERIVED),
    FieldSpec("firm_certifications", None, DERIVED),
    FieldSpec("green_certified_firms_share_pct", "%", DERIVED),
    FieldSpec("eip_status", None, DERIVED),
    FieldSpec("assessment_score", "%", ENGINE),
    FieldSpec("ghg_intensity", "tCO2e/ha", ENGINE),
    FieldSpec("renewable_share_pct", "%", ENGINE),
    FieldSpec("symbiosis_links", None, ENGINE),
)
FIELD_NAMES = tuple(spec.name for spec in FIELD_SPECS)
ENGINE_FIELDS = tuple(spec.name for spec in FIELD_SPECS if spec.origin == ENGINE)
_SPECS = {spec.name: spec for spec in FIELD_SPECS}


def field_spec(name: str) -> FieldSpec:
    """Return the spec of field ``name``.

    Raises
    ------
    UnknownProfileFieldError
        If ecozone has no such profile field.
    """
    if name not in _SPECS:
        raise UnknownProfileFieldError("siting.profile.unknown_field", name=name, known=", ".join(FIELD_NAMES))
    return _SPECS[name]


def check_field_names(names: Iterable[str]) -> tuple[str, ...]:
    """Return ``names`` in profile order, failing on the first unknown one."""
    wanted = set(names)
    for name in sorted(wanted):
        field_spec(name)
    return tuple(name for name in FIELD_NAMES if name in wanted)


@dataclass(frozen=True)
class ProfileField:
    """One published fact about a park, with its provenance.

    Attributes
    ----------
    name : str
        Field name (see :data:`FIELD_SPECS`).
    value : Any
        Number, text, flag, tuple or mapping; None when not available.
    unit : str or None
        Unit of ``value``.
    source : str
        Where the value came from (registry record and its source, computation, engine).
    as_of : str or None
        When the value was recorded or computed (ISO date), None when unknown.
    approximate : bool
        True when the value rests on an approximation (e.g. a province point for a park
        without coordinates).
    note : str or None
        Free remark, e.g. the name of the nearest port.
    uncertainty : float or None
        For an approximate number, the most the true value can differ from it, in the
        field's unit (for distances from a province point: the province's extent [km]).
    """

    name: str
    value: Any
    unit: str | None
    source: str
    as_of: str | None
    approximate: bool = False
    note: str | None = None
    uncertainty: float | None = None

    @property
    def available(self) -> bool:
        """Whether the field has a value."""
        return self.value is not None

    def as_dict(self) -> dict[str, Any]:
        """Return the field as JSON-ready data."""
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {
            "value": value,
            "available": self.available,
            "unit": self.unit,
            "source": self.source,
            "as_of": self.as_of,
            "approximate": self.approximate,
            "uncertainty": self.uncertainty,
            "note": self.note,
        }


@dataclass(frozen=True)
class ParkProfile:
    """What is known (or published) about one park.

    Attributes
    ----------
    park_id : str
        Registry identifier.
    name_vi : str
        Vietnamese name.
    name_en : str or None
        English name.
    province_new_code : str
        Province (2025 layout).
    is_synthetic : bool
        True for generated demonstration data; always shown.
    fields : tuple of ProfileField
        The fields, in :data:`FIELD_SPECS` order.
    """

    park_id: str
    name_vi: str
    name_en: str | None
    province_new_code: str
    is_synthetic: bool
    fields: tuple[ProfileField, ...]

    def name(self, lang: str) -> str:
        """Return the park's name in ``lang`` (English falls back to Vietnamese)."""
        return self.name_vi if lang.startswith("vi") or not self.name_en else self.name_en

    def field(self, name: str) -> ProfileField | None:
        """Return the field ``name``, or None when the profile does not hold it."""
        return next((item for item in self.fields if item.name == name), None)

    def value(self, name: str) -> Any:
        """Return the value of ``name``; None when absent or not available."""
        item = self.field(name)
        return None if item is None else item.value

    def only(self, names: Iterable[str]) -> ParkProfile:
        """Return the profile restricted to the fields ``names`` (the published view)."""
        kept = set(check_field_names(names))
        return replace(self, fields=tuple(item for item in self.fields if item.name in kept))

    def as_dict(self) -> dict[str, Any]:
        """Return the profile as JSON-ready data."""
        return {
            "park_id": self.park_id,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "province_new_code": self.province_new_code,
            "is_synthetic": self.is_synthetic,
            "fields": {item.name: item.as_dict() for item in self.fields},
        }


def _registry_source(snapshot: ParkSnapshot) -> str:
    recorded = snapshot.park.source or "no source recorded"
    return f"registry: park '{snapshot.park.id}' ({recorded})"


def _nodes_edition(kind: str) -> str:
    editions = sorted({node.edition for node in logistics_nodes() if node.kind == kind})
    return ", ".join(editions)


def _distance_field(name: str, nearest: NearestNode, location: ParkLocation) -> ProfileField:
    node = nearest.node
    if location.approximate:
        where = (
            f"a representative point of the province ({location.basis[-4:]} layout; park within {location.uncertainty_km:.0f} km)"
        )
    else:
        where = "the park coordinates"
    source = (
        f"great-circle distance from {where} to the nearest {nearest.kind.replace('_', ' ')} in "
        f"ecozone/siting/data/{NODES_FILE} (row '{node.id}': {node.source}, {node.status}; {node.note or 'coordinates as given'})"
    )
    return ProfileField(
        name,
        round(nearest.distance_km, 1),
        "km",
        source,
        _nodes_edition(nearest.kind).removeprefix("compiled "),
        location.approximate,
        f"{node.name_vi} / {node.name_en}",
        round(location.uncertainty_km, 1) if location.approximate else None,
    )


def _logistics_fields(snapshot: ParkSnapshot, registry: str, as_of: str | None) -> list[ProfileField]:
    location = park_location(snapshot.park)
    approximate = location.approximate
    basis_note = None
    if approximate:
        layout, extent = location.basis[-4:], location.uncertainty_km
        basis_note = f"no park coordinates: representative point of the province ({layout}), park within {extent:.0f} km"
    coordinate_source = registry if not approximate else "ecozone.provinces.centroids (geoBoundaries, CC BY 4.0)"
    fields = [
        ProfileField("latitude", round(location.latitude, 4), "degree", coordinate_source, as_of, approximate, basis_note),
        ProfileField("longitude", round(location.longitude, 4), "degree", coordinate_source, as_of, approximate, basis_note),
    ]
    for kind, name in (
        ("seaport", "distance_seaport_km"),
        ("airport", "distance_airport_km"),
        ("border_gate", "distance_border_gate_km"),
        ("expressway_junction", "distance_expressway_km"),
    ):
        fields.append(_distance_field(name, nearest_node(location.latitude, location.longitude, kind), location))
    return fields


def _land_fields(snapshot: ParkSnapshot, registry: str, as_of: str | None) -> list[ProfileField]:
    park = snapshot.park
    available = None
    if park.industrial_land_ha is not None and park.leased_land_ha is not None:
        available = round(max(0.0, park.industrial_land_ha - park.leased_land_ha), 2)
    occupancy = None if park.occupancy_pct is None else round(park.occupancy_pct, 1)
    derived = f"industrial land minus leased land ({registry})"
    return [
        ProfileField("total_area_ha", park.total_area_ha, "ha", registry, as_of),
        ProfileField("industrial_land_ha", park.industrial_land_ha, "ha", registry, as_of),
        ProfileField("leased_land_ha", park.leased_land_ha, "ha", registry, as_of),
        ProfileField("land_available_ha", available, "ha", derived, as_of),
        ProfileField("occupancy_pct", occupancy, "%", f"leased land / industrial land ({registry})", as_of),
    ]


def _tenant_fields(snapshot: ParkSnapshot, registry: str, as_of: str | None, day: date) -> dict[str, ProfileField]:
    firms = snapshot.firms
    firm_ids = {firm.id for firm in firms}
    employees = [firm.employees for firm in firms if firm.employees is not None]
    sectors = Counter(firm.vsic_code[:2] for firm in firms)
    valid = [cert for cert in snapshot.certifications if cert.is_valid_on(day)]
    park_certs = tuple(
        sorted({cert.scheme if not cert.level else f"{cert.scheme}:{cert.level}" for cert in valid if cert.holder_kind == "park"})
    )
    holders: dict[str, set[str]] = {}
    for cert in valid:
        if cert.holder_kind == "firm" and cert.holder_id in firm_ids:
            holders.setdefault(cert.scheme, set()).add(cert.holder_id)
    green = set().union(*(holders.get(scheme, set()) for scheme in GREEN_FIRM_SCHEMES)) if firms else set()
    share = round(100.0 * len(green) / len(firms), 1) if firms else None
    eip = snapshot.park.park_type == "eco_industrial" or any(
        cert.scheme == "eco_industrial_park" for cert in valid if cert.holder_kind == "park"
    )
    voltages = tuple(sorted({meter.voltage_level for meter in snapshot.meters if meter.voltage_level}))
    on_day = f"valid on {day.isoformat()}"
    tenants = f"{len(firms)} tenant firm(s) in the registry"
    return {
        "voltage_levels": ProfileField(
            "voltage_levels", voltages or None, None, f"voltage levels of the park's metered connections ({registry})", as_of
        ),
        "employees_in_park": ProfileField(
            "employees_in_park", sum(employees) if employees else None, "person", f"sum over {tenants}", as_of
        ),
        "firms_count": ProfileField("firms_count", len(firms), None, f"{tenants} ({registry})", as_of),
        "sectors_present": ProfileField(
            "sectors_present", dict(sorted(sectors.items())) or None, None, f"VSIC 2018 divisions of {tenants}", as_of
        ),
        "park_certifications": ProfileField(
            "park_certifications", park_certs, None, f"certificates held by the park, {on_day}", day.isoformat()
        ),
        "firm_certifications": ProfileField(
            "firm_certifications",
            {k: len(v) for k, v in sorted(holders.items())},
            None,
            f"firms per certificate scheme, {on_day}",
            day.isoformat(),
        ),
        "green_certified_firms_share_pct": ProfileField(
            "green_certified_firms_share_pct",
            share,
            "%",
            f"share of firms holding {', '.join(GREEN_FIRM_SCHEMES)}, {on_day}",
            day.isoformat(),
        ),
        "eip_status": ProfileField(
            "eip_status",
            eip,
            None,
            f"park type eco_industrial or a park eco_industrial_park certificate {on_day}",
            day.isoformat(),
        ),
    }


def _engine_field(name: str, supplied: Any, default_as_of: str) -> ProfileField:
    spec = field_spec(name)
    if isinstance(supplied, Mapping):
        if "value" not in supplied:
            raise ReferenceDataError("siting.profile.engine_value", name=name)
        return ProfileField(
            name,
            supplied["value"],
            str(supplied.get("unit") or spec.unit or "") or None,
            str(supplied.get("source") or "engine result"),
            str(supplied.get("as_of") or default_as_of),
            bool(supplied.get("approximate", False)),
            supplied.get("note"),
        )
    return ProfileField(name, supplied, spec.unit, "engine result", default_as_of)


def _engine_fields(engine_results: Mapping[str, Any] | None, as_of: str) -> dict[str, ProfileField]:
    results = dict(engine_results or {})
    for name in results:
        if field_spec(name).origin != ENGINE:
            raise UnknownProfileFieldError("siting.profile.not_engine_field", name=name, known=", ".join(ENGINE_FIELDS))
    fields = {}
    for name in ENGINE_FIELDS:
        if name in results and results[name] is not None:
            fields[name] = _engine_field(name, results[name], as_of)
        else:
            fields[name] = ProfileField(name, None, field_spec(name).unit, "not available: no engine result supplied", None)
    return fields


def build_park_profile(
    snapshot: ParkSnapshot,
    *,
    as_of: date,
    registry_updated: date | None = None,
    engine_results: Mapping[str, Any] | None = None,
) -> ParkProfile:
    """Assemble the full profile of one park (every field, published or not).

    Parameters
    ----------
    snapshot : ParkSnapshot
        The park with its firms, meters and certifications.
    as_of : date
        Day on which certificates must be valid and engine results are dated by default.
    registry_updated : date, optional
        When the park's registry record was last changed (the "when" of registry fields).
    engine_results : mapping, optional
        Results of other engines by field name (see :data:`ENGINE_FIELDS`): a plain value,
        or a mapping with ``value`` and optional ``unit``, ``source``, ``as_of``,
        ``approximate`` and ``note``. Absent fields are "not available".

    Returns
    -------
    ParkProfile
        Every field of :data:`FIELD_SPECS`, in that order.

    Raises
    ------
    UnknownProfileFieldError
        If ``engine_results`` names a field that is not an engine field.
    """
    park = snapshot.park
    registry = _registry_source(snapshot)
    registry_as_of = registry_updated.isoformat() if registry_updated else None
    collected: dict[str, ProfileField] = {
        "park_type": ProfileField("park_type", park.park_type, None, registry, registry_as_of),
        "development_status": ProfileField("development_status", park.status, None, registry, registry_as_of),
        "year_established": ProfileField("year_established", park.year_established, None, registry, registry_as_of),
        "power_capacity_mw": ProfileField("power_capacity_mw", park.power_capacity_mw, "MW", registry, registry_as_of),
        "water_supply_capacity_m3_day": ProfileField(
            "water_supply_capacity_m3_day", park.water_supply_capacity_m3_day, "m3/day", registry, registry_as_of
        ),
        "wastewater_capacity_m3_day": ProfileField(
            "wastewater_capacity_m3_day", park.wastewater_capacity_m3_day, "m3/day", registry, registry_as_of
        ),
    }
    collected.update({item.name: item for item in _logistics_fields(snapshot, registry, registry_as_of)})
    collected.update({item.name: item for item in _land_fields(snapshot, registry, registry_as_of)})
    collected.update(_tenant_fields(snapshot, registry, registry_as_of, as_of))
    collected.update(_engine_fields(engine_results, as_of.isoformat()))
    return ParkProfile(
        park.id,
        park.name_vi,
        park.name_en,
        park.province_new_code,
        park.is_synthetic,
        tuple(collected[name] for name in FIELD_NAMES),
    )
