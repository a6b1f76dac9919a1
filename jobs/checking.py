"""Job ``precheck_application(application_id)``: the rules over the read documents → the report
and the state (``needs_fix`` / ``needs_review`` / ``ready``).

:func:`check_files` is the same glue for ``paoyici precheck`` and the benchmarks: files in,
report out, through the same reader and document cache the service uses.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import precheck
from cases.applications import move
from cases.db import transaction
from cases.identity import identity_of
from cases.models import Application, User
from cases.states import TRANSITIONS, State
from common import mask_ids
from jobs.context import JobContext, OcrReader
from jobs.ecert import recheck_status
from jobs.reading import stored_upload
from jobs.review import apply_reviews, field_reviews
from precheck import normalize

CHINA = ZoneInfo("Asia/Shanghai")

#: The states in which a new report decides the state (before any reviewer decision).
PRE_DECISION = frozenset({State.PRECHECKING, State.NEEDS_FIX, State.NEEDS_REVIEW, State.READY})
_VERDICT_STATE = {
    "ready": State.READY,
    "needs_fix": State.NEEDS_FIX,
    "needs_review": State.NEEDS_REVIEW,
}


def today(ctx: JobContext) -> dt.date:
    """ "Today" where the service is (expiry checks)."""
    return ctx.clock().astimezone(CHINA).date()


def masked(value: Any) -> Any:
    """``value`` (a report as JSON) with every ID number masked."""
    if isinstance(value, str):
        return mask_ids(value)
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    return value


def application_report(
    ctx: JobContext, session: Any, application: Application
) -> precheck.Report | None:
    """The report over ``application``'s read uploads; None while a file is still being read."""
    uploads = list(application.uploads)
    if any(u.status in ("queued", "reading") for u in uploads):
        return None
    reviews = field_reviews(session, application.id, cipher=ctx.cipher)
    docs = []
    for index, u in enumerate(uploads):
        up = stored_upload(ctx, u.document, u, index)
        if up is None:
            return None
        up = recheck_status(ctx, up, session=session)
        if up.document is not None and str(u.id) in reviews:
            # what a reviewer confirmed or corrected counts as read with certainty
            up = replace(up, document=apply_reviews(up.document, reviews[str(u.id)]))
        docs.append(up)
    matter = ctx.catalogue.get(application.matter_id)
    return precheck.run(
        matter=matter,
        answers=matter.validate_answers(application.answers or {}),
        documents=docs,
        as_of=today(ctx),
        settings=ctx.precheck,
        catalogue=ctx.catalogue,
        applicant=applicant_of(ctx, session, application),
    )


def applicant_of(ctx: JobContext, session: Any, application: Application) -> precheck.Person | None:
    """The owner's verified identity (实名认证), normalised, for the rules; None when the
    owner has none."""
    owner = session.get(User, application.owner_id) if application.owner_id else None
    identity = identity_of(owner, ctx.cipher) if owner is not None else None
    if identity is None:
        return None
    return precheck.Person(normalize.name(identity.name), normalize.id_number(identity.id_number))


def precheck_application(ctx: JobContext, *, application_id: str) -> None:
    with transaction(ctx.sessions) as s:
        application = s.get(Application, application_id)
        if application is None:
            return
        report = application_report(ctx, s, application)
        if report is None:
            return  # a file is still being read; its job enqueues this one again
        application.report = with_file_ids(masked(report.to_json()), application)
        # which materials came by data sharing (证照复用), for the report's readers
        name_sources(application.report, application, ctx.catalogue.get(application.matter_id))
        shared = {u.slot for u in application.uploads if u.source == "shared"}
        application.report["shared"] = sorted(shared)
        for item in application.report.get("checklist", []):
            if item.get("slot") in shared:
                item["shared"] = True
                item["note"] = "可免提交：已通过数据共享获取"
        application.verdict = report.verdict
        settle(s, application, _VERDICT_STATE[report.verdict])


_SOURCE_WORDS = {
    "upload": "上传的文件",
    "e_certificate": "已核验的电子证照",
    "shared": "数据共享获取的电子证照",
}


def name_sources(report: dict[str, Any], application: Application, matter: Any) -> None:
    """A mismatch between documents of different sources (e.g. a verified e-certificate and a
    photo) says where each side came from, in its message."""
    uploads = list(application.uploads)
    for finding in report.get("findings", []):
        if finding.get("code") != "field_mismatch":
            continue
        files = sorted(
            {e["file"] for e in finding.get("evidence") or [] if isinstance(e.get("file"), int)}
        )
        sides = [uploads[i] for i in files if 0 <= i < len(uploads)]
        if len({u.source for u in sides}) < 2:
            continue
        parts = []
        for u in sides:
            slot = matter.slots.get(u.slot)
            label = re.sub(r"（[^（）]*）$", "", slot.name) if slot is not None else u.slot
            part = f"{label}：{_SOURCE_WORDS.get(u.source, u.source)}"
            if part not in parts:
                parts.append(part)
        finding["message"] = f"{finding['message']}（比对来源：{'；'.join(parts)}）"


def with_file_ids(report: dict[str, Any], application: Application) -> dict[str, Any]:
    """``report`` with ``file_id`` (the *File* ``id``) beside each ``file`` index: index n is
    the n-th upload of the application, oldest first (``files[n]`` of the *Application*)."""
    ids = [str(u.id) for u in application.uploads]

    def tag(entry: Any) -> None:
        index = entry.get("file") if isinstance(entry, dict) else None
        if isinstance(index, int) and 0 <= index < len(ids):
            entry["file_id"] = ids[index]

    for doc in report.get("documents", []):
        tag(doc)
    for finding in report.get("findings", []):
        for ev in finding.get("evidence") or []:
            tag(ev)
    return report


def settle(session: Any, application: Application, target: State) -> None:
    """Move a case that no reviewer has decided to the state its report gives. A submitted
    case whose re-run (after a reviewer's correction) says ``needs_fix`` goes back to the
    citizen: it is editable again and must be submitted again."""
    current = State(application.state)
    if target is State.NEEDS_FIX and application.submitted_at is not None:
        application.submitted_at = None
    if current not in PRE_DECISION or current is target:
        return
    if target not in TRANSITIONS[current]:
        move(session, application, State.PRECHECKING, actor="system", role="system")
    move(
        session,
        application,
        target,
        actor="system",
        role="system",
        data={"verdict": application.verdict},
    )


def check_files(
    *,
    matter: precheck.Matter,
    answers: dict[str, bool],
    files: Sequence[tuple[str, bytes, str]],
    reader: OcrReader,
    cache: precheck.DocumentCache,
    settings: precheck.PrecheckSettings,
    as_of: dt.date,
    workers: int = 1,
) -> precheck.Report:
    """Pre-check ``(slot, bytes, name)`` files outside any application (``paoyici precheck``,
    the benchmarks): the reader and rules the jobs use, through a document cache."""
    uploads = precheck.read_uploads(
        files=precheck.slot_files(matter, files),
        reader=reader.read,
        cache=cache,
        reader_version=reader.version,
        workers=workers,
    )
    return precheck.run(
        matter=matter, answers=answers, documents=uploads, as_of=as_of, settings=settings
    )
