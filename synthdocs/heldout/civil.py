"""结婚证, 授权委托书 and 居民户口簿.

结婚证 layouts: ``booklet`` (the open booklet, landscape: 持证人 / 登记日期 / 结婚证字号 on the
left page, the joint photo and both spouses' 姓名 / 性别 / 国籍 / 出生日期 / 身份证件号 on the
right, the 婚姻登记专用章 over the photo's corner) and ``pages`` (the two inside pages scanned as
two portrait pages).

授权委托书 layouts: ``prose`` (委托人 / 受托人 paragraphs, 委托事项, 委托期限, signature with a
fingerprint, the date often in Chinese numerals) and ``table`` (a bordered form).

居民户口簿 layouts: ``pages`` (户主页 then one 常住人口登记卡 per member, one page each) and
``spread`` (the open booklet, two pages per image).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PIL import Image

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import art
from .pager import Pager
from .sheet import INK, RGB, Sheet, finish

MARRIAGE_LAYOUTS = ("booklet", "pages")
POA_LAYOUTS = ("prose", "table")
HOUSEHOLD_LAYOUTS = ("pages", "spread")

_CN_DIGITS = "〇一二三四五六七八九"


def cn_numeral_date(x: date) -> str:
    """二〇二六年五月十日 (the formal way to write a date on a signed document)."""

    def small(n: int) -> str:
        if n < 10:
            return _CN_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")

    year = "".join(_CN_DIGITS[int(c)] for c in str(x.year))
    return f"{year}年{small(x.month)}月{small(x.day)}日"


def _cn(x: date, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.5:
        return f"{x.year}年{x.month:02d}月{x.day:02d}日"
    return f"{x.year}年{x.month}月{x.day}日"


# ---------------------------------------------------------------------------------------------
# 结婚证
# ---------------------------------------------------------------------------------------------


def _couple_photo(w: int, h: int, rng: random.Random, a: d.Person, b: d.Person) -> Image.Image:
    photo = Image.new("RGB", (w, h), rng.choice(((200, 30, 36), (214, 44, 40), (190, 24, 40))))
    left = art.portrait(w // 2 + w // 10, h, rng=rng, female=a.sex == "女")
    right = art.portrait(w // 2 + w // 10, h, rng=rng, female=b.sex == "女")
    for img, x in ((left, -w // 20), (right, w // 2 - w // 20)):
        arr = img.convert("RGB")
        mask = Image.eval(arr.convert("L"), lambda v: 0 if v > 228 else 255)
        photo.paste(arr, (x, 0), mask)
    return photo


def _spouse_block(
    sh: Sheet,
    p: d.Person,
    i: int,
    *,
    x0: float,
    x1: float,
    y: float,
    mm: float,
    lface: str,
    vface: str,
    size: int,
    rng: random.Random,
    id_label: str,
) -> float:
    col2 = x0 + (x1 - x0) * 0.52
    lab_fill: RGB = (120, 50, 50)
    b = sh.text(x0, y, "姓名", face=lface, size=size, fill=lab_fill)
    sh.text(b[2] + 4 * mm, y, p.name, face=vface, size=size, key=f"spouses[{i}].name")
    b = sh.text(col2, y, "性别", face=lface, size=size, fill=lab_fill)
    sh.text(b[2] + 4 * mm, y, p.sex, face=vface, size=size)
    y += size * 2.0
    b = sh.text(x0, y, "国籍", face=lface, size=size, fill=lab_fill)
    sh.text(b[2] + 4 * mm, y, "中国", face=vface, size=size)
    b = sh.text(col2, y, "出生日期", face=lface, size=size, fill=lab_fill)
    sh.text(
        b[2] + 3 * mm,
        y,
        f"{p.birth_date:%Y-%m-%d}" if rng.random() < 0.5 else _cn(p.birth_date, rng),
        face=vface,
        size=size,
    )
    y += size * 2.0
    b = sh.text(x0, y, id_label, face=lface, size=size, fill=lab_fill)
    sh.text(b[2] + 4 * mm, y, p.id_number, face=vface, size=size, key=f"spouses[{i}].id_number")
    return y + size * 2.8


def render_marriage(m: d.Marriage, *, seed: int = 0, layout: str | None = None) -> Sample:
    rng = random.Random(f"heldout-marriage:{seed}")
    layout = layout or rng.choice(MARRIAGE_LAYOUTS)
    dpi = rng.choice((150, 200))
    mm = dpi / 25.4
    pw, ph = round(rng.uniform(125, 135) * mm), round(rng.uniform(180, 190) * mm)  # one page
    lface = rng.choice(("sung", "kai"))
    vface = rng.choice(("zenhei", "droid", "wenkai", "sung"))
    size = round(rng.uniform(3.8, 4.4) * mm)
    tone = rng.choice(((250, 232, 228), (248, 238, 232), (252, 236, 236)))

    def page_bg() -> Image.Image:
        return art.guilloche(pw, ph, rng=rng, base=tone, ink=(232, 180, 176), strength=0.25)

    men_first = sorted((m.holder, m.spouse), key=lambda p: p.sex != "男")
    id_label = rng.choice(("身份证件号", "身份证件号", "身份证号"))
    lab_fill: RGB = (120, 50, 50)

    def left(sh: Sheet, ox: float) -> None:
        y = 40 * mm
        for lab, val, key in (
            ("持证人", m.holder.name, "holder"),
            ("登记日期", _cn(m.registration_date, rng), "registration_date"),
            ("结婚证字号", m.certificate_number, "certificate_number"),
        ):
            b = sh.text(ox + 16 * mm, y, lab, face=lface, size=size, fill=lab_fill)
            sh.text(b[2] + 5 * mm, y, val, face=vface, size=size, key=key)
            y += 14 * mm
        sh.text(ox + 16 * mm, y, "备注", face=lface, size=size, fill=lab_fill)
        for k in range(3):
            sh.dotted(
                ox + 30 * mm, ox + pw - 16 * mm, y + 2 * mm + k * 10 * mm, fill=(180, 120, 120)
            )
        sh.text(ox + 16 * mm, ph - 40 * mm, "婚姻登记员：", face=lface, size=size, fill=lab_fill)
        sig = art.signature(d_name(rng), size=round(size * 1.2), rng=rng)
        sh.stamp(sig, (round(ox + 45 * mm), round(ph - 40 * mm - sig.height * 0.7)))
        sh.text(
            ox + pw / 2,
            ph - 18 * mm,
            "中华人民共和国民政部监制",
            face=lface,
            size=round(size * 0.75),
            align="center",
            fill=(150, 90, 90),
        )

    def right(sh: Sheet, ox: float) -> None:
        photo_w, photo_h = round(60 * mm), round(42 * mm)
        px, py = round(ox + (pw - photo_w) / 2), round(14 * mm)
        sh.paste(_couple_photo(photo_w, photo_h, rng, *men_first), (px, py))
        y = py + photo_h + 16 * mm
        for i, p in enumerate(men_first):
            y = _spouse_block(
                sh,
                p,
                i,
                x0=ox + 14 * mm,
                x1=ox + pw - 10 * mm,
                y=y,
                mm=mm,
                lface=lface,
                vface=vface,
                size=size,
                rng=rng,
                id_label=id_label,
            )
        dia = round(rng.uniform(34, 40) * mm)
        seal = art.round_seal(
            m.authority,
            diameter=dia,
            rng=rng,
            bottom_text="婚姻登记专用章",
            face=rng.choice(("zenhei", "sung")),
        )
        sh.stamp(seal, (px + photo_w - round(dia * 0.55), py + photo_h - round(dia * 0.45)))

    if layout == "booklet":
        W, H = 2 * pw + round(8 * mm), ph + round(12 * mm)
        sh = Sheet(W, H, paper=(246, 246, 246))
        sh.paste(page_bg(), (round(3 * mm), round(6 * mm)))
        sh.paste(page_bg(), (round(pw + 5 * mm), round(6 * mm)))
        left(sh, 3 * mm)
        right(sh, pw + 5 * mm)
        sheets = [sh]
    else:
        a = Sheet(pw, ph, paper=page_bg(), index=0)
        b = Sheet(pw, ph, paper=page_bg(), index=1)
        left(a, 0)
        right(b, 0)
        sheets = [a, b]
    fields = golden.marriage_certificate(m, spouses=men_first)
    return finish(
        doc_type="marriage_certificate", fields=fields, pages=sheets, dpi=dpi, seed=seed, facts=m
    )


def d_name(rng: random.Random) -> str:
    """A clerk's name for a signature line (not a golden value)."""
    return rng.choice("王陈张李周吴徐沈") + rng.choice(("丽", "敏", "强", "华", "芳", "伟"))


