"""The documents of the fourth held-out family, each in two or more layouts."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PIL import Image, ImageDraw

from .. import data as d
from ..canvas import Box, Mark, Sample, finish
from .faces import DIGITS, HAND_CHAINS, PRINT_CHAINS, font, pick
from .ink import INK, RED, Flow, Sheet, Span, fingerprint, seal, signature

LAYOUTS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("card", "a4_copy"),
    "id_card_back": ("card", "a4_copy"),
    "property_certificate": ("booklet", "spread"),
    "sale_contract": ("clauses", "table"),
    "marriage_certificate": ("inner", "stacked"),
    "household_register": ("pages", "table"),
    "power_of_attorney": ("letter", "form"),
    "business_license": ("original", "copy"),
    "unknown": ("bill", "notice"),
}
DPI = 150
A4 = (1240, 1754)


def fmt_date(x: date, style: str) -> str:
    if style == "cn":
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    if style == "cn1":
        return f"{x.year}年{x.month}月{x.day}日"
    if style == "dot":
        return f"{x.year}.{x.month:02d}.{x.day:02d}"
    if style == "slash":
        return f"{x.year}/{x.month:02d}/{x.day:02d}"
    return x.isoformat()


def _cert_text(number: str, rng: random.Random) -> str:
    return number.replace("(", "（").replace(")", "）") if rng.random() < 0.6 else number


def _chains(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(label chain, value chain) of one document."""
    label = PRINT_CHAINS[rng.choice(("ming", "mincho", "gothic", "hangul", "kai"))]
    value = PRINT_CHAINS[rng.choice(("ming", "mincho", "gothic", "round", "dot"))]
    return label, value


def _row(
    sh: Sheet,
    x0: float,
    x1: float,
    y: float,
    label: str,
    segs: Sequence[Span] | str,
    *,
    lw: float,
    size: int,
    chain: Sequence[str],
    lchain: Sequence[str],
    rng: random.Random,
    min_h: float = 0,
    lsize: int | None = None,
) -> float:
    """A table row: label cell and value cell (wrapped); returns the row's bottom."""
    pad = size * 0.5
    spans = segs if not isinstance(segs, str) else [(segs, None, "p")]
    # centre the value in a cell taller than its lines (an estimate of how many it takes)
    width = sum(sh.width(t, size=size, chain=chain) for t, _k, _m in spans if t)
    lines = max(1, math.ceil(width / max(1.0, x1 - x0 - lw - 2 * pad - size)))
    need = lines * size * 1.45 - size * 0.45 + 2 * pad
    off = max(0.0, (min_h - need) / 2) if lines == 1 else 0.0
    fl = Flow(sh, x0 + lw + pad, x1 - pad, y + pad + off, size, chain, rng, leading=1.45)
    fl.para(spans, indent=0)
    h = max(min_h, fl.y - y + pad - size * 0.45, size * 2.1)
    ls = lsize or size
    lwid = sh.width(label, size=ls, chain=lchain)
    if lwid > lw - pad:
        sh.wrap(x0 + pad, x0 + lw - pad, y + pad, label, size=ls, chain=lchain)
    else:
        sp = (lw - 2 * pad - lwid) / max(1, len(label) - 1) / ls if len(label) <= 4 else 0
        sh.run(x0 + pad, y + (h - ls) / 2, label, size=ls, chain=lchain, spacing=min(sp, 1.0))
    sh.rect((x0, y, x1, y + h), width=2)
    sh.line((x0 + lw, y, x0 + lw, y + h), width=1)
    return y + h


def _done(
    doc_type: str,
    fields: dict[str, Any],
    sheets: Sequence[Sheet],
    *,
    seed: int,
    facts: Any,
    layout: str,
    dpi: int = DPI,
) -> Sample:
    s = finish(
        doc_type=doc_type,
        fields=fields,
        pages=list(sheets),
        dpi=dpi,
        seed=seed,
        facts=facts,
        layout=layout,
    )
    return s.with_(marks=tuple(m for sh in sheets for m in sh.marks))


def _paste(dst: Sheet, src: Sheet, x: int, y: int, scale: float, *, grey: bool = False) -> None:
    """``src`` drawn into ``dst`` at (x, y) scaled, its golden boxes and marks with it."""
    w, h = round(src.img.width * scale), round(src.img.height * scale)
    im = src.img.resize((w, h), Image.LANCZOS)
    if grey:
        im = im.convert("L").point(lambda v: min(255, int(v * 1.08))).convert("RGB")
    dst.img.paste(im, (x, y))
    dst.draw = ImageDraw.Draw(dst.img)

    def tr(b: Box) -> Box:
        return (
            x + math.floor(b[0] * scale),
            y + math.floor(b[1] * scale),
            x + math.ceil(b[2] * scale),
            y + math.ceil(b[3] * scale),
        )

    for k, bs in src.boxes.items():
        for b in bs:
            dst.mark(k, tr(b))
    for m in src.marks:
        dst.marks.append(
            Mark(m.kind, m.place, dst.index, tr(m.box), m.present, grey, m.org, m.expected_org)
        )


def _silhouette(sh: Sheet, box: tuple[int, int, int, int], bg: tuple[int, int, int]) -> None:
    x0, y0, x1, y1 = box
    sh.rect(box, outline=(150, 150, 150), fill=bg)
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    sh.draw.ellipse((cx - w * 0.2, y0 + h * 0.15, cx + w * 0.2, y0 + h * 0.55), fill=(95, 95, 100))
    sh.draw.chord(
        (x0 + w * 0.08, y0 + h * 0.58, x1 - w * 0.08, y1 + h * 0.4), 180, 360, fill=(80, 80, 90)
    )


def _place_seal(
    sh: Sheet,
    cx: float,
    cy: float,
    r: float,
    *,
    org: str,
    expected: str,
    place: str,
    rng: random.Random,
    bottom: str = "",
    shape: str | None = None,
) -> None:
    shape = shape or rng.choice(("round", "round", "round", "oval", "square"))
    b = seal(sh, cx, cy, r, org, rng, bottom=bottom, shape=shape)
    sh.marks.append(Mark("seal", place, sh.index, b, True, False, org, expected))


