"""README's first command, `make run`, on a fresh copy: it installs, migrates and serves."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def _project_files() -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [f for f in out.splitlines() if (ROOT / f).is_file()]


@pytest.mark.slow
def test_make_run_installs_migrates_and_serves(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make not installed")
    src = tmp_path / "checkout"
    for rel in _project_files():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    port = free_port()
    log = (tmp_path / "make-run.log").open("wb")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAOYICI_", "VIRTUAL_ENV"))}
    started = time.monotonic()
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=src,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = started + 900
        ready = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(1)
        assert ready is not None and ready.status_code == 200, (
            tmp_path / "make-run.log"
        ).read_text()[-3000:]
        print(f"make run: first ready answer after {time.monotonic() - started:.1f} s")
        assert ready.json()["checks"]["database"] == "ok"
        assert (src / "var" / "paoyici.db").exists()
        assert (src / ".venv" / "bin" / "paoyici").exists()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
