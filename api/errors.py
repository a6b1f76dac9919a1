"""The edge where domain errors become HTTP answers: one table of statuses, one handler.

Packages raise ``common.DomainError`` subclasses that say *what* happened (a stable ``code``, a
Chinese ``message``, ``details()``); this module alone decides the HTTP status. ``HTTP_STATUS``
is looked up along the error's MRO, so a subclass answers like its nearest listed ancestor; every
5xx is listed by name (a server fault is a decision, never inherited by accident). The body is
always ``{"error": code, "message": 中文说明, **details()}``. 5xx answers are logged with their
cause; 4xx answers are the caller's business and are not logged as errors.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError as DatabaseDataError
from sqlalchemy.exc import OperationalError as DatabaseOperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.security import (
    ForbiddenError,
    LoginThrottledError,
    RegistrationClosedError,
    UnauthenticatedError,
)
from cases import (
    ApplicationNotFoundError,
    AuditChainBrokenError,
    CaseError,
    ConcurrentUpdateError,
    DatabaseUnavailableError,
    IllegalTransitionError,
)
from cases.accounts import InvalidAccountError, InvalidCredentialsError, UsernameTakenError
from cases.identity import (
    IdentityAssertionError,
    IdentityLoginUnavailableError,
    IdentityNotVerifiedError,
    IdentityTakenError,
)
from common import DomainError
from courier import (
    CarrierRejectedError,
    CarrierUnavailableError,
    CourierError,
    InvalidAddressError,
    MalformedPushError,
    PickupCodeError,
    PushSignatureError,
    ShipmentNotFoundError,
    UnknownCarrierError,
)
from jobs import JobError, QueueUnavailableError, UnknownJobError
from jobs.errors import (
    CourierUnavailableError,
    DeliveryExistsError,
    DeliveryNotAllowedError,
    EmptyFileError,
    NoCertificateError,
    NotEditableError,
    NotFoundError,
    NotSubmittableError,
)
from jobs.issuing import NotIssuableError
from jobs.review import (
    ClaimedError,
    CropUnavailableError,
    InvalidCorrectionError,
    NotClaimedError,
    NotReviewableError,
    OwnApplicationError,
    ReasonRequiredError,
    ReviewError,
    UnknownFieldError,
)
from jobs.runner import PermanentJobError
from jobs.visit_errors import (
    AlreadyRatedError,
    AnswerRequiredError,
    BookingCodeError,
    BookingExistsError,
    BookingNotAllowedError,
    ClockAlreadyPausedError,
    ClockNotPausedError,
    FollowUpClosedError,
    InvalidRatingError,
    InvalidWindowError,
    NoBookingError,
    NoFollowUpError,
    NotRatableError,
    SlotUnavailableError,
    WindowNotFoundError,
)
from ocr.errors import EngineUnavailableError, OcrError, TooLargeError, UnsupportedTypeError
from precheck.errors import CatalogueError, PrecheckError, UnknownMatterError
from signing import (
    CertificateNotFoundError,
    CorruptPdfError,
    InvalidIdentifierError,
    InvalidMetadataError,
    KeySourceError,
    NotAPdfError,
    PdfTooLargeError,
    PkiError,
    SignerCertificateError,
    SigningError,
    TrustServiceUnavailableError,
    UnsignedPdfError,
)
from signing.library import LibraryError
from storage import (
    ChecksumMismatchError,
    CorruptObjectError,
    InvalidKeyError,
    InvalidRangeError,
    ObjectLockedError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    PresignedUrlInvalidError,
    PresignUnsupportedError,
    StorageError,
    StorageMisconfiguredError,
    StorageUnavailableError,
)

log = logging.getLogger(__name__)


class NotReadyError(DomainError):
    """``/readyz``: a dependency the service needs does not answer. ``failing`` names them."""

    code = "not_ready"
    message = "服务暂不可用"

    _NAMES: ClassVar[dict[str, str]] = {
        "database": "数据库",
        "storage": "对象存储",
        "jobs": "任务队列",
    }

    def __init__(self, *, failing: list[str], checks: dict[str, str]) -> None:
        self.failing = list(failing)
        self.checks = dict(checks)
        parts = "、".join(self._NAMES.get(n, n) for n in self.failing)
        super().__init__(f"服务暂不可用：{parts}不可达", detail="failing: " + ", ".join(failing))

    def details(self) -> dict[str, Any]:
        return {"status": "unavailable", "failing": self.failing, "checks": self.checks}


class PkiNotServedError(DomainError):
    """``/pki/...`` on a service that does not host the test PKI (production)."""

    code = "not_found"
    message = "本服务未提供测试 PKI 服务"


class FormIncompleteError(DomainError):
    """A page's form came back without something it needs (no file chosen, no option taken)."""

    code = "form_incomplete"
    message = "表单没有填写完整，请检查后重新提交"


