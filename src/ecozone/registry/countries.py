"""ISO 3166-1 country codes for investors' countries.

The list of countries, their alpha-2, alpha-3 and numeric codes and their ISO English
names come from the ``pycountry`` package (ISO 3166-1 as published by the Debian
iso-codes project). ``countries.csv`` beside this module adds Vietnamese names for the
main investor countries in Viet Nam, display English names ("South Korea" rather than
"Korea, Republic of") and aliases in both languages ("UK", "Holland", "Mỹ", "Úc").

A two- or three-letter ASCII input is read as a code first (``"MY"`` is Malaysia even
though "Mỹ" is Vietnamese for the United States); longer text is matched as a name
without regard to case, diacritics, punctuation or word order. "Korea" alone means the
Republic of Korea, as in Viet Nam's investment statistics.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pycountry

from ecozone.errors import NotFoundError, ReferenceDataError
from ecozone.registry.schema import fold

TABLE_FILE = "countries.csv"
COLUMNS = ("alpha_2", "name_en", "name_vi", "aliases", "source", "edition", "status")


@dataclass(frozen=True)
class CountryNames:
    """Names of one country beyond the ISO list.

    Attributes
    ----------
    alpha_2 : str
        ISO 3166-1 alpha-2 code.
    name_en : str
        English display name.
    name_vi : str
        Vietnamese name ("" when not shipped).
    aliases : tuple of str
        Other names accepted by :func:`normalise_country`.
    source, edition, status : str
        Provenance of the row.
    """

    alpha_2: str
    name_en: str
    name_vi: str
    aliases: tuple[str, ...]
    source: str
    edition: str
    status: str


def _name_key(text: str) -> str:
    """Fold a country name into a lookup key.

    Case, diacritics, punctuation, spacing, the word "the" and word order are ignored, so
    "Korea, Republic of", "Republic of Korea" and "Korea (the Republic of)" share a key.
    """
    words = sorted(word for word in re.findall(r"[a-z0-9]+", fold(text)) if word != "the")
    return "".join(words)


@cache
def country_names() -> dict[str, CountryNames]:
    """Return the shipped display names and aliases by alpha-2 code."""
    text = resources.files(__package__).joinpath(TABLE_FILE).read_text(encoding="utf-8")
    reader = csv.DictReader(text.splitlines())
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ReferenceDataError("vsic.table_columns", file=TABLE_FILE, missing=", ".join(missing))
    names: dict[str, CountryNames] = {}
    for row in reader:
        if pycountry.countries.get(alpha_2=row["alpha_2"]) is None:
            raise ReferenceDataError("vsic.country_table_code", file=TABLE_FILE, code=row["alpha_2"])
        aliases = tuple(alias.strip() for alias in row["aliases"].split(";") if alias.strip())
        names[row["alpha_2"]] = CountryNames(
            row["alpha_2"], row["name_en"], row["name_vi"], aliases, row["source"], row["edition"], row["status"]
        )
    return names


@cache
def _codes() -> dict[str, str]:
    """Map upper-case alpha-2, alpha-3 and numeric codes to the alpha-2 code."""
    table: dict[str, str] = {}
    for country in pycountry.countries:
        for code in (country.alpha_2, country.alpha_3, country.numeric):
            table[str(code)] = str(country.alpha_2)
    return table


def _iso_names(country: object) -> list[str]:
    return [str(getattr(country, field)) for field in ("name", "common_name", "official_name") if hasattr(country, field)]


@cache
def _names() -> dict[str, str]:
    """Map folded English and Vietnamese names and aliases to the alpha-2 code."""
    table: dict[str, str] = {}
    candidates = [(str(country.alpha_2), name) for country in pycountry.countries for name in _iso_names(country)]
    candidates += [
        (entry.alpha_2, name)
        for entry in country_names().values()
        for name in (entry.name_en, entry.name_vi, *entry.aliases)
        if name
    ]
    for alpha_2, name in candidates:
        key = _name_key(name)
        if table.setdefault(key, alpha_2) != alpha_2:
            raise ReferenceDataError("vsic.country_name_clash", name=name, first=table[key], second=alpha_2)
    return table


def is_valid_country(code: str) -> bool:
    """Return whether ``code`` is a canonical (upper-case) ISO 3166-1 alpha-2 code."""
    return len(code) == 2 and _codes().get(code) == code


def normalise_country(text: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a country code or name, or None.

    Parameters
    ----------
    text : str
        Alpha-2 (``"jp"``, ``"JP"``), alpha-3 (``"JPN"``), numeric (``"392"``), ISO English
        name (``"Korea, Republic of"``), common name (``"South Korea"``, ``"Taiwan"``,
        ``"Vietnam"``), an alias (``"UK"``, ``"BVI"``) or a Vietnamese name (``"Hàn Quốc"``).

    Returns
    -------
    str or None
        Upper-case alpha-2 code, None when nothing matches.
    """
    stripped = text.strip()
    if stripped.isascii() and (stripped.isalpha() or stripped.isdigit()) and len(stripped) in (2, 3):
        code = _codes().get(stripped.upper())
        if code is not None:
            return code
    key = _name_key(stripped)
    return _names().get(key) if key else None


def country_name(code: str, lang: str) -> str:
    """Return the name of the country with alpha-2 ``code`` in ``lang``.

    Parameters
    ----------
    code : str
        ISO 3166-1 alpha-2 code, any case.
    lang : str
        ``"vi"`` for Vietnamese, anything else for English. Countries without a shipped
        Vietnamese name fall back to the English name.

    Raises
    ------
    NotFoundError
        If ``code`` is not an ISO 3166-1 alpha-2 code.
    """
    alpha_2 = code.strip().upper()
    if not is_valid_country(alpha_2):
        raise NotFoundError("vsic.unknown_country", code=code)
    shipped = country_names().get(alpha_2)
    if shipped is not None and lang.lower().startswith("vi") and shipped.name_vi:
        return shipped.name_vi
    if shipped is not None:
        return shipped.name_en
    country = pycountry.countries.get(alpha_2=alpha_2)
    return str(getattr(country, "common_name", None) or getattr(country, "name", alpha_2))
