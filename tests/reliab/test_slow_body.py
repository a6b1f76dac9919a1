"""A body that never ends (slowloris), on a real server (``paoyici serve`` in a subprocess):
answered 408 ``request_timeout`` with a Chinese message once it stops arriving for
``PAOYICI_BODY_TIMEOUT_S``, the connection closed, other citizens served meanwhile, nothing
left behind."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.harness import ApiClient, Deployment, Service, start_service
from tests.api.test_cli import run_cli

pytestmark = pytest.mark.slow

TIMEOUT_S = 2


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    dep = Deployment.embedded(
        tmp_path / "data", PAOYICI_BODY_TIMEOUT_S=str(TIMEOUT_S), PAOYICI_JOBS_WARM_UP="false"
    )
    svc = start_service(dep)
    yield svc
    svc.kill()  # a graceful stop would wait for any connection a test left open


def _answer(sock: socket.socket, limit: float) -> bytes:
    sock.settimeout(limit)
    got = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        got += chunk
    return got


def test_a_body_that_stops_arriving_is_answered_408_and_leaves_nothing(
    service: Service, tmp_path: Path
) -> None:
    api = ApiClient(service.base_url)
    auth = api.citizen()
    app_id = api.create_application(auth)["id"]
    host, port = service.base_url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)))
    head = (
        f"POST /api/applications/{app_id}/files HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: {auth['Authorization']}\r\n"
        "Content-Type: multipart/form-data; boundary=slow\r\nContent-Length: 500000\r\n\r\n"
        '--slow\r\nContent-Disposition: form-data; name="slot"\r\n\r\nseller_id_card\r\n'
        '--slow\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n\r\n\xff\xd8'
    )
    started = time.monotonic()
    sock.sendall(head.encode("latin-1"))
    # meanwhile the service answers everyone else
    assert api.http.get("/api/matters").status_code == 200
    raw = _answer(sock, limit=TIMEOUT_S + 20)
    waited = time.monotonic() - started
    sock.close()
    status_line, _, rest = raw.partition(b"\r\n")
    assert b" 408 " in status_line, raw[:300]
    body = json.loads(rest.split(b"\r\n\r\n", 1)[1].decode())
    assert body["error"] == "request_timeout" and "请" in body["message"]
    assert TIMEOUT_S <= waited < TIMEOUT_S + 15, waited  # the whole answer, connection closed
    assert api.application(auth, app_id)["files"] == []
    api.close()
    r = run_cli(
        "fsck", "--json", "--grace-s", "0", cwd=tmp_path, PAOYICI_DATA_DIR=str(tmp_path / "data")
    )
    assert r.returncode == 0 and json.loads(r.stdout)["ok"] is True, r.stdout + r.stderr
