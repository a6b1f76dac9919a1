"""The documents the sixth held-out family draws itself — sale contracts, powers of attorney and
the property certificate's register page — with their signing areas; the other types are
heldout4's (:data:`DELEGATED`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from .. import data as d
from ..canvas import Box, Mark, Sample, finish
from ..heldout4.docs import RENDER as _H4_RENDER
from .chop import seal
from .faces import FILL, PRINT, TITLE
from .hand import signature
from .leaf import Leaf, Span
from .thumb import fingerprint

LAYOUTS: dict[str, tuple[str, ...]] = {
    "sale_contract": ("sign_lines", "two_columns", "foot_table"),
    "power_of_attorney": ("slash_label", "one_line"),
    "property_certificate": ("register_pages", "single_sheet"),
}
DELEGATED = (
    "id_card_front",
    "id_card_back",
    "marriage_certificate",
    "household_register",
    "business_license",
)
DPI = 160
A4 = (1323, 1871)
Absent = Collection[tuple[str, str]]


def delegated(doc_type: str) -> Callable[..., Sample]:
    """heldout4's renderer of ``doc_type`` (same keywords)."""
    return _H4_RENDER[doc_type]


# organs -------------------------------------------------------------------------------------------

_BUREAU = {"杭州市": "杭州市规划和自然资源局"}
_CITIES = ("杭州市", "宁波市", "温州市", "嘉兴市", "湖州市", "绍兴市", "金华市", "台州市", "丽水市")
_AGENCIES = (
    "{c}安居房地产经纪有限公司",
    "{c}链家房地产经纪有限公司",
    "{c}住房租赁发展有限公司",
    "{c}不动产登记服务中心有限公司",
)


def registry_organ(prop: d.Property) -> str:
    """The organ this family's certificates name as the registry (its seal's rim text)."""
    return _BUREAU.get(prop.registry, f"{prop.registry}自然资源和规划局")


def foreign_organ(prop: d.Property, rng: random.Random) -> str:
    """A seal that is not the registry's: another city's bureau or an estate agency."""
    own = registry_organ(prop)
    others = [c for c in _CITIES if c != prop.registry]
    c = rng.choice(others)
    if rng.random() < 0.6:
        org = _BUREAU.get(c, f"{c}自然资源和规划局")
    else:
        org = rng.choice(_AGENCIES).format(c=prop.registry if prop.registry in _CITIES else c)
    return org if org != own else f"{c}自然资源和规划局"


# little helpers -----------------------------------------------------------------------------------


def _date(x: date, style: str) -> str:
    if style == "cn":
        return f"{x.year}年{x.month}月{x.day}日"
    if style == "cn0":
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    if style == "dot":
        return f"{x.year}.{x.month}.{x.day}"
    return f"{x.year}-{x.month:02d}-{x.day:02d}"


def _cert(number: str, rng: random.Random) -> str:
    return number.replace("(", "（").replace(")", "）") if rng.random() < 0.5 else number


