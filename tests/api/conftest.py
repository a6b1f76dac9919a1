from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path

import pytest

from api.settings import ApiSettings, Settings
from cases import DatabaseSettings
from jobs import JobsSettings
from ocr.settings import OcrSettings
from precheck.settings import PrecheckSettings
from signing import SigningSettings
from storage import StorageSettings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_settings(data_dir: Path, *, database_url: str | None = None, **api: object) -> Settings:
    """The embedded defaults, isolated from the environment of the test run."""
    return Settings(
        api=ApiSettings(data_dir=data_dir, **api),  # type: ignore[arg-type]
        database=DatabaseSettings(url=database_url),
        storage=StorageSettings(),
        # the OCR pipeline loads on the first read, not with every test's app
        jobs=JobsSettings(warm_up=False),
        signing=SigningSettings(),
        ocr=OcrSettings(),
        precheck=PrecheckSettings(),
    )


@dataclass
class PrivatePostgres:
    """A throwaway PostgreSQL cluster that a test may stop and start at will."""

    datadir: Path
    port: int
    bindir: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        cmd = [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-w", *args]
        subprocess.run(_as_postgres(cmd), check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-o", opts, "-l", str(self.datadir / "log"), "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    bins = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    if not bins:
        pytest.skip("PostgreSQL server binaries not installed")
    bindir = Path(bins[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="paoyici-pg-"))
    root.chmod(0o777)
    datadir = root / "data"
    if os.geteuid() == 0:
        datadir.mkdir()
        shutil.chown(datadir, "postgres", "postgres")
    subprocess.run(
        _as_postgres([str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres"]),
        check=True,
        capture_output=True,
        timeout=120,
    )
    pg = PrivatePostgres(datadir=datadir, port=free_port(), bindir=bindir)
    pg.start()
    try:
        yield pg
    finally:
        subprocess.run(
            _as_postgres([str(bindir / "pg_ctl"), "-D", str(datadir), "-m", "immediate", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)
