"""Immutable snapshots of the registry handed to engines.

Engines never import the ORM: they take these frozen dataclasses (plain data) and return
results. Only :mod:`ecozone.store` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class CertificationRecord:
    """A certificate held by a firm or a park."""

    holder_kind: str
    holder_id: str
    scheme: str
    valid_from: date
    valid_to: date | None = None
    level: str | None = None
    certificate_number: str | None = None
    issuer: str | None = None
    is_synthetic: bool = False

    def is_valid_on(self, day: date) -> bool:
        """Whether the certificate is valid on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class MeterRecord:
    """A meter of a firm or of the park's shared infrastructure."""

    id: str
    park_id: str
    owner_kind: str
    carrier: str
    unit: str
    reading_kind: str
    firm_id: str | None = None
    interval_minutes: int | None = None
    voltage_level: str | None = None
    description: str | None = None
    is_synthetic: bool = False
    role: str | None = None


@dataclass(frozen=True)
class FirmRecord:
    """A tenant firm."""

    id: str
    park_id: str
    name: str
    vsic_code: str
    investor_country: str | None = None
    employees: int | None = None
    floor_area_m2: float | None = None
    roof_area_m2: float | None = None
    land_area_ha: float | None = None
    main_product: str | None = None
    production_unit: str | None = None
    annual_production: float | None = None
    is_synthetic: bool = False


@dataclass(frozen=True)
class ParkRecord:
    """An industrial park's registry facts (no tenants).

    Areas are in hectares [ha]; capacities in [MW] and [m3/day].
    """

    id: str
    name_vi: str
    province_new_code: str
    park_type: str
    status: str
    province_old_code: str | None = None
    name_en: str | None = None
    year_established: int | None = None
    total_area_ha: float | None = None
    industrial_land_ha: float | None = None
    leased_land_ha: float | None = None
    green_area_ha: float | None = None
    developer: str | None = None
    operator: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    boundary: str | None = None
    power_capacity_mw: float | None = None
    water_supply_capacity_m3_day: float | None = None
    wastewater_capacity_m3_day: float | None = None
    source: str | None = None
    is_synthetic: bool = False

    @property
    def occupancy_pct(self) -> float | None:
        """Leased share of industrial land [%], derived, never stored."""
        if self.leased_land_ha is None or not self.industrial_land_ha:
            return None
        return 100.0 * self.leased_land_ha / self.industrial_land_ha


@dataclass(frozen=True)
class ParkSnapshot:
    """One park with its firms, meters and certifications (the park's and its firms')."""

    park: ParkRecord
    firms: tuple[FirmRecord, ...] = ()
    meters: tuple[MeterRecord, ...] = ()
    certifications: tuple[CertificationRecord, ...] = ()


@dataclass(frozen=True)
class RegistrySnapshot:
    """Many parks (a portfolio, a province or the whole registry)."""

    parks: tuple[ParkSnapshot, ...] = field(default_factory=tuple)

    def park(self, park_id: str) -> ParkSnapshot:
        """Return the snapshot of ``park_id``."""
        for snapshot in self.parks:
            if snapshot.park.id == park_id:
                return snapshot
        from ecozone.errors import NotFoundError

        raise NotFoundError("registry.park_not_found", park_id=park_id)
