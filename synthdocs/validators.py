"""Check characters and format checks the generator needs to produce *valid* numbers.

These are deliberately private to the generator (the ``ocr`` package has its own validators,
written independently, so a bug in one cannot hide in the other).

Sources: GB 11643-1999 (ID number, ISO 7064 MOD 11-2), GB 32100-2015 (unified social credit code,
mod 31) with GB 11714 (organisation code, mod 11), GB/T 37346-2019 (不动产单元号, 28 characters).
"""

from __future__ import annotations

import re
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表1: no I, O, Z, S, V
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

UNIT_NUMBER_RE = re.compile(r"^\d{6}\d{3}\d{3}[GJZ][ABSXCDEFHGWY]\d{5}[FLQW]\d{8}$")
CERTIFICATE_NUMBER_RE = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼]\((\d{4})\)"
    r"[\u4e00-\u9fa5]{1,20}不动产(权|证明)第\d{6,7}号$"
)


def id_check_char(body17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    if len(body17) != 17 or not body17.isdigit():
        raise ValueError(f"need 17 digits, got {body17!r}")
    s = sum(int(c) * w for c, w in zip(body17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[s % 11]


def is_valid_id_number(value: str) -> bool:
    """Check digit, real birth date and shape of an 18-character ID number."""
    if len(value) != 18 or not value[:17].isdigit():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    del born
    return id_check_char(value[:17]) == value[17].upper()


def org_code_check_char(body8: str) -> str:
    """GB 11714 organisation-code check character (digits, A=10 … Z=35; 10 → X, 11 → 0)."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def credit_code_check_char(body17: str) -> str:
    """GB 32100 check character for the first 17 characters."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    """Charset, embedded organisation-code check and the final GB 32100 check character."""
    if len(value) != 18 or any(c not in USCC_CHARS for c in value):
        return False
    if org_code_check_char(value[8:16]) != value[16]:
        return False
    return credit_code_check_char(value[:17]) == value[17]


def is_valid_unit_number(value: str) -> bool:
    """28-character 不动产单元号 with the GB/T 37346 layer letters in place."""
    return bool(UNIT_NUMBER_RE.match(value))


def is_valid_certificate_number(value: str) -> bool:
    """不动产权证书号 pattern (ASCII parentheses; the year must be 2015 or later)."""
    m = CERTIFICATE_NUMBER_RE.match(value.replace("（", "(").replace("）", ")"))
    return m is not None and int(m.group(1)) >= 2015
