"""Confidence that means something: a value that does not look like its field, or may not have
been read whole, is not reported as certain however sure the recogniser was of its characters."""

from __future__ import annotations

import pytest

from ocr.doctypes import extract
from ocr.doctypes.base import PARTIAL_CAP
from ocr.document import LOW_CONFIDENCE, DocType, Field
from ocr.layout import PageText, Segment
from ocr.plausibility import IMPLAUSIBLE_CAP, apply, plausible

PC = DocType.PROPERTY_CERTIFICATE


@pytest.mark.parametrize(
    ("doc_type", "name", "value", "ok"),
    [
        (PC, "location", "杭州市富阳区富春街道桂花路945号金色蓝庭7幢3单元904室", True),
        (PC, "location", "湖州市吴兴区红旗路511弄52号1702室", True),
        # cut at a wrap: no room, or no city/district, or a label read into it
        (PC, "location", "杭州市富阳区富春街道桂花路945号金色蓝庭7幢3单元", False),
        (PC, "location", "金色蓝庭7幢3单元904室", False),
        (PC, "location", "杭州市西湖区文三路1号2幢301室权利类型", False),
        (DocType.ID_CARD_FRONT, "address", "浙江省杭州市余杭区塘栖镇后陈村6组95号", True),
        (DocType.ID_CARD_FRONT, "name", "欧阳彤德", True),
        (DocType.ID_CARD_FRONT, "name", "王", False),
        (DocType.ID_CARD_FRONT, "name", "张三1", False),
        (DocType.ID_CARD_FRONT, "name", "姓名张三丰", False),
        (DocType.ID_CARD_FRONT, "name", "阿依古丽·买买提", True),
        (DocType.ID_CARD_FRONT, "birth_date", "1985-02-30", False),
        (DocType.ID_CARD_FRONT, "birth_date", "1985-02-28", True),
        (PC, "area", "49.04", True),
        (PC, "area", "49.O4", False),
        (PC, "owners", ["崔雨俊", "雷勇旭"], True),
        (PC, "owners", ["崔雨俊", "雷"], False),
        (PC, "co_ownership", "单独所有", True),
        (PC, "co_ownership", "单独所", False),
        (DocType.SALE_CONTRACT, "price", "7439000", True),
        (DocType.SALE_CONTRACT, "price", "74390OO", False),
        (DocType.SALE_CONTRACT, "sellers", [{"name": "马怡", "id_number": "x"}], True),
        (DocType.SALE_CONTRACT, "sellers", [{"name": "马怡证件", "id_number": "x"}], True),
        (DocType.SALE_CONTRACT, "buyers", [{"name": "马怡证件号码", "id_number": "x"}], False),
        (
            DocType.MARRIAGE_CERTIFICATE,
            "spouses",
            [{"name": "于红", "id_number": "1"}, {"name": "熊娟", "id_number": "2"}],
            True,
        ),
        # one number read into both rows
        (DocType.MARRIAGE_CERTIFICATE, "spouses", [{"name": "于红", "id_number": "1"}] * 2, False),
        # words of the prose or a role read as a name
        (DocType.POWER_OF_ATTORNEY, "principal", {"name": "公民", "id_number": "1"}, False),
        (PC, "owners", ["合法"], False),
        (
            DocType.HOUSEHOLD_REGISTER,
            "members",
            [{"name": "柳炜", "id_number": "1"}, {"name": "姚琦", "id_number": "2"}],
            True,
        ),
        # a member without the number every other member has: not read whole
        (
            DocType.HOUSEHOLD_REGISTER,
            "members",
            [{"name": "柳炜", "id_number": "1"}, {"name": "姚琦"}],
            False,
        ),
        (DocType.MARRIAGE_CERTIFICATE, "spouses", [{"name": "熊娟永", "id_number": "1"}], False),
        (DocType.MARRIAGE_CERTIFICATE, "spouses", [{"name": "于红"}, {"name": "熊娟永"}], False),
        (DocType.BUSINESS_LICENSE, "name", "宁波鼎盛文化传媒有限公司", True),
        (DocType.BUSINESS_LICENSE, "name", "宁波鼎盛文化传媒有限", False),
        (DocType.BUSINESS_LICENSE, "legal_representative", "令狐丹晶", True),
    ],
)
def test_plausibility_per_field(doc_type: DocType, name: str, value: object, ok: bool) -> None:
    assert plausible(doc_type, name, value) is ok


