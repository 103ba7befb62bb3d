"""Resource KPIs of stored readings as Ibis expressions (DuckDB now, any Ibis backend later).

Every function takes the readings table of :func:`ecozone.meters.dataset.open_readings`
(columns of :data:`ecozone.meters.dataset.DATASET_SCHEMA`) and returns an Ibis expression;
call ``.execute()`` at the edge to get a pandas DataFrame.

Levels and their key columns:

=========== =================================
level       keys
=========== =================================
meter       park_id, firm_id, meter_id
firm        park_id, firm_id (null: the park's shared infrastructure)
park        park_id
portfolio   (none: everything given)
=========== =================================

Periods are local calendar days, months or years: ``period_start`` is the local date the
period starts, local time being UTC + ``utc_offset_hours`` (7 for ``Asia/Ho_Chi_Minh``,
which has kept UTC+7 without daylight saving since 1975). A reading belongs to the period
its interval starts in. On Spark, set the session time zone to UTC.

Meter roles (optional small table ``meter_id, role``) add what the registry does not hold:
``green_contract`` for electricity meters supplied under a renewable-electricity contract,
``treated`` / ``untreated`` for wastewater meters, and a waste fate for waste meters
(:data:`WASTE_FATES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from ecozone.errors import NotFoundError, ReferenceDataError
from ecozone.registry.schema import vocabulary
from ecozone.store.snapshot import ParkSnapshot

Level = Literal["meter", "firm", "park", "portfolio"]
Period = Literal["day", "month", "year"]

LEVEL_KEYS: dict[str, tuple[str, ...]] = {
    "meter": ("park_id", "firm_id", "meter_id"),
    "firm": ("park_id", "firm_id"),
    "park": ("park_id",),
    "portfolio": (),
}
PERIOD_UNITS = {"day": "D", "month": "M", "year": "Y"}
VIETNAM_UTC_OFFSET_HOURS = 7
"""Asia/Ho_Chi_Minh: UTC+7, no daylight saving since 13 June 1975 (IANA tz database)."""
MJ_PER_KWH = 3.6
"""1 kWh = 3.6 MJ exactly (BIPM SI Brochure, 9th ed.)."""
GJ_PER_KWH = MJ_PER_KWH / 1000.0
MAX_DEMAND_INTERVAL_MINUTES = 60
"""Readings with longer intervals (daily, monthly bills) say nothing about peak demand."""
WASTE_FATES = ("reuse", "recycling", "energy_recovery", "incineration", "landfill", "other")
"""Waste fates, in the order of the waste hierarchy (Directive 2008/98/EC, Art. 4): re-use,
recycling, other recovery (energy), disposal (incineration without recovery, landfill)."""
WATER_WITHDRAWAL_CARRIERS = ("water_withdrawal", "groundwater")
ELECTRICITY_ROLES = ("green_contract",)
WASTEWATER_ROLES = ("treated", "untreated")
UNKNOWN_FATE = "unknown"


def _check_level(level: str) -> tuple[str, ...]:
    if level not in LEVEL_KEYS:
        raise NotFoundError("meters.kpi_level", level=level, known=", ".join(LEVEL_KEYS))
    return LEVEL_KEYS[level]


def _check_period(period: str) -> str:
    if period not in PERIOD_UNITS:
        raise NotFoundError("meters.kpi_period", period=period, known=", ".join(PERIOD_UNITS))
    return PERIOD_UNITS[period]


def with_period(readings: ir.Table, period: Period, utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS) -> ir.Table:
    """Add ``period_start``, the local date starting the reading's day, month or year."""
    unit = _check_period(period)
    local = readings.ts_utc + ibis.interval(hours=utc_offset_hours)
    return readings.mutate(period_start=local.truncate(unit).date())


def energy_carriers() -> tuple[str, ...]:
    """Carriers that may be measured in energy units (from the carrier vocabulary)."""
    return tuple(code for code, entry in vocabulary("carrier").items() if "energy" in entry.get("dimensions", []))


