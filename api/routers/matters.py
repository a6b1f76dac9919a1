"""Matters and checklists (public): what a matter asks, and 一次性告知 from the answers."""

from __future__ import annotations

from fastapi import APIRouter

import precheck
from api.deps import JobContextDep
from api.schemas import AnswersIn, ChecklistOut, MatterOut, MatterSummary, QuestionOut, SlotOut

router = APIRouter(prefix="/api/matters", tags=["办事事项"])


def _summary(m: precheck.Matter) -> dict[str, object]:
    return {
        "id": m.id,
        "name": m.name,
        "department": m.department,
        "promised_time_limit": m.promised_time_limit,
    }


@router.get("", summary="办事事项列表")
def list_matters(ctx: JobContextDep) -> list[MatterSummary]:
    return [MatterSummary.model_validate(_summary(m)) for m in ctx.catalogue]


@router.get("/{matter_id}", summary="事项详情：情形问题与材料项")
def get_matter(matter_id: str, ctx: JobContextDep) -> MatterOut:
    m = ctx.catalogue.get(matter_id)
    return MatterOut(
        **_summary(m),  # type: ignore[arg-type]
        legal_time_limit=m.legal_time_limit,
        fee=m.fee,
        visits=m.visits,
        questions=[QuestionOut(id=q.id, text=q.text) for q in m.questions.values()],
        slots=[
            SlotOut(
                id=s.id,
                name=s.name,
                doc_types=[t.value for t in s.doc_types],
                provided_by=s.provided_by.value,
                per=s.per.value if s.per is not None else None,
                originals=s.originals,
                note=s.note,
            )
            for s in m.slots.values()
        ],
    )


@router.post("/{matter_id}/checklist", summary="一次性告知：按情形列出所需材料")
def checklist(matter_id: str, body: AnswersIn, ctx: JobContextDep) -> ChecklistOut:
    m = ctx.catalogue.get(matter_id)
    c = precheck.build_checklist(matter=m, answers=body.answers)
    return ChecklistOut.model_validate({"matter": m.id, "items": [i.to_json() for i in c.items]})
