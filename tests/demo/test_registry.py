import re
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from ecozone.demo import DEFAULT_SEED, DEMO_PARK_ID, demo_registry
from ecozone.demo.assumptions import demo_assumptions
from ecozone.demo.registry import FIRM_COUNT, apportion
from ecozone.provinces import boundaries, resolve_province
from ecozone.registry.schema import entity_schema, vocabulary
from ecozone.units import parse_unit

Registry = dict[str, list[dict[str, object]]]
PLAIN_TYPES = {str, int, float, bool, date, type(None)}
IDENTIFIER = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
DEFAULT = demo_registry()
AS_OF = date(2024, 1, 1)


def number(value: object) -> float:
    assert isinstance(value, int | float)
    return float(value)


def demo_park(registry: Registry) -> dict[str, object]:
    return next(row for row in registry["park"] if row["id"] == DEMO_PARK_ID)


def check_invariants(registry: Registry) -> None:
    """Every invariant the rows must satisfy, whatever the seed."""
    for entity, rows in registry.items():
        schema = entity_schema(entity)
        for row in rows:
            assert tuple(row) == schema.names
            for attribute in schema.attributes:
                value = row[attribute.name]
                assert type(value) in PLAIN_TYPES, (entity, attribute.name, type(value))
                if attribute.required:
                    assert value not in (None, ""), (entity, attribute.name)
                if value is None:
                    continue
                if attribute.type == "identifier":
                    assert IDENTIFIER.match(str(value))
                if attribute.type == "code":
                    assert value in vocabulary(str(attribute.values)), (entity, attribute.name, value)
                if attribute.minimum is not None:
                    assert number(value) >= attribute.minimum
                if attribute.maximum is not None:
                    assert number(value) <= attribute.maximum

    parks = {row["id"]: row for row in registry["park"]}
    firms = {row["id"]: row for row in registry["firm"]}
    meters = registry["meter"]
    ids = [*parks, *firms, *(m["id"] for m in meters)]
    assert len(ids) == len(set(ids))

    for park in parks.values():
        for smaller, larger in (
            ("industrial_land_ha", "total_area_ha"),
            ("leased_land_ha", "industrial_land_ha"),
            ("green_area_ha", "total_area_ha"),
        ):
            if park[smaller] is not None:
                assert number(park[smaller]) <= number(park[larger])

    for firm in firms.values():
        assert firm["park_id"] == DEMO_PARK_ID
        assert firm["is_synthetic"] is True
        assert number(firm["roof_area_m2"]) <= number(firm["floor_area_m2"])
        assert number(firm["annual_production"]) > 0
        assert firm["production_unit"] in {"t", "pcs", "m2"}
    land = sum(number(firm["land_area_ha"]) for firm in firms.values())
    assert land <= number(demo_park(registry)["leased_land_ha"])

    for meter in meters:
        assert meter["park_id"] in parks
        assert meter["is_synthetic"] is True
        if meter["owner_kind"] == "firm":
            assert meter["firm_id"] in firms
            assert firms[meter["firm_id"]]["park_id"] == meter["park_id"]
        else:
            assert meter["firm_id"] is None
        dimensions = vocabulary("carrier")[str(meter["carrier"])]["dimensions"]
        assert parse_unit(str(meter["unit"])).dimension in dimensions, meter
        assert parse_unit(str(meter["unit"])).symbol == meter["unit"]
        if meter["voltage_level"] is not None:
            assert meter["carrier"] == "electricity"
    per_firm = Counter(meter["firm_id"] for meter in meters if meter["firm_id"])
    assert all(per_firm[firm_id] >= 2 for firm_id in firms)

    keys = set()
    for certificate in registry["certification"]:
        key = (certificate["holder_kind"], certificate["holder_id"], certificate["scheme"], certificate["valid_from"])
        assert key not in keys
        keys.add(key)
        holders = firms if certificate["holder_kind"] == "firm" else parks
        assert certificate["holder_id"] in holders
        levels = vocabulary("certification_scheme")[str(certificate["scheme"])].get("levels", [])
        if levels:
            assert certificate["level"] in levels
        else:
            assert certificate["level"] is None
        valid_from, valid_to = certificate["valid_from"], certificate["valid_to"]
        assert isinstance(valid_from, date)
        assert valid_to is None or (isinstance(valid_to, date) and valid_to >= valid_from)


