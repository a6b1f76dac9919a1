"""Hostile inputs through the HTTP routes, table-driven, on the production database
(PostgreSQL; it refuses more than SQLite does, a NUL byte in a text field for one): every one
answers its 4xx with a stable code and a Chinese message, leaves no row, object or job behind,
and ``fsck`` is clean afterwards. Inputs a service must take but neutralise (path tricks and
control characters in file names, template syntax in a name) are accepted and stored inert.

The plain refusals of CONTRACT §4 (unknown slot, over the size limit, encrypted PDF …) are
tests/api/test_refused_inputs.py; this sweep adds what an attacker would send. The body that
never ends needs a real server: tests/reliab/test_slow_body.py."""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from bench.harness import create_pg_database, drop_pg_database
from cases.models import Application, AuditEvent, Job, ShipmentEvent, Upload, User
from courier import kuaidi100 as k100
from courier import sf
from jobs.fsck import fsck
from storage import Bucket
from tests.api.service_fixtures import Running, running_service

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

MATTER = "second-hand-house-transfer"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[Running]:
    url = create_pg_database("paoyici_h")
    try:
        yield from running_service(
            tmp_path_factory.mktemp("hostile"), pipeline, max_upload_mb=1, database_url=url
        )
    finally:
        drop_pg_database(url)


@pytest.fixture(scope="module")
def ctx(svc: Running) -> dict[str, Any]:
    auth = svc.citizen("hostile-citizen")
    return {"auth": auth, "app": str(svc.new_application(auth)["id"])}


# -- hostile bytes -------------------------------------------------------------------------


def _jpeg(size: tuple[int, int] = (320, 200), colour: str = "white") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def _giant_jpeg(width: int = 65_000, height: int = 65_000) -> bytes:
    """A 1.6 kB JPEG whose frame header claims 4.2 gigapixels."""
    data = bytearray(_jpeg())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def _png_bomb(width: int = 40_000, height: int = 40_000) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _pdf(*objects: bytes) -> bytes:
    """A PDF with a correct cross-reference table around ``objects`` (1 is the catalogue)."""
    out, offsets = b"%PDF-1.7\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def _pdf_recursive() -> bytes:
    """A page tree whose node is its own child."""
    return _pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    )


def _pdf_huge_page() -> bytes:
    """One page of 14400 x 14400 units of 75000 points each: kilometres wide."""
    return _pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 >>",
    )


def _pdf_broken_xref() -> bytes:
    return _pdf_recursive().replace(b"xref\n0 4", b"xref\n0 99")[:-40]


def _multipart(parts: list[tuple[str, str]], boundary: str = "hostile") -> bytes:
    """A form of plain fields, one ``(header lines, value)`` per part."""
    body = "".join(f"--{boundary}\r\n{head}\r\n\r\n{value}\r\n" for head, value in parts)
    return (body + f"--{boundary}--\r\n").encode()


def _field(name: str) -> str:
    return f'Content-Disposition: form-data; name="{name}"'


# -- the table -----------------------------------------------------------------------------

Send = Callable[[Running, dict[str, Any]], Any]


def upload(data: bytes, name: str = "a.jpg", slot: str = "seller_id_card") -> Send:
    def send(svc: Running, ctx: dict[str, Any]) -> Any:
        return svc.client.post(
            f"/api/applications/{ctx['app']}/files",
            data={"slot": slot},
            files={"file": (name, data, "application/octet-stream")},
            headers=ctx["auth"],
        )

    return send


def raw_upload(body: bytes, content_type: str = "multipart/form-data; boundary=hostile") -> Send:
    def send(svc: Running, ctx: dict[str, Any]) -> Any:
        return svc.client.post(
            f"/api/applications/{ctx['app']}/files",
            content=body,
            headers={**ctx["auth"], "Content-Type": content_type},
        )

    return send


def json_post(path: str, body: Any = None, raw: bytes | None = None, auth: bool = True) -> Send:
    def send(svc: Running, ctx: dict[str, Any]) -> Any:
        headers = {"Content-Type": "application/json", **(ctx["auth"] if auth else {})}
        content = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode()
        return svc.client.post(path.format(**ctx), content=content, headers=headers)

    return send


def call(method: str, path: str, **kw: Any) -> Send:
    def send(svc: Running, ctx: dict[str, Any]) -> Any:
        return svc.client.request(method, path.format(**ctx), headers=ctx["auth"], **kw)

    return send


def form_post(path: str, data: dict[str, str] | None = None, raw: bytes | None = None) -> Send:
    def send(svc: Running, ctx: dict[str, Any]) -> Any:
        if raw is not None:
            ct = {"Content-Type": "application/x-www-form-urlencoded"}
            return svc.client.post(path, content=raw, headers=ct)
        return svc.client.post(path, data=data)

    return send


