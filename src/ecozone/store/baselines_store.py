"""Persistence of fitted baselines (one JSON file per meter) and the energy they are fitted on.

Layout::

    <workspace>/baselines/<meter id>.json     the model (ecozone.baselines.serialisation) plus
                                             ``context``: how it was fitted (weather source,
                                             drivers, carrier), so savings reuse the same inputs

Energy per day, month or hour comes from the readings dataset of :mod:`ecozone.meters`
(read-only): interval values summed by local period, with the share of the period the
intervals cover.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ecozone.baselines.errors import BaselineInputError
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.observations import Period
from ecozone.baselines.serialisation import model_from_dict, model_to_dict
from ecozone.baselines.settings import Frequency
from ecozone.baselines.towt import TowtModel
from ecozone.errors import ConfigurationError, NotFoundError
from ecozone.store.workspace import Workspace

MODELS_FOLDER = "baselines"
SAFE_NAME = re.compile(r"[^A-Za-z0-9_.\-]")
UTC_OFFSET_HOURS = 7
"""Asia/Ho_Chi_Minh is UTC+7 without daylight saving (IANA tz database)."""
PERIOD_UNITS = {"daily": "day", "monthly": "month", "hourly": "hour"}
PERIOD_MINUTES = {"daily": "1440", "hourly": "60"}

BaselineModel = ChangePointModel | TowtModel


def models_folder(workspace: Workspace) -> Path:
    """Folder of the stored models."""
    return workspace.path / MODELS_FOLDER


def model_path(workspace: Workspace, meter_id: str) -> Path:
    """File of one meter's model (unsafe characters of the id replaced by ``_``)."""
    return models_folder(workspace) / f"{SAFE_NAME.sub('_', meter_id)}.json"


def save_model(workspace: Workspace, model: BaselineModel, context: dict[str, Any] | None = None) -> Path:
    """Write a model (and how it was fitted) to its JSON file, replacing any earlier one.

    Returns
    -------
    Path
        The file written.
    """
    folder = models_folder(workspace)
    folder.mkdir(parents=True, exist_ok=True)
    document = model_to_dict(model)
    document["context"] = context or {}
    path = model_path(workspace, model.meter_id)
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False), encoding="utf-8")
    temporary.replace(path)
    return path


def delete_model(workspace: Workspace, meter_id: str) -> None:
    """Remove a meter's stored model, if any (a refit that gives no model must not leave a stale one)."""
    model_path(workspace, meter_id).unlink(missing_ok=True)


def load_model(workspace: Workspace, meter_id: str) -> tuple[BaselineModel, dict[str, Any]]:
    """Read a meter's model and its fit context.

    Raises
    ------
    NotFoundError
        If the meter has no stored model.
    """
    path = model_path(workspace, meter_id)
    if not path.exists():
        raise NotFoundError("baselines.error.no_model", meter_id=meter_id)
    document = json.loads(path.read_text(encoding="utf-8"))
    return model_from_dict(document), dict(document.get("context", {}))


def stored_meters(workspace: Workspace) -> list[str]:
    """Meter ids of every stored model."""
    folder = models_folder(workspace)
    if not folder.exists():
        return []
    ids = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        ids.append(str(document.get("meter_id", path.stem)))
    return sorted(ids)


def _connect(workspace: Workspace, park_ids: Sequence[str]) -> Any:
    try:
        from ecozone.meters.dataset import connect_stored
    except ImportError as exc:  # the readings store is an optional part of a deployment
        raise ConfigurationError("baselines.error.no_readings_store") from exc
    return connect_stored(workspace.readings_path, park_ids)


def period_energy(
    workspace: Workspace, meter_ids: Sequence[str], park_ids: Sequence[str], period: Period, frequency: Frequency
) -> pd.DataFrame:
    """Energy of each meter per local day, month or hour, from the readings dataset.

    Parameters
    ----------
    workspace : Workspace
        The workspace (its readings dataset is read, never written).
    meter_ids : sequence of str
        Meters wanted.
    park_ids : sequence of str
        Parks of those meters (the dataset's partitions).
    period : Period
        Local days wanted.
    frequency : {"daily", "monthly", "hourly"}
        Period kind.

    Returns
    -------
    pandas.DataFrame
        ``meter_id``, ``period_start`` (naive local), ``energy`` [the meter's base unit: kWh
        for energy] and ``coverage`` (minutes covered by readings / minutes of the period).
    """
    if frequency not in PERIOD_UNITS:
        raise BaselineInputError("baselines.error.frequency", frequency=frequency, known=", ".join(PERIOD_UNITS))
    connection = _connect(workspace, park_ids)
    unit = PERIOD_UNITS[frequency]
    start, end = period.bounds()
    minutes = PERIOD_MINUTES.get(frequency, "datediff('minute', period_start, period_start + INTERVAL 1 MONTH)")
    query = f"""
        WITH local AS (
            SELECT meter_id, value, interval_minutes,
                   ts_utc + INTERVAL {UTC_OFFSET_HOURS} HOUR AS ts_local
            FROM stored
            WHERE meter_id IN (SELECT unnest($meters)) AND value IS NOT NULL
        ), periods AS (
            SELECT meter_id, date_trunc('{unit}', ts_local) AS period_start,
                   sum(value) AS energy, sum(coalesce(interval_minutes, 0)) AS minutes
            FROM local
            WHERE ts_local >= $start AND ts_local < $end
            GROUP BY ALL
        )
        SELECT meter_id, period_start, energy, minutes / {minutes} AS coverage
        FROM periods ORDER BY meter_id, period_start
    """
    try:
        frame: pd.DataFrame = connection.execute(
            query,
            {"meters": list(meter_ids), "start": pd.Timestamp(start).to_pydatetime(), "end": pd.Timestamp(end).to_pydatetime()},
        ).df()
    finally:
        connection.close()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).astype("datetime64[s]")
    frame["meter_id"] = frame["meter_id"].astype(str)
    return frame
