"""The demo park's stream catalogue for industrial symbiosis (synthetic, labelled ``is_synthetic``).

:func:`demo_streams` returns rows keyed by the attribute names of
``ecozone/symbiosis/stream_attributes.yaml`` for the synthetic park ``demo``. It picks firms
from the park's snapshot by sector and size (deterministic: largest floor area first, ties by
id), so the same registry gives the same catalogue. It writes nothing.

Opportunities built in (real-world-plausible, not data of real firms)
--------------------------------------------------------------------
- a food factory's organic waste to an outside **biogas plant** (about 8 km away);
- bakery by-products to the park's **animal-feed** mill;
- a metal shop's steel turnings and offcuts to an outside **foundry** (about 15 km);
- a textile mill's coal-boiler **slag** (and another's fly ash) to an outside **unfired-brick
  maker** and a **cement grinding station**;
- the park's central plant's **treated wastewater** to two electronics firms' **cooling towers**;
- a dyeing mill's surplus **steam** to the bakery;
- PE film offcuts from a packaging firm to an injection moulder;
- used oil (hazardous, code 17 02 03) to a **licensed** treatment company, and the same oil
  wanted as fuel by an unlicensed firm (the legal rule excludes that pair);
- cardboard from a garment firm that nothing in the park can take (stays unmatched).

Quantities, prices and distances are illustrative assumptions (orders of magnitude for a
Vietnamese park in 2024, not surveyed): quantities per year; ``unit_cost_vnd`` is the disposal
cost today for outputs (negative when the output is sold now) and the purchase price for inputs
(negative when the receiver charges a gate fee).
"""

from __future__ import annotations

from typing import Any

from ecozone.store.snapshot import FirmRecord, ParkSnapshot

SOURCE = "synthetic demo assumption (ecozone.demo.streams)"


def _ranked(park: ParkSnapshot, vsic: str, product: str | None = None) -> list[FirmRecord]:
    firms = [
        f for f in park.firms if f.vsic_code.startswith(vsic) and (product is None or (f.main_product or "").startswith(product))
    ]
    return sorted(firms, key=lambda f: (-(f.floor_area_m2 or 0.0), f.id))


def _boiler_firms(park: ParkSnapshot, carrier: str) -> list[FirmRecord]:
    owners = {m.firm_id for m in park.meters if m.carrier == carrier and m.firm_id}
    return sorted((f for f in park.firms if f.id in owners), key=lambda f: (-(f.floor_area_m2 or 0.0), f.id))


def _row(
    park: ParkSnapshot, owner: str, direction: str, name: str, stream_class: str, quantity: float, unit: str, **values: Any
) -> dict[str, Any]:
    kind = values.pop("owner_kind", "firm")
    return {
        "park_id": park.park.id,
        "owner_kind": kind,
        "owner_id": owner,
        "direction": direction,
        "name": name,
        "stream_class": stream_class,
        "quantity_per_year": quantity,
        "unit": unit,
        "source": SOURCE,
        "is_synthetic": True,
        **values,
    }


def _external(park: ParkSnapshot, owner: str, name: str, offset: tuple[float, float], **values: Any) -> dict[str, Any]:
    latitude = round((park.park.latitude or 11.05) + offset[0], 4)
    longitude = round((park.park.longitude or 106.68) + offset[1], 4)
    return {"owner_kind": "external", "owner_name": name, "latitude": latitude, "longitude": longitude, **values}


def _food_rows(park: ParkSnapshot) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seafood = _ranked(park, "10", "frozen seafood")
    bakery = _ranked(park, "10", "bakery")
    feed = _ranked(park, "10", "animal feed")
    if seafood:
        rows.append(
            _row(
                park, seafood[0].id, "output", "Phế phẩm thủy sản, bã thải hữu cơ", "food_waste", 1800, "t", unit_cost_vnd=600_000
            )
        )
    biogas = _external(park, "biogas-partner", "Nhà máy điện biogas Minh Họa (giả lập)", (0.05, -0.05), licensed_receiver=False)
    rows.append(
        _row(
            park,
            "biogas-partner",
            "input",
            "Nguyên liệu hầm biogas",
            "digester_feedstock",
            10_000,
            "t",
            unit_cost_vnd=0,
            **biogas,
        )
    )
    if bakery and feed:
        rows.append(_row(park, bakery[0].id, "output", "Bánh lỗi, vụn bột", "food_waste", 350, "t", unit_cost_vnd=600_000))
        rows.append(
            _row(park, feed[0].id, "input", "Nguyên liệu thức ăn chăn nuôi", "animal_feed", 400, "t", unit_cost_vnd=6_500_000)
        )
    return rows


