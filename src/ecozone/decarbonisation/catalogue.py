"""The measures catalogue: what each measure does, where it applies, what it costs.

The catalogue is data (``data/measures.yaml``); this module reads it into :class:`Measure`
records with costs converted to VND at the dated exchange rate of each entry's price date,
and the sector shares of end uses (``data/sector_end_uses.csv``) that the effect models use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from ecozone.decarbonisation.finance import exchange_rate
from ecozone.decarbonisation.reference import number, read_rows, read_yaml
from ecozone.errors import NotFoundError, ReferenceDataError

DATA = "ecozone.decarbonisation.data"
EFFECT_MODELS = (
    "rooftop_pv",
    "battery_storage",
    "end_use_saving",
    "heat_pump",
    "fuel_switch",
    "waste_heat_recovery",
    "green_power_ppa",
    "water_recycling",
    "fleet_electrification",
    "tree_planting",
)
END_USES = (
    "lighting",
    "motors_variable_torque",
    "compressed_air",
    "cooling",
    "low_temperature_heat",
    "forklift_diesel",
    "recyclable_water",
)
REQUIRED_FIELDS = (
    "name",
    "model",
    "parameters",
    "sectors",
    "requires_carrier",
    "min_size",
    "size_unit",
    "capex_per_unit",
    "opex_fixed_per_unit_yr",
    "opex_variable_per_unit_yr",
    "currency",
    "price_date",
    "lifetime_years",
    "exclusive_group",
    "taxonomy_type",
    "source",
    "edition",
    "status",
)


@dataclass(frozen=True)
class Measure:
    """One measure of the catalogue, costs in VND.

    Attributes
    ----------
    id : str
    name_vi, name_en : str
    model : str
        Effect model, one of :data:`EFFECT_MODELS`.
    parameters : mapping
        Parameters of the effect model (see :mod:`ecozone.decarbonisation.effects`).
    sectors : tuple of str
        VSIC divisions where it applies, or ``("all",)``.
    requires_carrier : str
        Carrier the firm must use (empty: none).
    min_size : float [size_unit]
        Smallest size worth installing.
    size_unit : str
    capex_vnd_per_unit : float [VND/size_unit]
    opex_fixed_vnd_per_unit_yr : float [VND/(size_unit·yr)]
    opex_variable_vnd_per_unit_yr : float [VND/(size_unit·yr)]
    lifetime_years : int [yr]
    exclusive_group : str
        Measures of one group act on the same end use: at most one per firm.
    taxonomy_type : str
        Green Taxonomy project type (``taxonomy.csv``), empty when none applies.
    currency, price_date, exchange_rate_vnd
        Original currency, price date and the rate used [VND/unit of currency].
    source, edition, status, exchange_rate_status : str
    """

    id: str
    name_vi: str
    name_en: str
    model: str
    parameters: Mapping[str, Any] = field(compare=False, hash=False)
    sectors: tuple[str, ...]
    requires_carrier: str
    min_size: float
    size_unit: str
    capex_vnd_per_unit: float
    opex_fixed_vnd_per_unit_yr: float
    opex_variable_vnd_per_unit_yr: float
    lifetime_years: int
    exclusive_group: str
    taxonomy_type: str
    currency: str
    price_date: date
    exchange_rate_vnd: float
    source: str
    edition: str
    status: str
    exchange_rate_status: str

    def name(self, lang: str) -> str:
        """Name in ``lang`` (``vi`` or ``en``)."""
        return self.name_vi if lang == "vi" else self.name_en

    def applies_to_sector(self, vsic_code: str) -> bool:
        """Whether the measure applies to a firm of VSIC code ``vsic_code`` (division = first two digits)."""
        return "all" in self.sectors or vsic_code[:2] in self.sectors

    def parameter(self, name: str) -> float:
        """Numeric parameter ``name`` of the effect model.

        Raises
        ------
        ReferenceDataError
            If the catalogue entry lacks it.
        """
        if name not in self.parameters:
            raise ReferenceDataError("decarbonisation.measure_parameter", measure=self.id, parameter=name)
        return float(self.parameters[name])

    @property
    def is_verified(self) -> bool:
        """Whether its figures and the exchange rate were read in primary texts."""
        return self.status == "verified" and self.exchange_rate_status == "verified"


def _measure(key: str, entry: Mapping[str, Any]) -> Measure:
    file = "measures.yaml"
    missing = [f for f in REQUIRED_FIELDS if f not in entry]
    if missing:
        raise ReferenceDataError("decarbonisation.reference_columns", file=f"{file}:{key}", columns=", ".join(missing))
    if entry["model"] not in EFFECT_MODELS:
        raise ReferenceDataError(
            "decarbonisation.unknown_model", measure=key, model=entry["model"], known=", ".join(EFFECT_MODELS)
        )
    price_date = entry["price_date"] if isinstance(entry["price_date"], date) else date.fromisoformat(str(entry["price_date"]))
    rate = exchange_rate(str(entry["currency"]), price_date)

    def vnd(column: str) -> float:
        return number(entry[column], file, f"{key}.{column}") * rate.vnd_per_unit

    sectors = entry["sectors"]
    return Measure(
        id=key,
        name_vi=str(entry["name"]["vi"]),
        name_en=str(entry["name"]["en"]),
        model=str(entry["model"]),
        parameters=dict(entry["parameters"] or {}),
        sectors=("all",) if sectors == "all" else tuple(str(s) for s in sectors),
        requires_carrier=str(entry["requires_carrier"] or ""),
        min_size=number(entry["min_size"], file, f"{key}.min_size"),
        size_unit=str(entry["size_unit"]),
        capex_vnd_per_unit=vnd("capex_per_unit"),
        opex_fixed_vnd_per_unit_yr=vnd("opex_fixed_per_unit_yr"),
        opex_variable_vnd_per_unit_yr=vnd("opex_variable_per_unit_yr"),
        lifetime_years=int(entry["lifetime_years"]),
        exclusive_group=str(entry["exclusive_group"] or ""),
        taxonomy_type=str(entry["taxonomy_type"] or ""),
        currency=str(entry["currency"]),
        price_date=price_date,
        exchange_rate_vnd=rate.vnd_per_unit,
        source=str(entry["source"]),
        edition=str(entry["edition"]),
        status=str(entry["status"]),
        exchange_rate_status=rate.status,
    )


@cache
def measures() -> dict[str, Measure]:
    """Return the catalogue, ``{measure id: Measure}``, in file order."""
    return {key: _measure(key, entry) for key, entry in read_yaml(DATA, "measures.yaml").items()}


def measure(measure_id: str) -> Measure:
    """Return measure ``measure_id``.

    Raises
    ------
    NotFoundError
        If the catalogue has no such measure (the message lists them).
    """
    try:
        return measures()[measure_id]
    except KeyError as exc:
        raise NotFoundError("decarbonisation.unknown_measure", measure=measure_id, known=", ".join(measures())) from exc


@dataclass(frozen=True)
class EndUseShares:
    """Shares of a sector's carriers going to each end use [-] (see ``sector_end_uses.csv``)."""

    vsic_division: str
    sector: str
    shares: Mapping[str, float] = field(compare=False, hash=False)
    status: str
    source: str

    def share(self, end_use: str) -> float:
        """Share of ``end_use`` [-]."""
        if end_use not in self.shares:
            raise NotFoundError("decarbonisation.unknown_end_use", end_use=end_use, known=", ".join(END_USES))
        return self.shares[end_use]


@cache
def _end_use_table() -> dict[str, EndUseShares]:
    file = "sector_end_uses.csv"
    rows = read_rows(DATA, file, ("vsic_division", "sector", *END_USES))
    default_source = next((r["source"] for r in rows if r["vsic_division"] == "default"), "")
    table = {}
    for row in rows:
        shares = {u: number(row[u], file, u) for u in END_USES}
        source = default_source if row["source"].startswith("as default") else row["source"]
        table[row["vsic_division"]] = EndUseShares(row["vsic_division"], row["sector"], shares, row["status"], source)
    if "default" not in table:
        raise ReferenceDataError("decarbonisation.reference_columns", file=file, columns="default row")
    return table


def end_use_shares(vsic_code: str) -> EndUseShares:
    """Return the end-use shares of the firm's VSIC division, or the default row."""
    table = _end_use_table()
    return table.get(vsic_code[:2], table["default"])
