"""Signing in to the pages: register, sign in, sign out (the token is revoked), wrong passwords
explained, a new session on sign-in, staff sessions that end when idle unless extended."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

import api.web.auth as web_auth
import cases
from cases import accounts
from tests.web.conftest import csrf_of

PASSWORD = "correct horse 1"


def _post(client: TestClient, path: str, data: dict[str, str], page: str | None = None) -> object:
    token = csrf_of(client.get(page or path).text)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _signed_in(client: TestClient) -> bool:
    r = _post(client, "/session/extend", {}, page="/")
    return r.status_code == 204


def _staff(client: TestClient, username: str) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    with cases.transaction(services.sessions) as db:
        accounts.create_user(
            db, username=username, password=PASSWORD, name="审核员甲", role=accounts.Role.REVIEWER
        )


def test_register_signs_in_and_logout_revokes(client: TestClient) -> None:
    r = _post(
        client,
        "/register",
        {
            "name": "张三",
            "username": "zhangsan-web",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/applications"
    assert _signed_in(client)
    home = client.get("/").text
    assert "张三" in home and 'action="/logout"' in home and 'href="/applications"' in home
    kept = dict(client.cookies)  # the signed-in cookie, as a thief might have copied it
    out = _post(client, "/logout", {}, page="/")
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert "您已安全退出" in client.get("/login").text
    assert not _signed_in(client)
    # the copied cookie holds a revoked token: it signs nobody in any more
    client.cookies.clear()
    for name, value in kept.items():
        client.cookies.set(name, value)
    assert not _signed_in(client)


def test_registration_errors_say_what_to_fix(client: TestClient) -> None:
    r = _post(
        client,
        "/register",
        {"name": "李四", "username": "lisi-web", "password": PASSWORD, "password_again": "other"},
    )
    assert r.status_code == 422 and "两次输入的密码不一致" in r.text
    assert 'value="lisi-web"' in r.text  # what was typed is kept (never the password)
    assert PASSWORD not in r.text
    short = _post(
        client,
        "/register",
        {"name": "李四", "username": "lisi-web", "password": "short", "password_again": "short"},
    )
    assert short.status_code == 422 and "密码至少 8 位" in short.text


def test_login_explains_a_wrong_password_and_starts_a_new_session(client: TestClient) -> None:
    _staff(client, "reviewer-web-1")
    bad = _post(client, "/login", {"username": "reviewer-web-1", "password": "wrong-password"})
    assert bad.status_code == 401 and "用户名或密码错误" in bad.text
    before = csrf_of(client.get("/login").text)
    ok = _post(
        client, "/login", {"username": "reviewer-web-1", "password": PASSWORD, "next": "/verify"}
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/verify"
    after = csrf_of(client.get("/").text)
    assert after != before  # no session fixation: a new session, a new token
    # a redirect target off this site is ignored
    client.cookies.clear()
    evil = _post(
        client,
        "/login",
        {"username": "reviewer-web-1", "password": PASSWORD, "next": "//evil.example/"},
    )
    assert evil.headers["location"] == "/review"


def test_a_staff_session_ends_when_idle_unless_extended(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [time.time()]
    monkeypatch.setattr(web_auth, "time", SimpleNamespace(time=lambda: clock[0]))
    _staff(client, "reviewer-web-2")
    assert (
        _post(client, "/login", {"username": "reviewer-web-2", "password": PASSWORD}).status_code
        == 303
    )
    clock[0] += web_auth.STAFF_IDLE_SECONDS - 60
    assert _signed_in(client)  # the "continue" button: a request the person made
    clock[0] += web_auth.STAFF_IDLE_SECONDS - 60
    # a page polling by itself does not keep the session alive
    token = csrf_of(client.get("/").text)
    assert _signed_in(client)
    clock[0] += web_auth.STAFF_IDLE_SECONDS - 60
    client.post(
        "/session/extend",
        data={"csrf_token": token},
        headers={web_auth.BACKGROUND_HEADER: "1"},
    )
    clock[0] += 120
    assert not _signed_in(client)
    assert "长时间未操作" in client.get("/login").text
