"""The citizen's use cases: start an application, add and remove files, submit, download the
certificate, choose how to receive it. Routers call exactly one of these.

Every function checks that the application is the caller's: another user's case answers
:class:`~jobs.errors.NotFoundError`, exactly like a missing one. A refused request changes
nothing: files are inspected before anything is stored, the object is removed again if the
database refuses the row, and jobs are rows in the same transaction as the change.
"""

from __future__ import annotations

import contextlib
import logging
import random
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from cases.applications import create_application, move
from cases.audit import append_event
from cases.db import transaction
from cases.errors import ConcurrentUpdateError
from cases.models import Application, Certificate, Delivery, Upload
from cases.states import State
from jobs import outbox
from jobs.context import JobContext
from jobs.errors import (
    CourierUnavailableError,
    DeliveryExistsError,
    DeliveryNotAllowedError,
    NoCertificateError,
    NotEditableError,
    NotFoundError,
    NotSubmittableError,
)
from jobs.intake import inspect_upload
from jobs.reading import READ_FAILED
from jobs.review import latest_decision
from ocr.errors import TooLargeError
from storage import Bucket

log = logging.getLogger(__name__)

#: States in which the citizen may change the materials (before submission, or when returned).
EDITABLE = frozenset(
    {State.DRAFT, State.PRECHECKING, State.NEEDS_FIX, State.NEEDS_REVIEW, State.READY}
)
SUBMITTABLE = frozenset({State.READY, State.NEEDS_REVIEW, State.ACCEPTED_PENDING})
CERTIFIED = frozenset({State.ISSUED, State.SHIPPED, State.DELIVERED, State.PICKED_UP})

#: ``courier(session, application, certificate, carrier=..., recipient=...) -> Delivery``,
#: provided by the courier package when it is wired (issue 12); None: courier unavailable.
CourierRequest = Callable[..., Delivery]


class _Attempt:
    """One try of a transaction that may collide with a concurrent writer (the application's
    version, the audit chain's head, a unique key): a collision is retried; on the last try it
    is a ConcurrentUpdateError (409)."""

    def __init__(self, *, last: bool) -> None:
        self.last = last
        self.ok = False

    def __enter__(self) -> _Attempt:
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, _tb: Any) -> bool:
        if exc is None:
            self.ok = True
            return False
        if isinstance(exc, StaleDataError | IntegrityError) or _busy(exc):
            if self.last:
                raise ConcurrentUpdateError() from exc
            return True  # try again
        return False


def _busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" (a write after another writer's commit) and PostgreSQL's
    deadlock and serialization failures: try again. Anything else (the server down) is not."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(w in text for w in ("locked", "busy", "deadlock", "could not serialize"))


def _attempts(n: int = 5) -> Iterator[_Attempt]:
    for i in range(n):
        attempt = _Attempt(last=i == n - 1)
        yield attempt
        if attempt.ok:
            return
        time.sleep(random.uniform(0.01, 0.05) * (i + 1))  # noqa: S311 - jitter


def _aware(at: datetime | None) -> datetime | None:
    # SQLite hands timestamps back naive (they were written in UTC)
    return at if at is None or at.tzinfo is not None else at.replace(tzinfo=UTC)


def own_application(
    session: Session, owner_id: str, application_id: str, *, lock: bool = False
) -> Application:
    """The caller's application, or NotFoundError. ``lock``: held (``SELECT … FOR UPDATE`` on
    PostgreSQL) until the transaction ends, so that concurrent changes of one application (a
    browser uploading several files at once) wait for each other instead of failing on its
    version counter."""
    application = session.get(Application, application_id, with_for_update=lock or None)
    if application is None or application.owner_id != owner_id:
        raise NotFoundError()
    return application


def is_editable(application: Application) -> bool:
    state = State(application.state)
    if state is State.RETURNED:
        return True
    return state in EDITABLE and application.submitted_at is None


def _check_editable(application: Application) -> None:
    if not is_editable(application):
        raise NotEditableError()


def start(
    ctx: JobContext, *, owner_id: str, actor: str, matter_id: str, answers: dict[str, Any]
) -> dict[str, Any]:
    """A new draft and its checklist; an unknown matter or answer is refused before anything
    is written."""
    matter = ctx.catalogue.get(matter_id)
    clean = matter.validate_answers(answers)
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = create_application(s, matter_id=matter.id, answers=clean, actor=actor)
            application.owner_id = owner_id
            s.flush()
            view = application_view(ctx, s, application)
    return view | {"checklist": checklist_view(ctx, application)}


def view_own(ctx: JobContext, *, owner_id: str, application_id: str) -> dict[str, Any]:
    with ctx.sessions() as s:
        return application_view(ctx, s, own_application(s, owner_id, application_id))


