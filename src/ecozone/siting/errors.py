"""Errors of the siting engine (investor profiles, AHP matrices, park profiles)."""

from __future__ import annotations

from ecozone.errors import EcozoneError, NotFoundError


class SitingError(EcozoneError):
    """An investor profile, AHP matrix or matching request cannot be used."""

    http_status = 422


class InvestorProfileError(SitingError):
    """An investor profile failed validation; every problem is listed.

    Parameters
    ----------
    file : str
        Where the profile came from (file name or ``"api"``).
    problems : list of str
        One translated sentence per problem, in the language of the error message.
    """

    def __init__(self, file: str, problems: list[tuple[str, dict[str, object]]]) -> None:
        self.problems = problems
        super().__init__("siting.investor.invalid", file=file, count=len(problems), details="")

    def message(self, lang: str = "en") -> str:
        """Return the message with every problem, in ``lang``."""
        from ecozone.i18n import translate

        details = "; ".join(translate(key, lang, **params) for key, params in self.problems)
        return translate(self.key, lang, file=self.params["file"], count=len(self.problems), details=details)


class AhpMatrixError(SitingError):
    """A pairwise comparison matrix is not square, not positive or too large for the RI table."""


class UnknownProfileFieldError(NotFoundError):
    """A park profile field name that ecozone does not know."""