def test_an_implausible_value_is_capped_below_the_trust_line_and_others_are_kept() -> None:
    fields = {
        "location": Field(
            "杭州市富阳区富春街道桂花路945号金色蓝庭7幢3单元", 0.998, box=(1, 2, 3, 4)
        ),
        "area": Field("49.04", 0.97, box=(1, 2, 3, 4)),
        "unit_number": Field("330111024004GB00530F00070904", 0.2, valid=False),
    }
    out = apply(PC, fields)
    assert out["location"].confidence == IMPLAUSIBLE_CAP < LOW_CONFIDENCE
    assert out["location"].value == fields["location"].value
    assert out["location"].box == (1, 2, 3, 4)
    assert out["area"] == fields["area"]
    assert out["unit_number"].confidence == 0.2  # a lower cap stays


def _seg(text: str, x: float, y: float, h: float = 40.0) -> Segment:
    return Segment(text=text, score=0.995, box=(x, y, x + 40 * len(text), y + h))


def test_a_one_line_field_with_a_line_right_under_its_value_may_not_be_whole() -> None:
    rows = [
        [_seg("姓名", 60, 50), _seg("欧阳", 200, 50)],
        [_seg("彤德", 200, 95)],  # right under the value: perhaps its wrapped end
        [_seg("性别", 60, 170), _seg("女", 200, 170), _seg("民族", 360, 170), _seg("汉", 460, 170)],
        [_seg("出生", 60, 230), _seg("1987年9月28日", 200, 230)],
        [_seg("公民身份号码", 60, 290), _seg("330105198709282384", 330, 290)],
    ]
    f = extract(DocType.ID_CARD_FRONT, PageText([s for r in rows for s in r]))
    assert f["name"].value == "欧阳" and f["name"].confidence <= PARTIAL_CAP
    assert f["sex"].confidence > LOW_CONFIDENCE  # the next row there starts with a label


def test_a_confident_but_cut_location_falls_below_the_trust_line() -> None:
    pt = PageText(
        [
            _seg("浙(2025)杭州市不动产权第0174192号", 60, 40),
            _seg("权利人", 60, 120), _seg("朱旭文", 320, 120),
            _seg("共有情况", 60, 180), _seg("单独所有", 320, 180),
            _seg("坐落", 60, 240),
            _seg("杭州市富阳区富春街道桂花路945号金色蓝庭7幢3单元", 320, 240),
            # the wrapped end "904室" was not recognised at all
            _seg("权利类型", 60, 300), _seg("国有建设用地使用权/房屋所有权", 320, 300),
            _seg("权利性质", 60, 360), _seg("出让/商品房", 320, 360),
        ]
    )  # fmt: skip
    f = extract(PC, pt)
    assert f["location"].value == "杭州市富阳区富春街道桂花路945号金色蓝庭7幢3单元"
    assert f["location"].confidence <= IMPLAUSIBLE_CAP
    assert f["owners"].confidence > LOW_CONFIDENCE


def test_a_date_the_document_records_as_past_is_implausible_after_the_day_of_reading() -> None:
    from datetime import date

    day = date(2026, 12, 2)
    poa = DocType.POWER_OF_ATTORNEY
    assert plausible(poa, "signed_date", "2026-05-05", today=day)
    assert not plausible(poa, "signed_date", "2027-05-05", today=day)
    # an expiry date is in the future on a valid card
    assert plausible(DocType.ID_CARD_BACK, "valid_until", "2036-11-21", today=day)
    fields = {"signed_date": Field("2027-05-05", 0.9999, box=(1, 2, 3, 4))}
    assert apply(poa, fields, today=day)["signed_date"].confidence == IMPLAUSIBLE_CAP


