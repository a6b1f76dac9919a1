"""不动产权证书: the register page scanned on A4, the open booklet, and a legacy grid.

Layouts:

- ``register``: the register page of the 2016+ certificate (不动产权第 N 号 at the top, the
  bordered 权利人 … 权利其他状况 table) lying on an A4 scan; long values wrap inside their cell;
  the number line is either printed whole or filled into the blank's pre-printed
  ``（  ）  不动产权第  号``;
- ``spread``: the open booklet, landscape: the left page with the issuing text, the registry's
  seal and date, the right page with the number and the table;
- ``legacy``: a certificate in the older 房屋所有权证 wording (房屋所有权人 / 房屋坐落 /
  登记时间 / 房屋状况 sub-table with 建筑面积 under a column header), carrying a 2016+ number.

Label wordings vary as issuers vary them (坐落 / 房地坐落 / 房屋坐落, 权利人 / 所有权人, ...).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import art
from .sheet import INK, Sheet, Span, finish

LAYOUTS = ("register", "spread", "legacy")
_PAGE_TONES = ((246, 244, 236), (244, 246, 240), (248, 242, 240))
_RULE = (70, 64, 58)


def _paren(s: str) -> str:
    return s.replace("(", "（").replace(")", "）")


def _unit_printed(u: str, rng: random.Random) -> str:
    style = rng.random()
    if style < 0.45:
        return " ".join((u[:6], u[6:12], u[12:19], u[19:]))
    if style < 0.7:
        return " ".join((u[:6], u[6:9], u[9:12], u[12:19], u[19:]))
    return u


def _owner_spans(prop: d.Property, rng: random.Random, face: str) -> list[Span]:
    spans: list[Span] = []
    sep = rng.choice(("、", "，", "  "))
    shares = prop.co_ownership == "按份共有" and rng.random() < 0.7
    n = len(prop.owners)
    for i, o in enumerate(prop.owners):
        if i:
            spans.append((sep, None, face))
        spans.append((o.name, f"owners[{i}]", face))
        if shares:
            pct = 100 // n if i < n - 1 else 100 - (100 // n) * (n - 1)
            spans.append((f"（{pct}%）", None, face))
    return spans


def _area_spans(prop: d.Property, rng: random.Random, face: str) -> list[Span]:
    style = rng.random()
    if style < 0.4:
        return [
            (f"共有宗地面积{prop.land_area}㎡/房屋建筑面积", None, face),
            (prop.area, "area", face),
            ("㎡", None, face),
        ]
    if style < 0.7:
        return [
            (f"宗地面积：{prop.land_area}平方米  建筑面积：", None, face),
            (prop.area, "area", face),
            ("平方米", None, face),
        ]
    return [("房屋建筑面积", None, face), (prop.area, "area", face), ("㎡", None, face)]


def _other_lines(prop: d.Property, rng: random.Random) -> list[str]:
    own = float(prop.area) * rng.uniform(0.76, 0.9)
    floors = rng.randint(6, 34)
    lines = [
        f"专有建筑面积：{own:.2f}㎡，分摊建筑面积：{float(prop.area) - own:.2f}㎡",
        f"房屋结构：{rng.choice(('钢筋混凝土结构', '混合结构', '钢混'))}",
        f"房屋总层数：{floors}层，房屋所在层：{rng.randint(1, floors)}层",
        f"房屋竣工时间：{rng.randint(1998, prop.registered_on.year - 1)}年",
    ]
    rng.shuffle(lines)
    return lines[: rng.randint(2, 4)]


def _number_line(
    sh: Sheet,
    *,
    number: str,
    cx: float,
    baseline: float,
    size: int,
    value_face: str,
    blank_face: str,
    rng: random.Random,
    prefilled: bool,
) -> None:
    """The certificate number, printed whole or filled into the blank's pre-printed parts."""
    printed = _paren(number) if rng.random() < 0.75 else number
    if not prefilled:
        sh.text(
            cx,
            baseline,
            printed,
            face=value_face,
            size=size,
            key="certificate_number",
            align="center",
        )
        return
    # 浙（2019）杭州市不动产权第0123456号 → province, year, registry, serial
    prov = number[0]
    year = number[2:6]
    reg = number[7 : number.index("不动产权")]
    serial = number[number.index("第") + 1 : -1]
    em = size
    x = cx - 11.5 * em
    jitter = rng.uniform(-0.15, 0.15) * em  # the fill-in is never exactly on the blank's line
    b = sh.text(x, baseline + jitter, prov, face=value_face, size=size, key="certificate_number")
    b = sh.text(
        b[2] + 0.1 * em, baseline, "（", face=blank_face, size=size, key="certificate_number"
    )
    b = sh.text(
        b[2] + 0.3 * em,
        baseline + jitter,
        year,
        face=value_face,
        size=size,
        key="certificate_number",
    )
    b = sh.text(
        b[2] + 0.3 * em, baseline, "）", face=blank_face, size=size, key="certificate_number"
    )
    b = sh.text(
        b[2] + rng.uniform(0.3, 1.0) * em,
        baseline + jitter,
        reg,
        face=value_face,
        size=size,
        key="certificate_number",
    )
    b = sh.text(
        b[2] + rng.uniform(0.4, 1.2) * em,
        baseline,
        "不动产权第",
        face=blank_face,
        size=size,
        key="certificate_number",
    )
    b = sh.text(
        b[2] + rng.uniform(0.3, 1.0) * em,
        baseline + jitter,
        serial,
        face=value_face,
        size=size,
        key="certificate_number",
    )
    sh.text(
        b[2] + rng.uniform(0.3, 1.0) * em,
        baseline,
        "号",
        face=blank_face,
        size=size,
        key="certificate_number",
    )


