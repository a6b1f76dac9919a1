"""The TSA and OCSP unreachable at issue time: an approved case waits (approved, no
certificate, nothing unsigned stored) and is issued at B-LT when they return, by itself.

A real ``paoyici serve`` whose public address (the TSA URL, and the OCSP/CRL addresses in its
test PKI's certificates) is a forwarder of this test's own: switched off, every connection to
the trust services is refused; switched on, it forwards to the service."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.harness import ApiClient, Deployment, Service, free_port, start_service
from bench.service_load import user_id
from tests.api.test_cli import run_cli

pytestmark = pytest.mark.slow

OUTAGE_S = 45  # longer than the runner's five attempts of 2 s x 2^n would last


class Forwarder:
    """127.0.0.1:``port`` → 127.0.0.1:``target`` while ``on``; refused (reset) while off."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.on = threading.Event()
        self.refused = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self._sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                client, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.on.is_set():
                self.refused += 1
                client.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                )
                client.close()
                continue
            upstream = socket.create_connection(("127.0.0.1", self.target))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def close(self) -> None:
        self._stop.set()
        self._sock.close()


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Deployment, Service, Forwarder]]:
    port = free_port()
    fwd = Forwarder(port)
    fwd.on.set()  # on while the service starts and makes its test PKI
    dep = Deployment.embedded(
        tmp_path / "data",
        PAOYICI_PUBLIC_BASE_URL=f"http://127.0.0.1:{fwd.port}",
        PAOYICI_SIGNING_LEVEL="B-LT",
        PAOYICI_JOBS_WARM_UP="false",
    )
    dep.data_dir.mkdir(parents=True)
    dep.cli("db", "upgrade")
    dep.add_staff(
        "tsa-reviewer",
        "tsa-reviewer-pass",
        role="reviewer",
        name="审核员",
        matters=("second-hand-house-transfer",),
    )
    svc = start_service(dep, port=port)
    yield dep, svc, fwd
    svc.stop()
    fwd.close()


def test_an_unreachable_tsa_and_ocsp_delay_issuing_never_skip_signing(
    deployment: tuple[Deployment, Service, Forwarder], tmp_path: Path
) -> None:
    from bench.service_load import seed_review_queue

    dep, svc, fwd = deployment
    api = ApiClient(svc.base_url)
    citizen = api.citizen()
    seed_review_queue(dep, [user_id(api, citizen)], 1)
    reviewer = api.token("tsa-reviewer", "tsa-reviewer-pass")
    case = api.http.get("/api/review/queue", headers=reviewer).json()[0]["id"]
    assert api.http.post(f"/api/review/applications/{case}/claim", headers=reviewer).is_success

    fwd.on.clear()
    r = api.http.post(
        f"/api/review/applications/{case}/decision", json={"decision": "approve"}, headers=reviewer
    )
    assert r.status_code == 200, r.text
    deadline = time.monotonic() + OUTAGE_S
    while time.monotonic() < deadline:
        seen = api.application(citizen, case)
        assert seen["state"] == "approved" and seen["certificate"] is None, seen["state"]
        got = api.http.get(f"/api/applications/{case}/certificate", headers=citizen)
        assert got.status_code == 404 and b"%PDF" not in got.content
        time.sleep(1)
    assert fwd.refused > 0, "the service never tried the trust services"

    fwd.on.set()
    deadline = time.monotonic() + 240
    while (state := api.application(citizen, case)["state"]) != "issued":
        assert time.monotonic() < deadline, f"not issued after the outage: {state}"
        time.sleep(1)
    pdf = api.http.get(f"/api/applications/{case}/certificate", headers=citizen)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    out = tmp_path / "cert.pdf"
    out.write_bytes(pdf.content)
    root = dep.data_dir / "pki" / "root.pem"
    checked = run_cli("verify", str(out), "--trust", str(root), "--json", cwd=tmp_path, **dep.env)
    verdict = json.loads(checked.stdout)
    assert checked.returncode == 0 and verdict["valid"] and verdict["level"] in ("B-LT", "B-LTA")
    fsck = run_cli("fsck", "--json", "--grace-s", "0", cwd=dep.data_dir, **dep.env)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    api.close()