def _faces(rng: random.Random) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(title, body, value) chains of one document."""
    title = TITLE[rng.choice(tuple(TITLE))]
    body = PRINT[rng.choice(("song", "song", "mincho", "babel", "kai", "hei"))]
    value = PRINT[rng.choice(("song", "hei", "kai", "wenkai", "mincho"))]
    return title, body, value


def _paper(rng: random.Random) -> tuple[int, int, int]:
    return rng.choice(((252, 252, 249), (250, 249, 243), (247, 247, 245), (253, 251, 246)))


def _title(lf: Leaf, y: float, text: str, chain: Sequence[str], size: int, sp: float) -> float:
    w = lf.measure(text, size=size, chain=chain, spacing=sp)
    lf.text((lf.img.width - w) / 2, y, text, size=size, chain=chain, spacing=sp)
    return y + size * 1.9


def _sign(
    lf: Leaf,
    place: str,
    name: str,
    slot: Box,
    *,
    present: bool,
    rng: random.Random,
    height: float,
    onto_label: float = 0.0,
) -> Box:
    """A signature in ``slot`` (the blank above a line or inside a cell); the Mark's box is the
    ink when signed, the slot when not."""
    if not present:
        lf.marks.append(Mark("signature", place, lf.index, slot, False))
        return slot
    r = rng.random()
    scale = rng.uniform(1.25, 1.55) if r < 0.2 else rng.uniform(0.7, 0.85) if r < 0.4 else 1.0
    a, color, (dx, dy), _pen = signature(name, height, rng, scale=scale)
    x0, _y0, x1, y1 = slot
    room = max(1.0, (x1 - x0) - a.shape[1])
    x = x0 + rng.uniform(0.0, min(room, (x1 - x0) * 0.35)) - onto_label
    top = y1 - height * scale * rng.uniform(0.95, 1.15)
    b = lf.lay(a, int(x + dx), int(top + dy), color) or slot
    lf.marks.append(Mark("signature", place, lf.index, b, True))
    return b


def _thumb(
    lf: Leaf, place: str, cx: float, cy: float, *, present: bool, rng: random.Random, size: float
) -> Box:
    """A fingerprint centred at (cx, cy); the Mark's box is the ink, or where it should be."""
    if not present:
        b = (int(cx - size / 2), int(cy - size * 0.65), int(cx + size / 2), int(cy + size * 0.65))
        lf.marks.append(Mark("fingerprint", place, lf.index, b, False))
        return b
    a, color, _look = fingerprint(size, rng)
    h, w = a.shape
    b = lf.lay(a, int(cx - w / 2), int(cy - h / 2), color)
    if b is None:  # pragma: no cover - every print lands
        b = (int(cx - size / 2), int(cy - size * 0.65), int(cx + size / 2), int(cy + size * 0.65))
    lf.marks.append(Mark("fingerprint", place, lf.index, b, True))
    return b


def _done(
    doc_type: str,
    fields: dict[str, Any],
    leaves: Sequence[Leaf],
    *,
    seed: int,
    facts: Any,
    layout: str,
) -> Sample:
    s = finish(
        doc_type=doc_type,
        fields=fields,
        pages=list(leaves),
        dpi=DPI,
        seed=seed,
        facts=facts,
        layout=layout,
    )
    return s.with_(marks=tuple(m for lf in leaves for m in lf.marks))


# sale contract ------------------------------------------------------------------------------------

_WORDS = {
    "sign_lines": ("出卖人", "买受人", "出卖人（甲方）", "买受人（乙方）"),
    "two_columns": ("甲方", "乙方", "甲方（卖方）", "乙方（买方）"),
    "foot_table": ("转让方", "受让方", "转让方（甲方）", "受让方（乙方）"),
}


def _contract_fields(c: d.Contract) -> dict[str, Any]:
    return {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }


