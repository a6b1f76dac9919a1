"""Tokens expire and are revocable one by one; a disabled account's tokens all stop; staff
crops and certificates are never served to anyone without the right (no token, a citizen, a
reviewer of another matter, another citizen)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from cases import transaction
from cases.models import User
from tests.api.reviewing import PASSWORD, World, make_world, seed_case
from tests.reliab.world import issue_one

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from make_world(tmp_path_factory, "tokens")


def _login(world: World, username: str) -> dict[str, str]:
    r = world.client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _me(world: World, headers: dict[str, str]) -> int:
    r = world.client.get("/api/auth/me", headers=headers)
    if r.status_code != 200:
        assert r.json()["error"] == "unauthenticated" and r.json()["message"], r.text
    return r.status_code


def test_a_token_expires_after_its_lifetime(world: World) -> None:
    ttl = timedelta(minutes=world.services.settings.api.token_ttl_minutes)
    headers = _login(world, "citizen-b")
    now = datetime.now(UTC)
    with time_machine.travel(now + ttl - timedelta(minutes=1), tick=False):
        assert _me(world, headers) == 200
    with time_machine.travel(now + ttl + timedelta(seconds=5), tick=False):
        assert _me(world, headers) == 401
        assert world.client.get("/api/applications", headers=headers).status_code == 401


def test_logout_revokes_that_token_only_and_disabling_revokes_all(world: World) -> None:
    first, second = _login(world, "citizen-b"), _login(world, "citizen-b")
    assert world.client.post("/api/auth/logout", headers=first).status_code == 204
    assert _me(world, first) == 401
    assert _me(world, second) == 200
    with transaction(world.services.sessions) as s:
        user = s.scalar(select(User).where(User.username == "citizen-b"))
        assert user is not None
        user.active = False
    try:
        assert _me(world, second) == 401
        refused = world.client.post(
            "/api/auth/token", data={"username": "citizen-b", "password": PASSWORD}
        )
        assert refused.status_code == 401
    finally:
        with transaction(world.services.sessions) as s:
            user = s.scalar(select(User).where(User.username == "citizen-b"))
            assert user is not None
            user.active = True


def test_crops_and_certificates_are_served_only_with_the_right(world: World) -> None:
    case, upload = seed_case(world)
    crop = f"/api/review/applications/{case}/files/{upload}/crop?field=id_number"
    assert world.client.get(crop, headers=world.tokens["reviewer-1"]).status_code == 200
    for who, status in [
        (None, 401),
        ("citizen-a", 403),  # the owner is no reviewer: the crop is a staff view
        ("citizen-b", 403),
        ("reviewer-other", 404),  # another matter's reviewer does not see the case at all
    ]:
        r = world.client.get(crop, headers=world.tokens[who] if who else {})
        assert r.status_code == status, (who, r.text)
        assert r.headers["content-type"].startswith("application/json"), who
        assert r.json()["message"]

    issued, _ = issue_one(world)
    path = f"/api/applications/{issued}/certificate"
    own = world.client.get(path, headers=world.tokens["citizen-a"])
    assert own.status_code == 200 and own.content.startswith(b"%PDF")
    for who, status in [(None, 401), ("citizen-b", 404), ("reviewer-other", 403)]:
        r = world.client.get(path, headers=world.tokens[who] if who else {})
        assert r.status_code == status, (who, r.text)
        assert b"%PDF" not in r.content
