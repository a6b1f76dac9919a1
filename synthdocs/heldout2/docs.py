"""The documents of the second held-out family: every CONTRACT §3 type in at least two layouts
of this family's own (bordered tables whose values wrap, label-left with colons or dotted
leaders, label-above, two columns, prose), with the wordings real issuers use."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PIL import Image, ImageDraw

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import fonts
from .draw import INK, Sheet, finish
from .marks import seal_place, sign_place

A4 = (1240, 1754)  # 150 dpi
LABEL_BLUE = (52, 92, 140)
Spans = Sequence[tuple[str, str | None]]


class Style:
    """The faces and wordings of one document, drawn by seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.label = rng.choice((("babel",), ("hana",), ("xlight",), ("ipamj", "hana")))
        self.value = rng.choice(
            (("babel",), ("hana",), ("ipamj", "babel"), ("xlight",), ("ipam", "babel"))
        )
        self.digits = rng.choice((("ipag",), ("ipam",), ("babel",), ("hana",), ("ipamj",)))
        self.title = rng.choice((("babel",), ("hana",), ("thin",)))

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)


def zh_date(x: date, rng: random.Random | None = None, *, pad: bool = False) -> str:
    if pad:
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    return f"{x.year}年{x.month}月{x.day}日"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def capital_amount(n: int) -> str:
    """人民币大写 of a whole number of yuan."""
    units = ["", "拾", "佰", "仟"]
    out = ""
    wan, rest = divmod(n, 10000)
    yi, wan = divmod(wan, 10000)

    def four(v: int) -> str:
        s, zero = "", False
        for i in range(3, -1, -1):
            digit = v // 10**i % 10
            if digit == 0:
                zero = bool(s)
            else:
                if zero:
                    s += "零"
                    zero = False
                s += _DIGITS[digit] + units[i]
        return s

    if yi:
        out += four(yi) + "亿"
    if wan:
        out += ("零" if yi and wan < 1000 else "") + four(wan) + "万"
    if rest:
        out += ("零" if (yi or wan) and rest < 1000 else "") + four(rest)
    return (out or "零") + "元整"


def flow(
    sh: Sheet,
    spans: Spans,
    *,
    x0: float,
    x1: float,
    y: float,
    size: int,
    faces: Sequence[str],
    indent: float = 2,
    leading: float = 1.7,
    key_faces: Sequence[str] | None = None,
) -> float:
    """A paragraph of prose with keyed values; a value may wrap onto the next line (one part
    per line). Returns the y below it."""
    x = x0 + indent * size
    for text, key in spans:
        fc = key_faces if key is not None and key_faces else faces
        fc = (fonts.covering(fc, text),)  # one face for the whole span, measured as drawn
        run = ""
        run_x = x
        for ch in _tokens(text):
            w = sh.width_of(ch, size, fc)
            if x + w > x1 and ch not in "，。、；：）":
                if run.strip():
                    sh.text(run_x, y, run, size=size, faces=fc, key=key)
                y += size * leading
                x, run, run_x = x0, "", x0
            run += ch
            x += w
        if run.strip():
            sh.text(run_x, y, run, size=size, faces=fc, key=key)
    return y + size * leading


def _tokens(text: str) -> list[str]:
    """Characters, with ASCII letter/digit runs kept whole (a line never breaks a number)."""
    out: list[str] = []
    for ch in text:
        last = out[-1][-1:] if out else ""
        if ch.isascii() and ch.isalnum() and last.isascii() and last.isalnum():
            out[-1] += ch
        else:
            out.append(ch)
    return out


def label_value(
    sh: Sheet,
    x: float,
    y: float,
    label: str,
    value: str,
    *,
    key: str | None,
    st: Style,
    size: int,
    width: float,
    leader: bool = False,
    value_faces: Sequence[str] | None = None,
    label_w: float | None = None,
) -> float:
    """``label：value`` (label-left, optional dotted leader); the value wraps under itself.
    Returns the y below."""
    lb = sh.text(x, y, label + ("" if leader else "："), size=size, faces=st.label)
    vx = x + (label_w if label_w is not None else lb[2] - x + size * 0.3)
    if leader:
        sh.dots(lb[2] + 4, vx - 6, y + size * 0.85)
    return sh.block(
        vx,
        y,
        value,
        width=x + width - vx,
        size=size,
        faces=value_faces or st.value,
        key=key,
        leading=1.4,
    )


def table(
    sh: Sheet,
    x0: float,
    y0: float,
    widths: Sequence[float],
    rows: Sequence[Sequence[tuple[str, str | None, str]]],
    *,
    st: Style,
    size: int,
    min_h: float,
) -> float:
    """A ruled table: each row's cells are (text, key, role) with role ``label``/``value``/
    ``digits``; row height grows with the wrapped lines. Returns the y of its bottom rule."""
    y = y0
    xs = [x0]
    for w in widths:
        xs.append(xs[-1] + w)
    sh.hline(x0, xs[-1], y, width=3)
    for row in rows:
        need = min_h
        for (text, _key, role), w in zip(row, widths, strict=False):
            faces = st.label if role == "label" else st.digits if role == "digits" else st.value
            lines = len(sh.wrap(text, w - 16, size, faces)) if text else 1
            need = max(need, size * (1.3 * lines + 0.9))
        for i, ((text, key, role), w) in enumerate(zip(row, widths, strict=False)):
            faces = st.label if role == "label" else st.digits if role == "digits" else st.value
            span_w = w if i < len(row) - 1 else xs[-1] - xs[i]
            if text:
                sh.cell(
                    (xs[i], y, xs[i] + span_w, y + need),
                    text,
                    size=size,
                    faces=faces,
                    key=key,
                    align="center" if role == "label" else "left",
                )
        for i in range(len(row)):
            sh.vline(xs[i], y, y + need)
        sh.vline(xs[-1], y, y + need, width=3)
        sh.vline(x0, y, y + need, width=3)
        y += need
        sh.hline(x0, xs[-1], y)
    sh.hline(x0, xs[-1], y, width=3)
    return y


