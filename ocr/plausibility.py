"""Does a value look like its field? A recogniser's character score says how sure it is of the
characters it saw, not that it saw the whole value or the right one: a location cut at a line
wrap, a name with a label glued on, an area that is not a number all come back at 0.99.

:func:`plausible` checks one value against its field's shape; :func:`apply` caps the confidence
of every field of a document whose value (or any element of a list value) fails, at
:data:`IMPLAUSIBLE_CAP`, below ``LOW_CONFIDENCE`` so that a reviewer confirms it. Values that
already failed their validator (``valid is False``) keep their lower cap.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from ocr.document import DocType, Field

#: The most a value that does not look like its field is trusted (below LOW_CONFIDENCE = 0.8).
IMPLAUSIBLE_CAP = 0.5

_HAN = "\u4e00-\u9fff"
_NAME = re.compile(rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,8}}·[{_HAN}]{{1,10}}")
# a full address: a city, county or district, and a numbered building, room, lane or plot at
# the end (rural addresses end in a house number or a group: ...村6组95号)
_PLACE = re.compile(r"[市县区州盟旗]")
_ADDRESS_END = re.compile(rf"(?:\d+[号室组]|\d+号楼|\d+[幢栋座]\d*|[{_HAN}]+村)$")
# a field the value must not contain: a label the layout read into it
_LABEL_WORDS = re.compile(
    r"权利人|共有情况|坐落|不动产单元号|权利类型|权利性质|用途|面积|使用期限|姓名|性别|民族|出生|"
    r"住址|公民身份|号码|法定代表人|注册资本|成立日期|营业期限|经营范围|登记机关|统一社会信用代码"
)
_COMPANY_END = re.compile(r"(?:公司|厂|店|部|中心|合作社|事务所|工作室|商行|经营部|馆|场|院|所)$")
_CO_OWNERSHIP = frozenset({"单独所有", "共同共有", "按份共有"})
_RELATION = re.compile(rf"[{_HAN}]{{1,5}}")
_AREA = re.compile(r"\d{1,5}(?:\.\d{1,2})?")
_PRICE = re.compile(r"[1-9]\d{3,10}(?:\.\d{1,2})?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _name(v: Any) -> bool:
    # a label read as a value (共有情况, 房屋坐落: four Han characters) is no name
    return isinstance(v, str) and _NAME.fullmatch(v) is not None and _LABEL_WORDS.search(v) is None


def _address(v: Any) -> bool:
    return (
        isinstance(v, str)
        and 8 <= len(v) <= 60
        and _PLACE.search(v) is not None
        and _ADDRESS_END.search(v) is not None
        and _LABEL_WORDS.search(v) is None
    )


def _date(v: Any) -> bool:
    if not isinstance(v, str) or _ISO.fullmatch(v) is None:
        return False
    try:
        d = date.fromisoformat(v)
    except ValueError:
        return False
    return 1900 <= d.year <= 2100


def _area(v: Any) -> bool:
    return isinstance(v, str) and _AREA.fullmatch(v) is not None and 1.0 <= float(v) <= 20000.0


def _price(v: Any) -> bool:
    return isinstance(v, str) and _PRICE.fullmatch(v) is not None


def _names(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(_name(x) for x in v)


def _people(v: Any) -> bool:
    """Named people each with the ID number their document prints beside the name."""
    items = v if isinstance(v, list) else [v]
    return bool(items) and all(
        isinstance(p, dict) and _name(p.get("name")) and bool(p.get("id_number")) for p in items
    )


def _couple(v: Any) -> bool:
    """A marriage certificate names exactly two people."""
    return isinstance(v, list) and len(v) == 2 and _people(v)


def _members(v: Any) -> bool:
    return (
        isinstance(v, list)
        and bool(v)
        and all(isinstance(p, dict) and _name(p.get("name")) for p in v)
        and all("relation" not in p or _RELATION.fullmatch(str(p["relation"])) for p in v)
    )


def _company(v: Any) -> bool:
    return (
        isinstance(v, str)
        and 4 <= len(v) <= 40
        and _COMPANY_END.search(v) is not None
        and _LABEL_WORDS.search(v) is None
    )


Check = Callable[[Any], bool]

#: Per document type, the fields with a shape to check (the others have validators).
CHECKS: Mapping[DocType, Mapping[str, Check]] = {
    DocType.ID_CARD_FRONT: {
        "name": _name,
        "sex": lambda v: v in ("男", "女"),
        "birth_date": _date,
        "address": _address,
    },
    DocType.ID_CARD_BACK: {"valid_from": _date},
    DocType.PROPERTY_CERTIFICATE: {
        "owners": _names,
        "co_ownership": lambda v: v in _CO_OWNERSHIP,
        "location": _address,
        "area": _area,
    },
    DocType.SALE_CONTRACT: {
        "sellers": _people,
        "buyers": _people,
        "location": _address,
        "price": _price,
        "signed_date": _date,
    },
    DocType.MARRIAGE_CERTIFICATE: {
        "holder": _name,
        "registration_date": _date,
        "spouses": _couple,
    },
    DocType.POWER_OF_ATTORNEY: {"principal": _people, "agent": _people, "signed_date": _date},
    DocType.HOUSEHOLD_REGISTER: {"address": _address, "members": _members},
    DocType.BUSINESS_LICENSE: {
        "name": _company,
        "legal_representative": _name,
        "address": _address,
        "established_date": _date,
    },
}


def plausible(doc_type: DocType, name: str, value: Any) -> bool:
    """Whether ``value`` looks like field ``name`` of ``doc_type`` (True when unchecked)."""
    check = CHECKS.get(DocType(doc_type), {}).get(name)
    return True if check is None else bool(check(value))


def apply(doc_type: DocType, fields: Mapping[str, Field]) -> dict[str, Field]:
    """``fields`` with the confidence of each implausible value capped."""
    out = {}
    for name, f in fields.items():
        if f.confidence > IMPLAUSIBLE_CAP and not plausible(doc_type, name, f.value):
            f = Field(f.value, IMPLAUSIBLE_CAP, f.page, f.box, f.suggestion, f.valid)
        out[name] = f
    return out
