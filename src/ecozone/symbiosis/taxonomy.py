"""The taxonomy of stream classes (``data/taxonomy.yaml``), in Vietnamese and English.

A stream class says what a stream *is* (an output such as coal bottom ash) or what a firm
*needs* (an input such as a cement additive). Quantities of a class are kept in its
canonical unit: tonnes for mass, cubic metres for volume, megawatt-hours for energy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.registry.schema import fold
from ecozone.symbiosis.errors import SymbiosisDataError, UnknownStreamClassError

MEASURE_UNITS = {"mass": "t", "volume": "m3", "energy": "MWh"}
DIRECTIONS = ("output", "input")
UNSPECIFIED = "unspecified"
_NON_WORD = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class StreamClass:
    """One class of the taxonomy.

    Attributes
    ----------
    code : str
        Stable code, e.g. ``coal_ash_slag``.
    vi, en : str
        Labels.
    family : str
        Material family (mineral, metal, organic, recyclable, hazardous, chemical, energy,
        water, need, other).
    measure : str
        ``mass``, ``volume`` or ``energy``.
    roles : frozenset of str
        Directions the class may be used for (``output``, ``input``).
    hazardous : str
        ``never``, ``possible`` or ``always``.
    landfill : bool
        Whether an output of this class would otherwise be landfilled or incinerated.
    transport : str
        Transport mode (see ``transport_modes.csv``).
    keywords : tuple of str
        Folded phrases that reveal the class in a free-text name.
    receivers : tuple of str
        Folded words in a receiving firm's name that reveal this need.
    ewc, vn_codes : tuple of str
        Typical European and Vietnamese waste codes.
    replaces_virgin : bool
        Whether an input of this class replaces a virgin material or utility.
    """

    code: str
    vi: str
    en: str
    family: str
    measure: str
    roles: frozenset[str]
    hazardous: str
    landfill: bool
    transport: str
    keywords: tuple[str, ...] = ()
    receivers: tuple[str, ...] = ()
    ewc: tuple[str, ...] = ()
    vn_codes: tuple[str, ...] = ()
    replaces_virgin: bool = True

    @property
    def unit(self) -> str:
        """Canonical unit of quantities of this class (``t``, ``m3`` or ``MWh``)."""
        return MEASURE_UNITS[self.measure]

    def label(self, lang: str = "en") -> str:
        """The label in ``lang``."""
        return self.vi if lang == "vi" else self.en

    def allows(self, direction: str) -> bool:
        """Whether the class may describe a stream of ``direction`` (output or input)."""
        return direction in self.roles


def normalise_text(text: str) -> str:
    """Fold ``text`` (lower case, no diacritics, đ → d) and keep only words of letters and digits.

    ``"Xỉ than (lò hơi)"`` becomes ``"xi than lo hoi"``; ``"waste-water"`` becomes ``"waste water"``.
    """
    return " ".join(_NON_WORD.split(fold(text))).strip()


def _roles(raw: list[str]) -> frozenset[str]:
    roles: set[str] = set()
    for role in raw:
        roles.update(DIRECTIONS if role == "both" else (role,))
    return frozenset(roles)


def _stream_class(code: str, raw: dict[str, Any]) -> StreamClass:
    try:
        measure = raw["measure"]
        if measure not in MEASURE_UNITS:
            raise KeyError(measure)
        return StreamClass(
            code=code,
            vi=raw["vi"],
            en=raw["en"],
            family=raw["family"],
            measure=measure,
            roles=_roles(raw.get("roles", [])),
            hazardous=raw["hazardous"],
            landfill=bool(raw["landfill"]),
            transport=raw["transport"],
            keywords=tuple(normalise_text(k) for k in raw.get("keywords", [])),
            receivers=tuple(normalise_text(k) for k in raw.get("receivers", [])),
            ewc=tuple(raw.get("ewc", [])),
            vn_codes=tuple(raw.get("vn_codes", [])),
            replaces_virgin=bool(raw.get("replaces_virgin", True)),
        )
    except KeyError as exc:
        raise SymbiosisDataError("symbiosis.bad_table", file="taxonomy.yaml", detail=f"{code}: {exc}") from exc


@cache
def stream_classes() -> dict[str, StreamClass]:
    """Every class of the taxonomy by code, in file order."""
    text = resources.files("ecozone.symbiosis.data").joinpath("taxonomy.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)["classes"]
    return {code: _stream_class(code, entry) for code, entry in raw.items()}


@cache
def _spellings() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, entry in stream_classes().items():
        for spelling in (code, code.replace("_", " "), entry.vi, entry.en):
            lookup[normalise_text(spelling)] = code
    return lookup


def resolve_class(text: str) -> str | None:
    """Return the class code spelled ``text`` (its code or its label in either language), or None."""
    return _spellings().get(normalise_text(text))


def stream_class(code: str) -> StreamClass:
    """Return the class ``code``, or raise :class:`UnknownStreamClassError` naming the known codes."""
    classes = stream_classes()
    if code not in classes:
        raise UnknownStreamClassError("symbiosis.unknown_class", value=code, known=", ".join(classes))
    return classes[code]


def importable_classes(direction: str | None = None) -> list[StreamClass]:
    """Classes a catalogue row may use (all but ``unspecified``), optionally for one direction."""
    return [c for c in stream_classes().values() if c.roles and (direction is None or c.allows(direction))]