def title(sh: Sheet, text: str, y: float, *, st: Style, size: int, spacing: float = 0.3) -> float:
    w = sh.width_of(text, size, st.title) + spacing * size * (len(text) - 1)
    sh.text((sh.width - w) / 2, y, text, size=size, faces=st.title, spacing=spacing)
    return y + size * 1.8


def _rng(kind: str, seed: int) -> random.Random:
    return random.Random(f"heldout2:{kind}:{seed}")


# ---------------------------------------------------------------------------------------------
# ID card
# ---------------------------------------------------------------------------------------------


def _card_background(sh: Sheet, ox: float, oy: float, k: float, rng: random.Random) -> None:
    w, h = 1011 * k, 638 * k
    dr = ImageDraw.Draw(sh.img)
    dr.rounded_rectangle(
        [ox, oy, ox + w, oy + h],
        radius=int(40 * k),
        fill=(236, 240, 238),
        outline=(170, 180, 185),
        width=2,
    )
    import math

    for i in range(0, 30):
        pts = []
        for t in range(0, 101):
            x = ox + w * t / 100
            y = oy + h * (0.1 + 0.03 * i) + 14 * k * math.sin(t / 7 + i * 0.7)
            pts.append((x, y))
        dr.line(pts, fill=(214, 226, 228), width=1)


def _photo(sh: Sheet, b: tuple[float, float, float, float], rng: random.Random) -> None:
    dr = ImageDraw.Draw(sh.img)
    x0, y0, x1, y1 = b
    tone = rng.randint(200, 222)
    dr.rectangle(b, fill=(tone, tone + 4, tone + 8))
    cx, w, h = (x0 + x1) / 2, x1 - x0, y1 - y0
    grey = rng.randint(95, 140)
    dr.ellipse([cx - w * 0.2, y0 + h * 0.15, cx + w * 0.2, y0 + h * 0.55], fill=(grey,) * 3)
    dr.chord(
        [cx - w * 0.42, y0 + h * 0.58, cx + w * 0.42, y1 + h * 0.4], 180, 360, fill=(grey - 30,) * 3
    )


def id_card_front(p: d.Person, *, seed: int, layout: str) -> Sample:
    rng = _rng("id_front", seed)
    st = Style(rng)
    if layout == "a4copy":
        sh = Sheet(1654, 2339)  # A4 at 200 dpi, the card at 200 dpi
        k, ox, oy, dpi = 200 / 300, 320.0, 260.0, 200
    else:
        sh = Sheet(1011, 638)
        k, ox, oy, dpi = 1.0, 0.0, 0.0, 300
    _card_background(sh, ox, oy, k, rng)
    lab = dict(size=int(27 * k), faces=st.label, fill=LABEL_BLUE)
    vs = int(34 * k)
    X = lambda v: ox + v * k  # noqa: E731
    Y = lambda v: oy + v * k  # noqa: E731
    sh.text(X(72), Y(72), "姓名", spacing=0.6, **lab)  # type: ignore[arg-type]
    sh.text(X(200), Y(66), p.name, size=vs, faces=st.value, key="name")
    sh.text(X(72), Y(148), "性别", spacing=0.6, **lab)  # type: ignore[arg-type]
    sh.text(X(200), Y(142), p.sex, size=vs, faces=st.value, key="sex")
    sh.text(X(330), Y(148), "民族", spacing=0.6, **lab)  # type: ignore[arg-type]
    sh.text(X(440), Y(142), p.ethnicity, size=vs, faces=st.value, key="ethnicity")
    sh.text(X(72), Y(222), "出生", spacing=0.6, **lab)  # type: ignore[arg-type]
    x = X(200)
    b = p.birth_date
    for part, key in (
        (str(b.year), 1),
        ("年", 0),
        (str(b.month), 1),
        ("月", 0),
        (str(b.day), 1),
        ("日", 0),
    ):
        faces = st.digits if key else st.value
        bx = sh.text(x, Y(216), part, size=vs, faces=faces, key="birth_date")
        x = bx[2] + vs * (0.45 if key else 0.3)
    sh.text(X(72), Y(298), "住址", spacing=0.6, **lab)  # type: ignore[arg-type]
    sh.block(
        X(200),
        Y(292),
        p.address,
        width=460 * k,
        size=vs,
        faces=st.value,
        key="address",
        leading=1.45,
    )
    sh.text(X(72), Y(540), "公民身份号码", spacing=0.1, **lab)  # type: ignore[arg-type]
    sh.text(
        X(340), Y(530), p.id_number, size=int(38 * k), faces=st.digits, key="id_number", spacing=0.1
    )
    _photo(sh, (X(690), Y(90), X(945), Y(420)), rng)
    if layout == "a4copy":
        _copy_note(sh, rng, oy + 638 * k + 120)
    return finish(
        "id_card_front", golden.id_card_front(p), [sh], dpi=dpi, seed=seed, layout=layout, facts=p
    )


def _copy_note(sh: Sheet, rng: random.Random, y: float) -> None:
    """The line citizens write on a copy of their card (in pen strokes, not a font)."""
    from .marks import signature

    sh.text(
        320,
        y,
        "此复印件仅供办理不动产转移登记使用，他用无效。",
        size=34,
        faces=("babel",),
        fill=(40, 40, 90),
    )
    signature(sh, (1000, y + 70, 1300, y + 150), rng, chars=3)


