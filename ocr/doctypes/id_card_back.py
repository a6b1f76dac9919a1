"""居民身份证 (国徽面): issuing authority and validity period."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import DocumentType, Hit, Reader, date_field, put, text_field, weighted
from ocr.document import DocType, Field
from ocr.layout import PageText

KEYWORDS = weighted("居民身份证:3 签发机关:3 有效期限:3 中华人民共和国:1")
FOREIGN = ("户主", "合同", "委托", "执照", "结婚", "权利人")
FIELDS = ("issuing_authority", "valid_from", "valid_until")

LABELS: dict[str, tuple[str, ...]] = {
    "issuing_authority": ("签发机关",),
    "valid_from": ("有效期限",),
}

_VALID_RX = re.compile(
    r"(\d{4}[.\-/年]\d{1,2}[.\-/月]\d{1,2}日?)[\-—–~至]+(\d{4}[.\-/年]\d{1,2}[.\-/月]\d{1,2}日?|长期)"
)


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, ["签发机关", "有效期限"])
    out: dict[str, Field] = {}
    auth = text_field(r.value("签发机关"))
    if auth is not None:
        ok = str(auth.value).endswith(("公安局", "分局"))
        auth = Field(
            auth.value,
            auth.confidence if ok else min(auth.confidence, 0.6),
            auth.page,
            auth.box,
            valid=ok,
        )
    put(out, "issuing_authority", auth)
    m = _VALID_RX.search(r.flat.text)
    if m:
        a = Hit(m.group(1), r.flat.span(m.start(1), m.end(1)))
        b = Hit(m.group(2), r.flat.span(m.start(2), m.end(2)))
        put(out, "valid_from", date_field(a))
        if m.group(2) == "长期":
            out["valid_until"] = b.field("长期", valid=True)
        else:
            put(out, "valid_until", date_field(b))
    return out


TYPE = DocumentType(DocType.ID_CARD_BACK, KEYWORDS, FIELDS, extract, LABELS, FOREIGN)
