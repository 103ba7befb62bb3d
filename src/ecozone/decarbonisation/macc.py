"""Marginal abatement cost curve: abatement and levelised cost per tonne of every option.

For an option (one measure in one firm) installed at the start of ``start_year`` and kept for
its lifetime ``L``:

- abatement of year ``t`` = Scope 1 + market-based Scope 2 reductions + removals [tCO2e],
  with the grid factor of year ``t`` (:mod:`ecozone.decarbonisation.emission_factors`);
- levelised cost [VND/tCO2e] = ``(capex + Σ_t d_t · annual_cost) / Σ_t d_t · abatement_t``
  with ``d_t = (1 + r)^-t``, t = 1 ... L (the first year of operation discounted once), where
  ``annual_cost`` is operating costs plus the change of the energy bill (negative: a saving);
- NPV [VND] = ``-capex - Σ_t d_t · annual_cost``.

Options with no positive abatement are listed apart with a reason. The park's curve groups
options by measure: its cost is the sum of costs over the sum of discounted abatement.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from ecozone.decarbonisation.effects import MeasureOption
from ecozone.decarbonisation.emission_factors import DEFAULT_GRID_SCENARIO, grid_factor_for
from ecozone.decarbonisation.finance import FinanceSettings, discount_factors

MACC_COLUMNS = (
    "firm_id",
    "measure_id",
    "name_en",
    "name_vi",
    "size",
    "size_unit",
    "capex_vnd",
    "annual_cost_vnd",
    "lifetime_years",
    "abatement_first_year_t",
    "abatement_lifetime_t",
    "levelised_abatement_t_per_yr",
    "cost_vnd_per_t",
    "npv_vnd",
    "taxonomy_type",
    "status",
)
EXCLUDED_COLUMNS = ("firm_id", "measure_id", "reason")


class MaccSettings(BaseModel):
    """Choices of an abatement cost curve.

    Attributes
    ----------
    start_year : int
        First year of operation of every option.
    grid_scenario : str
        Grid-factor scenario after the published years.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    start_year: int = 2026
    grid_scenario: str = DEFAULT_GRID_SCENARIO


def abatement_series(option: MeasureOption, years: Sequence[int], grid_scenario: str) -> np.ndarray:
    """Net abatement of each of ``years`` [tCO2e/yr]."""
    return np.array([option.net_abatement(year, grid_scenario) for year in years], dtype=np.float64)


def _row(option: MeasureOption, settings: MaccSettings, rate: float) -> dict[str, object] | None:
    lifetime = option.measure.lifetime_years
    years = range(settings.start_year, settings.start_year + lifetime)
    abatement = abatement_series(option, list(years), settings.grid_scenario)
    factors = discount_factors(rate, lifetime)[1:]
    discounted_abatement = float(factors @ abatement)
    if discounted_abatement <= 0:
        return None
    discounted_cost = option.capex_vnd + option.annual_cost_vnd * float(factors.sum())
    grid_status = {grid_factor_for(y, settings.grid_scenario).status for y in years}
    measure = option.measure
    status = "verified" if measure.is_verified and grid_status == {"verified"} else "unverified"
    return {
        "firm_id": option.firm_id,
        "measure_id": measure.id,
        "name_en": measure.name_en,
        "name_vi": measure.name_vi,
        "size": option.size,
        "size_unit": measure.size_unit,
        "capex_vnd": option.capex_vnd,
        "annual_cost_vnd": option.annual_cost_vnd,
        "lifetime_years": lifetime,
        "abatement_first_year_t": float(abatement[0]),
        "abatement_lifetime_t": float(abatement.sum()),
        "levelised_abatement_t_per_yr": discounted_abatement / float(factors.sum()),
        "cost_vnd_per_t": discounted_cost / discounted_abatement,
        "npv_vnd": -discounted_cost,
        "taxonomy_type": measure.taxonomy_type,
        "status": status,
    }


