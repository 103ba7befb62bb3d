"""Accounts, tokens, sessions, CSRF, throttling and security headers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ecozone.api import security
from ecozone.api.context import ApiSettings
from ecozone.api.headers import SECURITY_HEADERS
from ecozone.store import accounts_store
from ecozone.store.database import session_scope
from ecozone.store.models_accounts import ApiToken, User, WebSession
from ecozone.store.workspace import Workspace
from tests.api.conftest import PASSWORD, DemoSite, auth, make_client


def _login_token(client: TestClient, next_path: str = "/") -> str:
    page = client.get(f"/login?next={next_path}")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match is not None
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str = PASSWORD, next_path: str = "/") -> int:
    """Sign in through the web form; return the response status (303 on success)."""
    token = _login_token(client, next_path)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )
    return response.status_code


def test_passwords_are_argon2_hashes() -> None:
    digest = security.hash_password("a long passphrase")
    assert digest.startswith("$argon2id$")
    assert security.verify_password(digest, "a long passphrase")
    assert not security.verify_password(digest, "a long passphrase!")
    assert not security.verify_password(None, "anything")


def test_signing_refuses_tampering() -> None:
    signed = security.sign("key", "value", "session")
    assert security.unsign("key", signed, "session") == "value"
    assert security.unsign("other key", signed, "session") is None
    assert security.unsign("key", signed, "cookie") is None
    assert security.unsign("key", "value.0000", "session") is None
    assert security.unsign("key", "nodot", "session") is None


def test_secrets_are_stored_only_as_digests(demo_workspace: Workspace, demo_site: DemoSite) -> None:
    with session_scope(demo_workspace) as session:
        hashes = set(session.scalars(select(ApiToken.token_hash)))
        passwords = list(session.scalars(select(User.password_hash)))
    for secret in demo_site.tokens.values():
        assert secret not in hashes
        assert security.digest(secret) in hashes
    assert all(p and p.startswith("$argon2id$") and PASSWORD not in p for p in passwords)


def test_me_reports_roles(shared_client: TestClient, demo_site: DemoSite) -> None:
    me = shared_client.get("/api/v1/me", headers=auth(demo_site, "manager")).json()
    assert me["username"] == "manager"
    assert me["via"] == "token"
    assert me["grants"] == [{"role": "park_manager", "scope_id": "demo"}]
    anonymous = shared_client.get("/api/v1/me").json()
    assert anonymous == {
        "authenticated": False,
        "username": None,
        "display_name": None,
        "language": None,
        "via": "anonymous",
        "grants": [],
        "csrf_token": None,
    }


def test_token_from_password_then_revoked(client: TestClient, demo_workspace: Workspace) -> None:
    response = client.post("/api/v1/auth/token", json={"username": "Tenant", "password": PASSWORD, "name": "etl"})
    assert response.status_code == 201
    token = response.json()["token"]
    assert token.startswith(security.TOKEN_PREFIX)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/firms/demo-f01", headers=headers).status_code == 200
    accounts_store.revoke_token(demo_workspace, response.json()["token_id"])
    assert client.get("/api/v1/firms/demo-f01", headers=headers).status_code == 401


def test_expired_token_and_disabled_account(client: TestClient, demo_workspace: Workspace) -> None:
    secret, _ = accounts_store.issue_token(demo_workspace, "investor", "short", timedelta(seconds=-1))
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    secret, _ = accounts_store.issue_token(demo_workspace, "investor", "long")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    accounts_store.set_active(demo_workspace, "investor", False)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert sign_in(client, "investor") == 401


def test_web_session_cookie_flow(client: TestClient, demo_workspace: Workspace) -> None:
    assert sign_in(client, "manager", next_path="/parks/demo") == 303
    cookie = client.cookies.get("ecozone_session")
    assert cookie is not None
    secret = cookie.rsplit(".", 1)[0]
    with session_scope(demo_workspace) as session:
        stored = set(session.scalars(select(WebSession.id)))
    assert secret not in stored and security.digest(secret) in stored
    me = client.get("/api/v1/me").json()
    assert me["username"] == "manager" and me["via"] == "session"
    page = client.get("/parks/demo")
    assert "firm-list" in page.text
    # a forged cookie is anonymous
    client.cookies.clear()
    client.cookies.set("ecozone_session", secret + ".forged")
    assert client.get("/api/v1/me").json()["authenticated"] is False


def test_session_cookie_attributes(client: TestClient) -> None:
    token = _login_token(client)
    response = client.post(
        "/login", data={"username": "manager", "password": PASSWORD, "csrf_token": token}, follow_redirects=False
    )
    header = next(value for name, value in response.headers.multi_items() if name == "set-cookie" and "ecozone_session" in value)
    assert "HttpOnly" in header
    assert "SameSite=lax" in header or "samesite=lax" in header.lower()


def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "manager", "password": PASSWORD, "csrf_token": "forged"})
    assert response.status_code == 403
    assert client.cookies.get("ecozone_session") is None


def test_wrong_password_same_answer_as_unknown_user(client: TestClient) -> None:
    token = _login_token(client)
    wrong = client.post("/login", data={"username": "manager", "password": "nope nope nope", "csrf_token": token})
    token = _login_token(client)
    unknown = client.post("/login", data={"username": "nobody", "password": "nope nope nope", "csrf_token": token})
    assert wrong.status_code == unknown.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in wrong.text and "Sai tên đăng nhập hoặc mật khẩu" in unknown.text


def test_login_throttled_per_username(demo_workspace: Workspace) -> None:
    with make_client(demo_workspace, ApiSettings(max_failures_per_user=3)) as client:
        statuses = [sign_in(client, "manager", "wrong password") for _ in range(3)]
        assert statuses == [401, 401, 401]
        assert sign_in(client, "manager") == 429
        assert sign_in(client, "tenant") == 303  # another account is not locked
    accounts_store.clear_login_failures(demo_workspace, "manager")


def test_login_throttled_per_client(demo_workspace: Workspace) -> None:
    with make_client(demo_workspace, ApiSettings(max_failures_per_client=4)) as client:
        for name in ("a1", "a2", "a3", "a4"):
            assert sign_in(client, name, "wrong password") == 401
        assert sign_in(client, "tenant") == 429


def test_session_writes_need_csrf_header(client: TestClient) -> None:
    assert sign_in(client, "manager") == 303
    body = {"status": "operating"}
    assert client.patch("/api/v1/parks/demo", json=body).status_code == 403
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    assert client.patch("/api/v1/parks/demo", json=body, headers={"X-CSRF-Token": "x" + csrf}).status_code == 403
    assert client.patch("/api/v1/parks/demo", json=body, headers={"X-CSRF-Token": csrf}).status_code == 200


def test_logout_needs_csrf_and_ends_the_session(client: TestClient, demo_workspace: Workspace) -> None:
    assert sign_in(client, "manager") == 303
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    csrf = client.get("/api/v1/me").json()["csrf_token"]
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me").json()["authenticated"] is False
    with session_scope(demo_workspace) as session:
        assert list(session.scalars(select(WebSession.id))) == []


def test_open_redirects_are_refused(client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.get(f"/lang/en?next={target}", follow_redirects=False)
        assert response.headers["location"] == "/"
    assert client.get("/lang/en?next=/parks/demo", follow_redirects=False).headers["location"] == "/parks/demo"


@pytest.mark.parametrize("path", ["/", "/api/v1/parks", "/api/v1/no-such", "/parks/no-such", "/static/css/app.css"])
def test_security_headers(shared_client: TestClient, path: str) -> None:
    response = shared_client.get(path)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("style-src-attr")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(shared_client: TestClient) -> None:
    for path in ("/", "/parks/demo", "/login"):
        html = shared_client.get(path).text
        assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
        assert " on" + "click=" not in html and "javascript:" not in html
