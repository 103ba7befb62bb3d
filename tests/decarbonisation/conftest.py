"""Shared builders for the decarbonisation tests: firms and their energy, made directly."""

from __future__ import annotations

import numpy as np
import pytest

from ecozone.decarbonisation.firms import FirmEnergy
from ecozone.decarbonisation.pv.weather import Weather, clear_sky_estimate, year_hours
from ecozone.store.snapshot import FirmRecord

BINH_DUONG = (11.05, 106.68)


def make_firm(firm_id: str, vsic: str = "2610", roof_m2: float | None = 5000.0, land_ha: float | None = 5.0) -> FirmRecord:
    return FirmRecord(
        id=firm_id, park_id="p", name=firm_id, vsic_code=vsic, roof_area_m2=roof_m2, land_area_ha=land_ha, floor_area_m2=8000.0
    )


def flat_profile(year: int, annual_kwh: float, day_share: float = 0.7) -> np.ndarray:
    """A working-day load shape: ``day_share`` of the energy between 07:00 and 19:00."""
    hours = year_hours(year)
    daytime = (hours.hour >= 7) & (hours.hour < 19)
    weights = np.where(daytime, day_share / daytime.sum(), (1 - day_share) / (~daytime).sum())
    return np.asarray(weights * annual_kwh, dtype=np.float64)


def make_energy(firm: FirmRecord, year: int = 2026, profile: bool = True, **annual: float) -> FirmEnergy:
    hourly = flat_profile(year, annual.get("electricity", 0.0)) if profile and annual.get("electricity") else None
    return FirmEnergy(firm=firm, year=year, annual=dict(annual), hourly_electricity_kwh=hourly, voltage_level="22_110kv")


@pytest.fixture(scope="session")
def estimate_2026() -> Weather:
    return clear_sky_estimate(*BINH_DUONG, 2026)
