"""The documents of the fifth held-out family that carry marks, each in its own layouts:
the sale contract (``articles``, ``grid``, ``jiayi``), the power of attorney (``statement``,
``form``) and the property certificate's register page (``foot``, ``cell``). The other types
are heldout4's (:data:`DELEGATED`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from .. import data as d
from ..canvas import Box, Mark, Sample, finish
from ..heldout4 import docs as h4
from .faces import PRINT_CHAINS, font, pick
from .pen import PENS, signature
from .prints import fingerprint
from .sheet import Flow, Sheet, Span
from .stamps import random_style, seal

A4 = (1240, 1754)
DPI = 150
LAYOUTS: dict[str, tuple[str, ...]] = {
    "sale_contract": ("articles", "grid", "jiayi"),
    "power_of_attorney": ("statement", "form"),
    "property_certificate": ("foot", "cell"),
}
DELEGATED = (
    "id_card_front",
    "id_card_back",
    "marriage_certificate",
    "household_register",
    "business_license",
)

# the registration organ each registry's seal names
_ORGANS: dict[str, str] = {
    "杭州市": "杭州市规划和自然资源局",
    "宁波市": "宁波市自然资源和规划局",
    "温州市": "温州市自然资源和规划局",
    "湖州市": "湖州市自然资源和规划局",
    "嘉兴市": "嘉兴市自然资源和规划局",
    "绍兴市": "绍兴市自然资源和规划局",
    "金华市": "金华市自然资源和规划局",
    "台州市": "台州市自然资源和规划局",
    "衢州市": "衢州市自然资源和规划局",
    "丽水市": "丽水市自然资源和规划局",
    "舟山市": "舟山市自然资源和规划局",
    "义乌市": "义乌市自然资源和规划局",
    "嘉善县": "嘉善县自然资源局",
}


def registry_organ(prop: d.Property) -> str:
    """The organ named on ``prop``'s registry seal."""
    reg = prop.registry
    if reg in _ORGANS:
        return _ORGANS[reg]
    return f"{reg}自然资源局" if reg.endswith("县") else f"{reg}自然资源和规划局"


def foreign_organ(prop: d.Property, rng: random.Random) -> str:
    """Another registry's organ (a seal that is not ``prop``'s registry's)."""
    own = registry_organ(prop)
    return rng.choice(sorted(o for o in _ORGANS.values() if o != own))


# ---------------------------------------------------------------------------------------------
# common pieces
# ---------------------------------------------------------------------------------------------


class Plan:
    """Which marks are left empty: ``(place, kind)`` pairs."""

    def __init__(self, absent: frozenset[tuple[str, str]] = frozenset()):
        self.absent = absent

    def has(self, place: str, kind: str) -> bool:
        return (place, kind) not in self.absent


def fmt_date(x: date, style: str) -> str:
    if style == "pad":
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    if style == "dot":
        return f"{x.year}.{x.month}.{x.day}"
    return f"{x.year}年{x.month}月{x.day}日"


