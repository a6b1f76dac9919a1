"""Verification of electronic certificates: ``POST /verify`` (upload a PDF) and
``GET /verify/{identifier}`` (the QR code's landing page; JSON, or HTML for browsers).
The HTML page is the template ``verify_result.html`` of ``api.web``; the page to enter an
identifier or upload a file for a person (``GET /verify``, ``POST /verify/file``) is there too
and uses :func:`public_record` and :func:`read_limited` from here.

The verifier (``VerifierDep``) carries the service's one certificate registry, so a status
answered here is the status the issuing side recorded. Errors are raised and answered by
``api.errors``; only the HTML landing page renders its own page (with the table's status).
Public answers carry minimal personal data: the holder's name masked (张*), never the holder's
ID number.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import VerifierDep
from api.errors import http_status
from api.web.templating import render
from signing import (
    CertificateNotFoundError,
    CertificateStatus,
    PdfTooLargeError,
    RegistryEntry,
    SigningError,
    mask_name,
)

router = APIRouter(tags=["电子证照核验"])

_CHUNK = 256 * 1024
_STATUS_TEXT = {
    CertificateStatus.VALID: "有效",
    CertificateStatus.REVOKED: "已注销",
    CertificateStatus.SUPERSEDED: "已被新版本替代",
    CertificateStatus.UNKNOWN: "未登记",
}


class UnregisteredCertificateError(CertificateNotFoundError):
    """A well-formed identifier that no certificate was registered under: the answer carries the
    public record of an unknown certificate (identifier, status ``unknown``, status text)."""

    def details(self) -> dict[str, Any]:
        return public_record(self.identifier, CertificateStatus.UNKNOWN, None)


@router.post("/verify", summary="上传电子证照 PDF 核验")
async def verify_upload(
    request: Request,
    verifier: VerifierDep,
    file: Annotated[UploadFile, File(description="电子证照 PDF")],
) -> JSONResponse:
    data = await read_limited(request, file, verifier.max_bytes)
    result = await run_in_threadpool(verifier.verify_pdf, data)
    return JSONResponse(result.to_json())


async def read_limited(request: Request, file: UploadFile, limit: int) -> bytes:
    """The upload's bytes; :class:`PdfTooLargeError` as soon as it is known to exceed ``limit``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise PdfTooLargeError(int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    while chunk := await file.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise PdfTooLargeError(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def public_record(
    identifier: str, status: CertificateStatus, entry: RegistryEntry | None
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "identifier": identifier,
        "status": status.value,
        "status_text": _STATUS_TEXT[status],
    }
    if entry is not None:
        doc.update(
            name=entry.name,
            number=entry.number,
            holder=mask_name(entry.holder),
            issuer=entry.issuer,
            issued_on=entry.issued_on.isoformat(),
            valid_from=entry.valid_from.isoformat(),
            valid_until=entry.valid_until.isoformat() if entry.valid_until else None,
            status_changed_at=(
                entry.status_changed_at.isoformat() if entry.status_changed_at else None
            ),
            superseded_by=entry.superseded_by,
        )
    return doc


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split("text/html")[0]


@router.get("/verify/{identifier}", summary="按证照标识查询（扫码核验）")
async def verify_identifier(identifier: str, request: Request, verifier: VerifierDep) -> Response:
    wants_html = _wants_html(request)
    try:
        # raises on a malformed identifier / wrong check character before any registry access
        status, entry = await run_in_threadpool(verifier.lookup, identifier)
    except SigningError as e:
        if not wants_html:
            raise
        # a person scanned the QR code: a page, with the status the error table gives
        return render(
            request,
            "verify_result.html",
            status_code=http_status(e),
            record=None,
            identifier=None,
            error=e.message,
        )
    record = public_record(identifier, status, entry)
    if wants_html:
        code = 200 if entry is not None else http_status(UnregisteredCertificateError)
        return render(
            request,
            "verify_result.html",
            status_code=code,
            record=record,
            identifier=identifier,
            error=None,
        )
    if entry is None:
        raise UnregisteredCertificateError(identifier)
    return JSONResponse(record)
