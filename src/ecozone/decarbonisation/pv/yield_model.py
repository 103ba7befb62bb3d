"""Hourly AC energy of many roofs at once (PVWatts-type chain built from pvlib functions).

For every hour and roof: sun position at mid-hour → angle of incidence → plane-of-array
irradiance (Hay–Davies sky diffuse, isotropic ground reflection with the albedo) → incidence
modifier of the direct part (pvlib ``physical`` model) → SAPM cell temperature driven by the
total plane-of-array irradiance → PVWatts DC power with the temperature coefficient → DC
losses (PVWatts defaults) → PVWatts inverter clipped at ``kWp / dc_ac_ratio``. This is the
chain of ``pvlib.modelchain.ModelChain`` with ``transposition_model='haydavies'``,
``aoi_model='physical'``, ``spectral_model='no_loss'``, ``temperature_model='sapm'`` and
``losses_model='pvwatts'``; the tests compare both.

Roofs are processed in blocks (arrays hours × roofs) so that 1,000 roofs take seconds.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pvlib  # type: ignore[import-untyped]

from ecozone.decarbonisation.pv.assumptions import PvAssumptions, default_pv_assumptions
from ecozone.decarbonisation.pv.roofs import RoofArrays
from ecozone.decarbonisation.pv.weather import Weather

FloatArray = npt.NDArray[np.float64]
BLOCK_ROOFS = 128


def _losses_factor(assumptions: PvAssumptions) -> float:
    return 1.0 - assumptions.system_losses_pct / 100.0


def _block_ac_kwh(
    weather: Weather,
    solar_zenith: FloatArray,
    solar_azimuth: FloatArray,
    dni_extra: FloatArray,
    tilt: FloatArray,
    azimuth: FloatArray,
    capacity_kwp: FloatArray,
    assumptions: PvAssumptions,
) -> FloatArray:
    zenith, sun_azimuth = solar_zenith[:, None], solar_azimuth[:, None]
    ghi, dni, dhi = weather.ghi[:, None], weather.dni[:, None], weather.dhi[:, None]
    surface_tilt, surface_azimuth = tilt[None, :], azimuth[None, :]
    angle = pvlib.irradiance.aoi(surface_tilt, surface_azimuth, zenith, sun_azimuth)
    sky = pvlib.irradiance.haydavies(surface_tilt, surface_azimuth, dhi, dni, dni_extra[:, None], zenith, sun_azimuth)
    ground = pvlib.irradiance.get_ground_diffuse(surface_tilt, ghi, albedo=assumptions.albedo)
    direct = np.maximum(dni * np.cos(np.radians(angle)), 0.0)
    diffuse = np.nan_to_num(sky) + np.nan_to_num(ground)
    poa_global = direct + diffuse
    effective = direct * np.nan_to_num(pvlib.iam.physical(angle)) + diffuse
    parameters = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][assumptions.temperature_model]
    cell = pvlib.temperature.sapm_cell(poa_global, weather.temp_air[:, None], weather.wind_speed[:, None], **parameters)
    pdc0 = capacity_kwp[None, :] * 1000.0
    dc = pvlib.pvsystem.pvwatts_dc(effective, cell, pdc0, assumptions.gamma_pdc) * _losses_factor(assumptions)
    ac = pvlib.inverter.pvwatts(dc, pdc0 / assumptions.dc_ac_ratio, eta_inv_nom=assumptions.inverter_efficiency)
    return np.asarray(np.clip(np.nan_to_num(ac), 0.0, None) / 1000.0, dtype=np.float64)


def hourly_ac_kwh(weather: Weather, roofs: RoofArrays, assumptions: PvAssumptions | None = None) -> FloatArray:
    """AC energy of every hour and roof [kWh], shape (hours, roofs).

    Parameters
    ----------
    weather : Weather
        Hourly irradiance [W/m2], temperature [°C] and wind [m/s]; hours of one hour each.
    roofs : RoofArrays
        Tilt, azimuth [deg] and capacity [kWp] of each roof (validated).
    assumptions : PvAssumptions, optional
        Module, inverter and losses; the shipped ones by default.
    """
    assumptions = assumptions or default_pv_assumptions()
    mid = weather.mid_times
    position = pvlib.solarposition.get_solarposition(mid, weather.latitude, weather.longitude, altitude=weather.altitude)
    zenith = position["apparent_zenith"].to_numpy(dtype=np.float64)
    azimuth = position["azimuth"].to_numpy(dtype=np.float64)
    dni_extra = np.asarray(pvlib.irradiance.get_extra_radiation(np.asarray(mid.day_of_year)), dtype=np.float64)
    result = np.empty((len(weather.times), len(roofs)), dtype=np.float64)
    for start in range(0, len(roofs), BLOCK_ROOFS):
        block = slice(start, start + BLOCK_ROOFS)
        with np.errstate(divide="ignore", invalid="ignore"):
            result[:, block] = _block_ac_kwh(
                weather,
                zenith,
                azimuth,
                dni_extra,
                roofs.tilt_deg[block],
                roofs.azimuth_deg[block],
                roofs.capacity_kwp[block],
                assumptions,
            )
    return result
