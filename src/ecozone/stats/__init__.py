"""The national picture of Viet Nam's industrial parks.

- :mod:`ecozone.stats.national`: published national statistics (counts, land, occupancy)
  shipped as package data with one source per row.
- :mod:`ecozone.stats.registry`: aggregates of the parks held in a registry snapshot by
  province (2008 or 2025 layout), status and park type.
- :mod:`ecozone.stats.maps`: choropleth maps of per-province values (PNG and self-contained
  HTML/SVG).
"""
