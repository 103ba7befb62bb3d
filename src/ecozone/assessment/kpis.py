"""KPIs for rulebooks: the shipped catalogue and the values computed from the registry.

Rule checks read KPI values from a plain mapping ``{name: Measurement}``. This module fills
it with what the registry snapshot alone gives (green area share, occupancy, number of firms,
age of the park); callers add values computed from meters and GHG inventories, and the
questionnaire's ``kpis`` section adds values people enter (:func:`merge_measurements`).
A KPI that no source provides is reported as missing, with the data it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecozone.assessment.errors import AssessmentError
from ecozone.store.snapshot import ParkSnapshot

CATALOGUE_FILE = "kpi_catalogue.yaml"
PROVIDERS = ("registry", "meters", "answers")


@dataclass(frozen=True)
class Measurement:
    """A KPI value with its unit and where it comes from.

    Attributes
    ----------
    value : float
        The value [unit].
    unit : str
        Unit of ``value``.
    source : str
        ``registry``, ``meters``, ``answers`` or another label of the provider.
    detail : str
        How it was obtained (formula with numbers, answer reference), shown as evidence.
    """

    value: float
    unit: str
    source: str
    detail: str = ""


@dataclass(frozen=True)
class KpiDefinition:
    """An entry of the KPI catalogue (``kpi_catalogue.yaml``)."""

    name: str
    unit: str
    label_vi: str
    label_en: str
    provided_by: tuple[str, ...]
    formula: str
    needs: tuple[str, ...]
    sdg_targets: tuple[str, ...]

    def label(self, lang: str) -> str:
        """The KPI's name in ``lang``."""
        return self.label_vi if lang == "vi" else self.label_en

    @property
    def answerable(self) -> bool:
        """Whether the questionnaire asks for the value."""
        return "answers" in self.provided_by


@dataclass(frozen=True)
class KpiTable:
    """KPI values and, for those that could not be computed, the data that is missing."""

    values: Mapping[str, Measurement]
    gaps: Mapping[str, tuple[str, ...]]


@cache
def kpi_catalogue() -> dict[str, KpiDefinition]:
    """The shipped KPI catalogue, by name."""
    text = resources.files(__package__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    raw: dict[str, dict[str, Any]] = yaml.safe_load(text)
    catalogue = {}
    for name, entry in raw.items():
        providers = tuple(entry["provided_by"])
        if not set(providers) <= set(PROVIDERS):
            raise AssessmentError("assessment.kpi.bad_catalogue", name=name, detail=f"provided_by {providers}")
        catalogue[name] = KpiDefinition(
            name,
            str(entry["unit"]),
            entry["name"]["vi"],
            entry["name"]["en"],
            providers,
            entry["formula"],
            tuple(entry.get("needs", ())),
            tuple(str(target) for target in entry.get("sdg_targets", ())),
        )
    return catalogue


def _ratio_pct(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return 100.0 * numerator / denominator


def registry_kpis(snapshot: ParkSnapshot, on: date) -> KpiTable:
    """KPIs computed from the registry alone.

    Parameters
    ----------
    snapshot : ParkSnapshot
        The park, its firms, meters and certificates.
    on : date
        Assessment date (the park's age is counted to its year).

    Returns
    -------
    KpiTable
        ``green_area_share_pct`` [%], ``occupancy_pct`` [%], ``firm_count`` [firms] and
        ``park_age_years`` [yr] when their data exist; otherwise a gap naming the missing fields.
    """
    park = snapshot.park
    values: dict[str, Measurement] = {}
    gaps: dict[str, tuple[str, ...]] = {}
    green = _ratio_pct(park.green_area_ha, park.total_area_ha)
    if green is None:
        gaps["green_area_share_pct"] = _missing_fields(
            park.green_area_ha, park.total_area_ha, "park.green_area_ha", "park.total_area_ha"
        )
    else:
        values["green_area_share_pct"] = Measurement(
            green, "%", "registry", f"{park.green_area_ha:g} ha / {park.total_area_ha:g} ha × 100"
        )
    occupancy = park.occupancy_pct
    if occupancy is None:
        gaps["occupancy_pct"] = _missing_fields(
            park.leased_land_ha, park.industrial_land_ha, "park.leased_land_ha", "park.industrial_land_ha"
        )
    else:
        values["occupancy_pct"] = Measurement(
            occupancy, "%", "registry", f"{park.leased_land_ha:g} ha / {park.industrial_land_ha:g} ha × 100"
        )
    if snapshot.firms:
        values["firm_count"] = Measurement(
            float(len(snapshot.firms)), "firms", "registry", f"{len(snapshot.firms)} firms registered"
        )
    else:
        gaps["firm_count"] = ("park.firms",)
    if park.year_established is None:
        gaps["park_age_years"] = ("park.year_established",)
    else:
        values["park_age_years"] = Measurement(
            float(on.year - park.year_established), "yr", "registry", f"{on.year} − {park.year_established}"
        )
    return KpiTable(values, gaps)


def _missing_fields(first: float | None, second: float | None, first_name: str, second_name: str) -> tuple[str, ...]:
    """Name the fields that are missing (a zero denominator counts as missing)."""
    missing = []
    if first is None:
        missing.append(first_name)
    if not second:
        missing.append(second_name)
    return tuple(missing)


def merge_measurements(*layers: Mapping[str, Measurement]) -> dict[str, Measurement]:
    """Merge KPI layers; an earlier layer wins (pass measured data before entered answers)."""
    merged: dict[str, Measurement] = {}
    for layer in layers:
        for name, measurement in layer.items():
            merged.setdefault(name, measurement)
    return merged