def _chains(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(label chain, value chain) of one document."""
    lab = PRINT_CHAINS[rng.choice(("sharp", "pmincho", "pgothic", "kaiprint", "mono"))]
    val = PRINT_CHAINS[rng.choice(("sharp", "mono", "pmincho", "mplus"))]
    return lab, val


def _cert(number: str, rng: random.Random) -> str:
    return number.replace("(", "（").replace(")", "）") if rng.random() < 0.5 else number


def hand_text(
    sh: Sheet,
    x: float,
    top: float,
    s: str,
    *,
    size: int,
    rng: random.Random,
    pen: str,
    key: str | None = None,
) -> Box:
    """``s`` filled in by hand: LXGW WenKai characters, each wobbling, in pen ink."""
    ink = PENS[pen]
    face = pick(("wk_light",), s)
    boxes = []
    cx = x
    for ch in s:
        sz = max(8, round(size * rng.uniform(0.9, 1.12)))
        f = font(face, sz)
        base = top + 0.88 * size + rng.uniform(-0.08, 0.08) * size
        if ch.strip():
            b = sh._ink(cx, base, ch, f, ink)
            if b is not None:
                boxes.append(b)
                if key is not None:
                    sh.mark(key, b)
        cx += f.getlength(ch) * rng.uniform(0.92, 1.05)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _ibox(b: Sequence[float]) -> Box:
    return (round(b[0]), round(b[1]), round(b[2]), round(b[3]))


def sign_place(
    sh: Sheet,
    place: str,
    name: str,
    area: Sequence[float],
    *,
    plan: Plan,
    rng: random.Random,
    thumb: bool = True,
    fp_at: Sequence[float] | None = None,
) -> None:
    """The marks of ``place`` in ``area`` (where the signature goes: above the signing line,
    right of the label): a signature (it may overflow onto the label or the line, small or
    large) and, with ``thumb``, a fingerprint right of it or over its end (or at ``fp_at``).
    An empty place's box is where its mark should be."""
    area = _ibox(area)
    fp_at = _ibox(fp_at) if fp_at is not None else None
    x0, y0, x1, y1 = area
    aw, ah = x1 - x0, y1 - y0
    size = rng.choice(("small", "normal", "normal", "large"))
    k = {"small": (0.5, 0.65), "normal": (0.7, 0.95), "large": (0.95, 1.2)}[size]
    sw = max(60, round(min(aw, ah * 4.5) * rng.uniform(*k) * (0.8 if thumb else 1.0)))
    shh = max(30, round(ah * rng.uniform(*k) * 1.2))
    sx = x0 + round(rng.uniform(-0.06, 0.12) * aw)  # may reach back over the label
    sy = y0 + round((ah - shh) * rng.uniform(0.2, 1.0)) + round(ah * rng.uniform(0, 0.18))
    if plan.has(place, "signature"):
        im = signature(name, sw, shh, rng=rng)
        b = sh.ink(im, (round(sx), round(sy)))
        sh.marks.append(Mark("signature", place, sh.index, b or area, b is not None))
    else:
        sh.marks.append(Mark("signature", place, sh.index, area, False))
    if not thumb:
        return
    fw = round(ah * rng.uniform(0.55, 0.8))
    fh = round(fw * rng.uniform(1.2, 1.4))
    if fp_at is not None:
        cx, cy = (fp_at[0] + fp_at[2]) / 2, (fp_at[1] + fp_at[3]) / 2
        fw = min(fw, round((fp_at[2] - fp_at[0]) * 0.85))
        fh = min(fh, round((fp_at[3] - fp_at[1]) * 0.9))
        fx, fy = round(cx - fw / 2 + rng.uniform(-0.1, 0.1) * fw), round(cy - fh / 2)
    else:
        over = rng.random() < 0.35  # pressed over the end of the signature
        fx = sx + sw - round(fw * (0.6 if over else -0.1)) + rng.randint(-6, 6)
        fx = min(fx, x1 + round(fw * 0.6))
        fy = y0 + round((ah - fh) * rng.uniform(0.1, 0.9))
    planned = _ibox((fx, fy, fx + fw, fy + fh))
    if plan.has(place, "fingerprint"):
        im = fingerprint(fw, fh, rng=rng)
        b = sh.ink(im, (round(fx), round(fy)))
        sh.marks.append(Mark("fingerprint", place, sh.index, b or planned, b is not None))
    else:
        sh.marks.append(Mark("fingerprint", place, sh.index, planned, False))


def seal_place(
    sh: Sheet,
    cx: float,
    cy: float,
    diameter: int,
    *,
    org: str,
    expected: str,
    present: bool,
    rng: random.Random,
    bottom: str = "不动产登记专用章",
) -> None:
    style = random_style(rng, bottom=bottom)
    im = seal(org, diameter, rng=rng, style=style)
    x, y = round(cx - im.width / 2), round(cy - im.height / 2)
    planned = _ibox(
        (max(0, x), max(0, y), min(sh.width, x + im.width), min(sh.height, y + im.height))
    )
    if present:
        b = sh.ink(im, (x, y))
        sh.marks.append(
            Mark("seal", "registry", sh.index, b or planned, True, False, org, expected)
        )
    else:
        sh.marks.append(Mark("seal", "registry", sh.index, planned, False, False, None, expected))


def _row(
    sh: Sheet,
    x0: float,
    x1: float,
    y: float,
    label: str,
    spans: Sequence[Span] | str,
    *,
    lw: float,
    size: int,
    chain,
    lchain,
    min_h: float = 0,
) -> float:
    """A ruled row: a label cell and a value cell (wrapped); returns the row's bottom."""
    pad = size * 0.55
    fl = Flow(sh, x0 + lw + pad, x1 - pad, y + pad, size, chain, leading=1.5)
    fl.para(spans, indent=0)
    h = max(min_h, fl.y - y + pad - size * 0.5, size * 2.2)
    lwid = sh.measure(label, size=size, chain=lchain)
    if lwid > lw - 2 * pad:
        lf = Flow(sh, x0 + pad, x0 + lw - pad, y + pad, size, lchain, leading=1.4)
        lf.para(label, indent=0)
    else:
        sh.run(x0 + pad, y + (h - size) / 2, label, size=size, chain=lchain)
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
) -> Sample:
    s = finish(
        doc_type=doc_type,
        fields=fields,
        pages=list(sheets),
        dpi=DPI,
        seed=seed,
        facts=facts,
        layout=layout,
    )
    return s.with_(marks=tuple(m for sh in sheets for m in sh.marks), backgrounds=(), texts=())


