"""``import storage`` costs what it uses: the minio SDK loads with the S3 store, and only
``storage/s3.py`` imports it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "cases", "common", "courier", "jobs", "ocr", "precheck", "signing", "storage")


def importers_of(module: str) -> set[str]:
    """Project files (relative paths) that import ``module`` or one of its submodules."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                if any(n == module or n.startswith(module + ".") for n in names):
                    found.add(str(path.relative_to(ROOT)))
    return found


def loads_after_import(statement: str, module: str) -> bool:
    code = f"import sys; {statement}; print({module!r} in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


def test_import_storage_does_not_load_minio() -> None:
    assert not loads_after_import("import storage", "minio")
    assert not loads_after_import("from storage import build_store, LocalStore", "minio")
    # the S3 store itself is still one name away
    assert loads_after_import("from storage import S3Store", "minio")


def test_only_the_s3_adapter_imports_minio() -> None:
    assert importers_of("minio") == {"storage/s3.py"}