def _k100(param: str, salt: str = "a guessed salt") -> dict[str, str]:
    return {"param": param, "sign": k100.push_sign(param, salt)}


PUSH = json.dumps(
    {
        "status": "polling",
        "lastResult": {
            "nu": "98HOSTILE01",
            "com": "ems",
            "state": "3",
            "ischeck": "1",
            "data": [{"time": "2026-12-01 10:00:00", "context": "已签收", "status": "签收"}],
        },
    },
    ensure_ascii=False,
)
SF_PUSH = sf.dumps({"Body": {"WaybillRoute": [{"mailno": "SFHOSTILE1", "opCode": "80"}]}})
SQL = "' OR '1'='1'; DROP TABLE applications; --"
TEMPLATE = "{{ 7*7 }}${7*7}<%= 7*7 %>{% raw %}"

#: name → (how it is sent, status, code)
HOSTILE: dict[str, tuple[Send, int, str]] = {
    # decompression bombs and gigantic dimensions
    "png bomb (40000x40000 in 1 kB)": (upload(_png_bomb(), "bomb.png"), 413, "too_large"),
    "jpeg claiming 65000x65000": (upload(_giant_jpeg(), "big.jpg"), 413, "too_large"),
    "pdf page kilometres wide": (upload(_pdf_huge_page(), "huge.pdf"), 413, "too_large"),
    # PDFs with recursive or broken structure
    "pdf page tree that contains itself": (
        upload(_pdf_recursive(), "loop.pdf"),
        422,
        "corrupt_file",
    ),
    "pdf with a lying xref, truncated": (upload(_pdf_broken_xref(), "x.pdf"), 422, "corrupt_file"),
    # 0-byte, truncated, lying extensions
    "0-byte named .pdf": (upload(b"", "empty.pdf"), 422, "empty_file"),
    "truncated jpeg (half)": (upload(_jpeg()[:800], "half.jpg"), 422, "corrupt_file"),
    "html named .png": (
        upload(b"<html><script>alert(1)</script></html>", "a.png"),
        415,
        "unsupported_type",
    ),
    "svg named .jpg": (
        upload(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "a.jpg"),
        415,
        "unsupported_type",
    ),
    "windows executable named .pdf": (
        upload(b"MZ\x90\x00" + b"\x00" * 500, "a.pdf"),
        415,
        "unsupported_type",
    ),
    "elf executable named .jpg": (
        upload(b"\x7fELF" + b"\x00" * 500, "a.jpg"),
        415,
        "unsupported_type",
    ),
    "gzip named .png": (upload(zlib.compress(b"\x00" * 10_000), "a.png"), 415, "unsupported_type"),
    # multipart abuse
    "5000 form parts": (
        raw_upload(
            _multipart(
                [(_field("slot"), "seller_id_card")] + [(_field(f"f{i}"), "v") for i in range(5000)]
            )
        ),
        400,
        "bad_request",
    ),
    "200 kB part header": (
        raw_upload(
            _multipart([(_field("slot") + "\r\nX-Pad: " + "a" * 200_000, "seller_id_card")])
        ),
        400,
        "bad_request",
    ),
    "100 kB file name": (upload(_jpeg(colour="gray"), "x" * 100_000 + ".jpg"), 400, "bad_request"),
    "multipart without a boundary": (
        raw_upload(b"--x\r\n\r\n", "multipart/form-data"),
        400,
        "bad_request",
    ),
    "multipart that never closes": (
        raw_upload(b"--hostile\r\n" + _field("slot").encode() + b"\r\n\r\nseller"),
        422,
        "invalid_request",
    ),
    "form without its file part": (
        raw_upload(_multipart([(_field("slot"), "seller_id_card")])),
        422,
        "invalid_request",
    ),
    # oversized and malformed JSON
    "JSON nested 100000 deep": (
        json_post("/api/applications", raw=b"[" * 100_000 + b"]" * 100_000),
        400,
        "bad_request",
    ),
    "JSON of 5 MB of answers": (
        json_post(
            "/api/applications",
            {"matter": MATTER, "answers": {f"q{i}": True for i in range(300_000)}},
        ),
        422,
        "invalid_answers",
    ),
    "JSON that is not JSON": (
        json_post("/api/applications", raw=b"{'matter': x"),
        422,
        "invalid_request",
    ),
    "JSON with a lone surrogate": (
        json_post("/api/applications", raw=b'{"matter": "\\ud800", "answers": {}}'),
        422,
        "invalid_request",
    ),
    "name of 10000 characters": (
        json_post(
            "/api/auth/register",
            {"username": "longname", "password": "p" * 12, "name": "张" * 10_000},
            auth=False,
        ),
        422,
        "invalid_request",
    ),
    # control characters and Unicode confusables
    "NUL byte in a name": (
        json_post(
            "/api/auth/register",
            {"username": "nulname", "password": "p" * 12, "name": "张\x00三"},
            auth=False,
        ),
        422,
        "invalid_value",
    ),
    "NUL byte in a matter id": (
        json_post("/api/applications", {"matter": MATTER + "\x00", "answers": {}}),
        404,
        "unknown_matter",
    ),
    "NUL byte in a slot": (
        upload(_jpeg(colour="red"), slot="seller_id_card\x00"),
        422,
        "unknown_slot",
    ),
    "Cyrillic а in a username (аdmin)": (
        json_post(
            "/api/auth/register", {"username": "\u0430dmin", "password": "p" * 12}, auth=False
        ),
        422,
        "invalid_request",
    ),
    "full-width username (ａｄｍｉｎ)": (
        json_post(
            "/api/auth/register", {"username": "ａｄｍｉｎ", "password": "p" * 12}, auth=False
        ),
        422,
        "invalid_request",
    ),
    "newline after a username": (
        json_post("/api/auth/register", {"username": "admin\n", "password": "p" * 12}, auth=False),
        422,
        "invalid_request",
    ),
    "right-to-left override in a username": (
        json_post(
            "/api/auth/register", {"username": "gpj\u202eexe", "password": "p" * 12}, auth=False
        ),
        422,
        "invalid_request",
    ),
    "zero-width space in a matter id": (
        json_post(
            "/api/applications", {"matter": "second-hand\u200b-house-transfer", "answers": {}}
        ),
        404,
        "unknown_matter",
    ),
    # SQL and template injection in every text field
    "SQL in the matter": (
        json_post("/api/applications", {"matter": SQL, "answers": {}}),
        404,
        "unknown_matter",
    ),
    "SQL in an answer key": (
        json_post("/api/applications", {"matter": MATTER, "answers": {SQL: True}}),
        422,
        "invalid_answers",
    ),
    "SQL in the slot": (upload(_jpeg(colour="blue"), slot=SQL[:60]), 422, "unknown_slot"),
    "SQL in the username at login": (
        form_post("/api/auth/token", {"username": "admin' --", "password": SQL}),
        401,
        "invalid_credentials",
    ),
    "SQL in the username at register": (
        json_post("/api/auth/register", {"username": SQL, "password": "p" * 12}, auth=False),
        422,
        "invalid_request",
    ),
    "SQL in an application id": (
        call("GET", "/api/applications/" + SQL.replace("/", "")),
        404,
        "not_found",
    ),
    "SQL in a file id": (
        call("DELETE", "/api/applications/{app}/files/1 OR 1=1"),
        422,
        "invalid_request",
    ),
    "file id past the integer range": (
        call("DELETE", "/api/applications/{app}/files/" + "9" * 30),
        422,
        "invalid_value",
    ),
    "template in the matter": (
        json_post("/api/applications", {"matter": TEMPLATE, "answers": {}}),
        404,
        "unknown_matter",
    ),
    "template in the checklist matter": (
        json_post("/api/matters/{{7*7}}/checklist", {"answers": {}}),
        404,
        "unknown_matter",
    ),
    "SQL in a delivery recipient": (
        json_post(
            "/api/applications/{app}/delivery",
            {
                "method": "courier",
                "carrier": "sf",
                "recipient": {
                    "name": SQL[:60],
                    "phone": SQL,
                    "province": "浙江省",
                    "city": "杭州市",
                    "district": "西湖区",
                    "address": TEMPLATE,
                },
            },
        ),
        422,
        "invalid_request",
    ),
    "template in a delivery (not yet issued)": (
        json_post(
            "/api/applications/{app}/delivery",
            {
                "method": "courier",
                "carrier": "sf",
                "recipient": {
                    "name": TEMPLATE,
                    "phone": "13800000000",
                    "province": "浙江省",
                    "city": "杭州市",
                    "district": "西湖区",
                    "address": SQL,
                },
            },
        ),
        409,
        "delivery_not_allowed",
    ),
    # forged and malformed courier pushes
    "kuaidi100 push signed with a guessed salt": (
        form_post("/api/courier/kuaidi100/callback", _k100(PUSH)),
        401,
        "invalid_signature",
    ),
    "kuaidi100 push without a sign": (
        form_post("/api/courier/kuaidi100/callback", {"param": PUSH}),
        401,
        "invalid_signature",
    ),
    "kuaidi100 push with the sign of another param": (
        form_post(
            "/api/courier/kuaidi100/callback",
            {"param": PUSH.replace("98HOSTILE01", "98HOSTILE02"), "sign": _k100(PUSH)["sign"]},
        ),
        401,
        "invalid_signature",
    ),
    "kuaidi100 push of 5000 fields": (
        form_post("/api/courier/kuaidi100/callback", raw=b"a=1&" * 5000),
        400,
        "bad_request",
    ),
    "kuaidi100 push with an empty body": (
        form_post("/api/courier/kuaidi100/callback", raw=None, data=None),
        401,
        "invalid_signature",
    ),
    "sf push with a guessed check word": (
        form_post(
            "/api/courier/sf/push",
            sf.sign_push_form(SF_PUSH, check_word="guess", timestamp="1764554400000"),
        ),
        401,
        "invalid_signature",
    ),
    "sf push with an empty digest": (
        form_post(
            "/api/courier/sf/push",
            {"msgData": SF_PUSH, "timestamp": "1764554400000", "msgDigest": ""},
        ),
        401,
        "invalid_signature",
    ),
}


