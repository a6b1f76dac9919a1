"""Verified identity (实名认证) for data sharing: the 浙里办-shaped assertion adapter against a
small local issuer with a real key pair, ``POST /api/auth/identity`` and ``GET /api/auth/me``
over HTTP, and the embedded default ``paoyici user verify``."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from cases import accounts, transaction
from cases.identity import (
    IdentityAssertionError,
    IdentitySettings,
    ZlbAssertionProvider,
    build_assertion_provider,
)
from cases.models import AuditEvent, User
from ocr.validators import id_check_char
from tests.api.conftest import make_settings

ISSUER = "https://zlb.example.gov.cn"
AUDIENCE = "paoyici"


def _id(body17: str) -> str:
    return body17 + id_check_char(body17)


PERSON = ("李四", _id("33010219850312001"))
WRONG_CHECK = PERSON[1][:17] + ("1" if PERSON[1][17] != "1" else "2")


class IssuerSimulator:
    """A small stand-in for the province's real-name login: it holds the issuer's EC P-256 key
    and signs assertions as the real one does (claims in ``cases.identity``)."""

    def __init__(self, issuer: str = ISSUER) -> None:
        self.issuer = issuer
        self._key = ec.generate_private_key(ec.SECP256R1())

    @property
    def public_key_pem(self) -> str:
        return (
            self._key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )

    def assertion(
        self,
        name: str,
        id_number: str,
        *,
        auth_level: int = 3,
        ttl_s: int = 300,
        audience: str = AUDIENCE,
        **extra: Any,
    ) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience,
            "iat": now,
            "exp": now + ttl_s,
            "sub": "zlb-user-1",
            "name": name,
            "id_number": id_number,
            "auth_level": auth_level,
        } | extra
        return jwt.encode(claims, self._key, algorithm="ES256")


@pytest.fixture(scope="module")
def issuer() -> IssuerSimulator:
    return IssuerSimulator()


@pytest.fixture(scope="module")
def provider(issuer: IssuerSimulator) -> ZlbAssertionProvider:
    made = build_assertion_provider(
        IdentitySettings(issuer=ISSUER, public_key_pem=issuer.public_key_pem, audience=AUDIENCE)
    )
    assert made is not None
    return made


def test_a_signed_assertion_gives_the_identity(
    issuer: IssuerSimulator, provider: ZlbAssertionProvider
) -> None:
    got = provider.verify(issuer.assertion(" 李 四", PERSON[1].lower()))
    assert (got.name, got.id_number, got.provider) == (PERSON[0], PERSON[1], "zlb")
    assert got.masked()["id_number"] != PERSON[1]


def test_forged_expired_or_foreign_assertions_are_refused(
    issuer: IssuerSimulator, provider: ZlbAssertionProvider
) -> None:
    other = IssuerSimulator()  # the right issuer name, another key
    hs256 = jwt.encode(  # the public key misused as an HMAC secret (algorithm confusion)
        {"iss": ISSUER, "aud": AUDIENCE, "iat": 1, "exp": 2**31, "name": "李四",
         "id_number": PERSON[1], "auth_level": 3},
        "x" * 32,
        algorithm="HS256",
    )  # fmt: skip
    bad = {
        "another key": other.assertion(*PERSON),
        "expired": issuer.assertion(*PERSON, ttl_s=-120),
        "another audience": issuer.assertion(*PERSON, audience="someone-else"),
        "another issuer": IssuerSimulator("https://evil.example").assertion(*PERSON),
        "low level": issuer.assertion(*PERSON, auth_level=1),
        "bad check digit": issuer.assertion(PERSON[0], WRONG_CHECK),
        "no name": issuer.assertion("", PERSON[1]),
        "hs256": hs256,
        "garbage": "not.a.jwt",
    }
    for why, token in bad.items():
        with pytest.raises(IdentityAssertionError):
            provider.verify(token)
            pytest.fail(f"accepted: {why}")


def test_symmetric_algorithms_cannot_be_configured(issuer: IssuerSimulator) -> None:
    with pytest.raises(ValueError, match="asymmetric"):
        ZlbAssertionProvider(
            issuer=ISSUER, public_key_pem=issuer.public_key_pem, audience=AUDIENCE,
            algorithms=["HS256"],
        )  # fmt: skip
    assert build_assertion_provider(IdentitySettings()) is None


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, issuer: IssuerSimulator
) -> Iterator[TestClient]:
    settings = dataclasses.replace(
        make_settings(tmp_path_factory.mktemp("identity")),
        identity=IdentitySettings(
            issuer=ISSUER, public_key_pem=issuer.public_key_pem, audience=AUDIENCE
        ),
    )
    with TestClient(create_app(settings)) as c:
        yield c


def _citizen(client: TestClient, username: str) -> dict[str, str]:
    r = client.post(
        "/api/auth/register",
        json={"username": username, "password": "citizen-pass-1", "name": "随便填的名字"},
    )
    assert r.status_code == 201, r.text
    r = client.post("/api/auth/token", data={"username": username, "password": "citizen-pass-1"})
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_the_real_name_login_verifies_the_account_over_http(
    client: TestClient, issuer: IssuerSimulator
) -> None:
    auth = _citizen(client, "zlb-citizen")
    assert client.get("/api/auth/me", headers=auth).json()["identity"] == {
        "verified": False, "name": None, "id_number": None, "provider": None, "verified_at": None,
    }  # fmt: skip
    bad = client.post("/api/auth/identity", json={"assertion": "x" * 40}, headers=auth)
    assert bad.status_code == 422 and bad.json()["error"] == "identity_assertion_invalid"
    assert "实名认证" in bad.json()["message"]

    r = client.post(
        "/api/auth/identity", json={"assertion": issuer.assertion(*PERSON)}, headers=auth
    )
    assert r.status_code == 200, r.text
    ident = r.json()["identity"]
    assert ident["verified"] is True and ident["name"] == PERSON[0] and ident["provider"] == "zlb"
    assert ident["id_number"][-4:] == PERSON[1][-4:] and PERSON[1] not in r.text
    assert client.get("/api/auth/me", headers=auth).json()["identity"] == ident

    services = client.app.state.services  # type: ignore[attr-defined]
    with services.sessions() as s:
        user = s.scalar(select(User).where(User.username == "zlb-citizen"))
        assert user is not None and user.identity_id_enc is not None
        assert PERSON[1].encode() not in user.identity_id_enc  # encrypted at rest
        assert services.cipher.decrypt(user.identity_id_enc).decode() == PERSON[1]
        [event] = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == user.id, AuditEvent.action == "user.identity_verified"
            )
        ).all()
        assert event.data["provider"] == "zlb" and PERSON[1] not in str(event.data)

    # one person, one verified account
    other = _citizen(client, "zlb-citizen-2")
    taken = client.post(
        "/api/auth/identity", json={"assertion": issuer.assertion(*PERSON)}, headers=other
    )
    assert taken.status_code == 409 and taken.json()["error"] == "identity_taken"
    assert client.get("/api/auth/me", headers=other).json()["identity"]["verified"] is False


def test_staff_cannot_use_the_citizen_identity_route(
    client: TestClient, issuer: IssuerSimulator
) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    with transaction(services.sessions) as s:
        accounts.create_user(s, username="zlb-staff", password="staff-pass-1", role="reviewer")
    r = client.post("/api/auth/token", data={"username": "zlb-staff", "password": "staff-pass-1"})
    auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
    r = client.post(
        "/api/auth/identity", json={"assertion": issuer.assertion(*PERSON)}, headers=auth
    )
    assert r.status_code == 403 and r.json()["error"] == "forbidden"


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PAOYICI_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [str(Path(sys.executable).parent / "paoyici"), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_user_verify_records_an_in_person_check(tmp_path: Path) -> None:
    with TestClient(create_app(make_settings(tmp_path))) as c:
        auth = _citizen(c, "window-citizen")
        # not configured here: the real-name login is unavailable, said so
        r = c.post("/api/auth/identity", json={"assertion": "x" * 40}, headers=auth)
        assert r.status_code == 409 and r.json()["error"] == "identity_login_unavailable"
    bad = _cli(
        tmp_path, "user", "verify", "window-citizen", "--name", PERSON[0],
        "--id-number", WRONG_CHECK,
    )  # fmt: skip
    assert bad.returncode == 2 and "校验码" in bad.stderr and len(bad.stderr.splitlines()) == 1
    ok = _cli(
        tmp_path, "user", "verify", "window-citizen", "--name", PERSON[0],
        "--id-number", PERSON[1], "--by", "window-3",
    )  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert PERSON[1] not in ok.stdout + ok.stderr and PERSON[1][-4:] in ok.stdout
    with TestClient(create_app(make_settings(tmp_path))) as c:
        r = c.post(
            "/api/auth/token", data={"username": "window-citizen", "password": "citizen-pass-1"}
        )
        me = c.get("/api/auth/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
        ident = me.json()["identity"]
        assert ident["verified"] is True and ident["provider"] == "in_person"
        assert ident["name"] == PERSON[0]
        services = c.app.state.services  # type: ignore[attr-defined]
        with services.sessions() as s:
            [event] = s.scalars(
                select(AuditEvent).where(AuditEvent.action == "user.identity_verified")
            ).all()
            assert event.actor == "window-3" and PERSON[1] not in str(event.data)
