"""A small hand-written registry used by the store tests."""

from __future__ import annotations

from typing import Any

PARKS: list[dict[str, Any]] = [
    {
        "id": "vsip-1",
        "name_vi": "KCN Việt Nam - Singapore",
        "name_en": "VSIP I",
        "province": "Bình Dương",
        "park_type": "general",
        "status": "operating",
        "year_established": 1996,
        "total_area_ha": 500.0,
        "industrial_land_ha": 350.0,
        "leased_land_ha": 340.5,
        "latitude": 10.93,
        "longitude": 106.71,
        "boundary": (
            '{"type":"Polygon","coordinates":[[[106.7,10.92],[106.72,10.92],[106.72,10.94],[106.7,10.94],[106.7,10.92]]]}'
        ),
        "developer": "VSIP JV",
        "is_synthetic": False,
    },
    {
        "id": "can-tho-new",
        "name_vi": "KCN Mới",
        "province": "Thành phố Cần Thơ",
        "park_type": "eco_industrial",
        "status": "planned",
        "total_area_ha": 120.25,
        "is_synthetic": True,
    },
]
FIRMS: list[dict[str, Any]] = [
    {
        "id": "f1",
        "park_id": "vsip-1",
        "name": "Công ty Điện tử A",
        "vsic_code": "2610",
        "investor_country": "KR",
        "employees": 1200,
        "floor_area_m2": 25000.0,
        "roof_area_m2": 18000.0,
    },
    {"id": "f2", "park_id": "vsip-1", "name": "Dệt may B", "vsic_code": "13", "investor_country": "VN", "employees": 800},
]
METERS: list[dict[str, Any]] = [
    {
        "id": "m1",
        "park_id": "vsip-1",
        "owner_kind": "firm",
        "firm_id": "f1",
        "carrier": "electricity",
        "unit": "kWh",
        "reading_kind": "interval",
        "interval_minutes": 15,
        "voltage_level": "22_110kv",
    },
    {"id": "m2", "park_id": "vsip-1", "owner_kind": "park", "carrier": "wastewater", "unit": "m3", "reading_kind": "cumulative"},
]
CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "holder_kind": "firm",
        "holder_id": "f1",
        "scheme": "iso_14001",
        "certificate_number": "VN-123",
        "valid_from": "2023-05-01",
        "valid_to": "2026-04-30",
    },
    {"holder_kind": "park", "holder_id": "vsip-1", "scheme": "leed", "level": "gold", "valid_from": "2024-01-15"},
]
ROWS = {"park": PARKS, "firm": FIRMS, "meter": METERS, "certification": CERTIFICATIONS}
