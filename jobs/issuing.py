"""Job ``issue_certificate(application_id)``: an approved case becomes a signed certificate.

render → sign (PAdES, the configured level) → store under object lock → register → ``issued``.
The serial comes from the ``counters`` table and is reserved for the application in the audit
trail before anything is signed, so a retry after a crash issues the same identifier, finds the
PDF it already stored (locked objects cannot be rewritten) and only finishes the registration.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases.applications import move
from cases.audit import append_event
from cases.db import transaction
from cases.models import Application, AuditEvent, Certificate, Counter
from cases.states import State
from jobs.checking import CHINA, today
from jobs.context import JobContext
from jobs.errors import JobError
from jobs.reading import stored_upload
from signing import CertificateIdentifier, CertificateKind, CertificateMeta, HolderCodeType
from signing.facedata import FaceData
from storage import Bucket, object_key

log = logging.getLogger(__name__)

SERIAL_COUNTER = "certificate_serial"


class NotIssuableError(JobError):
    code = "not_issuable"
    message = "办件尚未核准，不能出证"


def next_value(session: Session, name: str) -> int:
    """The next value of counter ``name`` (in the caller's transaction; the row lock of the
    UPDATE serialises concurrent callers)."""
    result = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        session.add(Counter(name=name, value=1))
        session.flush()
        return 1
    return int(session.scalar(select(Counter.value).where(Counter.name == name)) or 0)


def _reserved_serial(session: Session, application_id: str) -> str | None:
    ev = session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "application",
            AuditEvent.subject_id == application_id,
            AuditEvent.action == "certificate.serial_reserved",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return str(ev.data["serial"]) if ev is not None else None


def reserve_serial(session: Session, application: Application, *, year: int) -> str:
    serial = _reserved_serial(session, application.id)
    if serial is None:
        serial = f"{year}{next_value(session, SERIAL_COUNTER):06d}"
        append_event(
            session,
            actor="system",
            role="system",
            action="certificate.serial_reserved",
            subject_type="application",
            subject_id=application.id,
            data={"serial": serial},
        )
    return serial


def _fields_of(ctx: JobContext, application: Application) -> dict[str, dict[str, Any]]:
    """The read fields of the case by document type (first document of each type)."""
    out: dict[str, dict[str, Any]] = {}
    for index, u in enumerate(application.uploads):
        up = stored_upload(ctx, u.document, u, index)
        if up is None or up.document is None:
            continue
        out.setdefault(
            up.document.doc_type.value, {k: f.value for k, f in up.document.fields.items()}
        )
    return out


def certificate_meta(
    ctx: JobContext, application: Application, *, serial: str, issued_on: dt.date
) -> CertificateMeta:
    """The certificate of a second-hand house transfer: the buyers hold the new title."""
    fields = _fields_of(ctx, application)
    contract = fields.get("sale_contract", {})
    title = fields.get("property_certificate", {})
    buyers = [b for b in contract.get("buyers") or [] if isinstance(b, dict)]
    holder = "、".join(str(b.get("name", "")) for b in buyers if b.get("name")) or (
        application.applicant_name or "申请人"
    )
    holder_code = next((str(b["id_number"]) for b in buyers if b.get("id_number")), "")
    s = ctx.signing_settings
    kind = CertificateKind.REAL_ESTATE_REGISTRATION
    surface = [
        (
            "共有情况",
            str(title.get("co_ownership") or ("共同共有" if len(buyers) > 1 else "单独所有")),
        ),
        ("坐落", str(title.get("location") or contract.get("location") or "")),
        ("不动产单元号", str(title.get("unit_number") or "")),
        ("权利类型", "国有建设用地使用权/房屋所有权"),
        ("权利性质", "存量房买卖"),
        ("面积", f"房屋建筑面积{title['area']}㎡" if title.get("area") else ""),
        ("原证书号", str(title.get("certificate_number") or "")),
    ]
    number = f"浙({issued_on.year})杭州市不动产权第{serial[-7:]}号"
    # 照面信息: the new title as a property certificate (CONTRACT §3), for the next matter
    face = FaceData.of(
        "property_certificate",
        {
            "certificate_number": number,
            "owners": [str(b["name"]) for b in buyers if b.get("name")],
            "co_ownership": surface[0][1],
            "location": surface[1][1],
            "unit_number": surface[2][1],
            "area": str(title.get("area") or ""),
        },
    )
    return CertificateMeta(
        kind=kind,
        identifier=CertificateIdentifier(
            type_code=kind.default_type_code,
            issuer_code=s.issuer_code,
            serial=serial,
            version=1,
        ),
        number=number,
        holder=holder,
        holder_code=holder_code or "000000000000000000",
        holder_code_type=HolderCodeType.CITIZEN_ID,
        issuer=s.issuer_name,
        issued_on=issued_on,
        valid_from=issued_on,
        valid_until=None,
        fields=tuple((k, v) for k, v in surface if v),
        face=face,
    )


def issue_certificate(ctx: JobContext, *, application_id: str) -> None:
    issued_on = today(ctx)
    with transaction(ctx.sessions) as s:
        application = s.get(Application, application_id)
        if application is None:
            return
        if application.state != State.APPROVED.value:
            if _has_certificate(s, application_id):
                return  # issued by an earlier attempt
            raise NotIssuableError(detail=f"state {application.state}")
        serial = reserve_serial(s, application, year=ctx.clock().astimezone(CHINA).year)
        meta = certificate_meta(ctx, application, serial=serial, issued_on=issued_on)
    ident = str(meta.identifier)
    key = object_key(application_id, f"{ident}.pdf")
    if ctx.store.exists(kind=Bucket.CERTIFICATES, key=key):
        sha256 = ctx.store.stat(kind=Bucket.CERTIFICATES, key=key).sha256
    else:
        issued = ctx.signing.issuer.issue(meta=meta)  # CPU-bound: a job thread, never the loop
        info = ctx.store.put(
            kind=Bucket.CERTIFICATES, key=key, data=issued.pdf, content_type="application/pdf"
        )
        sha256 = info.sha256
    with transaction(ctx.sessions) as s:
        application = s.get(Application, application_id)
        if application is None or application.state != State.APPROVED.value:
            return
        if s.scalar(select(Certificate.id).where(Certificate.identifier == ident)) is None:
            ctx.registry.bound(s).register(meta, actor="system")
        row = s.scalar(select(Certificate).where(Certificate.identifier == ident))
        assert row is not None
        row.application_id = application_id
        row.object_key = key
        row.sha256 = sha256
        move(
            s, application, State.ISSUED, actor="system", role="system", data={"identifier": ident}
        )
    log.info("application %s issued certificate %s", application_id, ident)


def _has_certificate(session: Session, application_id: str) -> bool:
    return (
        session.scalar(select(Certificate.id).where(Certificate.application_id == application_id))
        is not None
    )
