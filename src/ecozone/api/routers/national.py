"""National statistics (public) and aggregates of the parks the caller may see."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from ecozone.api.access import json_bytes, json_response
from ecozone.api.errors import error_responses
from ecozone.api.roles import sees_park
from ecozone.api.routers.parameters import Caller, Context
from ecozone.store.snapshot import RegistrySnapshot

router = APIRouter(tags=["national"])

Layout = Annotated[Literal["2025", "2008"], Query(description="Province layout: 34 units (2025) or 63 provinces (2008).")]
Metric = Annotated[
    Literal["parks", "total_area_ha", "industrial_land_ha", "leased_land_ha"],
    Query(description="Value per province: number of parks or an area [ha]."),
]


class NationalStatistics(BaseModel):
    """Published national statistics on Viet Nam's industrial parks, each row with its source."""

    national: list[dict[str, Any]] = Field(
        description="One row per published observation (as `ecozone stats --json`): dates, counts [parks], areas [ha], "
        "occupancy [%], source, edition and status (verified/unverified)."
    )
    latest: dict[str, Any] = Field(description="Figures at the end of the latest year with a year-end row, with sources.")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "national": [{"as_of": "2024-12", "ips_established": 418, "status": "unverified"}],
                    "latest": {"year": 2024, "figures": {}},
                }
            ]
        }
    }


class RegistryAggregates(BaseModel):
    """Aggregates of the registered parks visible to the caller."""

    layout: str = Field(description="Province layout of `by_province`.")
    totals: dict[str, Any] = Field(description="Parks, summed areas [ha], occupancy [%] and missing-figure counts.")
    by_province: list[dict[str, Any]] = Field(description="The same per province (GSO code, names).")
    by_status: list[dict[str, Any]] = Field(description="The same per development status.")
    by_type: list[dict[str, Any]] = Field(description="The same per park type.")


class ProvinceValues(BaseModel):
    """One value per province, for a choropleth map."""

    layout: str = Field(description="Province layout.")
    metric: str = Field(description="What the values are.")
    values: dict[str, float] = Field(description="Value per GSO province code (provinces without data are absent).")
    names: dict[str, str] = Field(description="Official name per GSO code, as in the boundary file.")

    model_config = {
        "json_schema_extra": {"examples": [{"layout": "2025", "metric": "parks", "values": {"74": 3.0}, "names": {"74": "..."}}]}
    }


def _visible(context: Context, principal: Caller) -> tuple[int, frozenset[str], RegistrySnapshot]:
    state = context.registry.state()
    parks = tuple(item for item in state.snapshot.parks if sees_park(principal, item.park.id, state.facts))
    return state.version, frozenset(item.park.id for item in parks), RegistrySnapshot(parks)


@router.get("/national/statistics", response_model=NationalStatistics, summary="National industrial-park statistics")
def national_statistics(context: Context) -> Response:
    """Return the shipped national time series and the latest year-end figures (public)."""
    from ecozone.stats.document import stats_document

    def compute() -> bytes:
        document = stats_document(None)
        return json_bytes(NationalStatistics(national=document["national"], latest=document["latest"]))

    return json_response(context.memo(("national_statistics",), compute))


@router.get(
    "/national/registry",
    response_model=RegistryAggregates,
    responses=error_responses(422),
    summary="Aggregates of the registered parks the caller may see",
)
def registry_aggregates(context: Context, principal: Caller, layout: Layout = "2025") -> Response:
    """Return totals and aggregates by province, status and type of the visible parks."""
    from ecozone.stats.document import stats_document

    version, ids, snapshot = _visible(context, principal)

    def compute() -> bytes:
        return json_bytes(RegistryAggregates.model_validate(stats_document(snapshot, layout)["registry"]))

    return json_response(context.memo(("registry_aggregates", version, ids, layout), compute))


@router.get(
    "/national/provinces",
    response_model=ProvinceValues,
    responses=error_responses(422),
    summary="A value per province of the visible parks, for the map",
)
def province_values(context: Context, principal: Caller, layout: Layout = "2025", metric: Metric = "parks") -> Response:
    """Return the number of visible parks (or their area) per province."""
    from ecozone.provinces import provinces
    from ecozone.stats import registry as registry_stats

    version, ids, snapshot = _visible(context, principal)

    def compute() -> bytes:
        values = registry_stats.province_values(snapshot, layout, metric)
        names = {code: province.name for code, province in provinces(layout).items()}
        return json_bytes(ProvinceValues(layout=layout, metric=metric, values=values, names=names))

    return json_response(context.memo(("province_values", version, ids, layout, metric), compute))


@router.get(
    "/national/boundaries/{layout}",
    summary="Province boundaries as GeoJSON (geoBoundaries, CC BY 4.0)",
    description="A FeatureCollection whose features carry `code` (GSO) and `name`. Attribution: geoBoundaries.org.",
    responses={200: {"content": {"application/geo+json": {}}, "description": "GeoJSON FeatureCollection."}},
)
def boundaries(layout: Literal["2025", "2008"], context: Context) -> Response:
    """Return the shipped province outlines of ``layout``."""
    from ecozone.provinces import boundaries as shipped_boundaries

    content = context.memo(("boundaries", layout), lambda: json.dumps(shipped_boundaries(layout), ensure_ascii=False).encode())
    return Response(content, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=86400"})
