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
