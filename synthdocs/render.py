"""One renderer per CONTRACT §3 document type: facts in, :class:`Sample` (image + golden) out.

Layouts follow the real documents (docs/formats.md §4-§5): the resident ID card at
85.6 × 54 mm, A4 pages for contracts, certificates and powers of attorney.

The layouts drawn here are the ``classic`` ones (the default of every renderer; existing tests
assert on them, so they stay exactly as they are). ``layout=`` picks one of the widened layouts
of ``synthdocs.layouts`` (:data:`LAYOUTS`) and ``font=`` the face of the values (any
:data:`synthdocs.canvas.FONTS` name; with ``classic`` it redraws every text face in it).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from PIL import Image

from . import data as d
from . import golden
from . import marks as mk
from .canvas import BLACK, BOLD, FONTS, LABEL_BLUE, Flow, Page, Sample, finish
from .paper import card_background, emblem, paper, portrait, seal

CARD_MM = (85.6, 54.0)
A4_MM = (210.0, 297.0)
ID_CARD_DPI = 300
PAGE_DPI = 150


def _px(mm: float, dpi: int) -> int:
    return round(mm * dpi / 25.4)


def _cn_date(x: date, *, pad: bool = False) -> str:
    if pad:
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    return f"{x.year}年{x.month}月{x.day}日"


def _fullwidth_parens(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


# ---------------------------------------------------------------------------------------------
# ID card
# ---------------------------------------------------------------------------------------------


def _classic_faces(font: str | None) -> dict[str, str] | None:
    """Face renames that redraw a classic layout's text in ``font`` (numbers stay mono)."""
    if font is None:
        return None
    if font not in FONTS:
        raise ValueError(f"unknown font {font!r}; known: {sorted(FONTS)}")
    bold = BOLD.get(font, font)
    return {"sans": font, "serif": font, "hei": font, "sans_bold": bold, "serif_bold": bold}


def _widened(
    doc_type: str, facts: Any, *, seed: int, dpi: int, layout: str, font: str | None, **kw: Any
) -> Sample:
    from . import layouts

    return layouts.render(doc_type, facts, seed=seed, dpi=dpi, layout=layout, font=font, **kw)


def _wrap_chars(s: str, n: int) -> list[str]:
    return [s[i : i + n] for i in range(0, len(s), n)]


def render_id_card_front(
    person: d.Person,
    *,
    seed: int = 0,
    dpi: int = ID_CARD_DPI,
    printed_id: str | None = None,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """人像面. ``printed_id`` prints another number than the person's (a forged card)."""
    if layout != "classic":
        return _widened(
            "id_card_front",
            person,
            seed=seed,
            dpi=dpi,
            layout=layout,
            font=font,
            printed_id=printed_id,
        )
    rng = random.Random(seed)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=False, rng=rng), faces=_classic_faces(font))
    label, value, number = round(2.75 * mm), round(3.2 * mm), round(3.6 * mm)
    jit = rng.uniform(-0.4, 0.4) * mm
    lx, vx = 6.3 * mm + jit, 17.2 * mm + jit

    def row(mm_top: float) -> float:
        return mm_top * mm + jit

    page.text(lx, row(6.2), "姓名", size=label, fill=LABEL_BLUE, spacing=0.35)
    page.text(vx, row(5.9), person.name, size=value, key="name", spacing=0.1)
    page.text(lx, row(12.6), "性别", size=label, fill=LABEL_BLUE, spacing=0.35)
    page.text(vx, row(12.3), person.sex, size=value, key="sex")
    page.text(lx + 23.5 * mm, row(12.6), "民族", size=label, fill=LABEL_BLUE, spacing=0.35)
    page.text(lx + 33.5 * mm, row(12.3), person.ethnicity, size=value, key="ethnicity")
    page.text(lx, row(19.0), "出生", size=label, fill=LABEL_BLUE, spacing=0.35)
    b = person.birth_date
    for x_mm, text in (
        (0.0, f"{b.year}"),
        (9.2, "年"),
        (13.2 if b.month >= 10 else 14.0, f"{b.month}"),
        (17.6, "月"),
        (21.6 if b.day >= 10 else 22.4, f"{b.day}"),
        (26.0, "日"),
    ):
        face = "sans"
        page.text(vx + x_mm * mm, row(18.7), text, size=value, face=face, key="birth_date")
    page.text(lx, row(25.4), "住址", size=label, fill=LABEL_BLUE, spacing=0.35)
    for i, line in enumerate(_wrap_chars(person.address, 11)):
        page.text(vx, row(25.1) + i * 4.6 * mm, line, size=value, key="address")
    page.text(lx, row(45.2), "公民身份号码", size=label, fill=LABEL_BLUE, spacing=0.12)
    page.text(
        lx + 24.8 * mm,
        row(44.6),
        printed_id or person.id_number,
        size=number,
        face="mono",
        key="id_number",
        spacing=0.08,
    )
    ph_w, ph_h = round(26 * mm), round(32 * mm)
    ph = portrait(ph_w, ph_h, rng=rng, female=person.sex == "女")
    page.paste(ph, (round(55.5 * mm + jit), round(7.5 * mm + jit)), ph)
    fields = golden.id_card_front(person, id_number=printed_id)
    return finish(
        doc_type="id_card_front", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=person
    )


def card_back_title(
    page: Page, *, mm: float, dx: float, dy: float, emblem_px: int, faces: tuple[str, str]
) -> None:
    """The national emblem and 中华人民共和国 / 居民身份证 of a card's back, offset by (dx, dy);
    ``faces``: of the two title lines."""
    em = emblem(emblem_px)
    page.paste(em, (round(5.5 * mm + dx), round(4.5 * mm + dy)), em)
    for x, y, text, size, face, spacing in (
        (29, 7.0, "中华人民共和国", 4.3, faces[0], 0.35),
        (27, 15.2, "居民身份证", 7.2, faces[1], 0.45),
    ):
        page.text(x * mm + dx, y * mm + dy, text, size=round(size * mm), face=face, spacing=spacing)


