"""Pathway to net zero: a yearly mixed-integer plan of measures per firm (HiGHS).

Public API
----------
plan_pathway(options, energies, settings=None, finance=None, extra_constraints=None) -> PathwayResult
PathwaySettings, PathwayResult, Explanation, emissions_by_year, targets(), target(id)
"""

from __future__ import annotations

from ecozone.decarbonisation.pathway.model import (
    EMISSION_COLUMNS,
    SPENDING_COLUMNS,
    TIMELINE_COLUMNS,
    Explanation,
    PathwayData,
    PathwayModel,
    PathwayResult,
    PathwaySettings,
    build_pathway,
    emissions_by_year,
    pathway_data,
    plan_pathway,
)
from ecozone.decarbonisation.pathway.targets import Target, target, targets

__all__ = [
    "EMISSION_COLUMNS",
    "SPENDING_COLUMNS",
    "TIMELINE_COLUMNS",
    "Explanation",
    "PathwayData",
    "PathwayModel",
    "PathwayResult",
    "PathwaySettings",
    "Target",
    "build_pathway",
    "emissions_by_year",
    "pathway_data",
    "plan_pathway",
    "target",
    "targets",
]
