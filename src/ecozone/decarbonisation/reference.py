"""Loaders of the decarbonisation reference tables (CSV and YAML next to the code).

Every CSV row carries ``source``, an ``edition`` or ``date`` and a ``status`` (``verified``
when read in the primary text, else ``unverified``); the loaders check those columns and fail
with the file name when one is missing.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.errors import ReferenceDataError

STATUSES = frozenset({"verified", "unverified"})


def _text(package: str, name: str) -> str:
    try:
        return resources.files(package).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReferenceDataError("decarbonisation.reference_missing", file=name) from exc


@cache
def read_rows(package: str, name: str, required: tuple[str, ...]) -> tuple[dict[str, str], ...]:
    """Return the rows of CSV ``name`` in ``package``, checking columns and provenance.

    Parameters
    ----------
    package : str
        Dotted package holding the file, e.g. ``ecozone.decarbonisation.data``.
    name : str
        File name.
    required : tuple of str
        Columns that must exist besides ``source``, ``status`` and ``edition`` (or ``date``).

    Raises
    ------
    ReferenceDataError
        If the file is missing, lacks a column, or a row has an unknown status.
    """
    reader = csv.DictReader(_text(package, name).splitlines())
    header = tuple(reader.fieldnames or ())
    missing = [c for c in (*required, "source", "status") if c not in header]
    if "edition" not in header and "date" not in header:
        missing.append("edition|date")
    if missing:
        raise ReferenceDataError("decarbonisation.reference_columns", file=name, columns=", ".join(missing))
    rows = tuple(reader)
    for number, row in enumerate(rows, start=2):
        if row["status"] not in STATUSES:
            raise ReferenceDataError("decarbonisation.reference_status", file=name, row=number, status=row["status"])
    return rows


@cache
def read_yaml(package: str, name: str) -> dict[str, Any]:
    """Return the mapping of YAML file ``name`` in ``package``."""
    data = yaml.safe_load(_text(package, name))
    if not isinstance(data, dict):
        raise ReferenceDataError("decarbonisation.reference_columns", file=name, columns="mapping")
    return data


def number(text: str, file: str, column: str) -> float:
    """Return ``text`` as a float, or raise a :class:`ReferenceDataError` naming the cell."""
    try:
        return float(text)
    except (TypeError, ValueError) as exc:
        raise ReferenceDataError("decarbonisation.reference_number", file=file, column=column, value=str(text)) from exc