def validity_period(person: d.Person) -> tuple[str, str]:
    """The 有效期限 as a card prints it: start, end (``长期`` for no end)."""
    end = "长期" if person.valid_until is None else f"{person.valid_until:%Y.%m.%d}"
    return f"{person.valid_from:%Y.%m.%d}", end


def render_id_card_back(
    person: d.Person,
    *,
    seed: int = 0,
    dpi: int = ID_CARD_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """国徽面: emblem, 中华人民共和国 / 居民身份证, 签发机关 and 有效期限."""
    if layout != "classic":
        return _widened("id_card_back", person, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=True, rng=rng), faces=_classic_faces(font))
    jit = rng.uniform(-0.4, 0.4) * mm
    card_back_title(
        page, mm=mm, dx=jit, dy=jit, emblem_px=round(19 * mm), faces=("sans_bold", "serif_bold")
    )
    label, value = round(2.75 * mm), round(3.0 * mm)
    page.text(17.5 * mm + jit, 36.6 * mm + jit, "签发机关", size=label, fill=BLACK, spacing=0.2)
    page.text(
        33.5 * mm + jit,
        36.4 * mm + jit,
        person.issuing_authority,
        size=value,
        key="issuing_authority",
    )
    page.text(17.5 * mm + jit, 44.0 * mm + jit, "有效期限", size=label, fill=BLACK, spacing=0.2)
    start, end = validity_period(person)
    x = 33.5 * mm + jit
    top = 43.8 * mm + jit
    b1 = page.text(x, top, start, size=value, key="valid_from")
    b2 = page.text(b1[2] + 1, top, "-", size=value)
    page.text(b2[2] + 1, top, end, size=value, key="valid_until")
    fields = golden.id_card_back(person)
    return finish(
        doc_type="id_card_back", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=person
    )


# ---------------------------------------------------------------------------------------------
# 不动产权证书
# ---------------------------------------------------------------------------------------------


def _a4(dpi: int, *, tone: tuple[int, int, int] = (250, 250, 247)) -> tuple[int, int, Image.Image]:
    w, h = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    return w, h, paper(w, h, tone=tone)


