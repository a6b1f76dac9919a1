"""The CLI verbs of CONTRACT §1: pki init, certificate sample, verify (exit 0 / 1 / 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.signing.conftest import free_port

runner = CliRunner()


@pytest.fixture(scope="module")
def cli_pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("clipki")
    r = runner.invoke(app, ["pki", "init", str(d), "--base-url", f"http://127.0.0.1:{free_port()}"])
    assert r.exit_code == 0, r.output
    for name in (
        "root.pem",
        "ca.pem",
        "seal.p12",
        "seal-rsa.p12",
        "tsa.pem",
        "ocsp.pem",
        "ca.crl",
        "root.crl",
    ):
        assert (d / name).is_file()
    return d


@pytest.mark.parametrize("level", ["B-B", "B-LT"])
def test_sample_then_verify_json(cli_pki: Path, tmp_path: Path, level: str) -> None:
    out = tmp_path / "sample.pdf"
    r = runner.invoke(
        app, ["certificate", "sample", str(out), "--pki", str(cli_pki), "--level", level]
    )
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["verify", str(out), "--trust", str(cli_pki / "root.pem"), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {"intact", "valid", "trusted", "level", "signed_at", "identifier", "status"} <= set(doc)
    assert doc["intact"] and doc["valid"] and doc["trusted"]
    assert doc["level"] == level and doc["status"] == "unknown"
    assert doc["identifier"].startswith("1.2.156.3005.2.")


def test_verify_fails_with_1_for_tampered_and_foreign_root(
    cli_pki: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    out = tmp_path / "s.pdf"
    assert (
        runner.invoke(
            app, ["certificate", "sample", str(out), "--pki", str(cli_pki), "--level", "B-B"]
        ).exit_code
        == 0
    )
    pdf = out.read_bytes()
    i = pdf.index(b"/Creator (") + 12
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(pdf[:i] + bytes([pdf[i] ^ 1]) + pdf[i + 1 :])
    r = runner.invoke(app, ["verify", str(bad), "--trust", str(cli_pki / "root.pem"), "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["intact"] is False
    other = tmp_path_factory.mktemp("other")
    assert runner.invoke(app, ["pki", "init", str(other)]).exit_code == 0
    r = runner.invoke(app, ["verify", str(out), "--trust", str(other / "root.pem"), "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["trusted"] is False
    notpdf = tmp_path / "x.pdf"
    notpdf.write_bytes(b"hello")
    r = runner.invoke(app, ["verify", str(notpdf), "--trust", str(cli_pki / "root.pem"), "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["error"] == "not_a_pdf"


def test_usage_errors_exit_2(cli_pki: Path, tmp_path: Path) -> None:
    r = runner.invoke(
        app, ["verify", str(tmp_path / "missing.pdf"), "--trust", str(cli_pki / "root.pem")]
    )
    assert r.exit_code == 2
    some = tmp_path / "a.pdf"
    some.write_bytes(b"%PDF-1.4")
    r = runner.invoke(app, ["verify", str(some), "--trust", str(tmp_path / "nope.pem")])
    assert r.exit_code == 2
    r = runner.invoke(
        app, ["certificate", "sample", str(tmp_path / "o.pdf"), "--pki", str(tmp_path)]
    )
    assert r.exit_code == 2
    r = runner.invoke(app, ["verify", str(some)])
    assert r.exit_code == 2