def _centre_title(sh: Sheet, y: float, t: str, size: int, chain, spacing: float = 0.25) -> float:
    sh.centred(0, sh.width, y, t, size=size, chain=chain, spacing=spacing)
    return y + size * 1.9


# ---------------------------------------------------------------------------------------------
# sale contract
# ---------------------------------------------------------------------------------------------


def _contract_fields(c: d.Contract) -> dict[str, Any]:
    return {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }


def _parties(c: d.Contract) -> list[tuple[str, int, d.Person]]:
    out = [("seller", i, p) for i, p in enumerate(c.sellers)]
    return out + [("buyer", j, p) for j, p in enumerate(c.buyers)]


_CLAUSES = (
    "甲方保证对该房屋享有完全的处分权，该房屋不存在查封、抵押、租赁等权利瑕疵，"
    "否则由甲方承担全部责任。",
    "双方同意通过存量房交易资金监管账户划转房款，乙方应于本合同签订后五个工作日内存入监管资金。",
    "甲方应在房屋交付前结清水、电、燃气、有线电视、物业管理等费用，并办理户口迁出手续。",
    "双方应于房款监管到位后共同向不动产登记机构申请办理转移登记。",
    "交易税费按国家及地方有关规定由双方各自承担；双方另有约定的，从其约定。",
    "任何一方不履行本合同约定的，应按成交价格的百分之十向对方支付违约金。",
    "本合同未尽事宜，由双方另行协商签订补充协议，补充协议与本合同具有同等效力。",
    "本合同发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。",
)


def _contract_body(fl: Flow, c: d.Contract, cert: str, rng: random.Random, n: int) -> None:
    """Articles 1–3 (the facts) and ``n`` more."""
    fl.para(
        [
            ("第一条  甲方所有的房屋坐落于", None),
            (c.printed_location, "location"),
            ("，不动产权证书号：", None),
            (cert, "certificate_number"),
            (f"，建筑面积{c.prop.area}平方米，规划用途为住宅。", None),
        ]
    )
    fl.para(
        [
            ("第二条  双方议定该房屋成交价格为人民币", None),
            (str(c.price), "price"),
            (f"元（大写：{d.chinese_amount(c.price)}），该价格包含房屋附属设施设备。", None),
        ]
    )
    fl.para(
        f"第三条  乙方于本合同签订时支付定金人民币{c.deposit}元，"
        f"甲方应于{fmt_date(c.handover_date, 'cn')}前将房屋交付乙方。"
    )
    numerals = "四五六七八九十"
    for k, text in enumerate(_CLAUSES[:n]):
        fl.para(f"第{numerals[k]}条  {text}")