def render_property_certificate(
    prop: d.Property,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """The register page of a 不动产权证书: number line, the 权利人 … 附记 table, seal and date."""
    if layout != "classic":
        return _widened("property_certificate", prop, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    w, h, base = _a4(dpi, tone=(247, 246, 236))
    mm = dpi / 25.4
    page = Page(base, faces=_classic_faces(font))
    green = (96, 140, 110)
    page.rect((9 * mm, 9 * mm, w - 9 * mm, h - 9 * mm), outline=green, width=max(2, round(mm)))
    page.rect((11 * mm, 11 * mm, w - 11 * mm, h - 11 * mm), outline=green, width=1)
    size = round(4.0 * mm)
    number = prop.certificate_number
    if rng.random() < 0.3:
        number = _fullwidth_parens(number)
    nw = page.text_width(number, size=round(4.6 * mm), face="serif")
    page.text(
        (w - nw) / 2, 22 * mm, number, size=round(4.6 * mm), face="serif", key="certificate_number"
    )

    x0, x1 = 20 * mm, w - 20 * mm
    xl = x0 + 34 * mm
    y = 36 * mm

    def single(key: str, text: str) -> Callable[[float, float], None]:
        def draw(vx: float, vy: float) -> None:
            page.text(vx, vy, text, size=size, face="serif", key=key)

        return draw

    def owners(vx: float, vy: float) -> None:
        for i, o in enumerate(prop.owners):
            if i:
                b = page.text(vx, vy, "、", size=size, face="serif")
                vx = b[2] + 2
            b = page.text(vx, vy, o.name, size=size, face="serif", key=f"owners[{i}]")
            vx = b[2] + 2

    def area(vx: float, vy: float) -> None:
        b = page.text(
            vx, vy, f"共有宗地面积{prop.land_area}㎡/房屋建筑面积", size=size, face="serif"
        )
        b = page.text(b[2] + 2, vy, prop.area, size=size, face="serif", key="area")
        page.text(b[2] + 2, vy, "㎡", size=size, face="serif")

    unit_printed = " ".join(
        (
            prop.unit_number[:6],
            prop.unit_number[6:12],
            prop.unit_number[12:19],
            prop.unit_number[19:],
        )
    )
    term_size = round(3.3 * mm)

    def term(vx: float, vy: float) -> None:
        page.text(vx, vy, prop.term, size=term_size, face="serif")

    lines: list[tuple[str, Callable[[float, float], object], float]] = [
        ("权利人", owners, 13),
        ("共有情况", single("co_ownership", prop.co_ownership), 13),
        ("坐落", single("location", prop.location), 13),
        ("不动产单元号", single("unit_number", unit_printed), 13),
        (
            "权利类型",
            lambda vx, vy: page.text(vx, vy, prop.right_type, size=size, face="serif"),
            13,
        ),
        (
            "权利性质",
            lambda vx, vy: page.text(vx, vy, prop.right_nature, size=size, face="serif"),
            13,
        ),
        ("用途", lambda vx, vy: page.text(vx, vy, prop.use, size=size, face="serif"), 13),
        ("面积", area, 13),
        ("使用期限", term, 13),
    ]
    page.line((x0, y, x1, y), width=2)
    for lab, draw, row_mm in lines:
        rh = row_mm * mm
        lw = page.text_width(lab, size=size, face="sans")
        page.text(x0 + (xl - x0 - lw) / 2, y + (rh - size) / 2, lab, size=size, face="sans")
        draw(xl + 3 * mm, y + (rh - size) / 2)
        y += rh
        page.line((x0, y, x1, y), width=1)
    # 权利其他状况: a tall cell with free text
    rh = 62 * mm
    lab = "权利其他状况"
    lw = page.text_width(lab, size=size, face="sans")
    page.text(x0 + (xl - x0 - lw) / 2, y + (rh - size) / 2, lab, size=size, face="sans")
    floors = rng.randint(6, 33)
    own_area = float(prop.area) * rng.uniform(0.78, 0.9)
    other = (
        "房屋结构：钢筋混凝土结构",
        f"专有建筑面积：{own_area:.2f}㎡，分摊建筑面积：{float(prop.area) - own_area:.2f}㎡",
        f"房屋总层数：{floors}层，房屋所在层：{rng.randint(1, floors)}层",
        "土地使用权取得方式：出让",
    )
    for i, t in enumerate(other):
        page.text(xl + 3 * mm, y + 5 * mm + i * 9 * mm, t, size=term_size, face="serif")
    y += rh
    page.line((x0, y, x1, y), width=1)
    rh = 30 * mm
    lw = page.text_width("附记", size=size, face="sans")
    page.text(x0 + (xl - x0 - lw) / 2, y + (rh - size) / 2, "附记", size=size, face="sans")
    page.text(
        xl + 3 * mm,
        y + 5 * mm,
        f"业务号：{prop.registered_on:%Y%m%d}{rng.randint(1000, 9999)}",
        size=term_size,
        face="serif",
    )
    y += rh
    page.line((x0, y, x1, y), width=2)
    page.line((x0, 36 * mm, x0, y), width=2)
    page.line((x1, 36 * mm, x1, y), width=2)
    page.line((xl, 36 * mm, xl, y), width=1)
    # registry and date, with its seal
    organ = f"{prop.registry}自然资源和规划局"
    page.text(w - 95 * mm, y + 12 * mm, "登记机构（章）", size=size, face="serif")
    page.text(
        w - 95 * mm, y + 22 * mm, _cn_date(prop.registered_on, pad=True), size=size, face="serif"
    )
    st = seal(organ, diameter=round(40 * mm), rng=rng, center="不动产登记专用章")
    page.paste(st, (round(w - 85 * mm), round(y + 2 * mm)), st)
    page.text(
        20 * mm,
        h - 20 * mm,
        f"编号 NO. {prop.print_serial}",
        size=round(3 * mm),
        face="sans",
        fill=(170, 40, 40),
    )
    fields = golden.property_certificate(prop)
    return finish(
        doc_type="property_certificate", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=prop
    )


# ---------------------------------------------------------------------------------------------
# 存量房买卖合同
# ---------------------------------------------------------------------------------------------


def _price_text(price: int, rng: random.Random) -> str:
    return f"{price:,}" if rng.random() < 0.4 else str(price)


def page_numbers(pages: list[Page], *, w: int, h: int, mm: float, face: str) -> None:
    """第 n 页 共 N 页 at the foot of each page."""
    for pg in pages:
        pg.text(
            w / 2 - 10 * mm,
            h - 15 * mm,
            f"第 {pg.index + 1} 页 共 {len(pages)} 页",
            size=round(3 * mm),
            face=face,
        )


def render_sale_contract(
    c: d.Contract,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """A two-page 存量房买卖合同 (parties, property, price on page 1; signatures, date on 2)."""
    if layout != "classic":
        return _widened("sale_contract", c, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    w, h, base = _a4(dpi)
    mm = dpi / 25.4
    size = round(3.7 * mm)
    faces = _classic_faces(font)
    pages = [Page(base, index=0, faces=faces), Page(base.copy(), index=1, faces=faces)]
    p0 = pages[0]
    fl = Flow(p0, x0=25 * mm, x1=w - 25 * mm, top=22 * mm, size=size, face="serif")
    fl.para("存量房买卖合同", indent=0, size=round(7 * mm), face="sans_bold", align="center")
    fl.gap(0.4)
    fl.para(f"合同编号：{c.number}", indent=0, align="left")
    fl.gap(0.3)
    for role, people, key in (
        ("出卖人（甲方）", c.sellers, "sellers"),
        ("买受人（乙方）", c.buyers, "buyers"),
    ):
        for i, p in enumerate(people):
            fl.para([(f"{role}：", None), (p.name, f"{key}[{i}].name")], indent=0)
            fl.para(
                [
                    ("证件类型：居民身份证    证件号码：", None),
                    (c.printed_id(p), f"{key}[{i}].id_number"),
                ],
                indent=2,
            )
            fl.para(f"住址：{p.address}", indent=2)
    fl.gap(0.4)
    fl.para(
        "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规"
        "之规定，甲、乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方房屋事宜达成如下"
        "协议："
    )
    fl.para("第一条  房屋基本情况", indent=0, face="sans_bold")
    # the name the contract gives the house, before its address or right after it
    alias = rng.choice(("（以下简称该房屋）", "（下称“该房屋”）"))
    if rng.random() < 0.5:
        where = [("甲方房屋" + alias + "坐落于：", None), (c.printed_location, "location")]
    else:
        where = [("甲方房屋坐落于：", None), (c.printed_location, "location"), (alias, None)]
    fl.para([*where, ("，建筑面积", None), (c.prop.area, None), ("平方米。", None)])
    cert = c.printed_certificate_number
    if rng.random() < 0.3:
        cert = _fullwidth_parens(cert)
    fl.para([("该房屋不动产权证书号：", None), (cert, "certificate_number"), ("。", None)])
    fl.para(f"该房屋不动产单元号：{c.prop.unit_number}，用途：住宅。")
    fl.para("第二条  成交价格", indent=0, face="sans_bold")
    tail = "。该价格包含房屋及其附属设施设备价款。"
    if rng.random() < 0.5:
        price_runs = [
            ("甲、乙双方协商一致，该房屋成交价为：人民币", None),
            (_price_text(c.price, rng), "price"),
            (f"元（大写：{d.chinese_amount(c.price)}）" + tail, None),
        ]
    else:  # the amount in words first, the figures after it
        price_runs = [
            (f"甲、乙双方协商一致，该房屋成交价格为人民币（大写）{d.chinese_amount(c.price)}"
             "（小写：¥", None),
            (_price_text(c.price, rng), "price"),
            ("元）" + tail, None),
        ]  # fmt: skip
    fl.para(price_runs)
    fl.para("第三条  付款方式", indent=0, face="sans_bold")
    fl.para(
        f"乙方应于本合同签订之日向甲方支付定金人民币{c.deposit}元，余款通过存量房交易资金"
        "监管账户支付，待该房屋转移登记完成后由监管机构划转至甲方账户。"
    )
    fl.para("第四条  房屋交付", indent=0, face="sans_bold")
    fl.para(
        f"甲方应于{_cn_date(c.handover_date)}前将该房屋交付乙方，并结清交付前发生的水、电、"
        "燃气、物业管理等费用。"
    )
    p1 = pages[1]
    fl2 = Flow(p1, x0=25 * mm, x1=w - 25 * mm, top=22 * mm, size=size, face="serif")
    fl2.para("第五条  权属转移登记", indent=0, face="sans_bold")
    fl2.para(
        "甲、乙双方应于本合同签订之日起三十日内共同向不动产登记机构申请办理转移登记。"
        "因甲方原因不能办理的，乙方有权解除合同，甲方应双倍返还定金。"
    )
    fl2.para("第六条  税费承担", indent=0, face="sans_bold")
    fl2.para("办理转移登记所发生的税费，按照国家及地方有关规定由甲、乙双方各自承担。")
    fl2.para("第七条  甲方保证", indent=0, face="sans_bold")
    fl2.para("甲方保证该房屋权属清楚，无查封、抵押等权利限制，共有人已同意出售。")
    fl2.para("第八条  争议解决", indent=0, face="sans_bold")
    fl2.para("本合同履行中发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。")
    fl2.para(
        "第九条  本合同一式三份，甲、乙双方各执一份，不动产登记机构存档一份，具有同等法律效力。"
    )
    fl2.gap(1.5)
    sig_y = fl2.y
    col = w / 2 + 5 * mm
    for i, p in enumerate(c.sellers):
        p1.text(25 * mm, sig_y + i * 12 * mm, "出卖人（签章）：", size=size, face="serif")
        p1.text(
            25 * mm + 31 * mm,
            sig_y + i * 12 * mm - 1 * mm,
            p.name,
            size=round(size * 1.2),
            face="hei",
            fill=(30, 30, 80),
        )
    for i, p in enumerate(c.buyers):
        p1.text(col, sig_y + i * 12 * mm, "买受人（签章）：", size=size, face="serif")
        p1.text(
            col + 31 * mm,
            sig_y + i * 12 * mm - 1 * mm,
            p.name,
            size=round(size * 1.2),
            face="hei",
            fill=(30, 30, 80),
        )
    y = sig_y + max(len(c.sellers), len(c.buyers)) * 12 * mm + 12 * mm
    b = p1.text(25 * mm, y, "签订日期：", size=size, face="serif")
    p1.text(b[2] + 2, y, _cn_date(c.signed_date), size=size, face="serif", key="signed_date")
    p1.text(col, y, "签订地点：" + c.prop.registry, size=size, face="serif")
    page_numbers(pages, w=w, h=h, mm=mm, face="serif")
    fields = golden.sale_contract(c)
    return finish(doc_type="sale_contract", fields=fields, pages=pages, dpi=dpi, seed=seed, facts=c)


# ---------------------------------------------------------------------------------------------
# helpers for ruled forms
# ---------------------------------------------------------------------------------------------


def _cell(
    page: Page,
    box: tuple[float, float, float, float],
    text: str,
    *,
    size: int,
    face: str = "serif",
    key: str | None = None,
    align: str = "left",
    pad: float = 8.0,
) -> None:
    """Text vertically centred in a cell, wrapped per character when too wide."""
    x0, y0, x1, y1 = box
    if not text:
        return
    avail = x1 - x0 - 2 * pad
    lines: list[str] = []
    cur = ""
    for ch in text:
        if page.text_width(cur + ch, size=size, face=face) > avail and cur:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    lines.append(cur)
    lead = size * 1.35
    top = (y0 + y1) / 2 - (len(lines) * lead - (lead - size)) / 2
    for i, line in enumerate(lines):
        lw = page.text_width(line, size=size, face=face)
        lx = x0 + pad if align == "left" else (x0 + x1 - lw) / 2
        page.text(lx, top + i * lead, line, size=size, face=face, key=key)


def _grid(page: Page, xs: list[float], y0: float, y1: float, width: int = 1) -> None:
    page.rect((xs[0], y0, xs[-1], y1), width=width + 1)
    for x in xs[1:-1]:
        page.line((x, y0, x, y1), width=width)


# ---------------------------------------------------------------------------------------------
# 结婚证
# ---------------------------------------------------------------------------------------------


def render_marriage_certificate(
    m: d.Marriage,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """The open booklet scanned as one spread: 持证人/登记日期/结婚证字号 on the left page,
    both spouses (姓名 性别 国籍 出生日期 身份证件号) under their photo on the right."""
    if layout != "classic":
        return _widened("marriage_certificate", m, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    mm = dpi / 25.4
    w, h = _px(250, dpi), _px(176, dpi)
    page = Page(paper(w, h, tone=(249, 236, 232)), faces=_classic_faces(font))
    red = (190, 60, 60)
    half = w / 2
    page.line((half, 0, half, h), fill=(215, 190, 185), width=3)
    for x in (6 * mm, half + 6 * mm):
        page.rect((x, 6 * mm, x + half - 12 * mm, h - 6 * mm), outline=red, width=2)
    size = round(4.2 * mm)
    lx, vx = 16 * mm, 50 * mm
    rows = (
        ("持证人", m.holder.name, "holder"),
        ("登记日期", _cn_date(m.registration_date, pad=True), "registration_date"),
        ("结婚证字号", m.certificate_number, "certificate_number"),
        ("备注", "", None),
    )
    for i, (lab, val, key) in enumerate(rows):
        y = 28 * mm + i * 17 * mm
        page.text(lx, y, lab, size=size, face="sans", fill=red)
        if val:
            page.text(vx, y, val, size=size, face="serif", key=key)
        page.line(
            (vx - 1 * mm, y + size + 2 * mm, half - 12 * mm, y + size + 2 * mm),
            fill=(200, 150, 150),
        )
    page.text(lx, h - 45 * mm, "登记机关", size=size, face="sans", fill=red)
    st = seal(m.authority, diameter=round(36 * mm), rng=rng, center="婚姻登记专用章")
    page.paste(st, (round(55 * mm), round(h - 62 * mm)), st)
    # right page: the couple's photo and their particulars
    px0 = half + 30 * mm
    photo_bg = Image.new("RGB", (round(60 * mm), round(40 * mm)), (200, 40, 40))
    page.paste(photo_bg, (round(px0), round(14 * mm)))
    for k, person in enumerate(
        (m.holder, m.spouse) if m.holder.sex == "男" else (m.spouse, m.holder)
    ):
        pt = portrait(round(28 * mm), round(38 * mm), rng=rng, female=person.sex == "女")
        page.paste(pt, (round(px0 + 2 * mm + k * 29 * mm), round(16 * mm)), pt)
    people = (m.holder, m.spouse) if m.holder.sex == "男" else (m.spouse, m.holder)
    small = round(3.4 * mm)
    order = [m.holder, m.spouse]
    for k, person in enumerate(people):
        idx = order.index(person)
        y = 62 * mm + k * 48 * mm
        rx = half + 14 * mm
        page.text(rx, y, "姓名", size=small, face="sans", fill=red)
        page.text(
            rx + 14 * mm, y, person.name, size=small, face="serif", key=f"spouses[{idx}].name"
        )
        page.text(rx + 48 * mm, y, "性别", size=small, face="sans", fill=red)
        page.text(rx + 62 * mm, y, person.sex, size=small, face="serif")
        y += 10 * mm
        page.text(rx, y, "国籍", size=small, face="sans", fill=red)
        page.text(rx + 14 * mm, y, "中国", size=small, face="serif")
        page.text(rx + 48 * mm, y, "出生日期", size=small, face="sans", fill=red)
        page.text(rx + 66 * mm, y, _cn_date(person.birth_date, pad=True), size=small, face="serif")
        y += 10 * mm
        page.text(rx, y, "身份证件号", size=small, face="sans", fill=red)
        page.text(
            rx + 22 * mm,
            y,
            person.id_number,
            size=small,
            face="serif",
            key=f"spouses[{idx}].id_number",
        )
    fields = golden.marriage_certificate(m)
    return finish(
        doc_type="marriage_certificate", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=m
    )


# ---------------------------------------------------------------------------------------------
# 委托书
# ---------------------------------------------------------------------------------------------


def render_power_of_attorney(
    poa: d.PowerOfAttorney,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """A one-page 授权委托书 for the transfer registration."""
    if layout != "classic":
        return _widened("power_of_attorney", poa, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    w, _h, base = _a4(dpi)
    mm = dpi / 25.4
    size = round(4.0 * mm)
    page = Page(base, faces=_classic_faces(font))
    fl = Flow(page, x0=25 * mm, x1=w - 25 * mm, top=28 * mm, size=size, face="serif", leading=1.9)
    fl.para("授 权 委 托 书", indent=0, size=round(7.5 * mm), face="sans_bold", align="center")
    fl.gap(0.6)
    p, a = poa.principal, poa.agent
    fl.para(
        [("委托人：", None), (p.name, "principal.name"), (f"    性别：{p.sex}", None)], indent=0
    )
    fl.para([("身份证号码：", None), (p.id_number, "principal.id_number")], indent=0)
    fl.para(f"住址：{p.address}", indent=0)
    fl.gap(0.3)
    fl.para([("受托人：", None), (a.name, "agent.name"), (f"    性别：{a.sex}", None)], indent=0)
    fl.para([("身份证号码：", None), (a.id_number, "agent.id_number")], indent=0)
    fl.para(f"住址：{a.address}", indent=0)
    fl.gap(0.5)
    reason = rng.choice(("工作原因", "身在外地", "身体原因"))
    fl.para(
        f"委托人因{reason}不能亲自办理坐落于{poa.location}房屋的{poa.matter}相关事宜，"
        f"现委托受托人{a.name}作为我的合法代理人，全权代表我办理以下事项："
    )
    for i, item in enumerate(
        (
            "提交、领取不动产登记申请材料；",
            "在不动产登记申请书及询问笔录上签字；",
            "缴纳相关税费并领取不动产权证书。",
        ),
        start=1,
    ):
        fl.para(f"{i}. {item}")
    fl.para("受托人在上述权限内所签署的一切文件，委托人均予以承认，并承担相应的法律责任。")
    fl.para("委托期限：自本委托书签署之日起至上述事项办理完毕之日止。受托人无转委托权。")
    fl.gap(2.0)
    y = fl.y
    page.text(w - 100 * mm, y, "委托人（签字）：", size=size, face="serif")
    page.text(
        w - 60 * mm, y - 1 * mm, p.name, size=round(size * 1.2), face="hei", fill=(30, 30, 80)
    )
    y += 14 * mm
    b = page.text(w - 100 * mm, y, "委托日期：", size=size, face="serif")
    page.text(b[2] + 2, y, _cn_date(poa.signed_date), size=size, face="serif", key="signed_date")
    fields = golden.power_of_attorney(poa)
    return finish(
        doc_type="power_of_attorney", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=poa
    )


# ---------------------------------------------------------------------------------------------
# 居民户口簿
# ---------------------------------------------------------------------------------------------

HOUSEHOLD_MM = (130.0, 185.0)


def render_household_register(
    hh: d.Household,
    *,
    seed: int = 0,
    dpi: int = 200,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """户口簿: the 户主页 (户别, 户主姓名, 户号, 住址) then one 常住人口登记卡 per member."""
    if layout != "classic":
        return _widened("household_register", hh, seed=seed, dpi=dpi, layout=layout, font=font)
    faces = _classic_faces(font)
    rng = random.Random(seed)
    mm = dpi / 25.4
    w, h = _px(HOUSEHOLD_MM[0], dpi), _px(HOUSEHOLD_MM[1], dpi)
    tone = (244, 240, 228)
    size = round(3.3 * mm)
    pages: list[Page] = []
    # 户主页
    p0 = Page(paper(w, h, tone=tone), index=0, faces=faces)
    pages.append(p0)
    title = "常住人口登记表"
    tw = p0.text_width(title, size=round(5.5 * mm), face="serif_bold")
    p0.text((w - tw) / 2, 12 * mm, title, size=round(5.5 * mm), face="serif_bold")
    x0, x1 = 8 * mm, w - 8 * mm
    cols = [x0, x0 + 24 * mm, x0 + 62 * mm, x0 + 84 * mm, x1]
    head = hh.members[0][0]
    rows0: list[tuple[tuple[str, str, str | None], tuple[str, str, str | None]]] = [
        (("户别", hh.kind, None), ("户主姓名", head.name, None)),
        (("户号", hh.household_number, None), ("", "", None)),
    ]
    y = 26 * mm
    rh = 13 * mm
    for row in rows0:
        _grid(p0, cols, y, y + rh)
        for c, (lab, val, key) in enumerate(row):
            _cell(p0, (cols[2 * c], y, cols[2 * c + 1], y + rh), lab, size=size, align="center")
            _cell(p0, (cols[2 * c + 1], y, cols[2 * c + 2], y + rh), val, size=size, key=key)
        p0.line((x0, y + rh, x1, y + rh))
        y += rh
    _grid(p0, [cols[0], cols[1], x1], y, y + 2 * rh)
    _cell(p0, (cols[0], y, cols[1], y + 2 * rh), "住址", size=size, align="center")
    _cell(p0, (cols[1], y, x1, y + 2 * rh), hh.address, size=size, key="address")
    y += 2 * rh
    p0.text(x0 + 4 * mm, y + 12 * mm, "户口登记机关", size=size, face="serif")
    st = seal(hh.authority, diameter=round(34 * mm), rng=rng, center="户口专用章")
    p0.paste(st, (round(x0 + 30 * mm), round(y + 6 * mm)), st)
    p0.text(x0 + 4 * mm, y + 44 * mm, "承办人签章：", size=size, face="serif")
    issued = d.REFERENCE_DATE.replace(year=d.REFERENCE_DATE.year - rng.randint(1, 8))
    p0.text(
        x0 + 4 * mm, y + 56 * mm, "签发日期：" + _cn_date(issued, pad=True), size=size, face="serif"
    )
    # 常住人口登记卡, one per member
    for i, (person, relation) in enumerate(hh.members):
        pg = Page(paper(w, h, tone=tone), index=i + 1, faces=faces)
        pages.append(pg)
        t = "常住人口登记卡"
        tw = pg.text_width(t, size=round(5.5 * mm), face="serif_bold")
        pg.text((w - tw) / 2, 10 * mm, t, size=round(5.5 * mm), face="serif_bold")
        cols = [x0, x0 + 22 * mm, x0 + 56 * mm, x0 + 84 * mm, x1]
        birth_place = person.address[3:].split("区")[0] + ("区" if "区" in person.address else "")
        rows: list[tuple[tuple[str, str, str | None], tuple[str, str, str | None]]] = [
            (
                ("姓名", person.name, f"members[{i}].name"),
                ("户主或与户主关系", relation, f"members[{i}].relation"),
            ),
            (("曾用名", "", None), ("性别", person.sex, None)),
            (("出生地", birth_place[:12], None), ("民族", person.ethnicity, None)),
            (
                ("籍贯", "浙江" + birth_place[:2], None),
                ("出生日期", _cn_date(person.birth_date, pad=True), None),
            ),
            (("宗教信仰", "", None), ("身高", "", None)),
            (
                ("文化程度", rng.choice(("大学本科", "高中", "大学专科", "初中", "研究生")), None),
                ("婚姻状况", "已婚" if relation in ("户主", "妻", "夫") else "未婚", None),
            ),
            (("服务处所", "", None), ("职业", "", None)),
        ]
        y = 22 * mm
        rh = 12 * mm
        for row in rows:
            _grid(pg, cols, y, y + rh)
            for c, (lab, val, key) in enumerate(row):
                _cell(
                    pg,
                    (cols[2 * c], y, cols[2 * c + 1], y + rh),
                    lab,
                    size=round(size * (0.78 if len(lab) > 4 else 1)),
                    align="center",
                    pad=3,
                )
                _cell(pg, (cols[2 * c + 1], y, cols[2 * c + 2], y + rh), val, size=size, key=key)
            y += rh
        wide = [x0, x0 + 40 * mm, x1]
        for lab, val, key in (
            ("公民身份号码", person.id_number, f"members[{i}].id_number"),
            ("本市（县）其他住址", "", None),
            ("何时由何地迁来本市（县）", "", None),
            ("何时由何地迁来本址", "", None),
        ):
            _grid(pg, wide, y, y + rh)
            _cell(
                pg,
                (wide[0], y, wide[1], y + rh),
                lab,
                size=round(size * (0.75 if len(lab) > 6 else 1)),
                align="center",
                pad=3,
            )
            _cell(pg, (wide[1], y, wide[2], y + rh), val, size=size, key=key)
            y += rh
        pg.text(x0 + 4 * mm, y + 8 * mm, "承办人签章：", size=size, face="serif")
        pg.text(
            x0 + 60 * mm,
            y + 8 * mm,
            "登记日期：" + _cn_date(issued, pad=True),
            size=round(size * 0.9),
            face="serif",
        )
    fields = golden.household_register(hh)
    return finish(
        doc_type="household_register", fields=fields, pages=pages, dpi=dpi, seed=seed, facts=hh
    )


# ---------------------------------------------------------------------------------------------
# 营业执照
# ---------------------------------------------------------------------------------------------


def render_business_license(
    c: d.Company,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """营业执照 (副本), landscape A4: credit code top-left, emblem and title, two columns of
    particulars, QR code and the registry's seal with the date."""
    import qrcode

    if layout != "classic":
        return _widened("business_license", c, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(seed)
    mm = dpi / 25.4
    w, h = _px(A4_MM[1], dpi), _px(A4_MM[0], dpi)
    page = Page(paper(w, h, tone=(252, 250, 244)), faces=_classic_faces(font))
    frame = (196, 150, 70)
    page.rect((7 * mm, 7 * mm, w - 7 * mm, h - 7 * mm), outline=frame, width=round(2.2 * mm))
    page.rect((11 * mm, 11 * mm, w - 11 * mm, h - 11 * mm), outline=frame, width=2)
    em = emblem(round(30 * mm))
    page.paste(em, (round(w / 2 - 15 * mm), round(16 * mm)), em)
    tsize = round(14 * mm)
    tw = page.text_width("营业执照", size=tsize, face="serif_bold") + 3 * 0.5 * tsize
    page.text((w - tw) / 2, 50 * mm, "营业执照", size=tsize, face="serif_bold", spacing=0.5)
    sw = page.text_width("（副  本）", size=round(5 * mm), face="serif")
    page.text((w - sw) / 2, 70 * mm, "（副  本）", size=round(5 * mm), face="serif")
    small = round(3.6 * mm)
    b = page.text(18 * mm, 20 * mm, "统一社会信用代码", size=small, face="sans_bold")
    page.text(
        18 * mm,
        b[3] + 2 * mm,
        c.credit_code,
        size=round(4.6 * mm),
        face="sans_bold",
        key="credit_code",
    )
    page.text(
        w - 62 * mm,
        22 * mm,
        f"证照编号：{rng.randint(10**13, 10**14 - 1)}",
        size=round(3 * mm),
        face="sans",
    )
    size = round(4.0 * mm)
    lab_w = 32 * mm
    left, right = 22 * mm, w / 2 + 8 * mm
    col_w = w / 2 - 32 * mm
    rows_left = (
        ("名称", c.name, "name"),
        ("类型", c.kind, None),
        ("法定代表人", c.legal_representative, "legal_representative"),
        ("经营范围", c.scope, None),
    )
    rows_right = (
        ("注册资本", c.capital, None),
        ("成立日期", _cn_date(c.established, pad=True), "established_date"),
        ("营业期限", f"{_cn_date(c.established, pad=True)}至长期", None),
        ("住所", c.address, "address"),
    )
    for x, rows in ((left, rows_left), (right, rows_right)):
        fl = Flow(
            page, x0=x + lab_w, x1=x + col_w, top=86 * mm, size=size, face="serif", leading=1.6
        )
        for lab, val, key in rows:
            lw = page.text_width(lab, size=size, face="sans_bold")
            gap = (lab_w - 6 * mm - lw) / max(1, len(lab) - 1) / size if len(lab) > 1 else 0
            page.text(x, fl.y, lab, size=size, face="sans_bold", spacing=min(gap, 1.0))
            scope_size = round(size * 0.85) if lab == "经营范围" else None
            fl.para([(val, key)], indent=0, size=scope_size)
            fl.gap(0.35)
    # QR code (verification link) and the registry seal with date
    qr = qrcode.QRCode(border=1, box_size=4)
    qr.add_data(f"https://zwfw.samr.gov.cn/verify?code={c.credit_code}")
    qimg = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    qimg = qimg.resize((round(26 * mm), round(26 * mm)), Image.Resampling.NEAREST)
    page.paste(qimg, (round(20 * mm), round(h - 48 * mm)))
    page.text(w - 88 * mm, h - 40 * mm, "登记机关", size=size, face="sans_bold")
    issued = (
        c.established
        if rng.random() < 0.5
        else d.REFERENCE_DATE.replace(year=max(c.established.year, d.REFERENCE_DATE.year - 2))
    )
    page.text(w - 88 * mm, h - 28 * mm, _cn_date(issued, pad=True), size=size, face="serif")
    st = seal(c.registry, diameter=round(40 * mm), rng=rng)
    page.paste(st, (round(w - 72 * mm), round(h - 60 * mm)), st)
    fields = golden.business_license(c)
    return finish(
        doc_type="business_license", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=c
    )


# ---------------------------------------------------------------------------------------------
# not a material of any matter: an office notice (for the ``unknown`` class)
# ---------------------------------------------------------------------------------------------

_NOTICE_TOPICS = ("安全生产检查", "垃圾分类宣传", "消防演练", "防汛防台准备", "文明城市创建")


def render_unknown(
    rng_seed: int,
    *,
    seed: int = 0,
    dpi: int = PAGE_DPI,
    layout: str = "classic",
    font: str | None = None,
) -> Sample:
    """An A4 office notice (通知): dense Chinese text with dates, numbers and a seal, but none of
    the CONTRACT document types - ``doc_type`` ``unknown`` with no fields."""
    if layout != "classic":
        return _widened("unknown", rng_seed, seed=seed, dpi=dpi, layout=layout, font=font)
    rng = random.Random(f"unknown:{rng_seed}")
    w, _h, base = _a4(dpi)
    mm = dpi / 25.4
    page = Page(base, faces=_classic_faces(font))
    topic = rng.choice(_NOTICE_TOPICS)
    community = rng.choice(("翠苑", "古荡", "文新", "北山", "湖滨", "南星")) + "街道办事处"
    size = round(4.0 * mm)
    fl = Flow(page, x0=25 * mm, x1=w - 25 * mm, top=30 * mm, size=size, face="serif")
    fl.para(
        f"关于开展{d.REFERENCE_DATE.year}年度{topic}工作的通知",
        indent=0,
        size=round(6 * mm),
        face="sans_bold",
        align="center",
    )
    fl.gap(0.5)
    fl.para("各社区、辖区各单位：", indent=0)
    paragraphs = [
        f"为进一步做好{topic}工作，根据上级有关文件精神，经研究决定，自{rng.randint(1, 12)}月"
        f"{rng.randint(1, 28)}日起在全街道范围内开展为期{rng.randint(2, 12)}周的专项行动。",
        "一、工作目标。通过集中排查、宣传引导和督促整改，切实提高居民群众的参与率和知晓率，"
        "形成共建共治共享的良好氛围。",
        f"二、工作安排。各社区应于{rng.randint(1, 12)}月{rng.randint(1, 28)}日前制定具体实施方案，"
        f"组织不少于{rng.randint(2, 20)}场宣传活动，并做好台账记录。",
        "三、工作要求。请各单位高度重视，明确专人负责，于每周五前报送工作进展，"
        f"联系电话0571-{rng.randint(80000000, 89999999)}。",
    ]
    for text in paragraphs[: rng.randint(3, 4)]:
        fl.para(text)
    fl.gap(1.5)
    y = fl.y
    page.text(w - 85 * mm, y, community, size=size, face="serif")
    page.text(
        w - 85 * mm, y + 10 * mm, _cn_date(d.REFERENCE_DATE, pad=False), size=size, face="serif"
    )
    st = seal(community, diameter=round(38 * mm), rng=rng)
    page.paste(st, (round(w - 82 * mm), round(y - 14 * mm)), st)
    return finish(doc_type="unknown", fields={}, pages=[page], dpi=dpi, seed=seed, facts=None)


def _with_marks(render: Callable[..., Sample]) -> Callable[..., Sample]:
    """``render`` whose places that must carry a mark are signed, fingerprinted or sealed by
    :mod:`synthdocs.marks` (``marks=``: a :class:`~synthdocs.marks.MarkPlan`; default: all
    present), filling ``Sample.marks``."""

    def draw(facts: Any, *, seed: int = 0, marks: mk.MarkPlan = mk.FULL, **kw: Any) -> Sample:
        return mk.apply(render(facts, seed=seed, **kw), seed=seed, plan=marks)

    draw.__name__ = render.__name__
    draw.__doc__ = render.__doc__
    return draw


RENDERERS: dict[str, Callable[..., Sample]] = {
    "id_card_front": render_id_card_front,
    "id_card_back": render_id_card_back,
    "property_certificate": _with_marks(render_property_certificate),
    "sale_contract": _with_marks(render_sale_contract),
    "marriage_certificate": render_marriage_certificate,
    "power_of_attorney": _with_marks(render_power_of_attorney),
    "household_register": render_household_register,
    "business_license": render_business_license,
}


DOC_TYPES: tuple[str, ...] = tuple(RENDERERS)  # the 8 CONTRACT §3 types (not "unknown")


def layouts_of(doc_type: str) -> tuple[str, ...]:
    """The layouts ``doc_type`` can be drawn in (``"classic"`` first)."""
    from .layouts import LAYOUTS

    if doc_type not in LAYOUTS:
        raise ValueError(f"unknown doc_type {doc_type!r}")
    return LAYOUTS[doc_type]


def random_facts(doc_type: str, rng: random.Random, *, varied: bool = False) -> Any:
    """Random facts of the kind ``doc_type`` renders (``varied``: the widened pools of the
    training family, see ``synthdocs.data``)."""
    v = varied
    if doc_type in ("id_card_front", "id_card_back"):
        return d.random_person(rng, varied=v)
    if doc_type == "marriage_certificate":
        return d.random_marriage(rng, holder=d.random_person(rng, min_age=24, varied=v), varied=v)
    if doc_type == "power_of_attorney":
        p, a = d.random_person(rng, varied=v), d.random_person(rng, varied=v)
        loc = d.random_street_address(rng, current=True, varied=v)[3]
        return d.random_power_of_attorney(rng, principal=p, agent=a, location=loc)
    if doc_type == "household_register":
        return d.random_household(
            rng,
            head=d.random_person(rng, min_age=40, max_age=60, varied=v),
            size=rng.randint(1, 4),
            varied=v,
        )
    if doc_type == "business_license":
        return d.random_company(rng, varied=v)
    owners = tuple(d.random_person(rng, varied=v) for _ in range(rng.choice((1, 1, 2))))
    prop = d.random_property(rng, owners=owners, varied=v)
    if doc_type == "property_certificate":
        return prop
    if doc_type == "sale_contract":
        buyers = tuple(d.random_person(rng, varied=v) for _ in range(rng.choice((1, 1, 2))))
        return d.random_contract(rng, sellers=owners, buyers=buyers, prop=prop)
    raise ValueError(f"unknown doc_type {doc_type!r}")


def generate(
    doc_type: str,
    *,
    seed: int,
    layout: str = "classic",
    font: str | None = None,
    varied: bool = False,
) -> Sample:
    """Random facts + render, fully determined by ``seed``. ``doc_type`` is one of
    :data:`DOC_TYPES` or ``"unknown"`` (an office notice, no fields). The defaults draw the
    classic documents; ``layout``/``font`` draw the same facts another way, ``varied`` draws
    facts from the widened pools (the training family: ``synthdocs.families``)."""
    if doc_type == "unknown":
        return render_unknown(seed, seed=seed, layout=layout, font=font)
    rng = random.Random(f"{doc_type}:{seed}")
    facts = random_facts(doc_type, rng, varied=varied)
    return RENDERERS[doc_type](facts, seed=seed, layout=layout, font=font)
