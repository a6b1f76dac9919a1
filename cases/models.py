"""SQLAlchemy models of the application record.

Personal data (ID numbers, extracted fields, evidence values, reviewer corrections) is stored only
encrypted (``*_enc`` columns, see ``cases.crypto``); ``*_digest`` columns hold keyed digests for
equality lookups. Timestamps are timezone-aware UTC.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from cases.states import State


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    pass


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    matter_id: Mapped[str] = mapped_column(String(64), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(24), default=State.DRAFT.value, index=True)
    applicant_name: Mapped[str | None] = mapped_column(String(64))
    applicant_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    applicant_id_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    verdict: Mapped[str | None] = mapped_column(String(16))
    # 容缺受理: the date by which the promised material must arrive
    pending_deadline: Mapped[date | None] = mapped_column(Date)
    pickup_code: Mapped[str | None] = mapped_column(String(12))
    correction_rounds: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # optimistic locking: a concurrent writer gets ConcurrentUpdateError, not a lost update
    version: Mapped[int] = mapped_column(Integer, default=1)
    # the service (migration 0002): who owns it, when it was submitted and is due, who reviews it
    owner_id: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claim_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the latest pre-check report (the ``precheck --json`` shape, ID numbers masked); None
    # until the first file is read
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    uploads: Mapped[list[Upload]] = relationship(back_populates="application", order_by="Upload.id")
    findings: Mapped[list[Finding]] = relationship(back_populates="application")
    reviews: Mapped[list[Review]] = relationship(back_populates="application")
    certificates: Mapped[list[Certificate]] = relationship(back_populates="application")


class Upload(Base):
    __tablename__ = "uploads"
    __table_args__ = (
        UniqueConstraint("application_id", "slot", "sha256", name="uq_upload_slot_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    slot: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    object_key: Mapped[str] = mapped_column(String(512))
    replaced: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # migration 0002: queued | reading | done | failed; upload | e_certificate | shared
    status: Mapped[str] = mapped_column(String(16), default="queued")
    source: Mapped[str] = mapped_column(String(16), default="upload")

    application: Mapped[Application] = relationship(back_populates="uploads")
    document: Mapped[Document | None] = relationship(back_populates="upload", uselist=False)


class Document(Base):
    """What OCR read from one upload. Cached by SHA-256: equal bytes are never read twice."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    upload_id: Mapped[int] = mapped_column(
        ForeignKey("uploads.id", ondelete="CASCADE"), unique=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    pages: Mapped[int] = mapped_column(Integer)
    quality: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    fields_enc: Mapped[bytes] = mapped_column(LargeBinary)
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    upload: Mapped[Upload] = relationship(back_populates="document")


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    run: Mapped[int] = mapped_column(Integer, default=1)
    code: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    slot: Mapped[str | None] = mapped_column(String(64))
    field: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    evidence_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="findings")


class Review(Base):
    """One reviewer decision: confirm or correct a field, return, approve or reject."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reviewer: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(16))
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("findings.id"))
    field: Mapped[str | None] = mapped_column(String(64))
    correction_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="reviews")


class Certificate(Base):
    """An issued electronic certificate (GB/T 36903 metadata) and its registry status."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    identifier: Mapped[str] = mapped_column(String(128), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    type_code: Mapped[str] = mapped_column(String(32))
    number: Mapped[str] = mapped_column(String(64))
    serial: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    holder_name: Mapped[str] = mapped_column(String(128))
    holder_code_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    holder_code_type: Mapped[str | None] = mapped_column(String(32))
    issuer_name: Mapped[str] = mapped_column(String(128))
    issuer_code: Mapped[str] = mapped_column(String(18))
    issued_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="valid")
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"))
    object_key: Mapped[str | None] = mapped_column(String(512))
    sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application | None] = relationship(back_populates="certificates")
    shipments: Mapped[list[Shipment]] = relationship(back_populates="certificate")