def _sign_place(
    sh: Sheet,
    x: float,
    y: float,
    name: str,
    place: str,
    *,
    signed: bool,
    rng: random.Random,
    size: int,
    thumb: bool,
) -> None:
    """A signature place at (x, y) (top-left of the area), with a fingerprint if ``thumb``."""
    area = (int(x), int(y - size * 0.4), int(x + size * (len(name) + 2.5)), int(y + size * 1.6))
    if signed:
        b = signature(sh, x, y, name, size, rng)
        sh.marks.append(Mark("signature", place, sh.index, b, True))
    else:
        sh.marks.append(Mark("signature", place, sh.index, area, False))
    if thumb:
        fx = x + size * (len(name) * 0.72 + 2.3)
        if signed:
            b = fingerprint(sh, fx, y + size * 0.55, size * 1.3, rng)
            sh.marks.append(Mark("fingerprint", place, sh.index, b, True))
        else:
            fb = (
                int(fx - size * 0.6),
                int(y - size * 0.2),
                int(fx + size * 0.6),
                int(y + size * 1.3),
            )
            sh.marks.append(Mark("fingerprint", place, sh.index, fb, False))


# ID cards -----------------------------------------------------------------------------------------

CARD = (1012, 638)


def _card_ground(sh: Sheet, rng: random.Random, tint: tuple[int, int, int]) -> None:
    w, h = sh.img.size
    for i in range(0, h + w, 9):
        a = rng.uniform(0, 6)
        pts = [(x, i - x * 0.35 + 7 * math.sin(x / 37 + a)) for x in range(0, w, 12)]
        sh.draw.line(pts, fill=tint, width=1)
    for r in range(60, 420, 22):
        sh.draw.ellipse(
            (w * 0.6 - r, h * 0.6 - r * 0.7, w * 0.6 + r, h * 0.6 + r * 0.7), outline=tint
        )
    sh.draw.rounded_rectangle((2, 2, w - 3, h - 3), radius=34, outline=(190, 195, 195), width=2)


def _id_front_card(p: d.Person, rng: random.Random) -> Sheet:
    sh = Sheet(*CARD, paper=(238, 241, 236))
    _card_ground(sh, rng, (219, 229, 226))
    lab = (58, 120, 160)
    lchain = PRINT_CHAINS[rng.choice(("gothic", "hangul"))]
    vchain = PRINT_CHAINS[rng.choice(("ming", "mincho", "kai"))]
    nchain = DIGITS[rng.choice(("ocrish", "gothic"))]
    ls, vs = 27, 33
    xl, xv = 64, 170
    sh.run(xl, 74, "姓名", size=ls, chain=lchain, fill=lab, spacing=0.9)
    sh.run(xv, 68, p.name, size=vs + 4, chain=vchain, key="name", spacing=0.08)
    sh.run(xl, 150, "性别", size=ls, chain=lchain, fill=lab, spacing=0.9)
    sh.run(xv, 146, p.sex, size=vs, chain=vchain, key="sex")
    sh.run(xv + 150, 150, "民族", size=ls, chain=lchain, fill=lab, spacing=0.9)
    sh.run(xv + 262, 146, p.ethnicity, size=vs, chain=vchain, key="ethnicity")
    sh.run(xl, 222, "出生", size=ls, chain=lchain, fill=lab, spacing=0.9)
    b = p.birth_date
    x = xv
    for val, unit in ((str(b.year), "年"), (str(b.month), "月"), (str(b.day), "日")):
        bx = sh.run(x, 218, val, size=vs, chain=vchain, key="birth_date")
        x = bx[2] + 10
        bx = sh.run(x, 222, unit, size=ls, chain=lchain, fill=lab)
        x = bx[2] + 16
    sh.run(xl, 296, "住址", size=ls, chain=lchain, fill=lab, spacing=0.9)
    sh.wrap(xv, xv + 11.2 * vs, 292, p.address, size=vs, chain=vchain, key="address", leading=1.42)
    sh.run(xl, 540, "公民身份号码", size=ls, chain=lchain, fill=lab, spacing=0.12)
    sh.run(330, 532, p.id_number, size=38, chain=nchain, key="id_number", spacing=0.16)
    _silhouette(sh, (660, 86, 940, 440), (226, 232, 234))
    return sh


def _id_back_card(p: d.Person, rng: random.Random) -> Sheet:
    sh = Sheet(*CARD, paper=(240, 238, 232))
    _card_ground(sh, rng, (232, 222, 214))
    lab = (70, 70, 70)
    tchain = PRINT_CHAINS[rng.choice(("gothic", "ming"))]
    vchain = PRINT_CHAINS[rng.choice(("ming", "mincho", "gothic"))]
    # the emblem: a red disc with gold stars
    cx, cy, r = 150, 150, 90
    sh.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(200, 40, 35))
    for i, (dx, dy, rr) in enumerate(
        ((-35, -30, 26), (18, -58, 10), (38, -35, 10), (40, -5, 10), (20, 18, 10))
    ):
        pts = []
        for k in range(10):
            rad = rr if k % 2 == 0 else rr * 0.4
            a = -math.pi / 2 + k * math.pi / 5 + i * 0.3
            pts.append((cx + dx + rad * math.cos(a), cy + dy + rad * math.sin(a)))
        sh.draw.polygon(pts, fill=(250, 205, 60))
    sh.draw.ellipse((cx - 60, cy + 25, cx + 60, cy + 75), outline=(250, 205, 60), width=4)
    sh.run(300, 96, "中华人民共和国", size=52, chain=tchain, fill=(40, 40, 40), spacing=0.35)
    sh.run(340, 190, "居民身份证", size=74, chain=tchain, fill=(40, 40, 40), spacing=0.4)
    sh.run(200, 440, "签发机关", size=28, chain=tchain, fill=lab, spacing=0.3)
    sh.wrap(380, 960, 436, p.issuing_authority, size=31, chain=vchain, key="issuing_authority")
    sh.run(200, 522, "有效期限", size=28, chain=tchain, fill=lab, spacing=0.3)
    st = rng.choice(("dot", "dot", "dash"))
    b = sh.run(380, 518, fmt_date(p.valid_from, st), size=31, chain=vchain, key="valid_from")
    b = sh.run(b[2] + 4, 518, "-", size=31, chain=vchain)
    until = "长期" if p.valid_until is None else fmt_date(p.valid_until, st)
    sh.run(b[2] + 4, 518, until, size=31, chain=vchain, key="valid_until")
    return sh


def _on_a4(card: Sheet, rng: random.Random, note: bool) -> Sheet:
    sh = Sheet(*A4, paper=(250, 250, 248))
    scale = rng.uniform(0.82, 1.0)
    x = int((A4[0] - CARD[0] * scale) / 2 + rng.randint(-60, 60))
    y = rng.randint(140, 420)
    _paste(sh, card, x, y, scale, grey=rng.random() < 0.7)
    if note:
        ny = y + int(CARD[1] * scale) + 90
        text = rng.choice(
            ("此复印件仅供办理房屋转移登记使用", "本复印件与原件一致，仅供不动产交易使用")
        )
        sh.hand(x + 30, ny, text, size=34, rng=rng, chain=HAND_CHAINS["pen"])
        sh.hand(x + 30, ny + 70, fmt_date(d.REFERENCE_DATE, "cn1"), size=30, rng=rng)
    return sh


