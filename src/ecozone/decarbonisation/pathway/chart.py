"""Chart of a pathway: emissions by scope against the targets, and spending per year."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ecozone.decarbonisation.pathway.model import PathwayResult
from ecozone.i18n import translate


def plot_pathway(result: PathwayResult, path: Path, lang: str = "en", title: str = "") -> Path:
    """Draw emissions (Scope 1, market-based Scope 2, removals, net, BAU, targets) and spending to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    emissions, spending = result.emissions, result.spending
    years = emissions["year"].to_numpy()
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(11, 8), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    scope1 = emissions["scope1_t"].to_numpy() / 1000.0
    scope2 = emissions["scope2_market_t"].to_numpy() / 1000.0
    top.stackplot(
        years,
        scope1,
        scope2,
        labels=[translate("decarbonisation.chart.scope1", lang), translate("decarbonisation.chart.scope2", lang)],
        alpha=0.7,
    )
    top.fill_between(
        years,
        0,
        -emissions["removals_t"].to_numpy() / 1000.0,
        color="green",
        alpha=0.5,
        label=translate("decarbonisation.chart.removals", lang),
    )
    top.plot(
        years,
        emissions["net_t"].to_numpy() / 1000.0,
        color="black",
        linewidth=2,
        label=translate("decarbonisation.chart.net", lang),
    )
    top.plot(
        years,
        emissions["bau_t"].to_numpy() / 1000.0,
        color="grey",
        linestyle="--",
        label=translate("decarbonisation.chart.bau", lang),
    )
    targets = emissions.dropna(subset=["target_t"])
    top.scatter(
        targets["year"],
        targets["target_t"] / 1000.0,
        marker="v",
        s=80,
        color="red",
        zorder=5,
        label=translate("decarbonisation.chart.target", lang),
    )
    top.set_ylabel(translate("decarbonisation.chart.emissions_kt", lang))
    top.legend(fontsize=8, loc="upper right")
    top.set_title(title or translate("decarbonisation.chart.pathway_title", lang))
    bottom.bar(
        years, spending["capex_vnd"].to_numpy() / 1e9, color="tab:blue", label=translate("decarbonisation.chart.capex", lang)
    )
    running = (spending["operating_and_energy_vnd"] + spending["ppa_premium_vnd"]).to_numpy() / 1e9
    bottom.bar(years, running, color="tab:orange", alpha=0.7, label=translate("decarbonisation.chart.running", lang))
    budget = spending["budget_vnd"].to_numpy()
    if np.isfinite(budget).any():
        bottom.plot(years, budget / 1e9, color="red", linestyle=":", label=translate("decarbonisation.chart.budget", lang))
    bottom.axhline(0.0, color="black", linewidth=0.8)
    bottom.set_ylabel(translate("decarbonisation.chart.spending_bn", lang))
    bottom.legend(fontsize=8)
    figure.text(0.01, 0.005, translate("decarbonisation.chart.unverified_note", lang), fontsize=7)
    figure.tight_layout(rect=(0, 0.02, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
