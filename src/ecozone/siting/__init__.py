"""Siting: park profiles for investors and investor-to-park matching.

- :mod:`ecozone.siting.logistics`: shipped, sourced seaports, airports, border gates and
  expressway interchanges; great-circle distances; province fallback for parks without
  coordinates.
- :mod:`ecozone.siting.profile`: a park's profile (every field with its source and date);
  the published view keeps only the fields the park chose to publish.
- :mod:`ecozone.siting.investor`: investor profiles (YAML/XLSX) and their validation.
- :mod:`ecozone.siting.constraints`: hard constraints with the reason for each exclusion.
- :mod:`ecozone.siting.topsis`, :mod:`ecozone.siting.ahp`: TOPSIS ranking and AHP weights.
- :mod:`ecozone.siting.sensitivity`: how far a weight can move before the top park changes.
- :mod:`ecozone.siting.matching`: the whole chain, with a per-criterion breakdown.

Engines here never touch the database; :mod:`ecozone.store.siting_store` keeps what parks
publish.
"""