def id_card_front(p: d.Person, *, seed: int, layout: str, rng: random.Random) -> Sample:
    card = _id_front_card(p, rng)
    sh = card if layout == "card" else _on_a4(card, rng, note=True)
    fields = {
        "name": p.name,
        "sex": p.sex,
        "ethnicity": p.ethnicity,
        "birth_date": p.birth_date.isoformat(),
        "address": p.address,
        "id_number": p.id_number,
    }
    dpi = 300 if layout == "card" else DPI
    return _done("id_card_front", fields, [sh], seed=seed, facts=p, layout=layout, dpi=dpi)


def id_card_back(p: d.Person, *, seed: int, layout: str, rng: random.Random) -> Sample:
    card = _id_back_card(p, rng)
    sh = card if layout == "card" else _on_a4(card, rng, note=rng.random() < 0.6)
    fields = {
        "issuing_authority": p.issuing_authority,
        "valid_from": p.valid_from.isoformat(),
        "valid_until": p.valid_until_text,
    }
    dpi = 300 if layout == "card" else DPI
    return _done("id_card_back", fields, [sh], seed=seed, facts=p, layout=layout, dpi=dpi)


# property certificate -----------------------------------------------------------------------------


def registry_organ(prop: d.Property) -> str:
    return f"{prop.registry}自然资源和规划局"


def _cert_registry_page(
    sh: Sheet, x0: int, x1: int, prop: d.Property, rng: random.Random, seal_org: str | None
) -> None:
    lchain, _ = _chains(rng)
    h = sh.img.height
    fl = Flow(sh, x0 + 60, x1 - 60, h * 0.18, 27, lchain, rng, leading=2.0)
    fl.para(
        "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人"
        "申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。"
    )
    y = h * 0.62
    sh.run(x1 - 380, y, "登记机构（章）", size=28, chain=lchain)
    sh.run(x1 - 380, y + 70, fmt_date(prop.registered_on, "cn"), size=28, chain=lchain)
    expected = registry_organ(prop)
    _place_seal(
        sh,
        x1 - 260 + rng.randint(-30, 30),
        y + 40 + rng.randint(-20, 20),
        115,
        org=seal_org or expected,
        expected=expected,
        place="registry",
        rng=rng,
        bottom="不动产登记专用章",
        shape="round",
    )
    sh.run(x0 + 80, h * 0.88, "中华人民共和国自然资源部监制", size=22, chain=lchain)
    sh.run(
        x1 - 360,
        h * 0.88,
        f"编号 NO {prop.print_serial[1:]}",
        size=22,
        chain=DIGITS["mincho"],
        fill=RED,
    )


def _cert_table_page(sh: Sheet, x0: int, x1: int, prop: d.Property, rng: random.Random) -> None:
    lchain, vchain = _chains(rng)
    size = 24
    sh.run(
        x0,
        90,
        _cert_text(prop.certificate_number, rng),
        size=28,
        chain=vchain,
        key="certificate_number",
    )
    owner_label = rng.choice(("权利人", "所有权人", "不动产权利人"))
    loc_label = rng.choice(("坐落", "房地坐落", "不动产坐落"))
    segs: list[Span] = []
    for i, o in enumerate(prop.owners):
        if i:
            segs.append(("、", None, "p"))
        segs.append((o.name, f"owners[{i}]", "p"))
    unit = prop.unit_number
    if rng.random() < 0.4:
        unit = f"{unit[:6]} {unit[6:12]} {unit[12:19]} {unit[19:]}"
    area_segs: list[Span] = []
    if rng.random() < 0.5:
        area_segs += [
            ("共有宗地面积", None, "p"),
            (prop.land_area, None, "p"),
            ("㎡/房屋建筑面积", None, "p"),
        ]
    else:
        area_segs += [("建筑面积", None, "p")]
    area_segs += [(prop.area, "area", "p"), (rng.choice(("㎡", "平方米")), None, "p")]
    rows: list[tuple[str, Sequence[Span]]] = [
        (owner_label, segs),
        ("共有情况", [(prop.co_ownership, "co_ownership", "p")]),
        (loc_label, [(prop.location, "location", "p")]),
        ("不动产单元号", [(unit, "unit_number", "p")]),
        ("权利类型", [(prop.right_type, None, "p")]),
        ("权利性质", [(prop.right_nature, None, "p")]),
        ("用途", [(prop.use, None, "p")]),
        ("面积", area_segs),
        ("使用期限", [(prop.term, None, "p")]),
        (
            "权利其他状况",
            [
                (
                    f"专有建筑面积：{float(prop.area) * 0.82:.2f}㎡，分摊建筑面积："
                    f"{float(prop.area) * 0.18:.2f}㎡；房屋结构：钢筋混凝土结构；"
                    f"房屋总层数：{rng.randint(6, 33)}层",
                    None,
                    "p",
                )
            ],
        ),
    ]
    if rng.random() < 0.4:
        rows.reverse()
        rows = rows[::-1]
    y = 160.0
    lw = 190
    for label, vs in rows:
        y = _row(
            sh,
            x0,
            x1,
            y,
            label,
            vs,
            lw=lw,
            size=size,
            chain=vchain,
            lchain=lchain,
            rng=rng,
            min_h=64,
        )
    y = _row(
        sh,
        x0,
        x1,
        y,
        "附记",
        [("", None, "p")],
        lw=lw,
        size=size,
        chain=vchain,
        lchain=lchain,
        rng=rng,
        min_h=220,
    )


def property_certificate(
    prop: d.Property, *, seed: int, layout: str, rng: random.Random, seal_org: str | None = None
) -> Sample:
    paper = (250, 248, 240)
    if layout == "spread":
        sh = Sheet(2200, 1560, paper=paper)
        sh.line((1100, 0, 1100, 1560), fill=(200, 195, 185), width=3)
        _cert_registry_page(sh, 0, 1100, prop, rng, seal_org)
        _cert_table_page(sh, 1150, 2150, prop, rng)
        sheets = [sh]
    else:
        p0 = Sheet(1150, 1600, index=0, paper=paper)
        _cert_registry_page(p0, 0, 1150, prop, rng, seal_org)
        p1 = Sheet(1150, 1600, index=1, paper=paper)
        _cert_table_page(p1, 70, 1080, prop, rng)
        sheets = [p0, p1]
    fields = {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }
    return _done("property_certificate", fields, sheets, seed=seed, facts=prop, layout=layout)


