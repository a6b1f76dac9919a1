"""Domain errors become HTTP answers in one place: every error class has a status in the table,
the bodies stay ``{"error", "message", **details}``, 5xx are logged with their cause, 4xx are not
logged as errors."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import HTTP_STATUS, http_status, listed_ancestor
from api.services import build_services
from common import DomainError
from jobs import JobsSettings
from signing import CertificateIdentifier, CertificateKind, SigningSettings
from storage import Bucket, CorruptObjectError, ObjectNotFoundError
from tests.api.conftest import make_settings

# every package of the project that may define errors (synthdocs and bench are dev tools)
PACKAGES = ("api", "cases", "common", "courier", "jobs", "ocr", "precheck", "signing", "storage")


def _project_errors() -> list[type[DomainError]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for info in pkgutil.walk_packages(package.__path__, name + "."):
            importlib.import_module(info.name)
    found: list[type[DomainError]] = []
    todo = list(DomainError.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PACKAGES:
            found.append(cls)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


ERRORS = _project_errors()


def test_the_walk_finds_every_package_base_error() -> None:
    names = {c.__name__ for c in ERRORS}
    bases = {"CaseError", "JobError", "OcrError", "PrecheckError", "SigningError", "StorageError"}
    assert bases <= names
    assert {"CorruptObjectError", "NotReadyError", "UnregisteredCertificateError"} <= names
    for name in ("cases", "jobs", "ocr", "precheck", "signing", "storage"):
        module = importlib.import_module(f"{name}.errors")
        defined = {
            v for v in vars(module).values() if isinstance(v, type) and issubclass(v, DomainError)
        }
        assert defined - {DomainError} <= set(ERRORS), name


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_every_domain_error_has_a_status_in_the_table(cls: type[DomainError]) -> None:
    ancestor = listed_ancestor(cls)
    assert ancestor is not None, (
        f"{cls.__module__}.{cls.__name__}: add it to api.errors.HTTP_STATUS"
    )
    status = http_status(cls)
    assert 400 <= status < 600
    if status >= 500:
        # a server fault is a decision: listed by name, never inherited by accident
        assert cls in HTTP_STATUS, f"{cls.__name__} answers {status} only through {ancestor}"


def test_statuses_follow_the_nearest_listed_ancestor() -> None:
    from ocr.errors import CorruptFileError, TooLargeError, UnsupportedTypeError
    from signing import CorruptPdfError, PdfTooLargeError
    from storage import ChecksumMismatchError, PresignedUrlExpiredError

    # a subclass listed with its own status wins over its parent's
    assert (http_status(ChecksumMismatchError), http_status(CorruptObjectError)) == (400, 500)
    assert (http_status(PdfTooLargeError), http_status(CorruptPdfError)) == (413, 422)
    assert http_status(UnsupportedTypeError(detail="x")) == 415
    assert http_status(TooLargeError(limit="bytes", actual=2, maximum=1)) == 413
    # an unlisted one answers like its parent
    assert http_status(PresignedUrlExpiredError) == http_status(PresignedUrlExpiredError.__base__)
    assert http_status(CorruptFileError()) == 422


def test_representative_bodies_are_unchanged(tmp_path: Path) -> None:
    settings = replace(make_settings(tmp_path), signing=SigningSettings(verify_max_bytes=64 * 1024))
    app = create_app(settings)
    with TestClient(app) as client:
        store = app.state.services.store
        missing = urlsplit(
            store.presign(
                method="GET", kind=Bucket.ARTEFACTS, key="a/never-put", expires=timedelta(minutes=5)
            )
        )
        r = client.get(f"{missing.path}?{missing.query}")
        assert (r.status_code, r.json()) == (
            404,
            {"error": "object_not_found", "message": "文件不存在或已被删除，请重新上传"},
        )
        last = missing.query[-1]
        forged = missing.query[:-1] + ("0" if last != "0" else "1")
        r = client.get(f"{missing.path}?{forged}")
        assert (r.status_code, r.json()) == (
            403,
            {"error": "presigned_url_invalid", "message": "链接无效，请重新获取下载或上传链接"},
        )

        big = b"%PDF-1.7\n" + b"0" * (80 * 1024)
        r = client.post("/verify", files={"file": ("c.pdf", big, "application/pdf")})
        assert (r.status_code, r.json()) == (
            413,
            {"error": "too_large", "message": "文件过大，电子证照 PDF 不应超过限制大小"},
        )

        ident = str(
            CertificateIdentifier(
                type_code=CertificateKind.REAL_ESTATE_REGISTRATION.default_type_code,
                issuer_code="11330100MB0000000N",
                serial="777",
                version=1,
            )
        )
        r = client.get(f"/verify/{ident}")
        assert (r.status_code, r.json()) == (
            404,
            {
                "error": "certificate_not_found",
                "message": "未找到该电子证照，请核对证照标识",
                "identifier": ident,
                "status": "unknown",
                "status_text": "未登记",
            },
        )
        r = client.get("/verify/not-an-identifier")
        assert (r.status_code, r.json()) == (
            422,
            {
                "error": "invalid_identifier",
                "message": "证照标识格式不正确或校验位错误，请核对后重新输入",
            },
        )


def test_readyz_answers_not_ready_through_the_handler(tmp_path: Path) -> None:
    # a real Celery queue whose broker does not listen
    unreachable = JobsSettings(backend="celery", broker_url="redis://127.0.0.1:1/0")
    app = create_app(replace(make_settings(tmp_path), jobs=unreachable))
    with TestClient(app) as client:
        r = client.get("/readyz")
    assert (r.status_code, r.json()) == (
        503,
        {
            "error": "not_ready",
            "message": "服务暂不可用：任务队列不可达",
            "status": "unavailable",
            "failing": ["jobs"],
            "checks": {"database": "ok", "storage": "ok", "jobs": "任务队列暂时不可用，请稍后重试"},
        },
    )


def test_pki_routes_answer_404_where_no_test_pki_is_served(tmp_path: Path) -> None:
    build_services(make_settings(tmp_path)).close()  # first start: the test PKI is generated
    real_pki = SigningSettings(serve_test_pki=False)  # its seal and root, but no responders
    app = create_app(replace(make_settings(tmp_path), signing=real_pki))
    with TestClient(app) as client:
        r = client.get("/pki/crl/ca.crl")
        assert (r.status_code, r.json()) == (
            404,
            {"error": "not_found", "message": "本服务未提供测试 PKI 服务"},
        )
        assert client.get("/healthz").status_code == 200


def test_server_faults_are_logged_with_their_cause_caller_faults_are_not(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(make_settings(tmp_path))
    probe = APIRouter()

    @probe.get("/_probe/corrupt")
    def corrupt() -> None:
        try:
            raise OSError("disk says no")
        except OSError as e:
            raise CorruptObjectError("read 3 bytes, expected 5", kind="uploads", key="a/b") from e

    @probe.get("/_probe/missing")
    def missing() -> None:
        raise ObjectNotFoundError(kind="uploads", key="a/c")

    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as client:
        caplog.set_level(logging.DEBUG, logger="api.errors")
        caplog.clear()
        r = client.get("/_probe/corrupt")
        assert (r.status_code, r.json()) == (
            500,
            {"error": "integrity_error", "message": "文件校验失败，文件可能已损坏，请联系工作人员"},
        )
        errors = [x for x in caplog.records if x.name == "api.errors"]
        assert [x.levelno for x in errors] == [logging.ERROR]
        assert "uploads/a/b" in errors[0].getMessage()
        assert errors[0].exc_info is not None
        assert isinstance(errors[0].exc_info[1], CorruptObjectError)
        assert isinstance(errors[0].exc_info[1].__cause__, OSError)

        caplog.clear()
        r = client.get("/_probe/missing")
        assert r.status_code == 404 and r.json()["error"] == "object_not_found"
        logged = [x for x in caplog.records if x.name == "api.errors"]
        assert logged and all(x.levelno < logging.WARNING for x in logged)


def test_a_write_that_lost_a_race_on_a_version_counter_is_a_409_not_a_500(tmp_path: Path) -> None:
    from sqlalchemy.orm.exc import StaleDataError

    app = create_app(make_settings(tmp_path))
    probe = APIRouter()

    @probe.post("/_probe/stale")
    def stale() -> None:
        raise StaleDataError("UPDATE statement on table 'applications' expected to update 1 row")

    app.include_router(probe)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/_probe/stale")
        assert (r.status_code, r.json()) == (
            409,
            {"error": "concurrent_update", "message": "办件已被他人更新，请刷新后重试"},
        )
