"""Classification and field extraction per document type (CONTRACT §3).

Extraction reads the layout, not a text blob: a label is found in a *row* (segments grouped by
vertical overlap, see :mod:`ocr.layout`), its value is what follows it in that row up to the next
label of the same document, continuation rows are those indented to the value column, and
prose fields (contracts) are matched across line wraps. Every value keeps the box of the
characters it came from.

Confidence of a field = the lowest recogniser score among its characters' lines, then capped by
its validator: a value failing its check is capped at 0.3 (``LOW_CONFIDENCE`` is 0.8), a value
inconsistent with another field of the same document (ID number vs printed birth date and sex)
at 0.4. ``Field.valid`` says whether a validator ran and passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ocr.document import DocType, Field
from ocr.layout import FlatText, PageText, Span
from ocr.validators import (
    credit_code_suggestion,
    id_birth_date,
    id_number_suggestion,
    id_sex,
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
    parse_date,
)

INVALID_CAP = 0.3
INCONSISTENT_CAP = 0.4

# ---------------------------------------------------------------- classification

# (keyword, weight): titles weigh more than labels that other documents also quote.
_KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "id_card_front": (
        ("公民身份号码", 3),
        ("姓名", 1),
        ("性别", 1),
        ("民族", 2),
        ("出生", 1),
        ("住址", 1),
    ),
    "id_card_back": (
        ("居民身份证", 3),
        ("签发机关", 3),
        ("有效期限", 3),
        ("中华人民共和国", 1),
    ),
    "property_certificate": (
        ("权利人", 2),
        ("共有情况", 3),
        ("坐落", 1),
        ("不动产单元号", 1),
        ("权利类型", 2),
        ("权利性质", 2),
        ("使用期限", 1),
        ("不动产权第", 1),
    ),
    "sale_contract": (
        ("买卖合同", 4),
        ("出卖人", 3),
        ("买受人", 3),
        ("成交价", 2),
        ("甲方", 1),
        ("乙方", 1),
    ),
    "marriage_certificate": (
        ("结婚证", 4),
        ("持证人", 3),
        ("登记日期", 2),
        ("结婚证字号", 3),
        ("婚姻登记", 1),
    ),
    "power_of_attorney": (
        ("委托书", 4),
        ("委托人", 3),
        ("受托人", 3),
        ("委托事项", 1),
        ("代理", 1),
    ),
    "household_register": (
        ("户口簿", 4),
        ("常住人口登记", 4),
        ("户主", 2),
        ("与户主关系", 3),
        ("常住人口登记卡", 3),
        ("户别", 2),
        ("户号", 1),
    ),
    "business_license": (
        ("营业执照", 4),
        ("统一社会信用代码", 3),
        ("法定代表人", 2),
        ("注册资本", 1),
        ("成立日期", 2),
        ("经营范围", 1),
        ("登记机关", 1),
    ),
}


# Words that never appear on a type: their presence halves its score (an ID card's labels are
# quoted by household registers, contracts and marriage certificates).
_FOREIGN: dict[str, tuple[str, ...]] = {
    "id_card_front": ("户主", "常住人口", "合同", "证书", "委托", "执照", "结婚", "权利人", "登记"),
    "id_card_back": ("户主", "合同", "委托", "执照", "结婚", "权利人"),
}


def classify(text: str) -> tuple[DocType, float]:
    """The document type whose keywords cover most of their weight in ``text``, and a
    confidence in [0, 1] (coverage, reduced when a runner-up is close). ``unknown`` below 0.4."""
    flat = re.sub(r"\s", "", text)
    scores = {}
    for doc_type, kws in _KEYWORDS.items():
        total = sum(w for _, w in kws)
        score = sum(w for k, w in kws if k in flat) / total
        if any(k in flat for k in _FOREIGN.get(doc_type, ())):
            score *= 0.5
        scores[doc_type] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, s1), (_, s2) = ranked[0], ranked[1]
    if s1 < 0.4:
        return DocType.UNKNOWN, round(1.0 - s1, 3)
    margin = s1 - s2
    conf = min(1.0, s1) * (0.6 + 0.4 * min(1.0, margin / 0.4))
    return DocType(best), round(conf, 3)


# ---------------------------------------------------------------- helpers


def _label_rx(label: str) -> str:
    return r"[\t]?".join(re.escape(c) for c in label)


@dataclass(frozen=True)
class Hit:
    value: str
    span: Span | None
    spans: tuple[Span, ...] = ()

    def field(self, value: Any = None, *, cap: float = 1.0, valid: bool | None = None) -> Field:
        spans = [s for s in (self.span, *self.spans) if s is not None]
        if not spans:
            return Field(value=value if value is not None else self.value, confidence=0.0)
        page = spans[0].page
        same = [s for s in spans if s.page == page]
        box = (
            min(s.box[0] for s in same),
            min(s.box[1] for s in same),
            max(s.box[2] for s in same),
            max(s.box[3] for s in same),
        )
        conf = min(min(s.score for s in spans), cap)
        return Field(
            value=value if value is not None else self.value,
            confidence=round(conf, 4),
            page=page,
            box=box,
            valid=valid,
        )


class Reader:
    """Label/value lookups on one document's text."""

    def __init__(self, pt: PageText, labels: Sequence[str]) -> None:
        self.pt = pt
        self.flat = FlatText(pt)
        self.labels = sorted(labels, key=len, reverse=True)
        # a label stops a value only where a segment starts: "共有宗地面积" holds "面积"
        self._stop = (
            re.compile(r"(?:(?<=[\t\n])|^)(?:" + "|".join(_label_rx(x) for x in self.labels) + ")")
            if labels
            else None
        )

    def value(
        self,
        label: str,
        *,
        multiline: bool = False,
        start: int = 0,
    ) -> Hit | None:
        """What follows ``label`` in its row (up to the next known label), plus continuation
        rows indented to the value column when ``multiline``."""
        rx = re.compile(_label_rx(label) + r"[\t:：]*")
        m = rx.search(self.pt.text, start)
        if m is None:
            return None
        line_end = self.pt.text.find("\n", m.end())
        line_end = len(self.pt.text) if line_end < 0 else line_end
        end = line_end
        if self._stop is not None:
            s = self._stop.search(self.pt.text, m.end(), line_end)
            if s is not None:
                end = s.start()
        v0 = m.end()
        raw = self.pt.text[v0:end]
        value = raw.replace("\t", "")
        spans: list[Span] = []
        first = self.pt.span(v0, end) if value else None
        if first is None:
            # value on the next row, under or right of the label
            return None
        if multiline:
            col = first.frame_box[0]
            height = max(1.0, first.frame_box[3] - first.frame_box[1])
            pos = line_end + 1
            prev_bottom = first.frame_box[3]
            while pos < len(self.pt.text):
                nl = self.pt.text.find("\n", pos)
                nl = len(self.pt.text) if nl < 0 else nl
                row = self.pt.text[pos:nl]
                if self._stop is not None and self._stop.search(self.pt.text, pos, nl):
                    break
                sp = self.pt.span(pos, nl)
                if sp is None or sp.page != first.page:
                    break
                fb = sp.frame_box
                if abs(fb[0] - col) > 1.5 * height or fb[1] - prev_bottom > 1.2 * height:
                    break
                value += row.replace("\t", "")
                spans.append(sp)
                prev_bottom = fb[3]
                pos = nl + 1
        return Hit(value=value, span=first, spans=tuple(spans))

    def regex(
        self, pattern: str, *, group: int = 1, start: int = 0, rows: bool = False
    ) -> Hit | None:
        """First match in the flat text (line wraps removed), or with ``rows`` in the page text
        (rows separated by newlines, segments by tabs)."""
        text = self.pt.text if rows else self.flat.text
        m = re.compile(pattern).search(text, start)
        if m is None:
            return None
        span_of = self.pt.span if rows else self.flat.span
        return Hit(value=m.group(group), span=span_of(m.start(group), m.end(group)))

    def regex_all(self, pattern: str, *, group: int = 1) -> list[tuple[Hit, int]]:
        out = []
        for m in re.compile(pattern).finditer(self.flat.text):
            out.append(
                (
                    Hit(value=m.group(group), span=self.flat.span(m.start(group), m.end(group))),
                    m.start(),
                )
            )
        return out