@pytest.mark.parametrize(
    ("doc_type", "name", "value", "sure"),
    [
        (DocType.ID_CARD_FRONT, "name", "黄博文", True),
        # a traditional form a simplified document does not print
        (DocType.ID_CARD_FRONT, "name", "黃博文", False),
        # no common surname: perhaps a misreading, perhaps a minority name; trusted, not certain
        (DocType.ID_CARD_FRONT, "name", "其其格", False),
        (DocType.ID_CARD_FRONT, "name", "阿依古丽·买买提", True),
        (DocType.ID_CARD_FRONT, "name", "欧阳彤德", True),
        (PC, "owners", ["崔雨俊", "雷勇旭"], True),
        (
            DocType.SALE_CONTRACT,
            "sellers",
            [{"name": "马怡", "id_number": "1"}, {"name": "黃娟", "id_number": "2"}],
            False,
        ),
        (PC, "location", "杭州市西湖区文三路1号2幢301室", True),
        (PC, "location", "杭州市西湖區文三路1号2幢301室", False),
        (DocType.BUSINESS_LICENSE, "name", "宁波鼎盛文化传媒有限公司", True),
    ],
)
def test_a_plausible_value_with_a_sign_of_a_misreading_is_not_trusted_alone(
    doc_type: DocType, name: str, value: object, sure: bool
) -> None:
    from ocr.plausibility import UNSURE_CAP, unsure

    assert unsure(doc_type, name, value) is not sure
    f = apply(doc_type, {name: Field(value, 0.999, box=(1, 2, 3, 4))})[name]
    if sure:
        assert f.confidence == 0.999
    else:
        assert f.confidence == UNSURE_CAP < LOW_CONFIDENCE


@pytest.mark.parametrize(
    ("doc_type", "name", "value"),
    [
        (DocType.ID_CARD_FRONT, "name", "郑娴活"),
        (DocType.MARRIAGE_CERTIFICATE, "holder", "郑娴活"),
        (DocType.PROPERTY_CERTIFICATE, "owners", ["滕彧湛", "夏侯活妤"]),
        (DocType.SALE_CONTRACT, "sellers", [{"name": "邱昶赞", "id_number": "330114199610147730"}]),
        (DocType.POWER_OF_ATTORNEY, "agent", {"name": "邹画", "id_number": "331004196907146789"}),
        (DocType.BUSINESS_LICENSE, "legal_representative", "丁韬"),
    ],
)
def test_a_name_read_below_the_sure_score_is_not_trusted_alone(
    doc_type: DocType, name: str, value: object
) -> None:
    """A rare given-name character read as its common look-alike (湉 as 活) comes back at
    0.84–0.97: a name under SURE_NAME is capped below LOW_CONFIDENCE, one at it is kept."""
    from ocr.plausibility import SURE_NAME, UNSURE_CAP

    doubtful = apply(doc_type, {name: Field(value, 0.93)})[name]
    assert doubtful.confidence == UNSURE_CAP < LOW_CONFIDENCE
    sure = apply(doc_type, {name: Field(value, SURE_NAME)})[name]
    if doc_type == DocType.ID_CARD_FRONT or name in ("holder", "legal_representative"):
        assert sure.confidence == SURE_NAME


def test_a_company_name_or_a_number_is_not_a_doubtful_name() -> None:
    """The band is for people's names: a company's name, an area or a number read at 0.93 keep
    their score."""
    lic = apply(DocType.BUSINESS_LICENSE, {"name": Field("宁波鼎盛文化传媒有限公司", 0.93)})
    assert lic["name"].confidence == 0.93
    pc = apply(DocType.PROPERTY_CERTIFICATE, {"area": Field("89.5", 0.93)})
    assert pc["area"].confidence == 0.93
