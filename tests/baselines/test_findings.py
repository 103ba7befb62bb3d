"""Every finding code is produced by a scenario built for it; bad input gives a finding or a clear error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from io import StringIO

import numpy as np
import pandas as pd
import pytest

from ecozone.baselines.errors import BaselineInputError, ModelFormatError
from ecozone.baselines.findings import Finding
from ecozone.baselines.fitting import MeterFit, fit, fit_many
from ecozone.baselines.model import ChangePointModel
from ecozone.baselines.observations import Period
from ecozone.baselines.savings import SavingsResult, avoided_energy
from ecozone.baselines.serialisation import model_from_dict, model_to_dict
from ecozone.baselines.settings import BaselineSettings
from ecozone.baselines.towt import TowtModel
from ecozone.baselines.weather import normals_finding, read_temperature_csv
from ecozone.i18n import catalogue
from tests.baselines.conftest import temperate_temperature

FINDING_PREFIXES = ("baselines.input.", "baselines.sufficiency.", "baselines.model.", "baselines.weather.", "baselines.savings.")


def _meter(days: int = 365, seed: int = 1, cooling: float = 50.0, noise: float = 20.0, start: str = "2023-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    temperature = temperate_temperature(rng, days)
    energy = 1000.0 + cooling * np.maximum(temperature - 20.0, 0.0) + rng.normal(0.0, noise, days)
    return pd.DataFrame(
        {"period_start": pd.date_range(start, periods=days, freq="D"), "energy": energy, "temperature_c": temperature}
    )


def _change_point(result: MeterFit) -> ChangePointModel:
    assert isinstance(result.model, ChangePointModel)
    return result.model


def _fit_findings(table: pd.DataFrame, **options: object) -> Sequence[Finding]:
    return fit(table, **options).findings  # type: ignore[arg-type]


def _split_savings(table: pd.DataFrame, cut: int, settings: BaselineSettings | None = None) -> SavingsResult:
    model = _change_point(fit(table.iloc[:cut], settings=settings))
    return avoided_energy(model, table.iloc[cut:])


def _no_baseline_data() -> Sequence[Finding]:
    fits = fit_many(_meter().assign(meter_id="a"), baseline=Period(date(2030, 1, 1), date(2030, 12, 31)))
    assert fits["a"].model is None
    return fits["a"].findings


def _missing_values() -> Sequence[Finding]:
    table = _meter()
    table.loc[[3, 40], "energy"] = np.nan
    return _fit_findings(table)


def _all_zero() -> Sequence[Finding]:
    result = fit(_meter().assign(energy=0.0))
    assert result.model is None
    return result.findings


def _negative() -> Sequence[Finding]:
    table = _meter()
    table.loc[5, "energy"] = -10.0
    return _fit_findings(table)


def _fahrenheit() -> Sequence[Finding]:
    table = _meter()
    result = fit(table.assign(temperature_c=table["temperature_c"] * 9 / 5 + 32))
    assert result.model is None
    return result.findings


def _too_few_points() -> Sequence[Finding]:
    table = _meter().iloc[:3].assign(a=[1.0, 2.0, 4.0], b=[3.0, 1.0, 2.0])
    result = fit(table, drivers=["a", "b"])
    assert result.model is None
    return result.findings


def _constant_driver() -> Sequence[Finding]:
    result = fit(_meter().assign(shifts=3.0), drivers=["shifts"])
    assert result.model is not None
    assert result.model.drivers == ()
    assert result.is_disqualified
    return result.findings


def _collinear_driver() -> Sequence[Finding]:
    table = _meter()
    rng = np.random.default_rng(5)
    table["a"] = rng.uniform(0, 10, len(table))
    table["b"] = 2.0 * table["a"] + 1.0
    result = fit(table, drivers=["a", "b"])
    assert result.model is not None
    assert result.model.drivers == ("a",)
    return result.findings


def _short_baseline() -> Sequence[Finding]:
    return _fit_findings(_meter(days=200))


def _short_monthly() -> Sequence[Finding]:
    months = pd.date_range("2023-01-01", periods=8, freq="MS")
    table = pd.DataFrame({"period_start": months, "energy": np.linspace(3e4, 3.5e4, 8), "temperature_c": np.linspace(10, 25, 8)})
    return _fit_findings(table, frequency="monthly")


def _low_coverage() -> Sequence[Finding]:
    table = _meter()
    keep = np.ones(len(table), dtype=bool)
    keep[100:180] = False
    return _fit_findings(table[keep])


def _narrow_range() -> Sequence[Finding]:
    table = _meter()
    table["temperature_c"] = np.random.default_rng(3).uniform(20.1, 20.4, len(table))
    return _fit_findings(table)


def _no_qualified_model() -> Sequence[Finding]:
    table = _meter(cooling=-30.0)
    result = fit(table, settings=BaselineSettings(forms=("3PC",)))
    assert result.model is None
    return result.findings


def _g14_not_met() -> Sequence[Finding]:
    return _fit_findings(_meter(noise=400.0))


def _insignificant() -> Sequence[Finding]:
    table = _meter(seed=8).assign(noise_driver=np.random.default_rng(99).uniform(0, 1, 365))
    return _fit_findings(table, drivers=["noise_driver"])


def _low_r_squared() -> Sequence[Finding]:
    return _fit_findings(_meter(cooling=5.0, noise=80.0))


def _baseline_step() -> Sequence[Finding]:
    table = _meter(cooling=0.0)
    table.loc[200:, "energy"] += 300.0
    return _fit_findings(table, settings=BaselineSettings(forms=("1P",)))


def _monthly_normals() -> Sequence[Finding]:
    return [normals_finding("74", "daily")]


def _disqualified_model() -> Sequence[Finding]:
    return _split_savings(_meter(days=400), 200).findings


def _unpredictable() -> Sequence[Finding]:
    hours = pd.date_range("2023-01-02", periods=24 * 7 * 6, freq="h")
    rng = np.random.default_rng(4)
    temperature = 25 + 5 * np.sin(2 * np.pi * np.arange(hours.size) / 24) + rng.normal(0, 1, hours.size)
    table = pd.DataFrame(
        {"period_start": hours, "energy": 100 + 3 * temperature + rng.normal(0, 2, hours.size), "temperature_c": temperature}
    )
    baseline = table[table["period_start"].dt.day_of_week < 6]
    model = fit(baseline, frequency="hourly").model
    assert isinstance(model, TowtModel)
    reporting = table.assign(period_start=table["period_start"] + pd.Timedelta(days=7 * 6))
    return avoided_energy(model, reporting).findings


def _temperature_extrapolation() -> Sequence[Finding]:
    table = _meter(days=730)
    model = _change_point(fit(table.iloc[:365]))
    reporting = table.iloc[365:].assign(temperature_c=table["temperature_c"].iloc[365:] - 15.0)
    return avoided_energy(model, reporting).findings


def _driver_extrapolation() -> Sequence[Finding]:
    table = _meter(days=730).assign(production=np.random.default_rng(2).uniform(10, 20, 730))
    table["energy"] += 30.0 * table["production"]
    model = _change_point(fit(table.iloc[:365], drivers=["production"]))
    reporting = table.iloc[365:].assign(production=table["production"].iloc[365:] * 3.0)
    return avoided_energy(model, reporting).findings


def _non_routine_event() -> Sequence[Finding]:
    table = _meter(days=730)
    table.loc[365:, "energy"] *= 0.9
    table.loc[550:, "energy"] += 400.0
    result = _split_savings(table, 365)
    assert result.non_routine_events
    return result.findings


def _uncertainty_undefined() -> Sequence[Finding]:
    months = pd.date_range("2022-01-01", periods=24, freq="MS")
    per_day = 1000.0 + 60.0 * np.sin(np.linspace(0, np.pi, 24))
    energy = months.days_in_month.to_numpy() * per_day
    rng = np.random.default_rng(1)
    table = pd.DataFrame(
        {
            "period_start": months,
            "energy": energy,
            "temperature_c": 20 + rng.normal(0, 0.01, 24),
            "shifts": rng.uniform(40, 60, 24),
        }
    )
    model = _change_point(fit(table.iloc[:12], frequency="monthly", drivers=["shifts"], settings=BaselineSettings(forms=("1P",))))
    assert model.statistics.effective_points <= model.statistics.parameters
    return avoided_energy(model, table.iloc[12:]).findings


def _uncertainty_too_high() -> Sequence[Finding]:
    return _split_savings(_meter(days=730, noise=100.0, seed=12), 365).findings


SCENARIOS: dict[str, Callable[[], Sequence[Finding]]] = {
    "baselines.input.no_baseline_data": _no_baseline_data,
    "baselines.input.missing_values": _missing_values,
    "baselines.input.all_zero_energy": _all_zero,
    "baselines.input.negative_energy": _negative,
    "baselines.input.implausible_temperature": _fahrenheit,
    "baselines.input.too_few_points": _too_few_points,
    "baselines.input.constant_driver": _constant_driver,
    "baselines.input.collinear_drivers": _collinear_driver,
    "baselines.sufficiency.short_baseline": _short_baseline,
    "baselines.sufficiency.short_baseline_months": _short_monthly,
    "baselines.sufficiency.low_coverage": _low_coverage,
    "baselines.sufficiency.narrow_temperature_range": _narrow_range,
    "baselines.model.no_qualified_model": _no_qualified_model,
    "baselines.model.g14_not_met": _g14_not_met,
    "baselines.model.insignificant_coefficient": _insignificant,
    "baselines.model.low_r_squared": _low_r_squared,
    "baselines.model.baseline_step_change": _baseline_step,
    "baselines.weather.monthly_normals": _monthly_normals,
    "baselines.savings.disqualified_model": _disqualified_model,
    "baselines.savings.unpredictable_periods": _unpredictable,
    "baselines.savings.temperature_extrapolation": _temperature_extrapolation,
    "baselines.savings.driver_extrapolation": _driver_extrapolation,
    "baselines.savings.non_routine_event": _non_routine_event,
    "baselines.savings.uncertainty_undefined": _uncertainty_undefined,
    "baselines.savings.uncertainty_too_high": _uncertainty_too_high,
}


def test_every_finding_code_has_a_scenario() -> None:
    codes = {key for key in catalogue() if key.startswith(FINDING_PREFIXES)}
    assert codes == set(SCENARIOS)


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_scenario_produces_its_finding(code: str) -> None:
    findings = SCENARIOS[code]()
    matching = [finding for finding in findings if finding.code == code]
    assert matching, [finding.code for finding in findings]
    finding = matching[0]
    for lang in ("vi", "en"):
        message = finding.message(lang)
        assert "{" not in message and message != code
    assert Finding.from_dict(finding.to_dict()) == finding


def test_clean_meter_has_no_warning() -> None:
    result = fit(_meter())
    assert [f.code for f in result.findings if f.severity != "info"] == []
    assert not result.is_disqualified


def test_reporting_period_overlapping_baseline_is_an_error() -> None:
    table = _meter(days=500)
    model = _change_point(fit(table.iloc[:365]))
    with pytest.raises(BaselineInputError, match="overlaps"):
        avoided_energy(model, table.iloc[300:])
    with pytest.raises(BaselineInputError, match="overlaps"):
        avoided_energy(model, table, reporting=Period(date(2023, 12, 1), date(2024, 3, 1)))


def test_reporting_temperatures_in_fahrenheit_are_an_error() -> None:
    table = _meter(days=500)
    model = _change_point(fit(table.iloc[:365]))
    reporting = table.iloc[365:].assign(temperature_c=lambda frame: frame["temperature_c"] * 9 / 5 + 32)
    with pytest.raises(BaselineInputError, match="°F"):
        avoided_energy(model, reporting)


@pytest.mark.parametrize(
    ("table", "match"),
    [
        (pd.DataFrame({"period_start": ["2023-01-01"], "energy": [1.0]}), "temperature_c"),
        (pd.DataFrame({"period_start": ["2023-01-01"] * 2, "energy": [1.0, 2.0], "temperature_c": [20.0, 21.0]}), "repeat"),
    ],
)
def test_bad_tables_are_errors(table: pd.DataFrame, match: str) -> None:
    with pytest.raises(BaselineInputError, match=match):
        fit(table)


def test_bad_options_are_errors() -> None:
    with pytest.raises(BaselineInputError, match="frequency"):
        fit(_meter(), frequency="weekly")
    with pytest.raises(BaselineInputError, match="YYYY-MM-DD"):
        Period.parse("2024-06-30:2024-01-01")
    with pytest.raises(BaselineInputError, match="YYYY-MM-DD"):
        Period.parse("last year")


def test_weather_file_in_fahrenheit_declared_as_celsius_is_an_error() -> None:
    text = "date,temperature_c\n2024-01-01,80.5\n2024-01-02,82.0\n"
    with pytest.raises(BaselineInputError, match="temperature_f"):
        read_temperature_csv(StringIO(text))
    converted = read_temperature_csv(StringIO(text.replace("temperature_c", "temperature_f")))
    assert converted["temperature_c"].iloc[0] == pytest.approx((80.5 - 32) * 5 / 9)


def test_model_documents_of_another_version_are_refused() -> None:
    document = model_to_dict(_change_point(fit(_meter())))
    with pytest.raises(ModelFormatError, match="version"):
        model_from_dict({**document, "format_version": 99})
    with pytest.raises(ModelFormatError, match="format"):
        model_from_dict({**document, "format": "other"})
    del document["statistics"]
    with pytest.raises(ModelFormatError, match="field"):
        model_from_dict(document)
