"""The app starts, reports readiness truthfully, maps errors, and refuses insecure production."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import cases
from api.app import create_app
from api.deps import SessionDep
from api.services import build_services
from api.settings import InsecureConfigurationError
from cases.models import AuditEvent
from tests.api.conftest import PrivatePostgres, make_settings


def test_embedded_defaults_start_and_are_ready(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "var"))
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "storage": "ok", "jobs": "ok"}
        assert client.get("/docs").status_code == 200
        assert "/readyz" in client.get("/openapi.json").json()["paths"]
    # the embedded database was created and migrated under the data dir
    assert (tmp_path / "var" / "paoyici.db").exists()


@pytest.mark.postgres
def test_readyz_names_the_database_while_it_is_down_and_recovers(
    tmp_path: Path, private_postgres: PrivatePostgres
) -> None:
    app = create_app(make_settings(tmp_path, database_url=private_postgres.url))
    with TestClient(app) as client:
        assert client.get("/readyz").status_code == 200

        private_postgres.stop()
        down = client.get("/readyz")
        assert down.status_code == 503
        body = down.json()
        assert body["error"] == "not_ready"
        assert body["failing"] == ["database"]
        assert "数据库" in body["message"]
        assert body["checks"]["storage"] == "ok"
        assert client.get("/healthz").status_code == 200  # alive, just not ready

        private_postgres.start()
        deadline = time.monotonic() + 20
        while (status := client.get("/readyz").status_code) != 200 and time.monotonic() < deadline:
            time.sleep(0.3)
        assert status == 200


def test_domain_errors_become_chinese_json(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    probe = APIRouter()

    @probe.get("/_probe/illegal")
    def illegal() -> None:
        cases.check_transition(cases.State.DRAFT, cases.State.ISSUED)

    @probe.get("/_probe/crash")
    def crash() -> None:
        raise RuntimeError("boom 330106198503120016")

    @probe.get("/_probe/typed")
    def typed(n: int) -> int:
        return n

    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.get("/_probe/illegal")
        assert r.status_code == 409
        assert r.json() == {
            "error": "illegal_transition",
            "message": "办件当前状态为“草稿”，不能变更为“已出证”",
        }
        r = client.get("/_probe/crash")
        assert r.status_code == 500
        assert r.json() == {"error": "internal_error", "message": "服务内部错误，请稍后重试"}
        r = client.get("/_probe/typed", params={"n": "x"})
        assert r.status_code == 422 and r.json()["error"] == "invalid_request"
        r = client.get("/no/such/page")
        assert r.status_code == 404 and r.json()["error"] == "not_found"


def test_production_refuses_development_secrets(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, env="production")
    with pytest.raises(InsecureConfigurationError) as err:
        build_services(settings)
    names = " ".join(err.value.names)
    assert "PAOYICI_SECRET_KEY" in names
    assert "PAOYICI_DATABASE_ENCRYPTION_KEY" in names
    assert "PAOYICI_DATABASE_URL" in names
    assert not (tmp_path / "paoyici.db").exists()  # refused before touching anything


def test_id_numbers_are_masked_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from api.logging_setup import MaskIdNumbersFilter
    from common import mask_id_number, mask_ids

    assert mask_ids("身份证 330106198503120016 与 11010519491231002X") == (
        "身份证 330***********0016 与 110***********002X"
    )
    assert mask_ids("订单 20261127000000000000123") == "订单 20261127000000000000123"
    assert mask_id_number("330106198503120016") == "330***********0016"
    assert (mask_id_number("12345678"), mask_id_number(""), mask_id_number(None)) == (
        "********",
        "",
        None,
    )
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "holder %s", ("330106198503120016",), None
    )
    assert MaskIdNumbersFilter().filter(record)
    assert record.getMessage() == "holder 330***********0016"


def test_presigned_links_of_the_embedded_store_are_served_by_the_app(tmp_path: Path) -> None:
    from datetime import timedelta
    from urllib.parse import urlsplit

    from storage import Bucket

    app = create_app(make_settings(tmp_path))
    with TestClient(app) as client:
        store = app.state.services.store
        store.put(
            kind=Bucket.ARTEFACTS,
            key="a/report.pdf",
            data=b"%PDF-1.7 test",
            content_type="application/pdf",
        )
        url = urlsplit(
            store.presign(
                method="GET",
                kind=Bucket.ARTEFACTS,
                key="a/report.pdf",
                expires=timedelta(minutes=5),
            )
        )
        assert url.netloc == "127.0.0.1:8000"  # the one public base URL
        r = client.get(f"{url.path}?{url.query}")
        assert r.status_code == 200 and r.content == b"%PDF-1.7 test"
        tampered = client.get(f"{url.path.replace('report', 'other')}?{url.query}")
        assert tampered.status_code in (403, 404) and tampered.json()["error"]


def test_certificates_issued_by_the_service_verify_and_revocation_shows(tmp_path: Path) -> None:
    from signing import SignatureLevel
    from signing.testing import sample_meta

    app = create_app(make_settings(tmp_path))
    with TestClient(app) as client:
        services = app.state.services
        meta = sample_meta(serial="900")
        issued = services.signing.issuer.issue(meta=meta, level=SignatureLevel.B_B)
        services.registry.register(meta, actor="reviewer:1")
        ident = str(meta.identifier)

        r = client.post("/verify", files={"file": ("c.pdf", issued.pdf, "application/pdf")})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["intact"] and body["trusted"] and body["status"] == "valid"
        assert body["identifier"] == ident

        landing = client.get(f"/verify/{ident}").json()
        assert landing["status"] == "valid"
        assert meta.holder not in str(landing) and meta.holder_code not in str(landing)

        services.registry.revoke(ident, actor="officer:2", reason="登记错误")
        assert client.get(f"/verify/{ident}").json()["status"] == "revoked"
        again = client.post("/verify", files={"file": ("c.pdf", issued.pdf, "application/pdf")})
        assert again.json()["status"] == "revoked"

        bad = client.post(
            "/verify", files={"file": ("x.pdf", b"GIF89a not a pdf", "application/pdf")}
        )
        assert 400 <= bad.status_code < 500 and bad.json()["error"]
        # the embedded default serves its test PKI's CRL, which now lists nothing (seal not revoked)
        from cryptography import x509

        crl = client.get("/pki/crl/ca.crl")
        assert crl.status_code == 200
        assert len(list(x509.load_der_x509_crl(crl.content))) == 0


def test_one_services_object_and_one_certificate_registry(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    with TestClient(app):
        services = app.state.services
        # the registry the service registers in is the one the verifier (and so /verify) reads
        assert services.signing.verifier.registry is services.registry
        # nothing else is parked on app.state: routes depend on api.deps
        assert set(vars(app.state)["_state"]) == {"services"}


def test_a_request_session_commits_on_success_and_rolls_back_on_error(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path))
    probe = APIRouter()

    def _append(session: Session, action: str) -> None:
        cases.append_event(
            session, actor="t", role="system", action=action, subject_type="probe", subject_id="1"
        )

    @probe.post("/_probe/ok")
    def ok(session: SessionDep) -> dict[str, str]:
        _append(session, "kept")
        return {"status": "ok"}

    @probe.post("/_probe/fail")
    def fail(session: SessionDep) -> None:
        _append(session, "dropped")
        cases.check_transition(cases.State.DRAFT, cases.State.ISSUED)  # raises: 409

    app.include_router(probe)
    with TestClient(app) as client:
        assert client.post("/_probe/ok").status_code == 200
        r = client.post("/_probe/fail")
        assert r.status_code == 409 and r.json()["error"] == "illegal_transition"
        with cases.transaction(app.state.services.sessions) as s:
            actions = s.execute(select(AuditEvent.action)).scalars().all()
            assert actions == ["kept"]
            assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == 1
