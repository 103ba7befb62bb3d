"""Rooftop PV: FAO-56 Ångström–Prescott by hand, the estimate's monthly scaling, yield against pvlib's ModelChain, bad inputs."""

from __future__ import annotations

import math
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
import pvlib
import pytest

from ecozone.decarbonisation.errors import RoofError, WeatherError
from ecozone.decarbonisation.pv.assumptions import default_pv_assumptions
from ecozone.decarbonisation.pv.roofs import Roof, roof_arrays, validate_roof
from ecozone.decarbonisation.pv.sunshine import (
    AngstromPrescott,
    daylight_hours,
    default_coefficients,
    extraterrestrial_radiation,
    monthly_radiation_mj,
    nearest_station,
)
from ecozone.decarbonisation.pv.weather import Weather, read_weather
from ecozone.decarbonisation.pv.yield_model import hourly_ac_kwh

from .conftest import BINH_DUONG

TMY3_USA = Path(str(resources.files("pvlib").joinpath("data", "723170TYA.CSV")))


def test_fao56_example_rio_de_janeiro_in_may() -> None:
    # FAO-56 chapter 3, examples 8-10: 22°54'S on 15 May: Ra = 25.1 MJ/m2/day, N = 10.9 h;
    # with 220 h of sunshine in May, Rs = (0.25 + 0.50 * 7.1 / 10.9) * 25.1 = 14.5 MJ/m2/day.
    latitude, day_of_year = -(22 + 54 / 60), 135
    assert float(extraterrestrial_radiation(latitude, day_of_year)) == pytest.approx(25.1, abs=0.05)
    assert float(daylight_hours(latitude, day_of_year)) == pytest.approx(10.9, abs=0.05)
    coefficients = default_coefficients()
    assert (coefficients.a, coefficients.b) == (0.25, 0.50)
    n = 220 / 31
    rs = float(coefficients.relative_radiation(n / 10.9)) * 25.1
    assert rs == pytest.approx(14.5, abs=0.06)  # FAO rounds to 0.1


def _hand_month(latitude: float, year: int, month: int, sunshine: float, a: float, b: float) -> float:
    """Sum over the month's days of (a + b n/N) Ra, written out with math only."""
    phi = math.radians(latitude)
    day = date(year, month, 1)
    days = []
    while day.month == month:
        days.append(day)
        day += timedelta(days=1)
    total = 0.0
    for current in days:
        j = current.timetuple().tm_yday
        dr = 1 + 0.033 * math.cos(2 * math.pi * j / 365)
        delta = 0.409 * math.sin(2 * math.pi * j / 365 - 1.39)
        ws = math.acos(-math.tan(phi) * math.tan(delta))
        ra = (
            24
            * 60
            / math.pi
            * 0.0820
            * dr
            * (ws * math.sin(phi) * math.sin(delta) + math.cos(phi) * math.cos(delta) * math.sin(ws))
        )
        big_n = 24 / math.pi * ws
        total += (a + b * (sunshine / len(days)) / big_n) * ra
    return total


def test_monthly_radiation_matches_a_hand_calculation() -> None:
    coefficients = AngstromPrescott(0.25, 0.50, "FAO-56", "unverified")
    for month, sunshine in ((1, 255.1), (7, 179.2)):
        expected = _hand_month(11.05, 2026, month, sunshine, 0.25, 0.50)
        assert monthly_radiation_mj(11.05, 2026, month, sunshine, coefficients) == pytest.approx(expected, rel=1e-9)


def test_estimate_is_scaled_month_by_month_to_the_station_sunshine(estimate_2026: Weather) -> None:
    station, distance = nearest_station(*BINH_DUONG)
    assert station.station == "Dong Phu"
    assert distance < 100
    assert estimate_2026.is_estimate
    assert "estimate" in estimate_2026.label
    month = np.asarray(estimate_2026.times.month)
    for m in (1, 4, 9):
        modelled = estimate_2026.ghi[month == m].sum() * 0.0036
        target = _hand_month(BINH_DUONG[0], 2026, m, station.sunshine_hours[m - 1], 0.25, 0.50)
        assert modelled == pytest.approx(target, rel=1e-9)
    assert (estimate_2026.dhi <= estimate_2026.ghi + 1e-6).all()


