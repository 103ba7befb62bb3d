"""EVN tariff tables and time-of-use windows read by :mod:`ecozone.tariffs` (CSV with source, edition, status)."""