def _contract_articles(c, signed, agent, rng, plan, lchain, vchain, cert, city) -> list[Sheet]:
    """Articles under the parties; the signing block (卖方（签字/盖章）/买方（签字捺印）, a
    line and a handwritten date each) on the last page."""
    p0 = Sheet(*A4, index=0)
    y = _centre_title(
        p0, 120, rng.choice(("存量房买卖合同", f"{city}存量房屋买卖合同")), 44, lchain
    )
    p0.run(780, y, f"合同编号：{c.number}", size=22, chain=vchain)
    fl = Flow(p0, 110, 1130, y + 60, 25, vchain, leading=1.85)
    for role, people, label in (
        ("sellers", c.sellers, "卖方（以下简称甲方）："),
        ("buyers", c.buyers, "买方（以下简称乙方）："),
    ):
        for i, p in enumerate(people):
            fl.para(
                [
                    (label, None),
                    (p.name, f"{role}[{i}].name"),
                    ("    身份证件号码：", None),
                    (c.printed_id(p), f"{role}[{i}].id_number"),
                ],
                indent=0,
            )
    if agent is not None:
        fl.para(
            [(f"甲方委托代理人：{agent.name}    身份证件号码：{agent.id_number}", None)], indent=0
        )
    fl.gap(0.4)
    fl.para(
        "甲、乙双方依据《中华人民共和国民法典》等法律法规，遵循平等、自愿、公平和诚实信用的原则，"
        "就乙方购买甲方存量房屋事宜，协商一致，订立本合同。"
    )
    _contract_body(fl, c, cert, rng, 3)
    p1 = Sheet(*A4, index=1)
    fl = Flow(p1, 110, 1130, 120, 25, vchain, leading=1.85)
    for k, text in enumerate(_CLAUSES[3:], start=7):
        fl.para(f"第{'七八九十'[k - 7] if k < 11 else '十一'}条  {text}")
    fl.para("本合同一式三份，甲、乙双方各执一份，不动产登记机构存档一份，自双方签字之日起生效。")
    fl.gap(0.6)
    fl.para(
        [
            ("本合同于", None),
            (fmt_date(c.signed_date, "cn"), "signed_date"),
            (f"在{city}签订。", None),
        ]
    )
    y = fl.y + 50
    pen = rng.choice(tuple(PENS))
    cols = {"seller": 110, "buyer": 660}
    col_y = {"seller": y, "buyer": y}
    size = 25
    for k, (role, i, p) in enumerate(_parties(c)):
        x, yy = cols[role], col_y[role]
        label = "卖方（签字/盖章）：" if role == "seller" else "买方（签字捺印）："
        lb = p1.run(x, yy, label, size=size, chain=lchain)
        line_y = yy + 120
        p1.line((x + 10, line_y, x + 470, line_y), width=1)
        area = (x + 10, lb[3] + 8, x + 330, line_y - 2)
        sign_place(
            p1,
            f"{role}[{i}]",
            p.name,
            area,
            plan=_party_plan(plan, signed, k, f"{role}[{i}]"),
            rng=rng,
        )
        p1.run(x, line_y + 18, "日期：", size=22, chain=lchain)
        hand_text(
            p1, x + 80, line_y + 12, fmt_date(c.signed_date, "dot"), size=26, rng=rng, pen=pen
        )
        col_y[role] = line_y + 80
    y = max(col_y.values()) + 20
    if agent is not None:
        lb = p1.run(110, y, "代理人（签字）：", size=size, chain=lchain)
        p1.line((lb[2] + 6, lb[3] + 4, lb[2] + 330, lb[3] + 4), width=1)
        area = (lb[2] + 8, lb[1] - 40, lb[2] + 320, lb[3] + 2)
        sign_place(p1, "agent", agent.name, area, plan=plan, rng=rng, thumb=False)
    return [p0, p1]


def _party_plan(plan: Plan, signed: Sequence[bool], k: int, place: str) -> Plan:
    """``plan`` with ``place``'s marks left empty when its party did not sign."""
    if signed[k]:
        return plan
    return Plan(plan.absent | {(place, "signature"), (place, "fingerprint")})


