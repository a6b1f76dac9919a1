"""What importing and building the signing package loads. The runtime checks run in a fresh
interpreter, since this test session has long imported everything; the others read the source."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from signing.testing import TestPki

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_real_pki_never_loads_the_test_pki(pki: TestPki, tmp_path: Path) -> None:
    # the session PKI's files stand in for a licensed CA's: configured by path, not served
    out = run_python(
        """
        import datetime as dt, sys
        from pathlib import Path
        from signing import (CertificateIdentifier, CertificateKind, CertificateMeta,
                             HolderCodeType, SignatureLevel, SigningSettings,
                             build_signing_services)
        seal, root, tsa, data_dir = sys.argv[1:]
        settings = SigningSettings(serve_test_pki=False, pkcs12_path=Path(seal),
                                   trust_roots=[Path(root)], tsa_url=tsa,
                                   verify_allow_fetching=False)
        services = build_signing_services(settings=settings, data_dir=Path(data_dir))
        assert services.test_pki is None and services.pki_app is None
        day = dt.date(2026, 1, 5)
        kind = CertificateKind.REAL_ESTATE_REGISTRATION
        meta = CertificateMeta(
            kind=kind,
            identifier=CertificateIdentifier(type_code=kind.default_type_code,
                                             issuer_code="11330100MB0000000N",
                                             serial="42", version=1),
            number="浙(2026)杭州市不动产权第0000042号", holder="李四",
            holder_code="330106198503120016", holder_code_type=HolderCodeType.CITIZEN_ID,
            issuer="杭州市不动产登记中心", issued_on=day, valid_from=day)
        issued = services.issuer.issue(meta=meta, level=SignatureLevel.B_B)
        assert services.verifier.verify_pdf(issued.pdf).verified
        loaded = sorted(m for m in sys.modules if m.startswith("signing.testing"))
        assert not loaded, loaded
        assert not (Path(data_dir) / "pki").exists()
        """,
        str(pki.seal_p12),
        str(pki.directory / "root.pem"),
        pki.urls.tsa,
        str(tmp_path),
    )
    assert out.returncode == 0, out.stdout + out.stderr


def _signing_modules() -> dict[str, Path]:
    package = ROOT / "signing"
    out = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth of the code (a function's lazy import too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_signing_modules_import_each_other_without_a_cycle() -> None:
    modules = _signing_modules()
    graph = {name: _imported(path) & modules.keys() for name, path in modules.items()}
    assert graph["signing.testing.responders"] >= {"signing.testing.pki"}  # the graph is read

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    return [*trail, nxt]
                if nxt not in trail:
                    stack.append((nxt, [*trail, nxt]))
        return None

    cycles = [c for name in graph if (c := cycle_from(name)) is not None]
    assert not cycles, cycles


def test_importing_signing_loads_neither_pyhanko_nor_reportlab() -> None:
    out = run_python(
        """
        import sys
        import signing
        engines = ("pyhanko", "reportlab")
        assert not [m for m in sys.modules if m.split(".")[0].startswith(engines)]
        # the names of the engine modules load them on first use
        assert signing.SignatureLevel.B_LT.needs_revocation_info
        from signing import PadesValidator
        assert PadesValidator.__module__ == "signing.pades" and "pyhanko" in sys.modules
        assert "reportlab" not in sys.modules
        assert signing.CertificateRenderer.__module__ == "signing.render"
        assert "reportlab" in sys.modules
        """
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_public_name_resolves() -> None:
    import signing

    for name in signing.__all__:
        assert getattr(signing, name) is not None, name
    assert set(signing.__all__) <= set(dir(signing))
    with pytest.raises(AttributeError):
        _ = signing.TestPki  # type: ignore[attr-defined]


def test_only_the_adapter_modules_import_their_engines() -> None:
    engines = {"pyhanko": "signing.pades", "pyhanko_certvalidator": "signing.pades"}
    engines["reportlab"] = engines["qrcode"] = "signing.render"
    importers: dict[str, set[str]] = {engine: set() for engine in engines}
    for name, path in _signing_modules().items():
        for module in _imported(path):
            root = module.split(".")[0]
            if root in importers:
                importers[root].add(name)
    assert importers == {engine: {adapter} for engine, adapter in engines.items()}
