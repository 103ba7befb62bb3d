"""Matching an investor with parks: hard constraints, TOPSIS ranking, breakdown, sensitivity.

1. Every park's (published) profile is checked against the investor's requirements
   (:mod:`ecozone.siting.constraints`): parks that fail are excluded with the reasons.
2. The remaining parks are ranked with TOPSIS (:mod:`ecozone.siting.topsis`) on the
   criteria the investor weighs (stated weights, normalised; AHP weights; or equal
   weights). Missing values are scored as missing, not as zero: a park is judged on the
   criteria it has data for, and its ``coverage`` (share of the weight judged) is shown.
3. Parks whose data confirm every hard constraint come first; parks with an unknown
   binding check ("unconfirmed") follow, each group ordered by closeness.
4. Each ranked park gets a per-criterion breakdown: its value, where it sits between the
   worst (0) and best (1) value among the ranked parks, and its share in the distances to
   the ideal and anti-ideal.
5. Sensitivity: for each criterion, how far its weight can move before the first park
   changes (:mod:`ecozone.siting.sensitivity`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ecozone.i18n import translate
from ecozone.siting.constraints import FAILED, MET, UNKNOWN, ConstraintCheck, check_park, park_status
from ecozone.siting.criteria import Criterion, criterion, criterion_value
from ecozone.siting.investor import InvestorProfile
from ecozone.siting.notices import Notice
from ecozone.siting.profile import ParkProfile
from ecozone.siting.sensitivity import WeightRange, weight_ranges
from ecozone.siting.topsis import TopsisResult, topsis

STRONG_POSITION = 0.75
WEAK_POSITION = 0.25
EXPLAINED_CRITERIA = 3


@dataclass(frozen=True)
class CriterionScore:
    """A ranked park on one criterion.

    Attributes
    ----------
    criterion : str
        Criterion name.
    direction : str
        ``benefit`` or ``cost``.
    unit : str or None
        Unit of ``value``.
    weight : float
        Weight used [-].
    value : float or None
        The park's value; None when missing (scored as missing, not zero).
    approximate : bool
        Whether the value rests on an approximation.
    position : float or None
        Between the worst (0) and best (1) value among the ranked parks [-].
    ideal_share, anti_ideal_share : float or None
        Share of the squared distance to the ideal / anti-ideal that this criterion makes [-].
    """

    criterion: str
    direction: str
    unit: str | None
    weight: float
    value: float | None
    approximate: bool
    position: float | None
    ideal_share: float | None
    anti_ideal_share: float | None

    @property
    def missing(self) -> bool:
        """Whether the park has no value on this criterion."""
        return self.value is None


@dataclass(frozen=True)
class ParkMatch:
    """One park's outcome.

    Attributes
    ----------
    park_id, name_vi, name_en : str
        Identity (``name_en`` may be None).
    is_synthetic : bool
        Demonstration data.
    status : str
        ``met`` (every hard constraint confirmed), ``unconfirmed`` (some unknown) or ``excluded``.
    checks : tuple of ConstraintCheck
        The hard and advisory checks.
    rank : int or None
        1 for the best park; None when excluded.
    closeness : float or None
        TOPSIS closeness [-]; None when excluded.
    coverage : float or None
        Share of the weight the park was judged on [-].
    scores : tuple of CriterionScore
        Per-criterion breakdown (empty when excluded).
    """

    park_id: str
    name_vi: str
    name_en: str | None
    is_synthetic: bool
    status: str
    checks: tuple[ConstraintCheck, ...]
    rank: int | None = None
    closeness: float | None = None
    coverage: float | None = None
    scores: tuple[CriterionScore, ...] = ()

    def name(self, lang: str) -> str:
        """Return the park's name in ``lang``."""
        return self.name_vi if lang.startswith("vi") or not self.name_en else self.name_en

    @property
    def failed(self) -> tuple[ConstraintCheck, ...]:
        """Binding checks the park failed."""
        return tuple(check for check in self.checks if check.binding and check.outcome == FAILED)

    @property
    def unknown(self) -> tuple[ConstraintCheck, ...]:
        """Binding checks the park's data cannot decide."""
        return tuple(check for check in self.checks if check.binding and check.outcome == UNKNOWN)

    def strengths(self) -> tuple[str, ...]:
        """Criteria where the park is near the best, heaviest weight first."""
        return _pick(self.scores, lambda p: p >= STRONG_POSITION)

    def weaknesses(self) -> tuple[str, ...]:
        """Criteria where the park is near the worst, heaviest weight first."""
        return _pick(self.scores, lambda p: p <= WEAK_POSITION)

    def missing(self) -> tuple[str, ...]:
        """Weighted criteria the park has no value for."""
        return tuple(score.criterion for score in self.scores if score.missing)