def _contract_grid(c, signed, agent, rng, plan, lchain, vchain, cert, city) -> list[Sheet]:
    """Parties and the house in ruled tables; terms on page 2 and a 签名栏 table: role, name,
    签名, 指印 and 日期 cells per party."""
    p0 = Sheet(*A4, index=0)
    y = _centre_title(p0, 110, rng.choice(("存量房买卖合同", "二手房买卖合同书")), 42, lchain, 0.35)
    p0.run(110, y, f"编号：{c.number}", size=22, chain=vchain)
    y += 50
    x0, x1 = 100, 1140
    size = 22
    for role, people, lab in (("sellers", c.sellers, "出卖人"), ("buyers", c.buyers, "买受人")):
        for i, p in enumerate(people):
            tag = lab if len(people) == 1 else f"{lab}{i + 1}"
            y = _row(
                p0,
                x0,
                x1,
                y,
                tag,
                [
                    ("姓名：", None),
                    (p.name, f"{role}[{i}].name"),
                    ("    证件号码：", None),
                    (c.printed_id(p), f"{role}[{i}].id_number"),
                ],
                lw=190,
                size=size,
                chain=vchain,
                lchain=lchain,
                min_h=62,
            )
    if agent is not None:
        y = _row(
            p0,
            x0,
            x1,
            y,
            "委托代理人",
            f"姓名：{agent.name}    证件号码：{agent.id_number}",
            lw=190,
            size=size,
            chain=vchain,
            lchain=lchain,
            min_h=62,
        )
    y += 40
    p0.run(x0, y, "一、房屋基本情况", size=25, chain=lchain)
    y += 50
    rows: list[tuple[str, Sequence[Span]]] = [
        ("房屋坐落", [(c.printed_location, "location")]),
        ("不动产权证书号", [(cert, "certificate_number")]),
        ("建筑面积", [(f"{c.prop.area}平方米", None)]),
        (
            "成交价格",
            [
                ("人民币", None),
                (str(c.price), "price"),
                (f"元（{d.chinese_amount(c.price)}）", None),
            ],
        ),
        ("签约日期", [(fmt_date(c.signed_date, "pad"), "signed_date")]),
    ]
    for label, spans in rows:
        y = _row(
            p0, x0, x1, y, label, spans, lw=230, size=size, chain=vchain, lchain=lchain, min_h=60
        )
    fl = Flow(p0, x0, x1, y + 40, 23, vchain, leading=1.85)
    fl.para("二、付款与交付")
    fl.para(_CLAUSES[1])
    fl.para(_CLAUSES[2])
    p1 = Sheet(*A4, index=1)
    fl = Flow(p1, x0, x1, 110, 23, vchain, leading=1.85)
    fl.para("三、权属与登记")
    for text in _CLAUSES[3:7]:
        fl.para(text)
    fl.para("四、本合同经双方在下列签名栏签名并按指印后生效。")
    y = fl.y + 30
    p1.run(x0, y, "签名栏", size=26, chain=lchain, spacing=0.3)
    y += 50
    cols = (x0, x0 + 170, x0 + 340, x0 + 700, x0 + 860, x1)
    heads = ("当事人", "姓名", "签名", "指印", "日期")
    hh = 56
    p1.rect((x0, y, x1, y + hh), width=2)
    for k, h in enumerate(heads):
        p1.centred(cols[k], cols[k + 1], y + (hh - 22) / 2, h, size=22, chain=lchain)
        if k:
            p1.line((cols[k], y, cols[k], y + hh), width=1)
    y += hh
    pen = rng.choice(tuple(PENS))
    rh = rng.choice((110, 124, 136))
    people = [
        (f"{role}[{i}]", "出卖人" if role == "seller" else "买受人", p, k)
        for k, (role, i, p) in enumerate(_parties(c))
    ]
    if agent is not None:
        people.append(("agent", "代理人", agent, -1))
    for place, role_label, p, k in people:
        p1.rect((x0, y, x1, y + rh), width=1)
        for xx in cols[1:-1]:
            p1.line((xx, y, xx, y + rh), width=1)
        p1.centred(cols[0], cols[1], y + (rh - 22) / 2, role_label, size=22, chain=lchain)
        p1.centred(cols[1], cols[2], y + (rh - 22) / 2, p.name, size=22, chain=vchain)
        area = (cols[2] + 10, y + 8, cols[3] - 10, y + rh - 8)
        cell = (cols[3] + 6, y + 6, cols[4] - 6, y + rh - 6)
        if k >= 0:
            sign_place(
                p1,
                place,
                p.name,
                area,
                plan=_party_plan(plan, signed, k, place),
                rng=rng,
                fp_at=cell,
            )
        else:
            sign_place(p1, place, p.name, area, plan=plan, rng=rng, thumb=False)
            p1.centred(cols[3], cols[4], y + (rh - 22) / 2, "—", size=22, chain=lchain)
        hand_text(
            p1,
            cols[4] + 14,
            y + (rh - 26) / 2,
            fmt_date(c.signed_date, "dot"),
            size=24,
            rng=rng,
            pen=pen,
        )
        y += rh
    p1.rect((x0, y - rh * len(people) - hh, x1, y), width=2)
    return [p0, p1]


