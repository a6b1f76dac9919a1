"""存量房买卖合同: sellers, buyers, location, certificate number, price, signing date."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import (
    CERT_NO_RX,
    INCONSISTENT_CAP,
    DocumentType,
    Reader,
    address_field,
    cert_field,
    date_field,
    put,
    weighted,
)
from ocr.doctypes.parties import parties, party_hits, party_list
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.marks_places import FINGERPRINT, SIGNATURE, MarkPlace, mark_label
from ocr.validators import amount_in_words

KEYWORDS = weighted(
    # 转让方 / 受让方 and 转让价 are any transfer's (股权转让): not words of a sale of a house
    "买卖合同|房屋转让:4 出卖人|卖方:3 买受人|买方:3 成交价|成交总价:2 甲方:1 乙方:1"
)
FIELDS = ("sellers", "buyers", "location", "certificate_number", "price", "signed_date")

LABELS: dict[str, tuple[str, ...]] = {
    "sellers": ("出卖人", "卖方", "转让方"),
    "buyers": ("买受人", "买方", "受让方"),
    "location": ("坐落",),
    "price": ("成交价", "总价", "价款", "转让价"),
    "signed_date": ("签订日期", "签约日期", "签署日期", "签订时间"),
}


SELLER = r"(?:出卖人|卖方|转让方)"
BUYER = r"(?:买受人|买方|受让方)"
# where a list of parties ends: the other side, or the body of the contract
_END_OF_PARTIES = r"(?:出卖人|卖方|转让方|买受人|买方|受让方|根据|第一条)"
_LOCATION_RX = r"坐落(?:于|在)?[:]?(.+?)(?:[,;。]|建筑面积|面积|不动产|单元号|权证|产权证|用途|$)"
_DATE = r"(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"


_PRICE_LABEL = r"(?:成交价|总价|价款|转让价)"
_AMOUNT = r"([\d,]+(?:\.\d{1,2})?)"
#: the amount in words beside the figures: 人民币(大写)叁佰壹拾万元整(小写:¥3100000元)
_IN_WORDS = r"大写\)?[:]?([零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆整角分]{2,24})"


def _price(r: Reader) -> Field | None:
    """The price in figures (the 小写 amount where the contract writes both), its confidence
    capped when the amount in words beside it says another sum."""
    hit = r.regex(_PRICE_LABEL + r"[^\d]{0,40}?小写[^\d]{0,4}" + _AMOUNT + r"(?:万)?元")
    if hit is None:
        hit = r.regex(_PRICE_LABEL + r"[^\d]{0,8}?" + _AMOUNT + r"(?:万)?元")
    if hit is None:
        return None
    digits = hit.value.replace(",", "")
    if digits.endswith(".00"):
        digits = digits[:-3]
    cap = 1.0
    if hit.span is not None:
        # the amount in words printed just before the figures or just after them
        near = r.flat.text[max(0, hit.span.start - 40) : hit.span.end + 40]
        words = re.compile(_IN_WORDS).search(near)
        if words is not None:
            said = amount_in_words(words.group(1))
            if said is None or abs(said - float(digits)) > 0.005:
                cap = INCONSISTENT_CAP
    return hit.field(digits, cap=cap)


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, [])
    out: dict[str, Field] = {}
    bounds = [
        p
        for _, p in party_hits(r, SELLER, stop_rx=_END_OF_PARTIES)
        + party_hits(r, BUYER, stop_rx=_END_OF_PARTIES)
    ]
    put(out, "sellers", party_list(parties(r, SELLER, bounds=bounds, stop_rx=_END_OF_PARTIES)))
    put(out, "buyers", party_list(parties(r, BUYER, bounds=bounds, stop_rx=_END_OF_PARTIES)))
    put(out, "location", address_field(r.regex(_LOCATION_RX)))
    put(out, "certificate_number", cert_field(r.regex(CERT_NO_RX), today))
    put(out, "price", _price(r))
    put(
        out,
        "signed_date",
        date_field(r.regex(r"(?:签订日期|签约日期|签署日期|签订时间)[:]?" + _DATE)),
    )
    return out


TYPE = DocumentType(DocType.SALE_CONTRACT, KEYWORDS, FIELDS, extract, LABELS)

#: Where the contract must be signed (and fingerprinted): one place per seller and per buyer.
PLACES: tuple[MarkPlace, ...] = (
    MarkPlace(
        "seller",
        (mark_label("出卖人", "卖方", "转让方", "甲方"),),
        (SIGNATURE, FINGERPRINT),
        "出卖人",
        party="sellers",
        row_labels=(r"^(?:出卖人|卖方|转让方|甲方)(?:\(.{0,6}\))?:?$",),
    ),
    MarkPlace(
        "buyer",
        (mark_label("买受人", "买方", "受让方", "乙方"),),
        (SIGNATURE, FINGERPRINT),
        "买受人",
        party="buyers",
        row_labels=(r"^(?:买受人|买方|受让方|乙方)(?:\(.{0,6}\))?:?$",),
    ),
)
