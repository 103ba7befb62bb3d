"""Robust statistics over the rows of 2-D arrays, NaN meaning "no reading", without warnings.

NumPy's ``nanmedian`` warns on all-missing rows and is slow on many short rows; these
functions sort once and pick the middle of the valid values instead.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def row_quantile(values: FloatArray, quantile: float) -> FloatArray:
    """Return the ``quantile`` (0 … 1, linear interpolation) of each row's valid values; NaN for empty rows."""
    ordered = np.sort(values, axis=1)
    count = np.sum(~np.isnan(values), axis=1)
    position = np.clip(quantile * (count - 1), 0, None)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, np.maximum(count - 1, 0))
    low = np.take_along_axis(ordered, below[:, None], axis=1)[:, 0]
    high = np.take_along_axis(ordered, above[:, None], axis=1)[:, 0]
    result = low + (high - low) * (position - below)
    return np.where(count > 0, result, np.nan)


def row_median(values: FloatArray) -> FloatArray:
    """Return the median of each row's valid values; NaN for empty rows."""
    return row_quantile(values, 0.5)


def grouped_median(values: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
    """Return the median of each row over the columns of each group.

    Parameters
    ----------
    values : numpy.ndarray, shape (rows, columns)
        Values; NaN are ignored.
    groups : numpy.ndarray of int, shape (columns,)
        Group of each column, 0 … ``n_groups`` − 1; negative groups are ignored.
    n_groups : int
        Number of groups.

    Returns
    -------
    numpy.ndarray, shape (rows, n_groups)
        Medians; NaN where a group has no valid value.
    """
    result = np.full((values.shape[0], n_groups), np.nan)
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    bounds = np.searchsorted(sorted_groups, np.arange(n_groups + 1))
    for group in range(n_groups):
        columns = order[bounds[group] : bounds[group + 1]]
        if columns.size:
            result[:, group] = row_median(values[:, columns])
    return result


def grouped_count(values: FloatArray, groups: IntArray, n_groups: int) -> IntArray:
    """Return the number of valid values of each row in each group, shape (rows, n_groups)."""
    valid = ~np.isnan(values)
    result = np.zeros((values.shape[0], n_groups), dtype=np.int64)
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(n_groups + 1))
    for group in range(n_groups):
        columns = order[bounds[group] : bounds[group + 1]]
        if columns.size:
            result[:, group] = valid[:, columns].sum(axis=1)
    return result


def grouped_mad(values: FloatArray, groups: IntArray, n_groups: int) -> FloatArray:
    """Return the median absolute deviation from the group median of each row in each group."""
    centre = grouped_median(values, groups, n_groups)
    safe = np.clip(groups, 0, None)
    deviation = np.abs(values - centre[:, safe])
    deviation[:, groups < 0] = np.nan
    return grouped_median(deviation, groups, n_groups)


def paired_difference_spread(residual: FloatArray, bins: IntArray, groups: IntArray, n_groups: int) -> FloatArray:
    """Return a robust spread of single readings per group from differences of successive readings of one bin.

    Successive readings of the same time-of-week bin differ by two independent noises, so
    ``median(|difference|) / sqrt(2)`` (times ``mad_consistency`` by the caller) estimates one
    reading's spread without the shrinkage of residuals around a median fitted on the same data.

    Parameters
    ----------
    residual : numpy.ndarray, shape (rows, columns)
        Residuals (any scale), NaN where missing.
    bins : numpy.ndarray of int, shape (columns,)
        Time-of-week bin of every column.
    groups : numpy.ndarray of int, shape (columns,)
        Group (day type × hour) of every column.
    n_groups : int
        Number of groups.
    """
    order = np.argsort(bins, kind="stable")
    ordered = residual[:, order]
    same_bin = bins[order][1:] == bins[order][:-1]
    differences = np.abs(ordered[:, 1:] - ordered[:, :-1])
    difference_groups = np.where(same_bin, groups[order][1:], -1)
    spread: FloatArray = grouped_median(differences, difference_groups, n_groups) / np.sqrt(2.0)
    return spread
