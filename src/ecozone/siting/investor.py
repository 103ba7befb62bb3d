"""Investor profiles: what a factory needs from a park, and what matters most.

A profile is read from YAML (a mapping) or XLSX (a sheet ``investor`` with columns ``field``
and ``value``, weights as rows ``weight:<criterion>``, and an optional sheet ``ahp`` holding
the comparison matrix with the criteria as header row) and validated as a whole: every
problem is reported at once (negative or zero sizes, unknown sector code, unknown
certificate scheme or criterion, a bad AHP matrix). Weights that do not sum to one are
normalised and a notice says so; AHP comparisons, when given, replace stated weights; with
neither, every criterion gets the same weight and a notice says so.

Fields (units in brackets)::

    name: text
    sector_vsic: VSIC 2018 code, e.g. "26" (required)
    land_ha: land needed [ha] (required, > 0)
    power_mw: power demand [MW]
    renewable_share_target_pct: share of renewable electricity targeted [%] (100 for RE100)
    water_m3_day, wastewater_m3_day: [m3/day]
    workforce: workers needed [person]
    max_km_to_seaport, max_km_to_airport, max_km_to_border_gate, max_km_to_expressway: [km]
    required_park_certifications: certificate schemes the park must hold (vocabulary codes)
    require_eip: true if the park must be an eco-industrial park
    land_rent_budget_vnd_m2: most the investor pays for land [VND/m2]
    exclude_when_unknown: true to exclude parks whose data cannot confirm a hard constraint
    weights: {criterion: weight}
    ahp: {criteria: [names], matrix: [[a_ij]]}
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ecozone.errors import FileFormatError
from ecozone.registry.schema import resolve_code
from ecozone.registry.vsic import normalise_vsic
from ecozone.siting.ahp import AhpResult, ahp_weights
from ecozone.siting.criteria import CRITERION_NAMES
from ecozone.siting.errors import AhpMatrixError, InvestorProfileError
from ecozone.siting.notices import Notice

INVESTOR_FORMATS = (".yaml", ".yml", ".xlsx")
NUMBER_FIELDS = (
    "land_ha",
    "power_mw",
    "renewable_share_target_pct",
    "water_m3_day",
    "wastewater_m3_day",
    "workforce",
    "max_km_to_seaport",
    "max_km_to_airport",
    "max_km_to_border_gate",
    "max_km_to_expressway",
    "land_rent_budget_vnd_m2",
)
POSITIVE_FIELDS = ("land_ha", "max_km_to_seaport", "max_km_to_airport", "max_km_to_border_gate", "max_km_to_expressway")
FLAG_FIELDS = ("require_eip", "exclude_when_unknown")
KNOWN_FIELDS = ("name", "sector_vsic", *NUMBER_FIELDS, "required_park_certifications", *FLAG_FIELDS, "weights", "ahp")
WEIGHT_TOLERANCE = 1e-6
PERCENT_MAX = 100.0

Problems = list[tuple[str, dict[str, object]]]


@dataclass(frozen=True)
class InvestorProfile:
    """A validated investor profile (see the module docstring for the fields and units).

    Attributes
    ----------
    weights : dict of str to float
        Criterion weights actually used [-]: only positive ones, summing to one.
    weight_origin : str
        ``stated`` (from ``weights``), ``ahp`` (from the comparison matrix) or ``equal``.
    ahp : AhpResult or None
        The AHP derivation when comparisons were given.
    notices : tuple of Notice
        What validation changed or wants the user to know.
    source : str
        Where the profile came from.
    """

    name: str
    sector_vsic: str
    land_ha: float
    power_mw: float | None = None
    renewable_share_target_pct: float | None = None
    water_m3_day: float | None = None
    wastewater_m3_day: float | None = None
    workforce: float | None = None
    max_km_to_seaport: float | None = None
    max_km_to_airport: float | None = None
    max_km_to_border_gate: float | None = None
    max_km_to_expressway: float | None = None
    land_rent_budget_vnd_m2: float | None = None
    required_park_certifications: tuple[str, ...] = ()
    require_eip: bool = False
    exclude_when_unknown: bool = False
    weights: Mapping[str, float] | None = None
    weight_origin: str = "equal"
    ahp: AhpResult | None = None
    notices: tuple[Notice, ...] = ()
    source: str = "api"

    @property
    def sector_division(self) -> str:
        """The VSIC 2018 division (two digits) of the investor's sector."""
        return self.sector_vsic[:2] if self.sector_vsic[:1].isdigit() else self.sector_vsic

    def as_dict(self) -> dict[str, Any]:
        """Return the profile as JSON-ready data (notices excluded)."""
        data: dict[str, Any] = {name: getattr(self, name) for name in ("name", "sector_vsic", *NUMBER_FIELDS, *FLAG_FIELDS)}
        data["required_park_certifications"] = list(self.required_park_certifications)
        data["weights"] = dict(self.weights or {})
        data["weight_origin"] = self.weight_origin
        return data