# ---------------------------------------------------------------------------------------------
# 授权委托书
# ---------------------------------------------------------------------------------------------

_POA_ID = ("身份证号码", "公民身份号码", "证件号码", "身份证号")


def render_power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int = 0, layout: str | None = None
) -> Sample:
    rng = random.Random(f"heldout-poa:{seed}")
    layout = layout or rng.choice(POA_LAYOUTS)
    dpi = rng.choice((150, 200))
    face = rng.choice(("sung", "kai", "wenkai", "zenhei"))
    vface = rng.choice([f for f in ("zenhei", "droid", "wenkai", "sung", "kai") if f != face])
    pg = Pager(
        dpi=dpi,
        rng=rng,
        face=face,
        size_mm=rng.uniform(4.0, 4.6),
        margins_mm=(rng.uniform(24, 34), 24, 24, rng.uniform(24, 30)),
        leading=2.0,
    )
    sh, mm = pg.sheet, pg.mm
    sh.text(
        pg.W / 2,
        pg.y + 4 * mm,
        "授 权 委 托 书",
        face="zenhei",
        size=round(8 * mm),
        align="center",
        bold=True,
    )
    pg.y += 22 * mm
    id_label = rng.choice(_POA_ID)
    p, a = poa.principal, poa.agent
    until = poa.signed_date + timedelta(days=rng.choice((90, 180, 365)))
    period = f"自{_cn(poa.signed_date, rng)}起至{_cn(until, rng)}止"
    if layout == "prose":
        for role, person, key in (("委托人", p, "principal"), ("受托人", a, "agent")):
            pg.para(
                [
                    (f"{role}：", None),
                    (person.name, f"{key}.name", vface),
                    (f"，性别：{person.sex}，{id_label}：", None),
                    (person.id_number, f"{key}.id_number", vface),
                    ("，住址：", None),
                    (person.address, None, vface),
                    ("。", None),
                ],
                indent=0,
            )
            pg.gap(0.3)
        pg.para(
            f"现委托受托人代表本人办理位于{poa.location}房屋的{poa.matter}相关事宜，具体委托事项如下："
        )
        for k, item in enumerate(
            (
                "代为签订存量房买卖合同及相关补充协议；",
                "代为向不动产登记机构申请办理转移登记，递交、领取相关材料；",
                "代为申报、缴纳相关税费，领取税费凭证；",
                "代为办理水、电、燃气、物业等过户手续。",
            )
        ):
            pg.para(f"{k + 1}．{item}", indent=2)
        pg.para(
            f"委托期限：{period}。受托人在上述权限范围内所签署的一切有关文件，委托人均予以承认，"
            "由此产生的法律后果由委托人承担。受托人无转委托权。"
        )
        pg.gap(2.0)
    else:
        x0, x1 = pg.x0, pg.x1
        size = pg.size
        rh = size * 2.6
        y = pg.y
        cols = [
            x0,
            x0 + (x1 - x0) * 0.16,
            x0 + (x1 - x0) * 0.38,
            x0 + (x1 - x0) * 0.52,
            x0 + (x1 - x0) * 0.66,
            x1,
        ]
        sh.line((x0, y, x1, y), width=2)
        for role, person, key in (("委托人", p, "principal"), ("受托人", a, "agent")):
            sh.cell((cols[0], y, cols[1], y + 2 * rh), role, face=face, size=size, align="center")
            sh.cell((cols[1], y, cols[2], y + rh), "姓名", face=face, size=size, align="center")
            sh.cell(
                (cols[2], y, cols[4], y + rh),
                person.name,
                face=vface,
                size=size,
                key=f"{key}.name",
                align="center",
            )
            sh.cell(
                (cols[4], y, cols[4] + (x1 - cols[4]) * 0.4, y + rh),
                "性别",
                face=face,
                size=size,
                align="center",
            )
            sh.cell(
                (cols[4] + (x1 - cols[4]) * 0.4, y, x1, y + rh),
                person.sex,
                face=vface,
                size=size,
                align="center",
            )
            sh.line((cols[1], y + rh, x1, y + rh))
            sh.cell(
                (cols[1], y + rh, cols[2], y + 2 * rh),
                id_label,
                face=face,
                size=size,
                align="center",
            )
            sh.cell(
                (cols[2], y + rh, x1, y + 2 * rh),
                person.id_number,
                face=vface,
                size=size,
                key=f"{key}.id_number",
                pad=3 * mm,
            )
            for cx in (cols[1], cols[2]):
                sh.line((cx, y, cx, y + 2 * rh))
            for cx in (cols[4], cols[4] + (x1 - cols[4]) * 0.4):
                sh.line((cx, y, cx, y + rh))
            y += 2 * rh
            sh.line((x0, y, x1, y))
        matter_h = size * 12
        sh.cell(
            (cols[0], y, cols[1], y + matter_h), "委托事项", face=face, size=size, align="center"
        )
        sh.cell_spans(
            (cols[1], y, x1, y + matter_h),
            [
                (
                    f"代为办理位于{poa.location}房屋的{poa.matter}，包括签订合同、申请登记、"
                    "缴纳税费、领取证书等相关手续。",
                    None,
                )
            ],
            face=vface,
            size=size,
            pad=3 * mm,
            valign="top",
            leading=1.7,
        )
        sh.line((cols[1], y, cols[1], y + matter_h))
        y += matter_h
        sh.line((x0, y, x1, y))
        sh.cell((cols[0], y, cols[1], y + rh), "委托期限", face=face, size=size, align="center")
        sh.cell((cols[1], y, x1, y + rh), period, face=vface, size=size, pad=3 * mm)
        sh.line((cols[1], y, cols[1], y + rh))
        y += rh
        sh.line((x0, y, x1, y), width=2)
        top = pg.y
        sh.line((x0, top, x0, y), width=2)
        sh.line((x1, top, x1, y), width=2)
        pg.y = y + 3 * size
        pg.para("本人承诺以上委托为本人真实意思表示，受托人在委托权限内签署的文件本人均予以承认。")
        pg.gap(1.5)
    sh = pg.sheet
    pg.need(6)
    y = pg.y
    b = sh.text(
        pg.x1 - 75 * mm,
        y,
        rng.choice(("委托人（签字）：", "委托人签名：", "委托人（签名并按手印）：")),
        face=face,
        size=pg.size,
    )
    sig = art.signature(p.name, size=round(pg.size * 1.5), rng=rng)
    sh.stamp(sig, (round(min(b[2] + 2 * mm, pg.W - sig.width - 5)), round(y - sig.height * 0.7)))
    fp = art.fingerprint(round(11 * mm), round(14 * mm), rng=rng)
    sh.stamp(
        fp, (round(min(b[2] + 2 * mm, pg.W - sig.width) + sig.width * 0.6), round(y - 11 * mm))
    )
    y += 16 * mm
    text = cn_numeral_date(poa.signed_date) if rng.random() < 0.5 else _cn(poa.signed_date, rng)
    if rng.random() < 0.5:
        b = sh.text(pg.x1 - 75 * mm, y, "日期：", face=face, size=pg.size)
        sh.text(b[2] + 2 * mm, y, text, face=vface, size=pg.size, key="signed_date")
    else:
        sh.text(pg.x1, y, text, face=vface, size=pg.size, key="signed_date", align="right")
    fields = golden.power_of_attorney(poa)
    return finish(
        doc_type="power_of_attorney", fields=fields, pages=pg.sheets, dpi=dpi, seed=seed, facts=poa
    )