Row = tuple[str, list[Any], str | None]  # label, spans or plain lines, key


def _register_table(
    sh: Sheet,
    prop: d.Property,
    *,
    x0: float,
    x1: float,
    top: float,
    mm: float,
    rng: random.Random,
    label_face: str,
    value_face: str,
    bottom: float,
) -> float:
    """The 2016+ register table down to ``bottom`` (附记 takes what is left); returns its
    bottom."""
    size = round(rng.uniform(4.1, 4.8) * mm)
    lsize = round(size * rng.uniform(0.88, 1.0))
    pad = 2.2 * mm
    loc_label = rng.choice(("坐落", "坐落", "坐  落", "房地坐落", "房屋坐落"))
    owner_label = rng.choice(("权利人", "权利人", "权 利 人", "所有权人"))
    rows: list[Row] = [
        (owner_label, _owner_spans(prop, rng, value_face), None),
        ("共有情况", [(prop.co_ownership, "co_ownership", value_face)], None),
        (loc_label, [(prop.location, "location", value_face)], None),
        (
            rng.choice(("不动产单元号", "不动产单元号", "不动产单元编号")),
            [(_unit_printed(prop.unit_number, rng), "unit_number", value_face)],
            None,
        ),
        ("权利类型", [(prop.right_type, None, value_face)], None),
        ("权利性质", [(prop.right_nature, None, value_face)], None),
        ("用途", [(prop.use, None, value_face)], None),
        (rng.choice(("面积", "面积", "面  积")), _area_spans(prop, rng, value_face), None),
        ("使用期限", [(prop.term, None, value_face)], None),
        ("权利其他状况", _other_lines(prop, rng), None),
    ]
    label_w = max(
        rng.uniform(24, 30) * mm,
        max(sh.measure(r[0], face=label_face, size=lsize) for r in rows) + 4 * mm,
    )
    value_w = x1 - x0 - label_w
    heights = []
    for _lab, content, _k in rows:
        if content and isinstance(content[0], str):
            n = len(content)
        else:
            n = sh.count_lines(content, width=value_w - 2 * pad, face=value_face, size=size)
        heights.append(max(rng.uniform(10.5, 13.0) * mm, n * size * 1.4 + 2 * pad))
    heights[-1] = max(heights[-1], rng.uniform(40, 60) * mm)
    rows.append(("附记", [f"业务号：{prop.registered_on:%Y%m%d}{rng.randint(10000, 99999)}"], None))
    heights.append(max(20 * mm, bottom - top - sum(heights)))
    y = top
    thick = max(2, round(0.45 * mm))
    sh.line((x0, y, x1, y), fill=_RULE, width=thick)
    for (lab, content, _k), rh in zip(rows, heights, strict=True):
        sh.cell(
            (x0, y, x0 + label_w, y + rh),
            lab,
            face=label_face,
            size=lsize,
            align="center",
            fill=INK,
        )
        cell = (x0 + label_w, y, x1, y + rh)
        if content and isinstance(content[0], str):
            for i, ln in enumerate(content):
                sh.text(
                    cell[0] + pad,
                    y + pad + size * (0.9 + 1.6 * i),
                    ln,
                    face=value_face,
                    size=round(size * 0.92),
                )
        else:
            sh.cell_spans(cell, content, face=value_face, size=size, pad=pad)
        y += rh
        sh.line((x0, y, x1, y), fill=_RULE, width=1)
    sh.line((x0, y, x1, y), fill=_RULE, width=thick)
    for x, wd in ((x0, thick), (x1, thick), (x0 + label_w, 1)):
        sh.line((x, top, x, y), fill=_RULE, width=wd)
    return y