def _number(data: Mapping[str, Any], name: str, problems: Problems) -> float | None:
    raw = data.get(name)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(str(raw).replace(",", "")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        problems.append(("siting.investor.not_a_number", {"field": name, "value": raw}))
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(("siting.investor.negative", {"field": name, "value": raw}))
        return None
    if name in POSITIVE_FIELDS and value == 0:
        problems.append(("siting.investor.not_positive", {"field": name, "value": raw}))
        return None
    if name == "renewable_share_target_pct" and value > PERCENT_MAX:
        problems.append(("siting.investor.percent", {"field": name, "value": raw}))
        return None
    return value


def _flag(data: Mapping[str, Any], name: str, problems: Problems) -> bool:
    raw = data.get(name, False)
    if isinstance(raw, bool) or raw is None:
        return bool(raw)
    text = str(raw).strip().casefold()
    if text in ("true", "yes", "1", "có", "co"):
        return True
    if text in ("false", "no", "0", "không", "khong", ""):
        return False
    problems.append(("siting.investor.not_a_flag", {"field": name, "value": raw}))
    return False


def _sector(data: Mapping[str, Any], problems: Problems) -> str:
    raw = data.get("sector_vsic")
    if raw is None or not str(raw).strip():
        problems.append(("siting.investor.missing", {"field": "sector_vsic"}))
        return ""
    code = normalise_vsic(str(raw))
    if code is None:
        problems.append(("siting.investor.unknown_sector", {"code": raw}))
        return ""
    return code


def _certifications(data: Mapping[str, Any], problems: Problems) -> tuple[str, ...]:
    raw = data.get("required_park_certifications") or []
    items = [part.strip() for part in raw.split(",")] if isinstance(raw, str) else [str(part) for part in raw]
    codes = []
    for item in filter(None, items):
        code = resolve_code("certification_scheme", item)
        if code is None:
            problems.append(("siting.investor.unknown_certification", {"scheme": item}))
        else:
            codes.append(code)
    return tuple(dict.fromkeys(codes))


def _stated_weights(raw: Any, problems: Problems, notices: list[Notice]) -> dict[str, float] | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        problems.append(("siting.investor.weights_not_mapping", {}))
        return None
    weights: dict[str, float] = {}
    for name, value in raw.items():
        if name not in CRITERION_NAMES:
            problems.append(("siting.investor.unknown_criterion", {"name": name, "known": ", ".join(CRITERION_NAMES)}))
            continue
        number = _number({str(name): value}, str(name), problems)
        if number is not None:
            weights[str(name)] = number
    total = sum(weights.values())
    if weights and total <= 0:
        problems.append(("siting.investor.weights_zero", {}))
        return None
    if weights and abs(total - 1.0) > WEIGHT_TOLERANCE:
        notices.append(Notice("siting.investor.weights_normalised", {"total": round(total, 6)}))
    return {name: value / total for name, value in weights.items() if value > 0} if weights else None


def _ahp(raw: Any, problems: Problems) -> AhpResult | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or "criteria" not in raw or "matrix" not in raw:
        problems.append(("siting.investor.ahp_shape", {}))
        return None
    names = [str(name) for name in raw["criteria"]]
    unknown = [name for name in names if name not in CRITERION_NAMES]
    if unknown:
        problems.extend(
            ("siting.investor.unknown_criterion", {"name": name, "known": ", ".join(CRITERION_NAMES)}) for name in unknown
        )
        return None
    try:
        return ahp_weights(raw["matrix"], names)
    except AhpMatrixError as error:
        problems.append((error.key, dict(error.params)))
        return None


def investor_from_mapping(data: Mapping[str, Any], source: str = "api") -> InvestorProfile:
    """Validate an investor profile given as a mapping (parsed YAML, JSON or spreadsheet rows).

    Raises
    ------
    InvestorProfileError
        Listing every problem found.
    """
    problems: Problems = []
    notices: list[Notice] = []
    for key in data:
        if key not in KNOWN_FIELDS:
            problems.append(("siting.investor.unknown_field", {"field": key, "known": ", ".join(KNOWN_FIELDS)}))
    numbers = {name: _number(data, name, problems) for name in NUMBER_FIELDS}
    if data.get("land_ha") is None:
        problems.append(("siting.investor.missing", {"field": "land_ha"}))
    sector = _sector(data, problems)
    certifications = _certifications(data, problems)
    flags = {name: _flag(data, name, problems) for name in FLAG_FIELDS}
    weights = _stated_weights(data.get("weights"), problems, notices)
    ahp = _ahp(data.get("ahp"), problems)
    if problems:
        raise InvestorProfileError(source, problems)
    origin = "stated"
    if ahp is not None:
        if weights is not None:
            notices.append(Notice("siting.investor.ahp_replaces_weights", {}))
        notices.extend(ahp.notices)
        weights, origin = {name: weight for name, weight in ahp.weight_map().items() if weight > 0}, "ahp"
    elif weights is None:
        weights, origin = dict.fromkeys(CRITERION_NAMES, 1.0 / len(CRITERION_NAMES)), "equal"
        notices.append(Notice("siting.investor.equal_weights", {"count": len(CRITERION_NAMES)}))
    land = numbers["land_ha"]
    assert land is not None
    return InvestorProfile(
        name=str(data.get("name") or "investor"),
        sector_vsic=sector,
        land_ha=land,
        power_mw=numbers["power_mw"],
        renewable_share_target_pct=numbers["renewable_share_target_pct"],
        water_m3_day=numbers["water_m3_day"],
        wastewater_m3_day=numbers["wastewater_m3_day"],
        workforce=numbers["workforce"],
        max_km_to_seaport=numbers["max_km_to_seaport"],
        max_km_to_airport=numbers["max_km_to_airport"],
        max_km_to_border_gate=numbers["max_km_to_border_gate"],
        max_km_to_expressway=numbers["max_km_to_expressway"],
        land_rent_budget_vnd_m2=numbers["land_rent_budget_vnd_m2"],
        required_park_certifications=certifications,
        require_eip=flags["require_eip"],
        exclude_when_unknown=flags["exclude_when_unknown"],
        weights=weights,
        weight_origin=origin,
        ahp=ahp,
        notices=tuple(notices),
        source=source,
    )


def _xlsx_mapping(path: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = {sheet.title.casefold(): list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
    finally:
        workbook.close()
    rows = sheets.get("investor") or next(iter(sheets.values()))
    data: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    for row in rows[1:]:
        if not row or row[0] is None:
            continue
        field, value = str(row[0]).strip(), row[1] if len(row) > 1 else None
        if field.startswith("weight:"):
            weights[field.removeprefix("weight:").strip()] = value
        else:
            data[field] = value
    if weights:
        data["weights"] = weights
    if sheets.get("ahp"):
        header, *matrix = sheets["ahp"]
        names = [str(name) for name in header[1:] if name is not None]
        data["ahp"] = {
            "criteria": names,
            "matrix": [list(row[1 : len(names) + 1]) for row in matrix if row and row[0] is not None],
        }
    return data


def load_investor(path: Path) -> InvestorProfile:
    """Read and validate an investor profile from a YAML or XLSX file.

    Raises
    ------
    FileFormatError
        If the file is missing, of another format or not a YAML mapping.
    InvestorProfileError
        If the profile fails validation.
    """
    if not path.is_file():
        raise FileFormatError("file.not_found", file=str(path))
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return investor_from_mapping(_xlsx_mapping(path), path.name)
    if suffix not in INVESTOR_FORMATS:
        raise FileFormatError("file.unknown_format", file=path.name, suffix=suffix, known=", ".join(INVESTOR_FORMATS))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FileFormatError("siting.investor.bad_yaml", file=path.name, detail=str(exc)) from exc
    if not isinstance(data, Mapping):
        raise FileFormatError("siting.investor.bad_yaml", file=path.name, detail="not a mapping")
    return investor_from_mapping(data, path.name)
