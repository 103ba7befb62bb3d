"""Energy baselines (M&V) of meters and the savings they verify.

Whoever may read a meter works on its baseline (:func:`ecozone.api.roles.meter_read`): its
park's managers and administrators, and for a firm's meter that firm's users. Others get 404
(they must not learn that the meter exists). A baseline is fitted on the meter's stored
readings over a baseline period, with outdoor temperature from the province's monthly normals
and calendar drivers, exactly as ``ecozone baseline fit``; savings as ``ecozone savings``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.access import enforce, find_meter, json_bytes, json_response
from ecozone.api.context import AppContext
from ecozone.api.errors import error_responses
from ecozone.api.language import request_language
from ecozone.api.roles import Principal, meter_read
from ecozone.api.routers.kpis import finite
from ecozone.api.routers.parameters import Caller, Context, MeterId, SignedIn
from ecozone.store.snapshot import MeterRecord

router = APIRouter(tags=["baselines"])

PERIOD_PATTERN = r"^\d{4}-\d{2}-\d{2}:\d{4}-\d{2}-\d{2}$"
CalendarDriver = Literal["working_day", "saturday", "sunday", "holiday", "tet"]

FIT_EXAMPLE = {
    "meter_id": "demo-f01-electricity",
    "disqualified": False,
    "model": {"meter_id": "demo-f01-electricity", "form": "3PC", "baseline": {"start": "2024-01-01", "end": "2024-06-30"}},
    "findings": [{"code": "weather.normals", "severity": "warning", "message": "Temperatures are monthly normals."}],
    "context": {"frequency": "daily", "drivers": ["saturday", "sunday"], "weather": {"source": "normals", "province": "74"}},
}
SAVINGS_EXAMPLE = {
    "meter_id": "demo-f01-electricity",
    "reporting": {"start": "2024-07-01", "end": "2024-12-31"},
    "energy_unit": "kWh",
    "savings": 12500.0,
    "uncertainty": [{"confidence": 0.68, "absolute": 2100.0}, {"confidence": 0.9, "absolute": 3450.0}],
}


class BaselineRequest(BaseModel):
    """How to fit a meter's baseline."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"baseline": "2024-01-01:2024-06-30", "drivers": ["saturday", "sunday", "holiday"]}]},
    )
    baseline: str = Field(
        pattern=PERIOD_PATTERN, description="Baseline period, first and last local day: `YYYY-MM-DD:YYYY-MM-DD`."
    )
    drivers: list[CalendarDriver] = Field(
        default_factory=list, max_length=5, description="Calendar drivers besides outdoor temperature."
    )
    frequency: Literal["daily", "monthly", "hourly"] = Field(default="daily", description="Period of the observations.")


def readable_meter(context: AppContext, principal: Principal, meter_id: str) -> MeterRecord:
    """The meter's record, after the access check (404 when missing or hidden, 401/403 otherwise)."""
    state = context.registry.state()
    enforce(meter_read(principal, meter_id, state.facts), principal, "meter", meter_id)
    return find_meter(state.snapshot, meter_id)


def _findings(findings: Any, lang: str) -> list[dict[str, Any]]:
    return [finding.to_dict() | {"message": finding.message(lang)} for finding in findings]


def fit_meter(context: AppContext, meter: MeterRecord, request: BaselineRequest, lang: str) -> dict[str, Any]:
    """Fit, store (or, when disqualified, remove) and describe a meter's baseline."""
    from ecozone.baselines.fitting import fit_many
    from ecozone.baselines.observations import Period
    from ecozone.baselines.serialisation import model_to_dict
    from ecozone.cli.baselines import Inputs, _with_weather_finding, observations
    from ecozone.store.baselines_store import delete_model, save_model
    from ecozone.store.registry_store import load_registry

    period = Period.parse(request.baseline)
    drivers = tuple(dict.fromkeys(request.drivers))
    inputs = Inputs(request.frequency, drivers, None, None, meter.carrier)
    snapshot = load_registry(context.workspace)
    table, provinces = observations(context.workspace, snapshot, [meter], period, inputs)
    fits = fit_many(table, frequency=request.frequency, drivers=drivers, baseline=period, expected_meters=[meter.id])
    fitted = _with_weather_finding(fits[meter.id], inputs, provinces.get(meter.id))
    fit_context = inputs.context(provinces.get(meter.id))
    if fitted.model is not None:
        save_model(context.workspace, fitted.model, fit_context)
    else:
        delete_model(context.workspace, meter.id)
    document: dict[str, Any] = finite(
        {
            "meter_id": meter.id,
            "disqualified": fitted.is_disqualified,
            "model": model_to_dict(fitted.model) if fitted.model is not None else None,
            "findings": _findings(fitted.findings, lang),
            "context": fit_context,
        }
    )
    return document


