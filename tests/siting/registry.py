"""A small registry stored through the validated import path, for store and CLI tests."""

from __future__ import annotations

from typing import Any

from ecozone.registry.files import RawTable
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace

PARKS: list[dict[str, Any]] = [
    {
        "id": "north",
        "name_vi": "KCN Phía Bắc",
        "name_en": "North Park",
        "province": "Hải Phòng",
        "park_type": "general",
        "status": "operating",
        "industrial_land_ha": 400.0,
        "leased_land_ha": 300.0,
        "latitude": 20.85,
        "longitude": 106.75,
        "power_capacity_mw": 200.0,
        "water_supply_capacity_m3_day": 20000.0,
        "wastewater_capacity_m3_day": 15000.0,
        "source": "test registry",
    },
    {
        "id": "south",
        "name_vi": "KCN Phía Nam",
        "name_en": "South Park",
        "province": "Đồng Nai",
        "park_type": "general",
        "status": "operating",
        "industrial_land_ha": 300.0,
        "leased_land_ha": 290.0,
        "latitude": 10.75,
        "longitude": 106.95,
        "power_capacity_mw": 100.0,
        "water_supply_capacity_m3_day": 8000.0,
        "wastewater_capacity_m3_day": 6000.0,
    },
    {"id": "vague", "name_vi": "KCN Chưa Rõ", "province": "Ninh Bình", "park_type": "general", "status": "planned"},
]
FIRMS: list[dict[str, Any]] = [
    {"id": "n-1", "park_id": "north", "name": "Điện tử Bắc", "vsic_code": "26", "employees": 2000},
    {"id": "s-1", "park_id": "south", "name": "Dệt Nam", "vsic_code": "13", "employees": 800},
]


def store_registry(workspace: Workspace) -> None:
    """Import :data:`PARKS` and :data:`FIRMS` into ``workspace``."""
    import_table(workspace, "park", RawTable.from_records("parks", PARKS))
    import_table(workspace, "firm", RawTable.from_records("firms", FIRMS))