def _contract_jiayi(c, signed, agent, rng, plan, lchain, vchain, cert, city) -> list[Sheet]:
    """甲方/乙方 throughout; the sign-off under the last article: per party a 签字 line with
    （手印） beside it."""
    p0 = Sheet(*A4, index=0)
    y = _centre_title(p0, 120, rng.choice(("房屋买卖合同", "存量房屋买卖协议")), 46, lchain, 0.3)
    fl = Flow(p0, 120, 1120, y + 40, 25, vchain, leading=1.9)
    for role, people, lab in (
        ("sellers", c.sellers, "甲方（卖方）"),
        ("buyers", c.buyers, "乙方（买方）"),
    ):
        for i, p in enumerate(people):
            fl.para([(f"{lab}：", None), (p.name, f"{role}[{i}].name")], indent=0)
            fl.para([("身份证号：", None), (c.printed_id(p), f"{role}[{i}].id_number")], indent=2)
    fl.gap(0.5)
    fl.para("经甲、乙双方友好协商，就下列房屋买卖事宜达成一致，签订本合同，共同遵守。")
    _contract_body(fl, c, cert, rng, 2)
    p1 = Sheet(*A4, index=1)
    fl = Flow(p1, 120, 1120, 120, 25, vchain, leading=1.9)
    for k, text in enumerate(_CLAUSES[2:], start=6):
        fl.para(f"第{'六七八九十'[k - 6] if k < 11 else '十一'}条  {text}")
    fl.para(
        [("签订日期：", None), (fmt_date(c.signed_date, rng.choice(("cn", "pad"))), "signed_date")],
        indent=0,
    )
    y = fl.y + 60
    size = 26
    pen = rng.choice(tuple(PENS))
    for k, (role, i, p) in enumerate(_parties(c)):
        lab = "甲方签字：" if role == "seller" else "乙方签字："
        lb = p1.run(130, y, lab, size=size, chain=lchain)
        line_y = lb[3] + 6
        p1.line((lb[2] + 8, line_y, lb[2] + 400, line_y), width=2)
        p1.run(lb[2] + 420, y, "（手印）", size=22, chain=lchain)
        area = (lb[2] + 12, y - 46, lb[2] + 390, line_y - 2)
        fp_cell = (lb[2] + 520, y - 40, lb[2] + 620, y + 60)
        place = f"{role}[{i}]"
        sign_place(
            p1,
            place,
            p.name,
            area,
            plan=_party_plan(plan, signed, k, place),
            rng=rng,
            fp_at=fp_cell,
        )
        hand_text(p1, lb[2] + 680, y, fmt_date(c.signed_date, "cn"), size=24, rng=rng, pen=pen)
        y += 150
    if agent is not None:
        lb = p1.run(130, y, "代理人签字：", size=size, chain=lchain)
        line_y = lb[3] + 6
        p1.line((lb[2] + 8, line_y, lb[2] + 400, line_y), width=2)
        sign_place(
            p1,
            "agent",
            agent.name,
            (lb[2] + 12, y - 46, lb[2] + 390, line_y - 2),
            plan=plan,
            rng=rng,
            thumb=False,
        )
    return [p0, p1]


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
    absent: frozenset[tuple[str, str]] = frozenset(),
) -> Sample:
    n = len(c.sellers) + len(c.buyers)
    signed = list(signed) if signed is not None else [True] * n
    if len(signed) != n:
        raise ValueError(f"signed has {len(signed)} entries for {n} parties")
    lchain, vchain = _chains(rng)
    city = c.prop.registry if c.prop.registry.endswith("市") else "浙江省"
    cert = _cert(c.printed_certificate_number, rng)
    draw = {"articles": _contract_articles, "grid": _contract_grid, "jiayi": _contract_jiayi}[
        layout
    ]
    sheets = draw(c, signed, agent, rng, Plan(absent), lchain, vchain, cert, city)
    return _done("sale_contract", _contract_fields(c), sheets, seed=seed, facts=c, layout=layout)


