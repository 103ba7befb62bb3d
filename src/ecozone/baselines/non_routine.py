"""Non-routine events: step changes in residuals, found by binary segmentation.

A non-routine event (IPMVP) is a change in energy use that the baseline's drivers do not
explain: a new production line, a shutdown, a meter change. It shows as a *step* in the
residuals (measured minus predicted). :func:`step_changes` finds the largest mean shift of
a residual series, accepts it when it is both large against the baseline's noise (a z
score, with the variance of segment means inflated by ``(1 + ρ)/(1 − ρ)`` for lag-1
autocorrelation ρ) and large in energy (a share of the mean level), then searches both sides
again. :func:`flag_segments` marks the segments whose mean differs from the first segment
(the routine state) by the same test. Thresholds are ecozone choices (see the settings).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ecozone.baselines.observations import BoolArray, FloatArray


@dataclass(frozen=True)
class StepChange:
    """A step in a residual series.

    Attributes
    ----------
    index : int
        Position of the first period after the step.
    shift : float [kWh per period]
        Mean after minus mean before (within the searched segment).
    z_score : float [-]
        ``|shift|`` over its standard error.
    """

    index: int
    shift: float
    z_score: float


@dataclass(frozen=True)
class StepTest:
    """Thresholds of the step test.

    Attributes
    ----------
    sigma : float [kWh per period]
        Residual standard deviation of the baseline (RMSE).
    autocorrelation : float [-]
        Lag-1 autocorrelation of the baseline residuals.
    level : float [kWh per period]
        Mean energy level the relative threshold refers to.
    min_segment : int
        Shortest run of periods on each side of a step.
    z_threshold : float [-]
        Smallest z score of a step.
    min_shift_fraction : float [-]
        Smallest ``|shift| / level``.
    """

    sigma: float
    autocorrelation: float
    level: float
    min_segment: int
    z_threshold: float
    min_shift_fraction: float

    @property
    def inflation(self) -> float:
        """Variance inflation of a mean under AR(1) residuals ``(1 + ρ)/(1 − ρ)`` (ρ > 0 only)."""
        rho = min(max(self.autocorrelation, 0.0), 0.99)
        return (1.0 + rho) / (1.0 - rho)

    def z_score(self, shift: float, before: int, after: int) -> float:
        """Standardised size of a mean shift between runs of ``before`` and ``after`` periods."""
        if self.sigma <= 0 or before <= 0 or after <= 0:
            return math.inf if shift != 0 else 0.0
        return abs(shift) / (self.sigma * math.sqrt(self.inflation * (1.0 / before + 1.0 / after)))

    def significant(self, shift: float, z_score: float) -> bool:
        """Whether a step passes both thresholds."""
        return z_score >= self.z_threshold and abs(shift) >= self.min_shift_fraction * abs(self.level)


def _best_split(values: FloatArray, test: StepTest) -> StepChange | None:
    """The split of ``values`` with the largest z score (None if the series is too short)."""
    size = values.size
    low, high = test.min_segment, size - test.min_segment
    if high < low:
        return None
    cumulative = np.concatenate([[0.0], np.cumsum(values)])
    splits = np.arange(low, high + 1)
    before = cumulative[splits] / splits
    after = (cumulative[-1] - cumulative[splits]) / (size - splits)
    shift = after - before
    if test.sigma > 0:
        scale = test.sigma * np.sqrt(test.inflation * (1.0 / splits + 1.0 / (size - splits)))
        z = np.abs(shift) / scale
    else:
        z = np.where(shift != 0, np.inf, 0.0)
    best = int(np.argmax(z))
    return StepChange(int(splits[best]), float(shift[best]), float(z[best]))


def step_changes(residuals: FloatArray, test: StepTest, max_events: int) -> list[StepChange]:
    """Find up to ``max_events`` significant steps in a time-ordered residual series.

    Parameters
    ----------
    residuals : numpy.ndarray, shape (periods,)
        Measured minus predicted energy [kWh per period], time order.
    test : StepTest
        Thresholds.
    max_events : int
        Most steps returned.

    Returns
    -------
    list of StepChange
        In time order (indices into ``residuals``).
    """
    segments = [(0, residuals.size)]
    found: list[StepChange] = []
    while len(found) < max_events:
        candidates = []
        for start, end in segments:
            split = _best_split(residuals[start:end], test)
            if split is not None and test.significant(split.shift, split.z_score):
                candidates.append((split.z_score, start, end, split))
        if not candidates:
            break
        _, start, end, split = max(candidates, key=lambda item: item[0])
        found.append(StepChange(start + split.index, split.shift, split.z_score))
        segments.remove((start, end))
        segments.extend([(start, start + split.index), (start + split.index, end)])
    return sorted(found, key=lambda step: step.index)


@dataclass(frozen=True)
class FlaggedSegment:
    """A run of periods whose residual level differs from the routine (first) segment.

    Attributes
    ----------
    start, end : int
        Positions [start, end) in the series.
    shift : float [kWh per period]
        Mean residual of the segment minus that of the first segment.
    z_score : float [-]
        Standardised size of that difference.
    """

    start: int
    end: int
    shift: float
    z_score: float


def flag_segments(residuals: FloatArray, steps: list[StepChange], test: StepTest) -> tuple[list[FlaggedSegment], BoolArray]:
    """Flag the segments between steps whose mean differs significantly from the first one.

    Returns
    -------
    tuple
        The flagged segments and a boolean mask over ``residuals``.
    """
    flagged = np.zeros(residuals.size, dtype=np.bool_)
    if not steps:
        return [], flagged
    bounds = [0, *(step.index for step in steps), residuals.size]
    reference = residuals[bounds[0] : bounds[1]]
    segments = []
    for start, end in itertools.pairwise(bounds[1:]):
        shift = float(residuals[start:end].mean() - reference.mean())
        z_score = test.z_score(shift, reference.size, end - start)
        if test.significant(shift, z_score):
            segments.append(FlaggedSegment(start, end, shift, z_score))
            flagged[start:end] = True
    return segments, flagged


def lag1(values: FloatArray) -> float:
    """Lag-1 autocorrelation of a series (0 when it is constant)."""
    centred = values - values.mean()
    denominator = float((centred**2).sum())
    return float((centred[1:] * centred[:-1]).sum() / denominator) if denominator > 0 else 0.0


def internal_step(residuals: FloatArray, test: StepTest) -> StepChange | None:
    """The largest step in a series whose own noise is unknown (e.g. the baseline residuals).

    The split maximising the mean shift relative to its length (``|shift|·sqrt(k(n − k)/n)``)
    is tested against the noise *around the two segment means* (standard deviation and lag-1
    autocorrelation after removing the step), so a real step does not hide itself by
    inflating the noise estimate. ``test.sigma`` and ``test.autocorrelation`` are ignored.

    Returns
    -------
    StepChange or None
        The step if it passes the thresholds of ``test``.
    """
    locate = StepTest(1.0, 0.0, test.level, test.min_segment, 0.0, 0.0)
    split = _best_split(residuals, locate)
    if split is None:
        return None
    before, after = residuals[: split.index], residuals[split.index :]
    noise = np.concatenate([before - before.mean(), after - after.mean()])
    dof = max(noise.size - 2, 1)
    own = StepTest(
        sigma=float(np.sqrt((noise**2).sum() / dof)),
        autocorrelation=lag1(noise),
        level=test.level,
        min_segment=test.min_segment,
        z_threshold=test.z_threshold,
        min_shift_fraction=test.min_shift_fraction,
    )
    z_score = own.z_score(split.shift, before.size, after.size)
    return StepChange(split.index, split.shift, z_score) if own.significant(split.shift, z_score) else None
