"""Fitted models to JSON and back, with a format name and version.

A document is ``{"format": "ecozone.baselines.model", "format_version": 1, "kind": ...}``
plus the model's fields. Floats are written with Python's shortest round-trip repr, so a
model read back predicts exactly the same numbers. NaN is written as ``null``.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from datetime import date
from typing import Any

from ecozone.baselines.errors import ModelFormatError
from ecozone.baselines.findings import Finding
from ecozone.baselines.goodness_of_fit import Acceptance, FitStatistics
from ecozone.baselines.model import CandidateSummary, ChangePointModel, Coefficient
from ecozone.baselines.observations import Period
from ecozone.baselines.settings import BaselineSettings
from ecozone.baselines.towt import TowtModel

FORMAT = "ecozone.baselines.model"
FORMAT_VERSION = 1
KINDS = ("change_point", "towt")


def _plain(value: Any) -> Any:
    """NaN and infinities become None, tuples lists, recursively."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _float(value: Any) -> float:
    return math.nan if value is None else float(value)


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def _common(model: ChangePointModel | TowtModel) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": model.kind,
        "meter_id": model.meter_id,
        "frequency": model.frequency,
        "form": model.form,
        "energy_unit": model.energy_unit,
        "baseline": {"start": model.baseline.start.isoformat(), "end": model.baseline.end.isoformat()},
        "drivers": list(model.drivers),
        "coefficients": [asdict(coefficient) for coefficient in model.coefficients],
        "statistics": model.statistics.to_dict(),
        "acceptance": model.acceptance.to_dict(),
        "findings": [{"code": f.code, "severity": f.severity, "data": dict(f.data)} for f in model.findings],
        "temperature_range_c": list(model.temperature_range_c),
        "driver_ranges": {name: list(bounds) for name, bounds in model.driver_ranges.items()},
        "settings": model.settings.model_dump(mode="json"),
    }


def model_to_dict(model: ChangePointModel | TowtModel) -> dict[str, Any]:
    """Return the JSON-compatible document of a fitted model."""
    document = _common(model)
    if isinstance(model, ChangePointModel):
        document["balance_points_c"] = {"heating": model.heating_balance_point_c, "cooling": model.cooling_balance_point_c}
        document["candidates"] = [asdict(candidate) for candidate in model.candidates]
    else:
        document["towt"] = {
            "bin_endpoints_c": list(model.bin_endpoints_c),
            "occupied": list(model.occupied),
            "time_of_week_coefficients": list(model.time_of_week_coefficients),
            "occupied_temperature_coefficients": list(model.occupied_temperature_coefficients),
            "unoccupied_temperature_coefficients": list(model.unoccupied_temperature_coefficients),
        }
    result: dict[str, Any] = _plain(document)
    return result


def model_to_json(model: ChangePointModel | TowtModel, indent: int | None = 2) -> str:
    """Serialise a fitted model to JSON text."""
    return json.dumps(model_to_dict(model), ensure_ascii=False, indent=indent, allow_nan=False)


def _coefficient(document: dict[str, Any]) -> Coefficient:
    return Coefficient(
        name=str(document["name"]),
        value=_float(document["value"]),
        standard_error=_float(document["standard_error"]),
        t_statistic=_float(document["t_statistic"]),
        p_value=_float(document["p_value"]),
        unit=str(document["unit"]),
    )


def _candidate(document: dict[str, Any]) -> CandidateSummary:
    return CandidateSummary(
        form=document["form"],
        score=_float(document["score"]),
        heating_balance_point_c=_float(document["heating_balance_point_c"]),
        cooling_balance_point_c=_float(document["cooling_balance_point_c"]),
        candidates=int(document["candidates"]),
        qualified=int(document["qualified"]),
    )


def _check_header(document: dict[str, Any]) -> str:
    if document.get("format") != FORMAT:
        raise ModelFormatError("baselines.error.model_format", found=str(document.get("format")), expected=FORMAT)
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelFormatError("baselines.error.model_version", found=str(version), supported=str(FORMAT_VERSION))
    kind = str(document.get("kind"))
    if kind not in KINDS:
        raise ModelFormatError("baselines.error.model_format", found=kind, expected=", ".join(KINDS))
    return kind


def model_from_dict(document: dict[str, Any]) -> ChangePointModel | TowtModel:
    """Rebuild a fitted model from :func:`model_to_dict` output.

    Raises
    ------
    ModelFormatError
        If the format name, version or kind is not supported, or a field is missing.
    """
    kind = _check_header(document)
    try:
        common: dict[str, Any] = {
            "meter_id": str(document["meter_id"]),
            "coefficients": tuple(_coefficient(item) for item in document["coefficients"]),
            "drivers": tuple(str(name) for name in document["drivers"]),
            "statistics": FitStatistics.from_dict(document["statistics"]),
            "acceptance": Acceptance.from_dict(document["acceptance"]),
            "findings": tuple(Finding.from_dict(item) for item in document["findings"]),
            "baseline": Period(
                date.fromisoformat(document["baseline"]["start"]), date.fromisoformat(document["baseline"]["end"])
            ),
            "temperature_range_c": tuple(_float(v) for v in document["temperature_range_c"]),
            "driver_ranges": {name: (_float(low), _float(high)) for name, (low, high) in document["driver_ranges"].items()},
            "settings": BaselineSettings(**document["settings"]),
            "energy_unit": str(document["energy_unit"]),
        }
        if kind == "change_point":
            points = document["balance_points_c"]
            return ChangePointModel(
                frequency=document["frequency"],
                form=document["form"],
                heating_balance_point_c=_optional(points["heating"]),
                cooling_balance_point_c=_optional(points["cooling"]),
                candidates=tuple(_candidate(item) for item in document["candidates"]),
                **common,
            )
        towt = document["towt"]
        return TowtModel(
            bin_endpoints_c=tuple(float(v) for v in towt["bin_endpoints_c"]),
            occupied=tuple(bool(v) for v in towt["occupied"]),
            time_of_week_coefficients=tuple(_float(v) for v in towt["time_of_week_coefficients"]),
            occupied_temperature_coefficients=tuple(_float(v) for v in towt["occupied_temperature_coefficients"]),
            unoccupied_temperature_coefficients=tuple(_float(v) for v in towt["unoccupied_temperature_coefficients"]),
            **common,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelFormatError("baselines.error.model_field", detail=str(exc)) from exc


def model_from_json(text: str) -> ChangePointModel | TowtModel:
    """Read a fitted model from JSON text (see :func:`model_from_dict`)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelFormatError("baselines.error.model_field", detail=str(exc)) from exc
    if not isinstance(document, dict):
        raise ModelFormatError("baselines.error.model_format", found=type(document).__name__, expected=FORMAT)
    return model_from_dict(document)
