"""Errors raised by the GHG engine on bad activity data.

The factor loaders raise :class:`~ecozone.errors.ReferenceDataError` and
:class:`~ecozone.errors.NotFoundError` instead.
"""

from __future__ import annotations

from ecozone.errors import EcozoneError


class GhgInputError(EcozoneError):
    """Activity data or contractual instruments cannot be turned into an inventory."""

    http_status = 422


class MissingDensityError(GhgInputError):
    """A fuel is given by volume but neither the factor set nor the input gives its density."""


class MissingGridFactorError(GhgInputError):
    """No Viet Nam grid emission factor exists for the year of an electricity reading."""
