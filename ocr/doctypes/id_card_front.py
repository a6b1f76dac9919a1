"""居民身份证 (人像面): name, sex, ethnicity, birth date, address, ID number."""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes.base import (
    ID_RX,
    INCONSISTENT_CAP,
    INVALID_CAP,
    DocumentType,
    Reader,
    address_field,
    capped,
    clean_id,
    date_field,
    id_number_field,
    put,
    text_field,
    weighted,
)
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.validators import id_birth_date, is_valid_id_number, parse_date

KEYWORDS = weighted("公民身份号码:3 姓名:1 性别:1 民族:2 出生:1 住址:1")
FOREIGN = ("户主", "常住人口", "合同", "证书", "委托", "执照", "结婚", "权利人", "登记")
FIELDS = ("name", "sex", "ethnicity", "birth_date", "address", "id_number")

LABELS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "sex": ("性别",),
    "ethnicity": ("民族",),
    "birth_date": ("出生",),
    "address": ("住址",),
    "id_number": ("公民身份号码", "身份证号码"),
}

# The 56 ethnic groups as printed on ID cards (without 族).
_ETHNICITY_TEXT = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 "
    "高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 "
    "普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 "
    "珞巴 基诺"
)
ETHNICITIES = frozenset(_ETHNICITY_TEXT.split())
# Traditional/variant forms a recogniser trained on mixed text returns for simplified ones.
_T2S = str.maketrans(
    {
        "漢": "汉",
        "滿": "满",
        "壯": "壮",
        "維": "维",
        "爾": "尔",
        "畬": "畲",
        "鮮": "鲜",
        "達": "达",
        "錫": "锡",
        "納": "纳",
        "頗": "颇",
        "東": "东",
        "鄉": "乡",
        "門": "门",
        "獨": "独",
        "龍": "龙",
        "倫": "伦",
        "幹": "干",
    }
)


def normalize_ethnicity(v: str) -> str:
    v = v.translate(_T2S)
    return v[:-1] if len(v) > 1 and v.endswith("族") else v


_SPECKS = re.compile(r"[.·,，'`:：;；、]")


def extract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, ["姓名", "性别", "民族", "出生", "住址", "公民身份号码"])
    out: dict[str, Field] = {}
    put(out, "name", text_field(r.value("姓名")))
    sex_hit = r.value("性别")
    sex = None
    if sex_hit is not None:
        m = re.search("[男女]", sex_hit.value)
        if m:
            sex = m.group(0)
            out["sex"] = sex_hit.field(sex)
    eth = r.value("民族")
    if eth is not None and eth.value:
        v = normalize_ethnicity(eth.value)
        ok = v in ETHNICITIES
        out["ethnicity"] = eth.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    birth_hit = r.value("出生")
    birth = date_field(birth_hit)
    put(out, "address", address_field(r.value("住址", multiline=True)))
    label = re.search("公民身份号码|身份证号码", r.flat.text)
    id_hit = r.regex(ID_RX, start=label.end() if label else 0) or r.regex(ID_RX)
    if birth_hit is not None and birth is not None and not birth.valid and id_hit is not None:
        # a speck read between the figures (1956年7月.6日): the date without it, when the
        # valid number printed on the same card carries that very date
        iso = parse_date(_SPECKS.sub("", birth_hit.value))
        n = clean_id(id_hit.value)
        if (
            iso is not None
            and is_valid_id_number(n, today=today)
            and id_birth_date(n) == date.fromisoformat(iso)
        ):
            birth = birth_hit.field(iso, valid=True)
    put(out, "birth_date", birth)
    out_id = id_number_field(
        id_hit,
        birth_date=birth.value if birth is not None and birth.valid else None,  # type: ignore[arg-type]
        sex=sex,
        today=today,
    )
    put(out, "id_number", out_id)
    if out_id is not None and out_id.valid and out_id.confidence <= INCONSISTENT_CAP:
        # the number and the printed facts disagree: one of them is wrong, trust neither
        for k in ("birth_date", "sex"):
            if k in out:
                out[k] = capped(out[k], INCONSISTENT_CAP)
    return out


TYPE = DocumentType(DocType.ID_CARD_FRONT, KEYWORDS, FIELDS, extract, LABELS, FOREIGN)