def _legacy_table(
    sh: Sheet,
    prop: d.Property,
    *,
    x0: float,
    x1: float,
    top: float,
    mm: float,
    rng: random.Random,
    label_face: str,
    value_face: str,
    bottom: float,
) -> float:
    """房屋所有权证-style grid: owner, location, dates as rows, then the 房屋状况 sub-table
    whose 建筑面积 sits under its column header."""
    size = round(rng.uniform(3.8, 4.4) * mm)
    pad = 2.0 * mm
    label_w = rng.uniform(30, 34) * mm
    y = top
    thick = max(2, round(0.4 * mm))
    sh.line((x0, y, x1, y), fill=_RULE, width=thick)
    rows: list[tuple[str, list[Span]]] = [
        ("房屋所有权人", _owner_spans(prop, rng, value_face)),
        ("共有情况", [(prop.co_ownership, "co_ownership", value_face)]),
        ("房屋坐落", [(prop.location, "location", value_face)]),
        (
            "登记时间",
            [
                (
                    f"{prop.registered_on.year}年{prop.registered_on.month:02d}月"
                    f"{prop.registered_on.day:02d}日",
                    None,
                    value_face,
                )
            ],
        ),
        ("房屋性质", [(prop.right_nature.split("/")[-1], None, value_face)]),
        ("规划用途", [(prop.use.split("/")[-1], None, value_face)]),
        ("不动产单元号", [(_unit_printed(prop.unit_number, rng), "unit_number", value_face)]),
    ]
    value_w = x1 - x0 - label_w
    for lab, spans in rows:
        n = sh.count_lines(spans, width=value_w - 2 * pad, face=value_face, size=size)
        rh = max(11 * mm, n * size * 1.4 + 2 * pad)
        sh.cell((x0, y, x0 + label_w, y + rh), lab, face=label_face, size=size, align="center")
        sh.cell_spans((x0 + label_w, y, x1, y + rh), spans, face=value_face, size=size, pad=pad)
        sh.line((x0 + label_w, y, x0 + label_w, y + rh), fill=_RULE)
        y += rh
        sh.line((x0, y, x1, y), fill=_RULE)
    # 房屋状况: a header row of columns, one data row
    sh.cell((x0, y, x1, y + 9 * mm), "房 屋 状 况", face=label_face, size=size, align="center")
    y += 9 * mm
    sh.line((x0, y, x1, y), fill=_RULE)
    floors = rng.randint(6, 33)
    own = float(prop.area) * rng.uniform(0.78, 0.9)
    cols: list[tuple[str, str, str | None]] = [
        ("幢号", str(rng.randint(1, 30)), None),
        ("房号", str(rng.randint(101, 3304)), None),
        ("结构", rng.choice(("钢混", "混合")), None),
        ("总层数", str(floors), None),
        ("所在层", str(rng.randint(1, floors)), None),
        ("建筑面积（㎡）", prop.area, "area"),
        ("套内建筑面积（㎡）", f"{own:.2f}", None),
    ]
    weights = [0.9, 1.0, 0.9, 0.9, 0.9, 1.5, 1.7]
    total = sum(weights)
    xs = [x0]
    for wgt in weights:
        xs.append(xs[-1] + (x1 - x0) * wgt / total)
    head_h, data_h = 15 * mm, 11 * mm
    hsize = round(size * 0.82)
    for (head, val, key), a, b in zip(cols, xs[:-1], xs[1:], strict=True):
        sh.cell(
            (a, y, b, y + head_h), head, face=label_face, size=hsize, align="center", pad=1 * mm
        )
        sh.cell(
            (a, y + head_h, b, y + head_h + data_h),
            val,
            face=value_face,
            size=size,
            align="center",
            key=key,
        )
        sh.line((a, y, a, y + head_h + data_h), fill=_RULE)
    sh.line((x0, y + head_h, x1, y + head_h), fill=_RULE)
    y += head_h + data_h
    sh.line((x0, y, x1, y), fill=_RULE, width=thick)
    # 附记
    rh = max(24 * mm, bottom - y - 30 * mm)
    sh.cell((x0, y, x0 + label_w, y + rh), "附记", face=label_face, size=size, align="center")
    sh.text(
        x0 + label_w + pad,
        y + pad + size,
        f"套内建筑面积{own:.2f}㎡，土地使用权面积按分摊计。",
        face=value_face,
        size=round(size * 0.9),
    )
    sh.line((x0 + label_w, y, x0 + label_w, y + rh), fill=_RULE)
    y += rh
    sh.line((x0, y, x1, y), fill=_RULE, width=thick)
    sh.line((x0, top, x0, y), fill=_RULE, width=thick)
    sh.line((x1, top, x1, y), fill=_RULE, width=thick)
    return y


