"""A throwaway PostgreSQL server for the test suite, started by the tests themselves.

Enable it in ``tests/conftest.py`` with::

    pytest_plugins = ["tests.postgres_server"]

or on the command line with ``-p tests.postgres_server``.

Fixtures
--------
postgresql_server
    Session scope. The running :class:`PostgresServer` (port, URLs, database helpers).
postgresql_url
    Session scope. ``postgresql+psycopg://postgres@127.0.0.1:PORT/ecozone_test``, a database
    shared by the whole session.
fresh_postgresql_url
    Function scope. URL of a new, empty database made for one test and dropped after it.

Tests that use any of these fixtures are marked ``postgres`` automatically, so
``pytest -m "not postgres"`` leaves them out.

Environment
-----------
ECOZONE_PG_BIN
    Folder holding ``initdb``, ``pg_ctl`` and ``postgres``. Default: the highest version in
    ``/usr/lib/postgresql/*/bin``.
ECOZONE_PG_TMPDIR
    Parent of the server's temporary folder. Default: ``/dev/shm`` when it has room, else the
    system temporary folder. It must be reachable by the ``postgres`` user when running as root.
ECOZONE_SKIP_POSTGRES
    ``1`` skips the tests that need PostgreSQL when the binaries are missing. Without it they
    fail, so that CI never passes by silently skipping them.

The server runs as the ``postgres`` operating-system user when the tests run as root
(``initdb`` refuses root), listens on 127.0.0.1 only, keeps its Unix socket and data in a
temporary folder, and uses settings meant for tests (``fsync = off``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import psycopg
import pytest
from psycopg import sql

__all__ = [
    "PostgresServer",
    "find_postgres_bin",
    "fresh_database",
    "fresh_postgresql_url",
    "missing_postgres",
    "postgresql_server",
    "postgresql_url",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "remove_abandoned_folders",
    "running_server",
]

POSTGRES_GLOB_ROOT = Path("/usr/lib/postgresql")
SESSION_DATABASE = "ecozone_test"
SUPERUSER = "postgres"
SERVER_OS_USER = "postgres"
REQUIRED_PROGRAMS = ("initdb", "pg_ctl", "postgres")
START_TIMEOUT_S = 30
PORT_ATTEMPTS = 5
FOLDER_PREFIX = "ecozone-pg-"
OWNER_FILE = "owner.pid"
MEMORY_FOLDER = Path("/dev/shm")
MEMORY_FOLDER_MIN_FREE_BYTES = 1 << 30
POSTGRES_FIXTURES = frozenset({"postgresql_server", "postgresql_url", "fresh_postgresql_url"})

TEST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'16MB'",
    "max_connections": "50",
    "timezone": "'UTC'",
    "log_timezone": "'UTC'",
}

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found. "
    "Install them (Debian: `apt-get install -y postgresql`) or point ECOZONE_PG_BIN at their folder; "
    "set ECOZONE_SKIP_POSTGRES=1 to skip these tests instead. / "
    "Không tìm thấy chương trình máy chủ PostgreSQL (initdb, pg_ctl, postgres). "
    "Hãy cài đặt (Debian: `apt-get install -y postgresql`) hoặc đặt ECOZONE_PG_BIN trỏ tới thư mục chứa chúng; "
    "đặt ECOZONE_SKIP_POSTGRES=1 để bỏ qua các kiểm thử này."
)


class PostgresStartError(RuntimeError):
    """The throwaway server could not be initialised or started."""


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    """Sort key of ``/usr/lib/postgresql/<version>/bin`` by numeric version."""
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name))


def _has_programs(bin_dir: Path) -> bool:
    """Return whether ``bin_dir`` holds every program the server needs."""
    return all((bin_dir / program).is_file() for program in REQUIRED_PROGRAMS)


def find_postgres_bin(glob_root: Path = POSTGRES_GLOB_ROOT) -> Path | None:
    """Find the folder of the PostgreSQL server programs.

    Parameters
    ----------
    glob_root : Path
        Folder searched for ``*/bin`` when ``ECOZONE_PG_BIN`` is not set.

    Returns
    -------
    Path or None
        ``ECOZONE_PG_BIN`` when set and complete, else the highest version under ``glob_root``;
        ``None`` when no complete folder exists.
    """
    override = os.environ.get("ECOZONE_PG_BIN")
    if override:
        candidate = Path(override)
        return candidate if _has_programs(candidate) else None
    candidates = [path for path in glob_root.glob("*/bin") if _has_programs(path)]
    return max(candidates, key=_version_key) if candidates else None


def missing_postgres() -> NoReturn:
    """Fail the requesting test, or skip it when ``ECOZONE_SKIP_POSTGRES=1``."""
    searched = os.environ.get("ECOZONE_PG_BIN") or f"{POSTGRES_GLOB_ROOT}/*/bin"
    message = f"{INSTALL_HINT} [{searched}]"
    if os.environ.get("ECOZONE_SKIP_POSTGRES") == "1":
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _clean_environment() -> dict[str, str]:
    """Environment for the server programs: ours without ``PG*`` variables, messages in English."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
    environment["LC_MESSAGES"] = "C"
    return environment


