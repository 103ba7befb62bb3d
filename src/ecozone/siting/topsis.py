"""TOPSIS: ranking alternatives by their closeness to the ideal (Hwang & Yoon 1981).

Steps, for m alternatives and n criteria with weights ``w`` (summing to one):

1. vector normalisation ``r_ij = x_ij / sqrt(sum_i x_ij^2)``;
2. weighting ``v_ij = w_j r_ij``;
3. ideal ``A+`` (best ``v`` per criterion: largest for a benefit criterion, smallest for a
   cost criterion) and anti-ideal ``A-`` (the opposite);
4. separations ``S+_i = ||v_i - A+||`` and ``S-_i = ||v_i - A-||`` (Euclidean);
5. closeness ``C_i = S-_i / (S+_i + S-_i)`` in [0, 1], higher is better.

Missing values (NaN) are scored as missing, not as zero: a missing cell takes no part in
its column's norm, ideal or anti-ideal, and adds nothing to either separation of its
alternative, so the alternative is judged on the criteria it has. ``coverage`` reports the
share of the weight each alternative was judged on. When an alternative equals both the
ideal and the anti-ideal (no criterion separates the alternatives) its closeness is 0.5.

Reference: Hwang, C.-L. and Yoon, K. (1981) Multiple Attribute Decision Making: Methods and
Applications. Lecture Notes in Economics and Mathematical Systems 186, Springer, pp. 128-134.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

NO_SEPARATION_CLOSENESS = 0.5


@dataclass(frozen=True)
class TopsisResult:
    """Intermediate and final values of one TOPSIS run (arrays are m × n or length m / n).

    Attributes
    ----------
    normalised : numpy.ndarray
        ``r_ij`` [-]; NaN where missing.
    weighted : numpy.ndarray
        ``v_ij`` [-]; NaN where missing.
    ideal, anti_ideal : numpy.ndarray
        ``A+`` and ``A-`` per criterion [-]; NaN for a criterion nobody has.
    separation_ideal, separation_anti_ideal : numpy.ndarray
        ``S+`` and ``S-`` per alternative [-].
    closeness : numpy.ndarray
        ``C`` per alternative [-].
    coverage : numpy.ndarray
        Share of the total weight on criteria the alternative has a value for [-].
    """

    normalised: np.ndarray
    weighted: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray
    separation_ideal: np.ndarray
    separation_anti_ideal: np.ndarray
    closeness: np.ndarray
    coverage: np.ndarray

    def position(self) -> np.ndarray:
        """Where each value sits between anti-ideal (0) and ideal (1) per criterion [-].

        NaN where the value is missing, and for a criterion on which every alternative with
        a value has the same one (it does not separate them).
        """
        span = self.ideal - self.anti_ideal
        with np.errstate(invalid="ignore", divide="ignore"):
            position: np.ndarray = (self.weighted - self.anti_ideal) / span
        position[:, np.isclose(span, 0.0)] = np.nan
        return position


def topsis(
    matrix: Sequence[Sequence[float]] | np.ndarray, weights: Sequence[float] | np.ndarray, benefit: Sequence[bool]
) -> TopsisResult:
    """Rank alternatives with TOPSIS.

    Parameters
    ----------
    matrix : array-like, shape (m, n)
        Performance of each alternative on each criterion, in the criterion's unit; NaN
        where missing.
    weights : sequence of float, length n
        Criterion weights [-], non-negative, summing to one.
    benefit : sequence of bool, length n
        True where more is better, False for a cost criterion (less is better).

    Returns
    -------
    TopsisResult
        Closeness per alternative (higher is better) and every intermediate step.
    """
    values = np.asarray(matrix, dtype=float)
    weight = np.asarray(weights, dtype=float)
    more_is_better = np.asarray(benefit, dtype=bool)
    if values.ndim != 2 or values.shape[1] != weight.size or weight.size != more_is_better.size:
        raise ValueError(f"matrix {values.shape}, weights {weight.size} and benefit {more_is_better.size} do not match")
    present = ~np.isnan(values)
    norms = np.sqrt(np.nansum(values**2, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = np.where(norms > 0, values / norms, 0.0)
    normalised[~present] = np.nan
    weighted = normalised * weight
    has_column = present.any(axis=0)
    column_max = np.full(weight.size, np.nan)
    column_min = np.full(weight.size, np.nan)
    column_max[has_column] = np.nanmax(weighted[:, has_column], axis=0)
    column_min[has_column] = np.nanmin(weighted[:, has_column], axis=0)
    ideal = np.where(more_is_better, column_max, column_min)
    anti_ideal = np.where(more_is_better, column_min, column_max)
    separation_ideal = np.sqrt(np.nansum((weighted - ideal) ** 2, axis=1))
    separation_anti = np.sqrt(np.nansum((weighted - anti_ideal) ** 2, axis=1))
    total = separation_ideal + separation_anti
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, separation_anti / total, NO_SEPARATION_CLOSENESS)
    weight_total = weight.sum()
    coverage = (present * weight).sum(axis=1) / weight_total if weight_total > 0 else np.zeros(values.shape[0])
    return TopsisResult(normalised, weighted, ideal, anti_ideal, separation_ideal, separation_anti, closeness, coverage)
