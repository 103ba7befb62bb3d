"""Activity data for an inventory: the input table, its checks and its unit conversions.

The activity table has one row per entity, year and stream:

========================  ======================================================================
column                    meaning
========================  ======================================================================
``entity_id``             firm or park id
``year``                  reporting year (the grid factor of that year prices electricity)
``carrier``               registry carrier (``diesel``, ``electricity``, ``solid_waste``, ...)
``amount``                quantity, >= 0, in ``unit``
``unit``                  a unit of :mod:`ecozone.units` (``L``, ``kg``, ``t``, ``m3``, ``kWh``, ``GJ``...)
``use`` (optional)        ``stationary`` (default) or ``mobile`` for fuels
``fate`` (optional)       ``landfilled``, ``incinerated`` or ``recycled`` for waste
``substance`` (optional)  fuel grade (``coal_anthracite``) or refrigerant (``R-410A``)
``density_kg_per_m3``     (optional) measured density that overrides the factor set [kg/m3]
========================  ======================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecozone.ghg.errors import GhgInputError
from ecozone.registry.schema import vocabulary
from ecozone.units import conversion_factor, parse_unit

REQUIRED_COLUMNS = ("entity_id", "year", "carrier", "amount", "unit")
TEXT_COLUMNS = ("use", "fate", "substance")
USES = ("stationary", "mobile")


def known_carriers() -> tuple[str, ...]:
    """Carrier codes of the registry vocabulary."""
    return tuple(vocabulary("carrier"))


def _first_bad(mask: pd.Series) -> object:
    return mask[mask].index[0]


def validated_activity(activity: pd.DataFrame) -> pd.DataFrame:
    """Return a clean copy of ``activity`` with every optional column present.

    Raises
    ------
    GhgInputError
        On a missing column, a bad year or amount, a negative amount, an unknown carrier or use.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in activity.columns]
    if missing:
        raise GhgInputError("ghg.missing_column", columns=", ".join(missing), required=", ".join(REQUIRED_COLUMNS))
    frame = activity.reset_index(drop=True)
    clean = pd.DataFrame({"entity_id": frame["entity_id"].astype(str), "carrier": frame["carrier"].astype(str).str.strip()})
    years = pd.to_numeric(frame["year"], errors="coerce")
    if years.isna().any() or (years % 1 != 0).any():
        bad = years.isna() | (years % 1 != 0)
        raise GhgInputError("ghg.bad_year", row=_first_bad(bad), value=frame["year"][bad].iloc[0])
    clean["year"] = years.astype("int64")
    amounts = pd.to_numeric(frame["amount"], errors="coerce").astype("float64")
    if amounts.isna().any():
        raise GhgInputError("ghg.bad_amount", row=_first_bad(amounts.isna()), value=frame["amount"][amounts.isna()].iloc[0])
    if (amounts < 0).any():
        raise GhgInputError("ghg.negative_amount", row=_first_bad(amounts < 0), value=amounts[amounts < 0].iloc[0])
    clean["amount"] = amounts
    clean["unit"] = frame["unit"].astype(str).str.strip()
    for column in TEXT_COLUMNS:
        values = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
        clean[column] = values.fillna("").astype(str).str.strip()
    density = frame["density_kg_per_m3"] if "density_kg_per_m3" in frame.columns else pd.Series(np.nan, index=frame.index)
    clean["density_kg_per_m3"] = pd.to_numeric(density, errors="coerce").astype("float64")
    _check_codes(clean)
    return clean


def _check_codes(clean: pd.DataFrame) -> None:
    carriers = known_carriers()
    unknown = ~clean["carrier"].isin(carriers)
    if unknown.any():
        raise GhgInputError("ghg.unknown_carrier", carrier=clean["carrier"][unknown].iloc[0], known=", ".join(carriers))
    bad_use = ~clean["use"].isin(("", *USES))
    if bad_use.any():
        raise GhgInputError("ghg.unknown_use", use=clean["use"][bad_use].iloc[0], known=", ".join(USES))


def unit_dimension(unit: str) -> str:
    """Return the dimension (``energy``, ``mass``, ``volume``, ...) of ``unit``."""
    return parse_unit(unit).dimension


def converted(amount: pd.Series, unit: str, target: str) -> np.ndarray:
    """Return ``amount`` [``unit``] expressed in ``target`` (same dimension)."""
    return amount.to_numpy(dtype="float64") * conversion_factor(unit, target)


def require_dimension(carrier: str, unit: str, allowed: tuple[str, ...]) -> str:
    """Return the dimension of ``unit`` after checking that it is one of ``allowed`` for ``carrier``.

    Raises
    ------
    GhgInputError
        If ``unit`` measures another dimension.
    """
    dimension = unit_dimension(unit)
    if dimension not in allowed:
        raise GhgInputError(
            "ghg.unit_not_for_carrier", carrier=carrier, unit=unit, dimension=dimension, allowed=", ".join(allowed)
        )
    return dimension