def test_default_registry_invariants() -> None:
    check_invariants(DEFAULT)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_invariants_hold_for_any_seed(seed: int) -> None:
    check_invariants(demo_registry(seed))


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert demo_registry(7) == demo_registry(7)
    assert demo_registry(DEFAULT_SEED) == DEFAULT
    other = demo_registry(8)
    assert other["firm"] != demo_registry(7)["firm"]
    assert other["park"][1:] == DEFAULT["park"][1:]  # the reference parks do not depend on the seed


def test_counts() -> None:
    assert len(DEFAULT["park"]) == 14
    assert sum(1 for park in DEFAULT["park"] if park["is_synthetic"]) == 1
    assert 55 <= len(DEFAULT["firm"]) <= 65
    assert [firm["id"] for firm in DEFAULT["firm"]] == [f"demo-f{n:02d}" for n in range(1, FIRM_COUNT + 1)]


def test_demo_park_is_labelled_and_fixed() -> None:
    park = demo_park(DEFAULT)
    assert park["is_synthetic"] is True
    assert "giả lập" in str(park["name_vi"])
    assert "synthetic" in str(park["name_en"])
    assert resolve_province(str(park["province"])).old_code == "74"
    expected = {
        "park_type": "general",
        "status": "operating",
        "total_area_ha": 600,
        "industrial_land_ha": 420,
        "leased_land_ha": 330,
        "green_area_ha": 66,
        "power_capacity_mw": 250,
        "water_supply_capacity_m3_day": 30_000,
        "wastewater_capacity_m3_day": 20_000,
        "developer": "Demo Development JSC (synthetic)",
    }
    assert {name: park[name] for name in expected} == expected
    binh_duong = [shape(f["geometry"]) for f in boundaries("2008")["features"] if f["properties"]["code"] == "74"]
    point = Point(number(park["longitude"]), number(park["latitude"]))
    assert any(polygon.contains(point) for polygon in binh_duong)


def test_every_park_row_has_every_required_attribute() -> None:
    required = [a.name for a in entity_schema("park").attributes if a.required]
    for park in DEFAULT["park"]:
        assert all(park[name] not in (None, "") for name in required)


def test_sectors_are_apportioned_and_use_vsic_divisions() -> None:
    sectors = demo_assumptions().sectors
    expected = dict(zip((s.vsic_code for s in sectors), apportion([s.share for s in sectors], FIRM_COUNT), strict=True))
    assert Counter(firm["vsic_code"] for firm in DEFAULT["firm"]) == expected
    assert set(expected) == {"26", "14", "13", "10", "25", "22", "20", "52"}
    countries = set(demo_assumptions().investor_countries)
    assert {firm["investor_country"] for firm in DEFAULT["firm"]} <= countries


def test_apportion_by_hand() -> None:
    # quotas 3.5, 2.1, 1.4 -> floors 3, 2, 1; the one left goes to the largest remainder (0.5)
    assert apportion([0.5, 0.3, 0.2], 7) == [4, 2, 1]
    # 60 firms: 12, 9, 4.8, 7.2, 10.2, 7.2, 3.6, 6 -> remainders 0.8 and 0.6 get the two left
    assert apportion([0.20, 0.15, 0.08, 0.12, 0.17, 0.12, 0.06, 0.10], 60) == [12, 9, 5, 7, 10, 7, 4, 6]


def test_buildings_follow_the_sector_ranges() -> None:
    by_code = {s.vsic_code: s for s in demo_assumptions().sectors}
    for firm in DEFAULT["firm"]:
        sector = by_code[str(firm["vsic_code"])]
        floor, roof, land = number(firm["floor_area_m2"]), number(firm["roof_area_m2"]), number(firm["land_area_ha"])
        plot_m2 = land * 10_000
        # floor = plot x coverage x storeys, within rounding to 1 m2
        assert plot_m2 * sector.building_coverage[0] * sector.storeys[0] - 1 <= floor
        assert floor <= plot_m2 * sector.building_coverage[1] * sector.storeys[1] + 1
        assert roof <= plot_m2 * sector.building_coverage[1] + 1
        employees = int(number(firm["employees"]))
        low, high = sector.floor_area_m2_per_employee
        assert employees == 5 or floor / high - 1 <= employees <= floor / low + 1
        # no land scaling at the default seed, so plots lie in their sector's range
        assert sector.land_area_ha[0] - 0.01 <= land <= sector.land_area_ha[1]


