"""People named in a document (contract parties, spouses): a name and the ID number in their
block, never a number borrowed from another person's block."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import (
    ID_RX,
    INCONSISTENT_CAP,
    Hit,
    Reader,
    capped,
    id_number_field,
    join,
)
from ocr.document import Field
from ocr.validators import parse_date

PARTY_ID_RX = r"(?:证件号码|身份证件号|身份证号码|身份证号|公民身份号码)[^0-9]{0,8}?" + ID_RX
BIRTH_RX = r"出生日期[:]?(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"
#: A person's name as printed: 2-4 Han characters, or a transcribed name with a middle dot.
NAME = r"(?:[\u4e00-\u9fa5]{2,4}?|[\u4e00-\u9fa5]{1,8}·[\u4e00-\u9fa5·]{1,12}?)"
# after a role word: "(甲方)", an ordinal of several (出卖人一), the ")" of "甲方(出卖人)", a colon
PARTY_NAME = (
    r"(?!\(签)(?:\([^)]{1,4}\))?[一二三四]?\)?[一二三四]?[:]?("
    + NAME
    + r")(?=证件|身份|居民|住址|性别|联系|通讯|$|[,;])"
)
#: Another person of the same role in a list: "...;雷涵飞,身份证号码:..."
NEXT_PARTY = r"[;]\s?(" + NAME + r")(?=,?(?:身份证|证件|公民身份))"


def people(
    r: Reader,
    hits: list[tuple[Hit, int]],
    *,
    bounds: list[int],
    today: date | None,
    printed_birth: bool = False,
) -> list[dict[str, Field]]:
    """A person per name hit, with the ID number found after the name and before the next
    person (``bounds``: flat-text offsets where any person starts). A number is never borrowed
    from someone else's block; one number on two people makes both doubtful."""
    out = []
    for hit, pos in hits:
        end = min((b for b in bounds if b > pos), default=len(r.flat.text))
        person: dict[str, Field] = {"name": hit.field(hit.value)}
        born = None
        if printed_birth:
            bh = r.regex(BIRTH_RX, start=pos)
            if bh is not None and bh.span is not None and bh.span.start < end:
                born = parse_date(bh.value)
        idh = r.regex(PARTY_ID_RX, start=pos)
        if idh is None or idh.span is None or idh.span.start >= end:
            # the number may sit a line above its label (a tilted photo): any number in this
            # person's block is theirs
            idh = r.regex(ID_RX, start=pos)
        if idh is None or idh.span is None or idh.span.start >= end:
            # in a table row the number's cell touches the next one (a phone number) in the
            # flat text: look for it in the page text, where cells stay apart
            idh = _in_rows(r, ID_RX, pos, end)
        if idh is not None and idh.span is not None and idh.span.start < end:
            f = id_number_field(idh, birth_date=born, today=today)
            if f is not None:
                person["id_number"] = f
        out.append(person)
    seen: dict[str, int] = {}
    for p in out:
        if "id_number" in p:
            seen[str(p["id_number"].value)] = seen.get(str(p["id_number"].value), 0) + 1
    for p in out:
        f = p.get("id_number")
        if f is not None and seen[str(f.value)] > 1:
            p["id_number"] = capped(f, INCONSISTENT_CAP)
    return out


def _in_rows(r: Reader, pattern: str, pos: int, end: int) -> Hit | None:
    """``pattern`` in the page text between the flat-text offsets ``pos`` and ``end``, as a
    hit whose span is in flat-text offsets (like every other hit of a person's block)."""
    if pos >= len(r.flat.text):
        return None
    a, b = r.flat.page_offset(pos), r.flat.page_offset(end)
    m = re.compile(pattern).search(r.pt.text, a, b)
    if m is None:
        return None
    sp = r.flat.span(r.flat.flat_offset(m.start(1)), r.flat.flat_offset(m.end(1)))
    return Hit(value=m.group(1), span=sp) if sp is not None else None


_NAME_LABEL = re.compile(r"(?:姓名|名称)[:]?")
_ID_LABEL = re.compile(r"(?:证件号码|身份证件号|身份证号码|身份证号|公民身份号码)[:]?")


def block_people(r: Reader, role_rx: str, *, today: date | None = None) -> list[dict[str, Field]]:
    """People of a role whose word stands alone in its cell, left of the rows that describe
    them (a form where 委托人 spans the rows 姓名 … and 身份证号码 …): the name after the 姓名
    label and the number after the ID label in those rows."""
    pt = r.pt
    segs = pt.segments
    out: list[dict[str, Field]] = []
    for k, seg in enumerate(segs):
        if not re.fullmatch(role_rx + r"[:]?", seg.text):
            continue
        h = max(1.0, seg.height)
        y0, y1 = (
            (seg.cell[1], seg.cell[3]) if seg.cell is not None else (seg.box[1] - h, seg.box[3] + h)
        )
        band = sorted(
            (j for j, s in enumerate(segs)
             if j != k and s.page == seg.page and s.box[0] >= seg.box[2] - 0.5 * h
             and y0 <= s.cy <= y1),
            key=lambda j: (pt.row_of_segment[j], segs[j].box[0]),
        )  # fmt: skip
        person: dict[str, Field] = {}
        for i, j in enumerate(band):
            nxt = band[i + 1] if i + 1 < len(band) else -1
            same_row = nxt >= 0 and pt.row_of_segment[nxt] == pt.row_of_segment[j]
            for label, key in ((_NAME_LABEL, "name"), (_ID_LABEL, "id_number")):
                m = label.match(segs[j].text)
                if m is None or key in person:
                    continue
                sp = None
                if m.end() < len(segs[j].text):  # the value in the label's own segment
                    a = pt.seg_start[j]
                    sp = pt.span(a + m.end(), a + len(segs[j].text))
                elif same_row:
                    sp = pt.segment_span(nxt)
                if sp is None:
                    continue
                hit = Hit(value=sp.text, span=sp)
                if key == "name" and re.fullmatch(NAME, sp.text):
                    person["name"] = hit.field(sp.text)
                elif key == "id_number" and re.fullmatch(ID_RX, sp.text):
                    f = id_number_field(hit, today=today)
                    if f is not None:
                        person["id_number"] = f
        if "name" in person:
            out.append(person)
    return out


def party_hits(r: Reader, role_rx: str, *, stop_rx: str | None = None) -> list[tuple[Hit, int]]:
    """``role: name`` occurrences, ignoring signature lines (``出卖人(签章)``), and the further
    people a role lists after the first (``;name,身份证号码...``) before ``stop_rx``."""
    hits = r.regex_all(role_rx + PARTY_NAME)
    more: list[tuple[Hit, int]] = []
    for _, pos in hits:
        end = len(r.flat.text)
        if stop_rx is not None and (m := re.compile(stop_rx).search(r.flat.text, pos + 1)):
            end = m.start()
        for h, p in r.regex_all(NEXT_PARTY):
            if pos < p < end and all(p != q for _, q in hits):
                more.append((h, p))
    return sorted(hits + more, key=lambda hp: hp[1])


def parties(
    r: Reader, role_rx: str, *, bounds: list[int] | None = None, stop_rx: str | None = None
) -> list[dict[str, Field]]:
    hits = party_hits(r, role_rx, stop_rx=stop_rx)
    return people(
        r, hits, bounds=bounds if bounds is not None else [p for _, p in hits], today=None
    )


def party_list(ps: list[dict[str, Field]]) -> Field | None:
    if not ps:
        return None
    value = [{k: f.value for k, f in p.items()} for p in ps]
    return join([f for p in ps for f in p.values()], value)
