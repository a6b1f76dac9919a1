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
        [*PAOYICI, "precheck", *args], capture_output=True, text=True, cwd=cwd, timeout=600, env=env
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


def test_checklist_verb(tmp_path, answers):
    answers.write_text(json.dumps({"seller_married": True}))
    out = subprocess.run(
        [*PAOYICI, "checklist", "--matter", "second-hand-house-transfer", "--answers", str(answers),
         "--json", "--pdf", str(tmp_path / "c.pdf"), "--html", str(tmp_path / "c.html")],
        capture_output=True, text=True, cwd=tmp_path, timeout=600,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    slots = [i["slot"] for i in doc["items"]]
    assert "seller_marriage_certificate" in slots and "power_of_attorney" not in slots
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    assert "因卖方已婚" in (tmp_path / "c.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_precheck_json_report_with_an_unreadable_upload(tmp_path):
    from synthdocs.applications import build_application

    app = build_application(seed=905, defect="missing_id_back")
    paths = {}
    for _slot, name, data in app.uploads:
        (tmp_path / name).write_bytes(data)
        paths[name] = str(tmp_path / name)
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40)
    (tmp_path / "answers.json").write_text(json.dumps(dict(app.answers)))
    argv = ["--matter", app.matter, "--answers", "answers.json", *app.cli_args(paths),
            "--file", "sale_contract=broken.jpg", "--as-of", str(app.as_of), "--json"]  # fmt: skip
    out = run_cli(*argv, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)  # exactly one JSON document on stdout
    assert report["matter"] == app.matter and report["verdict"] == "needs_fix"
    codes = {(f["code"], f["slot"]) for f in report["findings"]}
    assert ("missing_page", "seller_id_card") in codes
    assert ("unreadable", "sale_contract") in codes
    broken = report["documents"][-1]
    assert broken["slot"] == "sale_contract" and broken["error"] == "corrupt_file"
    # the second run reads every file from the disk cache under ./var
    again = run_cli(*argv, cwd=tmp_path)
    assert json.loads(again.stdout)["findings"] == report["findings"]
    assert list((tmp_path / "var" / "precheck-cache").rglob("*.json"))
