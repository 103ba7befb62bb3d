"""Seeded generator of the demo registry: 13 real reference parks and one synthetic park.

:func:`demo_registry` returns plain rows, keyed by the attribute names of
``ecozone/registry/attributes/{park,firm,meter,certification}.yaml`` (every attribute is a
key; absent values are None). It writes nothing: the store loads the rows.

What is real and what is synthetic
----------------------------------
- **Reference parks** (13 rows, ``is_synthetic`` False): real parks from press and agency
  pages, see :mod:`ecozone.demo.reference_parks`. They get no firms, meters or certificates.
- **The demo park** (id ``demo``, ``is_synthetic`` True): "KCN Minh Họa Xanh (dữ liệu giả
  lập)" / "Green Demo Industrial Park (synthetic data)", a fictitious general park in Bình
  Dương (2008 code 74) at about 11.05 °N, 106.68 °E, operating, 600 ha in total, 420 ha of
  industrial land of which 330 ha leased, 66 ha green area, 250 MW grid capacity, water
  supply 30,000 m3/day and central wastewater treatment 20,000 m3/day. These figures are
  fixed, not drawn. Everything attached to it is generated and labelled ``is_synthetic``.

How the synthetic rows are drawn
--------------------------------
All draws come from one ``numpy.random.default_rng(seed)`` in a fixed order, so the same
seed gives identical rows and another seed gives other rows. The parameters (ranges,
probabilities, shares) are illustrative assumptions kept in
``data/synthetic_assumptions.yaml`` (status ``unverified``) and loaded by
:mod:`ecozone.demo.assumptions`.

Firms (60, ids ``demo-f01`` ... ``demo-f60``)
    - *Sector*: the 60 firms are apportioned to eight sectors by their shares (largest
      remainder, so every sector appears: electronics VSIC 26, garments 14, textiles 13,
      food processing 10, metal and mechanical 25, plastics and rubber 22, chemicals 20,
      logistics and warehousing 52), then shuffled. ``vsic_code`` is the VSIC 2018 division.
    - *Investor country*: drawn from the country shares (VN, KR, JP, CN, TW, SG, HK, US, TH,
      DE). Domestic firms are named "Công ty Cổ phần ...", foreign ones "Công ty TNHH ...";
      every name contains "Minh Họa" and ends with "(giả lập)".
    - *Land* ``land_area_ha`` [ha]: log-uniform in the sector's range. If the total exceeded
      the demo park's leased land (330 ha), all plots would be scaled down to fit; plots are
      rounded down to 0.01 ha, so the sum never exceeds the leased land.
    - *Buildings*: footprint = plot × building coverage (uniform); ``floor_area_m2`` =
      footprint × storeys (uniform integer); ``roof_area_m2`` = footprint × usable roof share
      (uniform, at most 1), hence roof ≤ footprint ≤ floor area. Both rounded to 1 m2.
    - *Employees* = floor area / floor area per employee (uniform), at least 5.
    - *Production*: a main product picked uniformly from the sector's list, with its unit
      (``t``, ``pcs`` or ``m2``); ``annual_production`` = employees × production per employee
      (log-uniform), rounded to three significant figures.

Meters (every firm has at least two)
    - electricity, kWh, 15-minute interval values; voltage ``22_110kv`` for a big firm
      (floor area ≥ the size threshold, 20,000 m2) and ``6_22kv`` for a medium one;
    - water withdrawal, m3, daily;
    - with the sector's probabilities: diesel (L, monthly; generators and forklifts), LPG
      (kg, monthly), and a boiler meter burning coal or biomass (t, monthly);
    - manufacturers (all sectors but logistics): non-hazardous solid waste (t, monthly) and
      hazardous waste (t for big firms, kg for medium ones, monthly); their ``role`` (fate) is
      ``landfill`` for solid waste and ``incineration`` for hazardous waste, and the park's
      wastewater meter is ``treated`` (illustrative choices for synthetic data).
    - The park's shared infrastructure (``owner_kind`` park, no ``firm_id``): the central
      wastewater plant's electricity (kWh, 15 min, ``22_110kv``), its wastewater inflow (m3,
      daily), street lighting (kWh, 15 min, ``lt_6kv``) and a rooftop solar PV generation
      meter (kWh, 15 min).
    Every meter reads ``interval`` values; monthly means 44,640 min (31 days), daily 1,440 min.

Certificates
    - Firms: ISO 14001 for 40 % of them, ISO 50001 for 15 %, ISO 45001 for 20 %, LEED for 2,
      BCA Green Mark for 1 and LOTUS for 2, holders drawn without replacement with probability
      proportional to the square root of floor area; rated schemes get a level drawn from the
      scheme's level weights (always a level of that scheme in ``vocabularies.yaml``).
    - Dates relative to the reference day 2024-01-01: with probability 0.2 a certificate is
      already expired on that day, otherwise it is valid then; ``valid_to`` = ``valid_from``
      + validity (3 years) − 1 day; LEED is open-ended (no ``valid_to``).
    - The park holds a valid ISO 14001 certificate.
    Issuer "Demo Certification Body (synthetic)", numbers ``SYN-<SCHEME>-<nnnn>``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ecozone.demo.assumptions import CertificationAssumptions, DemoAssumptions, SchemeAssumption, SectorProfile, demo_assumptions
from ecozone.demo.reference_parks import reference_park_rows
from ecozone.registry.schema import entity_schema

DEFAULT_SEED = 20240101
DEMO_PARK_ID = "demo"
FIRM_COUNT = 60
INTERVAL_15_MINUTES = 15
INTERVAL_DAY = 1440
INTERVAL_MONTH = 44640
MINIMUM_EMPLOYEES = 5
DEMO_LEASED_LAND_HA = 330.0

DEMO_PARK: dict[str, object] = {
    "id": DEMO_PARK_ID,
    "name_vi": "KCN Minh Họa Xanh (dữ liệu giả lập)",
    "name_en": "Green Demo Industrial Park (synthetic data)",
    "province": "Bình Dương",
    "park_type": "general",
    "status": "operating",
    "year_established": 2008,
    "total_area_ha": 600.0,
    "industrial_land_ha": 420.0,
    "leased_land_ha": DEMO_LEASED_LAND_HA,
    "green_area_ha": 66.0,
    "developer": "Demo Development JSC (synthetic)",
    "latitude": 11.05,
    "longitude": 106.68,
    "power_capacity_mw": 250.0,
    "water_supply_capacity_m3_day": 30000.0,
    "wastewater_capacity_m3_day": 20000.0,
    "is_synthetic": True,
}


@dataclass(frozen=True)
class _MeterSpec:
    """A meter to create: identifier suffix, carrier, unit, interval, description, voltage and role."""

    suffix: str
    carrier: str
    unit: str
    interval_minutes: int
    description: str
    voltage_level: str | None = None
    role: str | None = None


PARK_METERS = (
    _MeterSpec(
        "park-wwtp-electricity",
        "electricity",
        "kWh",
        INTERVAL_15_MINUTES,
        "Điện nhà máy xử lý nước thải tập trung / Central wastewater treatment plant electricity",
        "22_110kv",
    ),
    _MeterSpec(
        "park-wastewater",
        "wastewater",
        "m3",
        INTERVAL_DAY,
        "Nước thải vào nhà máy xử lý tập trung / Wastewater inflow to the central plant",
        role="treated",
    ),
    _MeterSpec(
        "park-street-lighting", "electricity", "kWh", INTERVAL_15_MINUTES, "Chiếu sáng đường nội khu / Street lighting", "lt_6kv"
    ),
    _MeterSpec(
        "park-rooftop-pv",
        "solar_pv",
        "kWh",
        INTERVAL_15_MINUTES,
        "Điện mặt trời mái nhà điều hành và nhà máy xử lý nước thải / Rooftop PV on the administration and wastewater buildings",
    ),
)


@dataclass(frozen=True)
class _Tenant:
    """A generated firm row with the sector and size class its meters depend on."""

    firm_id: str
    floor_area_m2: float
    row: dict[str, object]
    sector: SectorProfile
    big: bool


@dataclass(frozen=True)
class _FirmDraw:
    """The random factors of one firm, drawn before the plots are fitted to the leased land."""

    sector: SectorProfile
    land_area_ha: float
    country: str
    product_index: int
    coverage: float
    storeys: int
    roof_share: float
    floor_per_employee: float
    production_per_employee: float


def _complete(entity: str, values: dict[str, object]) -> dict[str, object]:
    """Return a row with every attribute of ``entity`` as a key (None when not in ``values``)."""
    names = entity_schema(entity).names
    assert set(values) <= set(names), sorted(set(values) - set(names))
    return {name: values.get(name) for name in names}


def apportion(shares: Sequence[float], total: int) -> list[int]:
    """Split ``total`` items by ``shares`` with the largest-remainder method.

    Parameters
    ----------
    shares : sequence of float
        Non-negative shares summing to 1 [-].
    total : int
        Number of items to split.

    Returns
    -------
    list of int
        Counts summing to ``total``; ties go to the earlier share.
    """
    quotas = [share * total for share in shares]
    counts = [math.floor(quota + 1e-9) for quota in quotas]
    order = sorted(range(len(shares)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


def _log_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """Draw from a log-uniform distribution on [low, high] (low > 0)."""
    if low == high:
        return low
    return float(math.exp(rng.uniform(math.log(low), math.log(high))))


def _significant(value: float, digits: int = 3) -> float:
    """Round ``value`` to ``digits`` significant figures."""
    if value == 0:
        return 0.0
    return float(round(value, digits - 1 - math.floor(math.log10(abs(value)))))


def demo_park_row(seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Return the synthetic demo park's row (fixed values; ``seed`` only enters its ``source``)."""
    source = f"Synthetic demonstration data, ecozone.demo.registry.demo_registry(seed={seed}); describes no real park."
    return _complete("park", {**DEMO_PARK, "source": source})


