"""The architecture of docs/architecture.md, checked: the import-linter contracts in
``.importlinter`` (layers, independent siblings, one adapter module per third-party engine,
no development-only tree imported by the packages) must all be kept."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> list[str]:
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert exe, "import-linter is not installed (dev extra)"
    return [exe, "--config", str(ROOT / ".importlinter"), "--no-cache"]


def test_every_import_contract_is_kept() -> None:
    done = subprocess.run(_lint_imports(), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_the_contracts_name_every_package() -> None:
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    packages = sorted(
        p.name
        for p in ROOT.iterdir()
        if (p / "__init__.py").exists() and p.name not in {"tests", "bench", "synthdocs", "docs"}
    )
    roots = config.split("root_packages =", 1)[1].split("include_external_packages", 1)[0].split()
    assert sorted(roots) == packages
