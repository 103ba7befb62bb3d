"""Background jobs: long work runs in a worker thread, its progress and result are stored.

A job is started by an endpoint (``POST /api/v1/jobs/national-rollup``), answers at once with
``202 Accepted`` and the job resource, and is polled at ``GET /api/v1/jobs/{id}``. The job's
status, progress, result and error live in the store (table ``jobs``), so any server process
answers the poll. Engines add kinds to :data:`JOB_KINDS`: a function taking a
:class:`JobContext` and returning a JSON-serialisable result.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ecozone.errors import EcozoneError
from ecozone.store import accounts_store
from ecozone.store.accounts_store import JobRecord
from ecozone.store.workspace import Workspace

LOGGER = logging.getLogger("ecozone.api.jobs")


@dataclass
class JobContext:
    """What a job function receives.

    Attributes
    ----------
    workspace : Workspace
        The store to read from (and write results to, through the store's functions).
    job_id : str
        The job's id.
    parameters : dict
        The parameters the job was started with.
    """

    workspace: Workspace
    job_id: str
    parameters: dict[str, Any] = field(default_factory=dict)

    def progress(self, share: float, message: str | None = None) -> None:
        """Record the share of the work done [0–1] and an English message."""
        accounts_store.report_progress(self.workspace, self.job_id, share, message)


JobFunction = Callable[[JobContext], Any]

JOB_KINDS: dict[str, JobFunction] = {}
"""Job kinds by name; :mod:`ecozone.api.rollup` registers ``national_rollup``."""


def run_job(workspace: Workspace, job_id: str, function: JobFunction, parameters: dict[str, Any]) -> None:
    """Run one job to completion, storing its result or its error (never raises)."""
    accounts_store.start_job(workspace, job_id)
    try:
        result = function(JobContext(workspace, job_id, parameters))
    except EcozoneError as error:
        accounts_store.fail_job(workspace, job_id, error.key, {k: str(v) for k, v in error.params.items()})
    except Exception as error:
        LOGGER.exception("Job %s failed", job_id)
        accounts_store.fail_job(workspace, job_id, "api.job.crashed", {"error": type(error).__name__})
    else:
        accounts_store.finish_job(workspace, job_id, result)


class JobRunner:
    """Runs jobs of one workspace in a small thread pool (created on first use)."""

    def __init__(self, workspace: Workspace, workers: int = 1) -> None:
        self.workspace = workspace
        self.workers = max(1, workers)
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self.futures: dict[str, Future[None]] = {}

    def submit(self, kind: str, owner_id: int | None, parameters: dict[str, Any]) -> JobRecord:
        """Store a queued job of ``kind`` and start it in the background."""
        function = JOB_KINDS[kind]
        job = accounts_store.create_job(self.workspace, kind, owner_id, parameters)
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="ecozone-job")
            self.futures[job.id] = self._executor.submit(run_job, self.workspace, job.id, function, parameters)
        return job

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        """Wait until a job submitted here has finished (for tests and scripts)."""
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        """Let running jobs finish, then stop the threads; unstarted ones are marked failed."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is None:
            return
        executor.shutdown(wait=True, cancel_futures=True)
        cancelled = [job_id for job_id, future in self.futures.items() if future.cancelled()]
        if cancelled:
            accounts_store.fail_interrupted_jobs(self.workspace, cancelled)
