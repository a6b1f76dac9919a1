"""营业执照: credit code, name, legal representative, address, establishment date."""

from __future__ import annotations

from datetime import date

from ocr.doctypes.base import (
    INVALID_CAP,
    DocumentType,
    Reader,
    address_field,
    date_field,
    name_field,
    put,
    text_field,
    weighted,
)
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.validators import credit_code_suggestion, is_valid_credit_code

KEYWORDS = weighted(
    "营业执照:4 统一社会信用代码:3 法定代表人:2 注册资本:1 成立日期:2 经营范围:1 登记机关:1"
)
FIELDS = ("credit_code", "name", "legal_representative", "address", "established_date")

LABELS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码",),
    "name": ("名称",),
    "kind": ("类型",),
    "legal_representative": ("法定代表人", "负责人", "经营者"),
    "scope": ("经营范围",),
    "capital": ("注册资本",),
    "established_date": ("成立日期", "注册日期"),
    "term": ("营业期限",),
    "address": ("住所", "经营场所"),
    "authority": ("登记机关",),
}


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, TYPE.wordings())
    out: dict[str, Field] = {}
    code = r.regex(r"统一社会信用代码[:]?([0-9A-Z]{18})(?![0-9A-Z])") or r.regex(
        r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-Z]{10})(?![0-9A-Z])", rows=True
    )
    if code is not None:
        v = code.value.upper()
        if is_valid_credit_code(v):
            out["credit_code"] = code.field(v, valid=True)
        else:
            f = code.field(v, cap=INVALID_CAP, valid=False)
            out["credit_code"] = Field(
                f.value, f.confidence, f.page, f.box, credit_code_suggestion(v), False
            )
    put(out, "name", text_field(r.value("名称", multiline=True)))
    put(
        out,
        "legal_representative",
        name_field(r.value("法定代表人") or r.value("负责人") or r.value("经营者")),
    )
    put(
        out,
        "address",
        address_field(r.value("住所", multiline=True) or r.value("经营场所", multiline=True)),
    )
    put(out, "established_date", date_field(r.first(*LABELS["established_date"])))
    return out


TYPE = DocumentType(DocType.BUSINESS_LICENSE, KEYWORDS, FIELDS, extract, LABELS)