def id_card_back(p: d.Person, *, seed: int, layout: str) -> Sample:
    rng = _rng("id_back", seed)
    st = Style(rng)
    if layout == "a4copy":
        sh = Sheet(1654, 2339)
        k, ox, oy, dpi = 200 / 300, 320.0, 980.0, 200
    else:
        sh = Sheet(1011, 638)
        k, ox, oy, dpi = 1.0, 0.0, 0.0, 300
    _card_background(sh, ox, oy, k, rng)
    X = lambda v: ox + v * k  # noqa: E731
    Y = lambda v: oy + v * k  # noqa: E731
    dr = ImageDraw.Draw(sh.img)
    # the national emblem, simplified: red disc, gold ring, five stars
    dr.ellipse(
        [X(70), Y(60), X(230), Y(220)], fill=(200, 40, 40), outline=(220, 180, 60), width=int(8 * k)
    )
    sh.text(X(330), Y(80), "中华人民共和国", size=int(56 * k), faces=st.title, spacing=0.25)
    sh.text(X(300), Y(190), "居民身份证", size=int(80 * k), faces=st.title, spacing=0.3)
    lab = dict(size=int(28 * k), faces=st.label, fill=LABEL_BLUE)
    sh.text(X(220), Y(448), "签发机关", spacing=0.2, **lab)  # type: ignore[arg-type]
    sh.text(
        X(400),
        Y(442),
        p.issuing_authority,
        size=int(32 * k),
        faces=st.value,
        key="issuing_authority",
    )
    sh.text(X(220), Y(530), "有效期限", spacing=0.2, **lab)  # type: ignore[arg-type]
    vf = p.valid_from
    b = sh.text(
        X(400), Y(524), f"{vf:%Y.%m.%d}", size=int(32 * k), faces=st.digits, key="valid_from"
    )
    dash = sh.text(b[2] + 4, Y(524), "-", size=int(32 * k), faces=st.digits)
    until = "长期" if p.valid_until is None else f"{p.valid_until:%Y.%m.%d}"
    faces = st.value if p.valid_until is None else st.digits
    sh.text(dash[2] + 4, Y(524), until, size=int(32 * k), faces=faces, key="valid_until")
    if layout == "a4copy":
        _copy_note(sh, rng, oy + 638 * k + 120)
    return finish(
        "id_card_back", golden.id_card_back(p), [sh], dpi=dpi, seed=seed, layout=layout, facts=p
    )


# ---------------------------------------------------------------------------------------------
# property certificate
# ---------------------------------------------------------------------------------------------


def registry_org(registry: str) -> str:
    return f"{registry}自然资源和规划局"


def property_certificate(
    prop: d.Property, *, seed: int, layout: str, seal_org: str | None = None
) -> Sample:
    rng = _rng("property", seed)
    st = Style(rng)
    sh = Sheet(*A4)
    sh.texture(rng, 3)
    owner_l = st.pick("权利人", "所有权人", "产权人")
    loc_l = st.pick("坐落", "房屋坐落", "房地坐落")
    area_l = st.pick("面积", "建筑面积")
    cert = prop.certificate_number
    printed_cert = cert.replace("(", "（").replace(")", "）") if rng.random() < 0.5 else cert
    size = 25
    if layout == "table":
        sh.text(110, 110, printed_cert, size=30, faces=st.value, key="certificate_number")
        y = 180.0
        area_text = (f"共有宗地面积 {prop.land_area}㎡/房屋建筑面积 ", prop.area, "㎡")
        rows: list[list[tuple[str, str | None, str]]] = [
            [(owner_l, None, "label"), ("", None, "value")],
            [("共有情况", None, "label"), (prop.co_ownership, "co_ownership", "value")],
            [(loc_l, None, "label"), (prop.location, "location", "value")],
            [("不动产单元号", None, "label"), (prop.unit_number, "unit_number", "digits")],
            [("权利类型", None, "label"), (prop.right_type, None, "value")],
            [("权利性质", None, "label"), (prop.right_nature, None, "value")],
            [("用途", None, "label"), (prop.use, None, "value")],
            [(area_l, None, "label"), ("", None, "value")],
            [("使用期限", None, "label"), (prop.term, None, "value")],
            [
                ("权利其他状况", None, "label"),
                ("房屋结构：钢筋混凝土结构；专有建筑面积与分摊面积详见附图", None, "value"),
            ],
        ]
        label_w = rng.choice((190, 230))
        value_w = rng.choice((560, 620, 700))
        bottom = table(sh, 110, y, [label_w, value_w], rows, st=st, size=size, min_h=66)
        # owners and area drawn by hand into their empty cells (several runs)
        row_y = y
        x = 110 + label_w + 10
        need = 66
        ty = row_y + (need - size) / 2
        for i, o in enumerate(prop.owners):
            b = sh.text(x, ty, o.name, size=size, faces=st.value, key=f"owners[{i}]")
            x = b[2] + size * 0.2
            if i < len(prop.owners) - 1:
                b = sh.text(x, ty, "、", size=size, faces=st.value)
                x = b[2] + size * 0.1
        # the area row: 7th data row
        area_top = _row_top(sh, 110, y, label_w, value_w, rows, st, size, 7)
        ax = 110 + label_w + 8
        b = sh.text(ax, area_top, area_text[0], size=size - 2, faces=st.value)
        b = sh.text(b[2] + 2, area_top, prop.area, size=size - 2, faces=st.digits, key="area")
        sh.text(b[2] + 3, area_top, "㎡", size=size - 2, faces=("babel",))
        # 附记 column on the right
        sh.rect((110 + label_w + value_w, y, 1130, bottom), width=3)
        sh.text(110 + label_w + value_w + 20, y + 20, "附", size=size, faces=st.label)
        sh.text(110 + label_w + value_w + 20, y + 60, "记", size=size, faces=st.label)
        foot_y = bottom + 90
    else:
        y = title(sh, "不动产权证书", 120, st=st, size=56, spacing=0.4)
        y += 20
        label_value(
            sh,
            130,
            y,
            "证书编号",
            printed_cert,
            key="certificate_number",
            st=st,
            size=size,
            width=980,
            leader=True,
            label_w=240,
        )
        y += 70
        sh.text(130, y, owner_l, size=size, faces=st.label)
        sh.dots(130 + sh.width_of(owner_l, size, st.label) + 6, 364, y + size * 0.85)
        x = 370.0
        for i, o in enumerate(prop.owners):
            b = sh.text(x, y, o.name, size=size, faces=st.value, key=f"owners[{i}]")
            x = b[2] + size * 1.0
        y += 70
        # two columns: 共有情况 | 用途
        label_value(
            sh,
            130,
            y,
            "共有情况",
            prop.co_ownership,
            key="co_ownership",
            st=st,
            size=size,
            width=450,
            leader=True,
            label_w=240,
        )
        label_value(sh, 640, y, "用途", prop.use, key=None, st=st, size=size, width=470)
        y += 70
        y = (
            label_value(
                sh,
                130,
                y,
                loc_l,
                prop.location,
                key="location",
                st=st,
                size=size,
                width=rng.choice((640, 720)),
                leader=True,
                label_w=240,
            )
            + 26
        )
        y = (
            label_value(
                sh,
                130,
                y,
                "不动产单元号",
                prop.unit_number,
                key="unit_number",
                st=st,
                size=size,
                width=980,
                leader=True,
                label_w=240,
                value_faces=st.digits,
            )
            + 26
        )
        sh.text(130, y, area_l, size=size, faces=st.label)
        sh.dots(130 + sh.width_of(area_l, size, st.label) + 6, 364, y + size * 0.85)
        b = sh.text(370, y, prop.area, size=size, faces=st.digits, key="area")
        sh.text(b[2] + 4, y, "平方米", size=size, faces=st.value)
        y += 70
        for lab, val in (
            ("权利类型", prop.right_type),
            ("权利性质", prop.right_nature),
            ("使用期限", prop.term),
        ):
            y = (
                label_value(
                    sh,
                    130,
                    y,
                    lab,
                    val,
                    key=None,
                    st=st,
                    size=size,
                    width=980,
                    leader=True,
                    label_w=240,
                )
                + 26
            )
        sh.rect((110, 300, 1130, y + 20), width=2)
        foot_y = y + 120
    # the registry's page: its statement, date and seal over them
    org = registry_org(prop.registry)
    stmt = (
        "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，对不动产权利人"
        "申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。"
    )
    y2 = flow(sh, [(stmt, None)], x0=130, x1=1100, y=foot_y, size=23, faces=st.label)
    sh.text(720, y2 + 30, "登记机构（章）", size=26, faces=st.label)
    sh.text(720, y2 + 90, zh_date(prop.registered_on), size=26, faces=st.value)
    seal_place(
        sh,
        "registry",
        820,
        y2 + 70,
        rng,
        org=seal_org or org,
        expected_org=org,
        diameter=236,
        legend="不动产登记专用章",
    )
    sh.text(130, 1650, f"编号 NO {prop.print_serial}", size=20, faces=st.digits, fill=(150, 60, 60))
    return finish(
        "property_certificate",
        golden.property_certificate(prop),
        [sh],
        dpi=150,
        seed=seed,
        layout=layout,
        facts=prop,
    )


