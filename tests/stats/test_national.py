from __future__ import annotations

import csv
from importlib import resources

import pandas as pd
import pytest

from ecozone.errors import NotFoundError
from ecozone.stats.national import (
    COUNT_COLUMNS,
    MEASURE_COLUMNS,
    default_year,
    eip_programme_results,
    latest_year_end,
    national_series,
    period_end,
    provincial_aggregates,
)


def test_2023_year_end_figures_come_out_exactly() -> None:
    figures = latest_year_end(2023)
    assert figures["ips_established"]["value"] == 416
    assert figures["ips_operating"]["value"] == 296
    assert figures["industrial_land_ha"]["value"] == 89200
    assert figures["occupancy_all_established_pct"]["value"] == pytest.approx(57.7)
    assert figures["occupancy_operating_pct"]["value"] == pytest.approx(72.4)
    assert figures["ips_established"]["unit"] == "parks"
    assert figures["industrial_land_ha"]["unit"] == "ha"
    assert figures["occupancy_operating_pct"]["unit"] == "%"
    for figure in figures.values():
        assert figure["as_of"] == "2023-12"
        assert figure["precision"] == "year-end"
        assert figure["source_url"].startswith("https://www.vietdata.vn/")
        assert "VietData" in figure["source"]
        assert figure["status"] == "unverified"


def test_missing_figures_are_left_out_not_zero() -> None:
    figures = latest_year_end(2023)
    assert "operating_natural_area_ha" not in figures  # the 2023-12 row does not give it
    assert isinstance(figures["ips_established"]["value"], int)


def test_default_year_is_the_latest_year_end_row() -> None:
    assert default_year() == 2023
    assert latest_year_end() == latest_year_end(2023)


def test_year_without_year_end_row_uses_its_latest_observation() -> None:
    figures = latest_year_end(2019)
    assert figures["ips_established"]["value"] == 335
    assert figures["ips_established"]["as_of"] == "2019-11"
    assert figures["ips_established"]["precision"] == "month"


def test_year_without_figures_fails_helpfully() -> None:
    with pytest.raises(NotFoundError) as caught:
        latest_year_end(2018)
    assert "2018" in caught.value.message("en")
    assert "2023" in caught.value.message("vi")


def test_series_is_dated_in_order_with_undated_rows_last() -> None:
    series = national_series()
    assert len(series) == 14
    dated = series.loc[series["dated"]]
    undated = series.loc[~series["dated"]]
    assert list(undated["as_of"]) == ["c.2020-2021", "c.2021"]
    assert undated["period"].isna().all()
    assert (undated["precision"] == "undated").all()
    assert dated["period"].is_monotonic_increasing
    assert list(series.index[: len(dated)]) == list(dated.index)
    assert dated.iloc[0]["as_of"] == "2015-09"


def test_series_columns_are_typed() -> None:
    series = national_series()
    for name in COUNT_COLUMNS:
        assert str(series[name].dtype) == "Int64", name
    for name in MEASURE_COLUMNS:
        assert str(series[name].dtype) == "Float64", name
    assert pd.api.types.is_datetime64_any_dtype(series["period"])
    row = series.loc[series["as_of"] == "2016-06"].iloc[0]
    assert row["ips_operating"] == 218
    assert row["leased_industrial_land_ha"] == 28500
    assert pd.isna(row["ips_planned_total"])


def test_series_is_a_copy() -> None:
    series = national_series()
    series.loc[0, "notes"] = "changed"
    assert national_series().loc[0, "notes"] != "changed"


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2023-12", "2023-12-31"), ("2016-06", "2016-06-30"), ("2024-02", "2024-02-29"), ("2022", "2022-12-31")],
)
def test_period_end(as_of: str, expected: str) -> None:
    assert period_end(as_of) == pd.Timestamp(expected)


@pytest.mark.parametrize("as_of", ["c.2021", "c.2020-2021", "", "2019-06-01"])
def test_period_end_of_undated_text(as_of: str) -> None:
    assert period_end(as_of) is None


@pytest.mark.parametrize("name", ["ip_headline_statistics.csv", "provincial_ip_aggregates.csv", "unido_eip_vietnam_results.csv"])
def test_shipped_tables_carry_source_edition_status(name: str) -> None:
    text = resources.files("ecozone.stats").joinpath("data", name).read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    header = text.splitlines()[0].split(",")
    for column in ("source", "source_url", "edition", "status"):
        assert column in header
    for row in rows:
        assert row["status"] in ("verified", "unverified")
        assert row["source_url"].startswith(("http://", "https://"))
        assert row["source"]
        assert row["edition"]


def test_only_the_official_provincial_row_is_verified() -> None:
    aggregates = provincial_aggregates()
    verified = aggregates.loc[aggregates["status"] == "verified"]
    assert len(verified) == 1
    assert verified.iloc[0]["source_url"].startswith("https://dpi.ninhbinh.gov.vn/")
    assert verified.iloc[0]["occupancy_pct"] == pytest.approx(97.83)
    assert (national_series()["status"] == "unverified").all()
    assert (eip_programme_results()["status"] == "unverified").all()


def test_provincial_occupancy_is_consistent_with_its_areas() -> None:
    """Ninh Binh: leased / leasable = 680.76 / 695.8 = 97.84 %, published 97.83 %."""
    row = provincial_aggregates().set_index("source_publisher").filter(like="Ninh Binh", axis=0).iloc[0]
    assert 100 * row["leased_ha"] / row["leasable_ha"] == pytest.approx(row["occupancy_pct"], abs=0.02)


def test_eip_programme_results() -> None:
    results = eip_programme_results()
    enterprises = results.loc[results["metric"] == "enterprises implementing RECP"].iloc[0]
    assert enterprises["value"] == 72
    assert enterprises["unit"] == "enterprises"