@cache
def _shipped_ncv() -> pd.DataFrame:
    """NCVs of each fuel carrier's default fuel, from the GHG factor set (one source for both).

    IPCC NCVs are in TJ/Gg (= MJ/kg); a fuel with a density also gets a per-m3 row
    [MJ/m3 = MJ/kg x kg/m3], so volume meters convert too.
    """
    from ecozone.ghg.factors import fuel_carriers, fuel_for_carrier

    rows: list[dict[str, object]] = []
    for carrier in sorted(fuel_carriers()):
        parameters = fuel_for_carrier(carrier).parameters
        ncv = parameters.get(("ncv", "any"))
        if ncv is None:
            continue
        rows.append({"carrier": carrier, "unit": "kg", "mj_per_unit": ncv.value, "source": ncv.citation})
        density = parameters.get(("density", "any"))
        if density is not None and density.unit == "kg/m3":
            source = f"{ncv.citation} x density {density.citation}"
            rows.append({"carrier": carrier, "unit": "m3", "mj_per_unit": ncv.value * density.value, "source": source})
    return net_calorific_values(rows)


def net_calorific_values(rows: Iterable[Mapping[str, object]] | None = None) -> pd.DataFrame:
    """Return net calorific values as a table ``carrier, unit, kwh_per_unit``.

    Parameters
    ----------
    rows : iterable of mappings, optional
        Rows with ``carrier``, ``unit`` (the base unit of the stored quantity: ``kg`` or
        ``m3``), ``mj_per_unit`` [MJ per unit] and ``source``; when omitted, the NCVs of
        the GHG factor set (``ecozone/ghg/factor_sets/fuels_ipcc2006.csv``).

    Raises
    ------
    ReferenceDataError
        If a row lacks a column, names an unknown carrier or has no positive value.
    """
    if rows is None:
        return _shipped_ncv().copy()
    carriers = vocabulary("carrier")
    records = []
    for number, row in enumerate(rows, start=1):
        missing = [c for c in ("carrier", "unit", "mj_per_unit", "source") if row.get(c) in (None, "")]
        if missing:
            raise ReferenceDataError("meters.ncv_row", row=number, detail=", ".join(missing))
        carrier = str(row["carrier"])
        if carrier not in carriers:
            raise ReferenceDataError("meters.ncv_carrier", row=number, carrier=carrier, known=", ".join(carriers))
        value = float(str(row["mj_per_unit"]))
        if value <= 0:
            raise ReferenceDataError("meters.ncv_row", row=number, detail="mj_per_unit")
        records.append(
            {"carrier": carrier, "unit": str(row["unit"]), "kwh_per_unit": value / MJ_PER_KWH, "source": str(row["source"])}
        )
    return pd.DataFrame.from_records(records, columns=["carrier", "unit", "kwh_per_unit", "source"])


def _roles_table(roles: Mapping[str, str] | pd.DataFrame | ir.Table | None) -> ir.Table:
    """Return meter roles as an Ibis table ``meter_id, role``."""
    if roles is None:
        frame = pd.DataFrame({"meter_id": pd.Series([], dtype="str"), "role": pd.Series([], dtype="str")})
    elif isinstance(roles, ir.Table):
        return roles.select("meter_id", "role")
    elif isinstance(roles, pd.DataFrame):
        frame = roles[["meter_id", "role"]]
    else:
        frame = pd.DataFrame({"meter_id": list(roles), "role": [roles[k] for k in roles]}, dtype="str")
    return ibis.memtable(frame)


