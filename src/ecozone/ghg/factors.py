"""Emission-factor sets as data, one loader per kind.

Every factor file lives in ``factor_sets/`` and carries, on every row, its value, unit,
``source``, ``edition``, ``status`` (``verified`` only when read in the primary text, else
``unverified``; the grid factors use ``official`` / ``research_estimate``) and
``uncertainty_pct``: the half-width of the 95 % confidence interval in percent of the value
(blank when no uncertainty is published). Loaders fail with the known names when asked for an
unknown one.

Files
-----
fuels_ipcc2006.csv
    Per fuel: net calorific value [TJ/Gg], density [kg/m3], CO2 [kg/TJ], CH4 and N2O
    [kg/TJ] for stationary and mobile use (IPCC 2006 Guidelines Vol. 2 defaults).
gwp.csv
    100-year global warming potentials of the AR5 and AR6 sets, refrigerants included.
grid_vn.csv
    Viet Nam grid emission factors by year [tCO2/MWh].
scope3_upstream.csv
    Scope 3 category 3 parameters: grid T&D loss share, well-to-tank factors [kgCO2e/GJ].
waste_ipcc2006.csv
    Scope 3 category 5 parameters by waste carrier and fate (IPCC 2006 Vol. 5 defaults).
decree06_thresholds.csv
    Decree 06/2022/ND-CP thresholds of the GHG-inventory obligation.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from ecozone.errors import NotFoundError, ReferenceDataError
from ecozone.ghg.errors import MissingGridFactorError

PROVENANCE_COLUMNS = ("source", "edition", "status", "uncertainty_pct")
GWP_SETS = ("AR5", "AR6")
WASTE_FATES = ("landfilled", "incinerated", "recycled")
ESTIMATE_STATUSES = frozenset({"research_estimate"})
TRUSTED_STATUSES = frozenset({"verified", "official"})


@dataclass(frozen=True)
class Factor:
    """One reference value with its provenance.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``fuel/diesel/co2/any`` or ``grid_vn/2022``.
    kind : str
        What the value is (``ncv``, ``density``, ``co2``, ``grid``, ``gwp``, ``td_loss_share``, ...).
    value : float
        The value, in ``unit``.
    unit : str
        Unit of ``value``.
    uncertainty_pct : float or None
        Half-width of the 95 % interval [% of value]; None when not published.
    source, edition, status, note : str
        Provenance as written in the factor file.
    """

    id: str
    kind: str
    value: float
    unit: str
    uncertainty_pct: float | None
    source: str
    edition: str
    status: str
    note: str = ""

    @property
    def is_trusted(self) -> bool:
        """Whether the value is ``verified`` or ``official``."""
        return self.status in TRUSTED_STATUSES

    @property
    def citation(self) -> str:
        """``source (edition) [status]`` for result tables."""
        return f"{self.source} ({self.edition}) [{self.status}]"


@dataclass(frozen=True)
class Fuel:
    """A fuel of the factor set and its parameters.

    Attributes
    ----------
    name : str
        Fuel name, e.g. ``diesel`` or ``coal_anthracite``.
    carrier : str
        Registry carrier the fuel belongs to (``diesel``, ``coal``, ``biomass``, ...).
    default_for_carrier : bool
        Whether the fuel is used when an activity row gives only the carrier.
    biogenic : bool
        Whether its CO2 is biogenic (reported outside the scopes).
    parameters : mapping
        ``{(parameter, use): Factor}`` with ``use`` in ``any``, ``stationary``, ``mobile``.
    """

    name: str
    carrier: str
    default_for_carrier: bool
    biogenic: bool
    parameters: Mapping[tuple[str, str], Factor] = field(compare=False, hash=False)

    def parameter(self, parameter: str, use: str = "any") -> Factor | None:
        """Return the factor ``parameter`` for ``use`` (falling back to ``any``), or None."""
        return self.parameters.get((parameter, use)) or self.parameters.get((parameter, "any"))


@dataclass(frozen=True)
class Gwp:
    """A global warming potential of one gas in one GWP set."""

    gas: str
    gwp_set: str
    kyoto: bool
    factor: Factor


@dataclass(frozen=True)
class Decree06Threshold:
    """One criterion of the Decree 06/2022 inventory obligation.

    Attributes
    ----------
    criterion : str
        ``emissions`` [tCO2e/yr] or ``energy`` [toe/yr].
    sectors : tuple of str
        Sectors the criterion applies to (``all`` for every sector).
    energy_basis : str
        ``all_energy`` or ``fuels_only`` for energy criteria, empty otherwise.
    value : float
        The threshold [tCO2e/yr or toe/yr].
    """

    criterion: str
    sectors: tuple[str, ...]
    energy_basis: str
    value: float
    unit: str
    source: str
    edition: str
    status: str

    def applies_to(self, sector: str) -> bool:
        """Whether the criterion applies to ``sector``."""
        return "all" in self.sectors or sector in self.sectors


def read_factor_file(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    """Return the rows of factor file ``name``, checking its columns.

    Raises
    ------
    ReferenceDataError
        If the file is missing or lacks a required or provenance column.
    """
    try:
        text = resources.files("ecozone.ghg.factor_sets").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferenceDataError("ghg.factor_file_missing", file=name) from exc
    reader = csv.DictReader(text.splitlines())
    header = tuple(reader.fieldnames or ())
    missing = [column for column in (*required, *PROVENANCE_COLUMNS) if column not in header]
    if missing:
        raise ReferenceDataError("ghg.factor_file_columns", file=name, columns=", ".join(missing))
    return list(reader)


def _optional_number(text: str, file: str, column: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise ReferenceDataError("ghg.factor_not_a_number", file=file, column=column, value=text) from exc


def _number(text: str, file: str, column: str) -> float:
    value = _optional_number(text, file, column)
    if value is None:
        raise ReferenceDataError("ghg.factor_not_a_number", file=file, column=column, value=text)
    return value


def _factor(row: Mapping[str, str], file: str, factor_id: str, kind: str) -> Factor:
    return Factor(
        id=factor_id,
        kind=kind,
        value=_number(row["value"], file, "value"),
        unit=row["unit"],
        uncertainty_pct=_optional_number(row["uncertainty_pct"], file, "uncertainty_pct"),
        source=row["source"],
        edition=row["edition"],
        status=row["status"],
        note=row.get("note", ""),
    )


@cache
def fuels() -> dict[str, Fuel]:
    """Return every fuel of ``fuels_ipcc2006.csv`` by name."""
    file = "fuels_ipcc2006.csv"
    rows = read_factor_file(file, ("fuel", "carrier", "default_for_carrier", "biogenic", "parameter", "use", "value", "unit"))
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        grouped.setdefault(row["fuel"], []).append(row)
    result: dict[str, Fuel] = {}
    for name, fuel_rows in grouped.items():
        first = fuel_rows[0]
        parameters = {
            (r["parameter"], r["use"]): _factor(r, file, f"fuel/{name}/{r['parameter']}/{r['use']}", r["parameter"])
            for r in fuel_rows
        }
        result[name] = Fuel(name, first["carrier"], first["default_for_carrier"] == "yes", first["biogenic"] == "yes", parameters)
    return result


def fuel(name: str) -> Fuel:
    """Return the fuel ``name``.

    Raises
    ------
    NotFoundError
        If the factor set has no such fuel (the message lists the known fuels).
    """
    try:
        return fuels()[name]
    except KeyError as exc:
        raise NotFoundError("ghg.unknown_fuel", fuel=name, known=", ".join(sorted(fuels()))) from exc


def fuel_carriers() -> frozenset[str]:
    """Registry carriers burnt as fuels (those with at least one fuel in the factor set)."""
    return frozenset(f.carrier for f in fuels().values())


def fuels_of_carrier(carrier: str) -> tuple[Fuel, ...]:
    """Fuels of ``carrier``, the default one first."""
    found = [f for f in fuels().values() if f.carrier == carrier]
    return tuple(sorted(found, key=lambda f: not f.default_for_carrier))


def fuel_for_carrier(carrier: str, name: str | None = None) -> Fuel:
    """Return the fuel ``name`` of ``carrier``, or the carrier's default fuel when ``name`` is None.

    Raises
    ------
    NotFoundError
        If ``carrier`` is not a fuel, or ``name`` is not one of its fuels.
    """
    candidates = fuels_of_carrier(carrier)
    if not candidates:
        raise NotFoundError("ghg.not_a_fuel", carrier=carrier, known=", ".join(sorted(fuel_carriers())))
    if not name:
        return candidates[0]
    for candidate in candidates:
        if candidate.name == name:
            return candidate
    raise NotFoundError("ghg.unknown_fuel_of_carrier", carrier=carrier, fuel=name, known=", ".join(f.name for f in candidates))


@cache
def _gwp_table() -> dict[tuple[str, str], Gwp]:
    file = "gwp.csv"
    table: dict[tuple[str, str], Gwp] = {}
    for row in read_factor_file(file, ("gwp_set", "gas", "aliases", "value", "kyoto")):
        factor = _factor({**row, "unit": "kgCO2e/kg"}, file, f"gwp/{row['gwp_set']}/{row['gas']}", "gwp")
        entry = Gwp(row["gas"], row["gwp_set"], row["kyoto"] == "yes", factor)
        for spelling in (row["gas"], *filter(None, row["aliases"].split("|"))):
            table[(row["gwp_set"], spelling.casefold())] = entry
    return table


def gwp(gas: str, gwp_set: str = "AR5") -> Gwp:
    """Return the 100-year GWP of ``gas`` (name or alias, e.g. ``R-410A``) in ``gwp_set``.

    Raises
    ------
    NotFoundError
        If the set or the gas is unknown (the message lists the known names).
    """
    table = _gwp_table()
    if gwp_set not in GWP_SETS:
        raise NotFoundError("ghg.unknown_gwp_set", gwp_set=gwp_set, known=", ".join(GWP_SETS))
    try:
        return table[(gwp_set, gas.strip().casefold())]
    except KeyError as exc:
        known = sorted({entry.gas for (set_name, _), entry in table.items() if set_name == gwp_set})
        raise NotFoundError("ghg.unknown_gas", gas=gas, gwp_set=gwp_set, known=", ".join(known)) from exc


@cache
def grid_factors() -> dict[int, Factor]:
    """Return Viet Nam's grid emission factors [tCO2/MWh] by year."""
    file = "grid_vn.csv"
    rows = read_factor_file(file, ("year", "value", "unit"))
    return {int(r["year"]): _factor(r, file, f"grid_vn/{r['year']}", "grid") for r in rows}


