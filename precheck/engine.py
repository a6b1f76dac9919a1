"""The engine: documents + answers → a Report with a verdict a citizen can act on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ocr.document import DocType, Document
from precheck.catalogue import Catalogue, Matter, load_catalogue
from precheck.checklist import ChecklistItem, build_checklist
from precheck.findings import Finding, FindingCode, Severity, Upload
from precheck.rules import rules_for
from precheck.rules.base import CheckContext, Person, Rule, dedupe, lean
from precheck.settings import PrecheckSettings


class Verdict(StrEnum):
    """What the applicant is told (CONTRACT §1)."""

    #: complete, consistent and valid: the applicant needs at most one visit (or none)
    READY = "ready"
    #: the applicant must change something; every finding says what
    NEEDS_FIX = "needs_fix"
    #: nothing is known to be wrong, but something is uncertain: a reviewer looks first
    NEEDS_REVIEW = "needs_review"


#: The values of :class:`Verdict`.
VERDICTS: tuple[str, ...] = tuple(v.value for v in Verdict)

#: Findings in a report: errors first, then warnings, then information.
_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class SlotStatus:
    """One line of the report's checklist: is this material there and free of defects?"""

    slot: str
    name: str
    required: bool
    satisfied: bool
    reason: str | None
    accepted_missing: bool = False
    deadline: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "slot": self.slot,
            "required": self.required,
            "satisfied": self.satisfied,
            "name": self.name,
            "reason": self.reason,
        }
        if self.accepted_missing:
            out["accepted_missing"] = True
            out["deadline"] = self.deadline
        return out


@dataclass(frozen=True)
class Report:
    matter: str
    verdict: Verdict
    findings: tuple[Finding, ...]
    uploads: tuple[Upload, ...]
    checklist: tuple[SlotStatus, ...]
    as_of: dt.date

    def to_json(self) -> dict[str, Any]:
        """CONTRACT §1 ``precheck --json`` shape (plus a few added keys)."""
        docs = []
        for up in self.uploads:
            entry: dict[str, Any] = {"file": up.file, "slot": up.slot}
            if up.document is not None:
                d = up.document
                entry |= {
                    "doc_type": d.doc_type.value,
                    "fields": {k: f.to_json() for k, f in d.fields.items()},
                    "confidence": round(float(d.confidence), 4),
                    "pages": d.pages,
                    "quality": d.quality.to_json(),
                }
            else:
                assert up.problem is not None
                entry |= {
                    "doc_type": DocType.UNKNOWN.value,
                    "fields": {},
                    "error": up.problem.code,
                    "message": up.problem.message,
                }
            docs.append(entry)
        pending = [
            {"slot": s.slot, "deadline": s.deadline} for s in self.checklist if s.accepted_missing
        ]
        out: dict[str, Any] = {
            "matter": self.matter,
            "verdict": self.verdict.value,
            "findings": [f.to_json() for f in self.findings],
            "documents": docs,
            "checklist": [s.to_json() for s in self.checklist],
            "as_of": self.as_of.isoformat(),
        }
        if pending:
            out["accepted_pending"] = pending
        return out


def verdict_of(findings: Sequence[Finding]) -> Verdict:
    """needs_fix on any error; needs_review on any warning; otherwise ready."""
    if any(f.severity == Severity.ERROR for f in findings):
        return Verdict.NEEDS_FIX
    if any(f.severity == Severity.WARNING for f in findings):
        return Verdict.NEEDS_REVIEW
    return Verdict.READY


def _as_upload(item: Upload | tuple[str, int, Document]) -> Upload:
    if isinstance(item, Upload):
        return item
    slot, index, document = item
    return Upload(slot=slot, file=index, document=document)


def run(
    *,
    matter: str | Matter,
    answers: Mapping[str, Any],
    documents: Sequence[Upload | tuple[str, int, Document]],
    as_of: dt.date,
    settings: PrecheckSettings | None = None,
    catalogue: Catalogue | None = None,
    rules: Sequence[Rule] | None = None,
    applicant: Person | None = None,
) -> Report:
    """Pre-check one application.

    ``documents`` are the uploads, each ``Upload`` (or ``(slot, file index, Document)``).
    ``applicant``: the signed-in citizen's verified identity (normalised), when known.
    Raises ``UnknownMatterError``, ``InvalidAnswersError`` or ``UnknownSlotError`` for caller
    faults; every problem with the materials themselves is a finding in the report.
    """
    settings = settings or PrecheckSettings()
    m = matter if isinstance(matter, Matter) else (catalogue or load_catalogue()).get(matter)
    clean = m.validate_answers(answers)
    uploads = tuple(sorted((_as_upload(d) for d in documents), key=lambda u: u.file))
    for up in uploads:
        m.slot(up.slot)  # raises UnknownSlotError
    ctx = CheckContext.build(
        matter=m,
        answers=clean,
        uploads=uploads,
        as_of=as_of,
        settings=settings,
        applicant=applicant,
    )
    findings: list[Finding] = []
    for rule in rules if rules is not None else rules_for(m.id):
        findings.extend(rule.check(ctx))
    findings = dedupe(lean(ctx, findings))
    findings.sort(key=lambda f: _SEVERITY_ORDER[f.severity])
    return Report(
        matter=m.id,
        verdict=verdict_of(findings),
        findings=tuple(findings),
        uploads=uploads,
        checklist=_slot_status(ctx, build_checklist(matter=m, answers=clean).items, findings),
        as_of=as_of,
    )


def _slot_status(
    ctx: CheckContext, items: Sequence[ChecklistItem], findings: Sequence[Finding]
) -> tuple[SlotStatus, ...]:
    errors = {f.slot for f in findings if f.severity == Severity.ERROR}
    pending = {f.slot: f.deadline for f in findings if f.code == FindingCode.ACCEPTED_PENDING}
    out: list[SlotStatus] = []
    listed: set[str] = set()
    for item in items:
        if not item.to_upload:
            continue
        listed.add(item.slot)
        present = any(ctx.is_usable(u) or not ctx.matter.slots[item.slot].machine_checkable
                      for u in ctx.in_slot(item.slot))  # fmt: skip
        out.append(
            SlotStatus(
                slot=item.slot,
                name=item.name,
                required=True,
                satisfied=present and item.slot not in errors,
                reason=item.reason,
                accepted_missing=item.slot in pending,
                deadline=pending.get(item.slot),
            )
        )
    for up in ctx.uploads:
        if up.slot not in listed:
            listed.add(up.slot)
            slot = ctx.matter.slots[up.slot]
            out.append(
                SlotStatus(
                    slot=up.slot,
                    name=slot.name,
                    required=False,
                    satisfied=up.slot not in errors,
                    reason="按您的情形无需提供，已上传的材料仅供参考",
                )
            )
    return tuple(out)
