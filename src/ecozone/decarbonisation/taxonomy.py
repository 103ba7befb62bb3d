"""Viet Nam Green Taxonomy (Decision 21/2025/QĐ-TTg): project groups, types and conditions as data.

``data/taxonomy.csv`` maps the catalogue's ``taxonomy_type`` to a group of Appendix I with the
type's criterion (the Appendix I technical thresholds have not been read: every criterion is
``unverified``); ``data/taxonomy_conditions.csv`` holds the two conditions of a green project
and the certification route (read in secondary sources, ``verified``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ecozone.decarbonisation.catalogue import Measure
from ecozone.decarbonisation.reference import read_rows

DATA = "ecozone.decarbonisation.data"


@dataclass(frozen=True)
class TaxonomyType:
    """One project type of the taxonomy and its group."""

    project_type: str
    group: str
    group_en: str
    group_vi: str
    type_en: str
    type_vi: str
    criterion_en: str
    criterion_vi: str
    source: str
    status: str

    def label(self, lang: str) -> str:
        """``group: type`` in ``lang``."""
        return f"{self.group_vi}: {self.type_vi}" if lang == "vi" else f"{self.group_en}: {self.type_en}"

    def criterion(self, lang: str) -> str:
        """The type's criterion in ``lang``."""
        return self.criterion_vi if lang == "vi" else self.criterion_en


@dataclass(frozen=True)
class TaxonomyCondition:
    """A condition every green project must meet."""

    condition: str
    text_en: str
    text_vi: str
    source: str
    status: str

    def text(self, lang: str) -> str:
        """The condition in ``lang``."""
        return self.text_vi if lang == "vi" else self.text_en


@cache
def taxonomy_types() -> dict[str, TaxonomyType]:
    """Project types by key."""
    columns = ("project_type", "group", "group_en", "group_vi", "type_en", "type_vi", "criterion_en", "criterion_vi")
    return {
        r["project_type"]: TaxonomyType(**{c: r[c] for c in (*columns, "source", "status")})
        for r in read_rows(DATA, "taxonomy.csv", columns)
    }


@cache
def taxonomy_conditions() -> tuple[TaxonomyCondition, ...]:
    """The general conditions of a green project."""
    rows = read_rows(DATA, "taxonomy_conditions.csv", ("condition", "text_en", "text_vi"))
    return tuple(TaxonomyCondition(r["condition"], r["text_en"], r["text_vi"], r["source"], r["status"]) for r in rows)


def tag(measure: Measure) -> TaxonomyType | None:
    """The taxonomy type of ``measure`` (None when it fits no Appendix I type)."""
    return taxonomy_types().get(measure.taxonomy_type) if measure.taxonomy_type else None