def _contract_body(
    c: d.Contract, layout: str, rng: random.Random, agent: d.Person | None, paper
) -> tuple[list[Leaf], float, tuple[str, ...], tuple[str, ...]]:
    """Pages 1 and 2 of the contract's text; returns them, where page 2's text ends, and the
    body and value chains."""
    title_c, body, value = _faces(rng)
    hand = FILL[rng.choice(tuple(FILL))]
    filled = layout == "sign_lines" and rng.random() < 0.6  # a printed form filled in by hand
    how = "h" if filled else "p"
    a_short, b_short, a_long, b_long = _WORDS[layout]
    p0 = Leaf(*A4, index=0, paper=paper)
    city = c.prop.registry
    title = rng.choice(
        (
            f"{city}存量房买卖合同",
            "浙江省存量房买卖合同（示范文本）",
            "二手房买卖合同",
            "房屋转让合同",
        )
    )
    y = _title(p0, 120, title, title_c, 48, 0.12)
    p0.text(A4[0] - 520, y, f"合同编号：{c.number}", size=22, chain=body)
    y += 70
    L, R, sz = 130, A4[0] - 130, 26
    for role, people, label in (("sellers", c.sellers, a_long), ("buyers", c.buyers, b_long)):
        for i, p in enumerate(people):
            lab = label + (f"{i + 1}" if len(people) > 1 else "") + "："
            y = p0.para(
                L,
                R,
                y,
                [
                    (lab, None, "p"),
                    (p.name, f"{role}[{i}].name", how),
                    (
                        "　" + rng.choice(("身份证号码：", "证件号码：", "居民身份证号：")),
                        None,
                        "p",
                    ),
                    (c.printed_id(p), f"{role}[{i}].id_number", how),
                ],
                size=sz,
                chain=body,
                hand_chain=hand,
                rng=rng,
                indent=0,
            )
        y += sz * 0.5
    if agent is not None:
        y = p0.para(
            L,
            R,
            y,
            [(f"{a_short}委托代理人：{agent.name}　证件号码：{agent.id_number}", None, "p")],
            size=sz,
            chain=body,
            indent=0,
        )
    y += sz * 0.6
    y = p0.para(
        L,
        R,
        y,
        f"根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及{city}有关规定，"
        f"{a_short}、{b_short}双方遵循自愿、公平和诚实信用的原则，经协商一致，就{b_short}购买"
        f"{a_short}房屋事宜，订立本合同。",
        size=sz,
        chain=body,
    )
    price = str(c.price)
    clauses: list[list[Span]] = [
        [
            (f"第一条　房屋基本情况。{a_short}所有的房屋坐落于", None, "p"),
            (c.printed_location, "location", how),
            ("，建筑面积", None, "p"),
            (c.prop.area, None, how),
            ("平方米，不动产权证书号：", None, "p"),
            (_cert(c.printed_certificate_number, rng), "certificate_number", how),
            ("。", None, "p"),
        ],
        [
            ("第二条　成交价格。该房屋成交总价为人民币", None, "p"),
            (price, "price", how),
            ("元（大写：", None, "p"),
            (d.chinese_amount(c.price), None, how),
            ("）。", None, "p"),
        ],
        [
            (f"第三条　付款方式。{b_short}于本合同签订之日支付定金", None, "p"),
            (str(c.deposit), None, how),
            ("元，余款经存量房交易资金监管账户支付。", None, "p"),
        ],
    ]
    for spans in clauses:
        y = p0.para(L, R, y, spans, size=sz, chain=body, hand_chain=hand, rng=rng)
    y = p0.para(
        L,
        R,
        y,
        f"第四条　房屋交付。{a_short}应于"
        f"{_date(c.handover_date, 'cn')}前将房屋交付{b_short}，并结清物业、水电、燃气等费用。",
        size=sz,
        chain=body,
    )
    p1 = Leaf(*A4, index=1, paper=paper)
    y1 = 130.0
    for text in (
        f"第五条　权属保证。{a_short}保证该房屋权属清晰，未设定抵押，未被查封，"
        "共有人均同意出售；因权属纠纷给对方造成损失的，由其承担赔偿责任。",
        "第六条　税费承担。交易中产生的税费，由双方按照国家及本市有关规定各自承担。",
        f"第七条　违约责任。{b_short}逾期付款或{a_short}逾期交房的，每逾期一日，"
        "按成交总价的万分之三向守约方支付违约金。",
        "第八条　争议解决。本合同履行中发生争议的，双方协商解决；协商不成的，"
        "依法向房屋所在地人民法院起诉。",
        "第九条　本合同未尽事宜，双方可另行订立补充协议，补充协议与本合同具有同等效力。",
        "第十条　本合同一式肆份，双方各执壹份，不动产登记机构、资金监管机构各执壹份，"
        "自双方签字（捺印）之日起生效。",
    ):
        if y < A4[1] - 330:
            y = p0.para(L, R, y, text, size=sz, chain=body)
        else:
            y1 = p1.para(L, R, y1, text, size=sz, chain=body)
    if y1 == 130.0:  # every clause fitted on page 1: page 2 is the signing page
        y = p0.para(L, R, y, "（以下无正文）", size=sz, chain=body)
        p1.text(L, y1, f"（本页无正文，为《{title}》签署页）", size=24, chain=body)
        y1 += 70
    return [p0, p1], y1 + sz * 1.2, body, value


def _parties(c: d.Contract) -> list[tuple[str, d.Person]]:
    return [(f"seller[{i}]", p) for i, p in enumerate(c.sellers)] + [
        (f"buyer[{j}]", p) for j, p in enumerate(c.buyers)
    ]