def _metal_rows(park: ParkSnapshot) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for firm, quantity in zip(_ranked(park, "25", "machined"), (400, 250), strict=False):
        rows.append(
            _row(park, firm.id, "output", "Phoi thép, ba via dập", "ferrous_scrap", quantity, "t", unit_cost_vnd=-6_000_000)
        )
    foundry = _external(park, "foundry-partner", "Xưởng đúc gang thép Minh Họa (giả lập)", (-0.1, 0.08))
    rows.append(
        _row(
            park,
            "foundry-partner",
            "input",
            "Phối liệu lò cảm ứng",
            "furnace_charge",
            5000,
            "t",
            unit_cost_vnd=8_500_000,
            **foundry,
        )
    )
    metal = _ranked(park, "25", "machined")
    if metal:
        oil = {"hazardous": True, "hazardous_code": "17 02 03", "ewc_code": "13 02 05*", "unit_cost_vnd": 4_500_000}
        rows.append(_row(park, metal[0].id, "output", "Dầu nhớt thải", "used_oil", 8, "t", **oil))
    treatment = _external(
        park, "hazwaste-partner", "Công ty xử lý chất thải nguy hại Minh Họa (giả lập)", (0.15, 0.1), licensed_receiver=True
    )
    rows.append(
        _row(
            park,
            "hazwaste-partner",
            "input",
            "Tiếp nhận chất thải nguy hại",
            "hazardous_treatment",
            2000,
            "t",
            unit_cost_vnd=-3_500_000,
            **treatment,
        )
    )
    rubber = _ranked(park, "22", "rubber")
    if rubber:
        rows.append(_row(park, rubber[0].id, "input", "Dầu thải làm nhiên liệu lò", "used_oil", 20, "t", unit_cost_vnd=9_000_000))
    return rows


def _boiler_rows(park: ParkSnapshot) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    coal = _boiler_firms(park, "coal")
    if coal:
        rows.append(
            _row(
                park,
                coal[0].id,
                "output",
                "Xỉ than lò hơi",
                "coal_ash_slag",
                2400,
                "t",
                unit_cost_vnd=350_000,
                ewc_code="10 01 01",
            )
        )
        rows.append(
            _row(park, coal[0].id, "output", "Hơi nước dư", "steam_heat", 2000, "MWh", temperature_c=170, unit_cost_vnd=0)
        )
    if len(coal) > 1:
        rows.append(
            _row(
                park,
                coal[1].id,
                "output",
                "Tro bay lò hơi",
                "fly_ash",
                600,
                "t",
                unit_cost_vnd=350_000,
                ewc_code="10 01 02",
                purity_pct=85,
            )
        )
    bricks = _external(park, "brick-partner", "Nhà máy gạch không nung Minh Họa (giả lập)", (0.08, 0.04))
    rows.append(
        _row(
            park,
            "brick-partner",
            "input",
            "Cốt liệu sản xuất gạch không nung",
            "brick_block_material",
            20_000,
            "t",
            unit_cost_vnd=120_000,
            **bricks,
        )
    )
    cement = _external(park, "cement-partner", "Trạm nghiền xi măng Minh Họa (giả lập)", (-0.2, -0.1), min_purity_pct=80)
    rows.append(
        _row(
            park,
            "cement-partner",
            "input",
            "Phụ gia khoáng cho xi măng",
            "cement_raw_material",
            5000,
            "t",
            unit_cost_vnd=450_000,
            **cement,
        )
    )
    bakery = _ranked(park, "10", "bakery")
    if bakery:
        rows.append(
            _row(
                park,
                bakery[0].id,
                "input",
                "Hơi nước cho lò hấp",
                "steam_heat",
                1500,
                "MWh",
                min_temperature_c=150,
                unit_cost_vnd=650_000,
            )
        )
    return rows


def _water_and_recyclable_rows(park: ParkSnapshot) -> list[dict[str, Any]]:
    rows = [
        _row(
            park,
            park.park.id,
            "output",
            "Nước thải đã xử lý (QCVN 40:2011 cột A)",
            "treated_wastewater",
            3_000_000,
            "m3",
            owner_kind="park",
            unit_cost_vnd=0,
        ),
    ]
    for firm in _ranked(park, "26")[:2]:
        rows.append(
            _row(park, firm.id, "input", "Nước bổ sung tháp giải nhiệt", "clean_water", 150_000, "m3", unit_cost_vnd=11_000)
        )
    films = _ranked(park, "22", "plastic packaging")
    moulders = _ranked(park, "22", "injection")
    if films and moulders:
        rows.append(
            _row(
                park,
                films[0].id,
                "output",
                "Phế liệu màng PE",
                "plastic_waste",
                180,
                "t",
                unit_cost_vnd=-5_000_000,
                purity_pct=97,
            )
        )
        rows.append(
            _row(park, moulders[0].id, "input", "Nhựa PE/PP tái sinh", "plastic_waste", 300, "t", unit_cost_vnd=15_000_000)
        )
    garments = _ranked(park, "14")
    if garments:
        rows.append(
            _row(park, garments[0].id, "output", "Thùng carton, giấy vụn", "paper_cardboard", 120, "t", unit_cost_vnd=-1_500_000)
        )
    return rows


def demo_streams(park: ParkSnapshot) -> list[dict[str, Any]]:
    """Stream rows for the demo park (see the module doc); every attribute of the table is a key."""
    from ecozone.symbiosis.catalogue import stream_schema

    rows = _food_rows(park) + _metal_rows(park) + _boiler_rows(park) + _water_and_recyclable_rows(park)
    names = stream_schema().names
    return [{name: row.get(name) for name in names} for row in rows]