def _issuing_page(
    sh: Sheet,
    prop: d.Property,
    *,
    x0: float,
    x1: float,
    top: float,
    mm: float,
    rng: random.Random,
    face: str,
    seal_face: str,
) -> None:
    """The left inside page: the legal notice, 登记机构（章）, the date and the red seal."""
    size = round(3.6 * mm)
    text = (
        "根据《中华人民共和国民法典》等法律法规，为保护不动产权利人合法权益，"
        "对不动产权利人申请登记的本证所列不动产权利，经审查核实，准予登记，颁发此证。"
    )
    y = sh.prose(
        [(text, None)], x0=x0, x1=x1, baseline=top + size, face=face, size=size, leading=2.0
    )
    y += 30 * mm
    sh.text(x1 - 10 * mm, y, "登记机构（章）", face=face, size=size, align="right")
    date_y = y + 14 * mm
    r = prop.registered_on
    sh.text(
        x1 - 10 * mm,
        date_y,
        f"{r.year}年{r.month:02d}月{r.day:02d}日",
        face=face,
        size=size,
        align="right",
    )
    dia = round(rng.uniform(38, 44) * mm)
    seal = art.round_seal(
        f"{prop.registry}自然资源和规划局",
        diameter=dia,
        rng=rng,
        bottom_text="不动产登记专用章",
        face=seal_face,
    )
    sh.stamp(seal, (round(x1 - 10 * mm - dia * rng.uniform(0.6, 0.9)), round(y - dia * 0.55)))
    sh.text(
        (x0 + x1) / 2,
        date_y + 40 * mm,
        "中华人民共和国自然资源部监制",
        face=face,
        size=round(3.0 * mm),
        align="center",
        fill=(110, 100, 90),
    )
    sh.text(
        x0,
        date_y + 52 * mm,
        f"编号 NO {prop.print_serial}",
        face="zenhei_mono",
        size=round(3.2 * mm),
        fill=(180, 40, 40),
    )