def snapshot(svc: Running) -> dict[str, Any]:
    with svc.services.sessions() as s:
        counts = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in (Application, Upload, Job, AuditEvent, User, ShipmentEvent)
        }
    objects = {
        kind.value: len(list(svc.services.store.list(kind=kind, prefix=""))) for kind in Bucket
    }
    return counts | objects


def refused(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, r.text[:300]
    body = r.json()
    assert body["error"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_input_is_refused_and_leaves_nothing(
    svc: Running, ctx: dict[str, Any], name: str
) -> None:
    send, status, code = HOSTILE[name]
    before = snapshot(svc)
    refused(send(svc, ctx), status, code)
    assert snapshot(svc) == before
    if name.startswith("SQL"):  # the statement ran as data, not as SQL
        with svc.services.sessions() as s:
            assert s.get(Application, ctx["app"]) is not None


CONTROL = set(map(chr, range(0x20))) | {"\x7f", "\u202e", "\u200b"}

#: file names an upload may carry: accepted, stored without their tricks
NAMES = {
    "parent directories": "../../../etc/passwd.jpg",
    "windows path": "C:\\Windows\\System32\\a.jpg",
    "absolute path": "/var/lib/postgresql/a.jpg",
    "CR LF header injection": "a.jpg\r\nX-Injected: 1",
    "right-to-left override": "invoice\u202egpj.exe",
    "zero-width and tab": "身份\u200b证\t正面.jpg",
    "template syntax": "{{7*7}}.jpg",
}


@pytest.mark.parametrize("trick", list(NAMES))
def test_a_file_name_is_stored_without_its_tricks(
    svc: Running, ctx: dict[str, Any], trick: str
) -> None:
    shade = 10 + 20 * list(NAMES).index(trick)  # distinct bytes: no de-duplication by hash
    r = upload(_jpeg(colour=f"rgb({shade},{shade},{shade})"), NAMES[trick])(svc, ctx)
    assert r.status_code == 202, r.text
    stored = r.json()["filename"]
    assert stored and not (set(stored) & CONTROL), stored
    assert "/" not in stored and "\\" not in stored and ".." not in stored, stored
    assert not stored.startswith("."), stored
    if trick == "template syntax":
        assert stored == "{{7*7}}.jpg"  # data, never rendered
    with svc.services.sessions() as s:
        row = s.get(Upload, int(r.json()["id"]))
        assert row is not None and row.filename == stored
        assert "/" not in row.object_key.removeprefix(f"{ctx['app']}/")


def test_a_pdf_bomb_is_read_in_bounded_time_or_refused(svc: Running, ctx: dict[str, Any]) -> None:
    """A page whose content stream inflates 1000-fold (300 kB → 300 MB): refused, or read
    to an end (done or failed) without taking the worker down."""
    stream = zlib.compress(b"\x00" * (300 * 1024 * 1024), 9)
    bomb = _pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode()
        + stream
        + b"\nendstream",
    )
    r = upload(bomb, "bomb.pdf")(svc, ctx)
    assert r.status_code in (202, 413), r.text
    if r.status_code == 202:
        svc.settle(timeout=120)
        with svc.services.sessions() as s:
            row = s.get(Upload, int(r.json()["id"]))
            assert row is not None and row.status in ("done", "failed"), row.status


def test_replayed_pushes_for_an_unknown_number_create_nothing(svc: Running) -> None:
    salt = svc.services.settings.courier.kuaidi100_salt.get_secret_value()
    before = snapshot(svc)
    for _ in range(3):
        r = form_post("/api/courier/kuaidi100/callback", _k100(PUSH, salt))(svc, {})
        assert r.status_code == 200 and r.json()["result"] is True
    assert snapshot(svc) == before


def test_after_the_sweep_fsck_is_clean(svc: Running, ctx: dict[str, Any]) -> None:
    svc.settle(timeout=120)
    report = fsck(svc.services.sessions, svc.services.store)
    assert report.ok, report.problems
    assert report.checked["rows"] >= len(NAMES)
    assert len(HOSTILE) >= 50  # the README counts this table: keep it honest