def _room(leaves: list[Leaf], y: float, need: float, paper) -> tuple[Leaf, float]:
    """The last page if ``need`` px fit below ``y``, else a new page."""
    if y + need <= A4[1] - 110:
        return leaves[-1], y
    lf = Leaf(*A4, index=len(leaves), paper=paper)
    lf.text(130, 110, "（本页为签署页，无正文）", size=22, chain=PRINT["song"])
    leaves.append(lf)
    return lf, 180.0


def _date_line(lf: Leaf, x: float, y: float, when: str, body, value, hand, rng, *, by_hand: bool):
    b = lf.text(x, y, rng.choice(("签订日期：", "签约日期：", "日期：")), size=26, chain=body)
    if by_hand:
        lf.hand(b[2] + 14, y - 4, when, size=28, chain=hand, rng=rng, key="signed_date")
    else:
        lf.text(b[2] + 14, y, when, size=26, chain=value, key="signed_date")


def _sign_lines(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand):
    """出卖人（签名并捺印）：____ one line per party, each its print over the end of the name or
    just after it; then the agent and the date."""
    x = 150
    h = rng.uniform(38, 48)
    pitch = h * 3.0
    over = rng.random() < 0.5
    wording = rng.choice(("（签名并捺印）：", "（签字并按手印）："))
    for k, (place, p) in enumerate(_parties(c)):
        role = "出卖人" if place.startswith("seller") else "买受人"
        lb = lf.text(x, y, role + wording, size=26, chain=body)
        lx0, lx1, base = lb[2] + 10, lb[2] + 430, lb[3] + 6
        lf.line((lx0, base, lx1, base), width=1)
        slot = (lx0 + 4, int(base - h * 1.35), lx1 - 4, base - 4)
        ok = signed[k] and (place, "signature") not in absent
        sb = _sign(
            lf,
            place,
            p.name,
            slot,
            present=ok,
            rng=rng,
            height=h,
            onto_label=rng.uniform(10, 40) if rng.random() < 0.2 else 0.0,
        )
        fx = (sb[2] - h * 0.5) if (over and ok) else (lx1 + h * 1.1)
        fok = signed[k] and (place, "fingerprint") not in absent
        _thumb(lf, place, fx, base - h * 0.55, present=fok, rng=rng, size=h * 1.55)
        y += pitch
    if agent is not None:
        lb = lf.text(x, y, "委托代理人（签名）：", size=26, chain=body)
        base = lb[3] + 6
        lf.line((lb[2] + 10, base, lb[2] + 430, base), width=1)
        _sign(
            lf,
            "agent",
            agent.name,
            (lb[2] + 14, int(base - h * 1.35), lb[2] + 426, base - 4),
            present=True,
            rng=rng,
            height=h,
        )
        y += pitch
    _date_line(lf, x, y, when, body, value, hand, rng, by_hand=by_hand)


def _two_columns(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand):
    """甲方（卖方）签字： and 乙方（买方）签字： side by side, one line per person in each column
    with 手印 beside it, the date under each column."""
    h = rng.uniform(36, 44)
    cols = {"seller": 140, "buyer": 720}
    lf.text(cols["seller"], y, "甲方（卖方）签字：", size=27, chain=body)
    lf.text(cols["buyer"], y, "乙方（买方）签字：", size=27, chain=body)
    rows = {"seller": y + 60, "buyer": y + 60}
    pitch = h * 3.2
    for k, (place, p) in enumerate(_parties(c)):
        role = place.split("[")[0]
        x, yy = cols[role], rows[role]
        base = int(yy + h * 1.5)
        lf.line((x, base, x + 270, base), width=1)
        slot = (x + 4, int(base - h * 1.4), x + 266, base - 4)
        ok = signed[k] and (place, "signature") not in absent
        _sign(lf, place, p.name, slot, present=ok, rng=rng, height=h)
        tb = lf.text(x + 300, base - 30, "手印：", size=22, chain=body)
        fok = signed[k] and (place, "fingerprint") not in absent
        _thumb(lf, place, tb[2] + h * 0.9, base - h * 0.6, present=fok, rng=rng, size=h * 1.45)
        rows[role] = yy + pitch
    y = max(rows.values()) + 10
    if agent is not None:
        tb = lf.text(cols["seller"], y, "甲方代理人签字：", size=25, chain=body)
        base = tb[3] + 6
        lf.line((tb[2] + 8, base, tb[2] + 300, base), width=1)
        _sign(
            lf,
            "agent",
            agent.name,
            (tb[2] + 12, int(base - h * 1.4), tb[2] + 296, base - 4),
            present=True,
            rng=rng,
            height=h,
        )
        y += pitch
    _date_line(lf, cols["seller"], y, when, body, value, hand, rng, by_hand=by_hand)
    lf.text(cols["buyer"], y, "日期：" + when, size=26, chain=value)


