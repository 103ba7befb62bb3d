"""The numbers behind the baseline method: thresholds, factors and defaults, each with its source.

``data/method_parameters.csv`` holds one row per parameter (``name``, ``value``, ``unit``,
``description``, ``source``, ``edition``, ``status``). Values read in the primary text
(CalTRACK 2.0 methods) are ``verified``; Guideline 14 limits known only through secondary
sources and ecozone's own choices are ``unverified`` and shown as such in outputs. The
defaults of :class:`ecozone.baselines.settings.BaselineSettings` come from this table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ecozone.errors import NotFoundError, ReferenceDataError

PARAMETERS_FILE = "method_parameters.csv"
COLUMNS = ("name", "value", "unit", "description", "source", "edition", "status")
STATUSES = ("verified", "unverified")


@dataclass(frozen=True)
class MethodParameter:
    """One sourced number of the method.

    Attributes
    ----------
    name : str
        Key of the parameter.
    value : float
        The number, in ``unit``.
    unit : str
        Unit (``-`` for a ratio).
    description, source, edition : str
        What it is and where it comes from.
    status : str
        ``verified`` when read in the primary text, else ``unverified``.
    """

    name: str
    value: float
    unit: str
    description: str
    source: str
    edition: str
    status: str


@cache
def method_parameters() -> dict[str, MethodParameter]:
    """Return the shipped parameters by name.

    Raises
    ------
    ReferenceDataError
        If the file lacks a column, a value is not a number or a status is unknown.
    """
    text = resources.files(__package__).joinpath("data", PARAMETERS_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [name for name in COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("baselines.error.reference_file", file=PARAMETERS_FILE, detail=", ".join(missing))
    table: dict[str, MethodParameter] = {}
    for row in reader:
        try:
            value = float(row["value"])
        except ValueError as exc:
            raise ReferenceDataError("baselines.error.reference_file", file=PARAMETERS_FILE, detail=row["name"]) from exc
        if row["status"] not in STATUSES:
            raise ReferenceDataError("baselines.error.reference_file", file=PARAMETERS_FILE, detail=row["status"])
        table[row["name"]] = MethodParameter(
            row["name"], value, row["unit"], row["description"], row["source"], row["edition"], row["status"]
        )
    return table


def method_parameter(name: str) -> MethodParameter:
    """Return the parameter ``name``.

    Raises
    ------
    NotFoundError
        If no such parameter is shipped.
    """
    table = method_parameters()
    if name not in table:
        raise NotFoundError("baselines.error.unknown_parameter", name=name, known=", ".join(sorted(table)))
    return table[name]


def parameter_value(name: str) -> float:
    """Return the value of the parameter ``name`` (in its unit)."""
    return method_parameter(name).value


def fahrenheit_to_celsius(value_f: float) -> float:
    """Convert a temperature from °F to °C (exact definition)."""
    return (value_f - 32.0) * 5.0 / 9.0
