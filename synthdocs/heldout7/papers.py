"""This family's sale contracts, powers of attorney and property certificates, each in layouts
of its own with the places their marks go (:data:`LAYOUTS`)."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any

from .. import data as d
from ..canvas import Box, Sample
from .sheet import A4, PRINT, Place, Sheet, to_sample

LAYOUTS: dict[str, tuple[str, ...]] = {
    "sale_contract": ("signing_page", "right_stack", "party_rows"),
    "power_of_attorney": ("letter", "grid"),
    "property_certificate": ("spread", "register_page"),
}
Absent = Collection[tuple[str, str]]
CITIES = (
    "杭州市",
    "宁波市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "舟山市",
    "台州市",
    "丽水市",
)


def registry_organ(prop: d.Property) -> str:
    """The organ whose registry seal a certificate of ``prop`` carries."""
    if prop.registry == "杭州市":
        return "杭州市规划和自然资源局"
    return f"{prop.registry}自然资源和规划局"


def foreign_organ(prop: d.Property, rng: random.Random) -> str:
    """An organisation whose seal is not the registry's: another city's organ, another
    department of the same city, or a company."""
    own = registry_organ(prop)
    city = prop.registry
    other = rng.choice([c for c in CITIES if not own.startswith(c)])
    return rng.choice(
        (
            f"{other}自然资源和规划局",
            f"{city}住房和城乡建设局",
            f"{other}不动产登记服务中心",
            f"{city}安居房地产经纪有限公司",
        )
    )


def _date(x: date, rng: random.Random) -> str:
    return rng.choice(
        (f"{x.year}年{x.month}月{x.day}日", f"{x.year}年{x.month:02d}月{x.day:02d}日")
    )


def _upper(n: int) -> str:
    digits, units = "零壹贰叁肆伍陆柒捌玖", ["", "拾", "佰", "仟"]
    wan, rest = divmod(n, 10000)

    def four(v: int) -> str:
        s, zero = "", False
        for i in range(3, -1, -1):
            q = v // 10**i % 10
            if q:
                s += ("零" if zero and s else "") + digits[q] + units[i]
                zero = False
            else:
                zero = True
        return s

    out = (four(wan) + "万" if wan else "") + (
        ("零" if rest and rest < 1000 and wan else "") + four(rest)
    )
    return out + "元整"


def _sheet(i: int, rng: random.Random, size: tuple[int, int] = A4) -> Sheet:
    tone = rng.randint(-5, 3)
    return Sheet(size, index=i, paper=(250 + min(tone, 5), 249 + tone, 245 + tone))


def _party(x: Any) -> dict[str, str]:
    return {"name": x.name, "id_number": x.id_number}


# -------------------------------------------------------------------------------------------
# sale contracts
# -------------------------------------------------------------------------------------------

_CLAUSES = (
    (
        "第三条 付款方式",
        "乙方应于本合同签订之日向甲方支付定金人民币{deposit}元，余款于办理不动产转移登记手续之日起七个工作日内付清。",
    ),
    (
        "第四条 房屋交付",
        "甲方应于{handover}前将该房屋交付乙方，并结清交付前的水、电、燃气、物业管理等费用。",
    ),
    (
        "第五条 税费承担",
        "办理该房屋转移登记所发生的税费，由甲乙双方按照国家及本市有关规定各自承担。",
    ),
    (
        "第六条 产权保证",
        "甲方保证该房屋权属清楚，不存在抵押、查封等限制转让的情形；如有隐瞒，甲方承担全部责任。",
    ),
    (
        "第七条 违约责任",
        "任何一方未按本合同约定履行义务的，每逾期一日，按已付款项的万分之五向守约方支付违约金。",
    ),
    (
        "第八条 争议解决",
        "本合同履行中发生争议的，由双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。",
    ),
    (
        "第九条 其他",
        "本合同自甲乙双方签字（捺印）之日起生效。本合同一式四份，甲乙双方各执一份，其余用于办理登记手续。",
    ),
)


def _contract_top(
    sh: Sheet, c: d.Contract, rng: random.Random, agent: d.Person | None, chain: str, size: int
) -> float:
    title = rng.choice(("二手房买卖合同", "存量房买卖合同", "存量房屋买卖合同"))
    tw = sh.width_of(title, size=42, chain=chain, bold=1)
    sh.text((sh.width - tw) / 2, 110, title, size=42, chain=chain, bold=1)
    sh.text(sh.width - 460, 178, f"合同编号：{c.number}", size=18, chain="thin")
    y = 230.0
    x0 = 130
    rows: list[tuple[str, str, d.Person]] = []
    for i, p in enumerate(c.sellers):
        rows.append(
            (rng.choice(("出卖人（甲方）", "卖方（甲方）")) if i == 0 else "", f"sellers[{i}]", p)
        )
    for j, p in enumerate(c.buyers):
        rows.append(
            (rng.choice(("买受人（乙方）", "买方（乙方）")) if j == 0 else "", f"buyers[{j}]", p)
        )
    for label, key, p in rows:
        if label:
            sh.text(x0, y, label + "：", size=size, chain=chain)
            y += size * 1.7
        sh.text(x0 + 40, y, "姓名：", size=size, chain=chain)
        sh.text(x0 + 40 + 3 * size, y, p.name, size=size, chain=chain, key=f"{key}.name")
        sh.text(x0 + 300, y, "身份证号码：", size=size, chain=chain)
        sh.text(
            x0 + 300 + 6 * size, y, c.printed_id(p), size=size, chain=chain, key=f"{key}.id_number"
        )
        y += size * 1.8
    if agent is not None:
        sh.text(
            x0,
            y,
            f"委托代理人：{agent.name}    身份证号码：{agent.id_number}",
            size=size,
            chain=chain,
        )
        y += size * 1.8
    y += size * 0.5
    y = sh.spans(
        x0,
        sh.width - x0,
        y,
        [
            (
                "根据《中华人民共和国民法典》等法律、法规的规定，甲乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方存量房屋事宜，订立本合同。",
                None,
            )
        ],
        size=size,
        chain=chain,
    )
    sh.text(x0, y, "第一条 房屋基本情况", size=size, chain=chain, bold=1)
    y += size * 1.75
    y = sh.spans(
        x0,
        sh.width - x0,
        y,
        [
            ("甲方所有的房屋坐落于", None),
            (c.printed_location, "location"),
            ("，不动产权证书号为", None),
            (c.printed_certificate_number, "certificate_number"),
            (f"，建筑面积{c.prop.area}平方米，规划用途为住宅。", None),
        ],
        size=size,
        chain=chain,
    )
    sh.text(x0, y, "第二条 成交价格", size=size, chain=chain, bold=1)
    y += size * 1.75
    y = sh.spans(
        x0,
        sh.width - x0,
        y,
        [
            ("双方协商一致，该房屋成交价格为人民币", None),
            (str(c.price), "price"),
            (f"元（大写：{_upper(c.price)}）。", None),
        ],
        size=size,
        chain=chain,
    )
    return y


def _clauses(
    sheets: list[Sheet], y: float, c: d.Contract, rng: random.Random, chain: str, size: int
) -> float:
    x0 = 130
    sh = sheets[-1]
    for head, body in _CLAUSES:
        text = body.format(
            deposit=c.deposit,
            handover=f"{c.handover_date.year}年{c.handover_date.month}月{c.handover_date.day}日",
        )
        if y > sh.height - 260:
            sh = _sheet(len(sheets), rng)
            sheets.append(sh)
            y = 130.0
        sh.text(x0, y, head, size=size, chain=chain, bold=1)
        y += size * 1.75
        y = sh.spans(x0, sh.width - x0, y, [(text, None)], size=size, chain=chain)
    return y


def _sign_line(
    sh: Sheet,
    x: float,
    y: float,
    label: str,
    place: str,
    name: str,
    present: Callable[[str], bool],
    rng: random.Random,
    *,
    size: int,
    chain: str,
    thumb: bool,
    fp_label: str | None,
    room: int = 300,
) -> float:
    """``label`` with a signature area after it on an underline and, with ``thumb``, a
    fingerprint area beside; returns the y below the line."""
    lb = sh.text(x, y, label, size=size, chain=chain)
    sx0 = lb[2] + 2
    base = int(y + size * 1.1)
    sh.line((sx0, base, sx0 + room, base), width=1)
    sig = (sx0, base - 62, sx0 + room, base + 12)
    sh.place(Place("signature", place, sig, present("signature"), name=name), rng)
    if thumb:
        fx = sig[2] + 14
        if fp_label:
            fb = sh.text(fx, y, fp_label, size=size, chain=chain)
            fx = fb[2] + 6
        fp = (fx, base - 72, fx + 96, base + 40)
        sh.place(Place("fingerprint", place, fp, present("fingerprint"), lean=sig), rng)
    return base + 40


def _present(place: str, absent: Absent, signed: bool) -> Callable[[str], bool]:
    return lambda kind: signed and (place, kind) not in absent


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    absent: Absent = frozenset(),
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
) -> Sample:
    chain = rng.choice(("sung", "sung", "xlight"))
    size = rng.choice((20, 21, 22))
    n_s = len(c.sellers)
    flags = list(signed) if signed is not None else [True] * (n_s + len(c.buyers))
    sheets = [_sheet(0, rng)]
    y = _contract_top(sheets[0], c, rng, agent, chain, size)
    y = _clauses(sheets, y, c, rng, chain, size)
    parties = [(f"seller[{i}]", p, flags[i]) for i, p in enumerate(c.sellers)]
    parties += [(f"buyer[{j}]", p, flags[n_s + j]) for j, p in enumerate(c.buyers)]
    x0 = 130
    signed_text = _date(c.signed_date, rng)
    if layout == "signing_page":
        sheets[-1].text(x0, y + 10, "（以下无正文，为签署页）", size=size, chain=chain)
        sh = _sheet(len(sheets), rng)
        sheets.append(sh)
        tw = sh.width_of("签 署 页", size=34, chain=chain, bold=1)
        sh.text((sh.width - tw) / 2, 140, "签 署 页", size=34, chain=chain, bold=1)
        y = 240.0
        s_label = rng.choice(("出卖人（签名并捺印）：", "出卖人（签字并按指印）："))
        b_label = rng.choice(("买受人（签名并捺印）：", "买受人（签字并按指印）："))
        for place, p, ok in parties:
            label = s_label if place.startswith("seller") else b_label
            y = _sign_line(
                sh,
                x0,
                y,
                label,
                place,
                p.name,
                _present(place, absent, ok),
                rng,
                size=size,
                chain=chain,
                thumb=True,
                fp_label=rng.choice((None, "指印：")),
            )
            sh.text(x0 + 60, y - 8, "签订日期：______年____月____日", size=size - 2, chain=chain)
            y += 70
        if agent is not None:
            y = _sign_line(
                sh,
                x0,
                y,
                "委托代理人（签字）：",
                "agent",
                agent.name,
                _present("agent", absent, True),
                rng,
                size=size,
                chain=chain,
                thumb=False,
                fp_label=None,
            )
            y += 40
        sh.text(x0, y + 20, "本合同签订日期：", size=size, chain=chain)
        sh.text(x0 + 8 * size, y + 20, signed_text, size=size, chain=chain, key="signed_date")
    elif layout == "right_stack":
        sh = sheets[-1]
        need = 130 * len(parties) + (130 if agent else 0) + 160
        if y + need > sh.height - 80:
            sh = _sheet(len(sheets), rng)
            sheets.append(sh)
            y = 150.0
        sh.text(x0, y + 10, "（以下无正文）", size=size, chain=chain)
        sh.text(x0, y + 70, "居间方（盖章）：", size=size, chain=chain)
        sh.text(x0, y + 130, "经办人：", size=size, chain=chain)
        y += 60
        xr = sh.width // 2 - 40
        for place, p, ok in parties:
            seller = place.startswith("seller")
            label = (
                rng.choice(("卖方签名：", "甲方签字："))
                if seller
                else rng.choice(("买方签名：", "乙方签字："))
            )
            y = _sign_line(
                sh,
                xr,
                y,
                label,
                place,
                p.name,
                _present(place, absent, ok),
                rng,
                size=size,
                chain=chain,
                thumb=True,
                fp_label="捺印",
                room=230,
            )
            y += 62
        if agent is not None:
            y = _sign_line(
                sh,
                xr,
                y,
                "代理人签名：",
                "agent",
                agent.name,
                _present("agent", absent, True),
                rng,
                size=size,
                chain=chain,
                thumb=False,
                fp_label=None,
                room=230,
            )
            y += 30
        sh.text(xr, y + 10, "签订日期：", size=size, chain=chain)
        sh.text(xr + 5 * size, y + 10, signed_text, size=size, chain=chain, key="signed_date")
    else:  # party_rows: a ruled table, one row per party
        sh = sheets[-1]
        rows = len(parties) + (1 if agent else 0)
        if y + 80 + 130 * rows + 120 > sh.height - 80:
            sh = _sheet(len(sheets), rng)
            sheets.append(sh)
            y = 150.0
        cols = [x0, x0 + 150, x0 + 300, x0 + 640, x0 + 790, sh.width - x0]
        heads = ("当事人", "姓名", "签名", "指印", "日期")
        top = int(y + 20)
        for k, hd in enumerate(heads):
            sh.text(cols[k] + 14, top + 12, hd, size=size, chain=chain, bold=1)
        rowtop = top + 50
        sh.line((cols[0], top, cols[-1], top))
        entries: list[tuple[str, str, d.Person, bool]] = [
            ("出卖人" if pl.startswith("seller") else "买受人", pl, p, ok) for pl, p, ok in parties
        ]
        if agent is not None:
            entries.append(("委托代理人", "agent", agent, True))
        for role, place, p, ok in entries:
            sh.line((cols[0], rowtop, cols[-1], rowtop))
            sh.text(cols[0] + 14, rowtop + 48, role, size=size - 2, chain=chain)
            sh.text(cols[1] + 14, rowtop + 48, p.name, size=size, chain=chain)
            pres = _present(place, absent, ok)
            sig = (cols[2] + 6, rowtop + 8, cols[3] - 6, rowtop + 122)
            sh.place(Place("signature", place, sig, pres("signature"), name=p.name), rng)
            if place != "agent":
                fp = (cols[3] + 8, rowtop + 8, cols[4] - 8, rowtop + 122)
                sh.place(Place("fingerprint", place, fp, pres("fingerprint")), rng)
            sh.text(cols[4] + 14, rowtop + 48, "  年  月  日", size=size - 2, chain=chain)
            rowtop += 130
        sh.line((cols[0], rowtop, cols[-1], rowtop))
        for cx in cols:
            sh.line((cx, top, cx, rowtop))
        sh.text(x0, rowtop + 40, "签订日期：", size=size, chain=chain)
        sh.text(x0 + 5 * size, rowtop + 40, signed_text, size=size, chain=chain, key="signed_date")
    fields = {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }
    return to_sample("sale_contract", sheets, fields, seed=seed, layout=layout, facts=c)


# -------------------------------------------------------------------------------------------
# powers of attorney
# -------------------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    absent: Absent = frozenset(),
) -> Sample:
    chain = rng.choice(("sung", "kai", "xlight"))
    size = rng.choice((21, 22, 23))
    sh = _sheet(0, rng)
    pr, ag = poa.principal, poa.agent
    x0, x1 = 140, sh.width - 140
    title = rng.choice(("委托书", "授权委托书", "委 托 书"))
    tw = sh.width_of(title, size=46, chain=chain, bold=1)
    sh.text((sh.width - tw) / 2, 130, title, size=46, chain=chain, bold=1)
    pres = _present("principal", absent, True)
    apres = _present("agent", absent, True)
    when = _date(poa.signed_date, rng)
    body = (
        f"委托人系坐落于{poa.location}房屋的权利人，因工作原因不能亲自办理，现委托受托人"
        f"代为办理该房屋的{poa.matter}相关事宜，包括签订存量房买卖合同、申请不动产转移登记、"
        "缴纳相关税费、领取不动产权证书等。受托人在委托权限内签署的有关文件，委托人均予以承认，"
        "并承担相应的法律责任。委托期限自签署之日起至上述事项办结之日止，受托人无转委托权。"
    )
    if layout == "letter":
        y = 250.0
        for role, key, p in (("委托人", "principal", pr), ("受托人", "agent", ag)):
            sh.text(x0, y, f"{role}：", size=size, chain=chain)
            sh.text(x0 + 4 * size, y, p.name, size=size, chain=chain, key=f"{key}.name")
            sh.text(x0 + 300, y, f"性别：{p.sex}", size=size, chain=chain)
            y += size * 1.9
            sh.text(x0 + 4 * size, y, "身份证号码：", size=size, chain=chain)
            sh.text(x0 + 10 * size, y, p.id_number, size=size, chain=chain, key=f"{key}.id_number")
            y += size * 2.3
        y = sh.spans(x0, x1, y + 10, [(body, None)], size=size, chain=chain, leading=1.9)
        sh.text(x0 + 2 * size, y, "特此委托。", size=size, chain=chain)
        y += 140
        xr = sh.width // 2 - 20
        lab = rng.choice(("委托人（亲笔签名）：", "委托人签名："))
        y = _sign_line(
            sh,
            xr,
            y,
            lab,
            "principal",
            pr.name,
            pres,
            rng,
            size=size,
            chain=chain,
            thumb=True,
            fp_label=rng.choice(("（捺印）", None)),
            room=220,
        )
        y += 30
        lab = rng.choice(("受托人（签字）：", "受托人签名确认："))
        y = _sign_line(
            sh,
            xr,
            y,
            lab,
            "agent",
            ag.name,
            apres,
            rng,
            size=size,
            chain=chain,
            thumb=False,
            fp_label=None,
            room=220,
        )
        sh.text(xr, y + 20, "日期：", size=size, chain=chain)
        sh.text(xr + 3 * size, y + 20, when, size=size, chain=chain, key="signed_date")
    else:  # grid: a ruled form
        y = 250
        c0, c1, c2, c3 = x0, x0 + 160, x0 + 460, x0 + 640
        rows: list[int] = [y]
        for role, key, p in (("委托人", "principal", pr), ("受托人", "agent", ag)):
            sh.text(c0 + 14, y + 22, role, size=size, chain=chain, bold=1)
            sh.text(c1 + 10, y + 22, "姓名", size=size - 2, chain=chain)
            sh.text(c1 + 10 + 3 * size, y + 22, p.name, size=size, chain=chain, key=f"{key}.name")
            sh.text(c2 + 10, y + 22, "证件号码", size=size - 2, chain=chain)
            sh.text(c3 + 10, y + 22, p.id_number, size=size, chain=chain, key=f"{key}.id_number")
            y += 76
            rows.append(y)
        sh.text(c0 + 14, y + 22, "委托事项", size=size, chain=chain, bold=1)
        yb = sh.spans(
            c1 + 10,
            x1 - 10,
            y + 22,
            [(body, None)],
            size=size - 1,
            chain=chain,
            indent=0,
            leading=1.8,
        )
        y = int(yb + 10)
        rows.append(y)
        box_top = y
        sh.text(c0 + 14, y + 20, "委托人签名（捺印）", size=size - 2, chain=chain)
        sig = (c0 + 14, y + 60, c0 + 300, y + 170)
        sh.place(Place("signature", "principal", sig, pres("signature"), name=pr.name), rng)
        fp = (c0 + 320, y + 50, c0 + 430, y + 175)
        sh.place(Place("fingerprint", "principal", fp, pres("fingerprint"), lean=sig), rng)
        mid = (x0 + x1) // 2 + 40
        sh.text(mid + 14, y + 20, "受托人签名确认", size=size - 2, chain=chain)
        asig = (mid + 14, y + 60, x1 - 20, y + 170)
        sh.place(Place("signature", "agent", asig, apres("signature"), name=ag.name), rng)
        y += 230
        sh.text(c0 + 14, y - 44, "年    月    日", size=size - 2, chain=chain)
        sh.text(mid + 14, y - 44, "年    月    日", size=size - 2, chain=chain)
        rows.append(y)
        for ry in rows:
            sh.line((x0, ry, x1, ry))
        sh.line((x0, rows[0], x0, y))
        sh.line((x1, rows[0], x1, y))
        sh.line((c1, rows[0], c1, box_top))
        sh.line((mid, box_top, mid, y))
        sh.text(x0, y + 40, "签署日期：", size=size, chain=chain)
        sh.text(x0 + 5 * size, y + 40, when, size=size, chain=chain, key="signed_date")
    fields = {
        "principal": _party(pr),
        "agent": _party(ag),
        "signed_date": poa.signed_date.isoformat(),
    }
    return to_sample("power_of_attorney", [sh], fields, seed=seed, layout=layout, facts=poa)


# -------------------------------------------------------------------------------------------
# property certificates
# -------------------------------------------------------------------------------------------


def _cert_table(
    sh: Sheet, prop: d.Property, x0: int, x1: int, y: int, rng: random.Random, chain: str, size: int
) -> int:
    lw = 200
    rows: list[tuple[str, list[tuple[str, str | None]]]] = [
        ("权利人", [(o.name, f"owners[{i}]") for i, o in enumerate(prop.owners)]),
        ("共有情况", [(prop.co_ownership, "co_ownership")]),
        ("坐    落", [(prop.location, "location")]),
        ("不动产单元号", [(prop.unit_number, "unit_number")]),
        ("权利类型", [(prop.right_type, None)]),
        ("权利性质", [(prop.right_nature, None)]),
        ("用    途", [(prop.use, None)]),
        (
            "面    积",
            [
                (f"共有宗地面积{prop.land_area}㎡/房屋建筑面积", None),
                (prop.area, "area"),
                ("㎡", None),
            ],
        ),
        ("使用期限", [(prop.term, None)]),
        ("权利其他状况", [("专有建筑面积：—", None)]),
    ]
    sh.line((x0, y, x1, y))
    top = y
    for label, spans in rows:
        sh.text(x0 + 12, y + 18, label, size=size, chain=chain)
        x: float = x0 + lw + 12
        yy: float = y + 18
        for k, (text, key) in enumerate(spans):
            if key and key.startswith("owners") and k:
                sh.text(x, yy, "、", size=size, chain=chain)
                x += size
            w = sh.width_of(text, size=size, chain=chain)
            if x + w > x1 - 10 and x > x0 + lw + 12 and w < x1 - x0 - lw - 30:
                x, yy = x0 + lw + 12, yy + size * 1.6
            for ch in text if x + w > x1 - 10 else [text]:
                cw = sh.width_of(ch, size=size, chain=chain)
                if x + cw > x1 - 10:
                    x, yy = x0 + lw + 12, yy + size * 1.6
                sh.text(x, yy, ch, size=size, chain=chain, key=key)
                x += cw
        y = int(yy + size * 1.6 + 14)
        sh.line((x0, y, x1, y))
    for cx in (x0, x0 + lw, x1):
        sh.line((cx, top, cx, y))
    return y


def property_certificate(
    prop: d.Property,
    *,
    seed: int,
    layout: str,
    rng: random.Random,
    absent: Absent = frozenset(),
    seal_org: str | None = None,
) -> Sample:
    chain = rng.choice(("sung", "xlight"))
    size = rng.choice((19, 20, 21))
    organ = registry_organ(prop)
    present = ("registry", "seal") not in absent
    number = prop.certificate_number
    if rng.random() < 0.5:
        number = number.replace("(", "（").replace(")", "）")
    when = _date(prop.registered_on, rng)
    if layout == "spread":
        sh = _sheet(0, rng, (A4[1], A4[0]))
        half = sh.width // 2
        sh.line(
            (half, 40, half, sh.height - 40), fill=(205, 200, 190), width=3
        )  # the booklet's gutter
        lx0, lx1 = 110, half - 110
        y = sh.spans(
            lx0,
            lx1,
            260,
            [
                (
                    "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。",
                    None,
                )
            ],
            size=size + 1,
            chain=chain,
            leading=2.0,
        )
        lab = rng.choice(("登记机构（章）", "登记机构（章）："))
        lb = sh.text(lx1 - 300, y + 120, lab, size=size + 2, chain=chain)
        db = sh.text(lx1 - 300, y + 190, when, size=size + 2, chain=chain)
        cx, cy = (lb[0] + db[2]) // 2 + 20, (lb[1] + db[3]) // 2
        area: Box = (cx - 140, cy - 140, cx + 140, cy + 140)
        sh.text(lx0 + 60, sh.height - 150, "中华人民共和国自然资源部监制", size=size, chain=chain)
        sh.text(
            lx0 + 60,
            sh.height - 110,
            f"编号NO {prop.print_serial}",
            size=size,
            chain=chain,
            fill=(150, 40, 40),
        )
        rx0, rx1 = half + 90, sh.width - 90
        sh.text(rx0, 110, number, size=size + 3, chain=chain, key="certificate_number")
        _cert_table(sh, prop, rx0, rx1, 170, rng, chain, size)
        sh.place(
            Place("seal", "registry", area, present, org=seal_org or organ, expected_org=organ),
            rng,
            tempt=False,
        )
    else:  # register_page: one portrait page, the organ's name printed and stamped over
        sh = _sheet(0, rng)
        tw = sh.width_of("不动产权证书", size=40, chain=chain, bold=1)
        sh.text((sh.width - tw) / 2, 120, "不动产权证书", size=40, chain=chain, bold=1)
        x0, x1 = 120, sh.width - 120
        sh.text(x0, 210, "证书号：", size=size + 1, chain=chain)
        sh.text(
            x0 + 4 * (size + 1), 210, number, size=size + 1, chain=chain, key="certificate_number"
        )
        y = _cert_table(sh, prop, x0, x1, 270, rng, chain, size)
        sh.text(x0 + 12, y + 30, "附    记", size=size, chain=chain)
        sh.rect((x0, y + 10, x1, y + 200))
        sh.text(
            x0 + 220,
            y + 30,
            "业务号：" + "".join(str(rng.randint(0, 9)) for _ in range(14)),
            size=size - 2,
            chain=chain,
        )
        y += 300
        ob = sh.text(x1 - 520, y, f"登记机构（章）：{organ}", size=size + 1, chain=chain)
        db = sh.text(x1 - 330, y + 60, when, size=size + 1, chain=chain)
        cx, cy = (ob[0] + ob[2]) // 2 + 100, (ob[1] + db[3]) // 2
        area = (cx - 145, cy - 145, cx + 145, cy + 145)
        sh.place(
            Place("seal", "registry", area, present, org=seal_org or organ, expected_org=organ),
            rng,
            tempt=False,
        )
    fields = {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }
    sample = to_sample("property_certificate", [sh], fields, seed=seed, layout=layout, facts=prop)
    return sample


RENDER: dict[str, Callable[..., Sample]] = {
    "sale_contract": sale_contract,
    "power_of_attorney": power_of_attorney,
    "property_certificate": property_certificate,
}
_ = PRINT