def _row_top(
    sh: Sheet,
    x0: float,
    y0: float,
    lw: float,
    vw: float,
    rows: Sequence[Sequence[tuple[str, str | None, str]]],
    st: Style,
    size: int,
    index: int,
) -> float:
    """The y where a single line is centred in row ``index`` of a table drawn by ``table``."""
    y = y0
    for i, row in enumerate(rows):
        need = 66.0
        for (text, _k, role), w in zip(row, (lw, vw), strict=False):
            faces = st.label if role == "label" else st.digits if role == "digits" else st.value
            lines = len(sh.wrap(text, w - 16, size, faces)) if text else 1
            need = max(need, size * (1.3 * lines + 0.9))
        if i == index:
            return y + (need - size) / 2
        y += need
    raise IndexError(index)


# ---------------------------------------------------------------------------------------------
# sale contract (3 pages)
# ---------------------------------------------------------------------------------------------

CLAUSES = (
    "第三条 付款方式：买受人于本合同签订之日支付定金，余款通过资金监管账户支付至出卖人指定账户。",
    "第四条 房屋交付：出卖人应于约定日期前将房屋交付买受人，并结清水、电、燃气、物业等费用。",
    "第五条 税费承担：本次交易所产生的税费，按国家及地方有关规定由双方各自承担。",
    "第六条 权属保证：出卖人保证该房屋权属清晰，无抵押、查封等限制，不存在权属纠纷。",
    "第七条 违约责任：任何一方违约的，应按已付房款的日万分之五向守约方支付违约金。",
    "第八条 争议解决：因履行本合同发生争议，双方协商解决；协商不成的，向房屋所在地人民法院起诉。",
    "第九条 本合同未尽事宜，双方可另行签订补充协议，补充协议与本合同具有同等法律效力。",
    "第十条 本合同一式肆份，买卖双方各执壹份，不动产登记机构及资金监管机构各执壹份。",
)


EXTRA_CLAUSES = (
    "第十二条 房屋交付时，出卖人应将该房屋的户口迁出，"
    "如未按期迁出，每逾期一日按总房款的万分之一支付违约金。",
    "第十三条 双方应共同向不动产登记机构申请办理转移登记，"
    "并按规定提交身份证明、不动产权证书等材料。",
    "第十四条 本合同自双方签字（盖章）之日起生效。附件：房屋平面图、室内设施清单。",
)


