"""Every refused input of CONTRACT §4 answers its 4xx with a code and a Chinese message, and
leaves no row, object or job behind."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from cases import transaction
from cases.models import Application, AuditEvent, Job, Upload
from storage import Bucket
from tests.api.service_fixtures import Running, running_service

MB = 1024 * 1024


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    # no OCR pipeline: a refused upload never reaches the reader
    yield from running_service(tmp_path_factory.mktemp("refused"), None, max_upload_mb=1)


@pytest.fixture(scope="module")
def citizen(svc: Running) -> dict[str, str]:
    return svc.citizen("refused-citizen")


@pytest.fixture
def app_id(svc: Running, citizen: dict[str, str]) -> str:
    return str(svc.new_application(citizen)["id"])


def _jpeg(size: tuple[int, int] = (320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="JPEG")
    return out.getvalue()


def _png(size: tuple[int, int] = (320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


def _png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny PNG whose header claims 1.6 gigapixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _pdf(encrypted: bool = False) -> bytes:
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    if encrypted:
        w.encrypt("secret-password")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def _state(svc: Running, app_id: str) -> dict[str, Any]:
    with svc.services.sessions() as s:
        return {
            "uploads": s.scalar(
                select(func.count()).select_from(Upload).where(Upload.application_id == app_id)
            ),
            "jobs": s.scalar(select(func.count()).select_from(Job)),
            "events": s.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_id == app_id)
            ),
            "state": s.get(Application, app_id).state,  # type: ignore[union-attr]
            "objects": [o.key for o in svc.services.store.list(kind=Bucket.UPLOADS, prefix=app_id)],
        }


def _refused(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["error"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body


def _post_file(
    svc: Running,
    auth: dict[str, str],
    app_id: str,
    data: bytes,
    *,
    slot: str = "seller_id_card",
    name: str = "id.jpg",
    content_type: str = "image/jpeg",
) -> Any:
    return svc.client.post(
        f"/api/applications/{app_id}/files",
        data={"slot": slot},
        files={"file": (name, data, content_type)},
        headers=auth,
    )


CASES = {
    "unknown slot": (dict(slot="no_such_slot"), _jpeg, 422, "unknown_slot"),
    "empty": ({}, lambda: b"", 422, "empty_file"),
    "text named .jpg": ({}, lambda: "身份证".encode() * 100, 415, "unsupported_type"),
    "zip named .jpg": (
        {},
        lambda: b"PK\x03\x04" + b"\x00" * 200 + b"PK\x05\x06" + b"\x00" * 18,
        415,
        "unsupported_type",
    ),
    "jpeg carrying a pdf": ({}, lambda: _jpeg() + b"%PDF-1.7 hidden", 415, "unsupported_type"),
    "truncated jpeg": ({}, lambda: _jpeg()[:-400], 422, "corrupt_file"),
    "truncated png": ({}, lambda: _png()[:-30], 422, "corrupt_file"),
    "truncated pdf": (dict(name="a.pdf"), lambda: _pdf()[:-60], 422, "corrupt_file"),
    "decompression bomb": (dict(name="bomb.png"), _png_bomb, 413, "too_large"),
    "encrypted pdf": (dict(name="locked.pdf"), lambda: _pdf(encrypted=True), 422, "encrypted"),
    "over the size limit": ({}, lambda: _jpeg() + b"\x00" * (MB + 10_000), 413, "too_large"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_file_leaves_nothing_behind(
    svc: Running, citizen: dict[str, str], app_id: str, case: str
) -> None:
    kw, make, status, code = CASES[case]
    before = _state(svc, app_id)
    r = _post_file(svc, citizen, app_id, make(), **kw)
    _refused(r, status, code)
    assert _state(svc, app_id) == before


def _multipart(data_chunks: Iterator[bytes], boundary: str = "paoyici-test") -> Iterator[bytes]:
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="slot"\r\n\r\nseller_id_card\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    yield from data_chunks
    yield f"\r\n--{boundary}--\r\n".encode()


def test_a_body_is_refused_while_it_streams_in(
    svc: Running, citizen: dict[str, str], app_id: str
) -> None:
    before = _state(svc, app_id)
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for _ in range(64):  # 8 MB in 128 KiB chunks, no Content-Length (chunked)
            sent.append(1)
            yield b"\xff" * (128 * 1024)

    r = svc.client.post(
        f"/api/applications/{app_id}/files",
        content=_multipart(chunks()),
        headers={**citizen, "Content-Type": "multipart/form-data; boundary=paoyici-test"},
    )
    _refused(r, 413, "too_large")
    # (that reading stops long before the end is seen on a real server: test_durability_inprocess)
    declared = svc.client.post(
        f"/api/applications/{app_id}/files",
        content=b"x" * 10,
        headers={
            **citizen,
            "Content-Type": "multipart/form-data; boundary=paoyici-test",
            "Content-Length": str(50 * MB),
        },
    )
    _refused(declared, 413, "too_large")
    assert _state(svc, app_id) == before


def test_illegal_transitions_are_409_and_change_nothing(
    svc: Running, citizen: dict[str, str], app_id: str
) -> None:
    before = _state(svc, app_id)
    _refused(
        svc.client.post(f"/api/applications/{app_id}/submit", headers=citizen),
        409,
        "not_submittable",
    )
    _refused(
        svc.client.post(
            f"/api/applications/{app_id}/delivery", json={"method": "pickup"}, headers=citizen
        ),
        409,
        "delivery_not_allowed",
    )
    _refused(
        svc.client.get(f"/api/applications/{app_id}/certificate", headers=citizen), 404, "not_found"
    )
    assert _state(svc, app_id) == before
    # a submitted case takes no more files
    with transaction(svc.services.sessions) as s:
        a = s.get(Application, app_id)
        assert a is not None
        a.submitted_at = datetime.now(UTC)
        a.state = "ready"
    before = _state(svc, app_id)
    _refused(_post_file(svc, citizen, app_id, _jpeg()), 409, "not_editable")
    _refused(
        svc.client.delete(f"/api/applications/{app_id}/files/1", headers=citizen), 404, "not_found"
    )
    assert _state(svc, app_id) == before


def test_requests_without_the_right_account_are_refused(
    svc: Running, citizen: dict[str, str], app_id: str
) -> None:
    before = _state(svc, app_id)
    _refused(_post_file(svc, {}, app_id, _jpeg()), 401, "unauthenticated")
    other = svc.citizen("someone-else")
    _refused(_post_file(svc, other, app_id, _jpeg()), 404, "not_found")
    from cases import accounts

    with transaction(svc.services.sessions) as s:
        accounts.create_user(
            s, username="refused-reviewer", password="reviewer-pass", role="reviewer"
        )
    r = svc.client.post(
        "/api/auth/token", data={"username": "refused-reviewer", "password": "reviewer-pass"}
    )
    staff = {"Authorization": f"Bearer {r.json()['access_token']}"}
    _refused(_post_file(svc, staff, app_id, _jpeg()), 403, "forbidden")
    assert _state(svc, app_id) == before


def test_bad_bodies_are_422_with_a_chinese_message(svc: Running, citizen: dict[str, str]) -> None:
    for body in (
        {"matter": "second-hand-house-transfer", "answers": {"seller_married": "yes"}},
        {"matter": "second-hand-house-transfer", "answers": {"no_such_question": True}},
        {"answers": {}},
    ):
        r = svc.client.post("/api/applications", json=body, headers=citizen)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"] and r.json()["message"]
    courier = svc.client.post(
        "/api/applications/x/delivery", json={"method": "courier"}, headers=citizen
    )
    assert courier.status_code == 422 and courier.json()["error"] == "invalid_request"