def energy_by_carrier(
    readings: ir.Table,
    *,
    level: Level = "park",
    period: Period = "month",
    ncv: pd.DataFrame | ir.Table | None = None,
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Energy by carrier in its own unit, in kWh and in GJ.

    Parameters
    ----------
    readings : ibis.Table
        Stored readings.
    level, period
        Grouping (see the module).
    ncv : DataFrame or ibis.Table, optional
        ``carrier, unit, kwh_per_unit`` for fuels stored in mass or volume
        (:func:`net_calorific_values`; the shipped defaults when omitted).
    utc_offset_hours : int
        Local time offset [h].

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``carrier``, ``unit`` (kWh, kg or m3), ``quantity`` [unit],
        ``energy_kwh`` [kWh], ``energy_gj`` [GJ] (null when a fuel has no net calorific
        value for its unit), ``readings`` and ``flagged_readings`` (with any quality flag).
    """
    keys = _check_level(level)
    table = with_period(readings.filter(readings.carrier.isin(energy_carriers())), period, utc_offset_hours)
    summary = table.group_by([*keys, "period_start", "carrier", "unit"]).aggregate(
        quantity=table.value.sum(),
        readings=table.count(),
        flagged_readings=(table.flags != 0).sum(),
    )
    factors = ncv if isinstance(ncv, ir.Table) else ibis.memtable(net_calorific_values() if ncv is None else ncv)
    factors = factors.select(ncv_carrier=factors.carrier, ncv_unit=factors.unit, kwh_per_unit=factors.kwh_per_unit)
    joined = summary.left_join(factors, [summary.carrier == factors.ncv_carrier, summary.unit == factors.ncv_unit])
    energy_kwh = ibis.cases((joined.unit == "kWh", joined.quantity), else_=joined.quantity * joined.kwh_per_unit)
    return joined.select(
        *keys,
        "period_start",
        "carrier",
        "unit",
        "quantity",
        energy_kwh=energy_kwh,
        energy_gj=energy_kwh * GJ_PER_KWH,
        readings="readings",
        flagged_readings="flagged_readings",
    )


def final_energy(
    readings: ir.Table,
    *,
    level: Level = "park",
    period: Period = "month",
    ncv: pd.DataFrame | ir.Table | None = None,
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Total energy used: all energy carriers in kWh, electricity exported counted negative.

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``energy_kwh`` [kWh], ``energy_gj`` [GJ] and ``incomplete``
        (true when some carrier had no net calorific value and is left out).
    """
    keys = _check_level(level)
    by_carrier = energy_by_carrier(readings, level=level, period=period, ncv=ncv, utc_offset_hours=utc_offset_hours)
    signed = ibis.cases((by_carrier.carrier == "electricity_export", -by_carrier.energy_kwh), else_=by_carrier.energy_kwh)
    total = by_carrier.group_by([*keys, "period_start"]).aggregate(
        energy_kwh=signed.sum(),
        incomplete=(by_carrier.energy_kwh.isnull() & by_carrier.quantity.notnull()).any(),
    )
    return total.mutate(energy_gj=total.energy_kwh * GJ_PER_KWH)


def electricity_demand(
    readings: ir.Table,
    *,
    level: Level = "park",
    period: Period = "month",
    demand_interval_minutes: int | None = None,
    carriers: tuple[str, ...] = ("electricity",),
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Peak demand and load factor of electricity from interval readings.

    Interval energies are summed per demand interval (coincident across the level's meters);
    demand [kW] = energy [kWh] / interval [h]. Peak demand is the largest, mean demand the
    mean over demand intervals holding readings; load factor = mean / peak.

    Parameters
    ----------
    readings : ibis.Table
        Stored readings.
    level, period
        Grouping (see the module).
    demand_interval_minutes : int, optional
        Demand interval [min]. By default, per group of the level, the longest reading
        interval of at most 60 min among its meters: a meter's own interval (15 for a
        15-minute meter), hourly for a park with hourly and 15-minute meters. Readings with
        a longer interval are left out.
    carriers : tuple of str
        Carriers counted (grid electricity by default; add ``solar_pv`` for generation).
    utc_offset_hours : int
        Local time offset [h].

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``energy_kwh`` [kWh], ``peak_kw`` [kW], ``mean_kw`` [kW],
        ``load_factor`` [-], ``demand_intervals`` (count) and ``demand_interval_minutes``.
    """
    keys = _check_level(level)
    limit = demand_interval_minutes or MAX_DEMAND_INTERVAL_MINUTES
    table = readings.filter(
        readings.carrier.isin(carriers),
        readings.value.notnull(),
        readings.interval_minutes <= limit,
        readings.interval_minutes > 0,
    )
    if demand_interval_minutes is None and keys:
        chosen = table.group_by(list(keys)).aggregate(demand_minutes=table.interval_minutes.max())
        chosen = chosen.rename({f"chosen_{k}": k for k in keys})
        table = table.inner_join(chosen, [table[k].identical_to(chosen[f"chosen_{k}"]) for k in keys])
        table = table.drop(*[f"chosen_{k}" for k in keys])
    elif demand_interval_minutes is None:
        table = table.cross_join(table.aggregate(demand_minutes=table.interval_minutes.max()))
    else:
        table = table.mutate(demand_minutes=ibis.literal(int(demand_interval_minutes), "int32"))
    table = with_period(table.filter(table.interval_minutes <= table.demand_minutes), period, utc_offset_hours)
    table = table.mutate(bucket=table.ts_utc.epoch_seconds() // (table.demand_minutes * 60))
    buckets = table.group_by([*keys, "period_start", "bucket", "demand_minutes"]).aggregate(energy_kwh=table.value.sum())
    buckets = buckets.mutate(demand_kw=buckets.energy_kwh * 60.0 / buckets.demand_minutes)
    summary = buckets.group_by([*keys, "period_start"]).aggregate(
        energy_kwh=buckets.energy_kwh.sum(),
        peak_kw=buckets.demand_kw.max(),
        mean_kw=buckets.demand_kw.mean(),
        demand_intervals=buckets.count(),
        demand_interval_minutes=buckets.demand_minutes.max(),
    )
    return summary.mutate(load_factor=ibis.ifelse(summary.peak_kw > 0, summary.mean_kw / summary.peak_kw, ibis.null("float64")))


def _per_meter(readings: ir.Table, carriers: tuple[str, ...], period: Period, utc_offset_hours: int, roles: ir.Table) -> ir.Table:
    """Quantities per meter and period of ``carriers``, with each meter's role."""
    table = with_period(readings.filter(readings.carrier.isin(carriers)), period, utc_offset_hours)
    summary = table.group_by(["park_id", "firm_id", "meter_id", "carrier", "period_start"]).aggregate(quantity=table.value.sum())
    role_table = roles.select(role_meter_id=roles.meter_id, role=roles.role)
    joined = summary.left_join(role_table, summary.meter_id == role_table.role_meter_id)
    return joined.drop("role_meter_id")


def _share(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.NumericValue:
    return ibis.ifelse(denominator > 0, numerator / denominator, ibis.null("float64"))


def _sum_where(condition: ir.BooleanValue, value: ir.NumericValue) -> ir.NumericScalar:
    return ibis.ifelse(condition, value, 0.0).sum()


def renewable_share(
    readings: ir.Table,
    roles: Mapping[str, str] | pd.DataFrame | ir.Table | None = None,
    *,
    level: Level = "park",
    period: Period = "month",
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Renewable share of electricity use: on-site PV and green contracts.

    electricity use = grid electricity + PV generation - export;
    renewable = PV generation - export + grid electricity of ``green_contract`` meters.

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``grid_kwh``, ``green_contract_kwh``, ``solar_pv_kwh``,
        ``export_kwh``, ``electricity_use_kwh``, ``renewable_kwh`` [kWh] and
        ``renewable_share`` [-] (null without use).
    """
    keys = _check_level(level)
    carriers = ("electricity", "solar_pv", "electricity_export")
    table = _per_meter(readings, carriers, period, utc_offset_hours, _roles_table(roles))
    summary = table.group_by([*keys, "period_start"]).aggregate(
        grid_kwh=_sum_where(table.carrier == "electricity", table.quantity),
        green_contract_kwh=_sum_where((table.carrier == "electricity") & (table.role == "green_contract"), table.quantity),
        solar_pv_kwh=_sum_where(table.carrier == "solar_pv", table.quantity),
        export_kwh=_sum_where(table.carrier == "electricity_export", table.quantity),
    )
    use = summary.grid_kwh + summary.solar_pv_kwh - summary.export_kwh
    renewable = summary.solar_pv_kwh - summary.export_kwh + summary.green_contract_kwh
    return summary.mutate(electricity_use_kwh=use, renewable_kwh=renewable, renewable_share=_share(renewable, use))


def water_balance(
    readings: ir.Table,
    roles: Mapping[str, str] | pd.DataFrame | ir.Table | None = None,
    *,
    level: Level = "park",
    period: Period = "month",
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Water withdrawal, recycled-water share and wastewater treated share.

    recycled share = recycled / (withdrawal + recycled); treated share = wastewater of
    meters with role ``treated`` / all wastewater (meters without a role count as not known
    to be treated).

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``withdrawal_m3`` (supply and groundwater), ``groundwater_m3``,
        ``recycled_m3``, ``recycled_share`` [-], ``wastewater_m3``, ``wastewater_treated_m3``,
        ``wastewater_treated_share`` [-].
    """
    keys = _check_level(level)
    carriers = (*WATER_WITHDRAWAL_CARRIERS, "recycled_water", "wastewater")
    table = _per_meter(readings, carriers, period, utc_offset_hours, _roles_table(roles))
    summary = table.group_by([*keys, "period_start"]).aggregate(
        withdrawal_m3=_sum_where(table.carrier.isin(WATER_WITHDRAWAL_CARRIERS), table.quantity),
        groundwater_m3=_sum_where(table.carrier == "groundwater", table.quantity),
        recycled_m3=_sum_where(table.carrier == "recycled_water", table.quantity),
        wastewater_m3=_sum_where(table.carrier == "wastewater", table.quantity),
        wastewater_treated_m3=_sum_where((table.carrier == "wastewater") & (table.role == "treated"), table.quantity),
    )
    return summary.mutate(
        recycled_share=_share(summary.recycled_m3, summary.withdrawal_m3 + summary.recycled_m3),
        wastewater_treated_share=_share(summary.wastewater_treated_m3, summary.wastewater_m3),
    )


def waste_by_fate(
    readings: ir.Table,
    roles: Mapping[str, str] | pd.DataFrame | ir.Table | None = None,
    *,
    level: Level = "park",
    period: Period = "month",
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Waste generated by carrier and fate, with each fate's share of the waste generated.

    A waste meter's role is its fate (:data:`WASTE_FATES`); meters without one count as
    ``unknown``.

    Returns
    -------
    ibis.Table
        Keys, ``period_start``, ``carrier`` (solid_waste, hazardous_waste), ``fate``,
        ``mass_kg`` [kg], ``mass_t`` [t], ``share_of_generated`` [-] (within the carrier).
    """
    keys = _check_level(level)
    table = _per_meter(readings, ("solid_waste", "hazardous_waste"), period, utc_offset_hours, _roles_table(roles))
    table = table.mutate(fate=ibis.coalesce(table.role, ibis.literal(UNKNOWN_FATE)))
    summary = table.group_by([*keys, "period_start", "carrier", "fate"]).aggregate(mass_kg=table.quantity.sum())
    generated = summary.mass_kg.sum().over(group_by=[*keys, "period_start", "carrier"])
    return summary.mutate(mass_t=summary.mass_kg / 1000.0, share_of_generated=_share(summary.mass_kg, generated))


def intensity_denominators(parks: Iterable[ParkSnapshot]) -> pd.DataFrame:
    """Return intensity denominators of parks and firms from registry snapshots.

    Returns
    -------
    DataFrame
        One row per park (``firm_id`` null) and per firm: ``park_id``, ``firm_id``,
        ``leased_land_ha`` [ha] (the park's leased land; a firm's land area),
        ``floor_area_m2`` [m²] and ``employees`` (a park's: sum over its firms),
        ``annual_production`` [production unit/yr] and ``production_unit`` (firms only).
    """
    rows: list[dict[str, object]] = []
    for snapshot in parks:
        firms = snapshot.firms
        rows.append(
            {
                "park_id": snapshot.park.id,
                "firm_id": None,
                "leased_land_ha": snapshot.park.leased_land_ha,
                "floor_area_m2": _sum_known(f.floor_area_m2 for f in firms),
                "employees": _sum_known(f.employees for f in firms),
                "annual_production": None,
                "production_unit": None,
            }
        )
        rows.extend(
            {
                "park_id": firm.park_id,
                "firm_id": firm.id,
                "leased_land_ha": firm.land_area_ha,
                "floor_area_m2": firm.floor_area_m2,
                "employees": firm.employees,
                "annual_production": firm.annual_production,
                "production_unit": firm.production_unit,
            }
            for firm in firms
        )
    numeric = ("leased_land_ha", "floor_area_m2", "employees", "annual_production")
    return pd.DataFrame(
        {
            column: pd.Series([row[column] for row in rows], dtype="float64" if column in numeric else "str")
            for column in DENOMINATOR_COLUMNS
        }
    )


DENOMINATOR_COLUMNS = (
    "park_id",
    "firm_id",
    "leased_land_ha",
    "floor_area_m2",
    "employees",
    "annual_production",
    "production_unit",
)


def _sum_known(values: Iterable[float | int | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return sum(known) if known else None


def intensities(
    totals: ir.Table,
    denominators: pd.DataFrame | ir.Table,
    *,
    level: Level,
    period: Period,
    quantities: tuple[str, ...] = ("energy_kwh", "energy_gj"),
) -> ir.Table:
    """Divide totals by leased land, floor area, employees and production.

    Parameters
    ----------
    totals : ibis.Table
        A KPI table at ``level`` (e.g. :func:`final_energy` or :func:`water_balance`).
    denominators : DataFrame or ibis.Table
        :func:`intensity_denominators`.
    level : {"firm", "park", "portfolio"}
        Level of ``totals``; a portfolio's denominators are the sum of its parks'.
    period : {"day", "month", "year"}
        Period of ``totals``; production is annual, so ``per_production`` is only given for
        ``year`` (null otherwise).
    quantities : tuple of str
        Columns of ``totals`` to divide.

    Returns
    -------
    ibis.Table
        ``totals`` with the denominators and, per quantity ``q``: ``q_per_ha``, ``q_per_m2``,
        ``q_per_employee`` and ``q_per_production_unit``.
    """
    keys = _check_level(level)
    if level == "meter":
        raise NotFoundError("meters.kpi_level", level=level, known="firm, park, portfolio")
    table = denominators if isinstance(denominators, ir.Table) else ibis.memtable(denominators)
    table = table.filter(table.firm_id.notnull() if level == "firm" else table.firm_id.isnull())
    if level == "portfolio":
        table = table.aggregate(
            leased_land_ha=table.leased_land_ha.sum(),
            floor_area_m2=table.floor_area_m2.sum(),
            employees=table.employees.sum(),
            annual_production=ibis.null("float64"),
            production_unit=ibis.null("string"),
        )
        joined = totals.cross_join(table)
    else:
        renamed = table.select(
            *[table[k].name(f"denominator_{k}") for k in keys],
            "leased_land_ha",
            "floor_area_m2",
            "employees",
            "annual_production",
            "production_unit",
        )
        joined = totals.left_join(renamed, [totals[k] == renamed[f"denominator_{k}"] for k in keys])
        joined = joined.drop(*[f"denominator_{k}" for k in keys])
    yearly = period == "year"
    columns = {}
    for quantity in quantities:
        value = joined[quantity]
        columns[f"{quantity}_per_ha"] = _share(value, joined.leased_land_ha)
        columns[f"{quantity}_per_m2"] = _share(value, joined.floor_area_m2)
        columns[f"{quantity}_per_employee"] = _share(value, joined.employees)
        columns[f"{quantity}_per_production_unit"] = _share(value, joined.annual_production) if yearly else ibis.null("float64")
    return joined.mutate(**columns)


def energy_intensity(
    readings: ir.Table,
    denominators: pd.DataFrame | ir.Table,
    *,
    level: Level = "park",
    period: Period = "year",
    ncv: pd.DataFrame | ir.Table | None = None,
    utc_offset_hours: int = VIETNAM_UTC_OFFSET_HOURS,
) -> ir.Table:
    """Energy intensity per hectare of leased land, m² floor area, employee and unit produced.

    Returns
    -------
    ibis.Table
        :func:`final_energy` columns, the denominators and ``energy_kwh_per_ha``,
        ``energy_gj_per_ha``, ``energy_kwh_per_m2``, ``energy_kwh_per_employee``,
        ``energy_gj_per_production_unit`` (see :func:`intensities`).
    """
    totals = final_energy(readings, level=level, period=period, ncv=ncv, utc_offset_hours=utc_offset_hours)
    return intensities(totals, denominators, level=level, period=period)
