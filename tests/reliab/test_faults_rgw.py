"""Ceph RGW stopped under a running service and started again, over HTTP.

A file accepted before the outage stays whole; an upload while the gateway is down answers 503
``storage_unavailable`` in Chinese and leaves no row and no job; the reads the database can
answer go on; once the gateway is back the same upload is taken and read without a restart of
the service, and ``fsck`` is clean. (The object store's own behaviour mid-PUT is in
tests/storage/test_s3.py::test_gateway_stopped_during_a_put.)"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import pytest
from sqlalchemy import func, select

from cases.models import Job, Upload
from jobs.context import OcrReader
from jobs.fsck import fsck
from storage import Bucket
from synthdocs import families
from tests.api.reviewing import World
from tests.reliab.backends import drop_buckets
from tests.reliab.world import settings_for, world_on
from tests.storage.conftest import Rgw, with_changes

pytestmark = [pytest.mark.slow, pytest.mark.s3]

MATTER = "second-hand-house-transfer"


@pytest.fixture
def world(
    tmp_path: Path, request: pytest.FixtureRequest, rgw: Rgw, pipeline: Any
) -> Iterator[World]:
    # buckets of this test's own, and a short retry deadline so the outage is not ridden out
    s3 = with_changes(
        request.getfixturevalue("s3_settings"),
        bucket_prefix=f"f{uuid.uuid4().hex[:10]}-",
        retry_deadline_s=2.0,
    )
    settings = dataclasses.replace(settings_for(tmp_path / "data"), storage=s3)
    try:
        for w in world_on(settings):
            ctx = w.services.job_context
            ctx.reader = OcrReader(settings.ocr, data_dir=tmp_path / "data", pipeline=pipeline)
            yield w
    finally:
        drop_buckets(s3)


def _card_png(seed: int) -> bytes:
    sample = families.get("training").generate("id_card_front", seed=seed)
    ok, buf = cv2.imencode(".png", sample.image)
    assert ok
    return buf.tobytes()


def _counts(world: World) -> tuple[int, int]:
    with world.services.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Upload)) or 0,
            s.scalar(select(func.count()).select_from(Job)) or 0,
        )


def test_gateway_down_and_back_under_the_service(world: World, rgw: Rgw) -> None:
    auth = world.tokens["citizen-a"]
    client = world.client
    app_id = client.post(
        "/api/applications", json={"matter": MATTER, "answers": {}}, headers=auth
    ).json()["id"]

    def upload(data: bytes, slot: str) -> Any:
        return client.post(
            f"/api/applications/{app_id}/files",
            data={"slot": slot},
            files={"file": ("card.png", data, "image/png")},
            headers=auth,
        )

    first = _card_png(1)
    accepted = upload(first, "seller_id_card")
    assert accepted.status_code == 202, accepted.text
    assert world.services.queue.wait_idle(180)
    before = _counts(world)

    second = _card_png(2)
    rgw.stop_gateway()
    try:
        down = upload(second, "buyer_id_card")
        assert down.status_code == 503, down.text
        body = down.json()
        assert body["error"] == "storage_unavailable"
        assert "\u4e00" <= body["message"][0] <= "\u9fff"
        assert _counts(world) == before  # no row, no job for what was refused
        # what the database answers goes on answering
        shown = client.get(f"/api/applications/{app_id}", headers=auth)
        assert shown.status_code == 200
        assert [f["slot"] for f in shown.json()["files"]] == ["seller_id_card"]
    finally:
        rgw.start_gateway()

    # back: the same upload is taken and read, with no restart of the service
    again = upload(second, "buyer_id_card")
    assert again.status_code == 202, again.text
    assert world.services.queue.wait_idle(180)
    store = world.services.store
    with world.services.sessions() as s:
        rows = s.scalars(select(Upload).order_by(Upload.id)).all()
        assert [r.status for r in rows] == ["done", "done"]
        # the file accepted before the outage is whole
        kept = store.get_bytes(kind=Bucket.UPLOADS, key=rows[0].object_key)
        assert (
            hashlib.sha256(kept).hexdigest() == rows[0].sha256 == hashlib.sha256(first).hexdigest()
        )
    report = fsck(world.services.sessions, store)
    assert report.ok, report.problems
