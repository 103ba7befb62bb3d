"""AHP weights and consistency against a worked example computed by hand.

Example: the 3 × 3 comparison matrix [[1, 3, 5], [1/3, 1, 3], [1/5, 1/3, 1]] used in many AHP
texts (weights 0.637, 0.258, 0.105; consistency ratio about 0.033, e.g. in Saaty-style tutorials).
For n = 3 two facts allow a hand computation without an eigen-solver:

- the normalised row geometric means equal the principal eigenvector (Crawford, G. and
  Williams, C. (1985) A note on the analysis of subjective judgment matrices. Journal of
  Mathematical Psychology 29, 387-405);
- with a = a12, b = a13, c = a23 the characteristic polynomial is
  (1 - λ)^3 - 3(1 - λ) + t + 1/t with t = ac/b, whose largest root is
  λmax = 1 + t^(1/3) + t^(-1/3) (substitute μ = λ - 1 = t^(1/3) + t^(-1/3): μ^3 = t + 1/t + 3μ).

Saaty's random index RI(3) = 0.58 (Saaty 1980, shipped in ``data/ahp_reference.yaml``).
"""

from __future__ import annotations

import math

import pytest

from ecozone.siting.ahp import ahp_reference, ahp_weights
from ecozone.siting.errors import AhpMatrixError

EXAMPLE = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]


def _lambda_max_3(a: float, b: float, c: float) -> float:
    t = a * c / b
    return 1 + t ** (1 / 3) + t ** (-1 / 3)


def test_worked_example_by_hand() -> None:
    means = [(1 * 3 * 5) ** (1 / 3), 1.0, (1 / 5 * 1 / 3) ** (1 / 3)]  # 2.466, 1, 0.405
    weights = [m / sum(means) for m in means]
    lambda_max = _lambda_max_3(3, 5, 3)  # t = 9/5
    consistency_index = (lambda_max - 3) / 2
    result = ahp_weights(EXAMPLE, ["price", "quality", "design"])
    assert result.weights == pytest.approx(weights, abs=1e-9)
    assert result.weights == pytest.approx([0.637, 0.258, 0.105], abs=1e-3)
    assert result.lambda_max == pytest.approx(lambda_max, abs=1e-9)
    assert result.lambda_max == pytest.approx(3.0385, abs=1e-4)
    assert result.consistency_index == pytest.approx(consistency_index, abs=1e-9)
    assert result.random_index == 0.58
    assert result.consistency_ratio == pytest.approx(consistency_index / 0.58, abs=1e-9)
    assert result.consistency_ratio == pytest.approx(0.033, abs=1e-3)
    assert result.consistent
    assert result.notices == ()
    assert result.weight_map()["price"] == pytest.approx(weights[0])


def test_a_consistent_matrix_returns_its_weights_and_zero_cr() -> None:
    weights = [0.5, 0.25, 0.15, 0.1]
    matrix = [[wi / wj for wj in weights] for wi in weights]
    result = ahp_weights(matrix)
    assert result.weights == pytest.approx(weights)
    assert result.lambda_max == pytest.approx(4.0)
    assert result.consistency_ratio == pytest.approx(0.0, abs=1e-12)


def test_inconsistent_matrix_is_reported_with_its_cr() -> None:
    # a cycle: 1 ≫ 2 ≫ 3 ≫ 1; t = ac/b = 9·9·9 = 729, λmax = 1 + 9 + 1/9
    result = ahp_weights([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    expected_cr = ((1 + 9 + 1 / 9) - 3) / 2 / 0.58
    assert result.consistency_ratio == pytest.approx(expected_cr)
    assert not result.consistent
    (notice,) = result.notices
    assert notice.key == "siting.ahp.inconsistent"
    assert notice.params["cr"] == round(expected_cr, 3)
    assert "6.13" in notice.text("en")
    assert ahp_reference().threshold == 0.1


def test_not_reciprocal_matrix_is_rebuilt_from_the_upper_triangle_and_reported() -> None:
    result = ahp_weights([[1, 3, 5], [3, 1, 3], [1 / 5, 1 / 3, 1]], ["a", "b", "c"])
    assert result.weights == pytest.approx(ahp_weights(EXAMPLE).weights)
    (notice,) = result.notices
    assert notice.key == "siting.ahp.not_reciprocal"
    assert "a/b" in notice.text("en")
    assert "thuận nghịch" in notice.text("vi")


def test_rounded_reciprocals_are_accepted() -> None:
    result = ahp_weights([[1, 3, 8], [0.33, 1, 3], [0.13, 0.33, 1]])
    assert all(notice.key != "siting.ahp.not_reciprocal" for notice in result.notices)


@pytest.mark.parametrize(
    ("matrix", "key"),
    [
        ([[1, 2, 3], [0.5, 1, 2]], "siting.ahp.not_square"),
        ([[1, -2], [-0.5, 1]], "siting.ahp.not_positive"),
        ([[1, "x"], [1, 1]], "siting.ahp.not_numeric"),
        ([[1.0] * 11 for _ in range(11)], "siting.ahp.too_large"),
    ],
)
def test_unusable_matrices_fail_clearly(matrix: list[list[object]], key: str) -> None:
    with pytest.raises(AhpMatrixError) as error:
        ahp_weights(matrix)  # type: ignore[arg-type]
    assert error.value.key == key


def test_two_criteria_have_no_consistency_ratio() -> None:
    result = ahp_weights([[1, 3], [1 / 3, 1]])
    assert result.weights == pytest.approx([0.75, 0.25])
    assert result.consistency_ratio is None
    assert result.consistent
    assert math.isclose(result.lambda_max, 2.0)


def test_random_index_table_has_its_source() -> None:
    reference = ahp_reference()
    assert reference.random_index[3] == 0.58
    assert reference.random_index[10] == 1.49
    assert "Saaty" in reference.source
    assert reference.status == "unverified"
