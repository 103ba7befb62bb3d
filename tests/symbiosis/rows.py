"""A small hand-written park with firms and a stream catalogue for the symbiosis tests."""

from __future__ import annotations

from typing import Any

from ecozone.registry.files import RawTable
from ecozone.store.registry_store import import_table
from ecozone.store.workspace import Workspace

PARK: dict[str, Any] = {
    "id": "kcn-a",
    "name_vi": "KCN A",
    "province": "Bình Dương",
    "park_type": "general",
    "status": "operating",
    "latitude": 11.0,
    "longitude": 106.7,
}
FIRMS: list[dict[str, Any]] = [
    {"id": "boiler-co", "park_id": "kcn-a", "name": "Nhà máy hơi A", "vsic_code": "35"},
    {"id": "brick-co", "park_id": "kcn-a", "name": "Gạch không nung B", "vsic_code": "23"},
    {"id": "food-co", "park_id": "kcn-a", "name": "Thực phẩm C", "vsic_code": "10"},
    {"id": "metal-co", "park_id": "kcn-a", "name": "Cơ khí D", "vsic_code": "25"},
]


def stream(**values: Any) -> dict[str, Any]:
    """A valid output row with ``values`` overriding it."""
    row: dict[str, Any] = {
        "park_id": "kcn-a",
        "owner_kind": "firm",
        "owner_id": "boiler-co",
        "direction": "output",
        "name": "Xỉ than lò hơi",
        "stream_class": "coal_ash_slag",
        "quantity_per_year": 1200,
        "unit": "t",
        "unit_cost_vnd": 250000,
    }
    row.update(values)
    return row


STREAMS: list[dict[str, Any]] = [
    stream(),
    stream(
        owner_id="brick-co",
        direction="input",
        name="Nguyên liệu gạch",
        stream_class="brick_block_material",
        quantity_per_year=2000,
        unit_cost_vnd=150000,
    ),
    stream(owner_id="food-co", name="Bã thải hữu cơ", stream_class="food_waste", quantity_per_year=800, unit_cost_vnd=400000),
    stream(
        owner_id="metal-co",
        name="Phoi sắt",
        stream_class="ferrous_scrap",
        quantity_per_year=300000,
        unit="kg",
        unit_cost_vnd=-2000,
    ),
    stream(
        owner_kind="external",
        owner_id="biogas-x",
        owner_name="Nhà máy biogas X",
        direction="input",
        name="Nguyên liệu hầm biogas",
        stream_class="digester_feedstock",
        quantity_per_year=5000,
        latitude=11.1,
        longitude=106.6,
        unit_cost_vnd=None,
    ),
]


def build_registry(workspace: Workspace) -> None:
    """Import the park and firms through the validated registry path."""
    import_table(workspace, "park", RawTable.from_records("parks", [PARK]))
    import_table(workspace, "firm", RawTable.from_records("firms", FIRMS))
