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
