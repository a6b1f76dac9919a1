"""Every CLI verb reads the service's settings: ``PAOYICI_*`` means what it means to ``serve``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PAOYICI = [sys.executable, "-c", "from api.cli import main; main()"]


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PAOYICI_")}
    return subprocess.run(
        [*PAOYICI, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={**clean, **env},
    )


def test_db_upgrade_writes_only_under_the_data_dir(tmp_path: Path) -> None:
    data, cwd = tmp_path / "data", tmp_path / "elsewhere"
    cwd.mkdir()
    r = run_cli("db", "upgrade", cwd=cwd, PAOYICI_DATA_DIR=str(data))
    assert r.returncode == 0, r.stderr
    assert (data / "paoyici.db").is_file()
    assert list(cwd.iterdir()) == []  # no ./var beside the command
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "elsewhere"]


def test_pki_init_takes_the_services_public_base_url(tmp_path: Path) -> None:
    r = run_cli(
        "pki", "init", "pki", cwd=tmp_path, PAOYICI_PUBLIC_BASE_URL="http://127.0.0.1:18443"
    )
    assert r.returncode == 0, r.stderr
    manifest = json.loads((tmp_path / "pki" / "pki.json").read_text())
    assert manifest["base_url"] == "http://127.0.0.1:18443"
    assert "http://127.0.0.1:18443/pki/tsa" in r.stderr
