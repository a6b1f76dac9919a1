"""Shared filling (数据共享, "让数据多跑路"): slots the e-certificate library can fill are filled
from it, on the signed-in citizen's authorisation, instead of an upload.

The library hands back signed PDFs; each is verified and read exactly like an uploaded
e-certificate (:mod:`jobs.ecert`), and stored as an upload of ``source`` ``shared`` with its
document already read. A certificate that does not verify fills nothing (the citizen uploads
the material instead). The checklist then says "可免提交：已通过数据共享获取" for the slot.

:func:`share` is the use case of ``POST /api/applications/{id}/sharing`` and of the page's
button: the holder is the signed-in citizen's verified identity (``cases.identity``), never a
number typed into a form; without one, ``IdentityNotVerifiedError``. A library that does not
answer raises ``LibraryError`` (503) and nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import precheck
from cases.audit import append_event
from cases.db import transaction
from cases.identity import IdentityNotVerifiedError, identity_of
from cases.models import Application, Upload, User
from common import mask_id_number
from jobs import outbox
from jobs.applications import (
    _attempts,
    _check_editable,
    _reopen,
    own_application,
    view_own,
)
from jobs.context import JobContext
from jobs.ecert import upload_of
from jobs.reading import _document_row
from signing.ecert import EcertOutcome, read_certificate
from signing.library import CertificateLibrary, LibraryError, LibrarySettings, build_library
from storage import Bucket

log = logging.getLogger(__name__)

SOURCE = "shared"
SHARED_NOTE = "可免提交：已通过数据共享获取"
_LIBRARY = "certificate_library"


def library_of(ctx: JobContext) -> CertificateLibrary:
    """The library of this process: ``ctx.extras["certificate_library"]`` when set, else built
    once from :class:`~signing.library.LibrarySettings` (the environment): the province's
    platform when ``PAOYICI_LIBRARY_BASE_URL`` is set, this service's own registry otherwise."""
    lib = ctx.extras.get(_LIBRARY)
    if lib is None:
        lib = build_library(
            LibrarySettings(), sessions=ctx.sessions, cipher=ctx.cipher, store=ctx.store
        )
        ctx.extras[_LIBRARY] = lib
    return lib


def fill_from_library(
    ctx: JobContext,
    *,
    owner_id: str,
    actor: str,
    application_id: str,
    holder_code: str,
    slots: Sequence[str] | None = None,
) -> list[str]:
    """Fill the application's empty slots (``slots``, default every slot of its checklist)
    from the library, for the holder ``holder_code`` — the signed-in citizen's verified ID
    number (or credit code), never one typed into a form: calling this is the citizen's
    authorisation of the lookup. Returns the slots filled."""
    with ctx.sessions() as s:
        application = own_application(s, owner_id, application_id)
        _check_editable(application)
        matter = ctx.catalogue.get(application.matter_id)
        taken = {u.slot for u in application.uploads}
        wanted = [
            i.slot
            for i in precheck.build_checklist(matter=matter, answers=application.answers).items
            if i.to_upload and i.slot not in taken and (slots is None or i.slot in slots)
        ]
    library = library_of(ctx)
    found: list[tuple[str, bytes, precheck.Upload, str]] = []
    for slot in wanted:
        doc_types = [t.value for t in matter.slot(slot).doc_types]
        try:
            candidates = library.holder_certificates(holder_code=holder_code, doc_types=doc_types)
        except LibraryError:
            # the citizen is told (503) rather than shown a checklist as if nothing were held
            log.warning("certificate library unavailable for slot %s", slot)
            raise
        for cand in candidates:
            pdf = library.fetch(cand.identifier)
            reading = read_certificate(ctx.signing.verifier, pdf)
            if reading.outcome is not EcertOutcome.VERIFIED or reading.face is None:
                log.warning("shared certificate %s: %s", cand.identifier, reading.outcome.value)
                continue
            if reading.face.doc_type not in doc_types:
                continue
            result = upload_of(reading, slot)
            if result is None or result.document is None:
                continue
            found.append((slot, pdf, result, cand.identifier))
            break
    if not found:
        return []
    # retried like every write of an application: a job may have just updated it
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id, lock=True)
            _check_editable(application)
            taken = {u.slot for u in application.uploads}
            filled = []
            for slot, pdf, result, identifier in found:
                if slot in taken:
                    continue
                info = ctx.store.put_content(
                    kind=Bucket.UPLOADS,
                    prefix=application_id,
                    data=pdf,
                    content_type="application/pdf",
                )
                upload = Upload(
                    application_id=application_id,
                    slot=slot,
                    filename=f"{identifier}.pdf",
                    content_type="application/pdf",
                    size=info.size,
                    sha256=info.sha256 or "",
                    object_key=info.key,
                    status="done",
                    source=SOURCE,
                )
                s.add(upload)
                s.flush()
                s.add(_document_row(ctx, upload, result))
                append_event(
                    s,
                    actor=actor,
                    role="citizen",
                    action="file.shared",
                    subject_type="application",
                    subject_id=application_id,
                    data={
                        "upload": upload.id,
                        "slot": slot,
                        "identifier": identifier,
                        "holder": mask_id_number(holder_code),
                    },
                )
                filled.append(slot)
            if filled:
                _reopen(s, application, actor=actor)  # the materials changed, as by an upload
                outbox.enqueue(s, "precheck_application", application_id=application_id)
    log.info("application %s: %s filled by data sharing", application_id, filled)
    return filled


def shared_slots(application: Application) -> set[str]:
    return {u.slot for u in application.uploads if u.source == SOURCE}


def share(ctx: JobContext, *, owner_id: str, actor: str, application_id: str) -> dict[str, Any]:
    """The signed-in citizen authorises the lookup of their own certificates for this
    application: its empty slots the library can fill are filled (audited
    ``application.sharing``; the applicant's verified name and number are put on the
    application). Calling it again fills nothing more. Returns ``filled`` (this call),
    ``shared`` (every slot filled by sharing) and the application's view."""
    with ctx.sessions() as s:
        application = own_application(s, owner_id, application_id)
        _check_editable(application)
        user = s.get(User, owner_id)
        identity = identity_of(user, ctx.cipher) if user is not None else None
    if identity is None:
        raise IdentityNotVerifiedError()
    filled = fill_from_library(
        ctx,
        owner_id=owner_id,
        actor=actor,
        application_id=application_id,
        holder_code=identity.id_number,
    )
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id, lock=True)
            if application.applicant_id_digest is None:
                # prefilled from the verified identity: the applicant of record
                application.applicant_name = identity.name
                application.applicant_id_enc = ctx.cipher.encrypt(identity.id_number.encode())
                application.applicant_id_digest = ctx.cipher.lookup_digest(identity.id_number)
            append_event(
                s,
                actor=actor,
                role="citizen",
                action="application.sharing",
                subject_type="application",
                subject_id=application_id,
                data={"holder": mask_id_number(identity.id_number), "filled": filled},
            )
            shared = sorted(shared_slots(application))
    return {
        "filled": filled,
        "shared": shared,
        "application": view_own(ctx, owner_id=owner_id, application_id=application_id),
    }