def _foot_table(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand):
    """A bordered table at the page foot: 当事人 | 姓名 | 签字（盖章） | 手印 | 日期."""
    cols = [130, 300, 480, 860, 1010, A4[0] - 120]
    heads = ("当事人", "姓名", "签字（盖章）", "手印", "日期")
    rows = [
        (place, p, "转让方" if place.startswith("seller") else "受让方") for place, p in _parties(c)
    ]
    if agent is not None:
        rows.append(("agent", agent, "代理人"))
    hh, rh = 56, int(rng.uniform(118, 134))
    lf.rect((cols[0], y, cols[-1], y + hh + rh * len(rows)), width=2)
    lf.line((cols[0], y + hh, cols[-1], y + hh), width=1)
    for i, t in enumerate(heads):
        w = lf.measure(t, size=23, chain=body)
        lf.text((cols[i] + cols[i + 1] - w) / 2, y + 14, t, size=23, chain=body)
    for xc in cols[1:-1]:
        lf.line((xc, y, xc, y + hh + rh * len(rows)), width=1)
    yy = y + hh
    first = True
    for k, (place, p, role) in enumerate(rows):
        if k:
            lf.line((cols[0], yy, cols[-1], yy), width=1)
        lf.text(cols[0] + 16, yy + rh / 2 - 13, role, size=24, chain=body)
        lf.text(cols[1] + 14, yy + rh / 2 - 13, p.name, size=24, chain=value)
        cell = (cols[2] + 6, yy + 6, cols[3] - 6, yy + rh - 6)
        h = rh * rng.uniform(0.34, 0.42)
        slot = (cell[0], int(cell[1] + rh * 0.15), cell[2], int(cell[3] - rh * 0.12))
        if place == "agent":
            _sign(lf, place, p.name, slot, present=True, rng=rng, height=h)
            lf.line((cols[3] + 40, yy + rh - 30, cols[4] - 40, yy + 30), width=1)
        else:
            ok = signed[k] and (place, "signature") not in absent
            _sign(lf, place, p.name, slot, present=ok, rng=rng, height=h)
            fok = signed[k] and (place, "fingerprint") not in absent
            cx = (cols[3] + cols[4]) / 2 + rng.uniform(-12, 12)
            _thumb(lf, place, cx, yy + rh / 2, present=fok, rng=rng, size=rh * 0.62)
        t = when
        if lf.measure(t, size=20, chain=value) > cols[5] - cols[4] - 16:
            t = _date(c.signed_date, "dot")
        key = "signed_date" if first else None
        if by_hand:
            lf.hand(cols[4] + 10, yy + rh / 2 - 12, t, size=21, chain=hand, rng=rng, key=key)
        else:
            lf.text(cols[4] + 10, yy + rh / 2 - 10, t, size=20, chain=value, key=key)
        first = False
        yy += rh


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
    absent: Absent = (),
) -> Sample:
    n = len(c.sellers) + len(c.buyers)
    signed = list(signed) if signed is not None else [True] * n
    paper = _paper(rng)
    leaves, y, body, value = _contract_body(c, layout, rng, agent, paper)
    hand = FILL[rng.choice(tuple(FILL))]
    when = _date(c.signed_date, rng.choice(("cn", "cn0", "cn0")))
    by_hand = rng.random() < 0.5
    rows = n + (agent is not None)
    if layout == "sign_lines":
        lf, y = _room(leaves, y, 48 * 3.0 * rows + 120, paper)
        _sign_lines(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand)
    elif layout == "two_columns":
        per = max(len(c.sellers), len(c.buyers)) + (agent is not None)
        lf, y = _room(leaves, y, 44 * 3.2 * per + 200, paper)
        _two_columns(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand)
    else:
        need = 56 + 134 * rows + 40
        lf, y = _room(leaves, y, need, paper)
        y = max(y, A4[1] - 110 - need)  # at the foot of the page
        lf.text(130, y - 50, "双方签章：", size=26, chain=body)
        _foot_table(lf, y, c, signed, absent, agent, rng, body, value, hand, when, by_hand)
    return _done("sale_contract", _contract_fields(c), leaves, seed=seed, facts=c, layout=layout)


