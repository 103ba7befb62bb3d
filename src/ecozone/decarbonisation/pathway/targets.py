"""Emission targets of a pathway (``data/targets.csv``): net zero in 2050 and the 2030 NDC check."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from ecozone.decarbonisation.reference import number, read_rows
from ecozone.errors import NotFoundError

DATA = "ecozone.decarbonisation.data"
TARGET_KINDS = ("net_emissions_max_t", "reduction_vs_bau_share")


@dataclass(frozen=True)
class Target:
    """One target.

    Attributes
    ----------
    id : str
        ``net_zero_2050``, ``ndc_2030_unconditional`` or ``ndc_2030_conditional``.
    year : int
    kind : str
        ``net_emissions_max_t`` (net emissions at most ``value`` tCO2e) or
        ``reduction_vs_bau_share`` (at least ``value`` below business as usual).
    value : float
    source, status, note : str
    """

    id: str
    year: int
    kind: str
    value: float
    source: str
    status: str
    note: str

    def limit(self, bau_t: float) -> float:
        """Largest net emissions meeting the target [tCO2e] given the year's BAU emissions."""
        if self.kind == "net_emissions_max_t":
            return self.value
        return (1.0 - self.value) * bau_t


@cache
def targets() -> dict[str, Target]:
    """Shipped targets by id."""
    file = "targets.csv"
    rows = read_rows(DATA, file, ("target", "year", "kind", "value"))
    return {
        r["target"]: Target(
            r["target"], int(r["year"]), r["kind"], number(r["value"], file, "value"), r["source"], r["status"], r["note"]
        )
        for r in rows
    }


def target(target_id: str) -> Target:
    """Return target ``target_id`` (``net-zero-2050`` is accepted for ``net_zero_2050``).

    Raises
    ------
    NotFoundError
        If no such target is shipped.
    """
    key = target_id.replace("-", "_")
    try:
        return targets()[key]
    except KeyError as exc:
        known = ", ".join(k.replace("_", "-") for k in targets())
        raise NotFoundError("decarbonisation.unknown_target", target=target_id, known=known) from exc
