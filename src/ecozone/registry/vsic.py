"""Viet Nam Standard Industrial Classification 2018 (VSIC 2018) codes.

VSIC 2018 (Decision 27/2018/QĐ-TTg of 6 July 2018, Appendix I) has five levels: 21
sections (letters ``A``–``U``), 88 divisions (2 digits), groups (3 digits), classes
(4 digits) and subclasses (5 digits). Its sections and divisions follow ISIC Rev.4.

The shipped table ``vsic_2018.csv`` holds every section and division, and the groups of
manufacturing (divisions 10–33), energy (35), water and waste (36–39), warehousing (52)
and real estate (68). Vietnamese names are the official wording as far as known; English
names follow the ISIC Rev.4 titles, adapted where VSIC differs (e.g. group 353 includes
ice). No row has been checked against the primary text yet, so every row is
``unverified``.

Because classes and subclasses are not shipped, a 4- or 5-digit code is accepted when its
group exists, or, in a division whose groups are not shipped, when its division exists
(the rule is applied level by level, so shipping finer levels later tightens it).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ecozone.errors import NotFoundError, ReferenceDataError

TABLE_FILE = "vsic_2018.csv"
COLUMNS = ("code", "level", "parent", "name_vi", "name_en", "source", "edition", "status")
SECTION_PATTERN = re.compile(r"[A-U]")
DIGITS_PATTERN = re.compile(r"[0-9]{2,5}")
PREFIXED_PATTERN = re.compile(r"([A-Za-z])([0-9]{2,5})")


@dataclass(frozen=True)
class VsicCode:
    """One row of the VSIC 2018 table.

    Attributes
    ----------
    code : str
        Section letter or 2- to 5-digit code (leading zeros kept, e.g. ``"01"``).
    level : int
        1 (section), 2 (division), 3 (group), 4 (class) or 5 (subclass).
    parent : str or None
        Code of the level above; None for a section.
    section : str
        Section letter the code belongs to.
    name_vi, name_en : str
        Vietnamese and English names.
    source, edition, status : str
        Provenance of the row (``status`` is ``verified`` or ``unverified``).
    """

    code: str
    level: int
    parent: str | None
    section: str
    name_vi: str
    name_en: str
    source: str
    edition: str
    status: str

    def name(self, lang: str) -> str:
        """Return the Vietnamese name for ``lang`` ``"vi"``, else the English name."""
        return self.name_vi if lang.lower().startswith("vi") else self.name_en


def _read_rows() -> list[dict[str, str]]:
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("vsic.table_columns", file=TABLE_FILE, missing=", ".join(missing))
    return list(reader)


def _section_of(row: dict[str, str], parents: dict[str, str]) -> str:
    code = row["code"]
    while parents.get(code):
        code = parents[code]
    if not SECTION_PATTERN.fullmatch(code):
        raise ReferenceDataError("vsic.table_orphan", file=TABLE_FILE, code=row["code"])
    return code


@cache
def _codes() -> dict[str, VsicCode]:
    rows = _read_rows()
    parents = {row["code"]: row["parent"] for row in rows}
    return {
        row["code"]: VsicCode(
            code=row["code"],
            level=int(row["level"]),
            parent=row["parent"] or None,
            section=_section_of(row, parents),
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            source=row["source"],
            edition=row["edition"],
            status=row["status"],
        )
        for row in rows
    }


@cache
def _parents_with_children() -> frozenset[str]:
    return frozenset(entry.parent for entry in _codes().values() if entry.parent)


def vsic_table() -> list[VsicCode]:
    """Return every shipped VSIC 2018 row, in file order (sections, then each division and its groups)."""
    return list(_codes().values())


def _most_specific(code: str) -> VsicCode | None:
    """Return the deepest shipped row that validates canonical ``code``, or None if ``code`` is invalid."""
    codes = _codes()
    if SECTION_PATTERN.fullmatch(code):
        return codes.get(code)
    if not DIGITS_PATTERN.fullmatch(code):
        return None
    entry = codes.get(code[:2])
    for length in range(3, len(code) + 1):
        if entry is None or entry.code not in _parents_with_children():
            break
        entry = codes.get(code[:length])
    return entry


def is_valid_vsic(code: str) -> bool:
    """Return whether ``code`` is a canonical VSIC 2018 code.

    Canonical codes are a section letter (``"C"``) or 2 to 5 digits (``"26"``, ``"2610"``)
    with no spaces or section prefix; use :func:`normalise_vsic` for lenient input.

    Parameters
    ----------
    code : str
        Candidate code.

    Returns
    -------
    bool
        True if the division exists and every shipped finer level on the way down exists.
    """
    return _most_specific(code) is not None


def normalise_vsic(code: str) -> str | None:
    """Return the canonical form of a VSIC 2018 code, or None if it is not one.

    Spaces and dots are removed and letters upper-cased, so ``" c "`` gives ``"C"``;
    a section letter written before digits (``"C26"``, ``"C 2610"``) is dropped after
    checking that the division belongs to that section (``"D26"`` is rejected).

    Parameters
    ----------
    code : str
        Code as typed, e.g. ``"26"``, ``"C 26"``, ``"26.10"``.

    Returns
    -------
    str or None
        ``"C"``, ``"26"``, ``"2610"``, ...; None when invalid.
    """
    compact = re.sub(r"[\s.]", "", code)
    prefixed = PREFIXED_PATTERN.fullmatch(compact)
    if prefixed:
        letter, digits = prefixed.group(1).upper(), prefixed.group(2)
        entry = _most_specific(digits)
        return digits if entry is not None and entry.section == letter else None
    canonical = compact.upper()
    return canonical if is_valid_vsic(canonical) else None


def vsic_entry(code: str) -> VsicCode:
    """Return the most specific shipped row for ``code`` (lenient form accepted).

    For ``"26100"`` this is group ``261`` when classes are not shipped.

    Raises
    ------
    NotFoundError
        If ``code`` is not a VSIC 2018 code.
    """
    canonical = normalise_vsic(code)
    entry = _most_specific(canonical) if canonical is not None else None
    if entry is None:
        raise NotFoundError("vsic.unknown_code", code=code)
    return entry


def vsic_section(code: str) -> str:
    """Return the section letter of ``code`` (``"26"`` → ``"C"``, ``"5210"`` → ``"H"``).

    Raises
    ------
    NotFoundError
        If ``code`` is not a VSIC 2018 code.
    """
    return vsic_entry(code).section


def vsic_label(code: str, lang: str) -> str:
    """Return the name of the most specific shipped level of ``code``.

    Parameters
    ----------
    code : str
        VSIC 2018 code (lenient form accepted).
    lang : str
        ``"vi"`` for Vietnamese, anything else for English.

    Raises
    ------
    NotFoundError
        If ``code`` is not a VSIC 2018 code.
    """
    return vsic_entry(code).name(lang)
