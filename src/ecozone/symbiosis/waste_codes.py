"""Waste codes: Viet Nam's hazardous-waste list (Circular 02/2022/TT-BTNMT) and the European Waste Catalogue.

Both lists are shipped partially (``data/hazardous_codes_vn.csv``, ``data/ewc_codes.csv``):
a well-formed code that the shipped list does not hold is accepted (the list is not
complete), a malformed one or one from an unknown group is refused. Every row is marked
``unverified`` until read in the primary text.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

VN_CODE = re.compile(r"^(\d{2})\s*[.\-]?\s*(\d{2})\s*[.\-]?\s*(\d{2})$")
EWC_CODE = re.compile(r"^(\d{2})\s*[.\-]?\s*(\d{2})\s*[.\-]?\s*(\d{2})\s*(\*?)$")
EWC_CHAPTERS = range(1, 21)


@dataclass(frozen=True)
class WasteCode:
    """One shipped code.

    Attributes
    ----------
    code : str
        Code in pairs of digits (``"17 02 03"``; EWC hazardous entries end with ``*``).
    name_en, name_vi : str
        Names (``name_vi`` empty for EWC rows).
    hazardous : bool or None
        Whether the entry is hazardous (None for a group heading).
    source, edition, status : str
        Provenance of the row.
    """

    code: str
    name_en: str
    name_vi: str
    hazardous: bool | None
    source: str
    edition: str
    status: str

    def name(self, lang: str = "en") -> str:
        """The name in ``lang`` (English when no Vietnamese name is shipped)."""
        return self.name_vi if lang == "vi" and self.name_vi else self.name_en


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ecozone.symbiosis.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _flag(text: str) -> bool | None:
    return {"yes": True, "no": False}.get(text.strip().lower())


@cache
def vietnamese_codes() -> dict[str, WasteCode]:
    """Shipped Vietnamese codes and group headings, by code (``"17"`` or ``"17 02 03"``)."""
    return {
        row["code"]: WasteCode(
            row["code"], row["name_en"], row["name_vi"], _flag(row["hazardous"]), row["source"], row["edition"], row["status"]
        )
        for row in _rows("hazardous_codes_vn.csv")
    }


@cache
def ewc_codes() -> dict[str, WasteCode]:
    """Shipped European Waste Catalogue codes, by code (hazardous ones end with ``*``)."""
    return {
        row["code"]: WasteCode(
            row["code"], row["name_en"], "", _flag(row["hazardous"]), row["source"], row["edition"], row["status"]
        )
        for row in _rows("ewc_codes.csv")
    }


def normalise_vietnamese_code(text: str) -> str | None:
    """Return ``text`` as ``"NN NN NN"`` if it is a well-formed code of a known group, else None.

    ``"170203"``, ``"17.02.03"`` and ``"17 02 03"`` all read as ``"17 02 03"``.
    """
    match = VN_CODE.match(str(text).strip())
    if match is None or match.group(1) not in vietnamese_codes():
        return None
    return " ".join(match.groups())


def normalise_ewc_code(text: str) -> str | None:
    """Return ``text`` as ``"NN NN NN"`` (plus ``*`` when marked hazardous) if well formed, else None."""
    match = EWC_CODE.match(str(text).strip())
    if match is None or int(match.group(1)) not in EWC_CHAPTERS:
        return None
    return " ".join(match.groups()[:3]) + match.group(4)


def ewc_is_hazardous(code: str) -> bool:
    """Whether an EWC code marks a hazardous entry (an asterisk, or a shipped row that says so)."""
    if code.endswith("*"):
        return True
    shipped = ewc_codes().get(code)
    return bool(shipped and shipped.hazardous)
