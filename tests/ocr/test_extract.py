"""Extraction logic on hand-placed text lines (no OCR): layout rules and safety rules."""

from __future__ import annotations

from ocr.extract import INCONSISTENT_CAP, classify, extract
from ocr.layout import PageText, Segment


def _page(rows: list[list[tuple[str, float]]], *, h: float = 40.0) -> PageText:
    """Rows of (text, x) placed top to bottom; each character 40 px wide."""
    segs = []
    for r, row in enumerate(rows):
        y = 50 + r * 60
        for text, x in row:
            segs.append(Segment(text=text, score=0.99, box=(x, y, x + 40 * len(text), y + h)))
    return PageText(segs)


def test_value_stops_at_next_label_and_address_continues() -> None:
    pt = _page(
        [
            [("姓名", 60), ("张三", 200)],
            [("性别", 60), ("男", 200), ("民族汉", 360)],
            [("出生", 60), ("1985年3月12日", 200)],
            [("住址", 60), ("浙江省杭州市西湖区", 200)],
            [("文三路1号", 202)],
            [("公民身份号码", 60), ("33010619850312001X", 330)],
        ]
    )
    doc_type, conf = classify(pt.text)
    assert doc_type == "id_card_front" and conf > 0.8
    f = extract("id_card_front", pt)
    assert {k: v.value for k, v in f.items()} == {
        "name": "张三",
        "sex": "男",
        "ethnicity": "汉",
        "birth_date": "1985-03-12",
        "address": "浙江省杭州市西湖区文三路1号",
        "id_number": "33010619850312001X",
    }
    # the sex value's box is the character's, not the label's
    assert f["sex"].box is not None and f["sex"].box[0] >= 200


def test_id_number_disagreeing_with_printed_birth_date_is_doubtful() -> None:
    pt = _page(
        [
            [("姓名", 60), ("张三", 200)],
            [("性别", 60), ("男", 200), ("民族", 360), ("汉", 460)],
            [("出生", 60), ("1985年3月13日", 200)],
            [("公民身份号码", 60), ("33010619850312001X", 330)],
        ]
    )
    f = extract("id_card_front", pt)
    assert f["id_number"].valid is True
    assert f["id_number"].confidence <= INCONSISTENT_CAP
    assert f["birth_date"].confidence <= INCONSISTENT_CAP


def test_a_spouse_never_borrows_the_other_spouses_number() -> None:
    pt = _page(
        [
            [("结婚证", 400)],
            [("持证人", 60), ("李四", 200)],
            [("登记日期", 60), ("2014年12月16日", 240)],
            [("姓名", 600), ("王五", 700)],
            [("身份证件号", 600)],  # the number of 王五 was not read
            [("姓名", 600), ("李四", 700)],
            [("身份证件号", 600), ("33010619850312001X", 820)],
        ]
    )
    f = extract("marriage_certificate", pt)
    spouses = f["spouses"].value
    assert isinstance(spouses, list)
    by_name = {p["name"]: p for p in spouses}
    assert "id_number" not in by_name["王五"]
    assert by_name["李四"]["id_number"] == "33010619850312001X"


def test_unknown_text_is_unknown() -> None:
    pt = _page([[("今天天气很好", 60)], [("我们去公园散步", 60)]])
    assert classify(pt.text)[0] == "unknown"
