"""What importing ``ocr`` costs, and where ONNX Runtime comes in: both in fresh interpreters, so
nothing this test session already imported hides a heavy import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import ocr

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "cv2", "onnxruntime", "rapidocr")


def _run(code: str) -> object:
    """Run ``code`` in a fresh interpreter at the project root; it prints one JSON value."""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _heavy_after(statement: str) -> list[str]:
    loaded = _run(f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))")
    assert isinstance(loaded, list)
    return sorted({m.split(".")[0] for m in loaded} & set(HEAVY))


@pytest.mark.parametrize(
    "statement",
    [
        "import ocr",
        "import ocr.validators",
        "from ocr.validators import is_valid_id_number, is_valid_credit_code",
        "from ocr import DocType, Document, LOW_CONFIDENCE, OcrSettings, UnreadableFileError",
    ],
)
def test_cheap_imports_load_no_engine(statement: str) -> None:
    assert _heavy_after(statement) == []


def test_the_reader_itself_still_loads_on_first_use() -> None:
    # the control for the test above: the same check does see a heavy import when one happens
    assert _heavy_after("from ocr import OcrPipeline") == ["cv2", "numpy"]


def test_every_public_name_resolves() -> None:
    for name in ocr.__all__:
        assert getattr(ocr, name) is not None, name
    assert ocr.Analyzer is ocr.OcrPipeline
    with pytest.raises(AttributeError):
        _ = ocr.NoSuchName  # type: ignore[attr-defined]


def _modules_importing(package: Path, top: str) -> set[str]:
    found = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n == top or n.startswith(top + ".") for n in names):
                found.add(path.relative_to(package.parent).as_posix())
    return found


def test_onnxruntime_is_imported_by_one_module_only() -> None:
    assert _modules_importing(ROOT / "ocr", "onnxruntime") == {"ocr/engines/onnx.py"}


_WHO_IMPORTS_ONNXRUNTIME = """
import builtins, json, sys
callers = set()
real_import = builtins.__import__
def spy(name, globals=None, locals=None, fromlist=(), level=0):
    if name == "onnxruntime" or name.startswith("onnxruntime."):
        callers.add((globals or {}).get("__name__", "?"))
    return real_import(name, globals, locals, fromlist, level)
builtins.__import__ = spy
from pathlib import Path
import tempfile
from ocr import OcrPipeline, OcrSettings
pipe = OcrPipeline.load(OcrSettings(threads=1), data_dir=Path(tempfile.mkdtemp()))
assert pipe.orientation is not None
print(json.dumps(sorted(c for c in callers if c == "ocr" or c.startswith("ocr."))))
"""


def test_loading_the_engines_imports_onnxruntime_only_through_its_adapter() -> None:
    # the rapid engine and the orientation model both run ONNX models; ONNX Runtime itself is
    # reached from this project only through ocr.engines.onnx (rapidocr imports it on its own)
    assert _run(_WHO_IMPORTS_ONNXRUNTIME) == ["ocr.engines.onnx"]
