"""TOPSIS against Hwang & Yoon's worked example, computed by hand here, and missing-value handling.

Worked example: Hwang, C.-L. and Yoon, K. (1981) Multiple Attribute Decision Making: Methods
and Applications, Springer, pp. 131-134 (fighter aircraft A1-A4; attributes maximum speed
[Mach], ferry range [NM], maximum payload [lb], acquisition cost [10^6 $] (a cost),
reliability and manoeuvrability [interval scale]; weights 0.2, 0.1, 0.1, 0.1, 0.2, 0.3).
The book reports closeness 0.643, 0.268, 0.613, 0.312 and the order A1 > A3 > A4 > A2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from ecozone.siting.topsis import topsis

AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
BENEFIT = [True, True, True, False, True, True]
BOOK_CLOSENESS = [0.643, 0.268, 0.613, 0.312]
BOOK_IDEAL = [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012]
BOOK_ANTI_IDEAL = [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118]


def _by_hand() -> list[float]:
    """Every TOPSIS step written out, with no numpy."""
    columns = list(zip(*AIRCRAFT, strict=True))
    norms = [math.sqrt(sum(x * x for x in column)) for column in columns]
    # e.g. speed: sqrt(2.0^2 + 2.5^2 + 1.8^2 + 2.2^2) = sqrt(18.33) = 4.2814
    assert norms[0] == pytest.approx(math.sqrt(18.33))
    weighted = [[WEIGHTS[j] * row[j] / norms[j] for j in range(6)] for row in AIRCRAFT]
    ideal = [max(c) if BENEFIT[j] else min(c) for j, c in enumerate(zip(*weighted, strict=True))]
    anti = [min(c) if BENEFIT[j] else max(c) for j, c in enumerate(zip(*weighted, strict=True))]
    closeness = []
    for row in weighted:
        s_plus = math.sqrt(sum((v - i) ** 2 for v, i in zip(row, ideal, strict=True)))
        s_minus = math.sqrt(sum((v - a) ** 2 for v, a in zip(row, anti, strict=True)))
        closeness.append(s_minus / (s_plus + s_minus))
    return closeness


def test_hwang_yoon_aircraft_example() -> None:
    result = topsis(AIRCRAFT, WEIGHTS, BENEFIT)
    assert result.closeness == pytest.approx(_by_hand(), abs=1e-12)
    # the book rounds to three decimals (and its normalised cost column is slightly off)
    assert result.closeness == pytest.approx(BOOK_CLOSENESS, abs=1e-3)
    assert result.ideal == pytest.approx(BOOK_IDEAL, abs=2e-4)
    assert result.anti_ideal == pytest.approx(BOOK_ANTI_IDEAL, abs=2e-4)
    assert list(np.argsort(-result.closeness)) == [0, 2, 3, 1]
    assert result.coverage == pytest.approx([1.0] * 4)


def test_closeness_is_between_zero_and_one_and_the_ideal_alternative_scores_one() -> None:
    result = topsis([[3.0, 1.0], [1.0, 3.0], [2.0, 2.0]], [0.5, 0.5], [True, False])
    assert result.closeness[0] == pytest.approx(1.0)  # best on both: it is the ideal
    assert result.closeness[1] == pytest.approx(0.0)  # worst on both: it is the anti-ideal
    assert 0 < result.closeness[2] < 1


def test_no_separation_gives_one_half() -> None:
    result = topsis([[5.0, 5.0], [5.0, 5.0]], [0.5, 0.5], [True, True])
    assert result.closeness == pytest.approx([0.5, 0.5])
    assert np.isnan(result.position()).all()


def test_missing_value_is_scored_as_missing_not_zero() -> None:
    matrix = [[4.0, 1.0], [2.0, 3.0], [3.0, math.nan]]
    result = topsis(matrix, [0.6, 0.4], [True, True])
    # by hand: column norms over present values only
    n1, n2 = math.sqrt(16 + 4 + 9), math.sqrt(1 + 9)
    v = [[0.6 * 4 / n1, 0.4 * 1 / n2], [0.6 * 2 / n1, 0.4 * 3 / n2], [0.6 * 3 / n1, None]]
    ideal, anti = [0.6 * 4 / n1, 0.4 * 3 / n2], [0.6 * 2 / n1, 0.4 * 1 / n2]
    # park 3 is judged on criterion 1 only: S+ = |v - ideal|, S- = |v - anti|
    s_plus, s_minus = abs(v[2][0] - ideal[0]), abs(v[2][0] - anti[0])
    assert result.closeness[2] == pytest.approx(s_minus / (s_plus + s_minus))
    assert result.coverage == pytest.approx([1.0, 1.0, 0.6])
    assert np.isnan(result.weighted[2, 1])
    as_zero = topsis([[4.0, 1.0], [2.0, 3.0], [3.0, 0.0]], [0.6, 0.4], [True, True])
    assert as_zero.closeness[2] != pytest.approx(result.closeness[2])
    assert as_zero.closeness[2] < result.closeness[2]


def test_a_criterion_nobody_has_takes_no_part() -> None:
    with_column = topsis([[1.0, math.nan], [2.0, math.nan]], [0.5, 0.5], [True, True])
    without = topsis([[1.0], [2.0]], [1.0], [True])
    assert with_column.closeness == pytest.approx(without.closeness)
    assert with_column.coverage == pytest.approx([0.5, 0.5])


def test_shapes_must_agree() -> None:
    with pytest.raises(ValueError, match="do not match"):
        topsis([[1.0, 2.0]], [1.0], [True])
