"""Errors of the assessment engine: bad rulebooks, bad answers, unknown names.

A rulebook or an answers file is checked as a whole: every problem found is collected as a
:class:`Problem` (file, line, path, message key and parameters) and raised together, so that a
user fixes them in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecozone.errors import EcozoneError, NotFoundError
from ecozone.i18n import translate


@dataclass(frozen=True)
class Problem:
    """One problem found in a rulebook or an answers file.

    Attributes
    ----------
    file : str
        File name (or a label such as ``<answers>``).
    line : int or None
        1-based line of the offending value, when known.
    path : str
        Dotted path of the value inside the document, e.g. ``requirements[3].check.threshold``.
    key : str
        Message key in the i18n catalogue.
    params : dict
        Values substituted into the message.
    severity : str
        ``error`` (the file is refused) or ``warning`` (reported, not refused).
    """

    file: str
    line: int | None
    path: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"

    def message(self, lang: str = "en") -> str:
        """The problem's message in ``lang``."""
        return translate(self.key, lang, **self.params)

    def render(self, lang: str = "en") -> str:
        """``file:line: path: message`` as a compiler would print it."""
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        label = translate(f"assessment.severity.{self.severity}", lang)
        return f"{where}: {label}: {self.path}: {self.message(lang)}" if self.path else f"{where}: {label}: {self.message(lang)}"


class AssessmentError(EcozoneError):
    """Base of the assessment engine's errors."""


class UnknownRulebookError(NotFoundError):
    """No shipped rulebook has the given identifier."""


class ProblemsError(AssessmentError):
    """A document was refused; ``problems`` lists every error (and warning) found.

    Parameters
    ----------
    key : str
        Message key of the summary line.
    problems : list of Problem
        Everything found, errors first.
    """

    http_status = 422

    def __init__(self, key: str, problems: list[Problem], **params: Any) -> None:
        self.problems = problems
        errors = sum(1 for problem in problems if problem.severity == "error")
        super().__init__(key, count=errors, **params)

    def message(self, lang: str = "en") -> str:
        """The summary line followed by one line per problem."""
        lines = [translate(self.key, lang, **self.params)]
        lines.extend(problem.render(lang) for problem in self.problems)
        return "\n".join(lines)


class RulebookError(ProblemsError):
    """A rulebook failed its schema or its semantic checks."""

    def __init__(self, problems: list[Problem], **params: Any) -> None:
        super().__init__("assessment.rulebook.invalid", problems, **params)


class AnswersError(ProblemsError):
    """A questionnaire answers file failed validation; nothing was stored."""

    def __init__(self, problems: list[Problem], **params: Any) -> None:
        super().__init__("assessment.answers.invalid", problems, **params)
