"""The document-type modules: one per type, registered once, labels in their real wordings."""

from __future__ import annotations

from ocr.doctypes import BY_TYPE, REGISTRY, classify, extract
from ocr.doctypes.base import label_rx
from ocr.document import DocType
from ocr.layout import PageText, Segment

CONTRACT_FIELDS = {
    "id_card_front": {"name", "sex", "ethnicity", "birth_date", "address", "id_number"},
    "id_card_back": {"issuing_authority", "valid_from", "valid_until"},
    "property_certificate": {
        "certificate_number", "owners", "co_ownership", "location", "unit_number", "area",
    },
    "sale_contract": {
        "sellers", "buyers", "location", "certificate_number", "price", "signed_date",
    },
    "marriage_certificate": {"holder", "registration_date", "certificate_number", "spouses"},
    "power_of_attorney": {"principal", "agent", "signed_date"},
}  # fmt: skip


def _page(rows: list[list[tuple[str, float]]], *, h: float = 40.0) -> PageText:
    segs = []
    for r, row in enumerate(rows):
        y = 50 + r * 60
        for text, x in row:
            segs.append(Segment(text=text, score=0.99, box=(x, y, x + 40 * len(text), y + h)))
    return PageText(segs)


def test_every_known_type_has_one_module_in_the_registry() -> None:
    assert [t.doc_type for t in REGISTRY] == [t for t in DocType if t != DocType.UNKNOWN]
    for name, fields in CONTRACT_FIELDS.items():
        assert set(BY_TYPE[DocType(name)].fields) == fields
    assert extract(DocType.UNKNOWN, _page([[("随便", 0)]])) == {}


def _certificate(owner_label: str, location_label: str) -> PageText:
    return _page(
        [
            [("浙(2023)杭州市不动产权第0123456号", 60)],
            [(owner_label, 60), ("王小明", 400)],
            [("共有情况", 60), ("单独所有", 400)],
            [(location_label, 60), ("杭州市西湖区文三路1号2幢301室", 400)],
            [("权利类型", 60), ("国有建设用地使用权/房屋所有权", 400)],
            [("权利性质", 60), ("出让/商品房", 400)],
        ]
    )


def test_label_variants_of_owner_and_location_are_read() -> None:
    variants = (("权利人", "坐落"), ("所有权人", "房屋坐落"), ("房屋所有权人", "房地坐落"))
    for owner, where in variants:
        pt = _certificate(owner, where)
        assert classify(pt.text)[0] == DocType.PROPERTY_CERTIFICATE
        f = extract(DocType.PROPERTY_CERTIFICATE, pt)
        assert f["owners"].value == ["王小明"], owner
        assert f["location"].value == "杭州市西湖区文三路1号2幢301室", where


def test_label_tolerates_confusable_characters() -> None:
    import re

    assert re.fullmatch(label_rx("公民身份号码"), "公民身份號碼")
    assert re.fullmatch(label_rx("坐落"), "座落")
    assert not re.fullmatch(label_rx("坐落"), "坐标")
    pt = _page(
        [
            [("姓名", 60), ("张三", 200)],
            [("性别", 60), ("男", 200), ("民族", 360), ("汉", 460)],
            [("出生", 60), ("1985年3月12日", 200)],
            [("住址", 60), ("浙江省杭州市西湖区文三路1号", 200)],
            [("身份证号码", 60), ("33010619850312001X", 330)],
        ]
    )
    assert extract(DocType.ID_CARD_FRONT, pt)["id_number"].value == "33010619850312001X"


BUYERS = "熊新,身份证号码:330502199905285977;雷涵飞,身份证号码:330421199903168578"


def test_contract_parties_in_a_table_and_listed_after_one_role() -> None:
    pt = _page(
        [
            [("存量房买卖合同", 60)],
            [("甲方(出卖人)", 60), ("马怡", 400), ("居民身份证", 560), ("330602197602105947", 800)],
            [("乙方(买受人)", 60), (BUYERS, 400)],
            [("坐落", 60), ("嘉兴市嘉善县新嘉街道星洲花园23幢3单元102室", 400)],
            [("不动产权证书号", 60), ("浙(2023)嘉善县不动产权第0118273号", 400)],
        ]
    )  # fmt: skip
    f = extract(DocType.SALE_CONTRACT, pt)
    assert f["sellers"].value == [{"name": "马怡", "id_number": "330602197602105947"}]
    assert f["buyers"].value == [
        {"name": "熊新", "id_number": "330502199905285977"},
        {"name": "雷涵飞", "id_number": "330421199903168578"},
    ]
    assert f["location"].value == "嘉兴市嘉善县新嘉街道星洲花园23幢3单元102室"


def test_spouses_printed_side_by_side_are_read_by_column() -> None:
    pt = _page(
        [
            [("结婚证", 60)],
            [("持证人", 60), ("郝轩", 300)],
            [("结婚登记日期", 60), ("2023年2月16日", 300)],
            [("证件编号", 60), ("J330302-2023-009247", 300)],
            [("姓名", 60), ("郝轩", 300), ("林诗", 700)],
            [("出生日期", 60), ("1997年02月27日", 300), ("1998年05月28日", 700)],
            [("身份证号", 60), ("330302199702277351", 300), ("331002199805288664", 700)],
        ]
    )
    f = extract(DocType.MARRIAGE_CERTIFICATE, pt)
    assert f["spouses"].value == [
        {"name": "郝轩", "id_number": "330302199702277351"},
        {"name": "林诗", "id_number": "331002199805288664"},
    ]
    assert f["registration_date"].value == "2023-02-16"
    assert f["certificate_number"].value == "J330302-2023-009247"
    assert f["holder"].confidence > 0.8