def _draw_firm(rng: np.random.Generator, sector: SectorProfile, assumptions: DemoAssumptions) -> _FirmDraw:
    countries = list(assumptions.investor_countries)
    country_index = int(rng.choice(len(countries), p=list(assumptions.investor_countries.values())))
    product_index = int(rng.integers(len(sector.products)))
    return _FirmDraw(
        sector=sector,
        land_area_ha=_log_uniform(rng, *sector.land_area_ha),
        country=countries[country_index],
        product_index=product_index,
        coverage=float(rng.uniform(*sector.building_coverage)),
        storeys=int(rng.integers(sector.storeys[0], sector.storeys[1] + 1)),
        roof_share=float(rng.uniform(*sector.roof_usable_share)),
        floor_per_employee=float(rng.uniform(*sector.floor_area_m2_per_employee)),
        production_per_employee=_log_uniform(rng, *sector.products[product_index].per_employee),
    )


def _fitted_plots(draws: Sequence[_FirmDraw], leased_land_ha: float) -> list[float]:
    """Return plot areas [ha], scaled down if needed and rounded down, summing to at most ``leased_land_ha``."""
    total = sum(draw.land_area_ha for draw in draws)
    factor = min(1.0, leased_land_ha / total) if total > 0 else 1.0
    return [math.floor(draw.land_area_ha * factor * 100) / 100 for draw in draws]


