"""``paoyici ocr FILE --json`` (CONTRACT §1)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from synthdocs import encode, generate
from synthdocs.hostile import encrypted_pdf

EXE = shutil.which("paoyici") or str(Path(__file__).resolve().parents[2] / ".venv/bin/paoyici")


def test_ocr_json_prints_one_document(tmp_path: Path) -> None:
    s = generate("id_card_back", seed=21)
    f = tmp_path / "back.png"
    f.write_bytes(encode(s, "png"))
    p = subprocess.run([EXE, "ocr", str(f), "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["doc_type"] == "id_card_back"
    assert {k: v["value"] for k, v in doc["fields"].items()} == s.fields
    assert set(doc) >= {"doc_type", "confidence", "pages", "quality", "fields"}


def test_unreadable_file_exits_3(tmp_path: Path) -> None:
    f = tmp_path / "locked.pdf"
    f.write_bytes(encrypted_pdf(generate("id_card_front", seed=1)))
    p = subprocess.run([EXE, "ocr", str(f), "--json"], capture_output=True, text=True, timeout=120)
    assert p.returncode == 3
    assert json.loads(p.stdout) == {
        "error": "encrypted",
        "message": json.loads(p.stdout)["message"],
    }
    assert json.loads(p.stdout)["message"]
