"""Dashboard sections of the firm page (meter data quality, baseline and savings) and of the park overview (symbiosis, MACC).

Readings are written straight into the dataset with chosen flags, so every share on the page is checked
against a hand count; grants and denials follow the readings, baselines, symbiosis and plans routers.
"""

from __future__ import annotations

import html as html_module
import json
import math
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from ecozone.i18n import translate
from ecozone.meters.dataset import WRITE_COLUMNS, write_readings
from ecozone.meters.quality import ReadingFlag
from ecozone.store.database import dispose_engine
from ecozone.store.workspace import Workspace
from ecozone.web.engine_pages import latest_year_quality, macc_rows
from tests.api.conftest import DemoSite, auth, embedded_workspace, make_client

WATER = "demo-f01-water"
ELECTRICITY = "demo-f01-electricity"
OTHER_WATER = "demo-f02-water"
# demo-f01-water: three readings of 2023 (ignored: not the latest year), then ten of 2024 in Viet Nam time —
# the first at 2023-12-31 18:00 UTC, i.e. 2024-01-01 01:00 local. Two of the ten carry shown flags: one
# negative, one spike + estimated; a third carries only ROLLOVER, which is not a shown kind.
WATER_2024_FLAGS = [0, 0, int(ReadingFlag.NEGATIVE), 0, 0, 0, int(ReadingFlag.SPIKE | ReadingFlag.ESTIMATED), 0, 0, 64]
BASELINE_DAYS = 365
REPORTING_DAYS = 91  # 2024-01-01 … 2024-03-31
BASE_KWH = 1000.0
SAVED_KWH_PER_DAY = 100.0


def _rows(
    meter_id: str,
    firm_id: str,
    carrier: str,
    unit: str,
    times: list[datetime],
    values: list[float],
    flags: list[int],
    interval: int,
) -> dict[str, list[Any]]:
    count = len(times)
    return {
        "park_id": ["demo"] * count,
        "meter_id": [meter_id] * count,
        "firm_id": [firm_id] * count,
        "carrier": [carrier] * count,
        "unit": [unit] * count,
        "ts_utc": times,
        "interval_minutes": [interval] * count,
        "value": values,
        "register_value": [None] * count,
        "flags": flags,
        "source_hash": ["test"] * count,
    }


def _table(parts: list[dict[str, list[Any]]]) -> pa.Table:
    merged = {name: [value for part in parts for value in part[name]] for name in WRITE_COLUMNS}
    schema = pa.schema(
        [
            ("park_id", pa.string()),
            ("meter_id", pa.string()),
            ("firm_id", pa.string()),
            ("carrier", pa.string()),
            ("unit", pa.string()),
            ("ts_utc", pa.timestamp("us")),
            ("interval_minutes", pa.int32()),
            ("value", pa.float64()),
            ("register_value", pa.float64()),
            ("flags", pa.int16()),
            ("source_hash", pa.string()),
        ]
    )
    return pa.table(merged, schema=schema)


def daily_kwh(day: int) -> float:
    """Daily electricity of the baseline year [kWh]: 1 000 kWh with a small weekly pattern (mean zero over a week)."""
    return BASE_KWH + 30.0 * math.sin(2.0 * math.pi * day / 7.0)


def write_test_readings(workspace: Workspace) -> None:
    """Water readings of the hand count, daily electricity for the baseline (2023) and reporting (2024 Q1) periods."""
    old = [datetime(2023, 6, 1, 0) + timedelta(days=i) for i in range(3)]
    new = [datetime(2023, 12, 31, 18)] + [datetime(2024, 6, 1, 0) + timedelta(days=i) for i in range(9)]
    water = _rows(
        WATER, "demo-f01", "water_withdrawal", "m3", old + new, [5.0] * 13, [int(ReadingFlag.GAP)] * 3 + WATER_2024_FLAGS, 1440
    )
    other = _rows(OTHER_WATER, "demo-f02", "water_withdrawal", "m3", new[:4], [7.0] * 4, [int(ReadingFlag.GAP)] * 4, 1440)
    start = datetime(2022, 12, 31, 17)  # local midnight of 2023-01-01
    days = [start + timedelta(days=i) for i in range(BASELINE_DAYS + REPORTING_DAYS)]
    kwh = [daily_kwh(i) - (SAVED_KWH_PER_DAY if i >= BASELINE_DAYS else 0.0) for i in range(len(days))]
    electricity = _rows(ELECTRICITY, "demo-f01", "electricity", "kWh", days, kwh, [0] * len(days), 1440)
    write_readings(workspace.readings_path, _table([water, other, electricity]))