# power of attorney --------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int, layout: str, rng: random.Random, absent: Absent = ()
) -> Sample:
    title_c, body, value = _faces(rng)
    hand = FILL[rng.choice(tuple(FILL))]
    P, A = poa.principal, poa.agent
    lf = Leaf(*A4, paper=_paper(rng))
    y = _title(lf, 150, rng.choice(("授权委托书", "委托书", "委 托 书")), title_c, 52, 0.3)
    L, R, sz = 140, A4[0] - 140, 27
    when = _date(poa.signed_date, rng.choice(("cn", "cn0")))
    by_hand = rng.random() < 0.5
    y += 30
    for role, who, lab in (("principal", P, "委托人"), ("agent", A, "受托人")):
        y = lf.para(
            L,
            R,
            y,
            [
                (f"{lab}：", None, "p"),
                (who.name, f"{role}.name", "p"),
                (f"，{who.sex}，{who.birth_date.year}年{who.birth_date.month}月出生，", None, "p"),
                (rng.choice(("身份证号码：", "公民身份号码：")), None, "p"),
                (who.id_number, f"{role}.id_number", "p"),
                (f"，住址：{who.address}。", None, "p"),
            ],
            size=sz,
            chain=value,
            indent=0,
        )
        y += sz * 0.4
    y += sz * 0.6
    for text in (
        f"委托人系坐落于{poa.location}房屋的产权人。因委托人不能亲自办理该房屋的"
        f"{poa.matter}事宜，特委托受托人为合法代理人，代为办理下列事项：",
        "一、代为签订该房屋的买卖合同及补充协议；",
        "二、代为申请不动产转移登记，提交、签收相关材料；",
        "三、代为缴纳交易税费，领取不动产权证书。",
        "受托人在委托权限内签署的有关文件，委托人均予承认。受托人无转委托权。"
        "委托期限自本委托书签署之日起至上述事项办理完毕之日止。",
    ):
        y = lf.para(L, R, y, text, size=sz, chain=body)
    y += sz * 2
    h = rng.uniform(40, 50)
    p_sig = ("principal", "signature") not in absent
    p_fp = ("principal", "fingerprint") not in absent
    a_sig = ("agent", "signature") not in absent
    if layout == "slash_label":
        x = 640
        lb = lf.text(x - 80, y, "委托人（签名/手印）：", size=27, chain=body)
        base = lb[3] + 8
        slot = (lb[2] + 8, int(base - h * 1.35), A4[0] - 250, base - 4)
        lf.line((lb[2] + 4, base, A4[0] - 130, base), width=1)
        sb = _sign(lf, "principal", P.name, slot, present=p_sig, rng=rng, height=h)
        fx = max(sb[2] + h * 0.7, A4[0] - 200) if p_sig else A4[0] - 190
        _thumb(lf, "principal", fx, base - h * 0.6, present=p_fp, rng=rng, size=h * 1.5)
        y += h * 3.2
        lb = lf.text(x - 80, y, "受托人（签名）：", size=27, chain=body)
        base = lb[3] + 8
        lf.line((lb[2] + 4, base, A4[0] - 130, base), width=1)
        _sign(
            lf,
            "agent",
            A.name,
            (lb[2] + 8, int(base - h * 1.35), A4[0] - 134, base - 4),
            present=a_sig,
            rng=rng,
            height=h,
        )
        y += h * 3.0
        b = lf.text(x - 80, y, "日期：", size=27, chain=body)
        if by_hand:
            lf.hand(b[2] + 12, y - 4, when, size=29, chain=hand, rng=rng, key="signed_date")
        else:
            lf.text(b[2] + 12, y, when, size=27, chain=value, key="signed_date")
    else:
        lb = lf.text(L, y, "委托人签字：", size=27, chain=body)
        base = lb[3] + 8
        lf.line((lb[2] + 4, base, lb[2] + 330, base), width=1)
        slot = (lb[2] + 8, int(base - h * 1.35), lb[2] + 326, base - 4)
        sb = _sign(lf, "principal", P.name, slot, present=p_sig, rng=rng, height=h)
        # the principal's thumb pressed on the name
        fx = (sb[0] + sb[2]) / 2 + rng.uniform(-10, 30) if p_sig else lb[2] + 380
        _thumb(lf, "principal", fx, base - h * 0.7, present=p_fp, rng=rng, size=h * 1.45)
        lb2 = lf.text(lb[2] + 440, y, "受托人签字：", size=27, chain=body)
        lf.line((lb2[2] + 4, base, A4[0] - 130, base), width=1)
        _sign(
            lf,
            "agent",
            A.name,
            (lb2[2] + 8, int(base - h * 1.35), A4[0] - 134, base - 4),
            present=a_sig,
            rng=rng,
            height=h,
        )
        y += h * 3.2
        b = lf.text(L, y, "签署日期：", size=27, chain=body)
        if by_hand:
            lf.hand(b[2] + 12, y - 4, when, size=29, chain=hand, rng=rng, key="signed_date")
        else:
            lf.text(b[2] + 12, y, when, size=27, chain=value, key="signed_date")
    fields = {
        "principal": {"name": P.name, "id_number": P.id_number},
        "agent": {"name": A.name, "id_number": A.id_number},
        "signed_date": poa.signed_date.isoformat(),
    }
    return _done("power_of_attorney", fields, [lf], seed=seed, facts=poa, layout=layout)


