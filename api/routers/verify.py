"""Verification of electronic certificates: ``POST /verify`` (upload a PDF) and
``GET /verify/{identifier}`` (the QR code's landing page; JSON, or HTML for browsers).

The verifier (``VerifierDep``) carries the service's one certificate registry, so a status
answered here is the status the issuing side recorded. Errors are raised and answered by
``api.errors``; only the HTML landing page renders its own page (with the table's status).
Public answers carry minimal personal data: the holder's name masked (张*), never the holder's
ID number.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import VerifierDep
from api.errors import http_status
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
        return _public(self.identifier, CertificateStatus.UNKNOWN, None)


@router.post("/verify", summary="上传电子证照 PDF 核验")
async def verify_upload(
    request: Request,
    verifier: VerifierDep,
    file: Annotated[UploadFile, File(description="电子证照 PDF")],
) -> JSONResponse:
    limit = verifier.max_bytes
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
    data = b"".join(chunks)
    result = await run_in_threadpool(verifier.verify_pdf, data)
    return JSONResponse(result.to_json())


def _public(
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
        page = _page("证照标识有误", f"<p>{html.escape(e.message)}</p>", None)
        return HTMLResponse(page, status_code=http_status(e))
    if wants_html:
        code = 200 if entry is not None else http_status(UnregisteredCertificateError)
        return HTMLResponse(_page_for(_public(identifier, status, entry)), status_code=code)
    if entry is None:
        raise UnregisteredCertificateError(identifier)
    return JSONResponse(_public(identifier, status, entry))


def _page_for(doc: dict[str, Any]) -> str:
    if "name" not in doc:
        message = "<p>请核对证照标识，或联系颁发机构。</p>"
        return _page("未找到该电子证照", message, doc["identifier"])
    rows = [
        ("证照名称", doc["name"]),
        ("证照编号", doc["number"]),
        ("持证主体", doc["holder"]),
        ("颁发机构", doc["issuer"]),
        ("颁发日期", doc["issued_on"]),
        ("有效期", f"{doc['valid_from']} 至 {doc['valid_until'] or '长期'}"),
        ("证照状态", doc["status_text"]),
    ]
    table = "".join(
        f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows
    )
    ok = doc["status"] == "valid"
    title = "电子证照有效" if ok else f"电子证照{doc['status_text']}"
    return _page(title, f"<table>{table}</table>", doc["identifier"], ok=ok)


def _page(title: str, content_html: str, identifier: str | None, *, ok: bool = False) -> str:
    """A self-contained page; every interpolated value is escaped by the caller or here."""
    ident = f"<p class=id>证照标识：{html.escape(identifier)}</p>" if identifier else ""
    color = "#1a7f37" if ok else "#c8161d"
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem}"
        f"h1{{color:{color};font-size:1.4rem}}table{{border-collapse:collapse;width:100%}}"
        "th,td{border-bottom:1px solid #ddd;padding:.5rem;text-align:left}th{width:7rem;color:#555}"
        ".id{font-size:.8rem;color:#777;word-break:break-all}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>{content_html}{ident}"
        "<p class=id>本页仅显示核验所需的最少信息。如需核验文件内容，请上传电子证照 PDF。</p>"
        "</body></html>"
    )
