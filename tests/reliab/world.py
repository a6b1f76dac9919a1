"""A service on given settings, with accounts of every role signed in, and the way to bring
one seeded case to an issued certificate (no OCR: the case is seeded ``ready``)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.settings import Settings
from cases import DatabaseSettings, accounts, transaction
from cases.models import Application, Certificate, User
from jobs import JobsSettings
from signing import SigningSettings
from storage import StorageSettings
from tests.api.conftest import make_settings
from tests.api.reviewing import PASSWORD, World, post, seed_case, sign_in


def settings_for(
    data_dir: Path,
    *,
    database_url: str | None = None,
    storage: StorageSettings | None = None,
    level: str = "B-B",
) -> Settings:
    base = make_settings(data_dir, database_url=database_url)
    return dataclasses.replace(
        base,
        database=DatabaseSettings(url=database_url),
        storage=storage or base.storage,
        jobs=JobsSettings(warm_up=False, poll_s=0.2, retry_base_s=0.2),
        signing=SigningSettings(level=level),  # type: ignore[arg-type]
    )


def world_on(settings: Settings) -> Iterator[World]:
    app = create_app(settings)
    with TestClient(app) as client:
        services = app.state.services
        users: dict[str, str] = {}
        with transaction(services.sessions) as s:
            for username, role, matters in [
                ("citizen-a", "citizen", []),
                ("reviewer-1", "reviewer", ["second-hand-house-transfer"]),
            ]:
                u = s.scalar(select(User).where(User.username == username))
                if u is None:  # a restored database has them already
                    u = accounts.create_user(
                        s, username=username, password=PASSWORD, role=role, matters=matters
                    )
                users[username] = u.id
        yield World(client, sign_in(client, users), users)


def issue_one(world: World, timeout: float = 120) -> tuple[str, Certificate]:
    """Seed a ready case, claim and approve it, wait for its certificate; return both."""
    case, _ = seed_case(world, state="ready")
    path = f"/api/review/applications/{case}"
    assert post(world, "reviewer-1", f"{path}/claim").status_code == 200
    r = post(world, "reviewer-1", f"{path}/decision", json={"decision": "approve"})
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with world.services.sessions() as s:
            if s.get(Application, case).state == "issued":
                cert = s.scalar(select(Certificate).where(Certificate.application_id == case))
                assert cert is not None and cert.object_key and cert.sha256
                s.expunge(cert)
                return case, cert
        time.sleep(0.2)
    raise AssertionError(f"case {case} not issued within {timeout}s")
