"""居民户口簿: address and members (name, relation to the head, ID number)."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import (
    DocumentType,
    Hit,
    Reader,
    address_field,
    id_number_field,
    put,
    weighted,
)
from ocr.doctypes.parties import party_list
from ocr.document import DocType, Field
from ocr.layout import PageText

KEYWORDS = weighted("户口簿:4 常住人口登记:4 户主:2 与户主关系:3 常住人口登记卡:3 户别:2 户号:1")
FIELDS = ("address", "members")

LABELS: dict[str, tuple[str, ...]] = {
    "head": ("户主姓名",),
    "kind": ("户别",),
    "number": ("户号",),
    "address": ("住址", "户籍地址"),
    "name": ("姓名",),
    "relation": ("户主或与户主关系", "与户主关系"),
    "former_name": ("曾用名",),
    "sex": ("性别",),
    "birth_place": ("出生地",),
    "ethnicity": ("民族",),
    "origin": ("籍贯",),
    "birth_date": ("出生日期",),
    "id_number": ("公民身份号码", "公民身份证件编号", "身份证号"),
}


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, TYPE.wordings())
    out: dict[str, Field] = {}
    put(out, "address", address_field(r.first(*LABELS["address"], multiline=True)))
    members: list[dict[str, Field]] = []
    starts = [m.start() for m in re.finditer(r"(?<!户主)(?<!曾用)姓名", pt.text)]
    for i, start in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(pt.text)
        h = r.value("姓名", start=start)
        if h is None or h.span is None or h.span.start >= limit:
            continue
        m: dict[str, Field] = {"name": h.field(h.value)}
        rel = r.value("户主或与户主关系", start=start) or r.value("与户主关系", start=start)
        if rel is not None and rel.span is not None and rel.span.start < limit:
            m["relation"] = rel.field(rel.value)
        idh = (
            r.value("公民身份号码", start=start)
            or r.value("公民身份证件编号", start=start)
            or r.value("身份证号", start=start)
        )
        if idh is not None and idh.span is not None and idh.span.start < limit:
            f = id_number_field(Hit(re.sub(r"[^0-9Xx×]", "", idh.value), idh.span), today=today)
            if f is not None:
                m["id_number"] = f
        members.append(m)
    put(out, "members", party_list(members))
    return out


TYPE = DocumentType(DocType.HOUSEHOLD_REGISTER, KEYWORDS, FIELDS, extract, LABELS)
