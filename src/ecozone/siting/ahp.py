"""Criteria weights from pairwise comparisons: the Analytic Hierarchy Process (Saaty 1980).

The weights are the principal right eigenvector of the reciprocal comparison matrix
``A`` (``a_ij`` = how many times criterion i matters more than j, on Saaty's 1-9 scale),
normalised to sum to one. Consistency is measured by ``CI = (lambda_max - n) / (n - 1)``
and the ratio ``CR = CI / RI(n)`` to Saaty's random index (``data/ahp_reference.yaml``);
a CR above the threshold (0.10) is reported with its value, as is a matrix that is not
reciprocal (then rebuilt from its upper triangle, ``a_ji = 1 / a_ij``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from ecozone.errors import ReferenceDataError
from ecozone.siting.errors import AhpMatrixError
from ecozone.siting.notices import Notice

REFERENCE_FILE = "ahp_reference.yaml"


@dataclass(frozen=True)
class AhpReference:
    """Saaty's random index table and the consistency threshold, with their provenance.

    Attributes
    ----------
    random_index : dict of int to float
        RI(n) [-] by matrix size n.
    threshold : float
        Largest acceptable consistency ratio [-].
    reciprocity_tolerance : float
        Relative tolerance of ``a_ij * a_ji = 1`` [-].
    source : str
        Source of the random index.
    status : str
        ``verified`` or ``unverified``.
    """

    random_index: dict[int, float]
    threshold: float
    reciprocity_tolerance: float
    source: str
    status: str


@cache
def ahp_reference() -> AhpReference:
    """Return the shipped AHP reference values (``data/ahp_reference.yaml``)."""
    text = resources.files("ecozone.siting.data").joinpath(REFERENCE_FILE).read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    try:
        table = data["random_index"]
        return AhpReference(
            {int(n): float(value) for n, value in table["values"].items()},
            float(data["consistency_ratio_threshold"]["value"]),
            float(data["reciprocity_tolerance"]["value"]),
            " ".join(str(table["source"]).split()),
            str(table["status"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReferenceDataError("siting.ahp.reference", file=REFERENCE_FILE, detail=str(exc)) from exc


@dataclass(frozen=True)
class AhpResult:
    """Weights derived from a pairwise comparison matrix.

    Attributes
    ----------
    criteria : tuple of str
        Criteria in matrix order.
    weights : tuple of float
        Normalised principal eigenvector [-], summing to one.
    lambda_max : float
        Principal eigenvalue [-].
    consistency_index : float
        ``(lambda_max - n) / (n - 1)`` [-] (0 for n < 2).
    random_index : float or None
        RI(n) [-]; None when n < 3 (CR undefined).
    consistency_ratio : float or None
        ``CI / RI`` [-]; None when n < 3.
    matrix : tuple of tuple of float
        The matrix used (after reciprocal repair, if any).
    notices : tuple of Notice
        Warnings: not reciprocal, inconsistent.
    """

    criteria: tuple[str, ...]
    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    random_index: float | None
    consistency_ratio: float | None
    matrix: tuple[tuple[float, ...], ...]
    notices: tuple[Notice, ...]

    @property
    def consistent(self) -> bool:
        """Whether CR is at most the threshold (always True for n < 3)."""
        return self.consistency_ratio is None or self.consistency_ratio <= ahp_reference().threshold

    def weight_map(self) -> dict[str, float]:
        """Return ``{criterion: weight}``."""
        return dict(zip(self.criteria, self.weights, strict=True))


def _as_matrix(matrix: Sequence[Sequence[float]]) -> np.ndarray:
    try:
        array = np.array(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AhpMatrixError("siting.ahp.not_numeric", detail=str(exc)) from exc
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] == 0:
        raise AhpMatrixError("siting.ahp.not_square", shape="×".join(str(n) for n in array.shape))
    if not np.all(np.isfinite(array)) or np.any(array <= 0):
        raise AhpMatrixError("siting.ahp.not_positive")
    return array


def reciprocity_violations(array: np.ndarray, tolerance: float) -> list[tuple[int, int, float]]:
    """Return the pairs (i, j), i <= j, whose product ``a_ij * a_ji`` is not 1 within ``tolerance``."""
    size = array.shape[0]
    return [
        (i, j, float(array[i, j] * array[j, i]))
        for i in range(size)
        for j in range(i, size)
        if abs(array[i, j] * array[j, i] - 1.0) > tolerance
    ]


def _from_upper_triangle(array: np.ndarray) -> np.ndarray:
    """Return the reciprocal matrix with ``array``'s upper triangle, ones on the diagonal."""
    size = array.shape[0]
    repaired = np.ones_like(array)
    upper = np.triu_indices(size, 1)
    repaired[upper] = array[upper]
    repaired[(upper[1], upper[0])] = 1.0 / array[upper]
    return repaired


def principal_eigenvector(array: np.ndarray) -> tuple[float, np.ndarray]:
    """Return the principal eigenvalue and its eigenvector normalised to sum to one.

    For a positive matrix the Perron root is real and simple and its eigenvector positive.
    """
    values, vectors = np.linalg.eig(array)
    index = int(np.argmax(values.real))
    vector = np.abs(vectors[:, index].real)
    return float(values[index].real), vector / vector.sum()


def ahp_weights(matrix: Sequence[Sequence[float]], criteria: Sequence[str] | None = None) -> AhpResult:
    """Derive criteria weights and the consistency ratio from a pairwise comparison matrix.

    Parameters
    ----------
    matrix : sequence of sequence of float
        Square, positive comparison matrix [-]; ``a_ij`` = importance of i over j.
    criteria : sequence of str, optional
        Criterion names in matrix order (default ``c1``, ``c2``, ...).

    Returns
    -------
    AhpResult
        Weights, lambda_max, CI, RI, CR and notices (not reciprocal; CR above threshold).

    Raises
    ------
    AhpMatrixError
        If the matrix is not square, has a non-positive or non-finite entry, does not match
        ``criteria`` or is larger than the random-index table.
    """
    array = _as_matrix(matrix)
    size = array.shape[0]
    names = tuple(criteria) if criteria is not None else tuple(f"c{i + 1}" for i in range(size))
    if len(names) != size:
        raise AhpMatrixError("siting.ahp.criteria_count", criteria=len(names), size=size)
    reference = ahp_reference()
    if size > max(reference.random_index):
        raise AhpMatrixError("siting.ahp.too_large", size=size, largest=max(reference.random_index))
    notices: list[Notice] = []
    violations = reciprocity_violations(array, reference.reciprocity_tolerance)
    if violations:
        pairs = ", ".join(f"{names[i]}/{names[j]} ({product:.3g})" for i, j, product in violations[:5])
        notices.append(Notice("siting.ahp.not_reciprocal", {"count": len(violations), "pairs": pairs}))
        array = _from_upper_triangle(array)
    lambda_max, vector = principal_eigenvector(array)
    consistency_index = (lambda_max - size) / (size - 1) if size > 1 else 0.0
    random_index = reference.random_index[size] if size >= 3 else None
    ratio = consistency_index / random_index if random_index else None
    if ratio is not None and ratio > reference.threshold:
        notices.append(Notice("siting.ahp.inconsistent", {"cr": round(ratio, 3), "threshold": reference.threshold}))
    return AhpResult(
        names,
        tuple(float(w) for w in vector),
        lambda_max,
        consistency_index,
        random_index,
        ratio,
        tuple(tuple(float(v) for v in row) for row in array),
        tuple(notices),
    )