class CsrfError(DomainError):
    """A page's form came back without this session's CSRF token, or from another site."""

    code = "csrf_failed"
    message = "页面已过期或来源无法确认，请返回上一页刷新后重新提交"


# The one map from domain errors to HTTP statuses. A class not listed answers like its nearest
# listed ancestor; every package's base error is listed, and so is every 5xx.
HTTP_STATUS: Mapping[type[DomainError], int] = MappingProxyType(
    {
        # api
        NotReadyError: 503,
        PkiNotServedError: 404,
        CsrfError: 403,
        FormIncompleteError: 422,
        UnauthenticatedError: 401,
        ForbiddenError: 403,
        RegistrationClosedError: 403,
        LoginThrottledError: 429,
        # cases
        CaseError: 400,
        ApplicationNotFoundError: 404,
        IllegalTransitionError: 409,
        ConcurrentUpdateError: 409,
        AuditChainBrokenError: 500,
        UsernameTakenError: 409,
        InvalidCredentialsError: 401,
        InvalidAccountError: 422,
        IdentityNotVerifiedError: 403,
        IdentityAssertionError: 422,
        IdentityLoginUnavailableError: 409,
        IdentityTakenError: 409,
        DatabaseUnavailableError: 503,
        # jobs
        JobError: 500,
        UnknownJobError: 500,
        QueueUnavailableError: 503,
        PermanentJobError: 500,
        NotIssuableError: 409,
        NotFoundError: 404,
        NotEditableError: 409,
        NotSubmittableError: 409,
        EmptyFileError: 422,
        NoCertificateError: 404,
        DeliveryNotAllowedError: 409,
        DeliveryExistsError: 409,
        CourierUnavailableError: 503,
        LibraryError: 503,
        # jobs.review (issue 11)
        ReviewError: 422,
        ClaimedError: 409,
        NotClaimedError: 409,
        NotReviewableError: 409,
        OwnApplicationError: 403,
        ReasonRequiredError: 422,
        UnknownFieldError: 422,
        InvalidCorrectionError: 422,
        CropUnavailableError: 404,
        # ocr (UnreadableFileError and its corrupt/encrypted kinds: 422 like any OcrError)
        OcrError: 422,
        TooLargeError: 413,
        UnsupportedTypeError: 415,
        EngineUnavailableError: 503,
        # precheck (unknown slot, invalid answers: 422 like any PrecheckError)
        PrecheckError: 422,
        UnknownMatterError: 404,
        CatalogueError: 500,
        # signing
        SigningError: 500,
        CertificateNotFoundError: 404,
        InvalidIdentifierError: 422,
        InvalidMetadataError: 422,
        NotAPdfError: 415,
        PdfTooLargeError: 413,
        CorruptPdfError: 422,
        UnsignedPdfError: 422,
        KeySourceError: 503,
        SignerCertificateError: 503,
        TrustServiceUnavailableError: 503,
        PkiError: 503,
        # storage (an expired presigned URL: 403 like any invalid one)
        StorageError: 500,
        InvalidKeyError: 400,
        ChecksumMismatchError: 400,
        PresignedUrlInvalidError: 403,
        ObjectNotFoundError: 404,
        ObjectLockedError: 409,
        ObjectTooLargeError: 413,
        InvalidRangeError: 416,
        CorruptObjectError: 500,
        StorageMisconfiguredError: 500,
        PresignUnsupportedError: 501,
        StorageUnavailableError: 503,
        # courier (a carrier that refuses or does not answer is an upstream fault: 502 / 503)
        CourierError: 500,
        PushSignatureError: 401,
        MalformedPushError: 400,
        InvalidAddressError: 422,
        UnknownCarrierError: 422,
        PickupCodeError: 422,
        ShipmentNotFoundError: 404,
        CarrierRejectedError: 502,
        CarrierUnavailableError: 503,
        # supervision, ratings, bookings (issue 15)
        ClockAlreadyPausedError: 409,
        ClockNotPausedError: 409,
        NotRatableError: 409,
        AlreadyRatedError: 409,
        InvalidRatingError: 422,
        FollowUpClosedError: 409,
        AnswerRequiredError: 422,
        NoFollowUpError: 404,
        SlotUnavailableError: 409,
        BookingNotAllowedError: 409,
        BookingExistsError: 409,
        BookingCodeError: 422,
        NoBookingError: 404,
        WindowNotFoundError: 404,
        InvalidWindowError: 422,
    }
)

