"""Load benchmark of the API: 50 concurrent users on the park overview, registry and national reads.

Builds a demo workspace in a temporary folder, starts ``uvicorn`` on a free port of 127.0.0.1
(only loopback is ever contacted), and runs a bounded number of seconds of traffic from an
asyncio load generator (each simulated user: request, then think time, as locust users do).
Prints requests/s, p50/p95/p99 latency and errors per endpoint and overall; ``--json`` prints one
JSON object with ``rps``, ``p50_ms``, ``p95_ms``, ``p99_ms``, ``errors`` and the settings.

Target (issue 9): p99 ≤ 200 ms with 50 concurrent users and no errors on this 2-core machine.

Usage::

    .venv/bin/python benchmarks/api_load.py [--users 50] [--duration 20] [--workers 1] [--think 0.5 1.5] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2

LOOPBACK = "127.0.0.1"
ENDPOINTS = {
    "park_overview": "/api/v1/parks/demo/overview",
    "registry_firm": "/api/v1/firms/demo-f01",
    "registry_firms": "/api/v1/parks/demo/firms",
    "national_provinces": "/api/v1/national/provinces",
    "national_statistics": "/api/v1/national/statistics",
}


@dataclass
class Tally:
    """Latencies [s] and errors of one endpoint."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of ``values`` (``share`` in 0–1); NaN when empty."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(share * len(ordered) + 0.999999)))
    return ordered[rank - 1]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def build_workspace(folder: Path) -> str:
    """Build the demo workspace with its accounts; return an API token of the demo park's manager."""
    from ecozone.cli.api import demo_accounts
    from ecozone.cli.demo import build_registry
    from ecozone.store.accounts_store import issue_token
    from ecozone.store.database import dispose_engine
    from ecozone.store.workspace import resolve_workspace

    workspace = resolve_workspace(folder)
    build_registry(workspace, 20240101)
    demo_accounts(workspace)
    token, _ = issue_token(workspace, "manager", "benchmark")
    dispose_engine(workspace.database_url)
    return token


def start_server(folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """Start uvicorn serving the workspace (as ``ecozone serve`` does) and wait until it answers."""
    environment = {**os.environ, "ECOZONE_WORKSPACE": str(folder)}
    environment.pop("ECOZONE_DB", None)
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "ecozone.api.app:app_from_environment",
        "--factory",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    process = subprocess.Popen(command, env=environment)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"http://{LOOPBACK}:{port}/api/v1/health", timeout=1).status_code == 200:
                return process
        except httpx2.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("the server did not start")


async def user(
    client: httpx2.AsyncClient, tallies: dict[str, Tally], stop_at: float, think: tuple[float, float], seed: int
) -> None:
    """One simulated user: a random read, then a think time, until ``stop_at``."""
    rng = random.Random(seed)
    names = list(ENDPOINTS)
    while time.monotonic() < stop_at:
        name = rng.choice(names)
        started = time.perf_counter()
        try:
            response = await client.get(ENDPOINTS[name])
            ok = response.status_code == 200
        except httpx2.HTTPError:
            ok = False
        elapsed = time.perf_counter() - started
        tallies[name].latencies.append(elapsed)
        if not ok:
            tallies[name].errors += 1
        if think[1] > 0:
            await asyncio.sleep(rng.uniform(*think))


async def drive(
    base_url: str, token: str, users: int, duration: float, think: tuple[float, float]
) -> tuple[dict[str, Tally], float]:
    """Run ``users`` users for ``duration`` seconds (after a short warm-up); return tallies and elapsed time [s]."""
    limits = httpx2.Limits(max_connections=users, max_keepalive_connections=users)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(base_url=base_url, headers=headers, limits=limits, timeout=30) as client:
        for path in ENDPOINTS.values():  # warm caches
            await client.get(path)
        tallies = {name: Tally() for name in ENDPOINTS}
        started = time.monotonic()
        stop_at = started + duration
        await asyncio.gather(*(user(client, tallies, stop_at, think, seed) for seed in range(users)))
        return tallies, time.monotonic() - started


def summary(tallies: dict[str, Tally], elapsed: float) -> dict[str, dict[str, float]]:
    """Requests, rps, p50/p95/p99 [ms] and errors per endpoint and overall."""
    rows: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    errors = 0
    for name, tally in tallies.items():
        everything.extend(tally.latencies)
        errors += tally.errors
        rows[name] = _row(tally.latencies, tally.errors, elapsed)
    rows["all"] = _row(everything, errors, elapsed)
    return rows


def _row(latencies: list[float], errors: int, elapsed: float) -> dict[str, float]:
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "errors": errors,
    }


def print_table(rows: dict[str, dict[str, float]], users: int, duration: float, workers: int, think: tuple[float, float]) -> None:
    """Print the results as a table."""
    print(f"API load: {users} users, {duration:.0f} s, {workers} worker(s), think time {think[0]}–{think[1]} s, loopback only")
    print(f"{'endpoint':<22}{'requests':>10}{'rps':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}")
    for name, row in rows.items():
        print(
            f"{name:<22}{row['requests']:>10.0f}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}"
            f"{row['p95_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['errors']:>8.0f}"
        )
    verdict = "met" if rows["all"]["p99_ms"] <= 200 and rows["all"]["errors"] == 0 else "NOT met"
    print(f"target p99 ≤ 200 ms with no errors: {verdict}")


def main() -> None:
    """Build, serve, load, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of measured load (bounded to 300)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"), help="think time [s]")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    arguments = parser.parse_args()
    duration = min(max(arguments.duration, 1.0), 300.0)
    think = (max(0.0, arguments.think[0]), max(0.0, arguments.think[1]))
    with tempfile.TemporaryDirectory(prefix="ecozone-load-") as folder:
        workspace = Path(folder) / "ws"
        token = build_workspace(workspace)
        port = free_port()
        server = start_server(workspace, port, arguments.workers)
        try:
            tallies, elapsed = asyncio.run(drive(f"http://{LOOPBACK}:{port}", token, arguments.users, duration, think))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = summary(tallies, elapsed)
    if arguments.json:
        document = {
            **{key: rows["all"][key] for key in ("rps", "p50_ms", "p95_ms", "p99_ms")},
            "errors": int(rows["all"]["errors"]),
            "requests": int(rows["all"]["requests"]),
            "users": arguments.users,
            "duration_s": round(elapsed, 2),
            "workers": arguments.workers,
            "think_s": list(think),
            "endpoints": {name: row for name, row in rows.items() if name != "all"},
        }
        print(json.dumps(document))
        return
    print_table(rows, arguments.users, elapsed, arguments.workers, think)


if __name__ == "__main__":
    main()
