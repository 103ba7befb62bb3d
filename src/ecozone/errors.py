"""One exception hierarchy for ecozone.

Every error carries a message key from the i18n catalogue so that the CLI and the
API can show it in Vietnamese or English; the API maps each class to a 4xx status.
"""

from __future__ import annotations

from typing import Any


class EcozoneError(Exception):
    """Base of every error ecozone raises on purpose.

    Parameters
    ----------
    key : str
        Message key in the i18n catalogue (``ecozone.i18n``).
    **params : Any
        Values substituted into the message.
    """

    http_status = 400

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (``vi`` or ``en``)."""
        from ecozone.i18n import translate

        return translate(self.key, lang, **self.params)


class ConfigurationError(EcozoneError):
    """Workspace, database URL or settings are unusable."""


class NotFoundError(EcozoneError):
    """A named object (park, firm, meter, reference table row) does not exist."""

    http_status = 404


class ReferenceDataError(EcozoneError):
    """A shipped or user reference table is missing, malformed or lacks a name."""


class ImportValidationError(EcozoneError):
    """An import failed validation; nothing was written.

    Parameters
    ----------
    problems : list of Problem
        One record per rejected cell or row (file, row, column, value, reason).
    """

    http_status = 422

    def __init__(self, problems: list[Any], **params: Any) -> None:
        self.problems = problems
        super().__init__("import.failed", count=len(problems), **params)


class FileFormatError(EcozoneError):
    """A file cannot be read: unknown extension, encoding or structure."""