def sale_contract(
    c: d.Contract,
    *,
    seed: int,
    layout: str,
    signed: Sequence[bool] | None = None,
    agent: d.Person | None = None,
) -> Sample:
    """``signed``: for each seller then buyer, whether they signed (default all)."""
    rng = _rng("contract", seed)
    st = Style(rng)
    n = len(c.sellers) + len(c.buyers)
    signed = list(signed) if signed is not None else [True] * n
    seller_l = st.pick("出卖人（甲方）", "卖方（甲方）", "甲方（出卖人）")
    buyer_l = st.pick("买受人（乙方）", "买方（乙方）", "乙方（买受人）")
    id_l = st.pick("公民身份号码", "身份证号码", "证件号码")
    size = 24
    pages = [Sheet(*A4, index=i) for i in range(3)]
    for p in pages:
        p.texture(rng, 2.5)
    p0 = pages[0]
    y = title(
        p0, st.pick("存量房买卖合同", "二手房买卖合同", "存量房屋买卖合同"), 110, st=st, size=50
    )
    p0.text(820, y, f"合同编号：{c.number}", size=21, faces=st.digits)
    y += 70
    parties = [(seller_l, f"sellers[{i}]", s) for i, s in enumerate(c.sellers)]
    parties += [(buyer_l, f"buyers[{i}]", b) for i, b in enumerate(c.buyers)]
    if layout == "prose":
        for label, key, person in parties:
            p0.text(120, y, label + "：", size=size, faces=st.label)
            b = p0.text(330, y, person.name, size=size, faces=st.value, key=f"{key}.name")
            lx = max(b[2] + 40, 520)
            lb = p0.text(lx, y, id_l + "：", size=size, faces=st.label)
            p0.text(
                lb[2] + 6,
                y,
                c.printed_id(person),
                size=size,
                faces=st.digits,
                key=f"{key}.id_number",
            )
            y += size * 1.6
            y = (
                label_value(p0, 330, y, "住址", person.address, key=None, st=st, size=21, width=780)
                + 14
            )
    else:
        rows = [
            [
                ("", None, "label"),
                ("姓名", None, "label"),
                (id_l, None, "label"),
                ("联系地址", None, "label"),
            ]
        ]
        for label, key, person in parties:
            rows.append(
                [
                    (label[:2], None, "label"),
                    (person.name, f"{key}.name", "value"),
                    (c.printed_id(person), f"{key}.id_number", "digits"),
                    (person.address, None, "value"),
                ]
            )
        y = table(p0, 100, y, [110, 170, 330, 430], rows, st=st, size=22, min_h=58) + 40
    clause1: list[tuple[str, str | None]] = [
        ("第一条 房屋基本情况：甲方所有的房屋坐落于", None),
        (c.printed_location, "location"),
        ("，不动产权证书号为", None),
        (c.printed_certificate_number, "certificate_number"),
        (f"，建筑面积{c.prop.area}平方米，用途为住宅。", None),
    ]
    y = flow(p0, clause1, x0=110, x1=1130, y=y + 20, size=size, faces=st.value)
    clause2: list[tuple[str, str | None]] = [
        ("第二条 成交价格：经甲乙双方协商一致，该房屋成交价格为人民币", None),
        (str(c.price), "price"),
        (f"元（大写：{capital_amount(c.price)}），该价款包含房屋及其附属设施。", None),
    ]
    y = flow(p0, clause2, x0=110, x1=1130, y=y + 10, size=size, faces=st.value, key_faces=st.digits)
    p1 = pages[1]
    y += 10
    page, rest = p0, list(CLAUSES)
    while rest:
        if page is p0 and y > 1450:
            page, y = p1, 130.0
        y = flow(page, [(rest.pop(0), None)], x0=110, x1=1130, y=y, size=size, faces=st.value)
        y += 16
    if page is p0:
        y = 130.0
    y = flow(
        p1,
        [(f"第十一条 定金：人民币{c.deposit}元；交付日期：{zh_date(c.handover_date)}。", None)],
        x0=110,
        x1=1130,
        y=y,
        size=size,
        faces=st.value,
    )
    for cl in EXTRA_CLAUSES:
        y = flow(p1, [(cl, None)], x0=110, x1=1130, y=y + 16, size=size, faces=st.value)
    # signature page
    p2 = pages[2]
    y = 140.0
    p2.text(110, y, "（以下无正文，为签章页）", size=size, faces=st.value)
    y += 110
    finger = layout == "prose" or rng.random() < 0.5
    for i, (label, key, person) in enumerate(parties):
        who = label[:3] if label[0] != "甲" and label[0] != "乙" else label[:2]
        lb = p2.text(130, y, f"{who}（签章）：", size=size, faces=st.label)
        area = (lb[2] + 20, y - 40, lb[2] + 20 + 330, y + 50)
        place = key.replace("sellers", "seller").replace("buyers", "buyer")
        sign_place(
            p2, place, area, rng, present=signed[i], finger=finger, name_len=len(person.name)
        )
        p2.underline(lb[2] + 10, lb[2] + 360, y + 54)
        y += 150
    if agent is not None:
        lb = p2.text(130, y, "委托代理人（签章）：", size=size, faces=st.label)
        sign_place(
            p2,
            "agent",
            (lb[2] + 20, y - 40, lb[2] + 350, y + 50),
            rng,
            present=True,
            finger=False,
            name_len=len(agent.name),
        )
        y += 150
    lb = p2.text(
        130, y + 20, st.pick("签订日期：", "签约时间：", "日期："), size=size, faces=st.label
    )
    p2.text(
        lb[2] + 10,
        y + 20,
        zh_date(c.signed_date, pad=rng.random() < 0.5),
        size=size,
        faces=st.digits,
        key="signed_date",
    )
    for i, p in enumerate(pages):
        p.text(590, 1680, f"第 {i + 1} 页 共 3 页", size=19, faces=st.label)
    return finish(
        "sale_contract", golden.sale_contract(c), pages, dpi=150, seed=seed, layout=layout, facts=c
    )


# ---------------------------------------------------------------------------------------------
# marriage certificate
# ---------------------------------------------------------------------------------------------