class Shipment(Base):
    __tablename__ = "shipments"
    __table_args__ = (
        UniqueConstraint("carrier", "order_id", name="uq_shipment_order"),
        Index("ix_shipments_tracking", "carrier", "tracking_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[str] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="created")
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    label_key: Mapped[str | None] = mapped_column(String(512))
    proof_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # courier (migration 0004): the booking attempt (part of the idempotent order id), the
    # carrier's own reference (Kuaidi100 taskId), where the proof of delivery is kept, when the
    # route was last reconciled, and whether the carrier asked to be subscribed again
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    carrier_ref: Mapped[str | None] = mapped_column(String(64))
    proof_key: Mapped[str | None] = mapped_column(String(512))
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    needs_resubscribe: Mapped[bool] = mapped_column(default=False)

    certificate: Mapped[Certificate] = relationship(back_populates="shipments")
    events: Mapped[list[ShipmentEvent]] = relationship(
        back_populates="shipment", order_by="ShipmentEvent.occurred_at"
    )


class ShipmentEvent(Base):
    """A carrier push; ``event_key`` de-duplicates replays."""

    __tablename__ = "shipment_events"
    __table_args__ = (UniqueConstraint("shipment_id", "event_key", name="uq_shipment_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    event_key: Mapped[str] = mapped_column(String(128))
    carrier_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    shipment: Mapped[Shipment] = relationship(back_populates="events")


class AuditEvent(Base):
    """Append-only audit trail; each row's ``hash`` covers its content and the previous hash."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# --- the service (migration 0002) ------------------------------------------------------------


class User(Base):
    """An account: a citizen (self-registered) or staff (made with ``paoyici user add``)."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16), default="citizen")
    # the matters a reviewer works on; empty means every matter
    matters: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # verified real-name identity (migration 0007), set only by an identity verification
    # (``cases.identity``), never typed by the citizen; the ID number encrypted, with a digest
    identity_name: Mapped[str | None] = mapped_column(String(64))
    identity_id_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    identity_id_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    identity_provider: Mapped[str | None] = mapped_column(String(32))
    identity_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RevokedToken(Base):
    """A signed-out bearer token, refused until it would have expired anyway."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class Job(Base):
    """The outbox: a job row written in the same transaction as the change that needs it."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(64))
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # queued | running | done | failed
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CachedDocument(Base):
    """What the reader made of some bytes, keyed by reader version + slot hint + SHA-256, so
    equal content is read once across applications. The document (fields) is encrypted."""

    __tablename__ = "document_cache"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    document_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Counter(Base):
    """Named monotonic counters (certificate serials): allocated in the caller's transaction."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Delivery(Base):
    """How the citizen receives the certificate: a pickup code, or a courier shipment."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    method: Mapped[str] = mapped_column(String(16))
    carrier: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="created")
    pickup_code: Mapped[str | None] = mapped_column(String(12))
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class PickupCode(Base):
    """A one-time window pickup code (migration 0004). ``code_hash`` is an HMAC of the code
    under the courier settings' pickup secret (the lookup key); ``code_enc`` lets the owner see
    the code again. Single use (``used_at``), expiring, locked after too many wrong tries."""

    __tablename__ = "pickup_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(default=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- supervision, ratings and the one visit (migration 0005) --------------------------------


class ClockPause(Base):
    """A stop of a case's clock while it waits on the citizen (returned, 容缺 material owed).

    ``ended_at`` None: the clock stands still now. On resume the case's ``due_at`` moves on by the
    office time the pause lasted (``jobs.warnings``)."""

    __tablename__ = "clock_pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_by: Mapped[str] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(64))


class DeadlineAlert(Base):
    """A warning or overdue alarm raised for a subject (a case, a rating follow-up): the unique
    constraint makes each fire exactly once, whoever runs the job and however often."""

    __tablename__ = "deadline_alerts"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "kind", name="uq_deadline_alert"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # warning | overdue
    matter_id: Mapped[str | None] = mapped_column(String(64), index=True)
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(Base):
    """An in-app notice to one user (the case's holder, a supervisor, a citizen)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Rating(Base):
    """好差评: the citizen's one rating of a finished case (national five levels)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    level: Mapped[int] = mapped_column(Integer)  # 5 非常满意 … 1 非常不满意
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUp(Base):
    """A poor rating's follow-up (整改回访): a supervisor answers in writing before ``due_at``."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("ratings.id", ondelete="CASCADE"), unique=True
    )
    application_id: Mapped[str] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ServiceWindow(Base):
    """A counter in a service hall (办事大厅窗口) that takes booked visits."""

    __tablename__ = "service_windows"
    __table_args__ = (UniqueConstraint("hall", "number", name="uq_service_window"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hall: Mapped[str] = mapped_column(String(128))
    number: Mapped[str] = mapped_column(String(16))
    department: Mapped[str] = mapped_column(String(128), default="")
    matters: Mapped[list[str]] = mapped_column(JSON, default=list)
    opens: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM, Beijing time
    closes: Mapped[str] = mapped_column(String(5), default="17:00")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=30)
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(default=True)


class SlotLoad(Base):
    """How many places of one slot are taken: the row a booking increments under a condition,
    so concurrent bookings of the last place cannot both succeed."""

    __tablename__ = "slot_loads"

    window_id: Mapped[int] = mapped_column(
        ForeignKey("service_windows.id", ondelete="CASCADE"), primary_key=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)


class Booking(Base):
    """网上预约: one booked visit (booked → checked_in, or cancelled)."""

    __tablename__ = "bookings"
    __table_args__ = (Index("ix_bookings_application", "application_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("service_windows.id", ondelete="CASCADE"))
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default="booked")
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
