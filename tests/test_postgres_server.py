"""The throwaway PostgreSQL server of ``tests/postgres_server.py`` works and isolates tests."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tests.postgres_server import (
    PostgresServer,
    find_postgres_bin,
    fresh_database,
    missing_postgres,
    remove_abandoned_folders,
)


def _table_names(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        return sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_fresh_database_round_trip(fresh_postgresql_url: str) -> None:
    metadata = sa.MetaData()
    meter = sa.Table(
        "meter",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("energy_kwh", sa.Float, nullable=False),
    )
    engine = sa.create_engine(fresh_postgresql_url)
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                sa.insert(meter),
                [{"name": "Nhà máy điện mặt trời", "energy_kwh": 1250.5}, {"name": "boiler", "energy_kwh": 75.25}],
            )
        with engine.connect() as connection:
            rows = connection.execute(sa.select(meter.c.name, meter.c.energy_kwh).order_by(meter.c.id)).all()
            total = connection.execute(sa.select(sa.func.sum(meter.c.energy_kwh))).scalar_one()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [("Nhà máy điện mặt trời", 1250.5), ("boiler", 75.25)]
    assert total == pytest.approx(1325.75)


def test_fresh_database_is_empty_and_apart_from_session_database(fresh_postgresql_url: str, postgresql_url: str) -> None:
    assert fresh_postgresql_url != postgresql_url
    assert _table_names(fresh_postgresql_url) == []
    engine = sa.create_engine(fresh_postgresql_url)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE only_here (id integer)"))
    finally:
        engine.dispose()
    assert _table_names(fresh_postgresql_url) == ["only_here"]
    assert "only_here" not in _table_names(postgresql_url)


def test_two_fresh_databases_are_distinct(postgresql_server: PostgresServer) -> None:
    with fresh_database(postgresql_server) as first, fresh_database(postgresql_server) as second:
        assert first != second
        engine = sa.create_engine(first)
        try:
            with engine.begin() as connection:
                connection.execute(sa.text("CREATE TABLE in_first (id integer)"))
        finally:
            engine.dispose()
        assert _table_names(first) == ["in_first"]
        assert _table_names(second) == []


def test_fresh_database_is_dropped_even_with_an_open_connection(postgresql_server: PostgresServer) -> None:
    with fresh_database(postgresql_server) as url:
        name = url.rsplit("/", 1)[1]
        assert name in postgresql_server.database_names()
        lingering = psycopg.connect(host="127.0.0.1", port=postgresql_server.port, user="postgres", dbname=name)
    try:
        assert name not in postgresql_server.database_names()
        with pytest.raises(psycopg.OperationalError):
            lingering.execute("SELECT 1")
    finally:
        lingering.close()


def test_session_url_and_server_settings(
    postgresql_url: str, postgresql_server: PostgresServer, request: pytest.FixtureRequest
) -> None:
    assert request.node.get_closest_marker("postgres") is not None
    assert postgresql_url == f"postgresql+psycopg://postgres@127.0.0.1:{postgresql_server.port}/ecozone_test"
    with postgresql_server.connect_admin("ecozone_test") as connection:
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()
            for name in ("listen_addresses", "fsync", "max_connections", "server_encoding", "lc_collate", "TimeZone")
        }
    assert {name: row[0] if row else None for name, row in settings.items()} == {
        "listen_addresses": "127.0.0.1",
        "fsync": "off",
        "max_connections": "50",
        "server_encoding": "UTF8",
        "lc_collate": "C",
        "TimeZone": "UTC",
    }
    assert postgresql_server.data_dir.is_relative_to(postgresql_server.base_dir)


def test_find_postgres_bin_prefers_highest_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    assert request.node.get_closest_marker("postgres") is None
    monkeypatch.delenv("ECOZONE_PG_BIN", raising=False)
    for version in ("9.6", "15", "16", "100"):
        bin_dir = tmp_path / version / "bin"
        bin_dir.mkdir(parents=True)
        for program in ("initdb", "pg_ctl", "postgres"):
            (bin_dir / program).touch()
    (tmp_path / "200" / "bin").mkdir(parents=True)  # incomplete: ignored
    assert find_postgres_bin(tmp_path) == tmp_path / "100" / "bin"
    assert find_postgres_bin(tmp_path / "nothing-here") is None


def test_find_postgres_bin_honours_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOZONE_PG_BIN", str(tmp_path))
    assert find_postgres_bin() is None
    for program in ("initdb", "pg_ctl", "postgres"):
        (tmp_path / program).touch()
    assert find_postgres_bin() == tmp_path


def test_missing_binaries_fail_unless_skip_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ECOZONE_SKIP_POSTGRES", raising=False)
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y postgresql"):
        missing_postgres()
    monkeypatch.setenv("ECOZONE_SKIP_POSTGRES", "1")
    with pytest.raises(pytest.skip.Exception, match="ECOZONE_SKIP_POSTGRES"):
        missing_postgres()


def test_remove_abandoned_folders_keeps_live_and_unknown_owners(tmp_path: Path) -> None:
    finished = subprocess.Popen(["true"])
    finished.wait()
    folders = {name: tmp_path / f"ecozone-pg-{name}" for name in ("dead", "alive", "unknown")}
    for folder in folders.values():
        folder.mkdir()
    (folders["dead"] / "owner.pid").write_text(str(finished.pid), encoding="ascii")
    (folders["alive"] / "owner.pid").write_text(str(os.getpid()), encoding="ascii")
    (tmp_path / "not-ours").mkdir()
    assert remove_abandoned_folders(tmp_path) == [folders["dead"]]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["ecozone-pg-alive", "ecozone-pg-unknown", "not-ours"]