# A DomainError no entry covers: a fault of this service until someone decides otherwise (a
# test walks every error class and fails while one falls through to this).
DEFAULT_STATUS = 500


def listed_ancestor(cls: type[DomainError]) -> type[DomainError] | None:
    """The nearest class in ``cls``'s MRO that ``HTTP_STATUS`` lists, or None."""
    return next((c for c in cls.__mro__ if c in HTTP_STATUS), None)


def http_status(error: DomainError | type[DomainError]) -> int:
    """The HTTP status of a domain error (instance or class)."""
    cls = error if isinstance(error, type) else type(error)
    found = listed_ancestor(cls)
    return DEFAULT_STATUS if found is None else HTTP_STATUS[found]


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": message, **extra}


def error_response(exc: DomainError) -> JSONResponse:
    status = http_status(exc)
    if status >= 500:
        # the traceback carries the cause (``raise ... from e``) below the domain error
        log.error("%s: %s", type(exc).__name__, exc, exc_info=exc)
    else:
        log.debug("%s (%d): %s", type(exc).__name__, status, exc)
    return JSONResponse(error_body(exc.code, exc.message, **exc.details()), status_code=status)


_HTTP_MESSAGES = {
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "上传内容过大"),
    415: ("unsupported_type", "不支持的内容类型"),
    400: ("bad_request", "请求格式有误，无法解析"),
}


async def _domain_error(_request: Request, exc: DomainError) -> JSONResponse:
    return error_response(exc)


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    where = "；".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:5])
    return JSONResponse(
        error_body("invalid_request", f"请求参数有误：{where}", details=_plain(exc.errors()[:5])),
        status_code=422,
    )


def _plain(errors: Any) -> list[dict[str, Any]]:
    """Validation errors as JSON: a validator's ``ctx`` may hold the exception object itself."""
    out = []
    for e in errors:
        item = {k: v for k, v in dict(e).items() if k not in ("ctx", "url", "input")}
        if "ctx" in e and "error" in e["ctx"]:
            item["reason"] = str(e["ctx"]["error"])
        out.append(item)
    return out


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        return JSONResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
    # a framework error's own detail is English: the citizen reads a Chinese message instead
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理"))
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


async def _stale(_request: Request, exc: Exception) -> JSONResponse:
    # an optimistic-lock miss (a row's version counter moved under this write): the caller's
    # view is out of date, which is a conflict to retry, not a server fault
    log.debug("stale write: %s", exc)
    return error_response(ConcurrentUpdateError())


async def _unstorable(_request: Request, exc: Exception) -> JSONResponse:
    # the database refused a value the request carried (PostgreSQL: a NUL byte in a text
    # field, an integer past its column's range): the caller's input, not a server fault; the
    # transaction is rolled back, so nothing is half-written
    log.debug("value refused by the database: %s", type(exc).__name__)
    return JSONResponse(
        error_body(
            "invalid_value", "请求中含有无法保存的内容（如控制字符或超出范围的数值），请修改后重试"
        ),
        status_code=422,
    )


async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
    # the database went away under a request (restarted, failed over, unreachable): temporary,
    # and the transaction never committed; the pool reconnects on the next checkout
    log.warning("database unavailable: %s", type(getattr(exc, "orig", exc)).__name__)
    return error_response(DatabaseUnavailableError())


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    # Starlette answers this from its outermost middleware, past the security headers one
    from api.web.security import security_headers

    services = getattr(request.app.state, "services", None)
    production = services is not None and services.settings.api.env == "production"
    return JSONResponse(
        error_body("internal_error", "服务内部错误，请稍后重试"),
        status_code=500,
        headers=security_headers(request.url.path, production=production),
    )


def install_error_handlers(app: FastAPI) -> None:
    """Every ``DomainError`` (any package) through the one table; framework errors likewise."""
    app.add_exception_handler(DomainError, _domain_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(StaleDataError, _stale)
    app.add_exception_handler(DatabaseDataError, _unstorable)
    app.add_exception_handler(DatabaseOperationalError, _database_down)
    app.add_exception_handler(Exception, _unexpected)