# sale contract ------------------------------------------------------------------------------------


def _contract_fields(c: d.Contract) -> dict[str, Any]:
    return {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }


def _sign_block(
    sh: Sheet,
    y: float,
    c: d.Contract,
    signed: Sequence[bool],
    agent: d.Person | None,
    rng: random.Random,
    lchain: Sequence[str],
    thumb: bool,
    size: int = 26,
) -> float:
    x_l, x_r = 120, 660
    parties = [("seller", i, p) for i, p in enumerate(c.sellers)]
    parties += [("buyer", j, p) for j, p in enumerate(c.buyers)]
    col_y = {"seller": y, "buyer": y}
    for k, (role, i, p) in enumerate(parties):
        x = x_l if role == "seller" else x_r
        yy = col_y[role]
        label = ("出卖人" if role == "seller" else "买受人") + (
            "（签字/捺印）：" if thumb else "（签字）："
        )
        sh.run(x, yy, label, size=size, chain=lchain)
        _sign_place(
            sh,
            x + 30,
            yy + size * 1.8,
            p.name,
            f"{role}[{i}]",
            signed=signed[k],
            rng=rng,
            size=size + 8,
            thumb=thumb,
        )
        col_y[role] = yy + size * 5
    y = max(col_y.values())
    if agent is not None:
        sh.run(x_l, y, "委托代理人（签字）：", size=size, chain=lchain)
        b = signature(sh, x_l + 300, y - 6, agent.name, size + 6, rng)
        sh.marks.append(Mark("signature", "agent", sh.index, b, True))
        y += size * 3.5
    return y


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
) -> Sample:
    n = len(c.sellers) + len(c.buyers)
    signed = list(signed) if signed is not None else [True] * n
    lchain, vchain = _chains(rng)
    hand = HAND_CHAINS[rng.choice(("pen", "kiloji", "seto"))]
    city = c.prop.registry if c.prop.registry.endswith("市") else "浙江省"
    date_st = rng.choice(("cn", "cn1"))
    price = str(c.price)
    cert = _cert_text(c.printed_certificate_number, rng)
    if layout == "clauses":
        p0 = Sheet(*A4, index=0)
        sh = p0
        sh.run(0, 0, " ", size=10, chain=lchain)
        t = f"{city}存量房买卖合同"
        tw = sh.width(t, size=46, chain=lchain, spacing=0.15)
        sh.run((A4[0] - tw) / 2, 110, t, size=46, chain=lchain, spacing=0.15)
        sh.run(820, 200, f"合同编号：{c.number}", size=22, chain=lchain)
        fl = Flow(sh, 110, 1130, 270, 25, lchain, rng, hand_chain=hand, leading=1.95)
        for role, people, label in (
            ("sellers", c.sellers, "出卖人（甲方）："),
            ("buyers", c.buyers, "买受人（乙方）："),
        ):
            for i, p in enumerate(people):
                fl.para([(label, None, "p"), (p.name, f"{role}[{i}].name", "h")], indent=0)
                fl.para(
                    [
                        (rng.choice(("身份证号码：", "证件号码：", "公民身份号码：")), None, "p"),
                        (c.printed_id(p), f"{role}[{i}].id_number", "h"),
                    ],
                    indent=2,
                )
            fl.gap(0.4)
        if agent is not None:
            fl.para(
                [
                    ("甲方委托代理人：", None, "p"),
                    (agent.name, None, "h"),
                    ("，证件号码：", None, "p"),
                    (agent.id_number, None, "h"),
                ],
                indent=0,
            )
        fl.gap(0.5)
        fl.para(
            "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规之规定，"
            "甲、乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方存量房屋事宜达成如下协议："
        )
        fl.para(
            [
                ("第一条 甲方自愿将坐落于", None, "p"),
                (c.printed_location, "location", "h"),
                ("的房屋出售给乙方。该房屋不动产权证书号为", None, "p"),
                (cert, "certificate_number", "h"),
                ("，建筑面积", None, "p"),
                (c.prop.area, None, "h"),
                ("平方米，用途为住宅。", None, "p"),
            ]
        )
        fl.para(
            [
                ("第二条 经双方协商，该房屋成交价格为人民币（小写）", None, "p"),
                (price, "price", "h"),
                ("元（大写：", None, "p"),
                (d.chinese_amount(c.price), None, "h"),
                ("）。", None, "p"),
            ]
        )
        fl.para(
            [
                ("第三条 乙方于本合同签订之日向甲方支付定金人民币", None, "p"),
                (str(c.deposit), None, "h"),
                ("元，余款通过资金监管账户划转。", None, "p"),
            ]
        )
        p1 = Sheet(*A4, index=1)
        fl2 = Flow(p1, 110, 1130, 110, 25, lchain, rng, hand_chain=hand, leading=1.95)
        fl2.para(
            [
                ("第四条 甲方应于", None, "p"),
                (fmt_date(c.handover_date, "cn1"), None, "h"),
                ("前将该房屋交付乙方，并结清水、电、燃气、物业等费用。", None, "p"),
            ]
        )
        fl2.para(
            "第五条 甲方保证该房屋权属清楚，无查封、抵押等权利限制；"
            "如有纠纷，由甲方负责处理并承担相应责任。"
        )
        fl2.para("第六条 交易税费由甲、乙双方按国家及本市有关规定各自承担。")
        fl2.para("第七条 任何一方违约，应向守约方支付成交价百分之二十的违约金。")
        fl2.para(
            "第八条 本合同自双方签字之日起生效。本合同一式四份，"
            "甲、乙双方各执一份，登记机构留存二份。"
        )
        fl2.gap(1.5)
        y = _sign_block(p1, fl2.y, c, signed, agent, rng, lchain, thumb=True)
        p1.run(120, y + 40, "签订日期：", size=26, chain=lchain)
        p1.hand(
            270,
            y + 36,
            fmt_date(c.signed_date, date_st),
            size=28,
            rng=rng,
            chain=hand,
            key="signed_date",
        )
        sheets = [p0, p1]
    else:
        p0 = Sheet(*A4, index=0)
        sh = p0
        t = rng.choice(("二手房买卖合同", "存量房屋买卖合同"))
        tw = sh.width(t, size=44, chain=lchain, spacing=0.2)
        sh.run((A4[0] - tw) / 2, 100, t, size=44, chain=lchain, spacing=0.2)
        sh.run(110, 190, f"编号：{c.number}", size=22, chain=lchain)
        x0, xm, x1 = 100, 620, 1140
        y = 240.0
        sh.rect((x0, y, x1, y + 56), width=2)
        sh.line((xm, y, xm, y + 56), width=1)
        sh.run(x0 + 20, y + 14, "甲方（出卖人）", size=26, chain=lchain)
        sh.run(xm + 20, y + 14, "乙方（买受人）", size=26, chain=lchain)
        y += 56
        size = 23
        for k in range(max(len(c.sellers), len(c.buyers))):
            bottoms = []
            for role, people, xa, xb in (
                ("sellers", c.sellers, x0, xm),
                ("buyers", c.buyers, xm, x1),
            ):
                if k >= len(people):
                    bottoms.append(y + 100)
                    continue
                p = people[k]
                fl = Flow(sh, xa + 16, xb - 12, y + 14, size, vchain, rng, leading=1.6)
                fl.para([("姓名：", None, "p"), (p.name, f"{role}[{k}].name", "p")], indent=0)
                fl.para(
                    [("证件号码：", None, "p"), (c.printed_id(p), f"{role}[{k}].id_number", "p")],
                    indent=0,
                )
                fl.para(
                    [
                        ("联系电话：", None, "p"),
                        (f"1{rng.randint(3, 9)}{rng.randint(0, 999999999):09d}", None, "p"),
                    ],
                    indent=0,
                )
                bottoms.append(fl.y + 6)
            yb = max(bottoms)
            sh.rect((x0, y, x1, yb), width=2)
            sh.line((xm, y, xm, yb), width=1)
            y = yb
        y += 40
        sh.run(x0, y, "一、房屋基本情况", size=26, chain=lchain)
        y += 50
        rows: list[tuple[str, Sequence[Span]]] = [
            (rng.choice(("房屋坐落", "坐落", "房屋地址")), [(c.printed_location, "location", "p")]),
            ("不动产权证号", [(cert, "certificate_number", "p")]),
            ("建筑面积", [(c.prop.area, None, "p"), ("平方米", None, "p")]),
            (
                "成交总价",
                [
                    ("人民币", None, "p"),
                    (price, "price", "p"),
                    ("元（大写：" + d.chinese_amount(c.price) + "）", None, "p"),
                ],
            ),
        ]
        for label, vs in rows:
            y = _row(
                sh,
                x0,
                x1,
                y,
                label,
                vs,
                lw=210,
                size=size,
                chain=vchain,
                lchain=lchain,
                rng=rng,
                min_h=60,
            )
        fl = Flow(sh, x0, x1, y + 40, 24, lchain, rng, leading=1.9)
        fl.para(
            "二、付款方式：乙方通过资金监管方式支付房款，甲方收到全部房款后协助乙方办理转移登记。"
        )
        fl.para("三、税费承担：交易过程中产生的税费由双方依法各自承担。")
        fl.para("四、本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。")
        p1 = Sheet(*A4, index=1)
        fl2 = Flow(p1, x0, x1, 120, 24, lchain, rng, leading=1.9)
        fl2.para(
            "五、违约责任：甲方逾期交房或乙方逾期付款的，每逾期一日按成交总价的万分之五支付违约金。"
        )
        fl2.para(
            "六、争议解决：因本合同发生争议，双方协商解决；协商不成的，向房屋所在地人民法院起诉。"
        )
        fl2.gap(1.2)
        thumb = rng.random() < 0.6
        y = _sign_block(p1, fl2.y, c, signed, agent, rng, lchain, thumb=thumb)
        p1.run(120, y + 40, "签约日期：", size=26, chain=lchain)
        p1.run(
            270, y + 40, fmt_date(c.signed_date, date_st), size=26, chain=vchain, key="signed_date"
        )
        sheets = [p0, p1]
    return _done("sale_contract", _contract_fields(c), sheets, seed=seed, facts=c, layout=layout)