# ---------------------------------------------------------------------------------------------
# power of attorney
# ---------------------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    absent: frozenset[tuple[str, str]] = frozenset(),
) -> Sample:
    lchain, vchain = _chains(rng)
    plan = Plan(absent)
    P, A = poa.principal, poa.agent
    sh = Sheet(*A4)
    pen = rng.choice(tuple(PENS))
    if layout == "statement":
        y = _centre_title(sh, 130, "委托书", 50, lchain, 0.8)
        fl = Flow(sh, 120, 1120, y + 50, 26, vchain, leading=2.0)
        for lab, who, role in (("委托人", P, "principal"), ("受托人", A, "agent")):
            fl.para(
                [
                    (f"{lab}：", None),
                    (who.name, f"{role}.name"),
                    ("    身份证号码：", None),
                    (who.id_number, f"{role}.id_number"),
                ],
                indent=0,
            )
        fl.gap(0.6)
        fl.para(
            f"委托人系坐落于{poa.location}房屋的所有权人，现因事务繁忙，不能亲自办理该房屋的"
            f"{poa.matter}相关事宜，特委托受托人为委托人的合法代理人，代为办理以下事项："
        )
        for k, t in enumerate(
            (
                "代为签订存量房买卖合同及资金监管协议；",
                "代为申请不动产转移登记，签署相关申请材料；",
                "代为缴纳交易税费，领取税费票据及不动产登记相关文书。",
            ),
            1,
        ):
            fl.para(f"{k}. {t}")
        fl.para("受托人在委托权限内签署的有关文件，委托人均予承认。本委托无转委托权。")
        fl.para("委托期限：自本委托书签署之日起至上述事项办理完毕之日止。")
        y = fl.y + 70
        lb = sh.run(560, y, "委托人（签名+手印）：", size=26, chain=lchain)
        sign_place(
            sh, "principal", P.name, (lb[2] + 4, lb[1] - 44, 1160, lb[3] + 6), plan=plan, rng=rng
        )
        y += 150
        lb = sh.run(560, y, "受托人（签名）：", size=26, chain=lchain)
        sign_place(
            sh,
            "agent",
            A.name,
            (lb[2] + 4, lb[1] - 44, 1080, lb[3] + 6),
            plan=plan,
            rng=rng,
            thumb=False,
        )
        y += 130
        sh.run(560, y, "签署日期：", size=26, chain=lchain)
        sh.run(
            700,
            y,
            fmt_date(poa.signed_date, rng.choice(("cn", "pad"))),
            size=26,
            chain=vchain,
            key="signed_date",
        )
    else:
        y = _centre_title(sh, 120, "授权委托书", 46, lchain, 0.4)
        x0, x1 = 100, 1140
        size = 24
        for lab, who, role in (("委托人", P, "principal"), ("受托人", A, "agent")):
            y = _row(
                sh,
                x0,
                x1,
                y,
                f"{lab}姓名",
                [(who.name, f"{role}.name")],
                lw=240,
                size=size,
                chain=vchain,
                lchain=lchain,
                min_h=60,
            )
            y = _row(
                sh,
                x0,
                x1,
                y,
                "公民身份号码",
                [(who.id_number, f"{role}.id_number")],
                lw=240,
                size=size,
                chain=vchain,
                lchain=lchain,
                min_h=60,
            )
            y = _row(
                sh,
                x0,
                x1,
                y,
                "住址",
                who.address,
                lw=240,
                size=size,
                chain=vchain,
                lchain=lchain,
                min_h=60,
            )
        y = _row(
            sh,
            x0,
            x1,
            y,
            "委托事项",
            f"代为办理{poa.location}房屋的{poa.matter}，包括签署合同、申请登记、缴纳税费、领取证书。",
            lw=240,
            size=size,
            chain=vchain,
            lchain=lchain,
            min_h=120,
        )
        y = _row(
            sh,
            x0,
            x1,
            y,
            "委托期限",
            "自签署之日起至委托事项办结之日止",
            lw=240,
            size=size,
            chain=vchain,
            lchain=lchain,
            min_h=60,
        )
        # the signature row: two cells side by side, each a label on top and room to sign
        rh = 210
        xm = (x0 + x1) // 2
        sh.rect((x0, y, x1, y + rh), width=2)
        sh.line((xm, y, xm, y + rh), width=1)
        lb = sh.run(x0 + 16, y + 14, "委托人签名/手印", size=size, chain=lchain)
        sign_place(
            sh,
            "principal",
            P.name,
            (x0 + 20, lb[3] + 20, xm - 150, y + rh - 14),
            plan=plan,
            rng=rng,
            fp_at=(xm - 140, lb[3] + 14, xm - 16, y + rh - 10),
        )
        lb = sh.run(xm + 16, y + 14, "受托人签名", size=size, chain=lchain)
        sign_place(
            sh,
            "agent",
            A.name,
            (xm + 20, lb[3] + 20, x1 - 40, y + rh - 14),
            plan=plan,
            rng=rng,
            thumb=False,
        )
        y += rh
        y = _row(
            sh,
            x0,
            x1,
            y,
            "委托日期",
            [(fmt_date(poa.signed_date, "pad"), "signed_date")],
            lw=240,
            size=size,
            chain=vchain,
            lchain=lchain,
            min_h=64,
        )
        hand_text(sh, x0 + 20, y + 40, "以上内容经本人确认无误", size=26, rng=rng, pen=pen)
    fields = {
        "principal": {"name": P.name, "id_number": P.id_number},
        "agent": {"name": A.name, "id_number": A.id_number},
        "signed_date": poa.signed_date.isoformat(),
    }
    return _done("power_of_attorney", fields, [sh], seed=seed, facts=poa, layout=layout)


# ---------------------------------------------------------------------------------------------
# property certificate
# ---------------------------------------------------------------------------------------------


def _cert_rows(prop: d.Property, rng: random.Random) -> list[tuple[str, Sequence[Span]]]:
    owners: list[Span] = []
    for i, o in enumerate(prop.owners):
        if i:
            owners.append(("，", None))
        owners.append((o.name, f"owners[{i}]"))
    unit = prop.unit_number
    if rng.random() < 0.35:
        unit = " ".join(unit[k : k + 7] for k in range(0, 28, 7))
    return [
        (rng.choice(("权利人", "不动产权利人")), owners),
        ("共有情况", [(prop.co_ownership, "co_ownership")]),
        ("坐落", [(prop.location, "location")]),
        ("不动产单元号", [(unit, "unit_number")]),
        ("权利类型", [(prop.right_type, None)]),
        ("权利性质", [(prop.right_nature, None)]),
        ("用途", [(prop.use, None)]),
        (
            "面积",
            [(rng.choice(("房屋建筑面积", "建筑面积")), None), (prop.area, "area"), ("㎡", None)],
        ),
        ("使用期限", [(prop.term, None)]),
    ]


