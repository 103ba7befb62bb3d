"""Viet Nam's main logistics nodes and great-circle distances from a park to the nearest one.

The nodes (seaports, airports, international land border gates and expressway interchanges)
are shipped in ``data/logistics_nodes.csv``, one source per row. No row has been read in a
primary source (port authority, airport operator, survey): every row is ``unverified`` and
most coordinates are approximate to about 5 km, which the ``note`` column says. Distances
are great-circle (haversine) distances [km], a lower bound of the road distance.

A park without coordinates is placed at a representative point of its province (a point
inside the province's boundary, :func:`ecozone.provinces.centroids`), in the 63-province
(2008) layout when the old province is known, since those units are smaller, else in the
34-unit (2025) layout; distances from such a point are flagged approximate.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ecozone.errors import ReferenceDataError
from ecozone.store.snapshot import ParkRecord

NODES_FILE = "logistics_nodes.csv"
NODE_COLUMNS = ("id", "kind", "name_vi", "name_en", "detail", "latitude", "longitude", "note", "source", "edition", "status")
NODE_KINDS = ("seaport", "airport", "border_gate", "expressway_junction")
STATUSES = ("verified", "unverified")
INTERNATIONAL = "international"
EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius R1 of the GRS 80 ellipsoid [km] (Moritz, H. (2000) Geodetic Reference System 1980.
Journal of Geodesy 74, 128-133)."""


@dataclass(frozen=True)
class LogisticsNode:
    """A seaport, airport, land border gate or expressway interchange.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``port-cai-mep-thi-vai``.
    kind : str
        One of :data:`NODE_KINDS`.
    name_vi, name_en : str
        Names.
    detail : str
        Airports: ``international`` or ``domestic``; border gates: the neighbouring country;
        seaports: the main cargo; interchanges: the province.
    latitude, longitude : float
        WGS 84 coordinates [degree].
    note : str
        Precision of the coordinates and other remarks.
    source, edition, status : str
        Provenance (``status`` is ``verified`` or ``unverified``).
    """

    id: str
    kind: str
    name_vi: str
    name_en: str
    detail: str
    latitude: float
    longitude: float
    note: str
    source: str
    edition: str
    status: str

    def name(self, lang: str) -> str:
        """Return the Vietnamese name for ``lang`` ``"vi"``, else the English one."""
        return self.name_vi if lang.startswith("vi") else self.name_en


def _node(row: dict[str, str], line: int) -> LogisticsNode:
    if row["kind"] not in NODE_KINDS or row["status"] not in STATUSES or not row["source"]:
        raise ReferenceDataError("siting.nodes.bad_row", file=NODES_FILE, line=line)
    try:
        latitude, longitude = float(row["latitude"]), float(row["longitude"])
    except ValueError as exc:
        raise ReferenceDataError("siting.nodes.bad_row", file=NODES_FILE, line=line) from exc
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ReferenceDataError("siting.nodes.bad_row", file=NODES_FILE, line=line)
    return LogisticsNode(**{**row, "latitude": latitude, "longitude": longitude})  # type: ignore[arg-type]