def store_macc_job(workspace: Workspace) -> None:
    """A finished ``plan_macc`` job of the demo park with three measures (one without a cost)."""
    from ecozone.store.accounts_store import create_job, finish_job

    measures = [
        {
            "measure_id": "pv_rooftop",
            "name_en": "Rooftop PV",
            "name_vi": "Điện mặt trời mái nhà",
            "firms": 3,
            "capex_vnd": 2e9,
            "levelised_abatement_t_per_yr": 500.0,
            "npv_vnd": 1e9,
            "cost_vnd_per_t": -2_000_000.0,
        },
        {
            "measure_id": "led_lighting",
            "name_en": "LED lighting",
            "name_vi": "Chiếu sáng LED",
            "firms": 4,
            "capex_vnd": 1e8,
            "levelised_abatement_t_per_yr": 40.0,
            "npv_vnd": 2e8,
            "cost_vnd_per_t": -3_500_000.0,
        },
        {
            "measure_id": "mystery",
            "name_en": "No cost",
            "name_vi": "Không có chi phí",
            "firms": 1,
            "capex_vnd": None,
            "levelised_abatement_t_per_yr": None,
            "npv_vnd": None,
            "cost_vnd_per_t": None,
        },
    ]
    job = create_job(workspace, "plan_macc", None, {"park_id": "demo", "year": None, "grid_scenario": None})
    finish_job(
        workspace,
        job.id,
        {
            "park_id": "demo",
            "measures": measures,
            "options": [],
            "excluded": [],
            "notes": {"vi": ["Ghi chú thử"], "en": ["Test note"]},
        },
    )


@pytest.fixture(scope="module")
def site(demo_site: DemoSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Workspace]]:
    """The demo workspace with the test readings, a fitted baseline of demo-f01's electricity and a stored MACC job."""
    workspace = demo_site.copy_to(tmp_path_factory.mktemp("web-firm") / "ws")
    write_test_readings(workspace)
    store_macc_job(workspace)
    with make_client(workspace) as client:
        response = client.post(
            f"/api/v1/meters/{ELECTRICITY}/baseline",
            json={"baseline": "2023-01-01:2023-12-31"},
            headers=auth(demo_site, "manager"),
        )
        assert response.status_code == 200, response.text
        assert response.json()["model"] is not None, response.text
        yield client, workspace
    dispose_engine(workspace.database_url)


def _get(client: TestClient, site: DemoSite, role: str | None, url: str) -> tuple[int, str]:
    response = client.get(url, headers=auth(site, role) | {"Accept-Language": "en"}, follow_redirects=False)
    return response.status_code, response.text


def _row(page: str, meter_id: str) -> dict[str, str]:
    match = re.search(rf'<tr data-meter="{re.escape(meter_id)}">(.*?)</tr>', page, re.S)
    assert match, meter_id
    cells = dict(re.findall(r'data-share="(\w+)">([^<]*)<', match.group(1)))
    numbers = re.findall(r'<td class="num">([^<]*)</td>', match.group(1))
    return cells | {"year": numbers[0], "readings": numbers[1]}


def test_latest_year_quality_keeps_the_newest_year() -> None:
    counts = pd.DataFrame(
        {"meter_id": ["m", "m"], "year": [2023, 2024], "readings": [3, 10], "flagged": [3, 2]}
        | {name: [0, 0] for name in ("gap", "duplicate", "negative", "spike", "stuck", "estimated")}
    )
    counts.loc[1, ["negative", "spike", "estimated"]] = 1
    quality = latest_year_quality(counts)["m"]
    assert (quality.year, quality.readings, quality.flagged) == (2024, 10, 2)
    assert quality.flagged_share == pytest.approx(0.2) and quality.share("spike") == pytest.approx(0.1)


def test_firm_quality_matches_the_hand_count(site: tuple[TestClient, Workspace], demo_site: DemoSite) -> None:
    client, _ = site
    status, page = _get(client, demo_site, "tenant", "/firms/demo-f01?lang=en")
    assert status == 200
    assert translate("web_firm.quality.heading", "en") in page
    water = _row(page, WATER)
    # 10 readings of local 2024, 2 with shown flags → 20 %; one negative, one spike and estimated → 10 % each
    assert water["year"] == "2024" and water["readings"] == "10"
    assert water["flagged"] == "20.0 %"
    assert (water["negative"], water["spike"], water["estimated"]) == ("10.0 %", "10.0 %", "10.0 %")
    assert (water["gap"], water["duplicate"], water["stuck"]) == ("0.0 %", "0.0 %", "0.0 %")
    electricity = _row(page, ELECTRICITY)
    assert electricity["readings"] == str(REPORTING_DAYS) and electricity["flagged"] == "0.0 %"
    assert OTHER_WATER not in page


