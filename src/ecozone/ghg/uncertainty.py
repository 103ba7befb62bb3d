"""Monte Carlo uncertainty of inventory totals (IPCC 2006 Vol. 1 Ch. 3, Approach 2).

Each factor with a published uncertainty is drawn ``draws`` times; a factor used by several
lines takes the same draw in all of them (full correlation, as in Brightway). Every line of an
inventory is a product of its factors (amount x density x NCV x emission factor x GWP, or
consumption x grid factor x loss ratio, ...), so a draw rescales each line by the product of
its factors' relative draws. Two parameters enter non-linearly and are transformed before the
ratio: the T&D loss share ``s`` enters as ``s / (1 - s)`` and the landfill oxidation factor
``ox`` as ``1 - ox``. Fractions are clipped to [0, 1].

Distributions (``uncertainty_pct`` = half-width of the 95 % interval, ``u``):

* ``lognormal`` (default): ``value x exp(N(0, sigma))`` with ``sigma = ln(1 + u/100) / 1.96``,
  so the median is the default value and the 95 % interval is ``[value / (1 + u), value x (1 + u)]``
  - suited to the skewed CH4 and N2O ranges of the IPCC tables.
* ``normal``: ``value x (1 + N(0, u / 100 / 1.96))``, truncated at zero.

Factors without an uncertainty (GWPs by convention, official grid factors, user inputs) are not
sampled and are listed in the result; activity data are taken as exact.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from ecozone.ghg.errors import GhgInputError
from ecozone.ghg.inventory import ContractualInstrument, InventoryResult, compute_inventory
from ecozone.ghg.settings import InventorySettings

PERCENTILES = (2.5, 50.0, 97.5)
FRACTION_KINDS = frozenset({"waste_docf", "waste_mcf", "waste_f", "waste_ox", "waste_dm", "waste_cf", "waste_fcf", "waste_of"})
QUANTITIES = ("scope1_t", "scope2_location_t", "scope2_market_t", "scope3_t", "total_t")
DISTRIBUTIONS = ("lognormal", "normal")


def _transform(kind: str, values: np.ndarray) -> np.ndarray:
    transformed: np.ndarray = values
    if kind == "td_loss_share":
        transformed = values / (1 - values)
    elif kind == "waste_ox":
        transformed = 1 - values
    return transformed


def factor_draws(
    factors: pd.DataFrame, draws: int, rng: np.random.Generator, distribution: str = "lognormal"
) -> dict[str, np.ndarray]:
    """Return, per sampled factor id, ``draws`` relative multipliers (transformed draw / transformed value)."""
    multipliers: dict[str, np.ndarray] = {}
    ids = factors["id"].astype(str).tolist()
    kinds = factors["kind"].astype(str).tolist()
    values = pd.to_numeric(factors["value"], errors="coerce").to_numpy(dtype="float64")
    uncertainties = pd.to_numeric(factors["uncertainty_pct"], errors="coerce").to_numpy(dtype="float64")
    for factor_id, kind, value, uncertainty in zip(ids, kinds, values, uncertainties, strict=True):
        if not uncertainty > 0 or value == 0:
            continue
        share = float(uncertainty) / 100
        if distribution == "lognormal":
            sample = value * np.exp(rng.normal(0.0, np.log1p(share) / 1.96, draws))
        else:
            sample = np.clip(value * (1 + rng.normal(0.0, share / 1.96, draws)), 0.0, None)
        if kind in FRACTION_KINDS:
            sample = np.clip(sample, 0.0, 1.0)
        elif kind == "td_loss_share":
            sample = np.clip(sample, 0.0, 0.99)
        reference = _transform(kind, np.array([value]))[0]
        multipliers[factor_id] = _transform(kind, sample) / reference if reference else np.ones(draws)
    return multipliers


def _line_draws(result: InventoryResult, multipliers: Mapping[str, np.ndarray], draws: int) -> np.ndarray:
    lines = result.line_items
    co2e = lines["co2e_t"].fillna(0.0).to_numpy(dtype="float64")
    by_ids: dict[str, np.ndarray] = {}
    for ids in lines["factor_ids"].unique():
        product = np.ones(draws)
        for factor_id in str(ids).split(";"):
            if factor_id in multipliers:
                product = product * multipliers[factor_id]
        by_ids[str(ids)] = product
    scale = np.vstack([by_ids[str(ids)] for ids in lines["factor_ids"]]) if len(lines) else np.empty((0, draws))
    scaled: np.ndarray = co2e[:, None] * scale
    return scaled


def _quantity_masks(lines: pd.DataFrame, settings: InventorySettings) -> dict[str, np.ndarray]:
    scope, method = lines["scope"], lines["scope2_method"]
    masks = {
        "scope1_t": (scope == "1").to_numpy(),
        "scope2_location_t": ((scope == "2") & (method == "location")).to_numpy(),
        "scope2_market_t": ((scope == "2") & (method == "market")).to_numpy(),
        "scope3_t": (scope == "3").to_numpy(),
    }
    masks["total_t"] = masks["scope1_t"] | masks[f"scope2_{settings.total_scope2_method}_t"] | masks["scope3_t"]
    return masks


def sample_totals(
    result: InventoryResult,
    *,
    draws: int = 1000,
    seed: int | None = None,
    distribution: Literal["lognormal", "normal"] = "lognormal",
) -> pd.DataFrame:
    """Monte Carlo percentiles of the totals of a computed inventory.

    Returns
    -------
    DataFrame
        One row per entity (or roll-up), year and quantity (``scope1_t``, ``scope2_location_t``,
        ``scope2_market_t``, ``scope3_t``, ``total_t``) with ``deterministic_t``, ``mean_t``,
        ``p2_5_t``, ``p50_t``, ``p97_5_t`` [tCO2e], ``draws``, ``distribution`` and
        ``unsampled_factors`` (ids of the factors used without an uncertainty).
    """
    if distribution not in DISTRIBUTIONS:
        raise GhgInputError("ghg.unknown_distribution", distribution=distribution, known=", ".join(DISTRIBUTIONS))
    if draws < 2:
        raise GhgInputError("ghg.bad_draws", draws=draws)
    rng = np.random.default_rng(seed)
    multipliers = factor_draws(result.factors, draws, rng, distribution)
    lines = result.line_items
    line_draws = _line_draws(result, multipliers, draws)
    masks = _quantity_masks(lines, result.settings)
    unsampled = ";".join(sorted(set(result.factors["id"]) - set(multipliers)))
    keyed = [(lines["entity_id"], "entity")]
    if result.parent_of:
        keyed.append((lines["entity_id"].map(dict(result.parent_of)), "rollup"))
    records: list[dict[str, object]] = []
    deterministic = result.summary.set_index(["entity_id", "year", "entity_kind"])
    for entity_ids, kind in keyed:
        keys = pd.MultiIndex.from_arrays([entity_ids, lines["year"]])
        valid = entity_ids.notna().to_numpy()
        codes, uniques = pd.factorize(keys[valid])
        for quantity, mask in masks.items():
            sums = np.zeros((len(uniques), draws))
            np.add.at(sums, codes[mask[valid]], line_draws[valid][mask[valid]])
            low, mid, high = np.percentile(sums, PERCENTILES, axis=1)
            for position, (entity, year) in enumerate(uniques):
                records.append(
                    {
                        "entity_id": entity,
                        "year": int(year),
                        "entity_kind": kind,
                        "quantity": quantity,
                        "deterministic_t": float(deterministic.loc[(entity, year, kind), quantity]),
                        "mean_t": float(sums[position].mean()),
                        "p2_5_t": float(low[position]),
                        "p50_t": float(mid[position]),
                        "p97_5_t": float(high[position]),
                        "draws": draws,
                        "distribution": distribution,
                        "unsampled_factors": unsampled,
                    }
                )
    return pd.DataFrame.from_records(records).sort_values(["entity_kind", "entity_id", "year", "quantity"], ignore_index=True)


def monte_carlo(
    activity: pd.DataFrame,
    instruments: Sequence[ContractualInstrument] = (),
    settings: InventorySettings | None = None,
    *,
    draws: int = 1000,
    seed: int | None = None,
    distribution: Literal["lognormal", "normal"] = "lognormal",
    sectors: Mapping[str, str] | None = None,
    parent_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Compute an inventory and the Monte Carlo percentiles (2.5, 50, 97.5) of its totals.

    See :func:`sample_totals` for the result and the module docstring for the method.
    """
    result = compute_inventory(activity, instruments, settings, sectors=sectors, parent_of=parent_of)
    return sample_totals(result, draws=draws, seed=seed, distribution=distribution)