def _floor_area_m2(draw: _FirmDraw, land_area_ha: float) -> float:
    """Gross floor area [m2]: plot × building coverage × storeys, rounded to 1 m2."""
    return float(round(land_area_ha * 10_000 * draw.coverage * draw.storeys))


def _firm_row(number: int, draw: _FirmDraw, land_area_ha: float) -> dict[str, object]:
    sector = draw.sector
    product = sector.products[draw.product_index]
    footprint_m2 = land_area_ha * 10_000 * draw.coverage
    floor_area_m2 = _floor_area_m2(draw, land_area_ha)
    employees = max(MINIMUM_EMPLOYEES, round(floor_area_m2 / draw.floor_per_employee))
    legal_form = "Cổ phần" if draw.country == "VN" else "TNHH"
    return _complete(
        "firm",
        {
            "id": f"{DEMO_PARK_ID}-f{number:02d}",
            "park_id": DEMO_PARK_ID,
            "name": f"Công ty {legal_form} {sector.name_vi} Minh Họa {number:02d} (giả lập)",
            "vsic_code": sector.vsic_code,
            "investor_country": draw.country,
            "employees": employees,
            "floor_area_m2": floor_area_m2,
            "roof_area_m2": float(round(footprint_m2 * draw.roof_share)),
            "land_area_ha": land_area_ha,
            "main_product": product.name,
            "production_unit": product.unit,
            "annual_production": _significant(employees * draw.production_per_employee),
            "is_synthetic": True,
        },
    )


