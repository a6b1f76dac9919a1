from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path

import pytest

from bench.harness import embedded_settings, free_port

#: The embedded defaults of a test (tests import it under this name).
make_settings = embedded_settings
__all__ = ["free_port", "make_settings"]


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
