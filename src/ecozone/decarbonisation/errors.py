"""Errors of the decarbonisation engines (PV, measures, MACC, pathway, finance).

Infeasible plans are not errors: the pathway returns an explained result instead.
"""

from __future__ import annotations

from ecozone.errors import EcozoneError


class DecarbonisationError(EcozoneError):
    """Inputs cannot be turned into a PV simulation, an abatement curve, a plan or a cash flow."""

    http_status = 422


class RoofError(DecarbonisationError):
    """A roof has an impossible geometry (area, tilt, azimuth) or capacity."""


class WeatherError(DecarbonisationError):
    """A weather file cannot be read or does not cover a year of hours."""


class LoadProfileError(DecarbonisationError):
    """A firm's electricity load profile is missing, too gappy or of the wrong length."""


class MissingPriceError(DecarbonisationError):
    """A price needed by the calculation (tariff, market price, exchange rate) is missing for a date."""


class SolverError(DecarbonisationError):
    """The optimisation solver failed (not infeasibility, which is explained instead)."""