def test_firm_quality_in_vietnamese_numbers(site: tuple[TestClient, Workspace], demo_site: DemoSite) -> None:
    client, _ = site
    _, page = _get(client, demo_site, "manager", "/firms/demo-f01?lang=vi")
    assert translate("web_firm.quality.heading", "vi") in page
    assert _row(page, WATER)["flagged"] == "20,0 %"


@pytest.mark.parametrize(
    ("role", "firm", "allowed"),
    [
        ("tenant", "demo-f01", True),
        ("tenant", "demo-f02", False),
        ("other_tenant", "demo-f02", True),
        ("other_tenant", "demo-f01", False),
        ("manager", "demo-f01", True),
        ("manager", "demo-f02", True),
        ("admin", "demo-f02", True),
        ("investor", "demo-f01", False),
        ("public", "demo-f01", False),
        ("other_manager", "demo-f01", False),
        (None, "demo-f01", False),
    ],
)
def test_firm_quality_rights(
    site: tuple[TestClient, Workspace], demo_site: DemoSite, role: str | None, firm: str, allowed: bool
) -> None:
    client, _ = site
    status, page = _get(client, demo_site, role, f"/firms/{firm}?lang=en")
    if allowed:
        assert status == 200 and 'id="firm-quality"' in page
        own = WATER if firm == "demo-f01" else OTHER_WATER
        assert f'data-meter="{own}"' in page
    else:
        assert status in (302, 303, 401, 403, 404), status
        assert 'id="firm-quality"' not in page and "data-meter=" not in page


