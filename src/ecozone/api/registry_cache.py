"""The registry snapshot and access facts, cached while the store does not change.

Each request asks the store for a cheap fingerprint (row counts and latest update time of the
registry tables and publications); the snapshot is reloaded only when it changed, so every
worker process sees writes made by any other at its next request.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass

from sqlalchemy import func, select

from ecozone.api.roles import RegistryFacts
from ecozone.store.database import session_scope
from ecozone.store.models import Certification, Firm, ImportRecord, Meter, Park
from ecozone.store.models_accounts import ParkPublication
from ecozone.store.registry_store import load_registry
from ecozone.store.snapshot import RegistrySnapshot
from ecozone.store.workspace import Workspace


@dataclass(frozen=True)
class RegistryState:
    """A snapshot of the registry with the access facts derived from it.

    ``version`` is distinct for every state loaded in this process (a key for derived caches).
    """

    snapshot: RegistrySnapshot
    facts: RegistryFacts
    version: int = 0


def registry_fingerprint(workspace: Workspace) -> tuple[object, ...]:
    """Return a value that changes whenever parks, firms, meters, certifications or publications change.

    Every import that changes a record adds an import record, so its latest id changes even when
    two updates fall within the same second of ``updated_at``.
    """
    parts = []
    for column in (Park.updated_at, Firm.updated_at, Meter.updated_at, Certification.updated_at, ParkPublication.published_at):
        parts.extend(
            [select(func.count()).select_from(column.table).scalar_subquery(), select(func.max(column)).scalar_subquery()]
        )
    parts.append(select(func.max(ImportRecord.id)).scalar_subquery())
    with session_scope(workspace) as session:
        return tuple(session.execute(select(*parts)).one())


def facts_of(snapshot: RegistrySnapshot, published: frozenset[str]) -> RegistryFacts:
    """Derive the access facts of a snapshot."""
    parks = frozenset(item.park.id for item in snapshot.parks)
    firm_parks = {firm.id: firm.park_id for item in snapshot.parks for firm in item.firms}
    meter_owners = {meter.id: (meter.park_id, meter.firm_id) for item in snapshot.parks for meter in item.meters}
    return RegistryFacts(parks, published & parks, firm_parks, meter_owners)


FINGERPRINT_TTL = 0.5
"""How long a fingerprint is trusted before asking the store again [s]: writes made in this
process are seen at once (they invalidate the cache), writes of other processes within this."""


class RegistryCache:
    """The latest registry state of one workspace, reloaded when its fingerprint changes."""

    def __init__(self, workspace: Workspace, ttl: float = FINGERPRINT_TTL) -> None:
        self.workspace = workspace
        self.ttl = ttl
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self._fingerprint: tuple[object, ...] | None = None
        self._state: RegistryState | None = None
        self._versions = itertools.count(1)

    def state(self) -> RegistryState:
        """Return the current registry state."""
        now = time.monotonic()
        with self._lock:
            if self._state is not None and now - self._checked_at < self.ttl:
                return self._state
        fingerprint = registry_fingerprint(self.workspace)
        with self._lock:
            self._checked_at = now
            if self._state is None or fingerprint != self._fingerprint:
                from ecozone.store.accounts_store import published_parks

                snapshot = load_registry(self.workspace)
                facts = facts_of(snapshot, published_parks(self.workspace))
                self._state = RegistryState(snapshot, facts, next(self._versions))
                self._fingerprint = fingerprint
            return self._state

    def invalidate(self) -> None:
        """Forget the cached state (after a write in this process)."""
        with self._lock:
            self._state = None
            self._fingerprint = None
