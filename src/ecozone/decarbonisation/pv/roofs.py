"""Roofs: geometry, validation and the PV capacity they hold."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ecozone.decarbonisation.errors import RoofError
from ecozone.decarbonisation.pv.assumptions import PvAssumptions, default_pv_assumptions

FloatArray = npt.NDArray[np.float64]
DEFAULT_TILT_DEG = 10.0
"""Tilt assumed for a firm's roof when the registry gives only its area (typical low-pitch industrial roof)."""
DEFAULT_AZIMUTH_DEG = 180.0
"""Azimuth assumed when unknown: facing the equator (south) [deg from north, clockwise]."""


@dataclass(frozen=True)
class Roof:
    """One roof surface.

    Attributes
    ----------
    id : str
    firm_id : str
    area_m2 : float [m2]
    tilt_deg : float [deg]
        0 horizontal ... 90 vertical.
    azimuth_deg : float [deg]
        Direction the surface faces, clockwise from north (180 = south).
    capacity_kwp : float or None [kWp]
        Installed or planned peak power; None: the roof's maximum (area × usable share ×
        module power density).
    """

    id: str
    firm_id: str
    area_m2: float
    tilt_deg: float = DEFAULT_TILT_DEG
    azimuth_deg: float = DEFAULT_AZIMUTH_DEG
    capacity_kwp: float | None = None

    def max_capacity_kwp(self, assumptions: PvAssumptions | None = None) -> float:
        """Largest PV array the roof holds [kWp]."""
        return self.area_m2 * (assumptions or default_pv_assumptions()).roof_power_density

    def capacity(self, assumptions: PvAssumptions | None = None) -> float:
        """Capacity simulated [kWp]: the given one, else the roof's maximum."""
        return self.capacity_kwp if self.capacity_kwp is not None else self.max_capacity_kwp(assumptions)


def validate_roof(roof: Roof, assumptions: PvAssumptions | None = None) -> None:
    """Check a roof's geometry and capacity.

    Raises
    ------
    RoofError
        Area not positive, tilt outside 0–90°, azimuth outside 0–360°, or a capacity that is
        not positive or does not fit on the roof.
    """
    if not math.isfinite(roof.area_m2) or roof.area_m2 <= 0:
        raise RoofError("decarbonisation.pv.bad_area", roof=roof.id, area=roof.area_m2)
    if not 0.0 <= roof.tilt_deg <= 90.0:
        raise RoofError("decarbonisation.pv.bad_tilt", roof=roof.id, tilt=roof.tilt_deg)
    if not 0.0 <= roof.azimuth_deg <= 360.0:
        raise RoofError("decarbonisation.pv.bad_azimuth", roof=roof.id, azimuth=roof.azimuth_deg)
    if roof.capacity_kwp is not None:
        limit = roof.max_capacity_kwp(assumptions)
        if not roof.capacity_kwp > 0 or roof.capacity_kwp > limit * (1 + 1e-9):
            raise RoofError("decarbonisation.pv.bad_capacity", roof=roof.id, capacity=roof.capacity_kwp, limit=round(limit, 1))


@dataclass(frozen=True)
class RoofArrays:
    """Many roofs as arrays (for vectorised simulation)."""

    ids: tuple[str, ...]
    firm_ids: tuple[str, ...]
    tilt_deg: FloatArray
    azimuth_deg: FloatArray
    capacity_kwp: FloatArray

    def __len__(self) -> int:
        """Number of roofs."""
        return len(self.ids)


def roof_arrays(roofs: Sequence[Roof], assumptions: PvAssumptions | None = None) -> RoofArrays:
    """Validate ``roofs`` and return them as arrays.

    Raises
    ------
    RoofError
        On the first invalid roof, or when ``roofs`` is empty or ids repeat.
    """
    assumptions = assumptions or default_pv_assumptions()
    if not roofs:
        raise RoofError("decarbonisation.pv.no_roofs")
    ids = [r.id for r in roofs]
    if len(set(ids)) != len(ids):
        raise RoofError("decarbonisation.pv.duplicate_roof", roof=next(i for i in ids if ids.count(i) > 1))
    for roof in roofs:
        validate_roof(roof, assumptions)
    return RoofArrays(
        ids=tuple(ids),
        firm_ids=tuple(r.firm_id for r in roofs),
        tilt_deg=np.array([r.tilt_deg for r in roofs], dtype=np.float64),
        azimuth_deg=np.array([r.azimuth_deg for r in roofs], dtype=np.float64),
        capacity_kwp=np.array([r.capacity(assumptions) for r in roofs], dtype=np.float64),
    )
