"""Crafted park snapshots and profiles for the siting tests (values chosen for hand checks)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ecozone.siting.profile import ParkProfile, ProfileField, build_park_profile
from ecozone.store.snapshot import CertificationRecord, FirmRecord, MeterRecord, ParkRecord, ParkSnapshot

DAY = date(2025, 6, 1)


def snapshot_with_tenants() -> ParkSnapshot:
    """A park at Cát Lái port's doorstep with three tenants, two electronics firms, and certificates."""
    park = ParkRecord(
        id="p-hcm",
        name_vi="KCN Thử",
        name_en="Test Park",
        province_new_code="79",
        province_old_code="79",
        park_type="general",
        status="operating",
        industrial_land_ha=300.0,
        leased_land_ha=255.5,
        latitude=10.77,
        longitude=106.79,
        power_capacity_mw=120.0,
        water_supply_capacity_m3_day=10000.0,
        source="test fixture",
    )
    firms = (
        FirmRecord("f1", "p-hcm", "Điện tử 1", "2610", employees=1000),
        FirmRecord("f2", "p-hcm", "Điện tử 2", "26", employees=500),
        FirmRecord("f3", "p-hcm", "Dệt 3", "13"),
    )
    meters = (MeterRecord("m1", "p-hcm", "firm", "electricity", "kWh", "interval", firm_id="f1", voltage_level="22_110kv"),)
    certifications = (
        CertificationRecord("firm", "f1", "iso_14001", date(2024, 1, 1), date(2026, 12, 31)),
        CertificationRecord("firm", "f2", "iso_14001", date(2020, 1, 1), date(2022, 12, 31)),  # expired on DAY
        CertificationRecord("firm", "f2", "iso_45001", date(2024, 1, 1)),
        CertificationRecord("park", "p-hcm", "iso_14001", date(2024, 1, 1)),
    )
    return ParkSnapshot(park, firms, meters, certifications)


def snapshot_without_coordinates() -> ParkSnapshot:
    """A park known only by its 2008 province (Ninh Bình, 37)."""
    park = ParkRecord(
        id="p-nb",
        name_vi="KCN Không Tọa Độ",
        province_new_code="37",
        province_old_code="37",
        park_type="general",
        status="operating",
    )
    return ParkSnapshot(park)


def profile(park_id: str, synthetic: bool = False, **values: Any) -> ParkProfile:
    """A profile holding exactly ``values`` (exact, not approximate)."""
    fields = tuple(ProfileField(name, value, None, "test", None) for name, value in values.items())
    return ParkProfile(park_id, f"KCN {park_id}", f"Park {park_id}", "79", synthetic, fields)


def approximate_field(name: str, value: float, uncertainty: float) -> ProfileField:
    """An approximate numeric field."""
    return ProfileField(name, value, "km", "test", None, approximate=True, uncertainty=uncertainty)


def built(snapshot: ParkSnapshot, **engine: Any) -> ParkProfile:
    """The full profile of ``snapshot`` on :data:`DAY`."""
    return build_park_profile(snapshot, as_of=DAY, registry_updated=date(2025, 5, 1), engine_results=engine or None)
