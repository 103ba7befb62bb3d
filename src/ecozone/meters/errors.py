"""Errors raised by the readings store, ingestion and KPIs."""

from __future__ import annotations

from ecozone.errors import EcozoneError, FileFormatError


class ReadingsFileError(FileFormatError):
    """A readings file cannot be read as a whole (missing column, bad timestamps, unknown time zone).

    Row-level problems (unknown meter, wrong unit, ...) never raise: those rows go to the
    quarantine instead.
    """


class ReadingsDatasetError(EcozoneError):
    """The readings dataset cannot be written or read (locked, malformed, unsafe partition name)."""