def _server_user() -> dict[str, Any]:
    """Keyword arguments of :mod:`subprocess` that run a program as the ``postgres`` user when we are root."""
    if os.geteuid() != 0:
        return {}
    return {"user": SERVER_OS_USER, "group": SERVER_OS_USER, "extra_groups": []}


def _die_with_parent() -> list[str]:
    """Command prefix that makes Linux send SIGQUIT (immediate shutdown) to the server when pytest dies.

    Keeps a killed test run (SIGTERM, SIGKILL, CI timeout) from leaving a server behind. Uses
    ``setpriv --pdeathsig`` (util-linux); empty when ``setpriv`` is missing.
    """
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "QUIT", "--"] if setpriv else []


def _reap(process: subprocess.Popen[bytes]) -> None:
    """Wait for the postmaster to end; escalate to immediate shutdown (SIGQUIT), then SIGKILL."""
    try:
        process.wait(timeout=START_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class PostgresServer:
    """One throwaway PostgreSQL server in a temporary folder.

    Parameters
    ----------
    bin_dir : Path
        Folder holding ``initdb``, ``pg_ctl`` and ``postgres``.
    base_dir : Path
        Temporary folder for the data directory, the Unix socket and the log.
    """

    bin_dir: Path
    base_dir: Path
    port: int = 0
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def data_dir(self) -> Path:
        """Data directory (``PGDATA``)."""
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        """Server log."""
        return self.base_dir / "server.log"

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def connect_admin(self, database: str = "postgres") -> psycopg.Connection[tuple[object, ...]]:
        """Open an autocommit psycopg connection as the superuser."""
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True, connect_timeout=5
        )

    def _run(self, program: str, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run a server program as the server's operating-system user, capturing its output."""
        return subprocess.run(
            [str(self.bin_dir / program), *arguments],
            capture_output=True,
            text=True,
            check=False,
            cwd=self.base_dir,
            env=_clean_environment(),
            timeout=START_TIMEOUT_S * 2,
            **_server_user(),
        )

    def _hand_to_server_user(self) -> None:
        """Give the temporary folder to the ``postgres`` user when we run as root."""
        if os.geteuid() != 0:
            return
        try:
            account = pwd.getpwnam(SERVER_OS_USER)
        except KeyError as error:
            raise PostgresStartError(f"running as root needs an operating-system user {SERVER_OS_USER!r}") from error
        os.chown(self.base_dir, account.pw_uid, account.pw_gid)

    def initialise(self) -> None:
        """Create the cluster (UTF8, locale C, trust authentication) and write the test settings."""
        self._hand_to_server_user()
        result = self._run(
            "initdb",
            "--pgdata",
            str(self.data_dir),
            "--username",
            SUPERUSER,
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--auth",
            "trust",
            "--no-sync",
            "--no-instructions",
        )
        if result.returncode != 0:
            raise PostgresStartError(f"initdb failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        socket_dir = str(self.base_dir).replace("'", "''")
        settings = {"listen_addresses": "'127.0.0.1'", "unix_socket_directories": f"'{socket_dir}'", **TEST_SETTINGS}
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as config:
            config.write("\n# ecozone test settings\n" + lines)

    def _launch(self, port: int) -> subprocess.Popen[bytes]:
        """Run ``postgres`` on ``port`` as our own child, so that we reap it when it ends."""
        with self.log_file.open("ab") as log:
            return subprocess.Popen(
                [*_die_with_parent(), str(self.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.base_dir,
                env=_clean_environment(),
                **_server_user(),
            )

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> bool:
        """Connect in a loop until the server answers; return False if it exits first (port taken)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while process.poll() is None:
            try:
                with self.connect_admin() as connection:
                    connection.execute("SELECT 1")
                    return True
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise PostgresStartError(f"no answer after {START_TIMEOUT_S} s") from None
                time.sleep(0.05)
        return False

    def start(self) -> None:
        """Start the server on a free port and wait until it accepts connections."""
        for _ in range(PORT_ATTEMPTS):
            self.port = free_port()
            self._process = self._launch(self.port)
            atexit.register(self.stop)
            if self._wait_until_ready(self._process):
                return
        log = self.log_file.read_text(encoding="utf-8", errors="replace") if self.log_file.exists() else ""
        raise PostgresStartError(f"postgres failed to start {PORT_ATTEMPTS} times; server log:\n{log}")

    def _end_process(self) -> None:
        """Stop the postmaster (``pg_ctl stop -m fast``, then signals) and reap it."""
        process = self._process
        if process is None:
            return
        if process.poll() is None and (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "--pgdata", str(self.data_dir), "--mode", "fast", "--wait")
        _reap(process)
        self._process = None

    def stop(self) -> None:
        """Stop the server and remove the temporary folder. Idempotent."""
        self._end_process()
        atexit.unregister(self.stop)
        shutil.rmtree(self.base_dir, ignore_errors=True)

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database and return its name (a unique one when ``name`` is None)."""
        name = name or f"ecozone_t_{uuid.uuid4().hex[:16]}"
        with self.connect_admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, ending any connection still open to it."""
        with self.connect_admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def database_names(self) -> set[str]:
        """Names of the databases on the server, templates excluded."""
        with self.connect_admin() as connection:
            rows = connection.execute("SELECT datname FROM pg_database WHERE NOT datistemplate").fetchall()
        return {str(row[0]) for row in rows}


def server_parent_folder() -> Path:
    """Folder that receives the server's temporary folder.

    ``ECOZONE_PG_TMPDIR`` when set; else ``/dev/shm`` when it has 1 GiB free, because on a
    memory file system ``CREATE DATABASE`` takes milliseconds instead of a quarter second;
    else the system temporary folder.
    """
    override = os.environ.get("ECOZONE_PG_TMPDIR")
    if override:
        return Path(override)
    if MEMORY_FOLDER.is_dir() and os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        with contextlib.suppress(OSError):
            if shutil.disk_usage(MEMORY_FOLDER).free >= MEMORY_FOLDER_MIN_FREE_BYTES:
                return MEMORY_FOLDER
    return Path(tempfile.gettempdir())


def _process_alive(pid: int) -> bool:
    """Return whether process ``pid`` exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_folders(parent: Path) -> list[Path]:
    """Remove server folders left by test runs that were killed (their ``owner.pid`` process is gone).

    Parameters
    ----------
    parent : Path
        Folder holding ``ecozone-pg-*`` server folders.

    Returns
    -------
    list of Path
        The folders removed.
    """
    removed = []
    for folder in parent.glob(f"{FOLDER_PREFIX}*"):
        try:
            owner = int((folder / OWNER_FILE).read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if not _process_alive(owner):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def new_server_folder() -> Path:
    """Create the server's temporary folder, recording this process as its owner."""
    parent = server_parent_folder()
    remove_abandoned_folders(parent)
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=parent))
    (folder / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    return folder


@contextlib.contextmanager
def running_server(bin_dir: Path) -> Iterator[PostgresServer]:
    """Initialise and start a server in a new temporary folder; stop it and remove the folder on exit."""
    server = PostgresServer(bin_dir=bin_dir, base_dir=new_server_folder())
    try:
        server.initialise()
        server.start()
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def fresh_database(server: PostgresServer) -> Iterator[str]:
    """Create a uniquely named empty database, yield its URL, and drop it on exit."""
    name = server.create_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[PostgresServer]:
    """The session's throwaway PostgreSQL server."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        missing_postgres()
    try:
        with running_server(bin_dir) as server:
            yield server
    except PostgresStartError as error:
        pytest.fail(f"could not start the test PostgreSQL server: {error}", pytrace=False)


@pytest.fixture(scope="session")
def postgresql_url(postgresql_server: PostgresServer) -> str:
    """URL of the session database ``ecozone_test``, shared by every test of the session."""
    postgresql_server.create_database(SESSION_DATABASE)
    return postgresql_server.url(SESSION_DATABASE)


@pytest.fixture
def fresh_postgresql_url(postgresql_server: PostgresServer) -> Iterator[str]:
    """URL of a new empty database for one test, dropped after it."""
    with fresh_database(postgresql_server) as url:
        yield url


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``postgres`` marker (harmless when ``pyproject.toml`` registers it too)."""
    config.addinivalue_line("markers", "postgres: needs a PostgreSQL server (started by the tests)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a PostgreSQL fixture with ``postgres``."""
    for item in items:
        if POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
