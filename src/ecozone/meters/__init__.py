"""Meter readings: the Parquet store, ingestion with quality flags and quarantine, resource KPIs.

Modules (import what you need; nothing heavy is imported here):

* :mod:`ecozone.meters.dataset` - layout of the readings dataset, atomic writer,
  :func:`~ecozone.meters.dataset.open_readings` (Ibis on DuckDB);
* :mod:`ecozone.meters.readings_file` and :mod:`ecozone.meters.timestamps` - reading CSV,
  XLSX and Parquet files, timestamp formats and time zones;
* :mod:`ecozone.meters.ingest` - :func:`~ecozone.meters.ingest.import_readings` and its
  :class:`~ecozone.meters.ingest.ImportReport`;
* :mod:`ecozone.meters.quality` and :mod:`ecozone.meters.registers` - quality flags and
  cumulative registers (rollovers, meter replacements);
* :mod:`ecozone.meters.kpis` - energy, demand, renewable share, water, waste and
  intensities as Ibis expressions.
"""