def marriage_certificate(m: d.Marriage, *, seed: int, layout: str) -> Sample:
    rng = _rng("marriage", seed)
    st = Style(rng)
    spouses = (m.holder, m.spouse) if m.holder.sex == "男" else (m.spouse, m.holder)
    size = 25
    if layout == "booklet":
        sh = Sheet(1700, 1150, paper=(252, 244, 238))
        sh.texture(rng, 3)
        sh.vline(850, 30, 1120, width=3, fill=(190, 160, 150))
        y = 140.0
        for lab, val, key, faces in (
            ("持证人", m.holder.name, "holder", st.value),
            ("登记日期", zh_date(m.registration_date), "registration_date", st.digits),
            ("结婚证字号", m.certificate_number, "certificate_number", st.digits),
        ):
            label_value(
                sh,
                120,
                y,
                lab,
                val,
                key=key,
                st=st,
                size=size,
                width=680,
                value_faces=faces,
                label_w=200,
            )
            y += 110
        sh.text(120, y, "备注", size=size, faces=st.label)
        sh.text(120, 900, "登记机关", size=size, faces=st.label)
        sh.text(300, 900, m.authority, size=size, faces=st.value)
        sh.text(120, 960, "婚姻登记员", size=size, faces=st.label)
        seal_place(
            sh,
            "registry",
            420,
            880,
            rng,
            org=m.authority,
            expected_org=m.authority,
            diameter=230,
            legend="婚姻登记专用章",
        )
        _photo(sh, (1050, 90, 1500, 390), rng)
        y = 440.0
        for i, p in enumerate(spouses):
            x = 920
            sh.text(x, y, "姓名", size=size, faces=st.label)
            sh.text(x + 90, y, p.name, size=size, faces=st.value, key=f"spouses[{i}].name")
            sh.text(x + 330, y, "性别", size=size, faces=st.label)
            sh.text(x + 420, y, p.sex, size=size, faces=st.value)
            sh.text(x + 520, y, "国籍", size=size, faces=st.label)
            sh.text(x + 610, y, "中国", size=size, faces=st.value)
            y += 55
            sh.text(x, y, "出生日期", size=size, faces=st.label)
            sh.text(x + 140, y, zh_date(p.birth_date, pad=True), size=size, faces=st.digits)
            y += 55
            sh.text(x, y, "身份证件号", size=size, faces=st.label)
            sh.text(
                x + 160, y, p.id_number, size=size, faces=st.digits, key=f"spouses[{i}].id_number"
            )
            y += 95
        sh.text(1230, 40, "结婚证", size=40, faces=st.title, fill=(170, 40, 40), spacing=0.4)
        return finish(
            "marriage_certificate",
            golden.marriage_certificate(m, spouses=spouses),
            [sh],
            dpi=150,
            seed=seed,
            layout=layout,
            facts=m,
        )
    # inner page, label above value, single column
    sh = Sheet(*A4, paper=(253, 247, 240))
    sh.texture(rng, 3)
    y = title(sh, "结  婚  证", 100, st=st, size=52, spacing=0.2) + 20
    for lab, val, key, faces in (
        ("持证人", m.holder.name, "holder", st.value),
        ("登记日期", zh_date(m.registration_date, pad=True), "registration_date", st.digits),
        ("结婚证字号", m.certificate_number, "certificate_number", st.digits),
    ):
        sh.text(160, y, lab, size=22, faces=st.label, fill=(70, 70, 70))
        sh.text(160, y + 40, val, size=size + 2, faces=faces, key=key)
        sh.underline(160, 900, y + 78)
        y += 120
    _photo(sh, (780, y, 1080, y + 200), rng)
    y += 240
    for i, p in enumerate(spouses):
        rows = [
            [
                ("姓名", None, "label"),
                (p.name, f"spouses[{i}].name", "value"),
                ("性别", None, "label"),
                (p.sex, None, "value"),
            ],
            [
                ("出生日期", None, "label"),
                (zh_date(p.birth_date, pad=True), None, "digits"),
                ("国籍", None, "label"),
                ("中国", None, "value"),
            ],
            [
                ("身份证件号", None, "label"),
                (p.id_number, f"spouses[{i}].id_number", "digits"),
                ("", None, "label"),
                ("", None, "value"),
            ],
        ]
        y = table(sh, 160, y, [180, 420, 120, 200], rows, st=st, size=24, min_h=60) + 40
    sh.text(160, y + 40, f"登记机关：{m.authority}", size=size, faces=st.label)
    seal_place(
        sh,
        "registry",
        420,
        y + 50,
        rng,
        org=m.authority,
        expected_org=m.authority,
        diameter=230,
        legend="婚姻登记专用章",
        shape=rng.choice(("round", "oval")),
    )
    return finish(
        "marriage_certificate",
        golden.marriage_certificate(m, spouses=spouses),
        [sh],
        dpi=150,
        seed=seed,
        layout=layout,
        facts=m,
    )


# ---------------------------------------------------------------------------------------------
# power of attorney
# ---------------------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int, layout: str, signed: bool = True
) -> Sample:
    rng = _rng("poa", seed)
    st = Style(rng)
    sh = Sheet(*A4)
    sh.texture(rng, 2.5)
    size = 25
    y = title(sh, st.pick("授权委托书", "委托书"), 120, st=st, size=50) + 20
    pr, ag = poa.principal, poa.agent
    id_l = st.pick("公民身份号码", "身份证号码", "证件号码")
    agent_l = st.pick("受托人", "受托人", "代理人")
    if layout == "letter":
        for lab, p, key in (("委托人", pr, "principal"), (agent_l, ag, "agent")):
            sh.text(120, y, f"{lab}：", size=size, faces=st.label)
            b = sh.text(260, y, p.name, size=size, faces=st.value, key=f"{key}.name")
            lb = sh.text(max(b[2] + 40, 480), y, f"{id_l}：", size=size, faces=st.label)
            sh.text(lb[2] + 6, y, p.id_number, size=size, faces=st.digits, key=f"{key}.id_number")
            y += 60
            y = label_value(sh, 260, y, "住址", p.address, key=None, st=st, size=22, width=860) + 30
    else:
        rows = [
            [
                ("委托人", None, "label"),
                (pr.name, "principal.name", "value"),
                (id_l, None, "label"),
                (pr.id_number, "principal.id_number", "digits"),
            ],
            [
                (agent_l, None, "label"),
                (ag.name, "agent.name", "value"),
                (id_l, None, "label"),
                (ag.id_number, "agent.id_number", "digits"),
            ],
            [
                ("委托事项", None, "label"),
                (poa.matter, None, "value"),
                ("", None, "label"),
                ("", None, "value"),
            ],
        ]
        y = table(sh, 110, y, [150, 260, 200, 410], rows, st=st, size=24, min_h=66) + 50
    body = [
        ("本人因工作原因，不能亲自办理位于", None),
        (poa.location, None),
        (
            f"房屋的{poa.matter}手续，现委托受托人作为我的合法代理人，全权代表我办理相关事项，"
            "包括签署相关文件、提交及领取材料等。",
            None,
        ),
    ]
    y = flow(sh, body, x0=110, x1=1130, y=y, size=size, faces=st.value)
    y = (
        flow(
            sh,
            [
                (
                    "受托人在其权限范围内签署的一切有关文件，我均予以承认，由此产生的法律后果由我承担。"
                    "委托期限：自签字之日起至上述事项办完为止。受托人无转委托权。",
                    None,
                )
            ],
            x0=110,
            x1=1130,
            y=y + 10,
            size=size,
            faces=st.value,
        )
        + 80
    )
    lb = sh.text(640, y, st.pick("委托人（签字）：", "委托人签名："), size=size, faces=st.label)
    sign_place(
        sh,
        "principal",
        (lb[2] + 10, y - 40, lb[2] + 300, y + 50),
        rng,
        present=signed,
        finger=layout == "letter",
        name_len=len(pr.name),
    )
    y += 140
    lb = sh.text(640, y, "日期：", size=size, faces=st.label)
    sh.text(lb[2] + 8, y, zh_date(poa.signed_date), size=size, faces=st.digits, key="signed_date")
    return finish(
        "power_of_attorney",
        golden.power_of_attorney(poa),
        [sh],
        dpi=150,
        seed=seed,
        layout=layout,
        facts=poa,
    )