# marriage certificate -----------------------------------------------------------------------------


def _spouse_block(
    sh: Sheet, x: int, y: float, p: d.Person, i: int, rng, lchain, vchain, size: int = 24
) -> float:
    lab = (90, 60, 60)
    sh.run(x, y, "姓名", size=size, chain=lchain, fill=lab)
    sh.run(x + 90, y, p.name, size=size + 2, chain=vchain, key=f"spouses[{i}].name")
    sh.run(x + 300, y, "性别", size=size, chain=lchain, fill=lab)
    sh.run(x + 380, y, p.sex, size=size, chain=vchain)
    y += size * 1.9
    sh.run(x, y, "国籍", size=size, chain=lchain, fill=lab)
    sh.run(x + 90, y, "中国", size=size, chain=vchain)
    sh.run(x + 300, y, "出生日期", size=size, chain=lchain, fill=lab)
    sh.run(x + 420, y, fmt_date(p.birth_date, "cn"), size=size, chain=vchain)
    y += size * 1.9
    sh.run(x, y, rng.choice(("身份证件号", "身份证号")), size=size, chain=lchain, fill=lab)
    sh.run(x + 160, y, p.id_number, size=size + 2, chain=vchain, key=f"spouses[{i}].id_number")
    return y + size * 2.4


def marriage_certificate(m: d.Marriage, *, seed: int, layout: str, rng: random.Random) -> Sample:
    lchain, vchain = _chains(rng)
    paper = (253, 246, 240)
    lab = (90, 60, 60)
    reg = fmt_date(m.registration_date, rng.choice(("cn", "cn1")))
    if layout == "inner":
        sh = Sheet(1500, 1000, paper=paper)
        sh.rect((20, 20, 1480, 980), outline=(200, 120, 110), width=3)
        y = 120.0
        for label, val, key in (
            ("持证人", m.holder.name, "holder"),
            ("登记日期", reg, "registration_date"),
            ("结婚证字号", m.certificate_number, "certificate_number"),
            ("备注", "", None),
        ):
            sh.run(80, y, label, size=28, chain=lchain, fill=lab)
            if val:
                sh.run(260, y - 2, val, size=28, chain=vchain, key=key)
            sh.line((255, y + 40, 700, y + 40), fill=(200, 160, 150))
            y += 120
        sh.run(80, 760, "登记机关", size=24, chain=lchain, fill=lab)
        sh.run(200, 760, m.authority, size=24, chain=vchain)
        _place_seal(
            sh,
            420,
            620,
            105,
            org=m.authority,
            expected=m.authority,
            place="registry",
            rng=rng,
            bottom="婚姻登记专用章",
            shape="round",
        )
        _silhouette(sh, (800, 80, 1080, 400), (200, 40, 40))
        _silhouette(sh, (1080, 80, 1360, 400), (200, 40, 40))
        y = 460.0
        for i, p in enumerate((m.holder, m.spouse)):
            y = _spouse_block(sh, 790, y, p, i, rng, lchain, vchain)
        sheets = [sh]
    else:
        sh = Sheet(1100, 1560, paper=paper)
        sh.rect((30, 30, 1070, 1530), outline=(200, 120, 110), width=3)
        t = "结婚证"
        sh.run(430, 70, t, size=64, chain=lchain, fill=(180, 30, 30), spacing=0.3)
        _silhouette(sh, (290, 200, 550, 500), (200, 40, 40))
        _silhouette(sh, (550, 200, 810, 500), (200, 40, 40))
        y = 560.0
        for i, p in enumerate((m.holder, m.spouse)):
            y = _spouse_block(sh, 120, y, p, i, rng, lchain, vchain, size=26)
        y += 20
        for label, val, key in (
            ("持证人", m.holder.name, "holder"),
            ("登记日期", reg, "registration_date"),
            ("结婚证字号", m.certificate_number, "certificate_number"),
        ):
            sh.run(120, y, label, size=28, chain=lchain, fill=lab)
            sh.run(300, y - 2, val, size=28, chain=vchain, key=key)
            y += 80
        sh.run(120, y + 20, "登记机关：" + m.authority, size=24, chain=lchain)
        _place_seal(
            sh,
            760,
            y - 60,
            110,
            org=m.authority,
            expected=m.authority,
            place="registry",
            rng=rng,
            bottom="婚姻登记专用章",
        )
        sheets = [sh]
    fields = {
        "holder": m.holder.name,
        "registration_date": m.registration_date.isoformat(),
        "certificate_number": m.certificate_number,
        "spouses": [{"name": p.name, "id_number": p.id_number} for p in (m.holder, m.spouse)],
    }
    return _done("marriage_certificate", fields, sheets, seed=seed, facts=m, layout=layout)


