"""Many citizens' parallel HTTP requests for the last place of a slot, on PostgreSQL: exactly
one booking is made, every other request is told the slot is full (409 slot_unavailable)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from cases import DatabaseSettings, accounts, transaction
from cases.models import Application, Booking
from jobs import JobsSettings
from tests.api.conftest import make_settings
from tests.api.reviewing import MATTER

CLIENTS = 10
PASSWORD = "race-pass-123"

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def client(
    postgres_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    settings = make_settings(Path(tmp_path_factory.mktemp("race")))
    settings = dataclasses.replace(
        settings,
        database=DatabaseSettings(url=postgres_database),
        jobs=JobsSettings(warm_up=False, poll_s=0.2),
    )
    with TestClient(create_app(settings)) as c:
        yield c


def test_parallel_requests_for_the_last_place(client: TestClient) -> None:
    services = client.app.state.services  # type: ignore[attr-defined]
    tag = datetime.now(UTC).strftime("%H%M%S%f")
    headers, cases_ = [], []
    with transaction(services.sessions) as s:
        sup = accounts.create_user(s, username=f"sup-{tag}", password=PASSWORD, role="supervisor")
        users = [
            accounts.create_user(s, username=f"c{i}-{tag}", password=PASSWORD, role="citizen")
            for i in range(CLIENTS + 1)
        ]
        for u in users:
            a = Application(matter_id=MATTER, answers={}, state="issued", owner_id=u.id,
                            submitted_at=datetime.now(UTC))  # fmt: skip
            s.add(a)
            s.flush()
            cases_.append(a.id)
    for username in [sup.username, *(u.username for u in users)]:
        r = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
        headers.append({"Authorization": f"Bearer {r.json()['access_token']}"})
    r = client.post(
        "/api/windows", headers=headers[0],
        json={"hall": f"赛跑大厅{tag}", "number": "1", "matters": [MATTER], "capacity": 2,
              "slot_minutes": 60, "opens": "09:00", "closes": "10:00"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    window = r.json()["id"]
    cal = services.deadlines.calendar
    day = datetime.now(ZoneInfo(services.deadlines.settings.timezone)).date() + timedelta(days=1)
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    slot = client.get(f"/api/windows/{window}/slots", params={"date": day.isoformat()}).json()
    starts = slot[0]["starts_at"]
    body = {"window_id": window, "starts_at": starts}
    r = client.post(f"/api/applications/{cases_[0]}/booking", headers=headers[1], json=body)
    assert r.status_code == 201, r.text  # one place left

    barrier = threading.Barrier(CLIENTS)
    answers: list[tuple[int, str]] = []
    lock = threading.Lock()

    def book(i: int) -> None:
        barrier.wait()
        resp = client.post(
            f"/api/applications/{cases_[i]}/booking", headers=headers[i + 1], json=body
        )
        with lock:
            answers.append((resp.status_code, resp.json().get("error", "")))

    threads = [threading.Thread(target=book, args=(i,)) for i in range(1, CLIENTS + 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(answers) == [(201, "")] + [(409, "slot_unavailable")] * (CLIENTS - 1)
    with services.sessions() as s:
        n = s.scalar(select(func.count()).select_from(Booking).where(Booking.window_id == window))
    assert n == 2
    free = client.get(f"/api/windows/{window}/slots", params={"date": day.isoformat()}).json()
    assert free[0]["free"] == 0
