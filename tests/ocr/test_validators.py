"""Property tests for the validators (GB 11643, GB 32100, GB/T 37346, dates)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError

from ocr.validators import (
    credit_check_char,
    credit_code_suggestion,
    id_check_char,
    id_number_suggestion,
    id_sex,
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
    normalize_text,
    parse_date,
)

TODAY = date(2026, 6, 1)
_USCC = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(["330106", "330421", "110105", "440524", "331002"]))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(0, 999))
    body = f"{area}{born:%Y%m%d}{seq:03d}"
    return body + id_check_char(body)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    org8 = draw(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8))
    vals = [int(c) if c.isdigit() else ord(c) - 55 for c in org8]
    r = 11 - sum(v * w for v, w in zip(vals, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    org9 = org8 + ("X" if r == 10 else "0" if r == 11 else str(r))
    body = draw(st.sampled_from(["91", "92", "93", "12", "52"])) + "330106" + org9
    return body + credit_check_char(body)


def test_standard_examples() -> None:
    assert is_valid_id_number("11010519491231002X", today=TODAY)
    assert is_valid_id_number("440524188001010014", today=TODAY)
    assert is_valid_credit_code("91350100M000100Y43")
    assert not is_valid_credit_code("91350100M000100Y4Z")
    assert is_valid_unit_number("351001012010GB01859F00040015")
    assert is_valid_certificate_number("浙（2017）嘉善县不动产权第0049447号", today=TODAY)
    assert is_valid_certificate_number("沪(2018)徐字不动产权第015979号", today=TODAY)
    assert not is_valid_certificate_number("浙2019杭州市不动产权第0123456号", today=TODAY)
    assert not is_valid_certificate_number("浙(2013)杭州市不动产权第0123456号", today=TODAY)


@given(id_numbers())
def test_generated_id_numbers_validate(n: str) -> None:
    assert is_valid_id_number(n, today=TODAY)
    assert id_sex(n) == ("男" if int(n[16]) % 2 else "女")


@given(id_numbers(), st.integers(0, 17), st.data())
def test_any_single_substitution_is_detected(n: str, i: int, data: st.DataObject) -> None:
    alphabet = "0123456789X" if i == 17 else "0123456789"
    c = data.draw(st.sampled_from([x for x in alphabet if x != n[i]]))
    assert not is_valid_id_number(n[:i] + c + n[i + 1 :], today=TODAY)


@settings(max_examples=60)
@given(id_numbers(), st.integers(0, 17), st.data())
def test_suggestion_is_never_a_wrong_number(n: str, i: int, data: st.DataObject) -> None:
    """With the printed birth date and sex, a suggestion (if any) is the true number."""
    alphabet = "0123456789X" if i == 17 else "0123456789"
    c = data.draw(st.sampled_from([x for x in alphabet if x != n[i]]))
    bad = n[:i] + c + n[i + 1 :]
    born = date(int(n[6:10]), int(n[10:12]), int(n[12:14]))
    sug = id_number_suggestion(bad, birth_date=born, sex=id_sex(n), today=TODAY)
    if sug is not None:
        assert is_valid_id_number(sug, today=TODAY)
        assert sum(a != b for a, b in zip(sug, bad, strict=True)) == 1
    if 6 <= i < 14:
        # a wrong date digit against the printed birth date leaves one candidate: the truth
        assert sug in (None, n)


def test_suggestion_only_when_unique() -> None:
    # a misread birth-date digit: the printed birth date leaves exactly one candidate
    assert (
        id_number_suggestion(
            "11010519491281002X", birth_date=date(1949, 12, 31), sex="女", today=TODAY
        )
        == "11010519491231002X"
    )
    # a misread check character: several single-character fixes exist, none is suggested
    assert (
        id_number_suggestion(
            "110105194912310028", birth_date=date(1949, 12, 31), sex="女", today=TODAY
        )
        is None
    )


def test_future_and_impossible_birth_dates_are_invalid() -> None:
    future = TODAY + timedelta(days=30)
    body = f"330106{future:%Y%m%d}001"
    assert not is_valid_id_number(body + id_check_char(body), today=TODAY)
    body = "33010619990231001"
    assert not is_valid_id_number(body + id_check_char(body), today=TODAY)


@given(credit_codes())
def test_generated_credit_codes_validate(code: str) -> None:
    assert is_valid_credit_code(code)


@given(credit_codes(), st.integers(0, 17), st.data())
def test_credit_code_substitution_detected_and_suggestion_sound(
    code: str, i: int, data: st.DataObject
) -> None:
    c = data.draw(st.sampled_from([x for x in _USCC if x != code[i]]))
    bad = code[:i] + c + code[i + 1 :]
    assert not is_valid_credit_code(bad)
    sug = credit_code_suggestion(bad)
    if sug is not None:
        assert is_valid_credit_code(sug)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_forms(d: date) -> None:
    iso = d.isoformat()
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == iso
    assert parse_date(f"{d.year} 年 {d.month:02d} 月 {d.day:02d} 日") == iso
    assert parse_date(f"{d:%Y.%m.%d}") == iso
    assert parse_date(f"{d:%Y%m%d}") == iso


def test_normalize_text() -> None:
    assert (
        normalize_text("浙（２０１７）嘉善县 不动产权第００４９４４７号")
        == "浙(2017)嘉善县不动产权第0049447号"
    )
    assert normalize_text("姓 名：张 三") == "姓名:张三"


# --- against the reference implementations (python-stdnum) -----------------------------------
#
# stdnum.cn.ric checks what GB 11643 checking here does (length, digits, check character, a real
# birth date) plus the birth place against its own county list, which ours does not: generated
# numbers use counties stdnum knows for their birth year. stdnum.cn.uscc checks length, the
# alphabet and the check character; ours also checks the embedded GB 11714 organisation code,
# which generated codes carry correctly.

_COUNTIES = ("110101", "110105", "310101", "330102", "330106", "330421", "440103")


def _stdnum_knows_place(n: str) -> bool:
    try:
        ric.get_birth_place(n)
    except StdnumError:
        return False
    return True


@st.composite
def reference_id_numbers(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(_COUNTIES))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    body = f"{area}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + id_check_char(body)


@st.composite
def corrupted(draw: st.DrawFn, numbers: st.SearchStrategy[str], alphabet: str) -> str:
    """A generated number with one character replaced, or two neighbours swapped (the two
    commonest misreads and typos), or left intact."""
    n = draw(numbers)
    how = draw(st.sampled_from(["intact", "substitute", "swap"]))
    i = draw(st.integers(0, len(n) - 2))
    if how == "substitute":
        i = draw(st.integers(0, len(n) - 1))
        return n[:i] + draw(st.sampled_from([c for c in alphabet if c != n[i]])) + n[i + 1 :]
    if how == "swap":
        return n[:i] + n[i + 1] + n[i] + n[i + 2 :]
    return n


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_check_char_agrees_with_stdnum(body: str) -> None:
    # stdnum's function takes the whole number and ignores its last character
    assert id_check_char(body) == ric.calc_check_digit(body + "0")


@given(corrupted(reference_id_numbers().filter(_stdnum_knows_place), "0123456789X"))
def test_id_number_validity_agrees_with_stdnum(n: str) -> None:
    assert is_valid_id_number(n, today=TODAY) == ric.is_valid(n), n


@given(st.text(alphabet=_USCC, min_size=17, max_size=17))
def test_credit_check_char_agrees_with_stdnum(body: str) -> None:
    assert credit_check_char(body) == uscc.calc_check_digit(body)


@given(corrupted(credit_codes(), _USCC))
def test_credit_code_validity_agrees_with_stdnum(code: str) -> None:
    assert is_valid_credit_code(code) == uscc.is_valid(code), code