def _date_field(hit: Hit | None) -> Field | None:
    if hit is None:
        return None
    iso = parse_date(hit.value)
    if iso is None:
        return hit.field(hit.value, cap=INVALID_CAP, valid=False)
    return hit.field(iso, valid=True)


def _text_field(hit: Hit | None, *, strip: str = "") -> Field | None:
    if hit is None:
        return None
    v = hit.value.strip(strip + " ")
    if not v:
        return None
    return hit.field(v)


_ID_RX = r"(?<![0-9A-Za-z])([0-9]{14,17}[0-9Xx×]{1,3})(?![0-9])"


def _clean_id(v: str) -> str:
    return v.replace("×", "X").upper()


def id_number_field(
    hit: Hit | None,
    *,
    birth_date: str | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> Field | None:
    """An ID number field, validated (GB 11643) and cross-checked with the printed birth date and
    sex when given; a single-character correction goes to ``suggestion``."""
    if hit is None:
        return None
    n = _clean_id(hit.value)
    born = date.fromisoformat(birth_date) if birth_date else None
    if not is_valid_id_number(n, today=today):
        f = hit.field(n, cap=INVALID_CAP, valid=False)
        sug = id_number_suggestion(n, birth_date=born, sex=sex, today=today)
        return Field(f.value, f.confidence, f.page, f.box, suggestion=sug, valid=False)
    cap = 1.0
    if born is not None and id_birth_date(n) != born:
        cap = INCONSISTENT_CAP
    if sex in ("男", "女") and id_sex(n) != sex:
        cap = INCONSISTENT_CAP
    return hit.field(n, cap=cap, valid=True)


def _join(fields: Sequence[Field], value: Any) -> Field:
    """One field made of several (a list value): min confidence, union box on the first page."""
    real = [f for f in fields if f.box is not None]
    if not real:
        return Field(value=value, confidence=0.0)
    page = real[0].page
    same = [f for f in real if f.page == page and f.box is not None]
    boxes = [f.box for f in same if f.box is not None]
    box = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    valid = (
        None if all(f.valid is None for f in fields) else all(f.valid is not False for f in fields)
    )
    return Field(
        value=value,
        confidence=min(f.confidence for f in fields),
        page=page,
        box=box,
        valid=valid,
    )


def _put(out: dict[str, Field], name: str, f: Field | None) -> None:
    if f is not None:
        out[name] = f


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
        "蒙": "蒙",
        "壯": "壮",
        "僳": "僳",
        "維": "维",
        "爾": "尔",
        "彝": "彝",
        "畬": "畲",
        "鮮": "鲜",
        "達": "达",
        "斡": "斡",
        "錫": "锡",
        "納": "纳",
        "頗": "颇",
        "傈": "傈",
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


# ---------------------------------------------------------------- per document type


def _id_card_front(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, ["姓名", "性别", "民族", "出生", "住址", "公民身份号码"])
    out: dict[str, Field] = {}
    _put(out, "name", _text_field(r.value("姓名")))
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
    birth = _date_field(r.value("出生"))
    _put(out, "birth_date", birth)
    _put(out, "address", _text_field(r.value("住址", multiline=True)))
    label = re.search("公民身份号码", r.flat.text)
    id_hit = r.regex(_ID_RX, start=label.end() if label else 0) or r.regex(_ID_RX)
    out_id = id_number_field(
        id_hit,
        birth_date=birth.value if birth is not None and birth.valid else None,  # type: ignore[arg-type]
        sex=sex,
        today=today,
    )
    _put(out, "id_number", out_id)
    if out_id is not None and out_id.valid and out_id.confidence <= INCONSISTENT_CAP:
        # the number and the printed facts disagree: one of them is wrong, trust neither
        for k in ("birth_date", "sex"):
            if k in out:
                f = out[k]
                out[k] = Field(
                    f.value,
                    min(f.confidence, INCONSISTENT_CAP),
                    f.page,
                    f.box,
                    f.suggestion,
                    f.valid,
                )
    return out


_VALID_RX = re.compile(
    r"(\d{4}[.\-/年]\d{1,2}[.\-/月]\d{1,2}日?)[\-—–~至]+(\d{4}[.\-/年]\d{1,2}[.\-/月]\d{1,2}日?|长期)"
)


def _id_card_back(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, ["签发机关", "有效期限"])
    out: dict[str, Field] = {}
    auth = _text_field(r.value("签发机关"))
    if auth is not None:
        ok = str(auth.value).endswith(("公安局", "分局"))
        auth = Field(
            auth.value,
            auth.confidence if ok else min(auth.confidence, 0.6),
            auth.page,
            auth.box,
            valid=ok,
        )
    _put(out, "issuing_authority", auth)
    m = _VALID_RX.search(r.flat.text)
    if m:
        a = Hit(m.group(1), r.flat.span(m.start(1), m.end(1)))
        b = Hit(m.group(2), r.flat.span(m.start(2), m.end(2)))
        _put(out, "valid_from", _date_field(a))
        if m.group(2) == "长期":
            out["valid_until"] = b.field("长期", valid=True)
        else:
            _put(out, "valid_until", _date_field(b))
    return out


_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_CERT_NO_RX = rf"([{_PROV}]\(\d{{4}}\)[\u4e00-\u9fa5]{{1,20}}?不动产(?:权|证明)第\d{{5,8}}号)"


def _cert_field(hit: Hit | None, today: date | None) -> Field | None:
    if hit is None:
        return None
    ok = is_valid_certificate_number(hit.value, today=today)
    return hit.field(hit.value, cap=1.0 if ok else INVALID_CAP, valid=ok)


def _split_names(v: str) -> list[str]:
    return [x for x in re.split(r"[、,，;；/\s]+", v) if x]


def _property_certificate(pt: PageText, today: date | None) -> dict[str, Field]:
    labels = [
        "权利人",
        "共有情况",
        "坐落",
        "不动产单元号",
        "权利类型",
        "权利性质",
        "用途",
        "面积",
        "使用期限",
        "权利其他状况",
        "附记",
    ]
    r = Reader(pt, labels)
    out: dict[str, Field] = {}
    _put(out, "certificate_number", _cert_field(r.regex(_CERT_NO_RX), today))
    owners = r.value("权利人", multiline=True)
    if owners is not None:
        out["owners"] = owners.field(_split_names(owners.value))
    _put(out, "co_ownership", _text_field(r.value("共有情况")))
    _put(out, "location", _text_field(r.value("坐落", multiline=True)))
    unit = r.value("不动产单元号")
    if unit is not None:
        v = unit.value.upper()
        ok = is_valid_unit_number(v)
        out["unit_number"] = unit.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    area = r.value("面积", multiline=True)
    if area is not None:
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
            nums = re.findall(r"\d+(?:\.\d+)?", area.value)
            if nums:
                hit = r.regex("(" + re.escape(nums[-1]) + ")")
        if hit is not None:
            out["area"] = hit.field(hit.value)
    return out


_PARTY_ID_RX = r"(?:证件号码|身份证件号|身份证号码|身份证号|公民身份号码)[^0-9]{0,8}?" + _ID_RX
_BIRTH_RX = r"出生日期[:]?(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"


def _people(
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
            bh = r.regex(_BIRTH_RX, start=pos)
            if bh is not None and bh.span is not None and bh.span.start < end:
                born = parse_date(bh.value)
        idh = r.regex(_PARTY_ID_RX, start=pos)
        if idh is None or idh.span is None or idh.span.start >= end:
            # the number may sit a line above its label (a tilted photo): any number in this
            # person's block is theirs
            idh = r.regex(_ID_RX, start=pos)
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
            p["id_number"] = Field(
                f.value, min(f.confidence, INCONSISTENT_CAP), f.page, f.box, f.suggestion, f.valid
            )
    return out


_PARTY_NAME = (
    r"(?!\(签)(?:\([^)]{1,4}\))?[:]?([\u4e00-\u9fa5·]{2,12}?)(?=证件|身份|住址|性别|联系|$|[,;])"
)


def _party_hits(r: Reader, role_rx: str) -> list[tuple[Hit, int]]:
    """``role: name`` occurrences, ignoring signature lines (``出卖人(签章)``)."""
    return r.regex_all(role_rx + _PARTY_NAME)


def _parties(r: Reader, role_rx: str, *, bounds: list[int] | None = None) -> list[dict[str, Field]]:
    hits = _party_hits(r, role_rx)
    return _people(
        r, hits, bounds=bounds if bounds is not None else [p for _, p in hits], today=None
    )


def _party_list(parties: list[dict[str, Field]]) -> Field | None:
    if not parties:
        return None
    value = [{k: f.value for k, f in p.items()} for p in parties]
    return _join([f for p in parties for f in p.values()], value)


def _sale_contract(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, [])
    out: dict[str, Field] = {}
    bounds = [p for _, p in _party_hits(r, r"出卖人") + _party_hits(r, r"买受人")]
    _put(out, "sellers", _party_list(_parties(r, r"出卖人", bounds=bounds)))
    _put(out, "buyers", _party_list(_parties(r, r"买受人", bounds=bounds)))
    _put(out, "location", _text_field(r.regex(r"坐落(?:于|在)?[:]?(.+?)(?:[,;。]|建筑面积)")))
    _put(out, "certificate_number", _cert_field(r.regex(_CERT_NO_RX), today))
    price = r.regex(r"(?:成交价|总价|价款|转让价)[^\d]{0,8}?([\d,]+(?:\.\d{1,2})?)(?:万)?元")
    if price is not None:
        digits = price.value.replace(",", "")
        if digits.endswith(".00"):
            digits = digits[:-3]
        out["price"] = price.field(digits)
    _put(
        out,
        "signed_date",
        _date_field(
            r.regex(
                r"(?:签订日期|签约日期|签署日期)[:]?(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"
            )
        ),
    )
    return out


def _marriage_certificate(pt: PageText, today: date | None) -> dict[str, Field]:
    labels = [
        "持证人",
        "登记日期",
        "结婚证字号",
        "备注",
        "姓名",
        "性别",
        "国籍",
        "出生日期",
        "身份证件号",
        "身份证号",
    ]
    r = Reader(pt, labels)
    out: dict[str, Field] = {}
    _put(out, "holder", _text_field(r.value("持证人")))
    _put(out, "registration_date", _date_field(r.value("登记日期")))
    no = r.value("结婚证字号")
    if no is not None:
        v = no.value.upper()
        ok = bool(re.fullmatch(r"[JLB]\d{6}-\d{4}-\d{5,7}", v))
        out["certificate_number"] = no.field(v, cap=1.0 if ok else INVALID_CAP, valid=ok)
    hits = r.regex_all(r"(?<!持证人)姓名[:]?([\u4e00-\u9fa5·]{2,12}?)(?=性别|国籍|出生|身份|$)")
    spouses = _people(r, hits, bounds=[p for _, p in hits], today=today, printed_birth=True)
    holder = out.get("holder")
    if holder is not None:
        # the holder's own record first, as the certificate lists it
        spouses.sort(key=lambda p: p["name"].value != holder.value)
    _put(out, "spouses", _party_list(spouses))
    return out


def _power_of_attorney(pt: PageText, today: date | None) -> dict[str, Field]:
    r = Reader(pt, [])
    out: dict[str, Field] = {}
    bounds = [p for _, p in _party_hits(r, r"委托人") + _party_hits(r, r"受托人")]
    for key, role in (("principal", r"委托人"), ("agent", r"受托人")):
        parties = _parties(r, role, bounds=bounds)
        if parties:
            f = _party_list(parties[:1])
            if f is not None:
                out[key] = Field(f.value[0], f.confidence, f.page, f.box, f.suggestion, f.valid)  # type: ignore[index]
    dates = r.regex_all(
        r"(?:委托日期|签署日期|日期|签字日期)[:]?(\d{4}年\d{1,2}月\d{1,2}日|\d{4}[.\-/]\d{1,2}[.\-/]\d{1,2})"
    )
    if dates:
        _put(out, "signed_date", _date_field(dates[-1][0]))
    else:
        all_dates = r.regex_all(r"(\d{4}年\d{1,2}月\d{1,2}日)")
        if all_dates:
            _put(out, "signed_date", _date_field(all_dates[-1][0]))
    return out


def _household_register(pt: PageText, today: date | None) -> dict[str, Field]:
    labels = [
        "户主姓名",
        "户别",
        "户号",
        "住址",
        "姓名",
        "户主或与户主关系",
        "与户主关系",
        "曾用名",
        "性别",
        "出生地",
        "民族",
        "籍贯",
        "出生日期",
        "公民身份号码",
        "身份证号",
    ]
    r = Reader(pt, labels)
    out: dict[str, Field] = {}
    _put(out, "address", _text_field(r.value("住址", multiline=True)))
    members: list[dict[str, Field]] = []
    starts = [m.start() for m in re.finditer(r"(?<!户主)(?<!曾用)姓名", pt.text)]
    for i, start in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(pt.text)
        h = r.value("姓名", start=start)
        if h is None or h.span is None or h.span.start >= limit:
            continue
        m: dict[str, Field] = {"name": h.field(h.value)}
        rel = r.value("户主或与户主关系", start=start) or r.value("与户主关系", start=start)
        if rel is not None and rel.span is not None and rel.span.start < limit:
            m["relation"] = rel.field(rel.value)
        idh = r.value("公民身份号码", start=start) or r.value("身份证号", start=start)
        if idh is not None and idh.span is not None and idh.span.start < limit:
            f = id_number_field(Hit(re.sub(r"[^0-9Xx×]", "", idh.value), idh.span), today=today)
            if f is not None:
                m["id_number"] = f
        members.append(m)
    _put(out, "members", _party_list(members))
    return out


def _business_license(pt: PageText, today: date | None) -> dict[str, Field]:
    labels = [
        "统一社会信用代码",
        "名称",
        "类型",
        "法定代表人",
        "负责人",
        "经营者",
        "经营范围",
        "注册资本",
        "成立日期",
        "营业期限",
        "住所",
        "经营场所",
        "登记机关",
    ]
    r = Reader(pt, labels)
    out: dict[str, Field] = {}
    code = r.regex(r"统一社会信用代码[:]?([0-9A-Z]{18})(?![0-9A-Z])") or r.regex(
        r"(?<![0-9A-Z])([0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-Z]{10})(?![0-9A-Z])", rows=True
    )
    if code is not None:
        v = code.value.upper()
        if is_valid_credit_code(v):
            out["credit_code"] = code.field(v, valid=True)
        else:
            f = code.field(v, cap=INVALID_CAP, valid=False)
            out["credit_code"] = Field(
                f.value, f.confidence, f.page, f.box, credit_code_suggestion(v), False
            )
    _put(out, "name", _text_field(r.value("名称", multiline=True)))
    _put(
        out,
        "legal_representative",
        _text_field(r.value("法定代表人") or r.value("负责人") or r.value("经营者")),
    )
    _put(
        out,
        "address",
        _text_field(r.value("住所", multiline=True) or r.value("经营场所", multiline=True)),
    )
    _put(out, "established_date", _date_field(r.value("成立日期")))
    return out


EXTRACTORS: dict[DocType, Callable[[PageText, date | None], dict[str, Field]]] = {
    DocType.ID_CARD_FRONT: _id_card_front,
    DocType.ID_CARD_BACK: _id_card_back,
    DocType.PROPERTY_CERTIFICATE: _property_certificate,
    DocType.SALE_CONTRACT: _sale_contract,
    DocType.MARRIAGE_CERTIFICATE: _marriage_certificate,
    DocType.POWER_OF_ATTORNEY: _power_of_attorney,
    DocType.HOUSEHOLD_REGISTER: _household_register,
    DocType.BUSINESS_LICENSE: _business_license,
}


def extract(doc_type: DocType, pt: PageText, *, today: date | None = None) -> dict[str, Field]:
    fn = EXTRACTORS.get(doc_type)
    return fn(pt, today) if fn is not None else {}