@router.post(
    "/meters/{meter_id}/baseline",
    responses={**error_responses(401, 403, 404, 422), 200: {"content": {"application/json": {"example": FIT_EXAMPLE}}}},
    summary="Fit and store a meter's energy baseline (its park's managers, its firm's users, administrators)",
    description=(
        "Reads the meter's stored readings over the baseline period, adds the province's monthly temperature normals "
        "and the calendar drivers, fits change-point and TOWT models and keeps the best (ASHRAE Guideline 14 "
        "statistics). A disqualified fit stores nothing (and removes an earlier model); its findings say why."
    ),
)
def fit_baseline(meter_id: MeterId, body: BaselineRequest, request: Request, context: Context, principal: SignedIn) -> Response:
    """Fit the meter's baseline."""
    meter = readable_meter(context, principal, meter_id)
    return json_response(json_bytes(fit_meter(context, meter, body, request_language(request))))


@router.get(
    "/meters/{meter_id}/baseline",
    responses={**error_responses(401, 403, 404), 200: {"content": {"application/json": {"example": FIT_EXAMPLE}}}},
    summary="Read a meter's stored baseline (its park's managers, its firm's users, administrators)",
    description="The stored model (form, coefficients, statistics), its findings and how it was fitted; 404 when none is stored.",
)
def get_baseline(meter_id: MeterId, request: Request, context: Context, principal: Caller) -> Response:
    """Return the meter's baseline."""
    from ecozone.baselines.serialisation import model_to_dict
    from ecozone.store.baselines_store import load_model

    readable_meter(context, principal, meter_id)
    model, fit_context = load_model(context.workspace, meter_id)
    lang = request_language(request)
    document = {
        "meter_id": meter_id,
        "disqualified": False,
        "model": model_to_dict(model),
        "findings": _findings(model.findings, lang),
        "context": fit_context,
    }
    return json_response(json_bytes(finite(document)))


def meter_savings(context: AppContext, meter: MeterRecord, reporting: str) -> dict[str, Any]:
    """Savings of a meter with a stored baseline over the ``reporting`` period, with their uncertainty."""
    from ecozone.baselines.observations import Period
    from ecozone.baselines.savings import avoided_energy, check_reporting_period
    from ecozone.cli.baselines import Inputs, observations
    from ecozone.store.baselines_store import load_model
    from ecozone.store.registry_store import load_registry

    period = Period.parse(reporting)
    model, fit_context = load_model(context.workspace, meter.id)
    check_reporting_period(model, period)
    inputs = Inputs.from_context(fit_context, None, None)
    inputs = Inputs(inputs.frequency, inputs.drivers, None, None, inputs.carrier)
    table, _ = observations(context.workspace, load_registry(context.workspace), [meter], period, inputs)
    result = avoided_energy(model, table.drop(columns="meter_id"), reporting=period)
    document: dict[str, Any] = finite(result.to_dict())
    return document


@router.get(
    "/meters/{meter_id}/savings",
    responses={**error_responses(401, 403, 404, 422), 200: {"content": {"application/json": {"example": SAVINGS_EXAMPLE}}}},
    summary="A meter's verified savings over a reporting period (its park's managers, its firm's users, administrators)",
    description=(
        "Counterfactual energy from the stored baseline minus the measured energy over the reporting period, with "
        "the ASHRAE Guideline 14 uncertainty at 68 % and 90 %, non-routine events and findings. The reporting period "
        "must not overlap the baseline (422)."
    ),
)
def get_savings(
    meter_id: MeterId,
    context: Context,
    principal: Caller,
    reporting: Annotated[
        str,
        Query(
            pattern=PERIOD_PATTERN,
            description="Reporting period, first and last local day: `YYYY-MM-DD:YYYY-MM-DD`.",
            examples=["2024-07-01:2024-12-31"],
        ),
    ],
) -> Response:
    """Return the meter's savings."""
    meter = readable_meter(context, principal, meter_id)
    return json_response(json_bytes(meter_savings(context, meter, reporting)))
