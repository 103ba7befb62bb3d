"""Finance against numpy-financial and hand calculations; dated exchange rates."""

from __future__ import annotations

from datetime import date

import numpy as np
import numpy_financial as npf
import pytest

from ecozone.decarbonisation.errors import DecarbonisationError, MissingPriceError
from ecozone.decarbonisation.finance import (
    appraise,
    capital_recovery_factor,
    discounted_payback,
    exchange_rate,
    irr,
    lcoe,
    npv,
    project_cash_flows,
    to_vnd,
)

FLOWS = [
    [-1000.0, 300.0, 300.0, 300.0, 300.0, 300.0],
    [-5e9, 1.2e9, 1.1e9, 1.0e9, 0.9e9, 0.8e9, 0.7e9, 0.6e9],
    [-100.0, 0.0, 0.0, 150.0],
    [-250.0, 100.0, -20.0, 120.0, 130.0],
]


@pytest.mark.parametrize("flows", FLOWS)
@pytest.mark.parametrize("rate", [0.0, 0.05, 0.10, 0.2])
def test_npv_matches_numpy_financial(flows: list[float], rate: float) -> None:
    assert npv(rate, flows) == pytest.approx(npf.npv(rate, flows), rel=1e-12)


@pytest.mark.parametrize("flows", FLOWS)
def test_irr_matches_numpy_financial(flows: list[float]) -> None:
    assert irr(flows) == pytest.approx(npf.irr(flows), abs=1e-8)


def test_irr_is_none_without_a_sign_change() -> None:
    assert irr([-100.0, -10.0, -10.0]) is None
    assert irr([-100.0, 10.0, 10.0]) == pytest.approx(npf.irr([-100.0, 10.0, 10.0]), abs=1e-8)  # negative IRR


def test_discounted_payback_by_hand() -> None:
    # -1000 then 500 a year at 10 %: discounted 454.55, 413.22 (cum -132.23), 375.66 -> 2 + 132.23/375.66 years.
    expected = 2 + (1000 - 500 / 1.1 - 500 / 1.21) / (500 / 1.331)
    assert discounted_payback(0.10, [-1000, 500, 500, 500]) == pytest.approx(expected)
    assert discounted_payback(0.10, [-1000, 100, 100]) is None
    assert discounted_payback(0.10, [0, 10]) == 0.0


def test_lcoe_by_hand() -> None:
    # capex 1,000, opex 10/yr, 100 kWh/yr, 2 years at 10 %: (1000 + 10/1.1 + 10/1.21) / (100/1.1 + 100/1.21)
    expected = (1000 + 10 / 1.1 + 10 / 1.21) / (100 / 1.1 + 100 / 1.21)
    assert lcoe(0.10, 1000.0, 10.0, 100.0, 2) == pytest.approx(expected)
    with pytest.raises(DecarbonisationError):
        lcoe(0.10, 1000.0, 10.0, 0.0, 2)


def test_capital_recovery_factor_annualises_like_pmt() -> None:
    assert capital_recovery_factor(0.08, 20) * 1e6 == pytest.approx(-npf.pmt(0.08, 20, 1e6))
    assert capital_recovery_factor(0.0, 4) == pytest.approx(0.25)


def test_appraisal_of_project_flows() -> None:
    flows = project_cash_flows(1000.0, 300.0, 5)
    assert flows.tolist() == [-1000.0, 300.0, 300.0, 300.0, 300.0, 300.0]
    result = appraise(flows, 0.1)
    assert result.npv_vnd == pytest.approx(npf.npv(0.1, flows))
    assert result.simple_payback_years == pytest.approx(1000 / 300)
    assert np.isclose(result.irr or 0.0, npf.irr(flows))


def test_exchange_rates_are_dated() -> None:
    assert exchange_rate("USD", date(2023, 8, 28)).vnd_per_unit == 23942
    assert exchange_rate("USD", date(2024, 6, 1)).vnd_per_unit == 23942
    assert exchange_rate("USD", date(2026, 1, 1)).vnd_per_unit == 25151
    assert to_vnd(2.0, "VND", date(2000, 1, 1)) == 2.0
    with pytest.raises(MissingPriceError) as error:
        exchange_rate("USD", date(2019, 1, 1))
    assert error.value.key == "decarbonisation.no_exchange_rate"
    with pytest.raises(MissingPriceError):
        exchange_rate("EUR", date(2025, 1, 1))