@cache
def logistics_nodes() -> tuple[LogisticsNode, ...]:
    """Return every shipped logistics node, in file order.

    Raises
    ------
    ReferenceDataError
        If the table lacks a column or a row is malformed (unknown kind or status, no source,
        coordinates out of range).
    """
    text = resources.files("ecozone.siting.data").joinpath(NODES_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in NODE_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("siting.nodes.columns", file=NODES_FILE, missing=", ".join(missing))
    return tuple(_node(row, line) for line, row in enumerate(reader, start=2))


def haversine_km(latitude_1: float, longitude_1: float, latitude_2: float, longitude_2: float) -> float:
    """Great-circle distance between two points on a sphere of radius :data:`EARTH_RADIUS_KM`.

    Parameters
    ----------
    latitude_1, longitude_1, latitude_2, longitude_2 : float
        Coordinates [degree].

    Returns
    -------
    float
        Distance [km].
    """
    phi_1, phi_2 = math.radians(latitude_1), math.radians(latitude_2)
    d_phi = phi_2 - phi_1
    d_lambda = math.radians(longitude_2 - longitude_1)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi_1) * math.cos(phi_2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class NearestNode:
    """The nearest node of one kind and its distance.

    Attributes
    ----------
    kind : str
        Node kind.
    node : LogisticsNode
        The nearest node.
    distance_km : float
        Great-circle distance [km].
    """

    kind: str
    node: LogisticsNode
    distance_km: float


def nearest_node(latitude: float, longitude: float, kind: str, *, international_airports_only: bool = True) -> NearestNode:
    """Return the node of ``kind`` nearest to a point.

    Parameters
    ----------
    latitude, longitude : float
        The point [degree].
    kind : str
        One of :data:`NODE_KINDS`.
    international_airports_only : bool
        For airports, consider international airports only (the ones with cargo links abroad).
    """
    candidates = [
        node
        for node in logistics_nodes()
        if node.kind == kind and (kind != "airport" or not international_airports_only or node.detail == INTERNATIONAL)
    ]
    if not candidates:
        raise ReferenceDataError("siting.nodes.no_kind", file=NODES_FILE, kind=kind)
    distances = [(haversine_km(latitude, longitude, node.latitude, node.longitude), node) for node in candidates]
    distance, node = min(distances, key=lambda pair: pair[0])
    return NearestNode(kind, node, distance)


@dataclass(frozen=True)
class ParkLocation:
    """Where a park is taken to be.

    Attributes
    ----------
    latitude, longitude : float
        The point [degree].
    basis : str
        ``coordinates`` (the park's own), ``province_2008`` or ``province_2025`` (a
        representative point of the province in that layout).
    uncertainty_km : float
        Largest distance from the point to the province's boundary [km] (0 for the park's
        own coordinates): the park lies within this distance of the point, so a distance
        measured from the point is within this much of the true one (triangle inequality).
    """

    latitude: float
    longitude: float
    basis: str
    uncertainty_km: float = 0.0

    @property
    def approximate(self) -> bool:
        """Whether the point stands in for the park's unknown coordinates."""
        return self.basis != "coordinates"


def park_location(park: ParkRecord) -> ParkLocation:
    """Return the park's coordinates, or its province's representative point when it has none.

    The 2008 province is used when known (smaller units, so a nearer stand-in), else the
    2025 unit.
    """
    from ecozone.provinces import centroids

    if park.latitude is not None and park.longitude is not None:
        return ParkLocation(park.latitude, park.longitude, "coordinates")
    if park.province_old_code and park.province_old_code in centroids("2008"):
        layout, code = "2008", park.province_old_code
    else:
        layout, code = "2025", park.province_new_code
    latitude, longitude = centroids(layout)[code]
    return ParkLocation(latitude, longitude, f"province_{layout}", province_extent_km(layout, code))


@cache
def province_extent_km(layout: str, code: str) -> float:
    """Largest great-circle distance from a province's representative point to its boundary [km].

    Only the polygon holding the point is measured: offshore islands and archipelagos
    (Hoàng Sa, Bạch Long Vĩ, ...) would otherwise swamp the figure, so a park on a
    detached island of its province may lie farther away than this.

    Parameters
    ----------
    layout : str
        ``"2008"`` or ``"2025"``.
    code : str
        GSO code of the province in ``layout``.
    """
    import numpy as np
    from shapely import make_valid
    from shapely.geometry import Point, shape

    from ecozone.provinces import boundaries, centroids

    latitude, longitude = centroids(layout)[code]
    point = Point(longitude, latitude)
    polygons: list[Any] = []
    for feature in boundaries(layout)["features"]:
        if feature["properties"]["code"] == code:
            geometry = make_valid(shape(feature["geometry"]))
            polygons.extend(part for part in getattr(geometry, "geoms", [geometry]) if part.geom_type == "Polygon")
    holding = min(polygons, key=lambda polygon: polygon.distance(point))
    points = np.asarray(holding.exterior.coords)
    phi_1, phi_2 = np.radians(latitude), np.radians(points[:, 1])
    h = np.sin((phi_2 - phi_1) / 2) ** 2 + np.cos(phi_1) * np.cos(phi_2) * np.sin(np.radians(points[:, 0] - longitude) / 2) ** 2
    return float(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))).max())