def grid_factor(year: int) -> Factor:
    """Return the grid emission factor of ``year`` [tCO2/MWh].

    Its ``status`` is ``official`` or ``research_estimate``; callers must flag results that
    use an estimate.

    Raises
    ------
    MissingGridFactorError
        If no factor exists for ``year``.
    """
    factors = grid_factors()
    try:
        return factors[int(year)]
    except KeyError as exc:
        raise MissingGridFactorError("ghg.no_grid_factor", year=year, first=min(factors), last=max(factors)) from exc


@cache
def _upstream_rows() -> list[dict[str, str]]:
    return read_factor_file("scope3_upstream.csv", ("item", "carrier", "fuel", "value", "unit"))


def td_loss_share() -> Factor:
    """Return the grid's transmission and distribution loss share [-] (a parameter, see its note)."""
    for row in _upstream_rows():
        if row["item"] == "td_loss_share":
            return _factor(row, "scope3_upstream.csv", "upstream/td_loss_share", "td_loss_share")
    raise ReferenceDataError("ghg.factor_file_columns", file="scope3_upstream.csv", columns="td_loss_share")


def well_to_tank(fuel_name: str) -> Factor | None:
    """Return the well-to-tank factor of ``fuel_name`` [kgCO2e/GJ], or None when the set has no value."""
    for row in _upstream_rows():
        if row["item"] == "wtt" and row["fuel"] == fuel_name and row["value"].strip():
            return _factor(row, "scope3_upstream.csv", f"upstream/wtt/{fuel_name}", "wtt")
    return None


