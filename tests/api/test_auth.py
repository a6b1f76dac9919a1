"""Accounts over HTTP (CONTRACT §4): register, token, logout, roles, throttling, `user add`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import CitizenDep, PrincipalDep, ReviewerDep, StaffDep, SupervisorDep
from cases import accounts, transaction
from tests.api.conftest import make_settings


def _probe_routes(app: FastAPI) -> None:
    """Routes guarded by each alias, mounted only in this test's app."""
    probe = APIRouter(prefix="/probe")

    @probe.get("/any")
    def any_(p: PrincipalDep) -> dict[str, str]:
        return {"role": p.role.value}

    @probe.get("/citizen")
    def citizen(p: CitizenDep) -> dict[str, str]:
        return {"role": p.role.value}

    @probe.get("/reviewer")
    def reviewer(p: ReviewerDep) -> dict[str, str]:
        return {"role": p.role.value}

    @probe.get("/staff")
    def staff(p: StaffDep) -> dict[str, str]:
        return {"role": p.role.value}

    @probe.get("/supervisor")
    def supervisor(p: SupervisorDep) -> dict[str, str]:
        return {"role": p.role.value}

    app.include_router(probe)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("auth")
    app = create_app(
        make_settings(data, login_rate_limit="5/minute", login_rate_limit_address="12/minute")
    )
    _probe_routes(app)
    with TestClient(app) as c:
        services = app.state.services
        with transaction(services.sessions) as s:
            for role in ("reviewer", "supervisor", "admin"):
                accounts.create_user(
                    s, username=f"staff-{role}", password="staff-pass-1", role=role
                )
        yield c


@pytest.fixture(autouse=True)
def _fresh_throttle(client: TestClient) -> None:
    client.app.state.services.login_throttle.reset()  # type: ignore[attr-defined]


def _login(client: TestClient, username: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] > 0
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_register_login_logout(client: TestClient) -> None:
    r = client.post(
        "/api/auth/register",
        json={"username": "zhangsan", "password": "s3cret-pass", "name": "张三"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["username"] == "zhangsan" and body["role"] == "citizen" and body["id"]

    again = client.post(
        "/api/auth/register", json={"username": "zhangsan", "password": "other-pass", "name": "x"}
    )
    assert again.status_code == 409
    assert again.json()["error"] == "username_taken" and again.json()["message"]

    headers = _login(client, "zhangsan", "s3cret-pass")
    me = client.get("/api/auth/me", headers=headers)
    assert me.status_code == 200 and me.json()["name"] == "张三"

    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    after = client.get("/api/auth/me", headers=headers)
    assert after.status_code == 401 and after.json()["error"] == "unauthenticated"


def test_wrong_password_and_unknown_user_answer_alike(client: TestClient) -> None:
    client.post("/api/auth/register", json={"username": "lisi", "password": "right-pass1"})
    for user, pw in (("lisi", "wrong-pass1"), ("nobody-here", "whatever-1")):
        r = client.post("/api/auth/token", data={"username": user, "password": pw})
        assert r.status_code == 401
        assert r.json() == {"error": "invalid_credentials", "message": "用户名或密码错误"}


def test_missing_forged_and_garbage_tokens_are_unauthenticated(client: TestClient) -> None:
    import jwt

    forged = jwt.encode({"sub": "x", "jti": "y", "exp": 9999999999, "iss": "paoyici"}, "k" * 32)
    for headers in (
        {},
        {"Authorization": "Bearer nonsense"},
        {"Authorization": f"Bearer {forged}"},
    ):
        r = client.get("/probe/any", headers=headers)
        assert r.status_code == 401 and r.json()["error"] == "unauthenticated"


def test_each_alias_admits_exactly_its_roles(client: TestClient) -> None:
    client.post("/api/auth/register", json={"username": "wangwu", "password": "citizen-pass"})
    tokens = {"citizen": _login(client, "wangwu", "citizen-pass")}
    for role in ("reviewer", "supervisor", "admin"):
        tokens[role] = _login(client, f"staff-{role}", "staff-pass-1")
    admitted = {
        "any": {"citizen", "reviewer", "supervisor", "admin"},
        "citizen": {"citizen"},
        "reviewer": {"reviewer"},
        "staff": {"reviewer", "supervisor", "admin"},
        "supervisor": {"supervisor", "admin"},
    }
    for route, roles in admitted.items():
        for role, headers in tokens.items():
            r = client.get(f"/probe/{route}", headers=headers)
            if role in roles:
                assert r.status_code == 200 and r.json() == {"role": role}, (route, role)
            else:
                assert r.status_code == 403 and r.json()["error"] == "forbidden", (route, role)


def test_login_is_throttled_per_account(client: TestClient) -> None:
    client.post("/api/auth/register", json={"username": "zhaoliu", "password": "zhaoliu-pass"})
    codes = [
        client.post(
            "/api/auth/token", data={"username": "zhaoliu", "password": "bad-guess"}
        ).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # the right password is refused too while the account is throttled
    r = client.post("/api/auth/token", data={"username": "zhaoliu", "password": "zhaoliu-pass"})
    assert r.status_code == 429 and r.json()["error"] == "too_many_attempts"


def test_login_is_throttled_per_address(client: TestClient) -> None:
    codes = [
        client.post("/api/auth/token", data={"username": f"u{n}", "password": "x"}).status_code
        for n in range(13)
    ]
    assert codes[:12] == [401] * 12 and codes[12] == 429


def test_registration_can_be_switched_off(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, allow_registration=False))
    with TestClient(app) as c:
        r = c.post("/api/auth/register", json={"username": "someone", "password": "password-1"})
        assert r.status_code == 403 and r.json()["error"] == "registration_closed"


def _cli(data: Path, *args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    env = {"PAOYICI_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "paoyici"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_user_add_makes_staff_who_can_sign_in(tmp_path: Path) -> None:
    ok = _cli(
        tmp_path,
        "user", "add", "reviewer1", "--role", "reviewer", "--name", "审核员甲",
        "--matter", "second-hand-house-transfer",
        stdin="reviewer-pass\n",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    dup = _cli(tmp_path, "user", "add", "reviewer1", "--role", "reviewer", stdin="another-pass\n")
    assert dup.returncode == 2 and "已存在" in dup.stderr and len(dup.stderr.splitlines()) == 1
    bad = _cli(tmp_path, "user", "add", "someone", "--role", "citizen", stdin="another-pass\n")
    assert bad.returncode == 2 and "角色" in bad.stderr

    app = create_app(make_settings(tmp_path))
    with TestClient(app) as c:
        headers = _login(c, "reviewer1", "reviewer-pass")
        me = c.get("/api/auth/me", headers=headers).json()
        assert me["role"] == "reviewer" and me["name"] == "审核员甲"
        assert me["matters"] == ["second-hand-house-transfer"]
