from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ecozone.cli.main import app
from ecozone.errors import ConfigurationError, FileFormatError
from ecozone.store.snapshot import RegistrySnapshot
from ecozone.store.workspace import Workspace
from tests.stats.snapshots import crafted_snapshot

runner = CliRunner()


@pytest.fixture(autouse=True)
def _wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich wraps at 80 columns when not on a terminal; widen it so that names stay on one line."""
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def crafted_registry(monkeypatch: pytest.MonkeyPatch, sqlite_workspace: Workspace) -> Workspace:
    """An initialised workspace whose registry loads as the crafted snapshot."""

    def load_registry(workspace: Workspace) -> RegistrySnapshot:
        assert workspace.path == sqlite_workspace.path
        return crafted_snapshot()

    monkeypatch.setattr("ecozone.store.registry_store.load_registry", load_registry)
    return sqlite_workspace


def test_json_document(crafted_registry: Workspace) -> None:
    result = runner.invoke(app, ["--workspace", str(crafted_registry.path), "stats", "--json", "--layout", "2008"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["national"]) == 14
    first = document["national"][0]
    assert (first["as_of"], first["period"], first["ips_established"], first["ips_operating"]) == (
        "2015-09",
        "2015-09-30",
        299,
        None,
    )
    assert document["latest"]["year"] == 2023
    figures = document["latest"]["figures"]
    assert (figures["ips_established"]["value"], figures["ips_operating"]["value"]) == (416, 296)
    assert figures["industrial_land_ha"]["value"] == 89200
    assert figures["industrial_land_ha"]["source_url"].startswith("https://")
    registry = document["registry"]
    assert registry["layout"] == "2008"
    assert registry["totals"]["parks"] == 4
    assert [row["key"] for row in registry["by_province"]] == ["74", "79", "unknown"]
    assert registry["by_province"][0]["industrial_land_ha"] == 500
    assert [row["parks"] for row in registry["by_status"]] == [1, 1, 2]
    assert registry["by_type"][-1] == {**registry["by_type"][-1], "key": "high_tech", "total_area_ha": None}


def test_json_without_workspace_has_no_registry(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(tmp_path / "none"), "stats", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["registry"] is None


def test_tables_in_vietnamese(crafted_registry: Workspace) -> None:
    result = runner.invoke(app, ["--workspace", str(crafted_registry.path), "--lang", "vi", "stats", "--by", "status"])
    assert result.exit_code == 0, result.output
    assert "Khu công nghiệp cả nước" in result.stdout
    assert "Số liệu cuối năm 2023" in result.stdout
    assert "89.200" in result.stdout
    assert "Đang hoạt động" in result.stdout
    assert "Thiếu số liệu" in result.stdout


def test_tables_in_english_by_province(crafted_registry: Workspace) -> None:
    result = runner.invoke(app, ["--workspace", str(crafted_registry.path), "--lang", "en", "stats"])
    assert result.exit_code == 0, result.output
    assert "Industrial parks nationwide" in result.stdout
    assert "Thành phố Hồ Chí Minh" in result.stdout
    assert "89,200" in result.stdout


def test_real_empty_registry(sqlite_workspace: Workspace) -> None:
    result = runner.invoke(app, ["--workspace", str(sqlite_workspace.path), "--lang", "en", "stats"])
    assert result.exit_code == 0, result.output
    assert "The registry holds no parks yet." in result.stdout


def test_html_map(crafted_registry: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    args = ["--workspace", str(crafted_registry.path), "stats", "--map", str(target), "--map-metric", "industrial_land_ha"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.count("<path") == 34
    assert "Thành phố Hồ Chí Minh (79) — Industrial land (ha): 580" in page
    assert "Map written to" in result.stdout


def test_png_map_with_json_keeps_stdout_json(crafted_registry: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "map.png"
    result = runner.invoke(
        app, ["--workspace", str(crafted_registry.path), "stats", "--json", "--map", str(target), "--layout", "2008"]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    json.loads(result.stdout)


def test_unknown_map_suffix_is_a_bilingual_error(crafted_registry: Workspace, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(crafted_registry.path), "stats", "--map", str(tmp_path / "map.svg")])
    assert isinstance(result.exception, FileFormatError)
    assert "'.svg' is not supported (use .png, .html)" in result.exception.message("en")
    assert "đuôi tệp '.svg' không được hỗ trợ" in result.exception.message("vi")
    assert not (tmp_path / "map.svg").exists()


def test_map_without_workspace_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(tmp_path / "none"), "stats", "--map", str(tmp_path / "m.png")])
    assert isinstance(result.exception, ConfigurationError)
    assert "ecozone init" in result.exception.message("vi")


def test_unknown_layout_is_rejected(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--workspace", str(tmp_path / "none"), "stats", "--layout", "1976"])
    assert result.exception is not None
    assert "2008, 2025" in str(result.exception)
