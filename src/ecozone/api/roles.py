"""Who may see and do what: the caller (:class:`Principal`) and pure access rules.

Roles are scoped to objects:

- ``admin``: everything.
- ``park_manager`` of park P: P's profile, firms, meters and certifications (read and write),
  publishing P's profile; other parks only as far as they are published.
- ``firm_user`` of firm F: F's data (read; write F's own record without moving it, its meters
  and certifications) and the profile and aggregates of F's park; other parks as published.
- ``investor`` and ``public`` (and anonymous callers): published park profiles and the
  national statistics.

Every decision is one of three outcomes (:class:`Access`): allowed; forbidden (403) when the
caller may know the object exists; hidden (404, the same answer as for an object that does
not exist) when the caller must not learn that it exists.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from ecozone.store.accounts_store import Account, Grant


class Access(enum.Enum):
    """Outcome of an access decision."""

    ALLOWED = "allowed"
    FORBIDDEN = "forbidden"
    HIDDEN = "hidden"


def decide(visible: bool, permitted: bool) -> Access:
    """Allowed if permitted; else forbidden (403) if the caller may see the object; else hidden (404)."""
    if permitted:
        return Access.ALLOWED
    return Access.FORBIDDEN if visible else Access.HIDDEN


@dataclass(frozen=True)
class Principal:
    """The caller of a request: an account (by token or session) or an anonymous visitor.

    Attributes
    ----------
    account : Account or None
        The signed-in account; None for an anonymous caller (public access).
    via : str
        ``token``, ``session`` or ``anonymous``.
    session_secret : str or None
        The web session's secret (for CSRF tokens), when signed in by cookie.
    """

    account: Account | None = None
    via: str = "anonymous"
    session_secret: str | None = None
    grants: tuple[Grant, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "grants", self.account.grants if self.account else ())

    @property
    def is_authenticated(self) -> bool:
        """Whether an account is signed in."""
        return self.account is not None

    @property
    def username(self) -> str | None:
        """The account's username."""
        return self.account.username if self.account else None

    @property
    def user_id(self) -> int | None:
        """The account's id."""
        return self.account.id if self.account else None

    def has_role(self, role: str) -> bool:
        """Whether any grant has ``role``."""
        return any(grant.role == role for grant in self.grants)

    @property
    def is_admin(self) -> bool:
        """Whether the caller is an administrator."""
        return self.has_role("admin")

    @property
    def managed_parks(self) -> frozenset[str]:
        """Parks the caller manages."""
        return frozenset(g.scope_id for g in self.grants if g.role == "park_manager")

    @property
    def own_firms(self) -> frozenset[str]:
        """Firms whose data the caller works on."""
        return frozenset(g.scope_id for g in self.grants if g.role == "firm_user")

    @property
    def roles(self) -> tuple[str, ...]:
        """Distinct roles, in grant order (``public`` for an anonymous caller)."""
        return tuple(dict.fromkeys(g.role for g in self.grants)) or ("public",)


ANONYMOUS = Principal()


@dataclass(frozen=True)
class RegistryFacts:
    """What access rules need to know about the registry.

    Attributes
    ----------
    parks : frozenset of str
        Existing park ids.
    published : frozenset of str
        Parks whose profile is published.
    firm_parks : Mapping
        Park of each firm.
    meter_owners : Mapping
        ``(park_id, firm_id or None)`` of each meter.
    """

    parks: frozenset[str] = frozenset()
    published: frozenset[str] = frozenset()
    firm_parks: Mapping[str, str] = field(default_factory=dict)
    meter_owners: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)

    def home_parks(self, principal: Principal) -> frozenset[str]:
        """Parks of the caller's own firms."""
        return frozenset(self.firm_parks[f] for f in principal.own_firms if f in self.firm_parks)


def manages_park(principal: Principal, park_id: str) -> bool:
    """Whether the caller may change ``park_id``'s data (admin or its manager)."""
    return principal.is_admin or park_id in principal.managed_parks


def sees_park(principal: Principal, park_id: str, facts: RegistryFacts) -> bool:
    """Whether the caller may see that ``park_id`` exists and read its profile and aggregates."""
    if park_id not in facts.parks:
        return False
    return manages_park(principal, park_id) or park_id in facts.published or park_id in facts.home_parks(principal)


def sees_firm(principal: Principal, firm_id: str, facts: RegistryFacts) -> bool:
    """Whether the caller may see firm ``firm_id`` (admin, its park's manager, or its own user)."""
    park_id = facts.firm_parks.get(firm_id)
    if park_id is None:
        return False
    return manages_park(principal, park_id) or firm_id in principal.own_firms


def park_read(principal: Principal, park_id: str, facts: RegistryFacts) -> Access:
    """Reading a park's profile and aggregates."""
    visible = sees_park(principal, park_id, facts)
    return decide(visible, visible)


def park_write(principal: Principal, park_id: str, facts: RegistryFacts) -> Access:
    """Changing a park's registry facts or its publication."""
    return decide(sees_park(principal, park_id, facts), park_id in facts.parks and manages_park(principal, park_id))


def park_details_read(principal: Principal, park_id: str, facts: RegistryFacts) -> Access:
    """Listing a park's firms, its infrastructure meters and every meter (its manager or an admin)."""
    return decide(sees_park(principal, park_id, facts), park_id in facts.parks and manages_park(principal, park_id))


def firm_read(principal: Principal, firm_id: str, facts: RegistryFacts) -> Access:
    """Reading a firm's record, meters and certifications."""
    visible = sees_firm(principal, firm_id, facts)
    return decide(visible, visible)


def meter_read(principal: Principal, meter_id: str, facts: RegistryFacts) -> Access:
    """Reading a meter: a firm's meter as its firm; an infrastructure meter as its park's details."""
    owner = facts.meter_owners.get(meter_id)
    if owner is None:
        return Access.HIDDEN
    park_id, firm_id = owner
    if firm_id is not None:
        return firm_read(principal, firm_id, facts)
    permitted = manages_park(principal, park_id)
    return decide(permitted, permitted)


def may_write_park_records(principal: Principal, park_id: str) -> bool:
    """Whether the caller may write park-level records (the park, its meters, its certificates)."""
    return principal.is_authenticated and manages_park(principal, park_id)


def may_write_firm_records(principal: Principal, firm_id: str, park_id: str | None) -> bool:
    """Whether the caller may write records of firm ``firm_id`` located in ``park_id``.

    A firm's user may write their own firm (without moving it to another park); a park's
    manager any firm of their park.
    """
    if not principal.is_authenticated:
        return False
    if park_id is not None and manages_park(principal, park_id):
        return True
    return firm_id in principal.own_firms
