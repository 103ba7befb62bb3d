"""Events: runs of flagged intervals of one meter, before they become alerts.

Kinds and families
------------------
Data faults: ``gap``, ``stuck``, ``jump``, ``negative``, ``clock_shift`` (each its own family).
Consumption: ``consumption_high`` and ``consumption_low``. Pattern changes: ``baseload_drift``
(excess in the meter's closed hours: night or weekend base load, a compressor left running),
``leak`` (water used while the firm is closed), ``level_shift_up`` and ``level_shift_down``
(CUSUM step change). Excess kinds form the ``excess`` family and deficit kinds the ``deficit``
family: overlapping events of one family are one incident, named by its most specific kind
(:data:`KIND_RANK`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

FAULT_KINDS = ("gap", "stuck", "jump", "negative", "clock_shift")
EXCESS_KINDS = ("consumption_high", "level_shift_up", "baseload_drift", "leak")
DEFICIT_KINDS = ("consumption_low", "level_shift_down")
KINDS = FAULT_KINDS + EXCESS_KINDS + DEFICIT_KINDS
KIND_RANK = {kind: rank for kinds in (EXCESS_KINDS, DEFICIT_KINDS) for rank, kind in enumerate(kinds)}


def family(kind: str) -> str:
    """Return the family of ``kind``: ``excess``, ``deficit`` or the fault kind itself."""
    if kind in EXCESS_KINDS:
        return "excess"
    if kind in DEFICIT_KINDS:
        return "deficit"
    return kind


@dataclass(frozen=True)
class RawEvent:
    """A run of flagged intervals of one grid row.

    Attributes
    ----------
    row : int
        Grid row (meter).
    start, end : int
        First column and the column after the last one.
    kind : str
        One of :data:`KINDS`.
    details : mapping
        Kind-specific facts (clock lag, CUSUM statistic, stuck value, ...).
    """

    row: int
    start: int
    end: int
    kind: str
    details: Mapping[str, Any] = field(default_factory=dict)


def runs(mask: BoolArray, bridge: int = 0) -> tuple[IntArray, IntArray, IntArray]:
    """Return (row, start, end) of the runs of True along each row, bridging gaps of ≤ ``bridge`` columns.

    ``end`` is exclusive. Rows are scanned in order, runs in time order.
    """
    rows, columns = np.nonzero(mask)
    if rows.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    new = np.ones(rows.size, dtype=bool)
    new[1:] = (rows[1:] != rows[:-1]) | (columns[1:] - columns[:-1] > bridge + 1)
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], rows.size) - 1
    return rows[starts].astype(np.int64), columns[starts].astype(np.int64), columns[ends].astype(np.int64) + 1


def events_from_mask(mask: BoolArray, kind: str, bridge: int = 0, min_length: int = 1) -> list[RawEvent]:
    """Return one event per run of ``mask`` at least ``min_length`` columns long."""
    rows, starts, ends = runs(mask, bridge)
    return [
        RawEvent(int(row), int(start), int(end), kind)
        for row, start, end in zip(rows, starts, ends, strict=True)
        if end - start >= min_length
    ]


def components(event: RawEvent) -> tuple[str, ...]:
    """Return the kinds merged into ``event`` (its own kind when it was never merged)."""
    return tuple(event.details.get("components", (event.kind,)))


def merge_events(events: Iterable[RawEvent], bridge: int) -> list[RawEvent]:
    """Merge events of one row and family that overlap or are at most ``bridge`` columns apart.

    The merged event spans both and takes the most specific kind (:data:`KIND_RANK`); details
    of the kept kind win.
    """
    ordered = sorted(events, key=lambda event: (event.row, family(event.kind), event.start, event.end))
    merged: list[RawEvent] = []
    for event in ordered:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.row == event.row
            and family(last.kind) == family(event.kind)
            and event.start <= last.end + bridge
        ):
            keep = event if KIND_RANK.get(event.kind, 0) > KIND_RANK.get(last.kind, 0) else last
            details = {**(last.details if keep is event else event.details), **keep.details}
            details["components"] = tuple(sorted({*components(last), *components(event)}))
            confirmed = [e.details["confirmed_col"] for e in (last, event) if "confirmed_col" in e.details]
            if confirmed:
                details["confirmed_col"] = min(confirmed)
            merged[-1] = replace(keep, start=min(last.start, event.start), end=max(last.end, event.end), details=details)
        else:
            merged.append(event)
    return merged
