"""Rooftop PV and batteries: weather, hourly yield (pvlib), dispatch under EVN tariffs and export rules, sizing (HiGHS).

Modules: :mod:`.roofs` (geometry, validation), :mod:`.sunshine` (FAO-56 Ångström–Prescott and
IMHEN station normals), :mod:`.weather` (weather files or the clear-sky + sunshine estimate),
:mod:`.yield_model` (vectorised PVWatts-type chain), :mod:`.rules` (export cap and price by
decree), :mod:`.prices` (EVN time-of-use prices per hour), :mod:`.dispatch` (hourly flows),
:mod:`.study` (many firms over a year), :mod:`.sizing` (PV kWp and battery kWh/kW per firm).
"""
