"""Schemathesis (v4) against the service's own OpenAPI schema, as each role.

Every operation of ``/openapi.json`` gets generated requests (the schema's examples, then
fuzzing, valid and invalid inputs alike), each sent in turn as an anonymous caller, a citizen
(who owns an application), a reviewer of the matter, a supervisor and an admin. For every
response: it is never a 5xx, its body matches the schema the route declares for that status,
and every error is CONTRACT §4's ``{"error": CODE, "message": "中文说明"}``.

Each case carries a freshly minted token of its role, so ``POST /api/auth/logout`` revoking one
does not sign the rest of the run out. The examples per operation are few and derandomized
(a fixed, reproducible run that stays well under two minutes); the failing case is printed as a
``curl`` line by Schemathesis.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from cases import accounts, transaction
from tests.api.conftest import make_settings

MATTER = "second-hand-house-transfer"
ROLES = ("anonymous", "citizen", "reviewer", "supervisor", "admin")
EXAMPLES_PER_OPERATION = 4


# The app is made at import so that Schemathesis can read its schema while collecting (one test
# per operation); its lifespan (database, store, models) starts in the ``deployment`` fixture.
DATA_DIR = Path(tempfile.mkdtemp(prefix="paoyici-schemathesis-"))
# generous login limits: the fuzzer's own logins must not lock the accounts out
APP: FastAPI = create_app(
    make_settings(DATA_DIR, login_rate_limit="1000/minute", login_rate_limit_address="1000/minute")
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
# the examples and fuzzing phases; "coverage" alone would generate thousands of cases
schema.config.phases.update(phases=["examples", "fuzzing"])


class Deployment:
    """The app with its lifespan running and an account of each role."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.client = TestClient(self.app)
        self.client.__enter__()
        services = self.app.state.services
        self.tokens = services.tokens
        self.users: dict[str, Any] = {}
        with transaction(services.sessions) as s:
            for role in ROLES[1:]:
                user = accounts.create_user(
                    s,
                    username=f"st-{role}",
                    password="schemathesis-pass-1",
                    name="测试" + role,
                    role=role,
                    matters=[MATTER] if role == "reviewer" else [],
                )
                s.flush()
                s.expunge(user)
                self.users[role] = user
        # something to find: the citizen's own application (where the routes exist)
        citizen = self.headers("citizen")
        self.client.post(
            "/api/applications", json={"matter": MATTER, "answers": {}}, headers=citizen
        )

    def headers(self, role: str) -> dict[str, str]:
        if role == "anonymous":
            return {}
        token = self.tokens.issue(self.users[role]).access_token
        return {"Authorization": f"Bearer {token}"}

    def close(self) -> None:
        self.client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    dep = Deployment(APP)
    yield dep
    dep.close()
    shutil.rmtree(DATA_DIR, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_response_matches_its_schema(
    case: Any, deployment: Deployment
) -> None:
    for role in ROLES:  # the same generated request, as each role in turn
        headers = deployment.headers(role)
        try:
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance], headers=headers
            )
            assert_error_shape(response)
        except BaseException as e:
            e.add_note(f"as role: {role}")
            raise


def assert_error_shape(response: Any) -> None:
    """CONTRACT §4: every error, on every route, is ``{"error": CODE, "message": "中文说明"}``
    (the schema need not say so for each status; the contract does)."""
    if response.status_code < 400:
        return
    body = response.json()
    assert isinstance(body.get("error"), str) and body["error"], body
    message = body.get("message")
    assert isinstance(message, str) and any("\u4e00" <= ch <= "\u9fff" for ch in message), body