# property certificate -----------------------------------------------------------------------------


def _registry_seal(
    lf: Leaf,
    x: float,
    y: float,
    prop: d.Property,
    rng: random.Random,
    body,
    *,
    seal_org: str | None,
    present: bool,
    r: float,
) -> None:
    """登记机构（章） and the date under it, the seal over both."""
    lb = lf.text(x, y, "登记机构（章）", size=28, chain=body)
    db = lf.text(
        x + rng.uniform(-10, 30), y + 66, _date(prop.registered_on, "cn0"), size=28, chain=body
    )
    cx = (lb[0] + lb[2]) / 2 + rng.uniform(-20, 40)
    cy = (lb[3] + db[1]) / 2 + rng.uniform(-15, 15)
    expected = registry_organ(prop)
    if not present:
        b = (int(cx - r), int(cy - r), int(cx + r), int(cy + r))
        lf.marks.append(Mark("seal", "registry", lf.index, b, False, False, None, expected))
        return
    org = seal_org or expected
    a, color = seal(org, r, rng, under="不动产登记专用章" if rng.random() < 0.7 else "")
    m = a.shape[0]
    b = lf.lay(a, int(cx - m / 2), int(cy - m / 2), color)
    assert b is not None
    lf.marks.append(Mark("seal", "registry", lf.index, b, True, False, org, expected))


_REGISTER_TEXT = (
    "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人申请登记的"
    "本证所列不动产权利，经审查核实，准予登记，颁发此证。"
)


