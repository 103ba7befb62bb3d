"""Settings of matching and optimisation (frozen pydantic models; defaults documented here).

Defaults that are assumptions, not prescribed by a standard, say so: they are ecozone's
planning defaults and are printed as such in reports.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class MatchSettings(BaseModel):
    """How candidate exchanges are found.

    Attributes
    ----------
    min_name_similarity : float [-]
        Cosine of character n-gram TF-IDF vectors above which two names alone make a
        candidate (when their classes have no link).
    use_literature_links : bool
        Also propose class pairs documented only in the literature networks.
    name_matching : bool
        Compare free-text names at all (switched off in large benchmarks).
    intra_park_km : float [km]
        Distance assumed between two sites of one park without their own coordinates
        (ecozone assumption, half the span of a typical 300-600 ha park).
    circuity : float [-]
        Road distance over great-circle distance (ecozone assumption within the 1.2-1.4
        range reported for road networks by Ballou, Rahardja & Sakai 2002; unverified).
    max_candidates_per_output : int or None
        Keep only the best-scored candidates of each output (None: all).
    """

    model_config = ConfigDict(frozen=True)

    min_name_similarity: float = Field(0.5, ge=0.0, le=1.0)
    use_literature_links: bool = True
    name_matching: bool = True
    intra_park_km: float = Field(2.0, ge=0.0)
    circuity: float = Field(1.3, ge=1.0)
    max_candidates_per_output: int | None = Field(None, ge=1)


class OptimisationSettings(BaseModel):
    """How the exchange network is optimised.

    Attributes
    ----------
    time_limit_s : float [s]
        HiGHS time limit.
    mip_rel_gap : float [-]
        Relative optimality gap at which HiGHS stops.
    threads : int
        Solver threads.
    use_greedy_start : bool
        Hand the greedy heuristic's solution to HiGHS as a starting incumbent.
    """

    model_config = ConfigDict(frozen=True)

    time_limit_s: float = Field(60.0, gt=0)
    mip_rel_gap: float = Field(1e-4, ge=0)
    threads: int = Field(1, ge=1)
    use_greedy_start: bool = True
