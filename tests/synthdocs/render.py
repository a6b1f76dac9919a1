"""One renderer per CONTRACT §3 document type: facts in, :class:`Sample` (image + golden) out.

Layouts follow the real documents (reference: formats.md §4-§5): the resident ID card at
85.6 × 54 mm, A4 pages for contracts, certificates and powers of attorney.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from PIL import Image

from . import data as d
from .canvas import BLACK, LABEL_BLUE, Flow, Page, Sample, finish
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


def _wrap_chars(s: str, n: int) -> list[str]:
    return [s[i : i + n] for i in range(0, len(s), n)]


def render_id_card_front(
    person: d.Person, *, seed: int = 0, dpi: int = ID_CARD_DPI, printed_id: str | None = None
) -> Sample:
    """人像面. ``printed_id`` prints another number than the person's (a forged card)."""
    rng = random.Random(seed)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=False, rng=rng))
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
    fields = {
        "name": person.name,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(),
        "address": person.address,
        "id_number": printed_id or person.id_number,
    }
    return finish(
        doc_type="id_card_front", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=person
    )


def render_id_card_back(person: d.Person, *, seed: int = 0, dpi: int = ID_CARD_DPI) -> Sample:
    """国徽面: emblem, 中华人民共和国 / 居民身份证, 签发机关 and 有效期限."""
    rng = random.Random(seed)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=True, rng=rng))
    jit = rng.uniform(-0.4, 0.4) * mm
    em = emblem(round(19 * mm))
    page.paste(em, (round(5.5 * mm + jit), round(4.5 * mm + jit)), em)
    page.text(
        29 * mm + jit,
        7.0 * mm + jit,
        "中华人民共和国",
        size=round(4.3 * mm),
        face="sans_bold",
        spacing=0.35,
    )
    page.text(
        27 * mm + jit,
        15.2 * mm + jit,
        "居民身份证",
        size=round(7.2 * mm),
        face="serif_bold",
        spacing=0.45,
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
    start = f"{person.valid_from:%Y.%m.%d}"
    end = "长期" if person.valid_until is None else f"{person.valid_until:%Y.%m.%d}"
    x = 33.5 * mm + jit
    top = 43.8 * mm + jit
    b1 = page.text(x, top, start, size=value, key="valid_from")
    b2 = page.text(b1[2] + 1, top, "-", size=value)
    page.text(b2[2] + 1, top, end, size=value, key="valid_until")
    fields = {
        "issuing_authority": person.issuing_authority,
        "valid_from": person.valid_from.isoformat(),
        "valid_until": person.valid_until_text,
    }
    return finish(
        doc_type="id_card_back", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=person
    )


# ---------------------------------------------------------------------------------------------
# 不动产权证书
# ---------------------------------------------------------------------------------------------


def _a4(dpi: int, *, tone: tuple[int, int, int] = (250, 250, 247)) -> tuple[int, int, Image.Image]:
    w, h = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    return w, h, paper(w, h, tone=tone)


def render_property_certificate(prop: d.Property, *, seed: int = 0, dpi: int = PAGE_DPI) -> Sample:
    """The register page of a 不动产权证书: number line, the 权利人 … 附记 table, seal and date."""
    rng = random.Random(seed)
    w, h, base = _a4(dpi, tone=(247, 246, 236))
    mm = dpi / 25.4
    page = Page(base)
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
    fields = {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }
    return finish(
        doc_type="property_certificate", fields=fields, pages=[page], dpi=dpi, seed=seed, facts=prop
    )


# ---------------------------------------------------------------------------------------------
# 存量房买卖合同
# ---------------------------------------------------------------------------------------------


def _price_text(price: int, rng: random.Random) -> str:
    return f"{price:,}" if rng.random() < 0.4 else str(price)


def render_sale_contract(c: d.Contract, *, seed: int = 0, dpi: int = PAGE_DPI) -> Sample:
    """A two-page 存量房买卖合同 (parties, property, price on page 1; signatures, date on 2)."""
    rng = random.Random(seed)
    w, h, base = _a4(dpi)
    mm = dpi / 25.4
    size = round(3.7 * mm)
    pages = [Page(base, index=0), Page(base.copy(), index=1)]
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
    fl.para(
        [
            ("甲方房屋（以下简称该房屋）坐落于：", None),
            (c.printed_location, "location"),
            ("，建筑面积", None),
            (c.prop.area, None),
            ("平方米。", None),
        ]
    )
    cert = c.printed_certificate_number
    if rng.random() < 0.3:
        cert = _fullwidth_parens(cert)
    fl.para([("该房屋不动产权证书号：", None), (cert, "certificate_number"), ("。", None)])
    fl.para(f"该房屋不动产单元号：{c.prop.unit_number}，用途：住宅。")
    fl.para("第二条  成交价格", indent=0, face="sans_bold")
    fl.para(
        [
            ("甲、乙双方协商一致，该房屋成交价为：人民币", None),
            (_price_text(c.price, rng), "price"),
            (
                f"元（大写：{d.chinese_amount(c.price)}）。该价格包含房屋及其附属设施设备价款。",
                None,
            ),
        ]
    )
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
    for pg in pages:
        pg.text(
            w / 2 - 10 * mm,
            h - 15 * mm,
            f"第 {pg.index + 1} 页 共 2 页",
            size=round(3 * mm),
            face="serif",
        )
    fields = {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }
    return finish(doc_type="sale_contract", fields=fields, pages=pages, dpi=dpi, seed=seed, facts=c)


RENDERERS: dict[str, Callable[..., Sample]] = {
    "id_card_front": render_id_card_front,
    "id_card_back": render_id_card_back,
    "property_certificate": render_property_certificate,
    "sale_contract": render_sale_contract,
}


def random_facts(doc_type: str, rng: random.Random) -> Any:
    """Random facts of the kind ``doc_type`` renders."""
    if doc_type in ("id_card_front", "id_card_back"):
        return d.random_person(rng)
    owners = tuple(d.random_person(rng) for _ in range(rng.choice((1, 1, 2))))
    prop = d.random_property(rng, owners=owners)
    if doc_type == "property_certificate":
        return prop
    if doc_type == "sale_contract":
        buyers = tuple(d.random_person(rng) for _ in range(rng.choice((1, 1, 2))))
        return d.random_contract(rng, sellers=owners, buyers=buyers, prop=prop)
    raise ValueError(f"unknown doc_type {doc_type!r}")


def generate(doc_type: str, *, seed: int) -> Sample:
    """Random facts + render, fully determined by ``seed``."""
    rng = random.Random(f"{doc_type}:{seed}")
    facts = random_facts(doc_type, rng)
    return RENDERERS[doc_type](facts, seed=seed)
