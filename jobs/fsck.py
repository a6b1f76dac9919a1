"""``paoyici fsck``: the database and the object store agree, and the audit chain is whole.

Walks every row that names an object (uploads, certificates, courier labels and proofs) and
every object in the buckets those rows live in, and reports:

- ``object_missing``: a row names an object the store does not have;
- ``object_mismatch``: the object's recorded size / SHA-256 differs from the row's;
- ``certificate_hash_mismatch``: a certificate's stored bytes do not hash to the row's SHA-256
  (always read in full: a certificate is what the service vouches for);
- ``orphan_object``: an object no row names (older than ``grace``: an upload in flight stores
  its object just before its row commits);
- ``audit_chain_broken``: the hash chain of the audit trail breaks (the first break).

Read only: it repairs nothing. Nothing personal is reported (keys and row ids only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cases import AuditChainBrokenError, verify_chain
from cases.models import Certificate, Shipment, Upload
from storage import Bucket, ObjectNotFoundError, ObjectStore, StorageError

MESSAGES = {
    "object_missing": "数据库记录所指的文件在对象存储中不存在",
    "object_mismatch": "对象存储中文件的大小或摘要与数据库记录不符",
    "certificate_hash_mismatch": "电子证照文件内容与登记的摘要不符",
    "orphan_object": "对象存储中的文件没有任何数据库记录引用",
    "audit_chain_broken": "审计记录哈希链断开",
}


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    kind: str | None = None
    key: str | None = None
    table: str | None = None
    row: int | str | None = None
    detail: str = ""


@dataclass
class FsckReport:
    problems: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "checked": dict(self.checked),
            "problems": [
                {k: v for k, v in asdict(p).items() if v not in (None, "")} for p in self.problems
            ],
        }


@dataclass(frozen=True)
class _Ref:
    kind: Bucket
    key: str
    table: str
    row: int
    size: int | None = None
    sha256: str | None = None


def _refs(session: Session) -> Iterable[_Ref]:
    for up_id, key, size, sha in session.execute(
        select(Upload.id, Upload.object_key, Upload.size, Upload.sha256).order_by(Upload.id)
    ):
        yield _Ref(Bucket.UPLOADS, key, "uploads", up_id, size, sha or None)
    for cert_id, cert_key, cert_sha in session.execute(
        select(Certificate.id, Certificate.object_key, Certificate.sha256)
        .where(Certificate.object_key.is_not(None))
        .order_by(Certificate.id)
    ):
        yield _Ref(Bucket.CERTIFICATES, str(cert_key), "certificates", cert_id, None, cert_sha)
    for ship_id, label, proof, proof_sha in session.execute(
        select(Shipment.id, Shipment.label_key, Shipment.proof_key, Shipment.proof_sha256).order_by(
            Shipment.id
        )
    ):
        if label:
            yield _Ref(Bucket.LABELS, label, "shipments", ship_id)
        if proof:
            yield _Ref(Bucket.ARTEFACTS, proof, "shipments", ship_id, None, proof_sha)


#: The buckets (and key prefixes in them) whose every object some row must name.
OWNED: tuple[tuple[Bucket, str], ...] = (
    (Bucket.UPLOADS, ""),
    (Bucket.CERTIFICATES, ""),
    (Bucket.LABELS, ""),
    (Bucket.ARTEFACTS, "proofs/"),
)


def _problem(code: str, **kw: Any) -> Problem:
    return Problem(code=code, message=MESSAGES[code], **kw)


def _full_sha256(store: ObjectStore, kind: Bucket, key: str) -> str:
    digest = hashlib.sha256()
    with store.open(kind=kind, key=key, verify=False) as reader:
        for chunk in reader:
            digest.update(chunk)
    return digest.hexdigest()


def fsck(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    *,
    grace: timedelta = timedelta(0),
    deep: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FsckReport:
    """Check everything once (see module doc). ``deep`` also hashes every upload in full."""
    report = FsckReport()
    add = report.problems.append
    with sessions() as s:
        refs = list(_refs(s))
        try:
            report.checked["audit_events"] = verify_chain(s)
        except AuditChainBrokenError as e:
            add(
                _problem(
                    "audit_chain_broken", table="audit_events", row=e.event_id, detail=e.message
                )
            )
            report.checked["audit_events"] = -1

    named: set[tuple[Bucket, str]] = set()
    seen: set[tuple[Bucket, str]] = set()
    for ref in refs:
        named.add((ref.kind, ref.key))
        if (ref.kind, ref.key) in seen:
            continue  # dedupe: several rows, one object
        seen.add((ref.kind, ref.key))
        where = {"kind": ref.kind.value, "key": ref.key, "table": ref.table, "row": ref.row}
        try:
            info = store.stat(kind=ref.kind, key=ref.key)
        except ObjectNotFoundError:
            add(_problem("object_missing", **where))
            continue
        if (ref.size is not None and info.size != ref.size) or (
            ref.sha256 and info.sha256 and info.sha256 != ref.sha256
        ):
            add(
                _problem(
                    "object_mismatch",
                    **where,
                    detail=f"size {info.size} sha256 {info.sha256} != {ref.size} {ref.sha256}",
                )
            )
            continue
        if ref.kind is Bucket.CERTIFICATES or (deep and ref.sha256):
            try:
                actual = _full_sha256(store, ref.kind, ref.key)
            except StorageError as e:
                actual = f"unreadable: {e.detail}"
            if ref.sha256 and actual != ref.sha256:
                code = (
                    "certificate_hash_mismatch"
                    if ref.kind is Bucket.CERTIFICATES
                    else "object_mismatch"
                )
                add(_problem(code, **where, detail=f"stored bytes {actual} != row {ref.sha256}"))
    report.checked["rows"] = len(refs)

    cutoff = now() - grace
    objects = 0
    for kind, prefix in OWNED:
        for summary in store.list(kind=kind, prefix=prefix):
            objects += 1
            if (kind, summary.key) in named:
                continue
            if grace and summary.last_modified is not None and summary.last_modified > cutoff:
                continue
            add(_problem("orphan_object", kind=kind.value, key=summary.key))
    report.checked["objects"] = objects
    return report
