"""结婚证: holder, registration date, certificate number, spouses."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import INVALID_CAP, DocumentType, Reader, date_field, put, text_field
from ocr.doctypes.parties import party_list, people
from ocr.document import DocType, Field
from ocr.layout import PageText

LABELS: dict[str, tuple[str, ...]] = {
    "holder": ("持证人",),
    "registration_date": ("登记日期",),
    "certificate_number": ("结婚证字号",),
    "note": ("备注",),
    "name": ("姓名",),
    "sex": ("性别",),
    "nationality": ("国籍",),
    "birth_date": ("出生日期",),
    "id_number": ("身份证件号", "身份证号"),
}


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, TYPE.wordings())
    out: dict[str, Field] = {}
    put(out, "holder", text_field(r.value("持证人")))
    put(out, "registration_date", date_field(r.value("登记日期")))
    no = r.value("结婚证字号")
    if no is not None:
        v = no.value.upper()
        ok = bool(re.fullmatch(r"[JLB]\d{6}-\d{4}-\d{5,7}", v))
        out["certificate_number"] = no.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    hits = r.regex_all(r"(?<!持证人)姓名[:]?([\u4e00-\u9fa5·]{2,12}?)(?=性别|国籍|出生|身份|$)")
    spouses = people(r, hits, bounds=[p for _, p in hits], today=today, printed_birth=True)
    holder = out.get("holder")
    if holder is not None:
        # the holder's own record first, as the certificate lists it
        spouses.sort(key=lambda p: p["name"].value != holder.value)
    put(out, "spouses", party_list(spouses))
    return out


TYPE = DocumentType(
    doc_type=DocType.MARRIAGE_CERTIFICATE,
    keywords=(
        ("结婚证", 4),
        ("持证人", 3),
        ("登记日期", 2),
        ("结婚证字号", 3),
        ("婚姻登记", 1),
    ),
    labels=LABELS,
    fields=("holder", "registration_date", "certificate_number", "spouses"),
    extract=extract,
)