def test_firm_baseline_and_savings(site: tuple[TestClient, Workspace], demo_site: DemoSite) -> None:
    client, _ = site
    status, page = _get(client, demo_site, "tenant", "/firms/demo-f01?lang=en")
    assert status == 200 and 'id="firm-baselines"' in page
    assert translate("web_firm.savings.heading", "en", start="2024-01-01", end="2024-03-31") in page
    savings_text = re.search(r'data-stat="savings">([^<]*)<', page).group(1)  # type: ignore[union-attr]
    savings = float(savings_text.replace(",", "").strip())
    # the reporting days use 100 kWh a day less than the baseline level: about 9 100 kWh over 91 days
    assert savings == pytest.approx(SAVED_KWH_PER_DAY * REPORTING_DAYS, rel=0.05)
    u68 = float(re.search(r'data-stat="u68">± ([^<]*)<', page).group(1).replace(",", ""))  # type: ignore[union-attr]
    u90 = float(re.search(r'data-stat="u90">± ([^<]*)<', page).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert 0 < u68 < u90
    assert translate("web_firm.baseline.g14", "en") in page
    found = re.search(r'class="chart chart-small savings-chart"[^>]*data-chart="([^"]+)"', page)
    assert found is not None
    chart = json.loads(html_module.unescape(found.group(1)))
    assert len(chart["observed"]) == len(chart["counterfactual"]) == REPORTING_DAYS
    assert chart["labels"][0] == "2024-01-01"
    # the other firm's user sees no baseline of demo-f01 (the page itself is denied)
    assert 'id="firm-baselines"' not in _get(client, demo_site, "other_tenant", "/firms/demo-f01")[1]


def test_macc_rows_cheapest_first() -> None:
    rows = macc_rows(
        [
            {"measure_id": "a", "name_en": "A", "cost_vnd_per_t": 5.0},
            {"measure_id": "b", "name_en": "B", "cost_vnd_per_t": None},
            {"measure_id": "c", "name_en": "C", "name_vi": "C vi", "cost_vnd_per_t": -1.0},
        ],
        "vi",
        top=2,
    )
    assert [row["measure_id"] for row in rows] == ["c", "a"] and rows[0]["name"] == "C vi" and rows[1]["name"] == "A"


def test_park_plan_section_for_managers_only(site: tuple[TestClient, Workspace], demo_site: DemoSite) -> None:
    client, _ = site
    status, page = _get(client, demo_site, "manager", "/parks/demo?lang=en")
    assert status == 200 and 'id="macc-table"' in page
    measures = re.findall(r'<tr data-measure="([^"]+)">', page)
    assert measures == ["led_lighting", "pv_rooftop", "mystery"]  # −3.5 M, −2 M VND/t, then no cost
    assert "-3,500,000" in page and "Test note" in page
    assert 'id="park-symbiosis"' not in page  # no stream catalogue stored yet
    for role in ("tenant", "investor", "public", "other_manager", None):
        _, other = _get(client, demo_site, role, "/parks/demo?lang=en")
        assert 'id="plans"' not in other and 'id="macc-table"' not in other and "run-macc" not in other, role


def test_park_symbiosis_section_and_job_button(site: tuple[TestClient, Workspace], demo_site: DemoSite) -> None:
    from ecozone.demo.streams import demo_streams
    from ecozone.registry.files import RawTable
    from ecozone.store.registry_store import load_park
    from ecozone.store.symbiosis_store import import_streams, load_streams

    client, workspace = site
    workspace = embedded_workspace(workspace.path)
    import_streams(workspace, RawTable.from_records("demo-streams", demo_streams(load_park(workspace, "demo"))))
    streams = load_streams(workspace, "demo")
    status, page = _get(client, demo_site, "manager", "/parks/demo?lang=en")
    assert status == 200 and 'id="park-symbiosis"' in page
    outputs = sum(1 for s in streams if s.direction == "output")
    inputs = len(streams) - outputs
    assert f'data-stat="streams">{outputs} / {inputs}<' in page
    assert int(re.search(r'data-stat="candidates">([^<]*)<', page).group(1)) > 0  # type: ignore[union-attr]
    assert translate("web_firm.symbiosis.no_network", "en", park="demo") in page
    for role in ("tenant", "investor"):
        assert 'id="park-symbiosis"' not in _get(client, demo_site, role, "/parks/demo")[1]
    # only the park's managers may queue the optimisation; unknown actions are refused
    denied = client.post(
        "/parks/demo/plans/run", data={"action": "symbiosis_optimise"}, headers=auth(demo_site, "tenant"), follow_redirects=False
    )
    assert denied.status_code == 403
    wrong = client.post(
        "/parks/demo/plans/run", data={"action": "rm -rf"}, headers=auth(demo_site, "manager"), follow_redirects=False
    )
    assert wrong.status_code == 422
    queued = client.post(
        "/parks/demo/plans/run", data={"action": "symbiosis_optimise"}, headers=auth(demo_site, "manager"), follow_redirects=False
    )
    assert queued.status_code == 303 and queued.headers["location"] == "/parks/demo#plans"
    job_id = next(
        job["id"]
        for job in client.get("/api/v1/jobs", headers=auth(demo_site, "manager")).json()
        if job["kind"] == "symbiosis_optimise"
    )
    for _ in range(300):
        job = client.get(f"/api/v1/jobs/{job_id}", headers=auth(demo_site, "manager")).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.05)
    assert job["status"] == "succeeded", job
    metrics = job["result"]["metrics"]
    _, page = _get(client, demo_site, "manager", "/parks/demo?lang=en")
    assert f'data-stat="links">{metrics["links"]}<' in page
    assert f'data-stat="tco2e">{metrics["tco2e_avoided"]:,.0f} ' in page


def test_firm_catalogue_is_bilingual() -> None:
    import yaml

    from ecozone.i18n import __file__ as i18n_file

    catalogue = yaml.safe_load((Path(i18n_file).parent / "messages_web_firm.yaml").read_text(encoding="utf-8"))
    assert catalogue and all(set(texts) == {"vi", "en"} and texts["vi"] and texts["en"] for texts in catalogue.values())


def test_firm_sections_hidden_without_data(client: TestClient, demo_site: DemoSite) -> None:
    """A workspace without readings, baselines, streams or plan jobs shows none of the new sections."""
    status, page = _get(client, demo_site, "tenant", "/firms/demo-f01?lang=en")
    assert status == 200 and 'id="meter-list"' in page
    assert 'id="firm-quality"' not in page and 'id="firm-baselines"' not in page
    status, park = _get(client, demo_site, "manager", "/parks/demo?lang=en")
    assert status == 200 and 'id="park-symbiosis"' not in park and 'id="macc-table"' not in park
    assert translate("web_firm.plan.none", "en", park="demo") in park and 'id="run-macc"' in park
