"""Monte Carlo uncertainty of inventory totals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecozone.ghg import GhgInputError, compute_inventory, monte_carlo, sample_totals
from ecozone.ghg.uncertainty import factor_draws


def _activity() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_id": ["firm-a", "firm-a", "firm-a", "firm-b"],
            "year": [2022, 2022, 2022, 2022],
            "carrier": ["diesel", "electricity", "solid_waste", "coal"],
            "amount": [20_000, 500, 40, 300],
            "unit": ["L", "MWh", "t", "t"],
            "fate": ["", "", "landfilled", ""],
        }
    )


def test_median_close_to_deterministic_and_interval_contains_it() -> None:
    result = monte_carlo(_activity(), draws=2000, seed=7, parent_of={"firm-a": "park", "firm-b": "park"})
    totals = result.query("quantity == 'total_t'")
    assert len(totals) == 3  # two firms and the park
    for row in totals.itertuples():
        assert row.p2_5_t <= row.deterministic_t <= row.p97_5_t
        assert row.p50_t == pytest.approx(row.deterministic_t, rel=0.03)
        assert row.p2_5_t < row.p97_5_t


def test_official_grid_factor_is_not_sampled() -> None:
    result = monte_carlo(_activity(), draws=200, seed=1)
    location = result.query("quantity == 'scope2_location_t' and entity_id == 'firm-a'").iloc[0]
    assert location["p2_5_t"] == pytest.approx(500 * 0.6766)
    assert location["p97_5_t"] == pytest.approx(500 * 0.6766)
    assert "grid_vn/2022" in location["unsampled_factors"]


def test_same_seed_same_answer_and_normal_distribution() -> None:
    inventory = compute_inventory(_activity())
    first = sample_totals(inventory, draws=300, seed=3)
    again = sample_totals(inventory, draws=300, seed=3)
    pd.testing.assert_frame_equal(first, again)
    normal = sample_totals(inventory, draws=2000, seed=3, distribution="normal")
    coal = normal.query("quantity == 'scope1_t' and entity_id == 'firm-b'").iloc[0]
    assert coal["mean_t"] == pytest.approx(coal["deterministic_t"], rel=0.03)
    with pytest.raises(GhgInputError):
        sample_totals(inventory, draws=1)


def test_lognormal_draws_match_the_stated_interval() -> None:
    factors = pd.DataFrame({"id": ["x"], "kind": ["co2"], "value": [100.0], "uncertainty_pct": [50.0]})
    draws = factor_draws(factors, 200_000, np.random.default_rng(0))["x"]
    low, mid, high = np.percentile(draws, [2.5, 50, 97.5])
    assert mid == pytest.approx(1.0, abs=0.01)
    assert high == pytest.approx(1.5, rel=0.02)
    assert low == pytest.approx(1 / 1.5, rel=0.02)
