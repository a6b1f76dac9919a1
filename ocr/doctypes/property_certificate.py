"""不动产权证书: certificate number, owners, co-ownership, location, unit number, area."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ocr.doctypes.base import (
    CERT_NO_RX,
    INCONSISTENT_CAP,
    INVALID_CAP,
    DocumentType,
    Reader,
    address_field,
    cert_field,
    put,
    split_names,
    text_field,
    weighted,
)
from ocr.doctypes.names import GUESSED_SPLIT_CAP, split_glued
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.marks_places import SEAL, MarkPlace
from ocr.validators import is_valid_unit_number

KEYWORDS = weighted(
    "权利人:2 共有情况:3 坐落:1 不动产单元号:1 权利类型:2 权利性质:2 使用期限:1 不动产权第:1"
)
FIELDS = ("certificate_number", "owners", "co_ownership", "location", "unit_number", "area")

LABELS: dict[str, tuple[str, ...]] = {
    "owners": ("权利人", "所有权人", "房屋所有权人"),
    "co_ownership": ("共有情况", "共有方式"),
    "location": ("坐落", "房屋坐落", "房地坐落"),
    "unit_number": ("不动产单元号", "单元号"),
    "right_type": ("权利类型",),
    "right_nature": ("权利性质",),
    "use": ("用途",),
    "area": ("面积", "建筑面积"),
    "term": ("使用期限",),
    "other": ("权利其他状况",),
    "note": ("附记",),
}


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, TYPE.wordings())
    out: dict[str, Field] = {}
    put(out, "certificate_number", cert_field(r.regex(CERT_NO_RX), today))
    put(out, "co_ownership", text_field(r.first(*LABELS["co_ownership"])))
    owners = r.first(*LABELS["owners"], multiline=True)
    if owners is not None:
        # a share printed after each owner (楼妍(50%)) is not part of the name
        names = [re.sub(r"\(\d{1,3}(?:\.\d+)?%\)", "", n) for n in split_names(owners)]
        names = [n for n in names if n]
        cap = 1.0
        shared = "co_ownership" in out and out["co_ownership"].value in ("共同共有", "按份共有")
        if shared and len(names) == 1:
            # several owners, one name read: printed apart by spaces the recogniser dropped
            splits = [x for n in (2, 3) if (x := split_glued(names[0], n)) is not None]
            if len(splits) == 1:
                names, cap = splits[0], GUESSED_SPLIT_CAP
            else:
                cap = INCONSISTENT_CAP
        out["owners"] = owners.field(names, cap=cap)
    put(out, "location", address_field(r.first(*LABELS["location"], multiline=True)))
    unit = r.first(*LABELS["unit_number"])
    if unit is not None:
        v = re.sub(r"[^0-9A-Z]", "", unit.value.upper())
        ok = is_valid_unit_number(v)
        out["unit_number"] = unit.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    area = r.value("面积", multiline=True)
    header = r.under_header("建筑面积", r"\d{1,5}(?:\.\d{1,2})?")
    if header is not None:
        # a house-status table: the building area's column over its figure
        out["area"] = header.field(header.value)
    elif area is not None:
        m = re.search(r"房屋建筑面积[:]?(\d+(?:\.\d+)?)", area.value) or re.search(
            r"建筑面积[:]?(\d+(?:\.\d+)?)", area.value
        )
        hit = None
        if m:
            hit = r.regex(
                re.escape(m.group(0)).replace(
                    re.escape(m.group(1)), "(" + re.escape(m.group(1)) + ")"
                )
            )
        if hit is None:
            # the unit's "2" (169.63m2) is not a number of the area
            nums = re.findall(r"\d+(?:\.\d+)?", re.sub(r"[mM][2²]|㎡", "", area.value))
            if nums:
                found = r.regex("(" + re.escape(nums[-1]) + ")")
                # a number near the label, not the number its wording names: a guess
                hit = None if found is None else replace(found, whole=False)
        if hit is not None:
            out["area"] = hit.field(hit.value)
    return out


TYPE = DocumentType(DocType.PROPERTY_CERTIFICATE, KEYWORDS, FIELDS, extract, LABELS)

#: The registry's seal beside 登记机构 and the date; it must name the registry the
#: certificate number names.
PLACES: tuple[MarkPlace, ...] = (
    MarkPlace(
        "registry",
        (r"(?:登记机构|发证机关|登记机关)",),
        (SEAL,),
        "登记机构",
        org_field="certificate_number",
    ),
)
