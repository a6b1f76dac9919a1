"""The authorization matrix, generated from the app's route table.

Every route the app serves × every kind of caller (nobody, the citizen who owns the case,
another citizen, a reviewer of the case's matter, a reviewer of another matter, a supervisor,
an admin) answers as its rule says:

- ``allowed``: the request reaches the route (not 401/403, not the not-found of a hidden case);
- 401 ``unauthenticated`` without a token, 403 ``forbidden`` for a wrong role;
- 404 for a case the caller may not know about, *byte for byte* the answer for a case that does
  not exist (another citizen's case, another matter's case).

A route without a rule fails the test: adding a route means deciding who may call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import routing

from api.app import create_app
from cases import transaction
from cases.identity import InPersonCheck, InPersonCredential, record_identity
from cases.models import User
from tests.api.conftest import make_settings
from tests.api.reviewing import MATTER, PASSWORD, World, card_png, make_world, seed_case

PNG = card_png()

CALLERS = (
    "anonymous",
    "owner",
    "other_citizen",
    "reviewer",
    "other_reviewer",
    "supervisor",
    "admin",
)
USERNAME = {
    "owner": "citizen-a",
    "other_citizen": "citizen-b",
    "reviewer": "reviewer-1",
    "other_reviewer": "reviewer-other",
    "supervisor": "supervisor",
    "admin": "admin",
}
HIDDEN = "hidden"  # 404, exactly as for a missing case
ALLOWED = "allowed"
PUBLIC = "public"  # the same answer whoever asks

# Rules: caller → expected outcome (ALLOWED, HIDDEN, 401, 403, or PUBLIC for every caller).
SIGNED_IN = {c: ALLOWED for c in CALLERS} | {"anonymous": 401}
STAFF_LIST = {
    "anonymous": 401,
    "owner": 403,
    "other_citizen": 403,
    "reviewer": ALLOWED,
    "other_reviewer": ALLOWED,
    "supervisor": ALLOWED,
    "admin": ALLOWED,
}
STAFF_READ = STAFF_LIST | {"other_reviewer": HIDDEN}
REVIEWER_ACT = STAFF_READ | {"supervisor": 403, "admin": 403}
SUPERVISOR = STAFF_LIST | {"reviewer": 403, "other_reviewer": 403}
OWNER = {
    "anonymous": 401,
    "owner": ALLOWED,
    "other_citizen": HIDDEN,
    "reviewer": 403,
    "other_reviewer": 403,
    "supervisor": 403,
    "admin": 403,
}
CITIZEN = OWNER | {"other_citizen": ALLOWED}
EVERYONE = dict.fromkeys(CALLERS, PUBLIC)


@dataclass(frozen=True)
class Rule:
    expect: dict[str, Any]
    # the request's body/query, given the case and file ids (a valid request, so that an
    # allowed caller reaches the route)
    request: Callable[[str, str, str], dict[str, Any]] = lambda case, file, caller: {}


def _register(case: str, file: str, caller: str) -> dict[str, Any]:
    name = f"m-{caller}-{uuid.uuid4().hex[:8]}"
    return {"json": {"username": name, "password": "matrix-pass-1", "name": "测试"}}


RULES: dict[tuple[str, str], Rule] = {
    # documentation and operations
    ("GET", "/openapi.json"): Rule(EVERYONE),
    ("GET", "/docs"): Rule(EVERYONE),
    ("GET", "/docs/oauth2-redirect"): Rule(EVERYONE),
    ("GET", "/redoc"): Rule(EVERYONE),
    ("GET", "/healthz"): Rule(EVERYONE),
    ("GET", "/readyz"): Rule(EVERYONE),
    ("GET", "/metrics"): Rule(EVERYONE),
    # presigned object URLs carry their own signature; public verification
    ("GET", "/objects/{kind}/{key:path}"): Rule(EVERYONE),
    ("PUT", "/objects/{kind}/{key:path}"): Rule(EVERYONE, lambda c, f, w: {"content": b"x"}),
    ("POST", "/verify"): Rule(EVERYONE, lambda c, f, w: {"files": {"file": ("a.pdf", b"no")}}),
    ("GET", "/verify/{identifier}"): Rule(EVERYONE),
    # accounts
    ("POST", "/api/auth/register"): Rule(EVERYONE, _register),
    (
        "POST",
        "/api/auth/token",
    ): Rule(EVERYONE, lambda c, f, w: {"data": {"username": "nobody", "password": "wrong-pass"}}),
    ("POST", "/api/auth/logout"): Rule(SIGNED_IN),
    ("GET", "/api/auth/me"): Rule(SIGNED_IN),
    # review
    ("GET", "/api/review/queue"): Rule(STAFF_LIST),
    ("POST", "/api/review/applications/{application_id}/claim"): Rule(REVIEWER_ACT),
    ("DELETE", "/api/review/applications/{application_id}/claim"): Rule(REVIEWER_ACT),
    ("GET", "/api/review/applications/{application_id}"): Rule(STAFF_READ),
    ("GET", "/api/review/applications/{application_id}/files/{file_id}/crop"): Rule(
        STAFF_READ, lambda c, f, w: {"params": {"field": "id_number"}}
    ),
    ("POST", "/api/review/applications/{application_id}/fields"): Rule(
        REVIEWER_ACT,
        lambda c, f, w: {"json": {"file": f, "field": "id_number", "action": "confirm"}},
    ),
    ("POST", "/api/review/applications/{application_id}/decision"): Rule(
        REVIEWER_ACT, lambda c, f, w: {"json": {"decision": "reject", "reason": "矩阵测试"}}
    ),
    ("GET", "/api/review/applications/{application_id}/audit"): Rule(STAFF_READ),
    # supervision
    ("GET", "/api/supervision/kpis"): Rule(SUPERVISOR),
    # carriers' pushes: verified by their own signature, not by an account
    ("POST", "/api/courier/kuaidi100/callback"): Rule(
        EVERYONE, lambda c, f, w: {"data": {"param": "{}", "sign": "0" * 32}}
    ),
    ("POST", "/api/courier/sf/push"): Rule(
        EVERYONE, lambda c, f, w: {"data": {"content": "{}", "sign": "x"}}
    ),
    # matters (public)
    ("GET", "/api/matters"): Rule(EVERYONE),
    ("GET", "/api/matters/{matter_id}"): Rule(EVERYONE),
    ("POST", "/api/matters/{matter_id}/checklist"): Rule(
        EVERYONE, lambda c, f, w: {"json": {"answers": {}}}
    ),
    # the citizen's own applications
    ("POST", "/api/applications"): Rule(
        CITIZEN, lambda c, f, w: {"json": {"matter": MATTER, "answers": {}}}
    ),
    ("GET", "/api/applications"): Rule(CITIZEN),
    ("GET", "/api/applications/{application_id}"): Rule(OWNER),
    ("POST", "/api/applications/{application_id}/files"): Rule(
        OWNER,
        lambda c, f, w: {
            "data": {"slot": "seller_id_card"},
            "files": {"file": ("card.png", PNG, "image/png")},
        },
    ),
    ("DELETE", "/api/applications/{application_id}/files/{file_id}"): Rule(OWNER),
    ("POST", "/api/applications/{application_id}/submit"): Rule(OWNER),
    ("GET", "/api/applications/{application_id}/certificate"): Rule(OWNER),
    ("POST", "/api/applications/{application_id}/delivery"): Rule(
        OWNER, lambda c, f, w: {"json": {"method": "pickup"}}
    ),
    ("GET", "/api/applications/{application_id}/events"): Rule(OWNER),
    # data sharing (issue 14): the owner's identity is verified in the world fixture
    ("POST", "/api/applications/{application_id}/sharing"): Rule(OWNER),
    ("POST", "/api/auth/identity"): Rule(
        CITIZEN, lambda c, f, w: {"json": {"assertion": "not-a-real-assertion"}}
    ),
    # supervision, ratings and the one visit (issue 15)
    ("GET", "/api/notifications"): Rule(SIGNED_IN),
    ("POST", "/api/notifications/read"): Rule(SIGNED_IN, lambda c, f, w: {"json": {"ids": []}}),
    ("POST", "/api/supervision/applications/{application_id}/clock/pause"): Rule(
        STAFF_READ, lambda c, f, w: {"json": {"reason": "returned"}}
    ),
    ("POST", "/api/supervision/applications/{application_id}/clock/resume"): Rule(STAFF_READ),
    ("POST", "/api/applications/{application_id}/rating"): Rule(
        OWNER, lambda c, f, w: {"json": {"level": "满意"}}
    ),
    ("GET", "/api/supervision/follow-ups"): Rule(SUPERVISOR),
    ("GET", "/api/windows"): Rule(EVERYONE),
    ("POST", "/api/windows"): Rule(
        SUPERVISOR,
        lambda c, f, w: {"json": {"hall": f"矩阵大厅-{w}-{uuid.uuid4().hex[:6]}", "number": "1"}},
    ),
    ("GET", "/api/windows/{window_id}/slots"): Rule(
        EVERYONE, lambda c, f, w: {"params": {"date": "2026-12-07"}}
    ),
    ("POST", "/api/applications/{application_id}/booking"): Rule(
        OWNER, lambda c, f, w: {"json": {"window_id": 1, "starts_at": "2026-12-07T01:00:00Z"}}
    ),
    ("GET", "/api/applications/{application_id}/booking"): Rule(OWNER),
    ("POST", "/api/applications/{application_id}/booking/move"): Rule(
        OWNER, lambda c, f, w: {"json": {"starts_at": "2026-12-07T01:00:00Z"}}
    ),
    ("DELETE", "/api/applications/{application_id}/booking"): Rule(OWNER),
    ("POST", "/api/windows/check-in"): Rule(STAFF_LIST, lambda c, f, w: {"json": {"code": "X"}}),
    ("POST", "/api/windows/pickup"): Rule(STAFF_LIST, lambda c, f, w: {"json": {"code": "X"}}),
    ("POST", "/api/supervision/applications/{application_id}/follow-up"): Rule(
        SUPERVISOR, lambda c, f, w: {"json": {"answer": "已核实并整改，向您致歉。"}}
    ),
}

PATH_DEFAULTS = {
    "matter_id": MATTER,
    "kind": "uploads",
    "key:path": "nothing/here",
    "identifier": "1.2.156.3005.2.x",
    "window_id": "1",
}


def route_table() -> list[tuple[str, str]]:
    """Every (method, path) the app answers (HEAD aside), from its route table."""
    app = create_app(make_settings(Path("var/matrix-unused")))
    out = set()
    for ctx in routing.iter_route_contexts(app.routes):
        methods = getattr(ctx, "methods", None)
        if not methods or not ctx.path:
            continue  # mounts (/pki: the test PKI's own protocols)
        if getattr(ctx.endpoint, "__module__", "").startswith("api.web"):
            continue  # the pages (cookie sessions, CSRF) are checked in tests/web
        out |= {(m, ctx.path) for m in methods if m != "HEAD"}
    return sorted(out)


ROUTES = route_table()


def test_every_route_has_a_rule() -> None:
    assert sorted(set(ROUTES) - set(RULES)) == [], "routes without an authorization rule"
    assert sorted(set(RULES) - set(ROUTES)) == [], "rules for routes the app does not serve"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    # an event stream that ends soon, so that the callers who may follow one get an answer
    for w in make_world(tmp_path_factory, "matrix", events_poll_s=0.05, events_max_s=0.2):
        # the owner has a verified identity, so that the sharing route is reached
        with transaction(w.services.sessions) as s:
            user = s.get(User, w.users["citizen-a"])
            identity = InPersonCheck().verify(
                InPersonCredential(name="甲某", id_number="11010519491231002X", staff="matrix")
            )
            record_identity(
                s, user=user, identity=identity, cipher=w.services.cipher, actor="t", role="staff"
            )
        yield w


def _url(path: str, case: str, file: str) -> str:
    out = path.replace("{application_id}", case).replace("{file_id}", file)
    for name, value in PATH_DEFAULTS.items():
        out = out.replace("{" + name + "}", value)
    return out


def _headers(world: World, caller: str, fresh: bool) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    if not fresh:
        return world.tokens[USERNAME[caller]]
    r = world.client.post(
        "/api/auth/token", data={"username": USERNAME[caller], "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _json(r: Any) -> dict[str, Any]:
    if not r.headers.get("content-type", "").startswith("application/json"):
        return {}
    body = r.json()
    return body if isinstance(body, dict) else {}


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r in RULES])
def test_route_answers_each_caller_as_its_rule_says(world: World, method: str, path: str) -> None:
    rule = RULES[(method, path)]
    world.services.login_throttle.reset()
    case, file = seed_case(world)
    missing = uuid.uuid4().hex
    fresh = (method, path) == ("POST", "/api/auth/logout")
    wrong: list[str] = []
    public_answers: dict[str, int] = {}
    for caller in CALLERS:
        expect = rule.expect[caller]
        headers = _headers(world, caller, fresh)
        r = world.client.request(
            method, _url(path, case, file), headers=headers, **rule.request(case, file, caller)
        )
        got, body = r.status_code, _json(r)
        if expect == PUBLIC:
            public_answers[caller] = got
            if body.get("error") in ("unauthenticated", "forbidden"):
                wrong.append(f"{caller}: a public route refused the caller: {r.text[:120]}")
            continue
        ghost: dict[str, Any] | None = None
        if expect == HIDDEN or (expect == ALLOWED and got == 404):
            g = world.client.request(
                method,
                _url(path, missing, file),
                headers=headers,
                **rule.request(missing, file, caller),
            )
            ghost = _json(g) if g.status_code == 404 else None
        if expect == ALLOWED:
            if got in (401, 403) or (ghost is not None and body == ghost):
                wrong.append(f"{caller}: expected to reach the route, got {got} {r.text[:120]}")
        elif expect == HIDDEN:
            if got != 404 or ghost is None or body != ghost or not body.get("message"):
                wrong.append(f"{caller}: expected the missing-case 404, got {got} {r.text[:120]}")
        else:
            code = {401: "unauthenticated", 403: "forbidden"}[expect]
            if got != expect or body.get("error") != code or not body.get("message"):
                wrong.append(f"{caller}: expected {expect} {code}, got {got} {r.text[:120]}")
    if len(set(public_answers.values())) > 1:
        wrong.append(f"public route answers differ by caller: {public_answers}")
    assert wrong == [], f"{method} {path}\n" + "\n".join(wrong)
