"""The national roll-up: every park of the registry summed up beside the national statistics.

:func:`national_rollup` is pure (a snapshot in, a JSON-ready document out); :func:`rollup_job`
runs it as a background job with progress per park. Engines that add park results (KPIs,
GHG, assessments) extend :data:`PARK_SUMMARIES`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from ecozone.api.jobs import JOB_KINDS, JobContext
from ecozone.store.snapshot import ParkSnapshot, RegistrySnapshot

ProgressCallback = Callable[[float, str], None]
ParkSummary = Callable[[ParkSnapshot], dict[str, Any]]


def registry_summary(item: ParkSnapshot, today: date | None = None) -> dict[str, Any]:
    """Summarise one park's registry: firms, meters by carrier, valid certificates by scheme.

    Parameters
    ----------
    item : ParkSnapshot
        The park.
    today : date, optional
        Day on which certificates are counted as valid (default: today).
    """
    day = today or date.today()
    park = item.park
    return {
        "park_id": park.id,
        "name_vi": park.name_vi,
        "name_en": park.name_en,
        "province_new_code": park.province_new_code,
        "province_old_code": park.province_old_code,
        "status": park.status,
        "park_type": park.park_type,
        "industrial_land_ha": park.industrial_land_ha,
        "leased_land_ha": park.leased_land_ha,
        "occupancy_pct": park.occupancy_pct,
        "firms": len(item.firms),
        "employees": sum(firm.employees or 0 for firm in item.firms),
        "meters": len(item.meters),
        "meters_by_carrier": dict(sorted(Counter(meter.carrier for meter in item.meters).items())),
        "valid_certifications_by_scheme": dict(
            sorted(Counter(c.scheme for c in item.certifications if c.is_valid_on(day)).items())
        ),
        "is_synthetic": park.is_synthetic,
    }


PARK_SUMMARIES: list[ParkSummary] = [registry_summary]
"""Functions whose results are merged into each park's row of the roll-up."""


def national_rollup(snapshot: RegistrySnapshot, progress: ProgressCallback | None = None, layout: str = "2025") -> dict[str, Any]:
    """Roll every park of ``snapshot`` up, beside the published national statistics.

    Parameters
    ----------
    snapshot : RegistrySnapshot
        The parks to roll up.
    progress : callable, optional
        Called with (share done [0–1], message) after each park.
    layout : str
        Province layout of the aggregates (``2025`` or ``2008``).

    Returns
    -------
    dict
        ``national`` and ``latest`` (as ``ecozone stats --json``), ``registry`` (totals and
        aggregates by province, status and type), ``parks`` (one summary per park) and
        ``totals`` (firms, employees, meters over all parks).
    """
    from ecozone.stats.document import stats_document

    document = stats_document(snapshot, layout)
    parks: list[dict[str, Any]] = []
    count = max(1, len(snapshot.parks))
    for index, item in enumerate(snapshot.parks, start=1):
        row: dict[str, Any] = {}
        for summary in PARK_SUMMARIES:
            row.update(summary(item))
        parks.append(row)
        if progress is not None:
            progress(index / count, f"park {item.park.id} ({index}/{count})")
    document["parks"] = parks
    document["totals"] = {
        "parks": len(parks),
        "firms": sum(row["firms"] for row in parks),
        "employees": sum(row["employees"] for row in parks),
        "meters": sum(row["meters"] for row in parks),
    }
    return document


def rollup_job(context: JobContext) -> dict[str, Any]:
    """The ``national_rollup`` job: load the whole registry and roll it up with progress."""
    from ecozone.store.registry_store import load_registry

    context.progress(0.0, "loading the registry")
    snapshot = load_registry(context.workspace)
    layout = str(context.parameters.get("layout", "2025"))
    return national_rollup(snapshot, context.progress, layout)


JOB_KINDS["national_rollup"] = rollup_job