# household register -------------------------------------------------------------------------------


def _hh_home(sh: Sheet, hh: d.Household, rng, lchain, vchain, x0: int, x1: int, y: float) -> float:
    head = hh.members[0][0]
    w = x1 - x0
    rows: list[tuple[str, Sequence[Span]]] = [
        ("户别", [(hh.kind, None, "p")]),
        ("户主姓名", [(head.name, None, "p")]),
        ("户号", [(hh.household_number, None, "p")]),
        (rng.choice(("住址", "住 址", "户籍地址")), [(hh.address, "address", "p")]),
    ]
    for label, vs in rows:
        y = _row(
            sh,
            x0,
            x1,
            y,
            label,
            vs,
            lw=min(200, w * 0.25),
            size=24,
            chain=vchain,
            lchain=lchain,
            rng=rng,
            min_h=62,
        )
    y += 40
    sh.run(x0 + 20, y, "户口登记机关", size=24, chain=lchain)
    sh.run(
        x0 + 20,
        y + 60,
        "签发日期：" + fmt_date(d.REFERENCE_DATE.replace(year=2019 + rng.randint(0, 5)), "cn"),
        size=24,
        chain=lchain,
    )
    _place_seal(
        sh,
        x0 + 330,
        y + 40,
        100,
        org=hh.authority,
        expected=hh.authority,
        place="registry",
        rng=rng,
        bottom="户口专用章",
    )
    return y + 160


def household_register(hh: d.Household, *, seed: int, layout: str, rng: random.Random) -> Sample:
    lchain, vchain = _chains(rng)
    paper = (246, 243, 232)
    if layout == "pages":
        p0 = Sheet(1240, 900, index=0, paper=paper)
        t = "常住人口登记卡" if rng.random() < 0.3 else "户口簿"
        p0.run(480, 50, t, size=40, chain=lchain, spacing=0.3)
        _hh_home(p0, hh, rng, lchain, vchain, 80, 1160, 140)
        sheets = [p0]
        for i, (p, rel) in enumerate(hh.members):
            sh = Sheet(1240, 900, index=i + 1, paper=paper)
            sh.run(460, 40, "常住人口登记卡", size=36, chain=lchain, spacing=0.2)
            y = 110.0
            rows: list[tuple[str, Sequence[Span]]] = [
                ("姓名", [(p.name, f"members[{i}].name", "p")]),
                ("户主或与户主关系", [(rel, f"members[{i}].relation", "p")]),
                ("性别", [(p.sex, None, "p")]),
                ("民族", [(p.ethnicity + "族", None, "p")]),
                ("出生日期", [(fmt_date(p.birth_date, "cn"), None, "p")]),
                (
                    rng.choice(("公民身份号码", "公民身份证件编号", "身份证号码")),
                    [(p.id_number, f"members[{i}].id_number", "p")],
                ),
                ("出生地", [(p.address[:6], None, "p")]),
                ("何时由何地迁来本址", [("", None, "p")]),
            ]
            for label, vs in rows:
                y = _row(
                    sh,
                    70,
                    1170,
                    y,
                    label,
                    vs,
                    lw=280,
                    size=24,
                    chain=vchain,
                    lchain=lchain,
                    rng=rng,
                    min_h=62,
                    lsize=22,
                )
            sh.run(800, 820, "承办人签章：", size=22, chain=lchain)
            sheets.append(sh)
    else:
        sh = Sheet(1754, 1240, paper=paper)
        sh.run(720, 50, "户口簿", size=44, chain=lchain, spacing=0.5)
        y = _hh_home(sh, hh, rng, lchain, vchain, 80, 1674, 140) + 10
        cols = (
            ("姓名", 220),
            ("与户主关系", 180),
            ("性别", 90),
            ("出生日期", 260),
            ("公民身份号码", 460),
            ("民族", 110),
        )
        x = 80
        xs = []
        for _, w in cols:
            xs.append(x)
            x += w
        sh.rect((80, y, x, y + 52), width=2)
        for (label, _w), cx in zip(cols, xs, strict=True):
            sh.run(cx + 12, y + 12, label, size=23, chain=lchain)
            sh.line((cx, y, cx, y + 52 + 60 * len(hh.members)), width=1)
        y += 52
        for i, (p, rel) in enumerate(hh.members):
            vals = (
                (p.name, f"members[{i}].name"),
                (rel, f"members[{i}].relation"),
                (p.sex, None),
                (fmt_date(p.birth_date, "dot"), None),
                (p.id_number, f"members[{i}].id_number"),
                (p.ethnicity, None),
            )
            for (v, key), cx in zip(vals, xs, strict=True):
                sh.run(cx + 12, y + 16, v, size=24, chain=vchain, key=key)
            sh.rect((80, y, x, y + 60), width=1)
            y += 60
        sheets = [sh]
    fields = {
        "members": [
            {"name": p.name, "id_number": p.id_number, "relation": rel} for p, rel in hh.members
        ],
        "address": hh.address,
    }
    return _done("household_register", fields, sheets, seed=seed, facts=hh, layout=layout)


