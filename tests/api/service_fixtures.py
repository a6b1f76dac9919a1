"""A running service for the citizen-route tests: embedded defaults in a temporary folder, the
session's OCR pipeline, jobs run by the in-process runner, certificates signed at B-B (the
loopback TSA needs a real HTTP server; the journey tests sign at B-LT)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from api.services import Services
from jobs import InProcessRunner, JobsSettings
from jobs.context import OcrReader
from signing import SigningSettings
from tests.api.conftest import make_settings


@dataclasses.dataclass
class Running:
    client: TestClient
    services: Services
    reads: list[int]

    @property
    def runner(self) -> InProcessRunner:
        assert isinstance(self.services.queue, InProcessRunner)
        return self.services.queue

    def citizen(self, username: str, password: str = "citizen-pass-1") -> dict[str, str]:
        r = self.client.post(
            "/api/auth/register", json={"username": username, "password": password, "name": "市民"}
        )
        assert r.status_code in (201, 409), r.text
        r = self.client.post("/api/auth/token", data={"username": username, "password": password})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}

    def new_application(self, auth: dict[str, str], **answers: bool) -> dict[str, Any]:
        r = self.client.post(
            "/api/applications",
            json={"matter": "second-hand-house-transfer", "answers": answers},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        return dict(r.json())

    def settle(self, timeout: float = 240) -> None:
        assert self.runner.wait_idle(timeout)


def running_service(
    data_dir: Path, pipeline: Any, *, poll: float = 0.2, **api: object
) -> Iterator[Running]:
    base = make_settings(data_dir, events_poll_s=poll, events_max_s=3, **api)
    settings = dataclasses.replace(
        base,
        jobs=JobsSettings(warm_up=False, poll_s=0.2, retry_base_s=0.2),
        signing=SigningSettings(level="B-B"),
    )
    app = create_app(settings)
    reads: list[int] = []
    with TestClient(app) as client:
        services: Services = app.state.services
        reader = OcrReader(settings.ocr, data_dir=data_dir, pipeline=pipeline)
        real_read = reader.read

        def counting_read(data: bytes, **kw: Any) -> Any:
            reads.append(len(data))
            return real_read(data, **kw)

        reader.read = counting_read  # type: ignore[method-assign]
        services.job_context.reader = reader
        yield Running(client=client, services=services, reads=reads)
        time.sleep(0)