# ---------------------------------------------------------------------------------------------
# household register
# ---------------------------------------------------------------------------------------------


def household_register(hh: d.Household, *, seed: int, layout: str) -> Sample:
    rng = _rng("household", seed)
    st = Style(rng)
    org = hh.authority
    head = hh.members[0][0]
    size = 24
    if layout == "booklet":
        sheets = [
            Sheet(1240, 880, index=i, paper=(250, 247, 236)) for i in range(len(hh.members) + 1)
        ]
        sh = sheets[0]
        sh.texture(rng, 3)
        y = title(sh, "户 口 簿", 50, st=st, size=44, spacing=0.2)
        rows = [
            [
                ("户别", None, "label"),
                (hh.kind, None, "value"),
                ("户主姓名", None, "label"),
                (head.name, None, "value"),
            ],
            [
                ("户号", None, "label"),
                (hh.household_number, None, "digits"),
                ("住址", None, "label"),
                (hh.address, "address", "value"),
            ],
        ]
        y = table(sh, 90, y, [130, 330, 150, 450], rows, st=st, size=size, min_h=80)
        sh.text(650, y + 60, "承办人签章：", size=size, faces=st.label)
        sh.text(650, y + 130, "户口专用章", size=size, faces=st.label)
        seal_place(
            sh,
            "registry",
            360,
            y + 130,
            rng,
            org=org,
            expected_org=org,
            diameter=200,
            legend="户口专用章",
        )
        for i, (p, rel) in enumerate(hh.members):
            s = sheets[i + 1]
            s.texture(rng, 3)
            yy = title(s, "常住人口登记卡", 40, st=st, size=38)
            rows = [
                [
                    ("姓名", None, "label"),
                    (p.name, f"members[{i}].name", "value"),
                    ("户主或与户主关系", None, "label"),
                    (rel, f"members[{i}].relation", "value"),
                ],
                [
                    ("性别", None, "label"),
                    (p.sex, None, "value"),
                    ("民族", None, "label"),
                    (p.ethnicity, None, "value"),
                ],
                [
                    ("出生日期", None, "label"),
                    (zh_date(p.birth_date), None, "digits"),
                    ("出生地", None, "label"),
                    (p.address[3:9], None, "value"),
                ],
                [
                    ("公民身份号码", None, "label"),
                    (p.id_number, f"members[{i}].id_number", "digits"),
                    ("文化程度", None, "label"),
                    (rng.choice(("大学本科", "高中", "硕士研究生")), None, "value"),
                ],
            ]
            yy = table(s, 90, yy, [190, 330, 230, 310], rows, st=st, size=size, min_h=70)
            seal_place(
                s,
                "registry",
                900,
                yy + 110,
                rng,
                org=org,
                expected_org=org,
                diameter=190,
                legend="户口专用章",
            )
        return finish(
            "household_register",
            golden.household_register(hh),
            sheets,
            dpi=150,
            seed=seed,
            layout=layout,
            facts=hh,
        )
    # one page: the 户籍证明 print-out with all members in a table
    sh = Sheet(*A4)
    sh.texture(rng, 2)
    y = title(sh, "常住人口登记信息", 110, st=st, size=44) + 10
    y = (
        label_value(sh, 110, y, "户籍地址", hh.address, key="address", st=st, size=size, width=1000)
        + 30
    )
    rows = [
        [
            ("姓名", None, "label"),
            ("与户主关系", None, "label"),
            ("公民身份号码", None, "label"),
            ("性别", None, "label"),
        ]
    ]
    for i, (p, rel) in enumerate(hh.members):
        rows.append(
            [
                (p.name, f"members[{i}].name", "value"),
                (rel, f"members[{i}].relation", "value"),
                (p.id_number, f"members[{i}].id_number", "digits"),
                (p.sex, None, "value"),
            ]
        )
    y = table(sh, 110, y, [220, 200, 420, 180], rows, st=st, size=size, min_h=64) + 60
    y = (
        flow(
            sh,
            [("以上信息与本单位户籍登记信息一致，特此证明。", None)],
            x0=110,
            x1=1130,
            y=y,
            size=size,
            faces=st.value,
        )
        + 60
    )
    sh.text(700, y, org, size=size, faces=st.value)
    sh.text(700, y + 60, zh_date(d.REFERENCE_DATE), size=size, faces=st.digits)
    seal_place(
        sh,
        "registry",
        820,
        y + 30,
        rng,
        org=org,
        expected_org=org,
        diameter=220,
        legend="户籍专用章",
    )
    return finish(
        "household_register",
        golden.household_register(hh),
        [sh],
        dpi=150,
        seed=seed,
        layout=layout,
        facts=hh,
    )


# ---------------------------------------------------------------------------------------------
# business licence
# ---------------------------------------------------------------------------------------------


