"""Charts of savings: measured against counterfactual energy, and the CUSUM (PNG, matplotlib)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ecozone.baselines.savings import SavingsResult
from ecozone.i18n import translate

FIGURE_WIDTH_IN = 11.0
ROW_HEIGHT_IN = 3.0
DPI = 110


def savings_chart(results: Sequence[SavingsResult], path: Path, lang: str, titles: Sequence[str] | None = None) -> Path:
    """Draw one row per result: measured vs counterfactual energy, and the CUSUM of measured − counterfactual.

    Flagged periods (non-routine events) are shaded.

    Parameters
    ----------
    results : sequence of SavingsResult
        Savings to draw.
    path : Path
        PNG file to write (folders are created).
    lang : str
        Language of the labels.
    titles : sequence of str, optional
        Title of each row (default: the meter id).

    Returns
    -------
    Path
        The file written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = max(len(results), 1)
    figure, axes = plt.subplots(rows, 2, figsize=(FIGURE_WIDTH_IN, ROW_HEIGHT_IN * rows), squeeze=False)
    for index, result in enumerate(results):
        left, right = axes[index]
        periods = result.periods
        starts = periods["period_start"].to_numpy()
        title = titles[index] if titles is not None else result.meter_id
        left.plot(
            starts,
            periods["counterfactual"],
            color="#d95f02",
            linewidth=1.0,
            label=translate("baselines.plot.counterfactual", lang),
        )
        left.plot(starts, periods["observed"], color="#1b9e77", linewidth=1.0, label=translate("baselines.plot.observed", lang))
        flagged = periods["flagged"].to_numpy(dtype=bool)
        if flagged.any():
            low, high = np.nanmin(periods["observed"]), np.nanmax(periods["observed"])
            left.fill_between(
                starts, low, high, where=flagged, color="#bbbbbb", alpha=0.4, label=translate("baselines.plot.flagged", lang)
            )
        left.set_title(title, fontsize=9)
        left.set_ylabel(result.energy_unit)
        left.legend(fontsize=7, loc="best")
        right.plot(starts, periods["cusum"], color="#7570b3", linewidth=1.2)
        right.axhline(0.0, color="#666666", linewidth=0.6)
        right.set_title(translate("baselines.plot.cusum", lang), fontsize=9)
        right.set_ylabel(result.energy_unit)
        for axis in (left, right):
            axis.tick_params(labelsize=7)
            for label in axis.get_xticklabels():
                label.set_rotation(30)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    return path
