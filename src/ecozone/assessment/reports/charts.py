"""The scorecard chart, drawn server-side with matplotlib (no browser, no internet)."""

from __future__ import annotations

import io
from typing import Any

from ecozone.assessment.reports.formatting import text
from ecozone.i18n import translate

BAR_COLOUR = "#2e7d32"
BACKGROUND_COLOUR = "#e0e0e0"
MAX_LABEL = 38


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def scorecard_png(document: dict[str, Any], lang: str, dpi: int = 150) -> bytes:
    """A horizontal bar chart of the score of each category [%] as PNG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    categories = document["scores"]["categories"]
    labels = [_short(text(category.get("name"), lang) or category["category"]) for category in categories]
    scores = [category["score_pct"] or 0.0 for category in categories]
    height = 0.45 * len(categories) + 1.2
    figure, axes = plt.subplots(figsize=(7.5, height), dpi=dpi)
    try:
        positions = list(range(len(categories)))[::-1]
        axes.barh(positions, [100.0] * len(categories), color=BACKGROUND_COLOUR, height=0.6)
        axes.barh(positions, scores, color=BAR_COLOUR, height=0.6)
        for position, score, category in zip(positions, scores, categories, strict=True):
            label = "–" if category["score_pct"] is None else f"{score:.0f} %"
            axes.text(min(score, 100.0) + 1.5, position, label, va="center", fontsize=8)
        axes.set_yticks(positions, labels, fontsize=8)
        axes.set_xlim(0, 112)
        axes.set_xlabel(translate("assessment.report.chart_axis", lang), fontsize=8)
        axes.set_title(translate("assessment.report.chart_title", lang), fontsize=10)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    finally:
        plt.close(figure)
    return buffer.getvalue()
