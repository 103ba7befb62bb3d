"""Distances between stream sites: great-circle (haversine) distance times a road circuity factor."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ecozone.symbiosis.catalogue import StreamRecord

EARTH_RADIUS_KM = 6371.0088


def haversine_km(latitude_1: float, longitude_1: float, latitude_2: float, longitude_2: float) -> float:
    """Great-circle distance between two WGS 84 points [km] on a sphere of the IUGG mean radius.

    Parameters
    ----------
    latitude_1, longitude_1, latitude_2, longitude_2 : float [degree]
    """
    phi_1, phi_2 = math.radians(latitude_1), math.radians(latitude_2)
    d_phi = phi_2 - phi_1
    d_lambda = math.radians(longitude_2 - longitude_1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi_1) * math.cos(phi_2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def stream_site(stream: StreamRecord, park_locations: Mapping[str, tuple[float, float]]) -> tuple[float, float] | None:
    """The stream's own coordinates, else its park's, else None."""
    if stream.latitude is not None and stream.longitude is not None:
        return stream.latitude, stream.longitude
    return park_locations.get(stream.park_id)


def transport_distance_km(
    supplier: StreamRecord,
    receiver: StreamRecord,
    park_locations: Mapping[str, tuple[float, float]],
    intra_park_km: float,
    circuity: float,
) -> tuple[float, bool]:
    """Road distance between two streams [km] and whether it is an estimate.

    Two streams of the same park that both fall back to the park's point (or a park with no
    point) are ``intra_park_km`` apart (an estimate); otherwise the haversine distance times
    ``circuity``, at least ``intra_park_km`` inside one park.
    """
    own_coordinates = (supplier.latitude is not None, receiver.latitude is not None)
    a, b = stream_site(supplier, park_locations), stream_site(receiver, park_locations)
    if a is None or b is None:
        return intra_park_km, True
    if supplier.park_id == receiver.park_id and not any(own_coordinates):
        return intra_park_km, True
    distance = haversine_km(*a, *b) * circuity
    if supplier.park_id == receiver.park_id:
        distance = max(distance, intra_park_km)
    return distance, False