def _tenants(rng: np.random.Generator, assumptions: DemoAssumptions, leased_land_ha: float) -> list[_Tenant]:
    counts = apportion([sector.share for sector in assumptions.sectors], FIRM_COUNT)
    sectors = [sector for sector, count in zip(assumptions.sectors, counts, strict=True) for _ in range(count)]
    order = rng.permutation(len(sectors))
    draws = [_draw_firm(rng, sectors[int(index)], assumptions) for index in order]
    plots = _fitted_plots(draws, leased_land_ha)
    tenants = []
    for number, (draw, plot) in enumerate(zip(draws, plots, strict=True), start=1):
        row = _firm_row(number, draw, plot)
        floor_area_m2 = _floor_area_m2(draw, plot)
        tenants.append(_Tenant(str(row["id"]), floor_area_m2, row, draw.sector, floor_area_m2 >= assumptions.big_floor_area_m2))
    return tenants


def _meter_row(spec: _MeterSpec, owner_kind: str, firm_id: str | None) -> dict[str, object]:
    prefix = firm_id or DEMO_PARK_ID
    return _complete(
        "meter",
        {
            "id": f"{prefix}-{spec.suffix}",
            "park_id": DEMO_PARK_ID,
            "owner_kind": owner_kind,
            "firm_id": firm_id,
            "carrier": spec.carrier,
            "unit": spec.unit,
            "reading_kind": "interval",
            "interval_minutes": spec.interval_minutes,
            "voltage_level": spec.voltage_level,
            "description": spec.description,
            "role": spec.role,
            "is_synthetic": True,
        },
    )


def _tenant_meter_specs(rng: np.random.Generator, tenant: _Tenant) -> list[_MeterSpec]:
    sector = tenant.sector
    diesel, lpg, boiler, coal = (float(u) for u in rng.random(4))
    voltage = "22_110kv" if tenant.big else "6_22kv"
    specs = [
        _MeterSpec(
            "electricity", "electricity", "kWh", INTERVAL_15_MINUTES, "Công tơ điện tổng / Main electricity meter", voltage
        ),
        _MeterSpec("water", "water_withdrawal", "m3", INTERVAL_DAY, "Đồng hồ nước cấp / Water supply meter"),
    ]
    if diesel < sector.diesel_probability:
        specs.append(
            _MeterSpec(
                "diesel", "diesel", "L", INTERVAL_MONTH, "Dầu DO cho máy phát và xe nâng / Diesel for generators and forklifts"
            )
        )
    if lpg < sector.lpg_probability:
        specs.append(_MeterSpec("lpg", "lpg", "kg", INTERVAL_MONTH, "Khí hóa lỏng LPG / Liquefied petroleum gas"))
    if boiler < sector.boiler_probability:
        fuel, label = (
            ("coal", "Than cho lò hơi / Coal for the boiler")
            if coal < sector.boiler_coal_share
            else ("biomass", "Sinh khối cho lò hơi / Biomass for the boiler")
        )
        specs.append(_MeterSpec(fuel, fuel, "t", INTERVAL_MONTH, label))
    if sector.manufacturer:
        specs.append(
            _MeterSpec(
                "solid-waste",
                "solid_waste",
                "t",
                INTERVAL_MONTH,
                "Chất thải rắn thông thường (chôn lấp) / Non-hazardous solid waste (landfill)",
                role="landfill",
            )
        )
        specs.append(
            _MeterSpec(
                "hazardous-waste",
                "hazardous_waste",
                "t" if tenant.big else "kg",
                INTERVAL_MONTH,
                "Chất thải nguy hại (đốt bởi đơn vị được cấp phép) / Hazardous waste (incinerated by a licensed receiver)",
                role="incineration",
            )
        )
    return specs


def _meter_rows(rng: np.random.Generator, tenants: Sequence[_Tenant]) -> list[dict[str, object]]:
    rows = [_meter_row(spec, "park", None) for spec in PARK_METERS]
    for tenant in tenants:
        rows.extend(_meter_row(spec, "firm", tenant.firm_id) for spec in _tenant_meter_specs(rng, tenant))
    return rows


