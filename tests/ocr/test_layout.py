"""Reading the layout: ruled tables found by morphology, lines assigned to their cells, wrapped
values read whole, values beside or under their label in block layouts."""

from __future__ import annotations

import itertools

import cv2
import numpy as np

from ocr.doctypes import extract
from ocr.document import DocType
from ocr.layout import PageText, Segment, assign_cells
from ocr.tables import find_cells


def _ruled(rows: list[int], cols: list[int], *, size: tuple[int, int] = (1200, 900)) -> np.ndarray:
    w, h = size
    img = np.full((h, w, 3), 250, np.uint8)
    for y in rows:
        cv2.line(img, (cols[0], y), (cols[-1], y), (30, 30, 30), 2)
    for x in cols:
        cv2.line(img, (x, rows[0]), (x, rows[-1]), (30, 30, 30), 2)
    # text-like clutter that must not make rules: short strokes of characters
    for i in range(40):
        x, y = 120 + (i % 8) * 120, 60 + (i // 8) * 160
        cv2.putText(img, "ABC-12", (x, y + 40), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (20, 20, 20), 2)
    return img


def test_cells_are_found_between_ruling_lines() -> None:
    rows, cols = [100, 220, 340, 520], [80, 360, 1100]
    cells = find_cells(_ruled(rows, cols))
    assert len(cells) == 6
    for (y0, y1), (x0, x1) in itertools.product(itertools.pairwise(rows), itertools.pairwise(cols)):
        assert any(
            abs(c[0] - x0) < 8 and abs(c[1] - y0) < 8 and abs(c[2] - x1) < 8 and abs(c[3] - y1) < 8
            for c in cells
        ), (x0, y0, x1, y1)


def test_a_slightly_tilted_table_still_has_its_cells() -> None:
    img = _ruled([100, 220, 340, 520], [80, 360, 1100])
    m = cv2.getRotationMatrix2D((600, 450), 1.2, 1.0)
    tilted = cv2.warpAffine(img, m, (1200, 900), borderValue=(250, 250, 250))
    assert len(find_cells(tilted)) == 6


def test_a_page_without_rules_has_no_cells() -> None:
    img = np.full((900, 1200, 3), 250, np.uint8)
    for i in range(12):
        org = (100, 80 + 60 * i)
        cv2.putText(img, "TEXT LINE 12", org, cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 2)
    assert find_cells(img) == []


def _seg(text: str, x: float, y: float, h: float = 40.0, score: float = 0.99) -> Segment:
    return Segment(text=text, score=score, box=(x, y, x + 40 * len(text), y + h))


# a certificate table: label cells 60..300, value cells 300..1100; the location wraps in its cell
_CERT_ROWS = [
    (("权利人", 60, 115), ("王小明", 320, 115), (100.0, 180.0)),
    (("共有情况", 60, 195), ("单独所有", 320, 195), (180.0, 260.0)),
]


def _certificate_segments() -> tuple[list[Segment], list[tuple[float, float, float, float]]]:
    segs = [_seg("浙(2023)杭州市不动产权第0123456号", 60, 40)]
    cells = []
    for (lab, lx, ly), (val, vx, vy), (top, bot) in _CERT_ROWS:
        segs += [_seg(lab, lx, ly), _seg(val, vx, vy)]
        cells += [(50.0, top, 300.0, bot), (300.0, top, 1100.0, bot)]
    # 坐落: label centred in a tall cell, value on two lines in the cell beside it
    segs += [_seg("坐落", 60, 310), _seg("浙江省杭州市西湖区文三路", 320, 275)]
    segs += [_seg("1号2幢301室", 320, 345)]
    cells += [(50.0, 260.0, 300.0, 400.0), (300.0, 260.0, 1100.0, 400.0)]
    segs += [_seg("权利类型", 60, 420), _seg("国有建设用地使用权/房屋所有权", 320, 420)]
    segs += [_seg("权利性质", 60, 500), _seg("出让/商品房", 320, 500)]
    cells += [(50.0, 400.0, 300.0, 480.0), (300.0, 400.0, 1100.0, 480.0)]
    cells += [(50.0, 480.0, 300.0, 560.0), (300.0, 480.0, 1100.0, 560.0)]
    return segs, cells


def test_a_value_wrapped_in_its_cell_is_read_whole() -> None:
    segs, cells = _certificate_segments()
    joined = assign_cells(segs, cells)
    assert len(joined) == len(segs) - 1  # the two lines of the location are one segment
    f = extract(DocType.PROPERTY_CERTIFICATE, PageText(joined))
    assert f["location"].value == "浙江省杭州市西湖区文三路1号2幢301室"
    assert f["owners"].value == ["王小明"] and f["co_ownership"].value == "单独所有"
    # the box covers both lines, each character keeps its line's score
    box = f["location"].box
    assert box is not None and box[1] <= 275 and box[3] >= 385


def test_the_lines_of_a_joined_cell_keep_their_own_boxes_and_scores() -> None:
    cell = (300.0, 260.0, 1100.0, 400.0)
    a, b = _seg("浙江省杭州市", 320, 275, score=0.95), _seg("1号", 320, 345, score=0.6)
    (j,) = assign_cells([a, b], [cell])
    assert j.text == "浙江省杭州市1号" and j.parts == (a, b) and j.score == 0.6
    pt = PageText([j])
    first = pt.span(0, 6)
    assert first is not None and first.score == 0.95 and first.box[3] <= 316
    second = pt.span(6, 8)
    assert second is not None and second.score == 0.6 and second.box[1] >= 345


def test_a_frame_around_many_lines_is_not_a_cell_to_join() -> None:
    segs = [_seg(f"第{i}行文字", 100, 100 + 60 * i) for i in range(8)]
    out = assign_cells(segs, [(50.0, 50.0, 1100.0, 700.0)])
    assert sorted(s.text for s in out) == sorted(s.text for s in segs)
    assert all(not s.parts for s in out)


def test_a_value_wrapped_beside_its_label_without_rules_is_read_whole() -> None:
    segs, _ = _certificate_segments()
    f = extract(DocType.PROPERTY_CERTIFICATE, PageText(segs))
    assert f["location"].value == "浙江省杭州市西湖区文三路1号2幢301室"
    assert f["owners"].value == ["王小明"]


def test_a_value_under_its_label_is_read() -> None:
    pt = PageText(
        [
            _seg("浙(2023)杭州市不动产权第0123456号", 60, 40),
            _seg("权利人", 60, 120), _seg("共有情况", 600, 120),
            _seg("王小明", 60, 175), _seg("单独所有", 600, 175),
            _seg("坐落", 60, 250),
            _seg("浙江省杭州市西湖区文三路", 60, 305),
            _seg("1号2幢301室", 60, 355),
            _seg("权利类型", 60, 430), _seg("国有建设用地使用权/房屋所有权", 60, 485),
            _seg("权利性质", 60, 560),
        ]
    )  # fmt: skip
    f = extract(DocType.PROPERTY_CERTIFICATE, pt)
    assert f["owners"].value == ["王小明"]
    assert f["co_ownership"].value == "单独所有"
    assert f["location"].value == "浙江省杭州市西湖区文三路1号2幢301室"


def test_side_by_side_cells_holding_the_same_rows_are_a_table_with_missed_rulings() -> None:
    # a parties table photographed blurred: its column rules were found, its row rules not, so
    # each column is one "cell" of three rows; joined, the names of three people become one
    ys = [300, 360, 420]
    cols = [(50.0, 250.0), (250.0, 450.0), (450.0, 750.0), (750.0, 1100.0)]
    texts = [
        ("出卖人", "出卖人", "买受人"),
        ("孔晟", "彭若曦", "常明哲"),
        ("居民身份证",) * 3,
        ("330281196207239231", "330683200107020826", "330109199705222931"),
    ]
    segs = [
        _seg(t[k], x0 + 10, ys[k]) for (x0, _), t in zip(cols, texts, strict=True) for k in range(3)
    ]
    cells = [(x0, 280.0, x1, 470.0) for x0, x1 in cols]
    out = assign_cells(segs, cells)
    assert sorted(s.text for s in out) == sorted(s.text for s in segs)
    assert all(not s.parts for s in out)
    rows = [[s.text for s in sorted(r, key=lambda s: s.box[0])] for r in PageText(out).rows]
    assert ["出卖人", "彭若曦", "居民身份证", "330683200107020826"] in rows
    # two cells side by side with two rows each (a label wrapped beside its wrapped value)
    # are still joined: fewer than three columns agree
    two = [s for s in segs if s.box[0] < 450 and s.cy < 400]
    joined = assign_cells(two, cells[:2])
    assert sorted(s.text for s in joined) == ["出卖人出卖人", "孔晟彭若曦"]
    # one party's row of narrow cells, each value wrapped over two lines a line height apart
    wrapped = [("居民身", "份证"), ("33060219960", "3024857"), ("浙江省绍兴市越城区", "30幢3单元")]
    narrow = [
        (50.0, 290.0, 250.0, 390.0),
        (250.0, 290.0, 800.0, 390.0),
        (800.0, 290.0, 1300.0, 390.0),
    ]
    segs = [
        _seg(t[k], c[0] + 10, 300 + 42 * k)
        for c, t in zip(narrow, wrapped, strict=True)
        for k in (0, 1)
    ]
    out = assign_cells(segs, narrow)
    assert sorted(s.text for s in out) == [
        "330602199603024857",
        "居民身份证",
        "浙江省绍兴市越城区30幢3单元",
    ]
