"""GHG inventories of firms and parks (GHG Protocol Corporate Standard, ISO 14064-1 categories).

:func:`compute_inventory` turns activity data (see :mod:`ecozone.ghg.activity`) and contractual
instruments into line items and a summary per entity and year:

* Scope 1 - stationary and mobile combustion (IPCC 2006 Tier 1: amount -> mass by density ->
  energy by net calorific value -> CO2, CH4, N2O by default factors -> CO2e by the chosen GWP
  set) and fugitive refrigerant releases (mass released x GWP). Biomass CO2 is biogenic and
  reported outside the scopes; its CH4 and N2O stay in Scope 1.
* Scope 2 - location-based with Viet Nam's grid factor of the reading's year, and market-based
  with contractual instruments (DPPA, I-REC, on-site PV supplied through the meter) and a
  residual factor (the grid factor, flagged, when no residual mix is given).
* Scope 3 - category 3 (grid T&D losses; well-to-tank of fuels when a factor exists) and
  category 5 (waste by fate, IPCC 2006 Vol. 5 defaults). Every other category is listed as not
  assessed; a line that cannot be valued carries ``co2e_t = NaN`` and the flag
  ``no_emission_factor`` instead of a silent zero.

Every line carries the ids, sources and statuses of the factors it used; ``InventoryResult.factors``
lists them. Lines that use a research-estimate grid factor carry ``estimate_grid_factor``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ecozone.ghg import factors as fs
from ecozone.ghg.activity import converted, require_dimension, validated_activity
from ecozone.ghg.errors import GhgInputError, MissingDensityError
from ecozone.ghg.factors import ESTIMATE_STATUSES, Factor, Fuel
from ecozone.ghg.settings import GJ_PER_MWH, InventorySettings
from ecozone.ghg.summary import ELECTRICITY, join_flags, summarise

INSTRUMENT_KINDS = ("dppa", "irec", "onsite_pv")
HEAT_CARRIERS = ("steam", "chilled_water")
REFRIGERANT = "refrigerant"
USER_STATUS = "user_supplied"

LINE_COLUMNS = (
    "entity_id",
    "year",
    "scope",
    "category",
    "iso14064_category",
    "scope2_method",
    "carrier",
    "substance",
    "use",
    "fate",
    "amount",
    "unit",
    "energy_gj",
    "gas",
    "emission_factor",
    "emission_factor_unit",
    "gas_t",
    "gwp",
    "co2e_t",
    "factor_ids",
    "factor_sources",
    "factor_status",
    "flags",
)
ISO14064_CATEGORY = {"1": "1", "2": "2", "3": "4", "outside": ""}


@dataclass(frozen=True)
class ContractualInstrument:
    """A contractual instrument claimed against an entity's electricity use in one year.

    Attributes
    ----------
    kind : {"dppa", "irec", "onsite_pv"}
        Direct PPA, renewable energy certificate, or on-site PV delivered through the meter.
    entity_id : str
        Firm or park that claims it.
    year : int
        Reporting year.
    mwh : float
        Electricity covered [MWh].
    emission_factor_t_per_mwh : float
        Emission factor of the contracted supply [tCO2/MWh]; 0 for renewable supply.
    reference : str
        Contract or certificate reference, shown in the line item.
    """

    kind: str
    entity_id: str
    year: int
    mwh: float
    emission_factor_t_per_mwh: float = 0.0
    reference: str = ""

    def __post_init__(self) -> None:
        """Check the kind and that the quantities are non-negative."""
        if self.kind not in INSTRUMENT_KINDS:
            raise GhgInputError("ghg.unknown_instrument", kind=self.kind, known=", ".join(INSTRUMENT_KINDS))
        if self.mwh < 0 or self.emission_factor_t_per_mwh < 0:
            raise GhgInputError("ghg.negative_instrument", kind=self.kind, entity=self.entity_id, year=self.year)


@dataclass(frozen=True)
class InventoryResult:
    """Line items, summary and factors of an inventory.

    Attributes
    ----------
    line_items : DataFrame
        One row per activity row, gas and method; columns :data:`LINE_COLUMNS`.
    summary : DataFrame
        One row per entity (and roll-up) and year; see :func:`summarise`.
    factors : DataFrame
        Every factor used: id, kind, value, unit, uncertainty_pct, source, edition, status, note.
    settings : InventorySettings
        The settings used.
    parent_of : mapping
        Roll-up of entities into parents (firm -> park) used for the summary.
    """

    line_items: pd.DataFrame
    summary: pd.DataFrame
    factors: pd.DataFrame
    settings: InventorySettings
    parent_of: Mapping[str, str] = field(default_factory=dict)


@dataclass
class _Lines:
    """Accumulates line-item frames and the factors they used."""

    frames: list[pd.DataFrame] = field(default_factory=list)
    factors: dict[str, Factor] = field(default_factory=dict)

    def add(
        self,
        rows: pd.DataFrame,
        *,
        scope: str,
        category: str,
        gas: str,
        gas_t: np.ndarray | float,
        emission_factor: np.ndarray | float,
        emission_factor_unit: str,
        used: Sequence[Factor],
        gwp_value: float = 1.0,
        flags: Iterable[str] = (),
        scope2_method: str = "",
        energy_gj: np.ndarray | float = np.nan,
        factor_ids: pd.Series | None = None,
        extra_sources: str = "",
        row_flags: pd.Series | None = None,
    ) -> None:
        """Append one line per row of ``rows`` (activity columns) with the given results."""
        for factor in used:
            self.factors[factor.id] = factor
        ids = ";".join(f.id for f in used) if factor_ids is None else factor_ids
        gas_array = np.broadcast_to(np.asarray(gas_t, dtype="float64"), (len(rows),))
        frame = rows[["entity_id", "year", "carrier", "substance", "use", "fate", "amount", "unit"]].copy()
        frame = frame.assign(
            scope=scope,
            category=category,
            iso14064_category=ISO14064_CATEGORY[scope],
            scope2_method=scope2_method,
            energy_gj=np.broadcast_to(np.asarray(energy_gj, dtype="float64"), (len(rows),)),
            gas=gas,
            emission_factor=np.broadcast_to(np.asarray(emission_factor, dtype="float64"), (len(rows),)),
            emission_factor_unit=emission_factor_unit,
            gas_t=gas_array,
            gwp=gwp_value,
            co2e_t=gas_array * gwp_value,
            factor_ids=ids,
            factor_sources=extra_sources,
            factor_status="",
            flags=";".join(sorted(set(flags))),
        )
        if row_flags is not None:
            frame["flags"] = [join_flags(a, b) for a, b in zip(frame["flags"], row_flags, strict=True)]
        self.frames.append(frame)


def _user_factor(factor_id: str, kind: str, value: float, unit: str) -> Factor:
    return Factor(factor_id, kind, value, unit, None, "InventorySettings", "user input", USER_STATUS)


def _gwp(gas: str, settings: InventorySettings) -> fs.Gwp:
    return fs.gwp(gas, settings.gwp_set)


# --- Scope 1 and fuel-related Scope 3 ----------------------------------------------------------


def _fuel_mass_kg(rows: pd.DataFrame, fuel: Fuel, unit: str) -> tuple[np.ndarray, list[Factor], pd.Series, pd.Series]:
    """Return the mass [kg] of ``rows``, the density factor used, per-row extra ids and flags."""
    no_ids = pd.Series("", index=rows.index)
    dimension = require_dimension(fuel.carrier, unit, ("mass", "volume", "energy"))
    if dimension == "mass":
        return converted(rows["amount"], unit, "kg"), [], no_ids, no_ids
    volume_m3 = converted(rows["amount"], unit, "m3")
    measured = rows["density_kg_per_m3"].notna()
    density = fuel.parameter("density")
    if density is None and not measured.all():
        raise MissingDensityError("ghg.no_density", carrier=fuel.carrier, fuel=fuel.name, unit=unit)
    default = density.value if density is not None else np.nan
    used = [density] if density is not None and not measured.all() else []
    ids = pd.Series(np.where(measured, "", density.id if density is not None else ""), index=rows.index)
    flags = pd.Series(np.where(measured, "density_from_input", ""), index=rows.index)
    return volume_m3 * np.where(measured, rows["density_kg_per_m3"], default), used, ids, flags


def _fuel_energy_gj(rows: pd.DataFrame, fuel: Fuel, unit: str) -> tuple[np.ndarray, list[Factor], pd.Series, pd.Series]:
    """Return the energy [GJ, net calorific value] of ``rows`` with the factors, ids and flags used."""
    if require_dimension(fuel.carrier, unit, ("mass", "volume", "energy")) == "energy":
        return (
            converted(rows["amount"], unit, "GJ"),
            [],
            pd.Series("", index=rows.index),
            pd.Series("energy_assumed_ncv", index=rows.index),
        )
    mass_kg, used, ids, flags = _fuel_mass_kg(rows, fuel, unit)
    ncv = fuel.parameter("ncv")
    if ncv is None:
        raise GhgInputError("ghg.no_factor_for_use", carrier=fuel.carrier, fuel=fuel.name, use="ncv")
    # kg x 1e-6 [Gg/kg] x NCV [TJ/Gg] x 1e3 [GJ/TJ]
    energy = mass_kg * ncv.value * 1e-3
    ids = ids.where(ids == "", ids + ";") + ncv.id
    return energy, [*used, ncv], ids, flags


def _join_ids(energy_ids: pd.Series, *factors: Factor) -> pd.Series:
    tail = ";".join(f.id for f in factors)
    return energy_ids.where(energy_ids == "", energy_ids + ";") + tail


def _combustion_lines(
    lines: _Lines, rows: pd.DataFrame, carrier: str, substance: str, use: str, unit: str, settings: InventorySettings
) -> None:
    fuel = fs.fuel_for_carrier(carrier, substance or None)
    use = use or "stationary"
    energy, energy_factors, energy_ids, row_flags = _fuel_energy_gj(rows, fuel, unit)
    flags = {"default_fuel_assumed"} if not substance and len(fs.fuels_of_carrier(carrier)) > 1 else set()
    category = f"{use}_combustion"
    for parameter, gas in (("co2", "CO2"), ("ch4", "CH4"), ("n2o", "N2O")):
        factor = fuel.parameter(parameter, use)
        if factor is None:
            raise GhgInputError("ghg.no_factor_for_use", carrier=carrier, fuel=fuel.name, use=use)
        gwp_gas = {"CO2": "CO2", "N2O": "N2O", "CH4": "CH4_non_fossil" if fuel.biogenic else "CH4_fossil"}[gas]
        gwp = _gwp(gwp_gas, settings)
        biogenic_co2 = fuel.biogenic and gas == "CO2"
        lines.add(
            rows,
            scope="outside" if biogenic_co2 else "1",
            category="biogenic_co2" if biogenic_co2 else category,
            gas=gas,
            gas_t=energy * factor.value * 1e-6,  # GJ x kg/TJ x 1e-3 TJ/GJ x 1e-3 t/kg
            emission_factor=factor.value,
            emission_factor_unit=factor.unit,
            used=[*energy_factors, factor, gwp.factor],
            gwp_value=gwp.factor.value,
            flags=flags,
            row_flags=row_flags,
            energy_gj=energy if gas == "CO2" else np.nan,
            factor_ids=_join_ids(energy_ids, factor, gwp.factor),
        )
    _well_to_tank_lines(lines, rows, fuel, energy, energy_factors, energy_ids, settings)


def _well_to_tank_lines(
    lines: _Lines,
    rows: pd.DataFrame,
    fuel: Fuel,
    energy: np.ndarray,
    energy_factors: list[Factor],
    energy_ids: pd.Series,
    settings: InventorySettings,
) -> None:
    if fuel.name in settings.wtt_kgco2e_per_gj:
        factor: Factor | None = _user_factor(
            f"settings/wtt/{fuel.name}", "wtt", settings.wtt_kgco2e_per_gj[fuel.name], "kgCO2e/GJ"
        )
    else:
        factor = fs.well_to_tank(fuel.name)
    if factor is None:
        lines.add(
            rows,
            scope="3",
            category="cat03_upstream_fuels",
            gas="CO2e",
            gas_t=np.nan,
            emission_factor=np.nan,
            emission_factor_unit="kgCO2e/GJ",
            used=[],
            flags={"no_emission_factor"},
        )
        return
    lines.add(
        rows,
        scope="3",
        category="cat03_upstream_fuels",
        gas="CO2e",
        gas_t=energy * factor.value * 1e-3,
        emission_factor=factor.value,
        emission_factor_unit=factor.unit,
        used=[*energy_factors, factor],
        factor_ids=_join_ids(energy_ids, factor),
    )


def _refrigerant_lines(lines: _Lines, rows: pd.DataFrame, substance: str, unit: str, settings: InventorySettings) -> None:
    if not substance:
        raise GhgInputError("ghg.missing_refrigerant", known=", ".join(("R-134a", "R-32", "R-410A", "R-22")))
    require_dimension(REFRIGERANT, unit, ("mass",))
    entry = _gwp(substance, settings)
    lines.add(
        rows,
        scope="1" if entry.kyoto else "outside",
        category="fugitive_refrigerant" if entry.kyoto else "non_kyoto_gas",
        gas=entry.gas,
        gas_t=converted(rows["amount"], unit, "t"),
        emission_factor=1.0,
        emission_factor_unit="t released/t",
        used=[entry.factor],
        gwp_value=entry.factor.value,
    )


# --- Scope 2 and electricity-related Scope 3 --------------------------------------------------


def _grid(year: int, settings: InventorySettings) -> tuple[Factor, set[str]]:
    factor = fs.grid_factor(year)
    if factor.status in ESTIMATE_STATUSES:
        if not settings.allow_estimate_grid_factor:
            raise GhgInputError("ghg.estimate_grid_factor_refused", year=year, value=factor.value)
        return factor, {"estimate_grid_factor"}
    return factor, set()


def _td_share(settings: InventorySettings) -> Factor:
    if settings.td_loss_share is not None:
        return _user_factor("settings/td_loss_share", "td_loss_share", settings.td_loss_share, "share")
    return fs.td_loss_share()


def _electricity_lines(lines: _Lines, rows: pd.DataFrame, year: int, unit: str, settings: InventorySettings) -> None:
    require_dimension(ELECTRICITY, unit, ("energy",))
    mwh = converted(rows["amount"], unit, "MWh")
    grid, flags = _grid(year, settings)
    lines.add(
        rows,
        scope="2",
        category="purchased_electricity",
        scope2_method="location",
        gas="CO2",
        gas_t=mwh * grid.value,
        emission_factor=grid.value,
        emission_factor_unit=grid.unit,
        used=[grid],
        flags=flags,
        energy_gj=mwh * GJ_PER_MWH,
    )
    td = _td_share(settings)
    ratio = td.value / (1 - td.value)  # losses per MWh delivered
    lines.add(
        rows,
        scope="3",
        category="cat03_td_losses",
        gas="CO2",
        gas_t=mwh * grid.value * ratio,
        emission_factor=grid.value * ratio,
        emission_factor_unit=grid.unit,
        used=[grid, td],
        flags=flags,
    )
    lines.add(
        rows,
        scope="3",
        category="cat03_upstream_electricity",
        gas="CO2e",
        gas_t=np.nan,
        emission_factor=np.nan,
        emission_factor_unit="tCO2e/MWh",
        used=[],
        flags={"no_emission_factor"},
    )


def _claims(consumption_mwh: float, instruments: Sequence[ContractualInstrument]) -> tuple[list[float], bool]:
    """Return the MWh each instrument may claim (in order, capped by consumption) and whether any was cut."""
    remaining = consumption_mwh
    claimed: list[float] = []
    for instrument in instruments:
        take = min(instrument.mwh, remaining)
        claimed.append(take)
        remaining -= take
    return claimed, sum(i.mwh for i in instruments) > consumption_mwh + 1e-9


def _market_lines(
    lines: _Lines, activity: pd.DataFrame, instruments: Sequence[ContractualInstrument], settings: InventorySettings
) -> None:
    electricity = activity[activity["carrier"] == ELECTRICITY]
    consumption: dict[tuple[str, int], float] = {}
    for _, rows in electricity.groupby(["entity_id", "year", "unit"], sort=True):
        first = rows.iloc[0]
        key = (str(first["entity_id"]), int(first["year"]))
        consumption[key] = consumption.get(key, 0.0) + float(converted(rows["amount"], str(first["unit"]), "MWh").sum())
    keys = sorted(set(consumption) | {(i.entity_id, i.year) for i in instruments})
    for entity, year in keys:
        own = [i for i in instruments if (i.entity_id, i.year) == (entity, year)]
        total = consumption.get((entity, year), 0.0)
        claimed, exceeded = _claims(total, own)
        flags = {"instruments_exceed_consumption"} if exceeded else set()
        for instrument, mwh in zip(own, claimed, strict=True):
            _instrument_line(lines, instrument, mwh, flags)
        if (entity, year) in consumption:
            _residual_line(lines, entity, year, total - sum(claimed), settings, flags)


def _market_row(entity: str, year: int, amount: float, substance: str = "") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_id": [entity],
            "year": [year],
            "carrier": [ELECTRICITY],
            "substance": [substance],
            "use": [""],
            "fate": [""],
            "amount": [amount],
            "unit": ["MWh"],
        }
    )


def _instrument_line(lines: _Lines, instrument: ContractualInstrument, mwh: float, flags: set[str]) -> None:
    label = f"contractual instrument: {instrument.kind} {instrument.reference}".strip()
    lines.add(
        _market_row(instrument.entity_id, instrument.year, mwh, instrument.kind),
        scope="2",
        category="purchased_electricity",
        scope2_method="market",
        gas="CO2",
        gas_t=mwh * instrument.emission_factor_t_per_mwh,
        emission_factor=instrument.emission_factor_t_per_mwh,
        emission_factor_unit="tCO2/MWh",
        used=[],
        flags=flags,
        extra_sources=label,
    )


def _residual_line(lines: _Lines, entity: str, year: int, mwh: float, settings: InventorySettings, flags: set[str]) -> None:
    if settings.market_residual_factor_t_per_mwh is not None:
        residual = _user_factor(
            "settings/market_residual_factor", "residual_mix", settings.market_residual_factor_t_per_mwh, "tCO2/MWh"
        )
        extra: set[str] = set()
    else:
        residual, extra = _grid(year, settings)
        extra = extra | {"residual_mix_proxy_grid_factor"}
    lines.add(
        _market_row(entity, year, mwh, "residual"),
        scope="2",
        category="purchased_electricity",
        scope2_method="market",
        gas="CO2",
        gas_t=mwh * residual.value,
        emission_factor=residual.value,
        emission_factor_unit="tCO2/MWh",
        used=[residual],
        flags=flags | extra,
    )


# --- Scope 3 waste and unvalued streams --------------------------------------------------------


def _waste_lines(lines: _Lines, rows: pd.DataFrame, carrier: str, fate: str, unit: str, settings: InventorySettings) -> None:
    require_dimension(carrier, unit, ("mass",))
    if not fate:
        raise GhgInputError("ghg.missing_fate", carrier=carrier, known=", ".join(fs.WASTE_FATES))
    tonnes = converted(rows["amount"], unit, "t")
    params = fs.waste_parameters(carrier, fate)
    common: dict[str, Any] = {"scope": "3", "category": "cat05_waste"}
    if params is None:
        lines.add(
            rows,
            **common,
            gas="CO2e",
            gas_t=np.nan,
            emission_factor=np.nan,
            emission_factor_unit="tCO2e/t",
            used=[],
            flags={"no_emission_factor"},
        )
    elif fate == "landfilled":
        # IPCC 2006 Vol.5 Eq. 3.1-3.2, lifetime (mass-balance) form: CH4 = W DOC DOCf MCF F 16/12 (1 - OX)
        p = params
        per_t = p["doc"].value * p["docf"].value * p["mcf"].value * p["f"].value * 16 / 12 * (1 - p["ox"].value)
        gwp = _gwp("CH4_non_fossil", settings)
        used = [p["doc"], p["docf"], p["mcf"], p["f"], p["ox"], gwp.factor]
        lines.add(
            rows,
            **common,
            gas="CH4",
            gas_t=tonnes * per_t,
            emission_factor=per_t,
            emission_factor_unit="tCH4/t",
            used=used,
            gwp_value=gwp.factor.value,
        )
    elif fate == "incinerated":
        # IPCC 2006 Vol.5 Eq. 5.2: fossil CO2 = W dm CF FCF OF 44/12
        p = params
        per_t = p["dm"].value * p["cf"].value * p["fcf"].value * p["of"].value * 44 / 12
        used = [p["dm"], p["cf"], p["fcf"], p["of"], _gwp("CO2", settings).factor]
        lines.add(
            rows, **common, gas="CO2", gas_t=tonnes * per_t, emission_factor=per_t, emission_factor_unit="tCO2/t", used=used
        )
    else:
        cut_off = params["cut_off"]
        lines.add(
            rows,
            **common,
            gas="CO2e",
            gas_t=tonnes * cut_off.value * 1e-3,
            emission_factor=cut_off.value,
            emission_factor_unit=cut_off.unit,
            used=[cut_off],
            flags={"recycling_cut_off"},
        )


def _heat_lines(lines: _Lines, rows: pd.DataFrame, carrier: str, unit: str) -> None:
    dimension = require_dimension(carrier, unit, ("energy", "mass"))
    energy = converted(rows["amount"], unit, "GJ") if dimension == "energy" else np.nan
    lines.add(
        rows,
        scope="2",
        category="purchased_heat_cooling",
        scope2_method="location",
        gas="CO2e",
        gas_t=np.nan,
        emission_factor=np.nan,
        emission_factor_unit="tCO2e/GJ",
        used=[],
        flags={"no_emission_factor"},
        energy_gj=energy,
    )


# --- assembly ---------------------------------------------------------------------------------


def _activity_lines(lines: _Lines, activity: pd.DataFrame, settings: InventorySettings) -> None:
    fuel_carriers = fs.fuel_carriers()
    waste_carriers = fs.waste_carriers()
    keys = ["carrier", "substance", "use", "fate", "unit", "year"]
    for _, rows in activity.groupby(keys, sort=True):
        first = rows.iloc[0]
        carrier, substance, use, fate, unit = (str(first[k]) for k in ("carrier", "substance", "use", "fate", "unit"))
        year = int(first["year"])
        if carrier in fuel_carriers:
            _combustion_lines(lines, rows, carrier, substance, use, unit, settings)
        elif carrier == ELECTRICITY:
            _electricity_lines(lines, rows, year, unit, settings)
        elif carrier in waste_carriers:
            _waste_lines(lines, rows, carrier, fate, unit, settings)
        elif carrier == REFRIGERANT:
            _refrigerant_lines(lines, rows, substance, unit, settings)
        elif carrier in HEAT_CARRIERS:
            _heat_lines(lines, rows, carrier, unit)
        # other carriers (water, exported or self-generated electricity) emit nothing here


def _finish_lines(lines: _Lines) -> pd.DataFrame:
    if not lines.frames:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in _NUMERIC else "object") for c in LINE_COLUMNS})
    frame = pd.concat(lines.frames, ignore_index=True)
    cache: dict[str, tuple[str, str, bool]] = {}
    for ids in frame["factor_ids"].unique():
        used = [lines.factors[i] for i in str(ids).split(";") if i]
        sources = " | ".join(dict.fromkeys(f"{f.id}: {f.citation}" for f in used))
        statuses = ";".join(sorted({f.status for f in used}))
        cache[str(ids)] = (sources, statuses, any(not f.is_trusted for f in used))
    looked_up = frame["factor_ids"].map(cache)
    frame["factor_sources"] = [_join(extra, found[0]) for extra, found in zip(frame["factor_sources"], looked_up, strict=True)]
    frame["factor_status"] = [
        found[1] or ("contractual" if extra else "") for extra, found in zip(frame["factor_sources"], looked_up, strict=True)
    ]
    weak = np.array([found[2] for found in looked_up], dtype=bool)
    frame["flags"] = [join_flags(f, "unverified_factor" if w else "") for f, w in zip(frame["flags"], weak, strict=True)]
    return frame[list(LINE_COLUMNS)]


_NUMERIC = {"year", "amount", "energy_gj", "emission_factor", "gas_t", "gwp", "co2e_t"}


def _join(*parts: str) -> str:
    return " | ".join(p for p in parts if p)


def compute_inventory(
    activity: pd.DataFrame,
    instruments: Sequence[ContractualInstrument] = (),
    settings: InventorySettings | None = None,
    *,
    sectors: Mapping[str, str] | None = None,
    parent_of: Mapping[str, str] | None = None,
) -> InventoryResult:
    """Compute the GHG inventory of every entity and year in ``activity``.

    Parameters
    ----------
    activity : DataFrame
        Activity data (columns in :mod:`ecozone.ghg.activity`).
    instruments : sequence of ContractualInstrument
        Contractual instruments for market-based Scope 2.
    settings : InventorySettings, optional
        Method choices; defaults to ``InventorySettings()``.
    sectors : mapping, optional
        Decree 06 sector by entity id (default ``settings.default_sector``).
    parent_of : mapping, optional
        Parent of each entity (e.g. firm -> park): the summary adds one roll-up row per parent
        and year summing its children's line items.

    Returns
    -------
    InventoryResult

    Raises
    ------
    GhgInputError
        Bad activity data: unknown carrier, unit of the wrong dimension, a fuel by volume with
        no density (:class:`MissingDensityError`), a year with no grid factor
        (:class:`MissingGridFactorError`), a waste row without fate, ...
    NotFoundError
        An unknown fuel grade, refrigerant, waste fate or GWP set.
    """
    settings = settings or InventorySettings()
    clean = validated_activity(activity)
    lines = _Lines()
    _activity_lines(lines, clean, settings)
    _market_lines(lines, clean, list(instruments), settings)
    line_items = _finish_lines(lines)
    parents = dict(parent_of or {})
    summary = summarise(line_items, settings, sectors=sectors, parent_of=parents)
    return InventoryResult(line_items, summary, fs.factors_frame(list(lines.factors.values())), settings, parents)