# power of attorney --------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int, layout: str, rng: random.Random
) -> Sample:
    lchain, vchain = _chains(rng)
    hand = HAND_CHAINS[rng.choice(("pen", "kiloji", "seto"))]
    P, A = poa.principal, poa.agent
    sh = Sheet(*A4)
    t = "授权委托书" if rng.random() < 0.7 else "委托书"
    tw = sh.width(t, size=48, chain=lchain, spacing=0.3)
    sh.run((A4[0] - tw) / 2, 120, t, size=48, chain=lchain, spacing=0.3)
    dst = rng.choice(("cn", "cn1"))
    if layout == "letter":
        fl = Flow(sh, 120, 1120, 260, 27, vchain, rng, hand_chain=hand, leading=2.0)
        fl.para(
            [
                ("委托人：", None, "p"),
                (P.name, "principal.name", "h"),
                ("，性别：", None, "p"),
                (P.sex, None, "h"),
                ("，公民身份号码：", None, "p"),
                (P.id_number, "principal.id_number", "h"),
            ],
            indent=0,
        )
        fl.para(
            [
                ("受托人：", None, "p"),
                (A.name, "agent.name", "h"),
                ("，性别：", None, "p"),
                (A.sex, None, "h"),
                ("，公民身份号码：", None, "p"),
                (A.id_number, "agent.id_number", "h"),
            ],
            indent=0,
        )
        fl.gap(0.8)
        fl.para(
            [
                ("本人系坐落于", None, "p"),
                (poa.location, None, "h"),
                ("房屋的权利人，因本人工作原因不能亲自办理该房屋的", None, "p"),
                (poa.matter, None, "p"),
                (
                    "事宜，现委托受托人代为办理，包括签订买卖合同、申请不动产转移登记、领取税费票据及缴纳相关税费等。",
                    None,
                    "p",
                ),
            ]
        )
        fl.para(
            "受托人在上述权限内所签署的一切文件，本人均予以承认，并承担相应法律责任。受托人无转委托权。"
        )
        fl.para([("委托期限：自签署之日起至上述事项办结之日止。", None, "p")])
        fl.gap(2.0)
        y = fl.y
        sh.run(640, y, "委托人（签名）：", size=27, chain=vchain)
        _sign_place(sh, 860, y - 8, P.name, "principal", signed=True, rng=rng, size=34, thumb=True)
        sh.run(640, y + 120, "日期：", size=27, chain=vchain)
        sh.hand(
            730,
            y + 116,
            fmt_date(poa.signed_date, dst),
            size=29,
            rng=rng,
            chain=hand,
            key="signed_date",
        )
    else:
        x0, x1 = 100, 1140
        y = 260.0
        for role, who, lab in (("principal", P, "委托人"), ("agent", A, "受托人")):
            sh.run(x0, y, lab, size=28, chain=lchain)
            y += 50
            for label, val, key in (
                ("姓名", who.name, f"{role}.name"),
                ("性别", who.sex, None),
                (
                    rng.choice(("身份证号码", "证件号码", "公民身份号码")),
                    who.id_number,
                    f"{role}.id_number",
                ),
                ("住址", who.address, None),
            ):
                y = _row(
                    sh,
                    x0,
                    x1,
                    y,
                    label,
                    [(val, key, "p")],
                    lw=220,
                    size=24,
                    chain=vchain,
                    lchain=lchain,
                    rng=rng,
                    min_h=58,
                )
            y += 30
        y = _row(
            sh,
            x0,
            x1,
            y,
            "委托事项",
            [
                ("代为办理坐落于", None, "p"),
                (poa.location, None, "p"),
                ("房屋的" + poa.matter + "及相关手续。", None, "p"),
            ],
            lw=220,
            size=24,
            chain=vchain,
            lchain=lchain,
            rng=rng,
            min_h=110,
        )
        y = _row(
            sh,
            x0,
            x1,
            y,
            "委托权限",
            "代为签署相关文件、申请登记、缴纳税费、领取证书",
            lw=220,
            size=24,
            chain=vchain,
            lchain=lchain,
            rng=rng,
            min_h=58,
        )
        y += 70
        sh.run(x0 + 40, y, "委托人签字（捺印）：", size=26, chain=lchain)
        _sign_place(
            sh,
            x0 + 320,
            y - 8,
            P.name,
            "principal",
            signed=True,
            rng=rng,
            size=32,
            thumb=rng.random() < 0.7,
        )
        sh.run(x0 + 40, y + 130, "签署日期：", size=26, chain=lchain)
        sh.run(
            x0 + 200,
            y + 130,
            fmt_date(poa.signed_date, dst),
            size=26,
            chain=vchain,
            key="signed_date",
        )
    fields = {
        "principal": {"name": P.name, "id_number": P.id_number},
        "agent": {"name": A.name, "id_number": A.id_number},
        "signed_date": poa.signed_date.isoformat(),
    }
    return _done("power_of_attorney", fields, [sh], seed=seed, facts=poa, layout=layout)


# business licence ---------------------------------------------------------------------------------


def _qr(sh: Sheet, x: int, y: int, n: int, rng: random.Random) -> None:
    cell = n // 25
    for i in range(25):
        for j in range(25):
            corner = (i < 7 and j < 7) or (i < 7 and j > 17) or (i > 17 and j < 7)
            on = corner and (i % 6 == 0 or j % 6 == 0 or (2 <= i % 18 <= 4 and 2 <= j % 18 <= 4))
            if on or (not corner and rng.random() < 0.5):
                sh.rect(
                    (x + j * cell, y + i * cell, x + (j + 1) * cell - 1, y + (i + 1) * cell - 1),
                    outline=None,
                    fill=INK,
                )