# ---------------------------------------------------------------------------------------------
# 居民户口簿
# ---------------------------------------------------------------------------------------------

_HH_ID = ("公民身份证件编号", "公民身份号码", "身份证号码")
_EDU = ("大学本科", "大学专科", "高中", "初中", "研究生", "中等专科")
_JOBS = ("职员", "自由职业", "个体", "教师", "工程技术人员", "退休", "学生")


_RULE: RGB = (150, 70, 60)  # the booklet's printed rules


@dataclass(frozen=True)
class _Panel:
    """One page of the booklet: where it stands on its sheet, its scale and its faces."""

    ox: float
    oy: float
    w: float
    h: float
    mm: float
    rng: random.Random
    lface: str
    vface: str

    def title(self, sh: Sheet, text: str, *, y_mm: float, size: int, tracking: float) -> None:
        sh.text(
            self.ox + self.w / 2,
            self.oy + y_mm * self.mm,
            text,
            face=self.lface,
            size=size,
            align="center",
            fill=(150, 40, 40),
            tracking=tracking,
        )


def _grid_card(
    sh: Sheet, p: d.Person, rel: str, i: int, *, at: _Panel, id_label: str, authority: str
) -> None:
    """One 常住人口登记卡: a 4-column grid, label cells left of value cells."""
    ox, oy, w, h, mm = at.ox, at.oy, at.w, at.h, at.mm
    size = round(min(w / 44, h / 60))
    at.title(sh, "常住人口登记卡", y_mm=12, size=round(size * 1.6), tracking=0.2)
    x0, x1 = ox + 6 * mm, ox + w - 6 * mm
    top = oy + 20 * mm
    c = [x0, x0 + (x1 - x0) * 0.2, x0 + (x1 - x0) * 0.5, x0 + (x1 - x0) * 0.7, x1]
    rows: list[list[tuple[str, str | None]]] = [
        [
            ("姓名", None),
            (p.name, f"members[{i}].name"),
            ("户主或与户主关系", None),
            (rel, f"members[{i}].relation"),
        ],
        [("曾用名", None), ("", None), ("性别", None), (p.sex, None)],
        [("出生地", None), (p.address[:6], None), ("民族", None), (p.ethnicity, None)],
        [
            ("籍贯", None),
            (p.address[:6], None),
            ("出生日期", None),
            (_cn(p.birth_date, at.rng), None),
        ],
        [("本市（县）其他住址", None), ("", None), ("宗教信仰", None), ("", None)],
        [
            ("身高", None),
            (f"{at.rng.randint(150, 188)}cm", None),
            ("血型", None),
            (at.rng.choice("ABO") + "型", None),
        ],
        [(id_label, None), (p.id_number, f"members[{i}].id_number"), ("", None), ("", None)],
        [
            ("文化程度", None),
            (at.rng.choice(_EDU), None),
            ("婚姻状况", None),
            (at.rng.choice(("已婚", "未婚")) if rel not in ("户主", "妻", "夫") else "已婚", None),
        ],
        [("服务处所", None), ("", None), ("职业", None), (at.rng.choice(_JOBS), None)],
        [("何时由何地迁来本市（县）", None), ("", None), ("", None), ("", None)],
        [("何时由何地迁来本址", None), ("", None), ("", None), ("", None)],
    ]
    rh = (h - 20 * mm - 26 * mm) / len(rows)
    y = top
    sh.line((x0, y, x1, y), fill=_RULE, width=2)
    for row in rows:
        merged = row[2][0] == "" and row[3][0] == ""
        spans = [(c[0], c[1]), (c[1], c[4] if merged else c[2]), (c[2], c[3]), (c[3], c[4])]
        for k, ((text, key), (a, b)) in enumerate(zip(row, spans, strict=True)):
            if merged and k >= 2:
                continue
            is_label = k % 2 == 0
            fsize = size if not is_label or len(text) <= 6 else round(size * 0.8)
            if text:
                sh.cell(
                    (a, y, b, y + rh),
                    text,
                    face=at.lface if is_label else at.vface,
                    size=fsize,
                    key=key,
                    align="center" if is_label else "left",
                    pad=1.5 * mm,
                    fill=(120, 40, 40) if is_label else INK,
                )
            sh.line((a, y, a, y + rh), fill=_RULE)
        y += rh
        sh.line((x0, y, x1, y), fill=_RULE)
    sh.line((x1, top, x1, y), fill=_RULE, width=2)
    sh.line((x0, top, x0, y), fill=_RULE, width=2)
    sh.text(x0, y + 9 * mm, "承办人签章：", face=at.lface, size=size, fill=(120, 40, 40))
    reg = p.valid_from + timedelta(days=at.rng.randint(-2000, 0))
    sh.text(
        x1,
        y + 9 * mm,
        f"登记日期：{_cn(reg, at.rng)}",
        face=at.lface,
        size=size,
        align="right",
        fill=(120, 40, 40),
    )
    dia = round(min(w, h) * 0.24)
    seal = art.round_seal(authority, diameter=dia, rng=at.rng, bottom_text="户口专用章")
    sh.stamp(seal, (round(x0 + (x1 - x0) * 0.25), round(y - dia * 0.35)))


