"""Secrets, password hashes, signed cookies and CSRF tokens (pure functions, no database).

- Passwords are hashed with Argon2id (``argon2-cffi``, its default parameters: RFC 9106's
  low-memory profile); a hash is verified in constant time and re-hashed when the
  parameters change.
- API tokens and session secrets are 256-bit random values; only their SHA-256 digest is
  stored, which is enough for secrets that cannot be guessed (no slow hash needed).
- Cookie values are signed with HMAC-SHA-256 under the deployment's key, so a forged cookie
  is refused before any database look-up.
- CSRF tokens are HMACs of the session secret (synchronizer token bound to the session).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

TOKEN_PREFIX = "ecz_"
"""API tokens start with this, so that leaked ones are easy to find in logs and code."""

MINIMUM_PASSWORD_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    """Return the Argon2id hash of ``password`` (salted; the text encodes the parameters)."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``.

    A missing hash is checked against a dummy one, so that an unknown account costs the
    same time as a wrong password (no account enumeration by timing).
    """
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with other parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def new_secret(prefix: str = "") -> str:
    """Return a new URL-safe random secret of 256 bits, after ``prefix``."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """Return the SHA-256 digest of ``secret`` as 64 hexadecimal characters."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _mac(key: str, purpose: str, value: str) -> str:
    return hmac.new(key.encode(), f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def sign(key: str, value: str, purpose: str = "cookie") -> str:
    """Return ``value`` with its HMAC-SHA-256 under ``key`` appended (``value.mac``)."""
    return f"{value}.{_mac(key, purpose, value)}"


def unsign(key: str, signed: str, purpose: str = "cookie") -> str | None:
    """Return the value of a :func:`sign` output, or None when the signature is wrong."""
    value, _, mac = signed.rpartition(".")
    if not value or not hmac.compare_digest(mac, _mac(key, purpose, value)):
        return None
    return value


def csrf_token(key: str, session_secret: str) -> str:
    """Return the CSRF token of a session (an HMAC of its secret)."""
    return _mac(key, "csrf", session_secret)


def same_secret(expected: str, given: str | None) -> bool:
    """Compare two secrets in constant time (None never matches)."""
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