def list_views(ctx: JobContext, *, owner_id: str) -> list[dict[str, Any]]:
    with ctx.sessions() as s:
        return [application_view(ctx, s, a) for a in list_own(s, owner_id)]


def list_own(session: Session, owner_id: str) -> list[Application]:
    return list(
        session.scalars(
            select(Application)
            .where(Application.owner_id == owner_id)
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def clean_filename(name: str, *, limit: int = 255) -> str:
    """The name an upload is shown under: its last path segment, without control or format
    characters (CR/LF, NUL, tab, right-to-left override, zero-width space) or leading dots,
    at most ``limit`` characters with its extension kept. The name is only ever shown: the
    object's key is its hash."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = name.strip().lstrip(".").strip() or "upload"
    if len(name) > limit:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: limit - len(ext) - len(dot)] + dot + ext
    return name


def add_file(
    ctx: JobContext,
    *,
    owner_id: str,
    actor: str,
    application_id: str,
    slot: str,
    filename: str,
    fh: BinaryIO,
    size: int,
) -> dict[str, Any]:
    """Keep one file in ``slot`` and enqueue its reading; the same bytes in the same slot
    again are the same file (nothing new is read)."""
    with ctx.sessions() as s:
        application = own_application(s, owner_id, application_id)
        _check_editable(application)
        ctx.catalogue.get(application.matter_id).slot(slot)  # unknown_slot
    if size > ctx.max_upload_bytes:
        raise TooLargeError(limit="upload_bytes", actual=size, maximum=ctx.max_upload_bytes)
    inspected = inspect_upload(fh, size=size, settings=ctx.reader.settings)
    info = ctx.store.put_content(
        kind=Bucket.UPLOADS,
        prefix=application_id,
        data=inspected.converted if inspected.converted is not None else fh,
        content_type=inspected.content_type,
        max_size=ctx.max_upload_bytes,
    )
    try:
        for attempt in _attempts():
            with attempt, transaction(ctx.sessions) as s:
                application = own_application(s, owner_id, application_id, lock=True)
                _check_editable(application)
                existing = s.scalar(
                    select(Upload).where(
                        Upload.application_id == application_id,
                        Upload.slot == slot,
                        Upload.sha256 == info.sha256,
                    )
                )
                if existing is not None and _read_failed(existing):
                    # the service could not read it before: the same bytes are read afresh
                    s.delete(existing.document)
                    existing.status = "queued"
                    s.flush()
                    outbox.enqueue(s, "read_upload", upload_id=existing.id)
                    _reopen(s, application, actor=actor)
                if existing is not None:
                    return file_view(existing)
                upload = Upload(
                    application_id=application_id,
                    slot=slot,
                    filename=clean_filename(filename),
                    content_type=inspected.content_type,
                    size=info.size,
                    sha256=info.sha256 or "",
                    object_key=info.key,
                    status="queued",
                    source="upload",
                )
                s.add(upload)
                s.flush()
                outbox.enqueue(s, "read_upload", upload_id=upload.id)
                _reopen(s, application, actor=actor)
                append_event(
                    s,
                    actor=actor,
                    role="citizen",
                    action="file.added",
                    subject_type="application",
                    subject_id=application_id,
                    data={
                        "upload": upload.id,
                        "slot": slot,
                        "sha256": upload.sha256,
                        "size": upload.size,
                        "type": inspected.content_type,
                        **(
                            {"converted_from": inspected.converted_from}
                            if inspected.converted_from
                            else {}
                        ),
                    },
                )
                return file_view(upload)
        raise AssertionError("unreachable: the last attempt raises")
    except BaseException:
        if not info.deduplicated:
            _forget_object(ctx, info.key)
        raise


def _read_failed(upload: Upload) -> bool:
    return upload.document is not None and upload.document.error_code == READ_FAILED


def _reopen(session: Session, application: Application, *, actor: str) -> None:
    """The materials changed: the case is pre-checked again (and must be submitted again)."""
    if application.state == State.RETURNED.value:
        application.submitted_at = None
    if application.state != State.PRECHECKING.value:
        move(session, application, State.PRECHECKING, actor=actor, role="citizen")


def _forget_object(ctx: JobContext, key: str) -> None:
    """Remove an upload object no row refers to (content-addressed, so a stray object is only
    space). Whether a row refers to it is asked of the database first: a commit whose answer
    was lost may have landed. When the database cannot answer (it is down: that is often why
    the row was refused), the question is asked again in the background until it answers."""
    try:
        _forget_now(ctx, key)
    except Exception:  # the database did not answer; never delete what a row may name
        log.warning("object removal deferred until the database answers", extra={"key": key})
        _deferred.add(ctx, key)


def _forget_now(ctx: JobContext, key: str) -> None:
    with ctx.sessions() as s:
        if s.scalar(select(Upload.id).where(Upload.object_key == key).limit(1)) is not None:
            return
    with contextlib.suppress(Exception):
        ctx.store.delete(kind=Bucket.UPLOADS, key=key)


class _DeferredRemovals:
    """Upload objects to remove once the database says no row names them: one daemon thread
    retries with a growing pause, for at most ``patience`` seconds per object (after that the
    object is left for ``paoyici fsck`` to report as an orphan)."""

    def __init__(self, *, patience: float = 600.0) -> None:
        self.patience = patience
        self._lock = threading.Lock()
        self._pending: dict[str, tuple[JobContext, float]] = {}
        self._thread: threading.Thread | None = None

    def add(self, ctx: JobContext, key: str) -> None:
        with self._lock:
            self._pending.setdefault(key, (ctx, time.monotonic() + self.patience))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="paoyici-deferred-removals", daemon=True
                )
                self._thread.start()

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _run(self) -> None:
        pause = 0.5
        while True:
            time.sleep(pause)
            with self._lock:
                todo = list(self._pending.items())
                if not todo:
                    self._thread = None  # the next add starts another
                    return
            for key, (ctx, give_up_at) in todo:
                try:
                    _forget_now(ctx, key)
                except Exception:
                    if time.monotonic() < give_up_at:
                        continue
                    log.warning("deferred object removal given up", extra={"key": key})
                with self._lock:
                    self._pending.pop(key, None)
            pause = min(pause * 2, 15.0)


_deferred = _DeferredRemovals()


def pending_removals() -> int:
    """How many refused uploads' objects still wait for the database before removal."""
    return _deferred.pending()


def remove_file(
    ctx: JobContext, *, owner_id: str, actor: str, application_id: str, file_id: int
) -> None:
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id)
            upload = s.get(Upload, file_id)
            if upload is None or upload.application_id != application_id:
                raise NotFoundError()
            _check_editable(application)
            key = upload.object_key
            if upload.document is not None:
                s.delete(upload.document)
            s.delete(upload)
            s.flush()
            outbox.enqueue(s, "precheck_application", application_id=application_id)
            _reopen(s, application, actor=actor)
            append_event(
                s,
                actor=actor,
                role="citizen",
                action="file.removed",
                subject_type="application",
                subject_id=application_id,
                data={"upload": file_id, "slot": upload.slot},
            )
    _forget_object(ctx, key)


def submit(ctx: JobContext, *, owner_id: str, actor: str, application_id: str) -> dict[str, Any]:
    """Hand the case to the reviewers: every file read, and nothing the citizen must fix."""
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id)
            if application.submitted_at is not None and application.state != State.RETURNED.value:
                raise NotSubmittableError("办件已提交，请等待审核")
            reading = any(u.status in ("queued", "reading") for u in application.uploads)
            if reading or State(application.state) not in SUBMITTABLE:
                raise NotSubmittableError()
            now = ctx.clock()
            application.submitted_at = now
            application.due_at = ctx.due_at(ctx.catalogue.get(application.matter_id), now)
            application.assignee_id = None
            application.claim_expires_at = None
            append_event(
                s,
                actor=actor,
                role="citizen",
                action="application.submitted",
                subject_type="application",
                subject_id=application_id,
                data={"verdict": application.verdict, "due_at": application.due_at},
            )
            s.flush()
            return application_view(ctx, s, application)
    raise AssertionError("unreachable: the last attempt raises")


