"""一次性告知: from a matter and the applicant's answers, the exact list of materials with the
reason each one is needed, as data, as an HTML page and as a printable PDF."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import jinja2

from common import cjk_font
from precheck.catalogue import Matter, ProvidedBy, Role

ROLE_NAMES: dict[Role, str] = {
    Role.SELLER: "卖方",
    Role.BUYER: "买方",
    Role.AGENT: "受托人",
    Role.APPLICANT: "申领人",
    Role.OPERATOR: "经营者",
    Role.FAMILY_MEMBER: "参加经营的家庭成员",
    Role.SHAREHOLDER: "自然人股东",
    Role.OFFICER: "董事、监事、经理",
    Role.LEGAL_REPRESENTATIVE: "法定代表人",
    Role.MORTGAGOR: "抵押人",
    Role.MORTGAGEE: "抵押权人",
    Role.PARENT: "父母",
}

TEMPLATES = Path(__file__).parent / "templates"
#: The name the checklist PDF registers its CJK font under (reportlab's registry is global).
_PDF_FONT = "PaoyiciChecklistCJK"


@dataclass(frozen=True)
class ChecklistItem:
    slot: str
    name: str
    reason: str
    provided_by: ProvidedBy
    originals: str | None
    per: Role | None
    accept_missing: bool
    note: str | None

    @property
    def to_upload(self) -> bool:
        return self.provided_by == ProvidedBy.UPLOAD

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot,
            "name": self.name,
            "reason": self.reason,
            "provided_by": self.provided_by.value,
            "originals": self.originals,
            "per": self.per.value if self.per is not None else None,
            "accept_missing": self.accept_missing,
            "note": self.note,
        }


@dataclass(frozen=True)
class Checklist:
    matter: Matter
    answers: Mapping[str, bool]
    items: tuple[ChecklistItem, ...]

    def to_json(self) -> dict[str, Any]:
        m = self.matter
        return {
            "matter": m.id,
            "name": m.name,
            "department": m.department,
            "answers": dict(self.answers),
            "items": [i.to_json() for i in self.items],
            "time_limit": {"promised": m.promised_time_limit, "legal": m.legal_time_limit},
            "fee": m.fee,
            "visits": m.visits,
            "legal_basis": list(m.legal_basis),
            "sources": [
                {"title": s.title, "url": s.url, "date": s.date, "region": s.region}
                for s in m.sources
            ],
            "silent_on": list(m.silent_on),
        }


def build_checklist(*, matter: Matter, answers: Mapping[str, Any]) -> Checklist:
    """The materials the answers make necessary, each with its reason. Raises
    ``InvalidAnswersError`` for an answer the matter does not ask."""
    clean = matter.validate_answers(answers)
    items = []
    for slot in matter.slots.values():
        if not slot.when.holds(clean):
            continue
        reasons = slot.when.reasons(matter.questions, clean)
        per = f"（每位{ROLE_NAMES[slot.per]}各一份）" if slot.per else ""
        if slot.provided_by == ProvidedBy.DATA_SHARING:
            reason = f"{slot.name}由部门通过数据共享获取，您无需提交"
        elif slot.provided_by == ProvidedBy.ONLINE_FORM:
            reason = f"{slot.name}在线填写，无需上传"
        elif reasons:
            reason = f"因{'、'.join(reasons)}，需提供{slot.name}{per}"
        else:
            reason = f"办理本事项均需提供{slot.name}{per}"
        if slot.accept_missing is not None:
            reason += "；暂时缺少的，可签署承诺书容缺受理，限期补交"
        items.append(
            ChecklistItem(
                slot=slot.id,
                name=slot.name,
                reason=reason,
                provided_by=slot.provided_by,
                originals=slot.originals,
                per=slot.per,
                accept_missing=slot.accept_missing is not None,
                note=slot.note,
            )
        )
    return Checklist(matter=matter, answers=clean, items=tuple(items))


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def render_checklist_html(checklist: Checklist) -> str:
    return _env().get_template("checklist.html").render(c=checklist, m=checklist.matter)


def render_checklist_pdf(checklist: Checklist, *, generated: dt.date | None = None) -> bytes:
    """A printable A4 PDF with an embedded CJK font (``common.cjk_font()``: WenQuanYi Micro
    Hei where installed)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _PDF_FONT
    if font not in pdfmetrics.getRegisteredFontNames():
        cjk = cjk_font()
        if cjk is None:
            raise FileNotFoundError("no CJK TrueType font installed (fonts-wqy-microhei)")
        pdfmetrics.registerFont(TTFont(font, str(cjk.path), subfontIndex=cjk.index))
    base = ParagraphStyle("base", fontName=font, fontSize=10, leading=15, wordWrap="CJK")
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, spaceAfter=6)
    small = ParagraphStyle("small", parent=base, fontSize=8, leading=11, textColor=colors.grey)
    m = checklist.matter

    def p(text: str, style: ParagraphStyle = base) -> Paragraph:
        return Paragraph(xml_escape(text), style)

    story: list[Any] = [
        p(f"一次性告知单：{m.name}", title),
        p(f"受理部门：{m.department or '（指南未写明）'}"),
        p(f"承诺时限：{m.promised_time_limit or '（指南未写明）'}"),
        p(f"法定时限：{m.legal_time_limit or '（指南未写明）'}"),
        p(f"收费：{m.fee or '（指南未写明）'}"),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [[p("序号"), p("材料"), p("为什么需要"), p("原件/复印件")]]
    for n, item in enumerate(checklist.items, 1):
        rows.append([p(str(n)), p(item.name), p(item.reason), p(item.originals or "指南未写明")])
    table = Table(rows, colWidths=[12 * mm, 55 * mm, 75 * mm, 38 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    if m.silent_on:
        story.append(p("指南未写明的事项：" + "；".join(m.silent_on), small))
    for s in m.sources:
        story.append(p(f"来源：{s.title}（{s.region or ''}，{s.date or '无日期'}）{s.url}", small))
    when = (generated or dt.date.today()).isoformat()
    story.append(p(f"生成日期：{when}。以受理窗口最终审核为准。", small))
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf, pagesize=A4, title=f"一次性告知单 {m.name}", leftMargin=15 * mm, rightMargin=15 * mm
    ).build(story)
    return buf.getvalue()
