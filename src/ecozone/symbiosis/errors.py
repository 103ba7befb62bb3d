"""Errors of the symbiosis engine (message keys in ``messages_symbiosis.yaml``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecozone.errors import EcozoneError, NotFoundError, ReferenceDataError

if TYPE_CHECKING:
    from ecozone.symbiosis.model.infeasibility import InfeasibilityExplanation


class SymbiosisError(EcozoneError):
    """A symbiosis request cannot be carried out as asked."""

    http_status = 422


class UnknownStreamClassError(NotFoundError):
    """A stream class code or label is not in the taxonomy."""


class SymbiosisDataError(ReferenceDataError):
    """A shipped symbiosis table is malformed."""


class InfeasibleTargetError(SymbiosisError):
    """A CO2e target cannot be met; ``explanation`` says which constraints bind.

    Parameters
    ----------
    explanation : InfeasibilityExplanation
        The most that can be avoided and the binding constraints.
    """

    def __init__(self, explanation: InfeasibilityExplanation, **params: object) -> None:
        self.explanation = explanation
        super().__init__("symbiosis.infeasible_target", **params)