@cache
def _waste_table() -> dict[tuple[str, str], dict[str, Factor]]:
    file = "waste_ipcc2006.csv"
    table: dict[tuple[str, str], dict[str, Factor]] = {}
    for row in read_factor_file(file, ("carrier", "fate", "parameter", "value", "unit")):
        key = (row["carrier"], row["fate"])
        factor_id = f"waste/{row['carrier']}/{row['fate']}/{row['parameter']}"
        table.setdefault(key, {})[row["parameter"]] = _factor(row, file, factor_id, f"waste_{row['parameter']}")
    return table


def waste_carriers() -> frozenset[str]:
    """Registry carriers that are waste streams."""
    return frozenset(carrier for carrier, _ in _waste_table())


def waste_parameters(carrier: str, fate: str) -> dict[str, Factor] | None:
    """Return the parameters of ``carrier`` sent to ``fate``, or None when the set has none.

    Raises
    ------
    NotFoundError
        If ``carrier`` is not a waste carrier or ``fate`` is not a known fate.
    """
    if carrier not in waste_carriers():
        raise NotFoundError("ghg.not_a_waste", carrier=carrier, known=", ".join(sorted(waste_carriers())))
    if fate not in WASTE_FATES:
        raise NotFoundError("ghg.unknown_fate", fate=fate, carrier=carrier, known=", ".join(WASTE_FATES))
    return _waste_table().get((carrier, fate))


