"""Seeded generator of SYNTHETIC meter readings for every meter of the demo park.

:func:`demo_readings` returns one year (2024 by default; 2025 is also available) of readings
for the meters of :func:`ecozone.demo.registry.demo_registry` as a pandas DataFrame with
columns ``meter_id``, ``timestamp`` (timezone-aware UTC, START of the interval), ``value``
(in the meter's unit), ``unit`` and ``estimated``. :func:`demo_retrofits` returns the truth
of the demo's retrofit story so that a baseline (M&V) engine can be checked against it.
Both are pure functions: they write nothing.

The readings are synthetic. They describe no real firm; their parameters are illustrative
assumptions (``data/load_shapes.yaml``, status ``unverified``), driven by a real climate
normal (Bình Dương, IMHEN data via the ``imhen`` R package, ``data/climate_binh_duong_monthly.csv``)
and the real Vietnamese holiday calendar (``data/public_holidays_vn.csv``).

Time
----
Shapes are built in local time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving) and stored as
UTC interval starts: the local year 2024 starts at 2023-12-31 17:00 UTC, and 07:00 local is
00:00 UTC. 15-minute meters get 96 readings per local day (35,136 in 2024), daily meters one
per local day (timestamp = local midnight), monthly bills one per month (timestamp = the 1st,
local midnight).

Randomness
----------
Every draw comes from ``numpy.random.default_rng(SeedSequence([seed, crc32(key), ...]))``
keyed by the meter id (and the year for noise), so a meter's readings do not depend on the
other meters or their order, and the same rows, year and seed give identical readings.
Firm constants (intensity, base load, cooling share, water and fuel intensities) are keyed
without the year: a firm keeps them across years. "Drawn" below means uniform in the
file's [low, high] range; noise factors are ``max(1 + sd·z, 0)`` with z standard normal.

Weather (shared by all meters of the park)
------------------------------------------
- Daily mean temperature: the monthly normals placed at mid-month and interpolated by a
  periodic trigonometric polynomial (smooth), plus an AR(1) anomaly (lag-1 correlation 0.7,
  sd 0.8 °C). Each interval adds a cosine diurnal cycle of half the normal daily range
  (mean max − mean min), peaking at 14:30 local.
- Solar resource per day: Angström–Prescott ``0.25 + 0.50 · n/N`` with n the smoothly
  interpolated sunshine hours per day and N the astronomical day length at 11.05 °N, times a
  daily cloud factor (sd 0.25, bounded to [0.1, 1.5]).

Electricity of a firm (15 min, kWh)
-----------------------------------
``process = k_p · (base + (1 − base) · a(t)) · ε`` and
``cooling = k_c · max(T(t) − 22 °C, 0) · (c₀ + (1 − c₀) · a(t)) · ε``, where ``a(t)`` is the
sector's hourly activity (24 values at the hour mid-points, interpolated to 15 min) × the day
factor (weekday, Saturday, Sunday; on a day off the lower of that and the holiday factor;
the Tết-break factor during Tết; × 0.6 on 2 days before and 4 days after Tết) × a daily
production noise; ``base`` (drawn), ``c₀`` (always-on cooling share) and the noise sds are
sector parameters; ε is 15-minute noise. ``k_p`` and ``k_c`` are fixed from the reference
year 2024's climatological, noise-free shapes so that the expected annual total equals
``floor_area_m2 × intensity`` (intensity drawn inside the sector range shrunk by 5 % at
each end), split by the drawn cooling share; the same constants serve every year, so the
sensitivity to weather and calendar is stable.

Park meters
-----------
- Rooftop PV (15 min, kWh): ``sin(π x)^1.3`` bell between 05:45 and 18:00 local, zero at
  night, × the daily solar resource, × 15-minute cloud noise (sd 0.15); scaled so that the
  climatological year yields 1,300 kWh/kWp × 2,000 kWp.
- Street lighting (15 min, kWh): 180 kW from 18:00 to 05:30 local, zero otherwise.
- Wastewater inflow (daily, m3): 0.8 × the sum of the tenants' water that day × noise (sd 0.04).
- Wastewater plant electricity (15 min, kWh): that day's inflow × a drawn 0.5–0.8 kWh/m3,
  spread near-flat over the day (±5 % cosine, afternoon peak) with noise.

Water and monthly bills of a firm
---------------------------------
- Water withdrawal (daily, m3): employees × drawn m3 per employee per full day (highest for
  textile dyeing and food processing) × (base share + rest × day factor × daily noise):
  lower on Sundays, holidays and at Tết.
- Fuels (diesel L, LPG kg, coal t, biomass t) and waste (solid t, hazardous t or kg): an
  annual amount = basis (floor area, employees or, in sectors producing tonnes, annual
  production) × drawn intensity, split over the months by the sum of the day factors, × a
  month factor (sd 0.08 for fuels, 0.15 for waste, at least 0.5). With probability 0.03 a bill
  is an estimate (``estimated`` True): the previous month's bill scaled by the number of days
  (January copies February). All other readings have ``estimated`` False.

Retrofit story
--------------
Three measures (``retrofits`` in ``load_shapes.yaml``) go to the largest expected electricity
user (floor area × drawn intensity) of a sector, skipped if the sector has no firm:
high-efficiency chillers (electronics, 1 Sep 2024, −25 % of the cooling component), LED and
variable-speed drives (food, 1 Jul 2024, −12 % of the non-cooling component) and extruder
drives and barrel insulation (plastics, 1 Apr 2024, −10 % of the non-cooling component). They
cut the component from local midnight of the start day and stay in place in later years.
:func:`demo_retrofits` reports, per measure, the year's total without the measure and the
exact difference with it (from the same, rounded series).

Values are rounded to the meter resolution (kWh 0.001, m3 0.01, L and kg 0.1, t 0.001).
"""

from __future__ import annotations

from ecozone.demo.readings.climate import MonthlyClimate, monthly_climate_normals, park_climate
from ecozone.demo.readings.generator import DEFAULT_SEED, DEFAULT_YEAR, READINGS_COLUMNS, Retrofit, demo_readings, demo_retrofits
from ecozone.demo.readings.holidays import Holiday, holiday_years, lunar_new_year_day, public_holidays, tet_days
from ecozone.demo.readings.profiles import ReadingsAssumptions, readings_assumptions

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_YEAR",
    "READINGS_COLUMNS",
    "Holiday",
    "MonthlyClimate",
    "ReadingsAssumptions",
    "Retrofit",
    "demo_readings",
    "demo_retrofits",
    "holiday_years",
    "lunar_new_year_day",
    "monthly_climate_normals",
    "park_climate",
    "public_holidays",
    "readings_assumptions",
    "tet_days",
]
