"""``paoyici precheck`` usage errors: exit 2 with one line on stderr, nothing on stdout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PAOYICI = [sys.executable, "-c", "from api.cli import main; main()"]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parents[2])}
    return subprocess.run(
        [*PAOYICI, "precheck", *args], capture_output=True, text=True, cwd=cwd, timeout=120, env=env
    )


@pytest.fixture()
def answers(tmp_path: Path) -> Path:
    p = tmp_path / "answers.json"
    p.write_text(json.dumps({"seller_married": False}))
    return p


@pytest.fixture()
def image(tmp_path: Path) -> Path:
    p = tmp_path / "card.jpg"
    p.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    return p


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--matter", "no-such-matter"], "no-such-matter"),
        (["--answers", "MISSING.json"], "情形问答"),
        (["--file", "seller_id_card=/nonexistent/x.jpg"], "文件不存在"),
        (["--file", "passport=IMAGE"], "passport"),
        (["--as-of", "2026-13-01"], "--as-of"),
    ],
)
def test_usage_errors_exit_2(args, needle, tmp_path, answers, image):
    base = {"--matter": "second-hand-house-transfer", "--answers": str(answers),
            "--file": f"seller_id_card={image}"}  # fmt: skip
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value.replace("IMAGE", str(image))
    argv = [x for kv in base.items() for x in kv] + ["--json"]
    out = run_cli(*argv, cwd=tmp_path)
    assert out.returncode == 2, out.stderr
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0]


def test_bad_answers_content_exits_2(tmp_path, image):
    for content in ("[1, 2]", "{not json", '{"seller_maried": true}'):
        p = tmp_path / "a.json"
        p.write_text(content)
        out = run_cli("--matter", "second-hand-house-transfer", "--answers", str(p),
                      "--file", f"seller_id_card={image}", "--json", cwd=tmp_path)  # fmt: skip
        assert (
            out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
        )