def _add_years(day: date, years: int) -> date:
    """Return ``day`` moved by ``years`` years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _validity(
    rng: np.random.Generator, years: int | None, rules: CertificationAssumptions, expired: bool
) -> tuple[date, date | None]:
    """Draw ``(valid_from, valid_to)``: expired before ``rules.as_of`` if ``expired``, else valid on it."""
    one_day = timedelta(days=1)
    earliest = _add_years(rules.as_of, -rules.lookback_years)
    if years is None:
        start, end = earliest, rules.as_of
    elif expired:
        start, end = earliest, _add_years(rules.as_of, -years) - one_day
    else:
        start, end = _add_years(rules.as_of, -years) + one_day, rules.as_of
    valid_from = start + timedelta(days=int(rng.integers((end - start).days + 1)))
    valid_to = None if years is None else _add_years(valid_from, years) - one_day
    return valid_from, valid_to


def _level(rng: np.random.Generator, scheme: SchemeAssumption) -> str | None:
    if not scheme.levels:
        return None
    levels = list(scheme.levels)
    return levels[int(rng.choice(len(levels), p=list(scheme.levels.values())))]


def _certificate(
    rng: np.random.Generator,
    scheme: SchemeAssumption,
    holder: tuple[str, str],
    rules: CertificationAssumptions,
    number: int,
    *,
    may_expire: bool,
) -> dict[str, object]:
    expired = bool(rng.random() < rules.expired_share) and may_expire
    valid_from, valid_to = _validity(rng, scheme.validity_years, rules, expired)
    return _complete(
        "certification",
        {
            "holder_kind": holder[0],
            "holder_id": holder[1],
            "scheme": scheme.scheme,
            "level": _level(rng, scheme),
            "certificate_number": f"SYN-{scheme.scheme.replace('_', '').upper()}-{number:04d}",
            "issuer": rules.issuer,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "is_synthetic": True,
        },
    )


def _certification_rows(
    rng: np.random.Generator, tenants: Sequence[_Tenant], rules: CertificationAssumptions
) -> list[dict[str, object]]:
    rows = [
        _certificate(rng, scheme, ("park", DEMO_PARK_ID), rules, number, may_expire=False)
        for number, scheme in enumerate(rules.park_schemes, start=1)
    ]
    weights = np.sqrt(np.array([tenant.floor_area_m2 for tenant in tenants]))
    probabilities = weights / weights.sum()
    for scheme in rules.firm_schemes:
        holders = rng.choice(len(tenants), size=scheme.holder_count(len(tenants)), replace=False, p=probabilities)
        for index in sorted(int(i) for i in holders):
            holder = ("firm", tenants[index].firm_id)
            rows.append(_certificate(rng, scheme, holder, rules, len(rows) + 1, may_expire=True))
    return rows


def demo_registry(seed: int = DEFAULT_SEED) -> dict[str, list[dict[str, object]]]:
    """Return the demo registry: 13 real reference parks plus the synthetic park ``demo``.

    The synthetic park, its 60 tenant firms, their meters and the certificates are generated
    reproducibly from ``seed``, as documented in this module's docstring (distributions,
    ranges, meter rules, certificate shares); the parameters are in
    ``data/synthetic_assumptions.yaml``. Synthetic rows have ``is_synthetic`` True; the
    reference parks (False) get no firms, meters or certificates.

    Parameters
    ----------
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives identical rows.

    Returns
    -------
    dict
        ``{"park": [...], "firm": [...], "meter": [...], "certification": [...]}``; each row
        maps every attribute name of the entity's attribute table to a plain Python value
        (str, int, float, bool, ``datetime.date``) or None. The demo park comes first.
    """
    rng = np.random.default_rng(seed)
    assumptions = demo_assumptions()
    park = demo_park_row(seed)
    tenants = _tenants(rng, assumptions, DEMO_LEASED_LAND_HA)
    meters = _meter_rows(rng, tenants)
    certifications = _certification_rows(rng, tenants, assumptions.certifications)
    return {
        "park": [park, *reference_park_rows()],
        "firm": [tenant.row for tenant in tenants],
        "meter": meters,
        "certification": certifications,
    }
