"""Job ``read_upload(upload_id)``: OCR one stored upload into its ``documents`` row.

What the reader made of some bytes is cached in the ``document_cache`` table (encrypted) under
reader version + slot hint + SHA-256, so a re-upload, or the same file in another application,
costs no OCR. The row, the upload's status and the follow-up ``precheck_application`` job are
written in one transaction: a crash before it commits leaves the job to run again.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import precheck
from cases.crypto import FieldCipher
from cases.db import transaction
from cases.models import Application, CachedDocument, Upload
from cases.models import Document as DocumentRow
from jobs import outbox
from jobs.context import JobContext
from jobs.ecert import SOURCE as ECERT_SOURCE
from jobs.ecert import read_signed_pdf
from jobs.metrics import observe_ocr
from ocr.document import Document
from precheck.intake import document_from_dict, document_to_dict
from storage import Bucket

log = logging.getLogger(__name__)


class SqlDocumentCache:
    """``precheck.DocumentCache`` on the ``document_cache`` table, documents encrypted."""

    def __init__(self, sessions: sessionmaker[Session], cipher: FieldCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher

    def get(self, key: str) -> Document | None:
        with self._sessions() as s:
            row = s.get(CachedDocument, key)
            if row is None:
                return None
            try:
                return document_from_dict(self._cipher.decrypt_json(row.document_enc))
            except (ValueError, KeyError):
                return None  # written by a version that knew other types: read again

    def put(self, key: str, document: Document) -> None:
        try:
            with transaction(self._sessions) as s:
                if s.get(CachedDocument, key) is None:
                    s.add(
                        CachedDocument(
                            key=key,
                            sha256=document.sha256 or key.rsplit("-", 1)[-1],
                            document_enc=self._cipher.encrypt_json(document_to_dict(document)),
                        )
                    )
        except IntegrityError:
            pass  # another worker cached the same content first


def read_upload(ctx: JobContext, *, upload_id: int) -> None:
    with transaction(ctx.sessions) as s:
        upload = s.get(Upload, upload_id)
        if upload is None or upload.document is not None:
            return  # removed meanwhile, or read by an earlier attempt
        application = s.get(Application, upload.application_id)
        assert application is not None
        upload.status = "reading"
        slot, name, key, sha256 = upload.slot, upload.filename, upload.object_key, upload.sha256
        matter = ctx.catalogue.get(application.matter_id)
    data = ctx.store.get_bytes(kind=Bucket.UPLOADS, key=key)
    # a signed e-certificate is verified and read from its signed data, never OCR'd
    ecert_result = read_signed_pdf(ctx, slot=slot, data=data, sha256=sha256)
    if ecert_result is not None:
        result = ecert_result
    else:
        started = time.perf_counter()
        [result] = precheck.read_uploads(
            files=precheck.slot_files(matter, [(slot, data, name)]),
            reader=ctx.read,
            cache=SqlDocumentCache(ctx.sessions, ctx.cipher),
            reader_version=ctx.reader_version,
        )
        if result.document is not None and not result.meta.get("cached"):
            observe_ocr(time.perf_counter() - started, result.document.pages)
    with transaction(ctx.sessions) as s:
        upload = s.get(Upload, upload_id)
        if upload is None or upload.document is not None:
            return
        s.add(_document_row(ctx, upload, result))
        upload.status = "done" if result.document is not None else "failed"
        if ecert_result is not None and result.document is not None:
            upload.source = ECERT_SOURCE
        outbox.enqueue(s, "precheck_application", application_id=upload.application_id)
    log.info(
        "upload %s read: %s%s",
        upload_id,
        result.document.doc_type if result.document else result.problem.code,  # type: ignore[union-attr]
        " (cached)" if result.meta.get("cached") else "",
    )


def _document_row(ctx: JobContext, upload: Upload, result: precheck.Upload) -> DocumentRow:
    doc = result.document
    if doc is None:
        problem = result.problem
        assert problem is not None
        payload: dict[str, Any] = {"problem": {"code": problem.code, "message": problem.message}}
        return DocumentRow(
            upload_id=upload.id,
            sha256=upload.sha256,
            doc_type="unknown",
            confidence=0.0,
            pages=0,
            quality={"ok": False, "issues": []},
            fields_enc=ctx.cipher.encrypt_json(payload),
            error_code=problem.code,
        )
    return DocumentRow(
        upload_id=upload.id,
        sha256=upload.sha256,
        doc_type=doc.doc_type.value,
        confidence=float(doc.confidence),
        pages=int(doc.pages),
        quality=doc.quality.to_json(),
        fields_enc=ctx.cipher.encrypt_json(
            {"document": document_to_dict(doc)}
            # read from a verified e-certificate: its identifier, so that every later
            # pre-check asks the registry again (revoked or superseded meanwhile)
            | (
                {"e_certificate": result.meta["identifier"]}
                if result.meta.get("identifier")
                else {}
            )
        ),
        error_code=None,
    )


def stored_upload(
    ctx: JobContext, row: DocumentRow | None, upload: Upload, index: int
) -> precheck.Upload | None:
    """The ``precheck.Upload`` of a read upload (None while it is not read yet)."""
    if row is None:
        return None
    payload = ctx.cipher.decrypt_json(row.fields_enc)
    meta = {
        "sha256": upload.sha256,
        "name": upload.filename,
        "upload_id": upload.id,
        "source": upload.source,
    }
    if "problem" in payload:
        p = payload["problem"]
        return precheck.Upload(
            upload.slot, index, None, precheck.FileProblem(p["code"], p["message"]), meta
        )
    if payload.get("e_certificate"):
        meta["e_certificate"] = payload["e_certificate"]
    return precheck.Upload(upload.slot, index, document_from_dict(payload["document"]), None, meta)


READ_FAILED = "read_failed"


def give_up_read(ctx: JobContext, *, upload_id: int) -> None:
    """``read_upload`` failed for good (the service's fault, not the file's: the reader kept
    failing): the file is ``failed`` with ``read_failed``, the case is checked again (it says
    the file must be uploaded again), and uploading the same bytes again reads them afresh."""
    with transaction(ctx.sessions) as s:
        upload = s.get(Upload, upload_id)
        if upload is None or upload.document is not None:
            return
        s.add(
            DocumentRow(
                upload_id=upload.id,
                sha256=upload.sha256,
                doc_type="unknown",
                confidence=0.0,
                pages=0,
                quality={"ok": False, "issues": []},
                fields_enc=ctx.cipher.encrypt_json(
                    {"problem": {"code": READ_FAILED, "message": "系统暂时无法识别该文件"}}
                ),
                error_code=READ_FAILED,
            )
        )
        upload.status = "failed"
        outbox.enqueue(s, "precheck_application", application_id=upload.application_id)
