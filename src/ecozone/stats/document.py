"""The national picture as one JSON-ready document (``ecozone stats --json`` and the API)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ecozone.stats import national
from ecozone.stats import registry as registry_stats

if TYPE_CHECKING:
    import pandas as pd

    from ecozone.store.snapshot import RegistrySnapshot


def plain(value: Any) -> Any:
    """Turn pandas/numpy scalars into JSON values (missing → None)."""
    import pandas as pd

    if value is None or value is pd.NaT or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(name): plain(value) for name, value in row.items()} for row in table.to_dict(orient="records")]


def stats_document(snapshot: RegistrySnapshot | None, layout: str = "2025") -> dict[str, Any]:
    """Return the JSON document of ``ecozone stats --json``.

    Returns
    -------
    dict
        ``national`` (rows of :func:`ecozone.stats.national.national_series`), ``latest``
        (:func:`ecozone.stats.national.latest_year_end` of the latest year with a year-end row,
        plus ``year``), ``registry`` (None without a workspace, else ``layout``, ``totals`` and
        the rows ``by_province``, ``by_status``, ``by_type``).
    """
    series = national.national_series()
    year = national.default_year()
    figures = national.latest_year_end(year)
    document: dict[str, Any] = {
        "national": _records(series),
        "latest": {"year": year, "figures": figures},
        "registry": None,
    }
    if snapshot is not None:
        totals = registry_stats.registry_totals(snapshot)
        document["registry"] = {
            "layout": layout,
            "totals": {name: getattr(totals, name) for name in registry_stats.SUMMARY_COLUMNS},
            "by_province": _records(registry_stats.by_province(snapshot, layout)),
            "by_status": _records(registry_stats.by_status(snapshot)),
            "by_type": _records(registry_stats.by_park_type(snapshot)),
        }
    return document