def render(prop: d.Property, *, seed: int = 0, layout: str | None = None) -> Sample:
    rng = random.Random(f"heldout-property:{seed}")
    layout = layout or rng.choice(LAYOUTS)
    dpi = rng.choice((150, 200, 200))
    mm = dpi / 25.4
    label_face = rng.choice(("sung", "zenhei", "kai"))
    value_face = rng.choice(("sung", "wenkai", "droid", "zenhei", "kai"))
    blank_face = "sung"
    tone = rng.choice(_PAGE_TONES)
    draw_table: Callable[..., float] = _legacy_table if layout == "legacy" else _register_table
    if layout == "spread":
        W, H = round(297 * mm), round(210 * mm)
        sh = Sheet(W, H, paper=(250, 250, 250))
        pw = W / 2 - 8 * mm
        left = art.guilloche(
            round(pw), round(H - 14 * mm), rng=rng, base=tone, ink=(214, 200, 196), strength=0.18
        )
        right = art.guilloche(
            round(pw), round(H - 14 * mm), rng=rng, base=tone, ink=(200, 214, 200), strength=0.18
        )
        sh.paste(left, (round(6 * mm), round(7 * mm)))
        sh.paste(right, (round(W / 2 + 2 * mm), round(7 * mm)))
        # the spine between the two pages
        sh.rect(
            (W / 2 - 2 * mm, 7 * mm, W / 2 + 2 * mm, H - 7 * mm), outline=None, fill=(214, 210, 204)
        )
        _issuing_page(
            sh,
            prop,
            x0=16 * mm,
            x1=W / 2 - 14 * mm,
            top=30 * mm,
            mm=mm,
            rng=rng,
            face=blank_face,
            seal_face=rng.choice(("sung", "zenhei")),
        )
        rx0, rx1 = W / 2 + 10 * mm, W - 12 * mm
        _number_line(
            sh,
            number=prop.certificate_number,
            cx=(rx0 + rx1) / 2,
            baseline=20 * mm,
            size=round(3.9 * mm),
            value_face=value_face,
            blank_face=blank_face,
            rng=rng,
            prefilled=rng.random() < 0.5,
        )
        # the booklet page is shorter than A4: smaller type so the table fits
        _register_table(
            sh,
            prop,
            x0=rx0,
            x1=rx1,
            top=26 * mm,
            mm=mm * 0.8,
            rng=rng,
            label_face=label_face,
            value_face=value_face,
            bottom=H - 14 * mm,
        )
    else:
        W, H = round(210 * mm), round(297 * mm)
        sh = Sheet(W, H, paper=(252, 252, 251))
        bx0, by0 = rng.uniform(6, 14) * mm, rng.uniform(5, 12) * mm
        bw, bh = rng.uniform(176, 192) * mm, rng.uniform(262, 276) * mm
        sh.paste(
            art.guilloche(
                round(bw), round(bh), rng=rng, base=tone, ink=(206, 212, 198), strength=0.16
            ),
            (round(bx0), round(by0)),
        )
        green = (90, 128, 100) if layout == "register" else (150, 60, 60)
        sh.rect(
            (bx0 + 4 * mm, by0 + 4 * mm, bx0 + bw - 4 * mm, by0 + bh - 4 * mm),
            outline=green,
            width=max(2, round(0.6 * mm)),
        )
        inset = rng.uniform(12, 20) * mm
        x0, x1 = bx0 + inset, bx0 + bw - inset
        if layout == "legacy":
            sh.text(
                (x0 + x1) / 2,
                by0 + 22 * mm,
                "房 屋 所 有 权 证",
                face="sung",
                size=round(6.5 * mm),
                align="center",
                fill=(150, 40, 40),
                bold=True,
            )
            num_y, table_top = by0 + 34 * mm, by0 + 42 * mm
        else:
            num_y, table_top = by0 + 20 * mm, by0 + 28 * mm
        _number_line(
            sh,
            number=prop.certificate_number,
            cx=(x0 + x1) / 2,
            baseline=num_y,
            size=round(4.1 * mm),
            value_face=value_face,
            blank_face=blank_face,
            rng=rng,
            prefilled=layout == "register" and rng.random() < 0.6,
        )
        bottom = draw_table(
            sh,
            prop,
            x0=x0,
            x1=x1,
            top=table_top,
            mm=mm,
            rng=rng,
            label_face=label_face,
            value_face=value_face,
            bottom=by0 + bh - 14 * mm,
        )
        if layout == "legacy":
            dia = round(rng.uniform(36, 42) * mm)
            seal = art.round_seal(
                f"{prop.registry}自然资源和规划局",
                diameter=dia,
                rng=rng,
                bottom_text="不动产登记专用章",
                face="zenhei",
            )
            r = prop.registered_on
            dy = min(bottom + 16 * mm, by0 + bh - 14 * mm)
            sh.text(
                x1 - 4 * mm,
                dy,
                f"填发单位（盖章）  {r.year}年{r.month}月{r.day}日",
                face=label_face,
                size=round(3.4 * mm),
                align="right",
            )
            sh.stamp(seal, (round(x1 - dia * 1.3), round(dy - dia * 0.7)))
    fields = golden.property_certificate(prop)
    return finish(
        doc_type="property_certificate", fields=fields, pages=[sh], dpi=dpi, seed=seed, facts=prop
    )
