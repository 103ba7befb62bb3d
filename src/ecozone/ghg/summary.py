"""Summary of inventory line items per entity and year, roll-ups, and the Decree 06 obligation."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ecozone.ghg import factors as fs
from ecozone.ghg.errors import GhgInputError
from ecozone.ghg.settings import GJ_PER_MWH, GJ_PER_TOE, InventorySettings

ELECTRICITY = "electricity"
SCOPE3_CATEGORIES = tuple(f"cat{n:02d}" for n in range(1, 16))
CAT3_PARTS = ("cat03_upstream_fuels", "cat03_upstream_electricity", "cat03_td_losses")


def join_flags(*parts: str) -> str:
    """Union of ``;``-separated flag strings, sorted."""
    return ";".join(sorted({flag for part in parts for flag in part.split(";") if flag}))


SUMMARY_COLUMNS = (
    "entity_id",
    "year",
    "entity_kind",
    "scope1_t",
    "scope2_location_t",
    "scope2_market_t",
    "scope3_cat03_t",
    "scope3_cat05_t",
    "scope3_t",
    "total_t",
    "total_scope2_method",
    "biogenic_co2_t",
    "non_kyoto_co2e_t",
    "fuel_energy_gj",
    "electricity_energy_gj",
    "energy_gj",
    "energy_toe",
    "estimate_grid_factor",
    "unverified_factors",
    "not_assessed",
    "flags",
    "decree06_sector",
    "decree06_emissions_t",
    "decree06_obligation",
    "decree06_reason",
    "decree06_threshold_status",
)


def _sum(lines: pd.DataFrame, mask: pd.Series, column: str, index: pd.MultiIndex, *, keep_nan: bool = False) -> pd.Series:
    sums = lines[mask].groupby(["entity_id", "year"])[column].sum(min_count=1)
    sums = sums.reindex(index)
    return sums if keep_nan else sums.fillna(0.0)


def _not_assessed(group: pd.DataFrame) -> str:
    """Scope 3 categories (and parts) with no valued line, and unvalued streams, for one entity-year."""
    valued = group[group["co2e_t"].notna()]
    present = set(valued["category"].str[:5]) | set(valued["category"])
    missing = [c for c in SCOPE3_CATEGORIES if c not in present and c != "cat03"]
    missing += [part for part in CAT3_PARTS if part not in present]
    if "cat03" not in present:
        missing.append("cat03")
    unvalued = group[group["co2e_t"].isna()]
    missing += [f"{r.category}:{r.carrier}/{r.fate}" for r in unvalued[unvalued["category"] == "cat05_waste"].itertuples()]
    if (unvalued["category"] == "purchased_heat_cooling").any():
        missing.append("scope2_purchased_heat_cooling")
    return ";".join(sorted(dict.fromkeys(missing)))


def _summary_of(lines: pd.DataFrame, settings: InventorySettings, sectors: Mapping[str, str], entity_kind: str) -> pd.DataFrame:
    index = pd.MultiIndex.from_frame(lines[["entity_id", "year"]].drop_duplicates().sort_values(["entity_id", "year"]))
    scope, category, method = lines["scope"], lines["category"], lines["scope2_method"]
    out = pd.DataFrame(index=index)
    out["scope1_t"] = _sum(lines, scope == "1", "co2e_t", index)
    out["scope2_location_t"] = _sum(lines, (scope == "2") & (method == "location"), "co2e_t", index)
    out["scope2_market_t"] = _sum(lines, (scope == "2") & (method == "market"), "co2e_t", index)
    out["scope3_cat03_t"] = _sum(lines, category.str.startswith("cat03"), "co2e_t", index, keep_nan=True)
    out["scope3_cat05_t"] = _sum(lines, category == "cat05_waste", "co2e_t", index, keep_nan=True)
    out["scope3_t"] = out[["scope3_cat03_t", "scope3_cat05_t"]].sum(axis=1, min_count=1)
    out["total_t"] = out["scope1_t"] + out[f"scope2_{settings.total_scope2_method}_t"] + out["scope3_t"].fillna(0.0)
    out["total_scope2_method"] = settings.total_scope2_method
    out["biogenic_co2_t"] = _sum(lines, category == "biogenic_co2", "co2e_t", index)
    out["non_kyoto_co2e_t"] = _sum(lines, category == "non_kyoto_gas", "co2e_t", index)
    out["fuel_energy_gj"] = _sum(lines, lines["carrier"].isin(fs.fuel_carriers()), "energy_gj", index)
    out["electricity_energy_gj"] = _sum(lines, lines["carrier"] == ELECTRICITY, "energy_gj", index)
    out["energy_gj"] = _sum(lines, lines["energy_gj"].notna(), "energy_gj", index)
    toe_per_mwh = settings.electricity_toe_per_mwh or GJ_PER_MWH / GJ_PER_TOE
    electricity_gj = out["electricity_energy_gj"]
    out["energy_toe"] = (out["energy_gj"] - electricity_gj) / GJ_PER_TOE + electricity_gj / GJ_PER_MWH * toe_per_mwh
    grouped = lines.groupby(["entity_id", "year"])
    out["flags"] = grouped["flags"].agg(lambda s: join_flags(*s)).reindex(index)
    out["estimate_grid_factor"] = out["flags"].str.contains("estimate_grid_factor", regex=False)
    out["unverified_factors"] = out["flags"].str.contains("unverified_factor", regex=False)
    out["not_assessed"] = pd.Series({key: _not_assessed(group) for key, group in grouped}).reindex(index)
    out = out.reset_index()
    out["entity_kind"] = entity_kind
    return _with_decree06(out, settings, sectors)


def _with_decree06(out: pd.DataFrame, settings: InventorySettings, sectors: Mapping[str, str]) -> pd.DataFrame:
    basis = {
        "scope1_2_location": out["scope1_t"] + out["scope2_location_t"],
        "scope1_2_market": out["scope1_t"] + out["scope2_market_t"],
        "total": out["total_t"],
    }[settings.decree06_emissions_basis]
    out["decree06_sector"] = [sectors.get(str(e), settings.default_sector) for e in out["entity_id"]]
    known = fs.decree06_sectors()
    for sector in set(out["decree06_sector"]):
        if sector not in known:
            raise GhgInputError("ghg.unknown_sector", sector=sector, known=", ".join(known))
    out["decree06_emissions_t"] = basis
    fuel_toe = out["fuel_energy_gj"] / GJ_PER_TOE
    checks = [
        decree06_obligation(e, t, f, s)
        for e, t, f, s in zip(basis, out["energy_toe"], fuel_toe, out["decree06_sector"], strict=True)
    ]
    out["decree06_obligation"] = [c[0] for c in checks]
    out["decree06_reason"] = [c[1] for c in checks]
    out["decree06_threshold_status"] = [_threshold_status(s) for s in out["decree06_sector"]]
    return out


def _threshold_status(sector: str) -> str:
    """Statuses of the Decree 06 thresholds that apply to ``sector`` (``unverified`` until read in the Decree)."""
    return ";".join(sorted({t.status for t in fs.decree06_thresholds() if t.applies_to(sector)}))


def decree06_obligation(emissions_t: float, energy_toe: float, fuel_energy_toe: float, sector: str) -> tuple[bool, str]:
    """Whether Decree 06/2022's GHG-inventory obligation is reached, and why.

    Parameters
    ----------
    emissions_t : float [tCO2e/yr]
        Annual emissions on the chosen basis.
    energy_toe : float [toe/yr]
        Annual energy consumption.
    fuel_energy_toe : float [toe/yr]
        Annual fuel consumption (for freight transport).
    sector : str
        Decree 06 sector (see :func:`ecozone.ghg.factors.decree06_sectors`).

    Returns
    -------
    (bool, str)
        The flag and the criteria met as codes ``emissions`` / ``energy`` joined by ``;``
        (translate with ``ghg.decree06.<code>``).
    """
    reasons: list[str] = []
    for threshold in fs.decree06_thresholds():
        if not threshold.applies_to(sector):
            continue
        if threshold.criterion == "emissions":
            value = emissions_t
        else:
            value = fuel_energy_toe if threshold.energy_basis == "fuels_only" else energy_toe
        if value >= threshold.value:
            reasons.append(threshold.criterion)
    return bool(reasons), ";".join(dict.fromkeys(reasons))


def summarise(
    line_items: pd.DataFrame,
    settings: InventorySettings | None = None,
    *,
    sectors: Mapping[str, str] | None = None,
    parent_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Summarise line items per entity and year, adding roll-ups per parent.

    A parent's roll-up holds its children's line items and the parent's own (a park's total
    is its shared infrastructure plus its firms).

    Returns
    -------
    DataFrame
        Columns :data:`SUMMARY_COLUMNS`: emissions [tCO2e] by scope (Scope 2 both methods, Scope 3
        categories 3 and 5, NaN when not assessed), ``total_t`` (Scope 1 + Scope 2 of
        ``total_scope2_method`` + assessed Scope 3), biogenic CO2 and non-Kyoto gases outside the
        scopes, energy [GJ] and [toe], flags, ``not_assessed`` (Scope 3 categories ``cat01`` ...
        ``cat15`` and parts not assessed, ``;``-separated) and the Decree 06 obligation with the
        status of the thresholds it used.
    """
    settings = settings or InventorySettings()
    sectors = sectors or {}
    if line_items.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SUMMARY_COLUMNS})
    parts = [_summary_of(line_items, settings, sectors, "entity")]
    if parent_of:
        parents = set(parent_of.values())
        rollup_of = {**{p: p for p in parents}, **dict(parent_of)}
        mapped = line_items.assign(entity_id=line_items["entity_id"].map(rollup_of))
        mapped = mapped[mapped["entity_id"].notna()]
        if not mapped.empty:
            parts.append(_summary_of(mapped, settings, sectors, "rollup"))
    return pd.concat(parts, ignore_index=True)[list(SUMMARY_COLUMNS)]
