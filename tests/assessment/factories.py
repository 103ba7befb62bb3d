"""Hand-made parks, firms and certificates for the assessment tests."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from functools import cache
from typing import Any

from ecozone.store.snapshot import CertificationRecord, FirmRecord, MeterRecord, ParkRecord, ParkSnapshot


def park(**values: Any) -> ParkRecord:
    base: dict[str, Any] = {
        "id": "p1",
        "name_vi": "KCN Thử",
        "name_en": "Test Park",
        "province_new_code": "79",
        "park_type": "general",
        "status": "operating",
        "year_established": 2010,
        "total_area_ha": 500.0,
        "industrial_land_ha": 350.0,
        "leased_land_ha": 280.0,
        "green_area_ha": 60.0,
    }
    base.update(values)
    return ParkRecord(**base)


def firm(firm_id: str, **values: Any) -> FirmRecord:
    base: dict[str, Any] = {"id": firm_id, "park_id": "p1", "name": f"Firm {firm_id}", "vsic_code": "26", "employees": 200}
    base.update(values)
    return FirmRecord(**base)


def certificate(
    holder: str, scheme: str, valid_from: date, valid_to: date | None = None, kind: str = "firm", **values: Any
) -> CertificationRecord:
    return CertificationRecord(kind, holder, scheme, valid_from, valid_to, **values)


def snapshot(
    firms: int | list[FirmRecord] = 0,
    certificates: list[CertificationRecord] | None = None,
    meters: list[MeterRecord] | None = None,
    **park_values: Any,
) -> ParkSnapshot:
    firm_records = [firm(f"f{i + 1}") for i in range(firms)] if isinstance(firms, int) else firms
    return ParkSnapshot(park(**park_values), tuple(firm_records), tuple(meters or ()), tuple(certificates or ()))


def _record(cls: type[Any], row: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in row.items() if k in names})


@cache
def demo_snapshot() -> ParkSnapshot:
    """The demo park built from the generator's rows, without a database."""
    from ecozone.demo.registry import DEFAULT_SEED, DEMO_PARK_ID, demo_registry

    rows = demo_registry(DEFAULT_SEED)
    park_row = next(r for r in rows["park"] if r["id"] == DEMO_PARK_ID)
    park_record = _record(ParkRecord, {**park_row, "province_new_code": "79"})
    firms = tuple(_record(FirmRecord, r) for r in rows["firm"] if r["park_id"] == DEMO_PARK_ID)
    meters = tuple(_record(MeterRecord, r) for r in rows["meter"] if r["park_id"] == DEMO_PARK_ID)
    holders = {("park", DEMO_PARK_ID)} | {("firm", f.id) for f in firms}
    certificates = tuple(
        _record(CertificationRecord, r) for r in rows["certification"] if (r["holder_kind"], r["holder_id"]) in holders
    )
    return ParkSnapshot(park_record, firms, meters, certificates)