def _head_page(sh: Sheet, hh: d.Household, *, at: _Panel) -> None:
    """户主页: 户别 / 户主姓名 / 户号 / 住址, the registry's seal and the date."""
    ox, oy, w, h, mm = at.ox, at.oy, at.w, at.h, at.mm
    size = round(min(w / 40, h / 55))
    at.title(sh, "居 民 户 口 簿", y_mm=16, size=round(size * 1.8), tracking=0.0)
    x0, x1 = ox + 8 * mm, ox + w - 8 * mm
    y = oy + 28 * mm
    head = hh.members[0][0]
    rh = size * 2.8
    c = [x0, x0 + (x1 - x0) * 0.2, x0 + (x1 - x0) * 0.5, x0 + (x1 - x0) * 0.7, x1]
    sh.line((x0, y, x1, y), fill=_RULE, width=2)
    for a, b, text, face in (
        (c[0], c[1], "户别", at.lface),
        (c[1], c[2], hh.kind, at.vface),
        (c[2], c[3], "户主姓名", at.lface),
        (c[3], c[4], head.name, at.vface),
    ):
        sh.cell((a, y, b, y + rh), text, face=face, size=size, align="center")
        sh.line((a, y, a, y + rh), fill=_RULE)
    y += rh
    sh.line((x0, y, x1, y), fill=_RULE)
    sh.cell((c[0], y, c[1], y + rh), "户号", face=at.lface, size=size, align="center")
    sh.cell((c[1], y, c[4], y + rh), hh.household_number, face=at.vface, size=size, pad=2 * mm)
    sh.line((c[1], y, c[1], y + rh), fill=_RULE)
    y += rh
    sh.line((x0, y, x1, y), fill=_RULE)
    addr_lab = at.rng.choice(("住址", "住  址", "住所"))
    lines = sh.count_lines(
        [(hh.address, "address")], width=c[4] - c[1] - 4 * mm, face=at.vface, size=size
    )
    ah = max(rh, lines * size * 1.4 + 3 * mm)
    sh.cell((c[0], y, c[1], y + ah), addr_lab, face=at.lface, size=size, align="center")
    sh.cell_spans(
        (c[1], y, c[4], y + ah), [(hh.address, "address")], face=at.vface, size=size, pad=2 * mm
    )
    sh.line((c[1], y, c[1], y + ah), fill=_RULE)
    y += ah
    sh.line((x0, y, x1, y), fill=_RULE, width=2)
    sh.line((x0, oy + 28 * mm, x0, y), fill=_RULE, width=2)
    sh.line((x1, oy + 28 * mm, x1, y), fill=_RULE, width=2)
    y += 16 * mm
    sh.text(
        x0 + 4 * mm, y, "户口登记机关（户口专用章）", face=at.lface, size=size, fill=(120, 40, 40)
    )
    dia = round(min(w, h) * 0.28)
    seal = art.round_seal(hh.authority, diameter=dia, rng=at.rng, bottom_text="户口专用章")
    sh.stamp(seal, (round(x0 + (x1 - x0) * 0.45), round(y - dia * 0.3)))
    issued = hh.members[0][0].valid_from
    sh.text(
        x0 + 4 * mm,
        y + dia * 0.9,
        f"签发日期：{_cn(issued, at.rng)}",
        face=at.lface,
        size=size,
        fill=(120, 40, 40),
    )
    sh.text(
        x0 + 4 * mm,
        y + dia * 0.9 + size * 2.2,
        "承办人签章：",
        face=at.lface,
        size=size,
        fill=(120, 40, 40),
    )


