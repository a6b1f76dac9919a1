"""Validators and normalisers for the numbers printed on Chinese documents.

* GB 11643-1999 citizen ID number: 17 digits + check character (ISO 7064 MOD 11-2), a real birth
  date not in the future, sex from the parity of the 17th digit.
* GB 32100-2015 unified social credit code: 18 characters from ``0-9A-HJ-NP-RTUWXY``, check
  character MOD 31, and the inner GB 11714 organisation code check (positions 9-17).
* GB/T 37346-2019 不动产单元号: 28 characters in seven layers.
* 不动产权证书号: ``浙(2017)嘉善县不动产权第0049447号`` and the observed variants.

``id_number_suggestion`` / ``credit_code_suggestion`` return the single correction of one
doubtful character that the check character allows, when exactly one exists; callers report it
next to the value, never in place of it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_CHARS)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_UNIT_RE = re.compile(r"^\d{6}\d{3}\d{3}[GJZ][ABSXCDEFHGWY]\d{5}[FLQW]\d{8}$")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_CERT_RE = re.compile(
    rf"^[{_PROVINCES}]\((\d{{4}})\)[\u4e00-\u9fa5]{{1,20}}不动产(?:权|证明)第(\d{{6,7}})号$"
)

# Characters a recogniser confuses with one another (used to rank correction candidates).
_CONFUSABLE = {
    "0": "86QDO9",
    "1": "7IL4",
    "2": "Z7",
    "3": "85",
    "4": "1X9",
    "5": "63S",
    "6": "580G",
    "7": "12",
    "8": "3096BX",
    "9": "084",
    "X": "8K4",
}


def normalize_text(s: str) -> str:
    """Full-width to ASCII (NFKC), spaces removed, full-width brackets/colons normalised."""
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("〔", "(").replace("〕", ")").replace("【", "[").replace("】", "]")
    return "".join(s.split())


# ---------------------------------------------------------------- ID number


def id_check_char(body17: str) -> str:
    s = sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[s % 11]


def id_birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def id_sex(number: str) -> str:
    """``男`` when the 17th digit is odd, else ``女``."""
    return "男" if int(number[16]) % 2 == 1 else "女"


def id_number_problems(number: str, *, today: date | None = None) -> list[str]:
    """Reasons ``number`` is not a valid GB 11643 number (empty list = valid)."""
    n = number.upper()
    if not _ID_RE.match(n):
        return ["format"]
    problems = []
    born = id_birth_date(n)
    if born is None or born > (today or date.today()) or born.year < 1850:
        problems.append("birth_date")
    if id_check_char(n[:17]) != n[17]:
        problems.append("check_char")
    return problems


def is_valid_id_number(number: str, *, today: date | None = None) -> bool:
    return not id_number_problems(number, today=today)


def id_number_suggestion(
    number: str,
    *,
    birth_date: date | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> str | None:
    """The single one-character correction of an invalid 18-character ID number, if exactly one
    candidate survives the check character, a real birth date (equal to ``birth_date`` when the
    card prints it) and the sex parity (when ``sex`` is printed). None otherwise."""
    n = number.upper()
    if len(n) != 18 or is_valid_id_number(n, today=today):
        return None
    cands: list[tuple[str, str, str]] = []
    for i in range(18):
        alphabet = "0123456789X" if i == 17 else "0123456789"
        for c in alphabet:
            if c == n[i]:
                continue
            cand = n[:i] + c + n[i + 1 :]
            if not _ID_RE.match(cand) or not is_valid_id_number(cand, today=today):
                continue
            if birth_date is not None and id_birth_date(cand) != birth_date:
                continue
            if sex in ("男", "女") and id_sex(cand) != sex:
                continue
            cands.append((n[i], c, cand))
    if len(cands) == 1:
        return cands[0][2]
    likely = [c for c in cands if c[1] in _CONFUSABLE.get(c[0], "")]
    return likely[0][2] if len(likely) == 1 else None


# ---------------------------------------------------------------- credit code


def credit_check_char(body17: str) -> str:
    s = sum(_USCC_VALUE[c] * w for c, w in zip(body17, _USCC_WEIGHTS, strict=True))
    v = 31 - s % 31
    return _USCC_CHARS[0 if v == 31 else v]


def _org_code_ok(code9: str) -> bool:
    def val(c: str) -> int:
        return int(c) if c.isdigit() else ord(c) - ord("A") + 10

    s = sum(val(c) * w for c, w in zip(code9[:8], _ORG_WEIGHTS, strict=True))
    r = 11 - s % 11
    expect = "X" if r == 10 else "0" if r == 11 else str(r)
    return code9[8] == expect


def credit_code_problems(code: str) -> list[str]:
    c = code.upper()
    if not _USCC_RE.match(c):
        return ["format"]
    problems = []
    if credit_check_char(c[:17]) != c[17]:
        problems.append("check_char")
    if not _org_code_ok(c[8:17]):
        problems.append("org_code")
    return problems


def is_valid_credit_code(code: str) -> bool:
    return not credit_code_problems(code)


def credit_code_suggestion(code: str) -> str | None:
    c = code.upper()
    if len(c) != 18 or is_valid_credit_code(c):
        return None
    cands: list[tuple[str, str, str]] = []
    for i in range(18):
        for ch in _USCC_CHARS:
            if ch == c[i]:
                continue
            cand = c[:i] + ch + c[i + 1 :]
            if is_valid_credit_code(cand):
                cands.append((c[i], ch, cand))
    if len(cands) == 1:
        return cands[0][2]
    likely = [x for x in cands if x[1] in _CONFUSABLE.get(x[0], "")]
    return likely[0][2] if len(likely) == 1 else None


# ---------------------------------------------------------------- property numbers


def is_valid_unit_number(code: str) -> bool:
    """GB/T 37346 structure: 6-digit county, 3+3 cadastral zone/subzone, ownership G/J/Z,
    use-right type, 5-digit parcel, attachment F/L/Q/W and 8-digit unit (W00000000 = none)."""
    c = code.upper()
    if not _UNIT_RE.match(c):
        return False
    return not (c[19] == "W" and c[20:] != "00000000")


def is_valid_certificate_number(number: str, *, today: date | None = None) -> bool:
    """``<省>(<year>)<登记机构>不动产权第<6-7 digits>号``; year from 2015 (统一登记) to now."""
    m = _CERT_RE.match(normalize_text(number))
    if not m:
        return False
    year = int(m.group(1))
    return 2015 <= year <= (today or date.today()).year


# ---------------------------------------------------------------- dates


_CN_DATE = re.compile(r"(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> str | None:
    """``1995年7月17日`` / ``2015.01.05`` / ``2015-1-5`` / ``20150105`` → ``YYYY-MM-DD`` (a real
    date), else None."""
    t = normalize_text(text)
    m = _CN_DATE.search(t)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m8 = re.search(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)", t)
        if not m8:
            return None
        y, mo, d = (int(g) for g in m8.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- amounts in words

_DIGIT_WORDS = {"零": 0, "〇": 0, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7,
                "捌": 8, "玖": 9}  # fmt: skip
_UNIT_WORDS = {"拾": 10, "佰": 100, "仟": 1000}


def amount_in_words(s: str) -> float | None:
    """The sum a 大写 amount says (叁佰壹拾万元整 → 3100000.0; 壹万贰仟元伍角 → 12000.5),
    None when it is not one."""
    s = s.replace("圆", "元").rstrip("整正")
    yuan, _, rest = s.partition("元")
    total, section, digit = 0, 0, None
    for c in yuan:
        if c in _DIGIT_WORDS:
            digit = _DIGIT_WORDS[c]
        elif c in _UNIT_WORDS:
            section += (1 if digit is None else digit) * _UNIT_WORDS[c]
            digit = None
        elif c == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        elif c == "亿":
            total = (total + section + (digit or 0)) * 100_000_000
            section, digit = 0, None
        else:
            return None
    value = float(total + section + (digit or 0))
    m = re.fullmatch(r"(?:([壹贰叁肆伍陆柒捌玖])角)?(?:零?([壹贰叁肆伍陆柒捌玖])分)?", rest)
    if m is None:
        return None
    if m.group(1):
        value += _DIGIT_WORDS[m.group(1)] / 10
    if m.group(2):
        value += _DIGIT_WORDS[m.group(2)] / 100
    return value if yuan or rest else None