def macc_table(
    options: Sequence[MeasureOption], settings: MaccSettings | None = None, finance: FinanceSettings | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (curve rows sorted by cost per tonne, excluded options with their reason).

    Parameters
    ----------
    options : sequence of MeasureOption
        Every evaluated option (inapplicable ones go to the excluded table).
    settings : MaccSettings, optional
    finance : FinanceSettings, optional
        Discount rate.
    """
    settings = settings or MaccSettings()
    rate = (finance or FinanceSettings()).discount_rate
    rows, excluded = [], []
    for option in options:
        if not option.applicable:
            excluded.append({"firm_id": option.firm_id, "measure_id": option.measure.id, "reason": option.reason})
            continue
        row = _row(option, settings, rate)
        if row is None:
            excluded.append(
                {"firm_id": option.firm_id, "measure_id": option.measure.id, "reason": "decarbonisation.reason.no_abatement"}
            )
        else:
            rows.append(row)
    table = pd.DataFrame(rows, columns=list(MACC_COLUMNS)).sort_values(["cost_vnd_per_t", "firm_id"], ignore_index=True)
    return table, pd.DataFrame(excluded, columns=list(EXCLUDED_COLUMNS))


def macc_by_measure(table: pd.DataFrame) -> pd.DataFrame:
    """The park's curve: one row per measure, sorted by cost per tonne.

    ``cost_vnd_per_t`` = Σ discounted cost / Σ discounted abatement of the measure's options,
    i.e. the abatement-weighted mean of their levelised costs.
    """
    weighted = table.assign(
        weight=table["levelised_abatement_t_per_yr"],
        weighted_cost=table["levelised_abatement_t_per_yr"] * table["cost_vnd_per_t"],
    )
    grouped = weighted.groupby(["measure_id", "name_en", "name_vi"], as_index=False).agg(
        firms=("firm_id", "nunique"),
        capex_vnd=("capex_vnd", "sum"),
        abatement_first_year_t=("abatement_first_year_t", "sum"),
        levelised_abatement_t_per_yr=("weight", "sum"),
        weighted_cost=("weighted_cost", "sum"),
        npv_vnd=("npv_vnd", "sum"),
    )
    grouped["cost_vnd_per_t"] = grouped["weighted_cost"] / grouped["levelised_abatement_t_per_yr"]
    return grouped.drop(columns="weighted_cost").sort_values("cost_vnd_per_t", ignore_index=True)


def plot_macc(by_measure: pd.DataFrame, path: Path, lang: str = "en", title: str = "") -> Path:
    """Draw the curve (bar width = levelised abatement, height = cost per tonne) to ``path`` (PNG or SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ecozone.i18n import translate

    widths = by_measure["levelised_abatement_t_per_yr"].to_numpy() / 1000.0
    heights = by_measure["cost_vnd_per_t"].to_numpy() / 1e6
    lefts = np.concatenate([[0.0], np.cumsum(widths)[:-1]])
    names = by_measure["name_vi" if lang == "vi" else "name_en"].tolist()
    figure, axis = plt.subplots(figsize=(11, 6))
    colours = plt.get_cmap("tab20")(np.arange(len(names)) % 20)
    for left, width, height, name, colour in zip(lefts, widths, heights, names, colours, strict=True):
        axis.bar(left, height, width=width, align="edge", color=colour, edgecolor="black", linewidth=0.5, label=name)
    axis.axhline(0.0, color="black", linewidth=0.8)
    axis.set_xlabel(translate("decarbonisation.chart.macc_x", lang))
    axis.set_ylabel(translate("decarbonisation.chart.macc_y", lang))
    axis.set_title(title or translate("decarbonisation.chart.macc_title", lang))
    axis.legend(fontsize=7, loc="upper left", ncol=2)
    figure.text(0.01, 0.01, translate("decarbonisation.chart.unverified_note", lang), fontsize=7)
    figure.tight_layout(rect=(0, 0.03, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
