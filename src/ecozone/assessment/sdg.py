"""SDG targets served by requirements and KPIs, and a park's contribution table.

``sdg_targets.csv`` lists the targets rulebooks may name (goals 6, 7, 8, 9, 11, 12, 13), with
their text paraphrased in English and Vietnamese from UN resolution A/RES/70/1 (status
``unverified``: paraphrased, not quoted). The mapping of a requirement to targets is ecozone's
judgement, kept in the rulebooks (``sdg_targets``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

SDG_FILE = "sdg_targets.csv"


@dataclass(frozen=True)
class SdgTarget:
    """An SDG target."""

    target: str
    goal: int
    text_en: str
    text_vi: str
    source: str
    status: str

    def text(self, lang: str) -> str:
        """The target's text in ``lang``."""
        return self.text_vi if lang == "vi" else self.text_en


@cache
def sdg_targets() -> dict[str, SdgTarget]:
    """The SDG targets rulebooks may name, by target number (e.g. ``6.3``)."""
    text = resources.files(__package__).joinpath(SDG_FILE).read_text(encoding="utf-8")
    return {
        row["target"]: SdgTarget(row["target"], int(row["goal"]), row["text_en"], row["text_vi"], row["source"], row["status"])
        for row in csv.DictReader(text.splitlines())
    }


def target_sort_key(target: str) -> tuple[int, str]:
    """Order ``6.3`` before ``12.4``."""
    goal, _, rest = target.partition(".")
    return int(goal), rest.rjust(2, "0")
