"""授权委托书: principal, agent, signing date."""

from __future__ import annotations

from datetime import date

from ocr.doctypes.base import DocumentType, Reader, date_field, put, weighted
from ocr.doctypes.parties import block_people, parties, party_hits, party_list
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.marks_places import FINGERPRINT, SIGNATURE, MarkPlace, mark_label

KEYWORDS = weighted("委托书:4 委托人:3 受托人:3 委托事项:1 代理:1")
FIELDS = ("principal", "agent", "signed_date")

LABELS: dict[str, tuple[str, ...]] = {
    "principal": ("委托人",),
    "agent": ("受托人", "代理人", "受委托人"),
    "signed_date": ("委托日期", "签署日期", "日期", "签字日期"),
}


PRINCIPAL = r"(?<!受)委托人"
AGENT = r"(?:受托人|代理人|受委托人)"


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, [])
    out: dict[str, Field] = {}
    bounds = [p for _, p in party_hits(r, PRINCIPAL) + party_hits(r, AGENT)]
    for key, role in (("principal", PRINCIPAL), ("agent", AGENT)):
        ps = parties(r, role, bounds=bounds) or block_people(r, role, today=today)
        if ps:
            f = party_list(ps[:1])
            if f is not None:
                out[key] = Field(f.value[0], f.confidence, f.page, f.box, f.suggestion, f.valid)  # type: ignore[index]
    dates = r.regex_all(
        r"(?:委托日期|签署日期|日期|签字日期)[:]?(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"
    )
    if dates:
        put(out, "signed_date", date_field(dates[-1][0]))
    else:
        all_dates = r.regex_all(r"(\d{4}年\d{1,2}月\d{1,2}日)")
        if all_dates:
            put(out, "signed_date", date_field(all_dates[-1][0]))
    return out


TYPE = DocumentType(DocType.POWER_OF_ATTORNEY, KEYWORDS, FIELDS, extract, LABELS)

#: Where the principal must sign (and fingerprint) the power of attorney.
PLACES: tuple[MarkPlace, ...] = (
    MarkPlace(
        "principal",
        (mark_label("委托人", "授权人"),),
        (SIGNATURE, FINGERPRINT),
        "委托人",
        row_labels=(r"^(?:委托人|授权人)(?:\(.{0,6}\))?:?$",),
    ),
    # the agent signs where the form has a place for it (受托人（签字）); nothing else asks
    MarkPlace(
        "agent",
        (mark_label("受托人", "代理人", "受委托人"),),
        (SIGNATURE,),
        "受托人",
        row_labels=(r"^(?:受托人|代理人|受委托人)(?:\(.{0,6}\))?:?$",),
    ),
)
