"""How far one criterion's weight can move before the top-ranked park changes.

Moving the weight of criterion j to ``t`` rescales the other weights proportionally so
that they still sum to one: ``w'_j = t`` and ``w'_k = w_k (1 - t) / (1 - w_j)``. The
weight is swept down to 0 and up to 1 on a grid of step :data:`GRID_STEP`; the first
grid point where another park comes first is refined by bisection to
:data:`TOLERANCE`. A change and change back inside one grid step can be missed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

GRID_STEP = 0.005
TOLERANCE = 1e-4


@dataclass(frozen=True)
class WeightRange:
    """The range of one weight over which the top park stays the same.

    Attributes
    ----------
    criterion : str
        Criterion name.
    weight : float
        Current weight [-].
    lower, upper : float or None
        Weight [-] at which another park takes the lead when the weight falls / rises;
        None when the top park holds down to 0 / up to 1.
    lower_successor, upper_successor : str or None
        The park that takes the lead there.
    """

    criterion: str
    weight: float
    lower: float | None
    upper: float | None
    lower_successor: str | None
    upper_successor: str | None

    @property
    def room_down(self) -> float | None:
        """How much the weight can fall before the top park changes [-]; None if never."""
        return None if self.lower is None else self.weight - self.lower

    @property
    def room_up(self) -> float | None:
        """How much the weight can rise before the top park changes [-]; None if never."""
        return None if self.upper is None else self.upper - self.weight


def reweight(weights: np.ndarray, index: int, target: float) -> np.ndarray:
    """Return ``weights`` with entry ``index`` set to ``target`` and the others rescaled to sum to one."""
    rest = 1.0 - weights[index]
    moved = weights * ((1.0 - target) / rest) if rest > 0 else np.zeros_like(weights)
    moved[index] = target
    return moved


def _boundary(top: Callable[[np.ndarray], str], weights: np.ndarray, index: int, end: float) -> tuple[float | None, str | None]:
    leader = top(weights)
    start = float(weights[index])
    steps = max(1, int(np.ceil(abs(end - start) / GRID_STEP)))
    previous = start
    for target in np.linspace(start, end, steps + 1)[1:]:
        current = top(reweight(weights, index, float(target)))
        if current != leader:
            inside, outside = previous, float(target)
            while abs(outside - inside) > TOLERANCE:
                middle = (inside + outside) / 2
                if top(reweight(weights, index, middle)) == leader:
                    inside = middle
                else:
                    outside = middle
            return outside, top(reweight(weights, index, outside))
        previous = float(target)
    return None, None


def weight_ranges(
    names: Sequence[str], weights: Sequence[float] | np.ndarray, top: Callable[[np.ndarray], str]
) -> tuple[WeightRange, ...]:
    """Return, for each criterion, how far its weight can move before ``top`` changes.

    Parameters
    ----------
    names : sequence of str
        Criterion names.
    weights : sequence of float
        Current weights [-], summing to one.
    top : callable
        Returns the identifier of the leading park for a weight vector.
    """
    vector = np.asarray(weights, dtype=float)
    ranges = []
    for index, name in enumerate(names):
        if vector[index] >= 1.0:
            ranges.append(WeightRange(name, 1.0, None, None, None, None))
            continue
        lower, lower_successor = _boundary(top, vector, index, 0.0)
        upper, upper_successor = _boundary(top, vector, index, 1.0)
        ranges.append(WeightRange(name, float(vector[index]), lower, upper, lower_successor, upper_successor))
    return tuple(ranges)
