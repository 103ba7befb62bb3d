"""Assumptions behind the synthetic demo park, read from ``data/synthetic_assumptions.yaml``.

The file holds the illustrative parameters of the demo's tenant firms (ranges per sector),
the investor-country mix, the size threshold and the certificate shares. They are
assumptions for synthetic data (status ``unverified``), not statistics; the loader checks
that every sector, country share, scheme and level is well formed and fails helpfully
otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.errors import ReferenceDataError
from ecozone.registry.schema import vocabulary

ASSUMPTIONS_FILE = "synthetic_assumptions.yaml"
SECTOR_FIELDS = (
    "vsic_code",
    "name_vi",
    "name_en",
    "share",
    "manufacturer",
    "land_area_ha",
    "building_coverage",
    "storeys",
    "roof_usable_share",
    "floor_area_m2_per_employee",
    "products",
    "meters",
    "source",
    "status",
)
METER_PROBABILITIES = ("diesel", "lpg", "boiler", "boiler_coal_share")

Range = tuple[float, float]


@dataclass(frozen=True)
class Product:
    """A possible main product of a sector.

    Attributes
    ----------
    name : str
        Product name (English).
    unit : str
        Unit in which production is counted (``t``, ``pcs``, ``m2``).
    per_employee : tuple of float
        Range of annual production per employee [unit/(person·yr)].
    """

    name: str
    unit: str
    per_employee: Range


@dataclass(frozen=True)
class SectorProfile:
    """Illustrative ranges for the synthetic tenants of one sector.

    Attributes
    ----------
    key : str
        Sector key, e.g. ``electronics``.
    vsic_code : str
        VSIC 2018 division.
    name_vi, name_en : str
        Sector labels.
    share : float
        Share of the demo park's tenants [-].
    manufacturer : bool
        True if the firm produces goods (it then gets waste meters).
    land_area_ha : tuple of float
        Plot area range [ha].
    building_coverage : tuple of float
        Footprint / plot range [-].
    storeys : tuple of int
        Storey range [-].
    roof_usable_share : tuple of float
        PV-usable roof / footprint range [-].
    floor_area_m2_per_employee : tuple of float
        Floor area per employee range [m2/person].
    products : tuple of Product
        Possible main products.
    diesel_probability, lpg_probability, boiler_probability : float
        Probability of a diesel meter, an LPG meter and a fuel-fired boiler [-].
    boiler_coal_share : float
        Share of boilers burning coal; the rest burn biomass [-].
    """

    key: str
    vsic_code: str
    name_vi: str
    name_en: str
    share: float
    manufacturer: bool
    land_area_ha: Range
    building_coverage: Range
    storeys: tuple[int, int]
    roof_usable_share: Range
    floor_area_m2_per_employee: Range
    products: tuple[Product, ...]
    diesel_probability: float
    lpg_probability: float
    boiler_probability: float
    boiler_coal_share: float


@dataclass(frozen=True)
class SchemeAssumption:
    """How many holders a certification scheme gets and how long a certificate lasts.

    Attributes
    ----------
    scheme : str
        Code of ``certification_scheme`` (``iso_14001``, ``leed``, ...).
    share : float or None
        Share of demo firms holding it [-] (None when ``count`` is given).
    count : int or None
        Number of demo firms holding it (None when ``share`` is given).
    validity_years : int or None
        Validity period [yr]; None for open-ended certificates.
    levels : dict
        Level weights for rated schemes, ``{level: weight}``; empty otherwise.
    """

    scheme: str
    share: float | None
    count: int | None
    validity_years: int | None
    levels: dict[str, float]

    def holder_count(self, firms: int) -> int:
        """Return how many of ``firms`` hold the certificate."""
        if self.count is not None:
            return min(self.count, firms)
        return round((self.share or 0.0) * firms)


@dataclass(frozen=True)
class CertificationAssumptions:
    """Certificate shares and dating rules (see ``certifications`` in the YAML file)."""

    as_of: date
    expired_share: float
    lookback_years: int
    issuer: str
    firm_schemes: tuple[SchemeAssumption, ...]
    park_schemes: tuple[SchemeAssumption, ...]


@dataclass(frozen=True)
class DemoAssumptions:
    """Every parameter of the synthetic demo generator.

    Attributes
    ----------
    sectors : tuple of SectorProfile
        Tenant sectors in file order.
    investor_countries : dict
        ``{ISO alpha-2: share}``, shares summing to 1.
    big_floor_area_m2 : float
        Floor area from which a tenant is "big" [m2].
    certifications : CertificationAssumptions
        Certificate rules.
    source, edition, status : str
        Provenance of the file.
    """

    sectors: tuple[SectorProfile, ...]
    investor_countries: dict[str, float]
    big_floor_area_m2: float
    certifications: CertificationAssumptions
    source: str
    edition: str
    status: str

    def sector(self, key: str) -> SectorProfile:
        """Return the sector called ``key``."""
        for sector in self.sectors:
            if sector.key == key:
                return sector
        raise ReferenceDataError("demo.unknown_sector", sector=key, known=", ".join(s.key for s in self.sectors))


def _fail(detail: str) -> ReferenceDataError:
    return ReferenceDataError("demo.bad_assumptions", file=ASSUMPTIONS_FILE, detail=detail)


def _range(raw: Any, where: str) -> Range:
    if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(v, int | float) for v in raw)):
        raise _fail(f"{where}: expected [low, high], got {raw!r}")
    low, high = float(raw[0]), float(raw[1])
    if not 0 <= low <= high:
        raise _fail(f"{where}: expected 0 <= low <= high, got {raw!r}")
    return low, high


def _probability(raw: Any, where: str) -> float:
    if not isinstance(raw, int | float) or not 0 <= raw <= 1:
        raise _fail(f"{where}: expected a probability between 0 and 1, got {raw!r}")
    return float(raw)


def _check_shares(shares: dict[str, float], where: str) -> None:
    if not math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9):
        raise _fail(f"{where}: shares sum to {sum(shares.values())}, not 1")


def _product(raw: dict[str, Any], where: str) -> Product:
    return Product(str(raw["name"]), str(raw["unit"]), _range(raw["per_employee"], f"{where}.per_employee"))


def _sector(key: str, raw: dict[str, Any]) -> SectorProfile:
    missing = [name for name in SECTOR_FIELDS if name not in raw]
    if missing:
        raise _fail(f"sector {key}: missing {', '.join(missing)}")
    meters = raw["meters"]
    unknown = set(meters) ^ set(METER_PROBABILITIES)
    if unknown:
        raise _fail(f"sector {key}: meters needs exactly {', '.join(METER_PROBABILITIES)}")
    low_storeys, high_storeys = _range(raw["storeys"], f"{key}.storeys")
    return SectorProfile(
        key=key,
        vsic_code=str(raw["vsic_code"]),
        name_vi=str(raw["name_vi"]),
        name_en=str(raw["name_en"]),
        share=_probability(raw["share"], f"{key}.share"),
        manufacturer=bool(raw["manufacturer"]),
        land_area_ha=_range(raw["land_area_ha"], f"{key}.land_area_ha"),
        building_coverage=_range(raw["building_coverage"], f"{key}.building_coverage"),
        storeys=(int(low_storeys), int(high_storeys)),
        roof_usable_share=_range(raw["roof_usable_share"], f"{key}.roof_usable_share"),
        floor_area_m2_per_employee=_range(raw["floor_area_m2_per_employee"], f"{key}.floor_area_m2_per_employee"),
        products=tuple(_product(p, f"{key}.products[{i}]") for i, p in enumerate(raw["products"])),
        diesel_probability=_probability(meters["diesel"], f"{key}.meters.diesel"),
        lpg_probability=_probability(meters["lpg"], f"{key}.meters.lpg"),
        boiler_probability=_probability(meters["boiler"], f"{key}.meters.boiler"),
        boiler_coal_share=_probability(meters["boiler_coal_share"], f"{key}.meters.boiler_coal_share"),
    )


def _scheme(scheme: str, raw: dict[str, Any]) -> SchemeAssumption:
    entry = vocabulary("certification_scheme").get(scheme)
    if entry is None:
        raise _fail(f"unknown certification scheme {scheme!r}")
    levels = {str(level): float(weight) for level, weight in (raw.get("levels") or {}).items()}
    allowed = entry.get("levels", [])
    if any(level not in allowed for level in levels) or (allowed and not levels):
        raise _fail(f"{scheme}: levels must be weights over {allowed or 'no levels'}, got {sorted(levels)}")
    if levels:
        total = sum(levels.values())
        levels = {level: weight / total for level, weight in levels.items()}
    validity = raw.get("validity_years")
    return SchemeAssumption(
        scheme=scheme,
        share=_probability(raw["share"], f"{scheme}.share") if "share" in raw else None,
        count=int(raw["count"]) if "count" in raw else None,
        validity_years=int(validity) if validity is not None else None,
        levels=levels,
    )


def _certifications(raw: dict[str, Any]) -> CertificationAssumptions:
    as_of = raw["as_of"]
    if not isinstance(as_of, date):
        raise _fail(f"certifications.as_of: expected a date, got {as_of!r}")
    return CertificationAssumptions(
        as_of=as_of,
        expired_share=_probability(raw["expired_share"], "certifications.expired_share"),
        lookback_years=int(raw["lookback_years"]),
        issuer=str(raw["issuer"]),
        firm_schemes=tuple(_scheme(k, v) for k, v in raw["firm_schemes"].items()),
        park_schemes=tuple(_scheme(k, v) for k, v in raw["park_schemes"].items()),
    )


def parse_assumptions(raw: dict[str, Any]) -> DemoAssumptions:
    """Build and check the assumptions from the parsed YAML mapping ``raw``.

    Raises
    ------
    ReferenceDataError
        If a field is missing or malformed, shares do not sum to 1, or a scheme or level is unknown.
    """
    try:
        sectors = tuple(_sector(key, value) for key, value in raw["sectors"].items())
        _check_shares({s.key: s.share for s in sectors}, "sectors")
        countries = {str(code): float(share) for code, share in raw["investor_countries"]["shares"].items()}
        _check_shares(countries, "investor_countries")
        return DemoAssumptions(
            sectors=sectors,
            investor_countries=countries,
            big_floor_area_m2=float(raw["size_classes"]["big_floor_area_m2"]),
            certifications=_certifications(raw["certifications"]),
            source=str(raw["source"]),
            edition=str(raw["edition"]),
            status=str(raw["status"]),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise _fail(f"missing or malformed field: {exc}") from exc


@cache
def demo_assumptions() -> DemoAssumptions:
    """Return the shipped assumptions of the synthetic demo (``data/synthetic_assumptions.yaml``)."""
    text = resources.files(__package__).joinpath("data", ASSUMPTIONS_FILE).read_text(encoding="utf-8")
    return parse_assumptions(yaml.safe_load(text))