def render_household(hh: d.Household, *, seed: int = 0, layout: str | None = None) -> Sample:
    rng = random.Random(f"heldout-household:{seed}")
    layout = layout or rng.choice(HOUSEHOLD_LAYOUTS)
    dpi = rng.choice((150, 200))
    mm = dpi / 25.4
    pw, ph = round(rng.uniform(140, 146) * mm), round(rng.uniform(200, 208) * mm)
    lface = rng.choice(("sung", "kai"))
    vface = rng.choice(("zenhei", "droid", "wenkai", "sung", "kai"))
    id_label = rng.choice(_HH_ID)
    tone = rng.choice(((250, 244, 236), (248, 246, 238), (252, 242, 238)))

    def bg() -> Image.Image:
        return art.guilloche(pw, ph, rng=rng, base=tone, ink=(226, 196, 180), strength=0.16)

    def panel(ox: float) -> _Panel:
        return _Panel(ox, 0, pw, ph, mm, rng, lface, vface)

    drawers: list[Callable[[Sheet, float], None]] = [
        lambda sh, ox: _head_page(sh, hh, at=panel(ox))
    ]

    def card(p: d.Person, rel: str, i: int) -> Callable[[Sheet, float], None]:
        def draw(sh: Sheet, ox: float) -> None:
            _grid_card(sh, p, rel, i, at=panel(ox), id_label=id_label, authority=hh.authority)

        return draw

    drawers += [card(p, rel, i) for i, (p, rel) in enumerate(hh.members)]
    sheets: list[Sheet] = []
    if layout == "pages":
        for k, draw in enumerate(drawers):
            sh = Sheet(pw, ph, paper=bg(), index=k)
            draw(sh, 0)
            sheets.append(sh)
    else:
        gap = round(6 * mm)
        for k in range(0, len(drawers), 2):
            sh = Sheet(2 * pw + gap, ph, paper=(244, 244, 244), index=len(sheets))
            for j, draw in enumerate(drawers[k : k + 2]):
                ox = j * (pw + gap)
                sh.paste(bg(), (ox, 0))
                draw(sh, ox)
            sheets.append(sh)
    fields = golden.household_register(hh)
    return finish(
        doc_type="household_register", fields=fields, pages=sheets, dpi=dpi, seed=seed, facts=hh
    )
