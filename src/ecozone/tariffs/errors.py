"""Errors raised when pricing electricity under EVN tariffs."""

from __future__ import annotations

from ecozone.errors import EcozoneError


class TariffError(EcozoneError):
    """A reading cannot be priced: no tariff table or time-of-use windows in force, or no price for its group."""

    http_status = 422
