"""Benefit metrics in the terms symbiosis programmes report (NISP-style; Decree 35/2022 forms A.4/B.4).

Per exchange and in total:

- **diverted from landfill** [t/yr]: flows of output classes that would otherwise be
  landfilled or incinerated (``landfill: true`` in the taxonomy), counted in tonnes;
- **virgin material saved** [t/yr]: input replaced (flow × ratio) for input classes measured
  in tonnes that replace a virgin material (not treatment intakes or digesters);
- **water saved** [m3/yr]: input replaced for inputs measured in cubic metres that replace
  supplied water (not wastewater treatment intakes);
- **energy recovered** [MWh/yr]: input replaced for inputs measured in energy;
- **tCO2e avoided** [tCO2e/yr], **VND saved** [VND/yr] (net benefit after set-up costs);
- **links** and **firms involved** (tenant firms; the park's utilities and outside partners
  are counted apart).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ecozone.symbiosis.model.readback import Exchange
from ecozone.symbiosis.taxonomy import stream_class


@dataclass(frozen=True)
class ProgrammeMetrics:
    """Totals of a set of exchanges (units in the module doc)."""

    diverted_from_landfill_t: float
    virgin_material_saved_t: float
    water_saved_m3: float
    energy_recovered_mwh: float
    tco2e_avoided: float
    vnd_saved: float
    links: int
    firms_involved: int
    partners_involved: int


def exchange_metrics(exchange: Exchange) -> dict[str, float]:
    """The metrics of one exchange."""
    output_class = stream_class(exchange.arc.output_class)
    input_class = stream_class(exchange.arc.input_class)
    measure = input_class.measure
    replaces = input_class.replaces_virgin
    return {
        "diverted_from_landfill_t": exchange.flow if output_class.landfill and output_class.measure == "mass" else 0.0,
        "virgin_material_saved_t": exchange.delivered if replaces and measure == "mass" else 0.0,
        "water_saved_m3": exchange.delivered if replaces and measure == "volume" else 0.0,
        "energy_recovered_mwh": exchange.delivered if measure == "energy" else 0.0,
        "tco2e_avoided": exchange.tco2e,
        "vnd_saved": exchange.benefit_vnd,
    }


def programme_metrics(exchanges: Iterable[Exchange], owner_kinds: Mapping[str, str]) -> ProgrammeMetrics:
    """Total the metrics of ``exchanges``.

    Parameters
    ----------
    exchanges : iterable of Exchange
    owner_kinds : mapping
        Owner id → ``firm``, ``park`` or ``external`` (from the stream catalogue).
    """
    totals = dict.fromkeys(
        (
            "diverted_from_landfill_t",
            "virgin_material_saved_t",
            "water_saved_m3",
            "energy_recovered_mwh",
            "tco2e_avoided",
            "vnd_saved",
        ),
        0.0,
    )
    owners: set[str] = set()
    links = 0
    for exchange in exchanges:
        links += 1
        owners.update((exchange.arc.supplier_owner, exchange.arc.receiver_owner))
        for name, value in exchange_metrics(exchange).items():
            totals[name] += value
    firms = {o for o in owners if owner_kinds.get(o, "firm") == "firm"}
    return ProgrammeMetrics(**totals, links=links, firms_involved=len(firms), partners_involved=len(owners - firms))