def business_license(co: d.Company, *, seed: int, layout: str, rng: random.Random) -> Sample:
    lchain, vchain = _chains(rng)
    paper = (250, 247, 238)
    est = fmt_date(co.established, "cn")
    items: list[tuple[str, str, str | None]] = [
        ("名称", co.name, "name"),
        ("类型", co.kind, None),
        (rng.choice(("法定代表人", "法定代表人")), co.legal_representative, "legal_representative"),
        ("经营范围", co.scope, None),
        ("注册资本", co.capital, None),
        ("成立日期", est, "established_date"),
        ("营业期限", f"{est}至长期", None),
        (rng.choice(("住所", "住所", "经营场所")), co.address, "address"),
    ]
    if layout == "original":
        sh = Sheet(2000, 1400, paper=paper)
        border = (190, 60, 50)
        sh.rect((30, 30, 1970, 1370), outline=border, width=10)
        sh.rect((52, 52, 1948, 1348), outline=border, width=3)
        sh.draw.ellipse((940, 80, 1060, 200), fill=(200, 40, 35))
        sh.run(760, 220, "营业执照", size=92, chain=lchain, spacing=0.4)
        sh.run(120, 130, "统一社会信用代码", size=26, chain=lchain)
        sh.run(
            120,
            175,
            co.credit_code,
            size=32,
            chain=DIGITS[rng.choice(("ocrish", "mincho"))],
            key="credit_code",
        )
        _qr(sh, 1700, 100, 200, rng)
        cols = ((130, 960, items[:4]), (1030, 1880, items[4:]))
        for xa, xb, its in cols:
            y = 400.0
            for label, val, key in its:
                sh.run(xa, y, label, size=26, chain=lchain, spacing=0.3 if len(label) == 2 else 0)
                fl = Flow(sh, xa + 180, xb, y, 26, vchain, rng, leading=1.55)
                fl.para([(val, key, "p")], indent=0)
                y = fl.y + 26
        y0 = 1130
        sh.run(1420, y0, "登记机关", size=28, chain=lchain)
        sh.run(
            1420,
            y0 + 70,
            fmt_date(co.established.replace(year=max(co.established.year, 2020)), "cn"),
            size=28,
            chain=lchain,
        )
        _place_seal(
            sh,
            1580,
            y0 + 30,
            120,
            org=co.registry,
            expected=co.registry,
            place="issuer",
            rng=rng,
            shape="round",
        )
        sh.run(
            700, 1290, "国家企业信用信息公示系统网址：http://www.gsxt.gov.cn", size=20, chain=lchain
        )
    else:
        sh = Sheet(1300, 1840, paper=paper)
        border = (190, 60, 50)
        sh.rect((26, 26, 1274, 1814), outline=border, width=8)
        sh.draw.ellipse((590, 70, 710, 190), fill=(200, 40, 35))
        sh.run(400, 210, "营业执照", size=84, chain=lchain, spacing=0.3)
        sh.run(560, 320, "（副本）", size=34, chain=lchain)
        sh.run(120, 400, "统一社会信用代码：", size=25, chain=lchain)
        sh.run(
            400,
            396,
            co.credit_code,
            size=30,
            chain=DIGITS[rng.choice(("ocrish", "gothic", "ming"))],
            key="credit_code",
        )
        sh.run(900, 330, f"副本编号：1-{rng.randint(1, 3)}", size=22, chain=lchain)
        _qr(sh, 1030, 70, 175, rng)
        y = 480.0
        for label, val, key in items:
            sh.run(120, y, label, size=25, chain=lchain)
            fl = Flow(sh, 320, 1180, y, 25, vchain, rng, leading=1.55)
            fl.para([(val, key, "p")], indent=0)
            y = fl.y + 22
        y = max(y + 60, 1500)
        sh.run(780, y, "登记机关", size=27, chain=lchain)
        sh.run(
            780,
            y + 70,
            fmt_date(co.established.replace(year=max(co.established.year, 2020)), "cn"),
            size=27,
            chain=lchain,
        )
        _place_seal(
            sh, 920, y + 30, 115, org=co.registry, expected=co.registry, place="issuer", rng=rng
        )
    fields = {
        "credit_code": co.credit_code,
        "name": co.name,
        "legal_representative": co.legal_representative,
        "address": co.address,
        "established_date": co.established.isoformat(),
    }
    return _done("business_license", fields, [sh], seed=seed, facts=co, layout=layout)


# a document that is not a material of the matter --------------------------------------------------


def unknown(seed: int, *, layout: str, rng: random.Random) -> Sample:
    lchain, vchain = _chains(rng)
    p = d.random_person(rng, varied=True)
    sh = Sheet(*A4)
    if layout == "bill":
        sh.run(
            380,
            110,
            rng.choice(("水费缴费通知单", "燃气费缴费通知单", "物业服务费缴费通知单")),
            size=40,
            chain=lchain,
        )
        y = 220.0
        for label, val in (
            ("户名", p.name),
            ("户号", str(rng.randint(10**9, 10**10 - 1))),
            ("用水地址", p.address[3:]),
            ("本期读数", str(rng.randint(100, 999))),
            ("本期用量", f"{rng.randint(5, 40)}吨"),
            ("应缴金额", f"{rng.randint(20, 400)}.{rng.randint(0, 99):02d}元"),
            ("缴费截止日期", fmt_date(d.REFERENCE_DATE, "cn")),
        ):
            y = _row(
                sh,
                100,
                1140,
                y,
                label,
                val,
                lw=240,
                size=24,
                chain=vchain,
                lchain=lchain,
                rng=rng,
                min_h=60,
            )
        fl = Flow(sh, 100, 1140, y + 50, 22, lchain, rng)
        fl.para(
            "温馨提示：请于截止日期前通过银行代扣、支付宝或微信生活缴费完成缴费，逾期将按规定收取滞纳金。"
        )
    else:
        t = rng.choice(("关于小区电梯维修的通知", "停水通知", "关于开展垃圾分类宣传周活动的通知"))
        tw = sh.width(t, size=40, chain=lchain)
        sh.run((A4[0] - tw) / 2, 120, t, size=40, chain=lchain)
        fl = Flow(sh, 110, 1130, 240, 26, vchain, rng, leading=2.0)
        fl.para("各位业主：", indent=0)
        fl.para(
            "为保障小区居民生活质量，物业服务中心定于"
            f"{fmt_date(d.REFERENCE_DATE, 'cn1')}开展相关工作，"
            "届时请各位业主提前做好准备，给您带来的不便敬请谅解。如有疑问，请联系物业服务中心。"
        )
        fl.para(f"联系人：{p.name}    联系电话：0571-{rng.randint(10**7, 10**8 - 1)}")
        fl.gap(2)
        sh.run(760, fl.y, "物业服务中心", size=26, chain=vchain)
        sh.run(760, fl.y + 60, fmt_date(d.REFERENCE_DATE, "cn"), size=26, chain=vchain)
    return _done("unknown", {}, [sh], seed=seed, facts=None, layout=layout)


RENDER: dict[str, Callable[..., Sample]] = {
    "id_card_front": id_card_front,
    "id_card_back": id_card_back,
    "property_certificate": property_certificate,
    "sale_contract": sale_contract,
    "marriage_certificate": marriage_certificate,
    "household_register": household_register,
    "power_of_attorney": power_of_attorney,
    "business_license": business_license,
}


def font_of(text: str, chain: Sequence[str], size: int):  # pragma: no cover - for the gallery
    return font(pick(chain, text), size)