def _pick(scores: Sequence[CriterionScore], keep: Any) -> tuple[str, ...]:
    chosen = [score for score in scores if score.position is not None and keep(score.position)]
    chosen.sort(key=lambda score: -score.weight)
    return tuple(score.criterion for score in chosen[:EXPLAINED_CRITERIA])


@dataclass(frozen=True)
class MatchResult:
    """The outcome of matching one investor with many parks.

    Attributes
    ----------
    investor : InvestorProfile
        The validated profile.
    criteria : tuple of str
        Criteria ranked on, in order.
    weights : tuple of float
        Their weights [-], summing to one.
    ranked : tuple of ParkMatch
        Parks kept, best first.
    excluded : tuple of ParkMatch
        Parks excluded, with the failed checks.
    sensitivity : tuple of WeightRange
        Weight stability of the first park.
    notices : tuple of Notice
        What the user should know (weights normalised, AHP inconsistency, missing data, ...).
    """

    investor: InvestorProfile
    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    ranked: tuple[ParkMatch, ...]
    excluded: tuple[ParkMatch, ...]
    sensitivity: tuple[WeightRange, ...]
    notices: tuple[Notice, ...]


def _decision_matrix(
    criteria: Sequence[Criterion], profiles: Sequence[ParkProfile], division: str
) -> tuple[np.ndarray, np.ndarray]:
    values = np.full((len(profiles), len(criteria)), np.nan)
    approximate = np.zeros((len(profiles), len(criteria)), dtype=bool)
    for row, profile in enumerate(profiles):
        for column, item in enumerate(criteria):
            read = criterion_value(item, profile, division)
            if read.value is not None:
                values[row, column] = read.value
                approximate[row, column] = read.approximate
    return values, approximate


def _order(statuses: Sequence[str], closeness: np.ndarray, ids: Sequence[str]) -> list[int]:
    return sorted(range(len(ids)), key=lambda i: (statuses[i] != MET, -round(float(closeness[i]), 12), ids[i]))


def _share(part: float, total: float) -> float | None:
    return None if math.isnan(part) else (part / total if total > 0 else 0.0)


def _scores(
    result: TopsisResult,
    criteria: Sequence[Criterion],
    weights: np.ndarray,
    values: np.ndarray,
    approximate: np.ndarray,
    row: int,
) -> tuple[CriterionScore, ...]:
    position = result.position()
    ideal_parts = (result.weighted[row] - result.ideal) ** 2
    anti_parts = (result.weighted[row] - result.anti_ideal) ** 2
    ideal_total = float(np.nansum(ideal_parts))
    anti_total = float(np.nansum(anti_parts))
    return tuple(
        CriterionScore(
            item.name,
            item.direction,
            item.unit,
            float(weights[column]),
            None if math.isnan(values[row, column]) else float(values[row, column]),
            bool(approximate[row, column]),
            None if math.isnan(position[row, column]) else float(position[row, column]),
            _share(float(ideal_parts[column]), ideal_total),
            _share(float(anti_parts[column]), anti_total),
        )
        for column, item in enumerate(criteria)
    )


def _match_notices(investor: InvestorProfile, ranked: Sequence[ParkMatch], excluded: Sequence[ParkMatch]) -> list[Notice]:
    notices = list(investor.notices)
    if not ranked:
        notices.append(Notice("siting.match.none_left", {"excluded": len(excluded)}))
    incomplete = [match for match in ranked if match.missing()]
    if incomplete:
        notices.append(Notice("siting.match.missing_scored_as_missing", {"count": len(incomplete)}))
    unconfirmed = [match for match in ranked if match.status != MET]
    if unconfirmed:
        notices.append(Notice("siting.match.unconfirmed_last", {"count": len(unconfirmed)}))
    if any(score.approximate for match in ranked for score in match.scores):
        notices.append(Notice("siting.match.approximate_distances", {}))
    return notices


