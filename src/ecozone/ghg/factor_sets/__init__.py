"""Reference factor sets read by :mod:`ecozone.ghg.factors` (CSV files with source, edition and status)."""
