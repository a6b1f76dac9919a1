"""One place that turns domain errors into ``{"error": code, "message": 中文说明}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from cases import CaseError
from jobs import JobError
from ocr.errors import OcrError
from precheck.errors import PrecheckError
from signing import SigningError
from storage import StorageError

log = logging.getLogger(__name__)

# Every package's base error has ``code``, ``status`` and a Chinese ``message``.
DOMAIN_ERRORS: tuple[type[Exception], ...] = (
    CaseError,
    JobError,
    OcrError,
    PrecheckError,
    SigningError,
    StorageError,
)

_HTTP_MESSAGES = {
    404: ("not_found", "请求的资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    413: ("too_large", "上传内容过大"),
    415: ("unsupported_type", "不支持的内容类型"),
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": message, **extra}


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    status = int(getattr(exc, "status", 400))
    if status >= 500:
        log.error("%s: %s", type(exc).__name__, exc, exc_info=exc.__cause__ or exc)
    return JSONResponse(
        error_body(getattr(exc, "code", "error"), getattr(exc, "message", "请求失败")),
        status_code=status,
    )


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    where = "；".join(".".join(str(p) for p in e.get("loc", ())) for e in exc.errors()[:5])
    return JSONResponse(
        error_body("invalid_request", f"请求参数有误：{where}", details=exc.errors()[:5]),
        status_code=422,
    )


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc.detail, dict) and "error" in exc.detail:
        return JSONResponse(exc.detail, status_code=exc.status_code, headers=exc.headers)
    code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", str(exc.detail)))
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(error_body("internal_error", "服务内部错误，请稍后重试"), status_code=500)


def install_error_handlers(app: FastAPI, extra: tuple[type[Exception], ...] = ()) -> None:
    for cls in (*DOMAIN_ERRORS, *extra):
        app.add_exception_handler(cls, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)