def _cert_table(lf: Leaf, x0: int, x1: int, y: float, prop: d.Property, rng, body, value) -> float:
    lw, sz = 200, 25
    owners: list[Span] = []
    for i, o in enumerate(prop.owners):
        if i:
            owners.append(("、", None, "p"))
        owners.append((o.name, f"owners[{i}]", "p"))
    unit = prop.unit_number
    if rng.random() < 0.5:
        unit = " ".join((unit[:6], unit[6:12], unit[12:19], unit[19:]))
    rows: list[tuple[str, list[Span], float]] = [
        (rng.choice(("权利人", "不动产权利人")), owners, 70),
        ("共有情况", [(prop.co_ownership, "co_ownership", "p")], 66),
        ("坐落", [(prop.location, "location", "p")], 70),
        ("不动产单元号", [(unit, "unit_number", "p")], 66),
        ("权利类型", [(prop.right_type, None, "p")], 66),
        ("权利性质", [(prop.right_nature, None, "p")], 66),
        ("用途", [(prop.use, None, "p")], 66),
        (
            "面积",
            [
                (f"共有宗地面积{prop.land_area}㎡/房屋建筑面积", None, "p"),
                (prop.area, "area", "p"),
                ("㎡", None, "p"),
            ],
            70,
        ),
        ("使用期限", [(prop.term, None, "p")], 70),
        (
            "权利其他状况",
            [("房屋结构：钢筋混凝土结构；专有建筑面积与分摊面积详见登记簿。", None, "p")],
            90,
        ),
    ]
    for label, spans, min_h in rows:
        top = y
        end = lf.para(
            x0 + lw + 14, x1 - 14, y + 16, spans, size=sz, chain=value, leading=1.45, indent=0
        )
        bottom = max(top + min_h, end - sz * 0.45 + 14)
        lw_ = lf.measure(label, size=sz - 1, chain=body)
        lf.text(
            x0 + (lw - lw_) / 2, (top + bottom) / 2 - (sz - 1) / 2, label, size=sz - 1, chain=body
        )
        lf.rect((x0, top, x1, bottom), width=2)
        lf.line((x0 + lw, top, x0 + lw, bottom), width=1)
        y = bottom
    return y


def property_certificate(
    prop: d.Property,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    seal_org: str | None = None,
    absent: Absent = (),
) -> Sample:
    title_c, body, value = _faces(rng)
    paper = rng.choice(((250, 247, 236), (248, 246, 240), (252, 250, 244)))
    present = ("registry", "seal") not in absent
    cert = _cert(prop.certificate_number, rng)
    if layout == "register_pages":
        p0 = Leaf(1200, 1650, index=0, paper=paper)
        y = p0.para(120, 1080, 330, _REGISTER_TEXT, size=28, chain=body, leading=2.1)
        _registry_seal(
            p0,
            700,
            max(y + 260, 1030),
            prop,
            rng,
            body,
            seal_org=seal_org,
            present=present,
            r=rng.uniform(118, 134),
        )
        p0.text(120, 1500, "中华人民共和国自然资源部监制", size=22, chain=body)
        p0.text(
            760, 1500, f"编号 NO.{prop.print_serial[1:]}", size=22, chain=body, fill=(40, 40, 90)
        )
        p1 = Leaf(1200, 1650, index=1, paper=paper)
        p1.text(90, 100, cert, size=29, chain=value, key="certificate_number")
        _cert_table(p1, 80, 1120, 170, prop, rng, body, value)
        leaves = [p0, p1]
    else:
        lf = Leaf(*A4, index=0, paper=paper)
        y = _title(lf, 110, "不动产权证书", title_c, 50, 0.3)
        lf.text(140, y + 10, cert, size=28, chain=value, key="certificate_number")
        y = _cert_table(lf, 130, A4[0] - 130, y + 80, prop, rng, body, value)
        y = lf.para(150, A4[0] - 150, y + 50, _REGISTER_TEXT, size=24, chain=body, leading=1.8)
        _registry_seal(
            lf,
            820,
            y + 60,
            prop,
            rng,
            body,
            seal_org=seal_org,
            present=present,
            r=rng.uniform(112, 128),
        )
        leaves = [lf]
    fields = {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }
    return _done("property_certificate", fields, leaves, seed=seed, facts=prop, layout=layout)


RENDER: dict[str, Callable[..., Sample]] = {
    "sale_contract": sale_contract,
    "power_of_attorney": power_of_attorney,
    "property_certificate": property_certificate,
}
