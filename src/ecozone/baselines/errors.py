"""Errors of the baseline engine: input that cannot give an honest model or saving."""

from __future__ import annotations

from ecozone.errors import EcozoneError


class BaselineInputError(EcozoneError):
    """Input data or periods cannot be used (missing columns, duplicates, overlapping periods...)."""

    http_status = 422


class ModelFormatError(EcozoneError):
    """A serialised model cannot be read (unknown format or version)."""

    http_status = 422
