"""The measures table: what a park can do to close a gap, with relative cost and effort.

``measures.csv`` (beside this module) lists each measure with a cost class (``low``,
``medium``, ``high``), a typical duration [months] and the firm attribute by which to rank the
firms to talk to first (e.g. ``roof_area_m2`` for rooftop solar). Classes are ecozone's
judgement, marked ``unverified``; no money amount is invented. Requirements name their
measures in the rulebook (``measures: [...]``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ecozone.errors import ReferenceDataError

MEASURES_FILE = "measures.csv"
COST_RANK = {"low": 1, "medium": 2, "high": 3}
REQUIRED_COLUMNS = (
    "measure_id",
    "name_en",
    "name_vi",
    "cost_class",
    "effort_months",
    "firm_ranking",
    "source",
    "edition",
    "status",
)


@dataclass(frozen=True)
class Measure:
    """A measure that closes gaps.

    Attributes
    ----------
    effort_months : float
        Typical time to implement [months].
    firm_ranking : str or None
        Firm attribute (``floor_area_m2``, ``roof_area_m2``, ``employees``, ...) ranking the firms to
        talk to, largest first.
    """

    measure_id: str
    name_en: str
    name_vi: str
    cost_class: str
    effort_months: float
    firm_ranking: str | None
    source: str
    status: str

    def name(self, lang: str) -> str:
        """The measure's name in ``lang``."""
        return self.name_vi if lang == "vi" else self.name_en

    @property
    def cost_rank(self) -> int:
        """1 (low) to 3 (high)."""
        return COST_RANK[self.cost_class]


@cache
def measure_catalogue() -> dict[str, Measure]:
    """The shipped measures table, by id."""
    text = resources.files(__package__).joinpath(MEASURES_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("assessment.measures.bad_file", file=MEASURES_FILE, detail=f"missing columns {missing}")
    catalogue = {}
    for row in reader:
        if row["cost_class"] not in COST_RANK:
            raise ReferenceDataError(
                "assessment.measures.bad_file", file=MEASURES_FILE, detail=f"cost_class {row['cost_class']!r}"
            )
        catalogue[row["measure_id"]] = Measure(
            row["measure_id"],
            row["name_en"],
            row["name_vi"],
            row["cost_class"],
            float(row["effort_months"]),
            row["firm_ranking"] or None,
            row["source"],
            row["status"],
        )
    return catalogue
