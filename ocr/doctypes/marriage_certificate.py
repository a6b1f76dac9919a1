"""结婚证: holder, registration date, certificate number, spouses."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import (
    INVALID_CAP,
    DocumentType,
    Hit,
    Reader,
    date_field,
    id_number_field,
    name_field,
    put,
    weighted,
)
from ocr.doctypes.parties import NAME, party_list, people
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.validators import parse_date

KEYWORDS = weighted("结婚证:4 持证人:3 登记日期:2 结婚证字号:3 婚姻登记:1")
FIELDS = ("holder", "registration_date", "certificate_number", "spouses")

LABELS: dict[str, tuple[str, ...]] = {
    "holder": ("持证人",),
    "registration_date": ("登记日期", "结婚登记日期"),
    "certificate_number": ("结婚证字号", "证件编号", "结婚证号"),
    "note": ("备注",),
    "name": ("姓名",),
    "sex": ("性别",),
    "nationality": ("国籍",),
    "birth_date": ("出生日期",),
    "id_number": ("身份证件号", "身份证号", "公民身份号码"),
}


def _row_cells(r: Reader, labels: tuple[str, ...]) -> list[Hit] | None:
    """The value cells of the first row whose first line is one of ``labels`` alone and which
    holds two values (a certificate printing the spouses side by side: 男方 | 女方)."""
    pt = r.pt
    for row in pt.rows:
        if len(row) == 3 and row[0].text in labels:
            k = pt.segments.index(row[1])
            if r.starts_label(k) or r.starts_label(k + 1):
                continue  # "姓名 | 张三 | 性别男": one person's row, not two columns
            hits = []
            for kk in (k, k + 1):
                sp = pt.segment_span(kk)
                if sp is None:
                    return None
                hits.append(Hit(sp.text, sp))
            return hits
    return None


def _columns(r: Reader, today: date | None) -> list[dict[str, Field]]:
    """The spouses of a side-by-side table: names, birth dates and numbers by column."""
    names = _row_cells(r, ("姓名",))
    if names is None:
        return []
    ids = _row_cells(r, LABELS["id_number"])
    births = _row_cells(r, ("出生日期",))
    out = []
    for i, name in enumerate(names):
        f = name_field(name)
        if f is None or not re.fullmatch(NAME, str(f.value)):
            return []
        person: dict[str, Field] = {"name": f}
        if ids is not None:
            born = parse_date(births[i].value) if births is not None else None
            idf = id_number_field(ids[i], birth_date=born, today=today)
            if idf is not None:
                person["id_number"] = idf
        out.append(person)
    return out


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, TYPE.wordings())
    out: dict[str, Field] = {}
    put(out, "holder", name_field(r.value("持证人")))
    put(out, "registration_date", date_field(r.first(*LABELS["registration_date"])))
    no = r.first(*LABELS["certificate_number"])
    if no is not None:
        v = re.sub(r"[^0-9A-Z\-]", "", no.value.upper())
        ok = bool(re.fullmatch(r"[JLB]\d{6}-\d{4}-\d{5,7}", v))
        out["certificate_number"] = no.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    spouses = _columns(r, today)
    if not spouses:
        hits = r.regex_all(
            r"(?<!持证人)姓名[:,.·☑□■√]*([\u4e00-\u9fa5·]{2,12}?)(?=性别|国籍|出生|身份|$)"
        )
        spouses = people(r, hits, bounds=[p for _, p in hits], today=today, printed_birth=True)
    holder = out.get("holder")
    if holder is not None:
        # the holder's own record first, as the certificate lists it
        spouses.sort(key=lambda p: p["name"].value != holder.value)
    put(out, "spouses", party_list(spouses))
    return out


TYPE = DocumentType(DocType.MARRIAGE_CERTIFICATE, KEYWORDS, FIELDS, extract, LABELS)
