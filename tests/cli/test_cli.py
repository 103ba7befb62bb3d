"""The CLI as a user runs it: messages in two languages, errors without tracebacks."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest


def ecozone(*arguments: str, cwd: Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ECOZONE_LANG": lang, "COLUMNS": "200"}
    environment.pop("ECOZONE_WORKSPACE", None)
    return subprocess.run(
        [sys.executable, "-m", "ecozone", *arguments], cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


PARKS = """ma_kcn,ten_kcn,tinh,loai_hinh,trang_thai,tong_dien_tich_ha,dat_cong_nghiep_ha
p1,KCN Một,Bắc Ninh,general,Đang hoạt động,300,200
p2,KCN Hai,Đồng Nai,khu chế xuất,operating,150,160
"""


def test_commands_without_a_workspace_say_how_to_make_one(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PARKS, encoding="utf-8")
    result = ecozone("import", "parks", "p.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "ecozone init" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("lang", "words"), [("en", "nothing was written"), ("vi", "không có gì được ghi")])
def test_failed_import_prints_a_table_and_writes_a_report(tmp_path: Path, lang: str, words: str) -> None:
    (tmp_path / "p.csv").write_text(PARKS, encoding="utf-8")
    assert ecozone("init", cwd=tmp_path).returncode == 0
    result = ecozone("import", "parks", "p.csv", "--report", "errors.csv", cwd=tmp_path, lang=lang)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    with (tmp_path / "errors.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["row"], r["column"], r["value"]) for r in rows] == [("3", "dat_cong_nghiep_ha", "160.0")]
    assert ecozone("export", "parks", "out.csv", cwd=tmp_path).stdout.startswith("Exported 0")


def test_import_export_and_repeat(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PARKS.replace(",160\n", ",140\n"), encoding="utf-8")
    ecozone("init", cwd=tmp_path)
    first = ecozone("import", "parks", "p.csv", cwd=tmp_path)
    assert "2 new" in first.stdout, first.stderr
    assert "2 unchanged" in ecozone("import", "parks", "p.csv", cwd=tmp_path).stdout
    assert ecozone("export", "parks", "parks.geojson", cwd=tmp_path).returncode == 0
    assert "2 unchanged" in ecozone("import", "parks", "parks.geojson", cwd=tmp_path).stdout
    dry = ecozone("--lang", "vi", "import", "parks", "p.csv", "--dry-run", cwd=tmp_path)
    assert "chưa ghi gì" in dry.stdout


def test_workspace_option_and_environment(tmp_path: Path) -> None:
    result = ecozone("--workspace", str(tmp_path / "elsewhere"), "init", cwd=tmp_path)
    assert result.returncode == 0
    assert (tmp_path / "elsewhere" / "registry.sqlite").exists()
    assert not (tmp_path / "ecozone-data").exists()


def test_bad_database_url_is_a_clear_error(tmp_path: Path) -> None:
    result = ecozone("--db", "nosuchdb://x", "init", cwd=tmp_path)
    assert result.returncode == 2
    assert "Unusable database URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_demo_builds_and_is_idempotent(tmp_path: Path) -> None:
    first = ecozone("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "demo" in first.stdout
    again = ecozone("demo", cwd=tmp_path)
    assert again.returncode == 0
    entities = ("Parks", "Firms", "Meters", "Certifications")
    lines = [line for line in again.stdout.splitlines() if line.startswith("│") and line.split("│")[1].strip() in entities]
    assert len(lines) == 4
    assert all(line.split("│")[2].strip() == "0" for line in lines)  # nothing new the second time


@pytest.mark.postgres
def test_registry_in_postgresql_by_url(tmp_path: Path, fresh_postgresql_url: str) -> None:
    (tmp_path / "p.csv").write_text(PARKS.replace(",160\n", ",140\n"), encoding="utf-8")
    url = fresh_postgresql_url.replace("postgresql+psycopg://", "postgresql://")
    assert ecozone("--db", url, "init", cwd=tmp_path).returncode == 0
    result = ecozone("--db", url, "import", "parks", "p.csv", cwd=tmp_path)
    assert "2 new" in result.stdout, result.stderr
    assert not (tmp_path / "ecozone-data" / "registry.sqlite").exists()
    assert "2 unchanged" in ecozone("--db", url, "import", "parks", "p.csv", cwd=tmp_path).stdout
