"""A crafted registry snapshot whose aggregates are worked out by hand in the tests."""

from __future__ import annotations

from ecozone.store.snapshot import ParkRecord, ParkSnapshot, RegistrySnapshot


def park(park_id: str, old: str | None, new: str, status: str, park_type: str, **areas: float | None) -> ParkSnapshot:
    return ParkSnapshot(
        ParkRecord(
            id=park_id,
            name_vi=f"KCN {park_id}",
            province_new_code=new,
            province_old_code=old,
            status=status,
            park_type=park_type,
            **areas,  # type: ignore[arg-type]
        )
    )


def crafted_snapshot() -> RegistrySnapshot:
    """Two parks in old Bình Dương (74), one in old TP. Hồ Chí Minh (79), one in Hà Nội known only in 2025.

    In the 2025 layout Bình Dương merged into Thành phố Hồ Chí Minh (79).
    """
    return RegistrySnapshot(
        (
            park("bd-a", "74", "79", "operating", "general", total_area_ha=500.0, industrial_land_ha=350.0, leased_land_ha=280.0),
            park("bd-b", "74", "79", "under_construction", "general", total_area_ha=200.0, industrial_land_ha=150.0),
            park(
                "hcm-c",
                "79",
                "79",
                "operating",
                "export_processing",
                total_area_ha=100.0,
                industrial_land_ha=80.0,
                leased_land_ha=60.0,
            ),
            park("hn-d", None, "01", "planned", "high_tech"),
        )
    )