def _modelchain_annual_kwh(weather: Weather, roof: Roof) -> float:
    assumptions = default_pv_assumptions()
    kwp = roof.capacity()
    location = pvlib.location.Location(weather.latitude, weather.longitude, tz="Asia/Ho_Chi_Minh", altitude=weather.altitude)
    system = pvlib.pvsystem.PVSystem(
        surface_tilt=roof.tilt_deg,
        surface_azimuth=roof.azimuth_deg,
        albedo=assumptions.albedo,
        module_parameters={"pdc0": kwp * 1000, "gamma_pdc": assumptions.gamma_pdc},
        inverter_parameters={"pdc0": kwp * 1000 / assumptions.dc_ac_ratio, "eta_inv_nom": assumptions.inverter_efficiency},
        temperature_model_parameters=pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][assumptions.temperature_model],
    )
    chain = pvlib.modelchain.ModelChain(
        system, location, transposition_model="haydavies", aoi_model="physical", spectral_model="no_loss", losses_model="pvwatts"
    )
    chain.run_model(weather.frame())
    return float(chain.results.ac.clip(lower=0).sum()) / 1000.0


@pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")  # raised inside pvlib's ModelChain with pandas 3
@pytest.mark.parametrize(("tilt", "azimuth"), [(10.0, 180.0), (25.0, 135.0), (5.0, 270.0), (0.0, 0.0)])
def test_annual_energy_within_one_percent_of_pvlib_modelchain(estimate_2026: Weather, tilt: float, azimuth: float) -> None:
    roof = Roof("r", "f", 2000.0, tilt, azimuth, 150.0)
    ours = float(hourly_ac_kwh(estimate_2026, roof_arrays([roof])).sum())
    theirs = _modelchain_annual_kwh(estimate_2026, roof)
    assert ours == pytest.approx(theirs, rel=0.01)
    assert 1100 < ours / 150.0 < 1700  # plausible specific yield in southern Viet Nam [kWh/kWp]


def test_many_roofs_equal_one_by_one(estimate_2026: Weather) -> None:
    roofs = [Roof(f"r{i}", "f", 1000.0 + 10 * i, 5.0 * (i % 4), 90.0 * (i % 5)) for i in range(7)]
    together = hourly_ac_kwh(estimate_2026, roof_arrays(roofs))
    alone = np.column_stack([hourly_ac_kwh(estimate_2026, roof_arrays([r]))[:, 0] for r in roofs])
    assert np.allclose(together, alone)
    assert together[:, 1].sum() / together[:, 0].sum() == pytest.approx(1010 / 1000, rel=0.02)


@pytest.mark.parametrize(
    ("roof", "key"),
    [
        (Roof("zero", "f", 0.0), "decarbonisation.pv.bad_area"),
        (Roof("negative", "f", -50.0), "decarbonisation.pv.bad_area"),
        (Roof("nan", "f", float("nan")), "decarbonisation.pv.bad_area"),
        (Roof("steep", "f", 100.0, tilt_deg=95.0), "decarbonisation.pv.bad_tilt"),
        (Roof("under", "f", 100.0, tilt_deg=-1.0), "decarbonisation.pv.bad_tilt"),
        (Roof("azimuth", "f", 100.0, azimuth_deg=400.0), "decarbonisation.pv.bad_azimuth"),
        (Roof("too_big", "f", 100.0, capacity_kwp=100.0), "decarbonisation.pv.bad_capacity"),
    ],
)
def test_bad_roofs_are_refused(roof: Roof, key: str) -> None:
    with pytest.raises(RoofError) as error:
        validate_roof(roof)
    assert error.value.key == key
    assert error.value.message("vi") != error.value.message("en")


def test_no_roofs_and_duplicate_ids_are_refused() -> None:
    with pytest.raises(RoofError):
        roof_arrays([])
    with pytest.raises(RoofError):
        roof_arrays([Roof("a", "f", 10.0), Roof("a", "g", 10.0)])


def test_weather_file_from_another_continent_is_read_with_a_warning() -> None:
    weather = read_weather(TMY3_USA, *BINH_DUONG, 2024)
    assert len(weather.times) == 8784
    assert not weather.is_estimate
    assert "decarbonisation.pv.weather_other_continent" in [key for key, _ in weather.warnings]
    # The typical year keeps its sun around noon on the site's clock.
    noon = weather.ghi.reshape(-1, 24).mean(axis=0)
    assert int(np.argmax(noon)) in range(10, 15)
    assert "decarbonisation.pv.weather_far" not in [k for k, _ in read_weather(TMY3_USA, 36.1, -79.9, 2025).warnings]


def test_unreadable_weather_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WeatherError) as missing:
        read_weather(tmp_path / "absent.epw", *BINH_DUONG, 2024)
    assert missing.value.key == "decarbonisation.pv.weather_missing"
    other = tmp_path / "weather.xyz"
    other.write_text("nothing", encoding="utf-8")
    with pytest.raises(WeatherError) as unknown:
        read_weather(other, *BINH_DUONG, 2024)
    assert unknown.value.key == "decarbonisation.pv.weather_format"
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(WeatherError):
        read_weather(broken, *BINH_DUONG, 2024)