def certificate_of(session: Session, application: Application) -> Certificate | None:
    return session.scalar(
        select(Certificate)
        .where(Certificate.application_id == application.id)
        .order_by(Certificate.version.desc(), Certificate.id.desc())
        .limit(1)
    )


def certificate_pdf(
    ctx: JobContext, *, owner_id: str, actor: str, application_id: str
) -> tuple[str, bytes]:
    """``(identifier, PDF bytes)`` of the issued certificate; the download is audited."""
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id)
            cert = certificate_of(s, application)
            if State(application.state) not in CERTIFIED or cert is None or not cert.object_key:
                raise NoCertificateError()
            append_event(
                s,
                actor=actor,
                role="citizen",
                action="certificate.downloaded",
                subject_type="application",
                subject_id=application_id,
                data={"identifier": cert.identifier},
            )
            ident, key = cert.identifier, cert.object_key
    return ident, ctx.store.get_bytes(kind=Bucket.CERTIFICATES, key=key)


def request_delivery(
    ctx: JobContext,
    *,
    owner_id: str,
    actor: str,
    application_id: str,
    method: str,
    carrier: str | None = None,
    recipient: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Pickup at the window (a pickup code) or a courier shipment, once the certificate exists."""
    courier: CourierRequest | None = ctx.extras.get("courier")
    for attempt in _attempts():
        with attempt, transaction(ctx.sessions) as s:
            application = own_application(s, owner_id, application_id)
            cert = certificate_of(s, application)
            if application.state != State.ISSUED.value or cert is None:
                if s.scalar(select(Delivery.id).where(Delivery.application_id == application_id)):
                    raise DeliveryExistsError()
                raise DeliveryNotAllowedError()
            if s.scalar(select(Delivery.id).where(Delivery.application_id == application_id)):
                raise DeliveryExistsError()
            pickup: Callable[..., Delivery] | None = ctx.extras.get("pickup")
            if method == "pickup" and pickup is not None:
                delivery = pickup(s, application)  # the courier package's one-time code, hashed
            elif method == "pickup":
                code = f"{secrets.randbelow(10**8):08d}"
                delivery = Delivery(
                    application_id=application_id,
                    method="pickup",
                    status="created",
                    pickup_code=code,
                )
                application.pickup_code = code
                s.add(delivery)
            else:
                if courier is None:
                    raise CourierUnavailableError()
                delivery = courier(
                    s, application, cert, carrier=carrier, recipient=dict(recipient or {})
                )
            s.flush()
            append_event(
                s,
                actor=actor,
                role="citizen",
                action="delivery.requested",
                subject_type="application",
                subject_id=application_id,
                data={"method": method, "carrier": carrier},
            )
            return delivery_view(ctx, s, delivery)
    raise AssertionError("unreachable: the last attempt raises")


# --- what the citizen sees -------------------------------------------------------------------


def file_view(u: Upload) -> dict[str, Any]:
    doc = u.document
    read = doc is not None and doc.error_code is None
    return {
        "id": str(u.id),
        "slot": u.slot,
        "filename": u.filename,
        "size": u.size,
        "sha256": u.sha256,
        "status": u.status,
        "doc_type": doc.doc_type if read else None,  # type: ignore[union-attr]
        "source": u.source,
        "quality": doc.quality if read else None,  # type: ignore[union-attr]
        "error": doc.error_code if doc is not None else None,
    }


def application_view(ctx: JobContext, session: Session, application: Application) -> dict[str, Any]:
    """The *Application* of CONTRACT §4 (ID numbers masked in the report)."""
    files = [file_view(u) for u in application.uploads]
    cert = certificate_of(session, application)
    base = ctx.signing_settings.public_base_url.rstrip("/")
    certificate = (
        {
            "identifier": cert.identifier,
            "verify_url": f"{base}/verify/{cert.identifier}",
            "status": cert.status,
        }
        if cert is not None
        else None
    )
    delivery_row = session.scalar(select(Delivery).where(Delivery.application_id == application.id))
    return {
        "id": application.id,
        "matter": application.matter_id,
        "state": application.state,
        "answers": dict(application.answers or {}),
        "created_at": _aware(application.created_at),
        "updated_at": _aware(application.updated_at),
        "submitted_at": _aware(application.submitted_at),
        "due_at": _aware(application.due_at),
        "files": files,
        "report": application.report,
        "certificate": certificate,
        "delivery": delivery_view(ctx, session, delivery_row) if delivery_row is not None else None,
        "decision": latest_decision(session, application.id),
    }


def delivery_view(ctx: JobContext, session: Session, d: Delivery) -> dict[str, Any]:
    """The *Delivery* of CONTRACT §4 (the courier package's view when it is wired)."""
    view: Callable[..., dict[str, Any]] | None = ctx.extras.get("delivery_view")
    if view is not None:
        return view(session, d)
    return {
        "method": d.method,
        "carrier": d.carrier,
        "tracking_number": None,
        "status": d.status,
        "events": [],
        "pickup_code": d.pickup_code,
    }


def checklist_view(ctx: JobContext, application: Application) -> list[dict[str, Any]]:
    """一次性告知: what this application needs, from its matter and answers."""
    import precheck

    matter = ctx.catalogue.get(application.matter_id)
    items = [
        item.to_json()
        for item in precheck.build_checklist(matter=matter, answers=application.answers).items
    ]
    shared = {u.slot for u in application.uploads if u.source == "shared"}
    for item in items:  # 证照复用: a slot the e-certificate library filled
        if item["slot"] in shared:
            item["shared"] = True
            item["note"] = "可免提交：已通过数据共享获取"
    return items