def match_parks(investor: InvestorProfile, profiles: Sequence[ParkProfile], *, with_sensitivity: bool = True) -> MatchResult:
    """Match an investor with parks.

    Parameters
    ----------
    investor : InvestorProfile
        Validated investor profile (weights already normalised).
    profiles : sequence of ParkProfile
        The parks' profiles as the investor may see them (published fields only).
    with_sensitivity : bool
        Whether to compute the weight sensitivity of the first park.

    Returns
    -------
    MatchResult
        Ranked and excluded parks, per-criterion breakdowns, sensitivity and notices.
    """
    weights_map = dict(investor.weights or {})
    criteria = [criterion(name) for name in weights_map]
    weights = np.array([weights_map[item.name] for item in criteria], dtype=float)
    benefit = [item.is_benefit for item in criteria]
    outcomes = [(profile, check_park(investor, profile)) for profile in profiles]
    statuses = [park_status(checks, investor.exclude_when_unknown) for _, checks in outcomes]
    kept = [i for i, status in enumerate(statuses) if status != "excluded"]
    excluded = tuple(
        ParkMatch(p.park_id, p.name_vi, p.name_en, p.is_synthetic, "excluded", checks)
        for (p, checks), status in zip(outcomes, statuses, strict=True)
        if status == "excluded"
    )
    kept_profiles = [outcomes[i][0] for i in kept]
    kept_statuses = [statuses[i] for i in kept]
    ids = [profile.park_id for profile in kept_profiles]
    values, approximate = _decision_matrix(criteria, kept_profiles, investor.sector_division)
    ranked: list[ParkMatch] = []
    sensitivity: tuple[WeightRange, ...] = ()
    if kept_profiles and criteria:
        result = topsis(values, weights, benefit)
        for rank, row in enumerate(_order(kept_statuses, result.closeness, ids), start=1):
            profile = kept_profiles[row]
            ranked.append(
                ParkMatch(
                    profile.park_id,
                    profile.name_vi,
                    profile.name_en,
                    profile.is_synthetic,
                    kept_statuses[row],
                    outcomes[kept[row]][1],
                    rank,
                    float(result.closeness[row]),
                    float(result.coverage[row]),
                    _scores(result, criteria, weights, values, approximate, row),
                )
            )
        if with_sensitivity and len(kept_profiles) > 1:

            def leader(vector: np.ndarray) -> str:
                closeness = topsis(values, vector, benefit).closeness
                return ids[_order(kept_statuses, closeness, ids)[0]]

            sensitivity = weight_ranges([item.name for item in criteria], weights, leader)
    notices = _match_notices(investor, ranked, excluded)
    return MatchResult(
        investor,
        tuple(item.name for item in criteria),
        tuple(float(w) for w in weights),
        tuple(ranked),
        excluded,
        sensitivity,
        tuple(notices),
    )


def criterion_label(name: str, lang: str) -> str:
    """Return the label of criterion ``name`` in ``lang``."""
    return translate(f"siting.criterion.{name}", lang)


def check_reason(check: ConstraintCheck, lang: str) -> str:
    """Return one sentence saying why a check failed, is unknown or undecided."""
    label = translate(f"siting.check.{check.name}", lang)
    params = {"check": label, "required": _plain(check.required), "offered": _plain(check.offered), "unit": check.unit or ""}
    if check.outcome == UNKNOWN and check.offered is None:
        text = translate("siting.reason.unknown", lang, check=label)
    elif check.outcome == UNKNOWN:
        text = translate("siting.reason.undecided", lang, **params, uncertainty=_plain(check.uncertainty))
    else:
        text = translate(f"siting.reason.{check.outcome}", lang, **params)
        if check.approximate:
            text += " " + translate(
                "siting.reason.approximate", lang, uncertainty=_plain(check.uncertainty), unit=check.unit or ""
            )
    if check.note:
        text += " " + translate(check.note, lang)
    return text


