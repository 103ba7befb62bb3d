"""Yearly roll-ups that join the readings store to the GHG inventory and the EVN tariffs.

Pure functions on an Ibis readings table and registry snapshots: they pick the readings of
one park (or firm) and one local calendar year, and turn them into the activity table of
:func:`ecozone.ghg.compute_inventory` and the electricity cost of
:func:`ecozone.tariffs.price_intervals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import ibis.expr.types as ir
import pandas as pd

from ecozone.ghg import ContractualInstrument
from ecozone.meters.kpis import VIETNAM_UTC_OFFSET_HOURS, with_period
from ecozone.store.snapshot import MeterRecord

# Registry meter roles (what a waste meter's tonnes become) → the GHG factor set's fates.
WASTE_FATE_FOR_ROLE = {
    "landfill": "landfilled",
    "incineration": "incinerated",
    "energy_recovery": "incinerated",
    "recycling": "recycled",
    "reuse": "recycled",
}
WASTE_CARRIERS = ("solid_waste", "hazardous_waste")


def meter_frame(meters: Iterable[MeterRecord]) -> pd.DataFrame:
    """One row per meter: ``meter_id, park_id, firm_id, entity_id, carrier, role, voltage_level``.

    ``entity_id`` is the firm for a firm's meter and the park for a shared-infrastructure meter.
    """
    rows = [
        {
            "meter_id": m.id,
            "park_id": m.park_id,
            "firm_id": m.firm_id,
            "entity_id": m.firm_id or m.park_id,
            "carrier": m.carrier,
            "role": m.role,
            "voltage_level": m.voltage_level,
        }
        for m in meters
    ]
    return pd.DataFrame(rows, columns=["meter_id", "park_id", "firm_id", "entity_id", "carrier", "role", "voltage_level"])


def year_readings(readings: ir.Table, meter_ids: Iterable[str], year: int) -> ir.Table:
    """Readings of ``meter_ids`` whose interval starts in local calendar ``year``."""
    dated = with_period(readings, "year")
    return dated.filter(dated.meter_id.isin(list(meter_ids)), dated.period_start == date(year, 1, 1))


def annual_quantities(readings: ir.Table, meter_ids: Iterable[str], year: int) -> pd.DataFrame:
    """Yearly quantity per meter in the stored base unit.

    Returns
    -------
    DataFrame
        ``meter_id, carrier, unit, quantity`` [base unit: kWh, m3 or kg], ``readings``,
        ``flagged_readings``.
    """
    selected = year_readings(readings, meter_ids, year)
    grouped = selected.group_by(["meter_id", "carrier", "unit"]).aggregate(
        quantity=selected.value.sum(),
        readings=selected.count(),
        flagged_readings=(selected.flags != 0).sum(),
    )
    result: pd.DataFrame = grouped.order_by("meter_id").execute()
    return result


def ghg_activity(
    quantities: pd.DataFrame, meters: pd.DataFrame, year: int
) -> tuple[pd.DataFrame, list[ContractualInstrument], list[str]]:
    """Turn yearly meter quantities into GHG activity rows and contractual instruments.

    Waste meters need a fate (their registry ``role``); those without one are left out and
    returned, so the inventory lists their category as not assessed instead of zero.

    Returns
    -------
    tuple
        (activity ``entity_id, year, carrier, amount, unit, fate``; green-contract
        instruments; ids of waste meters left out for want of a fate).
    """
    joined = quantities.merge(meters[["meter_id", "entity_id", "role"]], on="meter_id", how="left")
    joined = joined[joined["quantity"].notna()]
    waste = joined["carrier"].isin(WASTE_CARRIERS)
    fate = joined["role"].map(WASTE_FATE_FOR_ROLE).where(waste, "")
    without_fate = sorted(joined.loc[waste & fate.isna(), "meter_id"])
    keep = ~(waste & fate.isna())
    activity = pd.DataFrame(
        {
            "entity_id": joined["entity_id"],
            "year": year,
            "carrier": joined["carrier"],
            "amount": joined["quantity"].astype(float),
            "unit": joined["unit"],
            "fate": fate.fillna(""),
        }
    )[keep]
    activity = activity.groupby(["entity_id", "year", "carrier", "unit", "fate"], as_index=False).agg(amount=("amount", "sum"))
    green = joined[(joined["carrier"] == "electricity") & (joined["role"] == "green_contract")]
    instruments = [
        ContractualInstrument(kind="dppa", entity_id=str(entity), year=year, mwh=float(quantity) / 1000.0)
        for entity, quantity in zip(green["entity_id"], green["quantity"], strict=True)
    ]
    return activity, instruments, without_fate


def electricity_cost(readings: ir.Table, meters: pd.DataFrame, year: int, *, fallback: bool = False) -> pd.DataFrame:
    """Electricity cost per entity, local month and time-of-use period under the EVN tariff.

    Each interval is priced with the tariff table and windows in force on its local date,
    at its meter's voltage level (production customers). With ``fallback`` a date that no
    shipped table covers is priced with the nearest table and flagged (``fallback_table``).

    Returns
    -------
    DataFrame
        ``entity_id, month, period, energy_kwh`` [kWh], ``cost_vnd`` [VND, VAT excluded],
        ``decision``, ``tariff_status``, ``fallback_table``.
    """
    from ecozone.tariffs import price_intervals

    electric = meters[(meters["carrier"] == "electricity") & meters["voltage_level"].notna()]
    columns = ["entity_id", "month", "period", "energy_kwh", "cost_vnd", "decision", "tariff_status", "fallback_table"]
    if electric.empty:
        return pd.DataFrame(columns=columns)
    selected = year_readings(readings, electric["meter_id"], year)
    frame = selected.select("meter_id", "ts_utc", "value").filter(selected.value.notnull()).execute()
    frame = frame.merge(electric[["meter_id", "entity_id", "voltage_level"]], on="meter_id")
    frame["local"] = frame["ts_utc"] + pd.Timedelta(hours=VIETNAM_UTC_OFFSET_HOURS)
    priced = []
    for voltage, rows in frame.groupby("voltage_level"):
        result = price_intervals(rows["local"].reset_index(drop=True), rows["value"].to_numpy(), str(voltage), fallback=fallback)
        result["entity_id"] = rows["entity_id"].to_numpy()
        priced.append(result)
    table = pd.concat(priced, ignore_index=True)
    table["month"] = table["timestamp_local"].dt.to_period("M").astype(str)
    keys = ["entity_id", "month", "period", "decision", "tariff_status", "fallback_table"]
    grouped = table.groupby(keys, as_index=False)[["energy_kwh", "cost_vnd"]].sum()
    return grouped[columns]


def parent_of(meters: pd.DataFrame) -> dict[str, str]:
    """Roll-up of each firm into its park, for the inventory summary."""
    firms = meters[meters["firm_id"].notna()]
    return dict(zip(firms["firm_id"], firms["park_id"], strict=True))
