"""Does a value look like its field? A recogniser's character score says how sure it is of the
characters it saw, not that it saw the whole value or the right one: a location cut at a line
wrap, a name with a label glued on, an area that is not a number all come back at 0.99.

:func:`plausible` checks one value against its field's shape; :func:`apply` caps the confidence
of every field of a document whose value (or any element of a list value) fails, at
:data:`IMPLAUSIBLE_CAP`, below ``LOW_CONFIDENCE`` so that a reviewer confirms it. Values that
already failed their validator (``valid is False``) keep their lower cap.

A value can also look like its field and still carry a sign of a misreading that its shape
cannot rule out (:func:`unsure`): a name that starts with no common surname (公民 or 合法 read
from prose, and also a minority name such as 卓玛), a character outside the GB 2312 set a
simplified-Chinese document prints (黃 for 黄). Such a value is capped at :data:`UNSURE_CAP`,
below ``LOW_CONFIDENCE``: not trusted alone, trusted when a sure reading of the same value on
another document agrees, never certain on its own.

A person's name is also capped there when the recogniser read it below :data:`SURE_NAME`
(:func:`doubtful_name`). Names are where the rare characters are: a given-name character the
face draws unlike the recogniser's training (湉, 婳, 赟, 妤, 翀) comes back as its common
look-alike (活, 画, 赞, 好, 肿) at 0.84–0.97, a little under the 0.99+ of a name read right; on
the seen families about one name in five read in [0.8, 0.99) was wrong (docs/document-ai.md,
"Confidence bands"), so such a score does not mean 0.8–0.99 likely right, and is not reported
so.

Dates a document records as past (born, signed, registered, established, issued) are not
plausible after the day of reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from ocr.document import DocType, Field

#: The most a value that does not look like its field is trusted (below LOW_CONFIDENCE = 0.8).
IMPLAUSIBLE_CAP = 0.5
#: The most a plausible value with a sign of a misreading is trusted: below LOW_CONFIDENCE (0.8),
#: so only a sure reading of the same value elsewhere makes it trusted. Measured on the seen
#: families (docs/document-ai.md, "Confidence bands"): such values were wrong about one in eleven.
UNSURE_CAP = 0.75
#: The recogniser score below which a person's name is capped at UNSURE_CAP (see the module's doc).
SURE_NAME = 0.99

_HAN = "\u4e00-\u9fff"
_NAME = re.compile(rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,8}}·[{_HAN}]{{1,10}}")
# a full address: a city, county or district, and a numbered building, room, lane or plot at
# the end (rural addresses end in a house number or a group: ...村6组95号)
_PLACE = re.compile(r"[市县区州盟旗]")
_ADDRESS_END = re.compile(rf"(?:\d+[号室组]|\d+号楼|\d+[幢栋座]\d*|[{_HAN}]+村)$")
# a field the value must not contain: a label the layout read into it
_LABEL_WORDS = re.compile(
    r"权利人|共有情况|坐落|不动产单元号|权利类型|权利性质|用途|面积|使用期限|姓名|性别|民族|出生|"
    r"住址|公民|身份证|号码|法定代表人|注册资本|成立日期|营业期限|经营范围|登记机关|统一社会信用代码"
)
_COMPANY_END = re.compile(r"(?:公司|厂|店|部|中心|合作社|事务所|工作室|商行|经营部|馆|场|院|所)$")
_CO_OWNERSHIP = frozenset({"单独所有", "共同共有", "按份共有"})
_RELATION = re.compile(rf"[{_HAN}]{{1,5}}")
_AREA = re.compile(r"\d{1,5}(?:\.\d{1,2})?")
_PRICE = re.compile(r"[1-9]\d{3,10}(?:\.\d{1,2})?")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


# words of the documents' prose and roles that have a name's shape (two Han characters) but
# name nobody: 委托人公民张三 read with the label's rest, 权利人合法拥有 read from a sentence
_NOT_NAMES = frozenset(
    re.split(
        r"\s+",
        "公民 本人 合法 委托 受托 委托人 受托人 代理人 出卖人 买受人 出卖方 买受方 甲方 乙方 "
        "卖方 买方 户主 持证人 申请人 权利人 共有人 所有权人 当事人 法定代表人 负责人 经办人 "
        "签字 签章 盖章 配偶 子女 本人签字 身份证 居民 男方 女方 双方 丈夫 妻子",
    )
)


def _name(v: Any) -> bool:
    # a label read as a value (共有情况, 房屋坐落: four Han characters) is no name
    return (
        isinstance(v, str)
        and _NAME.fullmatch(v) is not None
        and _LABEL_WORDS.search(v) is None
        and v not in _NOT_NAMES
    )


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
    return (
        bool(items)
        and all(
            isinstance(p, dict) and _name(p.get("name")) and bool(p.get("id_number")) for p in items
        )
        and _distinct_numbers(items)
    )


def _couple(v: Any) -> bool:
    """A marriage certificate names exactly two people, with two numbers."""
    return isinstance(v, list) and len(v) == 2 and _people(v) and _distinct_numbers(v)


def _distinct_numbers(items: list[Any]) -> bool:
    """No two people of one document carry the same ID number (a number read into the wrong
    row of a table repeats another row's)."""
    numbers = [p.get("id_number") for p in items if isinstance(p, dict) and p.get("id_number")]
    return len(numbers) == len(set(numbers))


def _members(v: Any) -> bool:
    """Household members, each named, with a relation when one is read, and either all or
    none with an ID number (a register prints one for every member: a row without it was not
    read whole, or its number went to another row)."""
    if not (isinstance(v, list) and v and all(isinstance(p, dict) for p in v)):
        return False
    numbered = [bool(p.get("id_number")) for p in v]
    return (
        all(_name(p.get("name")) for p in v)
        and all("relation" not in p or _RELATION.fullmatch(str(p["relation"])) for p in v)
        and (all(numbered) or not any(numbered))
        and _distinct_numbers(v)
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


#: Per document type, the dates it records as having happened by the time it is read.
PAST_DATES: Mapping[DocType, frozenset[str]] = {
    DocType.ID_CARD_FRONT: frozenset({"birth_date"}),
    DocType.ID_CARD_BACK: frozenset({"valid_from"}),
    DocType.SALE_CONTRACT: frozenset({"signed_date"}),
    DocType.MARRIAGE_CERTIFICATE: frozenset({"registration_date"}),
    DocType.POWER_OF_ATTORNEY: frozenset({"signed_date"}),
    DocType.BUSINESS_LICENSE: frozenset({"established_date"}),
}

#: Per document type, the fields holding people's names, or text in Chinese (checked for
#: signs of a misreading by :func:`unsure`).
_NAME_FIELDS = frozenset(
    {"name", "holder", "owners", "sellers", "buyers", "spouses", "principal", "agent", "members",
     "legal_representative"}
)  # fmt: skip
_TEXT_FIELDS = frozenset({"location", "address", "issuing_authority"})


def plausible(doc_type: DocType, name: str, value: Any, *, today: date | None = None) -> bool:
    """Whether ``value`` looks like field ``name`` of ``doc_type`` (True when unchecked); a
    date the document records as past must not be after ``today`` (default: the real date)."""
    t = DocType(doc_type)
    if (
        name in PAST_DATES.get(t, ())
        and _date(value)
        and date.fromisoformat(value) > (today or date.today())
    ):
        return False
    check = CHECKS.get(t, {}).get(name)
    return True if check is None else bool(check(value))


def _name_values(v: Any) -> list[str]:
    items = v if isinstance(v, list) else [v]
    out = []
    for x in items:
        n = x.get("name") if isinstance(x, dict) else x
        if isinstance(n, str):
            out.append(n)
    return out


def _surnamed(name: str) -> bool:
    """A Han name starting with a common surname, or a transliterated one (阿依古丽·买买提)."""
    from ocr.doctypes.names import COMPOUND_SURNAMES, KNOWN_SURNAMES

    return "·" in name or name[:2] in COMPOUND_SURNAMES or name[:1] in KNOWN_SURNAMES


def outside_gb2312(text: str) -> bool:
    """``text`` holds a Han character that GB 2312 (the simplified set every mainland document
    is printed in, bar rare name characters) does not have: a traditional form or a rare
    look-alike the recogniser put in place of the printed character."""
    for c in text:
        if "\u4e00" <= c <= "\u9fff":
            try:
                c.encode("gb2312")
            except UnicodeEncodeError:
                return True
    return False


def unsure(doc_type: DocType, name: str, value: Any) -> bool:
    """Whether a plausible value carries a sign of a misreading (see the module's doc)."""
    if name in _NAME_FIELDS and not (doc_type == DocType.BUSINESS_LICENSE and name == "name"):
        names = _name_values(value)
        if any(not _surnamed(n) or outside_gb2312(n) for n in names):
            return True
    if name in _TEXT_FIELDS or (doc_type == DocType.BUSINESS_LICENSE and name == "name"):
        return isinstance(value, str) and outside_gb2312(value)
    return False


def doubtful_name(doc_type: DocType, name: str, confidence: float) -> bool:
    """Whether field ``name`` holds people's names read below :data:`SURE_NAME` (a company's
    name is no person's)."""
    return (
        name in _NAME_FIELDS
        and not (doc_type == DocType.BUSINESS_LICENSE and name == "name")
        and confidence < SURE_NAME
    )


def apply(
    doc_type: DocType, fields: Mapping[str, Field], *, today: date | None = None
) -> dict[str, Field]:
    """``fields`` with the confidence of each implausible value capped at
    :data:`IMPLAUSIBLE_CAP`, and of each plausible one with a sign of a misreading, or a name
    read below :data:`SURE_NAME`, at :data:`UNSURE_CAP`."""
    out = {}
    for name, f in fields.items():
        if f.confidence > IMPLAUSIBLE_CAP and not plausible(doc_type, name, f.value, today=today):
            f = Field(f.value, IMPLAUSIBLE_CAP, f.page, f.box, f.suggestion, f.valid)
        elif f.confidence > UNSURE_CAP and (
            unsure(doc_type, name, f.value) or doubtful_name(doc_type, name, f.confidence)
        ):
            f = Field(f.value, UNSURE_CAP, f.page, f.box, f.suggestion, f.valid)
        out[name] = f
    return out