@cache
def decree06_thresholds() -> tuple[Decree06Threshold, ...]:
    """Return the criteria of Decree 06/2022's GHG-inventory obligation."""
    file = "decree06_thresholds.csv"
    return tuple(
        Decree06Threshold(
            criterion=row["criterion"],
            sectors=tuple(row["sectors"].split("|")),
            energy_basis=row["energy_basis"],
            value=_number(row["value"], file, "value"),
            unit=row["unit"],
            source=row["source"],
            edition=row["edition"],
            status=row["status"],
        )
        for row in read_factor_file(file, ("criterion", "sectors", "energy_basis", "value", "unit"))
    )


def decree06_sectors() -> tuple[str, ...]:
    """Sectors named by the Decree 06 energy criteria, plus ``other``."""
    named = {s for t in decree06_thresholds() for s in t.sectors if s != "all"}
    return (*sorted(named), "other")


def factor_table() -> pd.DataFrame:
    """Return every shipped factor as one table (id, kind, value, unit, uncertainty, provenance).

    Used to document the factor sets; the inventory returns only the factors it used.
    """
    shipped: list[Factor] = [p for f in fuels().values() for p in f.parameters.values()]
    shipped += list({id(g): g.factor for g in _gwp_table().values()}.values())
    shipped += list(grid_factors().values())
    shipped.append(td_loss_share())
    shipped += [p for params in _waste_table().values() for p in params.values()]
    return factors_frame(shipped)


def factors_frame(factors: list[Factor]) -> pd.DataFrame:
    """Return ``factors`` as a DataFrame, one row per factor, sorted by id."""
    columns = ["id", "kind", "value", "unit", "uncertainty_pct", "source", "edition", "status", "note"]
    records = [{c: getattr(f, c) for c in columns} for f in {f.id: f for f in factors}.values()]
    return pd.DataFrame.from_records(records, columns=columns).sort_values("id", ignore_index=True)