def _cert_fields(prop: d.Property) -> dict[str, Any]:
    return {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }


def property_certificate(
    prop: d.Property,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    seal_org: str | None = None,
    absent: frozenset[tuple[str, str]] = frozenset(),
) -> Sample:
    lchain, vchain = _chains(rng)
    expected = registry_organ(prop)
    org = seal_org or expected
    present = ("registry", "seal") not in absent
    paper = (249, 247, 238)
    W, H = 1160, 1620
    diameter = rng.randint(205, 250)
    if layout == "foot":
        p0 = Sheet(W, H, index=0, paper=paper)
        p0.rect((40, 40, W - 40, H - 40), outline=(196, 170, 130), width=3)
        _centre_title(p0, 170, "不动产权证书", 46, lchain, 0.5)
        fl = Flow(p0, 130, W - 130, 360, 27, lchain, leading=2.1)
        fl.para(
            "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人"
            "申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。"
        )
        y = H * rng.uniform(0.62, 0.7)
        lb = p0.run(W - 470, y, "登记机构（章）", size=28, chain=lchain)
        db = p0.run(W - 470, y + 80, fmt_date(prop.registered_on, "pad"), size=28, chain=vchain)
        # the seal over the date
        seal_place(
            p0,
            (db[0] + db[2]) / 2 + rng.randint(-40, 40),
            (lb[1] + db[3]) / 2 + rng.randint(-10, 30),
            diameter,
            org=org,
            expected=expected,
            present=present,
            rng=rng,
        )
        p0.run(150, H - 140, "中华人民共和国自然资源部监制", size=22, chain=lchain)
        p1 = Sheet(W, H, index=1, paper=paper)
        p1.run(
            80,
            90,
            _cert(prop.certificate_number, rng),
            size=28,
            chain=vchain,
            key="certificate_number",
        )
        y = 160.0
        for label, spans in _cert_rows(prop, rng):
            y = _row(
                p1,
                70,
                W - 70,
                y,
                label,
                spans,
                lw=200,
                size=24,
                chain=vchain,
                lchain=lchain,
                min_h=66,
            )
        _row(p1, 70, W - 70, y, "附记", "", lw=200, size=24, chain=vchain, lchain=lchain, min_h=240)
        sheets = [p0, p1]
    else:
        sh = Sheet(W, H, index=0, paper=paper)
        _centre_title(sh, 70, "不动产权证书（登记页）", 36, lchain, 0.2)
        sh.run(
            80,
            150,
            _cert(prop.certificate_number, rng),
            size=28,
            chain=vchain,
            key="certificate_number",
        )
        y = 215.0
        for label, spans in _cert_rows(prop, rng):
            y = _row(
                sh,
                70,
                W - 70,
                y,
                label,
                spans,
                lw=200,
                size=23,
                chain=vchain,
                lchain=lchain,
                min_h=62,
            )
        y = _row(
            sh, 70, W - 70, y, "附记", "", lw=200, size=23, chain=vchain, lchain=lchain, min_h=150
        )
        # the registry cell: the organ and the date printed, the seal pressed over them
        ch = 300
        sh.rect((70, y, W - 70, y + ch), width=2)
        sh.line((270, y, 270, y + ch), width=1)
        sh.run(70 + 40, y + ch / 2 - 14, "登记机构", size=24, chain=lchain)
        ob = sh.run(330, y + 90, expected, size=26, chain=vchain)
        db = sh.run(
            330,
            y + 160,
            fmt_date(prop.registered_on, rng.choice(("pad", "cn"))),
            size=26,
            chain=vchain,
        )
        cx = rng.uniform(ob[0] + 80, max(ob[0] + 81, min(ob[2], W - 70 - diameter / 2 - 20)))
        seal_place(
            sh,
            cx,
            (ob[1] + db[3]) / 2 + rng.randint(-10, 10),
            diameter,
            org=org,
            expected=expected,
            present=present,
            rng=rng,
        )
        sh.run(80, H - 80, f"编号 {prop.print_serial}", size=20, chain=vchain)
        sheets = [sh]
    return _done(
        "property_certificate", _cert_fields(prop), sheets, seed=seed, facts=prop, layout=layout
    )


RENDER: dict[str, Callable[..., Sample]] = {
    "sale_contract": sale_contract,
    "power_of_attorney": power_of_attorney,
    "property_certificate": property_certificate,
}


def delegated(doc_type: str) -> Callable[..., Sample]:
    """heldout4's renderer of ``doc_type``."""
    return h4.RENDER[doc_type]
