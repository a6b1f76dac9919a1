"""The local store's disk full: the object folder on a 1 MiB tmpfs of this test's own.

An upload that does not fit answers 503 with a Chinese message and leaves no row, no object
and no spool file; once space is freed the same upload is taken and read, without a restart,
and ``fsck`` is clean. (Where ``mount`` is not permitted the test is skipped and says so.)"""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cases.models import Job, Upload
from jobs.context import OcrReader
from jobs.fsck import fsck
from storage import StorageSettings
from tests.api.reviewing import World
from tests.reliab.world import settings_for, world_on

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mnt = tmp_path / "objects"
    mnt.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if r.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture
def world(tmp_path: Path, small_disk: Path, pipeline: Any) -> Iterator[World]:
    base = settings_for(tmp_path / "data")
    settings = dataclasses.replace(base, storage=StorageSettings(local_dir=small_disk))
    for w in world_on(settings):
        ctx = w.services.job_context
        ctx.reader = OcrReader(settings.ocr, data_dir=tmp_path / "data", pipeline=pipeline)
        yield w


def _noise_png(n_bytes: int) -> bytes:
    import io

    from PIL import Image

    side = int((n_bytes / 3) ** 0.5) + 1
    img = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _counts(world: World) -> tuple[int, int]:
    with world.services.sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Upload)) or 0,
            s.scalar(select(func.count()).select_from(Job)) or 0,
        )


def _files_on(disk: Path) -> list[Path]:
    return sorted(p for p in disk.rglob("*") if p.is_file())


def test_a_full_disk_is_a_503_and_nothing_half_written(world: World, small_disk: Path) -> None:
    auth = world.tokens["citizen-a"]
    r = world.client.post(
        "/api/applications",
        json={"matter": "second-hand-house-transfer", "answers": {}},
        headers=auth,
    )
    app_id = r.json()["id"]
    data = _noise_png(400_000)
    filler = small_disk / "filler"
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    filler.write_bytes(b"\0" * (free - 100_000))  # 100 kB left: less than the upload
    before, objects = _counts(world), _files_on(small_disk)

    def send() -> Any:
        return world.client.post(
            f"/api/applications/{app_id}/files",
            data={"slot": "seller_id_card"},
            files={"file": ("scan.png", data, "image/png")},
            headers=auth,
        )

    full = send()
    assert full.status_code == 503, full.text
    body = full.json()
    assert body["error"] == "storage_unavailable" and "\u4e00" <= body["message"][0] <= "\u9fff"
    assert _counts(world) == before
    assert _files_on(small_disk) == objects  # no object, no spool file left
    # space comes back: the same upload goes through, no restart
    filler.unlink()
    ok = send()
    assert ok.status_code == 202, ok.text
    assert world.services.queue.wait_idle(120)
    with world.services.sessions() as s:
        row = s.get(Upload, int(ok.json()["id"]))
        assert row is not None and row.status in ("done", "failed")
    report = fsck(world.services.sessions, world.services.store)
    assert report.ok, report.problems