def _plain(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{value:,.0f}"
    return str(value)


def unconfirmed_reasons(checks: Sequence[ConstraintCheck], lang: str) -> list[str]:
    """Return sentences for binding checks that cannot be decided: one for all checks without data, one per undecided check."""
    unknown = [check for check in checks if check.binding and check.outcome == UNKNOWN]
    no_data = [translate(f"siting.check.{check.name}", lang) for check in unknown if check.offered is None]
    sentences = [translate("siting.explain.unconfirmed", lang, checks=", ".join(no_data))] if no_data else []
    sentences.extend(check_reason(check, lang) for check in unknown if check.offered is not None)
    return sentences


def reasons(match: ParkMatch, lang: str) -> list[str]:
    """Return why a park was excluded (failed checks, then the checks that could not be decided)."""
    return [check_reason(check, lang) for check in match.failed] + unconfirmed_reasons(match.checks, lang)


def explain(match: ParkMatch, lang: str) -> list[str]:
    """Return sentences explaining a park's rank: strengths, weaknesses, missing data, unconfirmed checks."""
    sentences = []
    for key, names in (("siting.explain.strengths", match.strengths()), ("siting.explain.weaknesses", match.weaknesses())):
        if names:
            sentences.append(translate(key, lang, criteria=", ".join(criterion_label(name, lang) for name in names)))
    missing = match.missing()
    if missing:
        coverage = round(100 * (match.coverage or 0.0))
        labels = ", ".join(criterion_label(name, lang) for name in missing)
        sentences.append(translate("siting.explain.missing", lang, criteria=labels, coverage=coverage))
    sentences.extend(unconfirmed_reasons(match.checks, lang))
    return sentences


def _score_dict(score: CriterionScore) -> dict[str, Any]:
    return {
        "criterion": score.criterion,
        "direction": score.direction,
        "unit": score.unit,
        "weight": score.weight,
        "value": score.value,
        "missing": score.missing,
        "approximate": score.approximate,
        "position": score.position,
        "ideal_distance_share": score.ideal_share,
        "anti_ideal_distance_share": score.anti_ideal_share,
    }


def _check_dict(check: ConstraintCheck, lang: str) -> dict[str, Any]:
    return {
        "check": check.name,
        "outcome": check.outcome,
        "required": check.required,
        "offered": check.offered,
        "unit": check.unit,
        "binding": check.binding,
        "approximate": check.approximate,
        "text": check_reason(check, lang) if check.outcome != MET else None,
    }


def match_document(result: MatchResult, lang: str = "en") -> dict[str, Any]:
    """Return the JSON document of a match (what ``ecozone match --json`` prints)."""
    return {
        "investor": result.investor.as_dict(),
        "weights": dict(zip(result.criteria, result.weights, strict=True)),
        "ahp": None
        if result.investor.ahp is None
        else {
            "criteria": list(result.investor.ahp.criteria),
            "weights": list(result.investor.ahp.weights),
            "lambda_max": result.investor.ahp.lambda_max,
            "consistency_index": result.investor.ahp.consistency_index,
            "random_index": result.investor.ahp.random_index,
            "consistency_ratio": result.investor.ahp.consistency_ratio,
        },
        "ranked": [
            {
                "rank": match.rank,
                "park_id": match.park_id,
                "name": match.name(lang),
                "is_synthetic": match.is_synthetic,
                "status": match.status,
                "closeness": match.closeness,
                "coverage": match.coverage,
                "strengths": list(match.strengths()),
                "weaknesses": list(match.weaknesses()),
                "missing": list(match.missing()),
                "explanation": explain(match, lang),
                "checks": [_check_dict(check, lang) for check in match.checks],
                "breakdown": [_score_dict(score) for score in match.scores],
            }
            for match in result.ranked
        ],
        "excluded": [
            {
                "park_id": match.park_id,
                "name": match.name(lang),
                "is_synthetic": match.is_synthetic,
                "reasons": reasons(match, lang),
                "checks": [_check_dict(check, lang) for check in match.checks],
            }
            for match in result.excluded
        ],
        "sensitivity": [
            {
                "criterion": item.criterion,
                "weight": item.weight,
                "lower": item.lower,
                "upper": item.upper,
                "lower_successor": item.lower_successor,
                "upper_successor": item.upper_successor,
            }
            for item in result.sensitivity
        ],
        "notices": [notice.as_dict(lang) for notice in result.notices],
    }
