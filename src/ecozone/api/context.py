"""What every request of one application shares: workspace, settings, caches and jobs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import timedelta
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ecozone.api.jobs import JobRunner
from ecozone.api.registry_cache import RegistryCache
from ecozone.store.workspace import Workspace

T = TypeVar("T")
MEMO_SIZE = 256


class ApiSettings(BaseModel):
    """Settings of the API and the dashboard (defaults suit an intranet deployment)."""

    model_config = ConfigDict(frozen=True)

    session_lifetime: timedelta = Field(default=timedelta(hours=12), description="How long a web sign-in lasts.")
    login_window: timedelta = Field(default=timedelta(minutes=15), description="Window in which failed sign-ins are counted.")
    max_failures_per_user: int = Field(default=5, description="Failed sign-ins of one username allowed in the window.")
    max_failures_per_client: int = Field(default=20, description="Failed sign-ins from one address allowed in the window.")
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, description="Largest accepted upload [bytes].")
    job_workers: int = Field(default=1, description="Background jobs run at once in one server process.")
    secure_cookies: bool | None = Field(default=None, description="Mark cookies Secure; None: when the request is HTTPS.")


class AppContext:
    """Shared state of one application instance.

    Parameters
    ----------
    workspace : Workspace
        Where the registry and accounts are stored.
    settings : ApiSettings
        Limits and lifetimes.
    """

    def __init__(self, workspace: Workspace, settings: ApiSettings) -> None:
        self.workspace = workspace
        self.settings = settings
        self.registry = RegistryCache(workspace)
        self.jobs = JobRunner(workspace, settings.job_workers)
        self._key: str | None = None
        self._lock = threading.Lock()
        self._memo: OrderedDict[Hashable, object] = OrderedDict()

    @property
    def signing_key(self) -> str:
        """The deployment's key for cookies and CSRF tokens (read once from the store)."""
        if self._key is None:
            from ecozone.store.accounts_store import secret_key

            with self._lock:
                self._key = self._key or secret_key(self.workspace)
        return self._key

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return ``compute()``, remembered under ``key`` (least recently used of 256 kept).

        Keys must include whatever the value depends on (e.g. the registry state's identity).
        """
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]  # type: ignore[return-value]
        value = compute()
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return value