def business_license(c: d.Company, *, seed: int, layout: str) -> Sample:
    rng = _rng("license", seed)
    st = Style(rng)
    size = 25
    legal_l = st.pick("法定代表人", "法定代表人", "负责人")
    if layout == "landscape":
        sh = Sheet(1754, 1240, paper=(251, 249, 243))
        sh.texture(rng, 3)
        for i, col in enumerate(((176, 60, 50), (200, 150, 60))):
            sh.rect(
                (40 + 12 * i, 40 + 12 * i, 1714 - 12 * i, 1200 - 12 * i), width=6 - 3 * i, fill=col
            )
        sh.text(760, 120, "营业执照", size=80, faces=st.title, fill=(150, 30, 30), spacing=0.3)
        sh.text(120, 300, "统一社会信用代码", size=size, faces=st.label)
        sh.text(120, 340, c.credit_code, size=30, faces=st.digits, key="credit_code")
        y = 460.0
        left = [
            ("名称", c.name, "name"),
            ("类型", c.kind, None),
            (legal_l, c.legal_representative, "legal_representative"),
            ("经营范围", c.scope, None),
        ]
        for lab, val, key in left:
            y = (
                label_value(
                    sh,
                    120,
                    y,
                    lab,
                    val,
                    key=key,
                    st=st,
                    size=size,
                    width=720,
                    label_w=170,
                    value_faces=st.value,
                )
                + 28
            )
        y = 460.0
        right = [
            ("注册资本", c.capital, None),
            ("成立日期", zh_date(c.established, pad=True), "established_date"),
            ("营业期限", f"{zh_date(c.established, pad=True)}至长期", None),
            ("住所", c.address, "address"),
        ]
        for lab, val, key in right:
            y = (
                label_value(
                    sh,
                    940,
                    y,
                    lab,
                    val,
                    key=key,
                    st=st,
                    size=size,
                    width=700,
                    label_w=150,
                    value_faces=st.digits if key == "established_date" else st.value,
                )
                + 28
            )
        sh.text(1180, 960, "登记机关", size=size, faces=st.label)
        sh.text(1180, 1040, zh_date(d.REFERENCE_DATE), size=size, faces=st.digits)
        seal_place(
            sh, "issuer", 1320, 1000, rng, org=c.registry, expected_org=c.registry, diameter=230
        )
        return finish(
            "business_license",
            golden.business_license(c),
            [sh],
            dpi=150,
            seed=seed,
            layout=layout,
            facts=c,
        )
    sh = Sheet(*A4, paper=(252, 250, 245))
    sh.texture(rng, 3)
    sh.rect((50, 50, 1190, 1704), width=5, fill=(180, 70, 60))
    y = title(sh, "营 业 执 照", 120, st=st, size=64, spacing=0.1)
    sh.text(560, y, "（副本）", size=30, faces=st.title)
    y += 90
    rows = [
        [("统一社会信用代码", None, "label"), (c.credit_code, "credit_code", "digits")],
        [("名称", None, "label"), (c.name, "name", "value")],
        [("类型", None, "label"), (c.kind, None, "value")],
        [(legal_l, None, "label"), (c.legal_representative, "legal_representative", "value")],
        [("注册资本", None, "label"), (c.capital, None, "value")],
        [("成立日期", None, "label"), (zh_date(c.established), "established_date", "digits")],
        [("住所", None, "label"), (c.address, "address", "value")],
        [("经营范围", None, "label"), (c.scope, None, "value")],
    ]
    y = table(sh, 120, y, [250, rng.choice((650, 740))], rows, st=st, size=size, min_h=70)
    sh.text(760, y + 80, "登记机关", size=size, faces=st.label)
    sh.text(760, y + 160, zh_date(d.REFERENCE_DATE), size=size, faces=st.digits)
    seal_place(
        sh, "issuer", 870, y + 120, rng, org=c.registry, expected_org=c.registry, diameter=236
    )
    return finish(
        "business_license",
        golden.business_license(c),
        [sh],
        dpi=150,
        seed=seed,
        layout=layout,
        facts=c,
    )


# ---------------------------------------------------------------------------------------------
# unknown: an office notice or a receipt
# ---------------------------------------------------------------------------------------------


def unknown(_facts: Any, *, seed: int, layout: str) -> Sample:
    rng = _rng("unknown", seed)
    st = Style(rng)
    sh = Sheet(*A4)
    sh.texture(rng, 2)
    if layout == "notice":
        y = title(sh, "关于调整窗口办公时间的通知", 140, st=st, size=44) + 30
        for para in (
            "各位办事群众：",
            "因办公场所改造，自下月起，综合受理窗口办公时间调整为工作日上午九时至十二时、下午一时半至五时。",
            "周六上午提供预约服务，请通过“浙里办”提前预约。给您带来的不便，敬请谅解。",
            "特此通知。",
        ):
            y = flow(sh, [(para, None)], x0=120, x1=1120, y=y, size=26, faces=st.value) + 20
        sh.text(760, y + 60, "政务服务中心办公室", size=26, faces=st.value)
    else:
        y = title(sh, "收 款 收 据", 140, st=st, size=46) + 40
        rows = [
            [("交款单位", None, "label"), ("个人", None, "value")],
            [("收款事由", None, "label"), ("物业服务费（全年）", None, "value")],
            [
                ("金额（大写）", None, "label"),
                (capital_amount(rng.randint(800, 9000)), None, "value"),
            ],
            [("备注", None, "label"), ("已收讫", None, "value")],
        ]
        table(sh, 150, y, [240, 700], rows, st=st, size=26, min_h=80)
    return finish("unknown", {}, [sh], dpi=150, seed=seed, layout=layout)


RENDERERS: dict[str, Callable[..., Sample]] = {
    "id_card_front": id_card_front,
    "id_card_back": id_card_back,
    "property_certificate": property_certificate,
    "sale_contract": sale_contract,
    "marriage_certificate": marriage_certificate,
    "power_of_attorney": power_of_attorney,
    "household_register": household_register,
    "business_license": business_license,
    "unknown": unknown,
}
LAYOUTS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("card", "a4copy"),
    "id_card_back": ("card", "a4copy"),
    "property_certificate": ("table", "form"),
    "sale_contract": ("prose", "table"),
    "marriage_certificate": ("booklet", "inner"),
    "power_of_attorney": ("letter", "form"),
    "household_register": ("booklet", "certificate"),
    "business_license": ("landscape", "copy"),
    "unknown": ("notice", "receipt"),
}
_ = INK, Image