def test_meter_rules() -> None:
    firms = {firm["id"]: firm for firm in DEFAULT["firm"]}
    by_firm: dict[object, dict[object, dict[str, object]]] = {}
    for meter in DEFAULT["meter"]:
        by_firm.setdefault(meter["firm_id"], {})[meter["carrier"]] = meter
    park_meters = by_firm.pop(None)
    assert set(park_meters) == {"electricity", "wastewater", "solar_pv"}
    assert sum(1 for m in DEFAULT["meter"] if m["owner_kind"] == "park") == 4
    assert all(m["owner_kind"] == "park" for m in park_meters.values())
    for firm_id, meters in by_firm.items():
        firm = firms[firm_id]
        big = number(firm["floor_area_m2"]) >= 20_000
        electricity = meters["electricity"]
        assert (electricity["unit"], electricity["interval_minutes"]) == ("kWh", 15)
        assert electricity["voltage_level"] == ("22_110kv" if big else "6_22kv")
        assert (meters["water_withdrawal"]["unit"], meters["water_withdrawal"]["interval_minutes"]) == ("m3", 1440)
        manufacturer = firm["vsic_code"] != "52"
        assert ("solid_waste" in meters) is manufacturer
        assert ("hazardous_waste" in meters) is manufacturer
        if manufacturer:
            assert meters["hazardous_waste"]["unit"] == ("t" if big else "kg")
        if "coal" in meters or "biomass" in meters:
            assert firm["vsic_code"] in {"10", "13", "20"}
        if "diesel" in meters:
            assert meters["diesel"]["unit"] == "L"
        if "lpg" in meters:
            assert meters["lpg"]["unit"] == "kg"
    assert sum(1 for meters in by_firm.values() if "coal" in meters or "biomass" in meters) > 0


def test_certificate_shares_and_dates() -> None:
    firm_certificates = Counter(c["scheme"] for c in DEFAULT["certification"] if c["holder_kind"] == "firm")
    assert firm_certificates["iso_14001"] == 24  # 40 % of 60
    assert firm_certificates["iso_50001"] == 9  # 15 % of 60
    assert firm_certificates["iso_45001"] == 12  # 20 % of 60
    assert (firm_certificates["leed"], firm_certificates["green_mark"], firm_certificates["lotus"]) == (2, 1, 2)
    park_certificates = [c for c in DEFAULT["certification"] if c["holder_kind"] == "park"]
    assert [(c["holder_id"], c["scheme"]) for c in park_certificates] == [(DEMO_PARK_ID, "iso_14001")]
    park_from, park_to = park_certificates[0]["valid_from"], park_certificates[0]["valid_to"]
    assert isinstance(park_from, date)
    assert isinstance(park_to, date)
    assert park_from <= AS_OF <= park_to
    expired = 0
    for certificate in DEFAULT["certification"]:
        valid_from, valid_to = certificate["valid_from"], certificate["valid_to"]
        assert isinstance(valid_from, date)
        if certificate["scheme"] == "leed":
            assert valid_to is None
            continue
        assert isinstance(valid_to, date)
        # three-year validity, last day the day before the anniversary
        if (valid_from.month, valid_from.day) != (2, 29):
            assert valid_to == date(valid_from.year + 3, valid_from.month, valid_from.day) - timedelta(days=1)
        if valid_to < AS_OF:
            expired += 1
        else:
            assert valid_from <= AS_OF
    assert 0 < expired < len(DEFAULT["certification"]) / 2


def test_every_cell_passes_the_registry_parser() -> None:
    # the importer's own cell parser checks VSIC codes, countries, units, provinces and ranges
    from ecozone.registry.validation import parse_value

    for entity, rows in DEFAULT.items():
        schema = entity_schema(entity)
        for row in rows:
            for attribute in schema.attributes:
                if row[attribute.name] is not None:
                    parse_value(attribute, row[attribute.name])
