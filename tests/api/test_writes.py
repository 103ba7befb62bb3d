"""Writes through the API: JSON records and uploaded files, validated as imports and checked row by row for rights."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from openpyxl import Workbook

from ecozone.store.registry_store import load_park
from ecozone.store.workspace import Workspace
from tests.api.conftest import DemoSite, auth

GOOD_ROW = "demo-f61,demo,Công ty Mới 61,2511,KR,120"
BAD_ROW = "demo-f62,demo,Công ty Mới 62,9999x,KR,-5"
HEADER = "id,park_id,name,vsic_code,investor_country,employees"


def _upload(client: TestClient, headers: dict[str, str], entity: str, name: str, content: bytes, **form: str) -> object:
    return client.post(
        f"/api/v1/registry/{entity}/upload", files={"file": (name, content, "text/csv")}, data=form, headers=headers
    )


def test_upload_with_one_bad_row_writes_nothing(client: TestClient, demo_site: DemoSite, demo_workspace: Workspace) -> None:
    before = len(load_park(demo_workspace, "demo").firms)
    content = f"{HEADER}\n{GOOD_ROW}\n{BAD_ROW}\n".encode()
    response = client.post(
        "/api/v1/registry/firms/upload",
        files={"file": ("firms.csv", content, "text/csv")},
        headers=auth(demo_site, "manager"),
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert {(d["row"], d["column"]) for d in details} == {(3, "vsic_code"), (3, "employees")}
    assert all(d["file"] == "firms.csv" for d in details)
    assert len(load_park(demo_workspace, "demo").firms) == before


def test_upload_accepted_then_repeated_changes_nothing(
    client: TestClient, demo_site: DemoSite, demo_workspace: Workspace
) -> None:
    content = f"{HEADER}\n{GOOD_ROW}\n".encode()
    headers = auth(demo_site, "manager")
    dry = client.post(
        "/api/v1/registry/firms/upload", files={"file": ("f.csv", content, "text/csv")}, data={"dry_run": "true"}, headers=headers
    )
    assert dry.json() == {
        "entity": "firm",
        "file": "f.csv",
        "rows": 1,
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "dry_run": True,
    }
    assert "demo-f61" not in {f.id for f in load_park(demo_workspace, "demo").firms}
    first = client.post("/api/v1/registry/firms/upload", files={"file": ("f.csv", content, "text/csv")}, headers=headers)
    assert first.status_code == 200 and first.json()["inserted"] == 1
    again = client.post("/api/v1/registry/firms/upload", files={"file": ("f.csv", content, "text/csv")}, headers=headers)
    assert again.json()["unchanged"] == 1 and again.json()["inserted"] == 0
    assert client.get("/api/v1/firms/demo-f61", headers=headers).json()["employees"] == 120


def test_vietnamese_columns_and_xlsx(client: TestClient, demo_site: DemoSite) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ma_dn", "ma_kcn", "ten_dn", "ma_nganh_vsic"])
    sheet.append(["demo-f63", "demo", "Công ty 63", "1010"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        "/api/v1/registry/firms/upload",
        files={"file": ("firms.xlsx", buffer.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")},
        headers=auth(demo_site, "manager"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["inserted"] == 1


def test_rows_of_other_parks_are_refused_without_leaking(client: TestClient, demo_site: DemoSite) -> None:
    content = (
        b"id,park_id,owner_kind,firm_id,carrier,unit,reading_kind\n"
        b"m-ok,demo,firm,demo-f01,water,m3,interval\n"
        b"m-hidden-firm,demo,firm,private-f1,water,m3,interval\n"
        b"m-other-park,private-park,park,,water,m3,interval\n"
        b"private-f1-electricity,demo,park,,electricity,kWh,interval\n"
    )
    response = client.post(
        "/api/v1/registry/meters/upload",
        files={"file": ("meters.csv", content, "text/csv")},
        headers=auth(demo_site, "manager"),
    )
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert [(d["row"], d["column"], d["code"]) for d in details] == [
        (3, "firm_id", "api.problem.not_permitted"),
        (4, "park_id", "api.problem.not_permitted"),
        (5, "id", "api.problem.not_permitted"),
    ]
    assert "private-park" not in str([d["reason"] for d in details])


def test_firm_users_write_only_their_firm(client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "tenant")
    own = "id,park_id,owner_kind,firm_id,carrier,unit,reading_kind\nt-water,demo,firm,demo-f01,water,m3,interval\n"
    assert _upload(client, headers, "meters", "m.csv", own.encode()).status_code == 200  # type: ignore[attr-defined]
    other = "id,park_id,owner_kind,firm_id,carrier,unit,reading_kind\nt-water-2,demo,firm,demo-f02,water,m3,interval\n"
    response = _upload(client, headers, "meters", "m.csv", other.encode())
    assert response.status_code == 422  # type: ignore[attr-defined]
    new_firm = f"{HEADER}\n{GOOD_ROW}\n"
    assert _upload(client, headers, "firms", "f.csv", new_firm.encode()).status_code == 422  # type: ignore[attr-defined]


def test_too_long_values_are_problems(client: TestClient, demo_site: DemoSite) -> None:
    content = f"{HEADER}\ndemo-f64,demo,{'x' * 400},25,VN,1\n".encode()
    response = _upload(client, auth(demo_site, "admin"), "firms", "f.csv", content)
    details = response.json()["error"]["details"]  # type: ignore[attr-defined]
    assert [(d["column"], d["code"]) for d in details] == [("name", "problem.too_long")]


def test_json_create_update_and_read_back(client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "manager")
    body = {"id": "demo-f70", "park_id": "demo", "name": "Công ty 70", "vsic_code": "2511", "employees": 12}
    created = client.post("/api/v1/firms", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json()["vsic_code"] == "2511"
    updated = client.patch("/api/v1/firms/demo-f70", json={"employees": 15, "investor_country": "Japan"}, headers=headers)
    assert updated.status_code == 200
    assert (updated.json()["employees"], updated.json()["investor_country"]) == (15, "JP")
    again = client.post("/api/v1/firms", json=body, headers=headers)
    assert again.status_code == 409


def test_park_update_validates_the_whole_record(client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "manager")
    park = client.get("/api/v1/parks/demo", headers=headers).json()
    response = client.patch("/api/v1/parks/demo", json={"industrial_land_ha": park["leased_land_ha"] - 1}, headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["code"] == "problem.not_greater"
    assert client.get("/api/v1/parks/demo", headers=headers).json() == park
    response = client.patch("/api/v1/parks/demo", json={"name_en": "Demo Green Park"}, headers=headers)
    assert response.status_code == 200
    assert response.json()["name_en"] == "Demo Green Park"
    assert response.json()["occupancy_pct"] == park["occupancy_pct"]


def test_publication_changes_who_sees_a_park(client: TestClient, demo_site: DemoSite) -> None:
    assert client.get("/api/v1/parks/private-park").status_code == 404
    assert client.put("/api/v1/parks/private-park/publication", headers=auth(demo_site, "other_manager")).status_code == 204
    shown = client.get("/api/v1/parks/private-park")
    assert shown.status_code == 200 and shown.json()["published"] is True
    assert client.delete("/api/v1/parks/private-park/publication", headers=auth(demo_site, "admin")).status_code == 204
    assert client.get("/api/v1/parks/private-park").status_code == 404


def test_certificate_recorded_then_updated(client: TestClient, demo_site: DemoSite) -> None:
    headers = auth(demo_site, "tenant")
    body = {"holder_kind": "doanh nghiệp", "holder_id": "demo-f01", "scheme": "ISO 50001", "valid_from": "15/01/2025"}
    first = client.put("/api/v1/certifications", json=body, headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["valid_from"] == "2025-01-15"
    second = client.put("/api/v1/certifications", json=body | {"issuer": "Quacert"}, headers=headers)
    assert second.status_code == 200 and second.json()["issuer"] == "Quacert"
    listed = client.get("/api/v1/firms/demo-f01/certifications", headers=headers).json()
    assert [c["issuer"] for c in listed if c["valid_from"] == "2025-01-15"] == ["Quacert"]
