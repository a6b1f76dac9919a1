"""Widened layouts of every document type (the training family).

Each document type has the ``classic`` layout (``synthdocs.render``, unchanged) and the layouts
here, drawn the ways real issuers vary them: bordered tables whose long values wrap inside their
cell onto two or three lines, labels left of or above their values, other column widths and
spacing, label wordings (坐落 / 房屋坐落 / 房地坐落 ...), values in another face than labels,
handwriting-like fill (contracts, powers of attorney), red seals, fingerprints and copy stamps
over text. Every choice comes from ``random.Random(f"{doc_type}:{layout}:{seed}")`` and the
:class:`~synthdocs.style.Style` drawn from it; ``font`` forces the face of the values.

Golden boxes are tight around each printed value; a wrapped value has one box per line in
``FieldBox.parts`` (``box`` is their union).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PIL import Image

from . import data as d
from . import golden
from .canvas import RGB, Page, Sample, finish
from .paper import card_background, copy_stamp, emblem, fingerprint, paper, portrait, seal
from .render import (
    A4_MM,
    CARD_MM,
    HOUSEHOLD_MM,
    _cn_date,
    _fullwidth_parens,
    _px,
    card_back_title,
    page_numbers,
    validity_period,
)
from .style import Style, pick_style

# ---------------------------------------------------------------------------------------------
# typesetting: runs, wrapping, cells, tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text in a line or cell: ``key`` marks a golden value, ``face``/``fill``
    override the block's, ``hand`` writes it by hand (Page.hand), ``underline`` draws the
    blank of a fill-in form under it."""

    text: str
    key: str | None = None
    face: str | None = None
    fill: RGB | None = None
    hand: bool = False
    underline: bool = False


Piece = tuple[Run, str, float]
# CJK text breaks between any two characters; a run of Latin letters or digits is one word
# (broken per character only when it is wider than the whole line, as Word does in a table).
_TOKEN = re.compile(r"[A-Za-z0-9.,:()\-/%]+|.", re.S)
_NO_LINE_START = frozenset("，。；：、）》”！？,.;:)")
_HAND_SLACK = 0.12  # Page.hand advances up to this many em more per character than print


HAND_FACE = "ukai"  # the one brush (hand-looking) face among the training fonts


def _face(run: Run, face: str) -> str:
    return run.face or (HAND_FACE if run.hand else face)


def _width(page: Page, run: Run, text: str, size: int, face: str) -> float:
    w = page.text_width(text, size=size, face=_face(run, face))
    return w + (_HAND_SLACK * size * len(text) if run.hand else 0.0)


def wrap(
    page: Page, runs: Sequence[Run], *, width: float, size: int, face: str, first: float = 0.0
) -> list[list[Piece]]:
    """Break ``runs`` into lines no wider than ``width`` (``first``: indent of line one)."""
    pieces: list[Piece] = []
    for r in runs:
        for m in _TOKEN.finditer(r.text):
            t = m.group(0)
            w = _width(page, r, t, size, face)
            if w > width and len(t) > 1:
                pieces += [(r, ch, _width(page, r, ch, size, face)) for ch in t]
            else:
                pieces.append((r, t, w))
    lines: list[list[Piece]] = [[]]
    x = first
    for r, t, w in pieces:
        if x + w > width and lines[-1] and t not in _NO_LINE_START:
            lines.append([])
            x = 0.0
        if not lines[-1] and len(lines) > 1 and not t.strip():
            continue  # a wrapped line does not start with a blank
        lines[-1].append((r, t, w))
        x += w
    return [line for line in lines if line] or [[]]


def draw_lines(
    page: Page,
    lines: Sequence[Sequence[Piece]],
    *,
    x: float,
    top: float,
    width: float,
    size: int,
    pitch: float,
    face: str,
    fill: RGB,
    rng: random.Random,
    align: str = "left",
    first: float = 0.0,
) -> float:
    """Draw wrapped lines from ``top``; returns the top of the line after the last."""
    y = top
    for i, line in enumerate(lines):
        lw = sum(w for _, _, w in line)
        if align == "center":
            lx = x + (width - lw) / 2
        elif align == "right":
            lx = x + width - lw
        else:
            lx = x + (first if i == 0 else 0.0)
        groups: list[Piece] = []
        for r, t, w in line:
            if groups and groups[-1][0] is r:
                groups[-1] = (r, groups[-1][1] + t, groups[-1][2] + w)
            else:
                groups.append((r, t, w))
        for r, t, w in groups:
            rface, ink = _face(r, face), r.fill or fill
            lead = len(t) - len(t.lstrip())
            body = t.strip()
            bx = lx + (_width(page, r, t[:lead], size, face) if lead else 0.0)
            if body:
                if r.hand:
                    page.hand(bx, y, body, size=size, rng=rng, face=rface, fill=ink, key=r.key)
                else:
                    page.text(bx, y, body, size=size, face=rface, fill=ink, key=r.key)
            if r.underline:
                uy = y + size * 1.14
                page.line((lx - 0.15 * size, uy, lx + w + 0.3 * size, uy), fill=(60, 60, 60))
            lx += w
        y += pitch
    return y


def block_height(n_lines: int, size: int, pitch: float) -> float:
    return (max(1, n_lines) - 1) * pitch + size


def para(
    page: Page,
    runs: Sequence[Run],
    *,
    x0: float,
    x1: float,
    top: float,
    size: int,
    face: str,
    fill: RGB,
    pitch: float,
    rng: random.Random,
    indent: float = 2.0,
    align: str = "left",
) -> float:
    """A flowing paragraph (``indent`` in em); returns the top of the next paragraph."""
    first = indent * size
    lines = wrap(page, runs, width=x1 - x0, size=size, face=face, first=first)
    return draw_lines(
        page,
        lines,
        x=x0,
        top=top,
        width=x1 - x0,
        size=size,
        pitch=pitch,
        face=face,
        fill=fill,
        rng=rng,
        align=align,
        first=first,
    )


@dataclass(frozen=True)
class Column:
    """A column of flowing paragraphs: its extent and body typography."""

    x0: float
    x1: float
    size: int
    face: str
    fill: RGB
    pitch: float
    rng: random.Random

    def para(
        self,
        page: Page,
        top: float,
        runs: Sequence[Run],
        *,
        indent: float = 2.0,
        align: str = "left",
    ) -> float:
        """One paragraph from ``top``; returns the top of the next."""
        return para(page, runs, top=top, indent=indent, align=align, **vars(self))


@dataclass(frozen=True)
class Cell:
    """One cell of a table row: its width in pixels and its text."""

    width: float
    runs: tuple[Run, ...] = ()
    label: bool = False
    align: str = "left"


class Table:
    """A bordered table drawn row by row; a row is as tall as its most wrapped cell."""

    def __init__(
        self,
        page: Page,
        st: Style,
        *,
        x0: float,
        top: float,
        size: int,
        mm: float,
        rng: random.Random,
        label_size: int | None = None,
        label_align: str = "center",
        frame: int = 2,
    ):
        self.page, self.st, self.x0, self.y, self.top = page, st, x0, top, top
        self.size, self.mm, self.rng = size, mm, rng
        self.label_size = label_size or size
        self.label_align = label_align
        self.frame = frame
        self.pad = st.pad * mm
        self.right = x0

    def _lines(self, c: Cell) -> tuple[list[list[Piece]], int, str]:
        size = self.label_size if c.label else self.size
        face = self.st.label if c.label else self.st.value
        lines = wrap(self.page, c.runs, width=c.width - 2 * self.pad, size=size, face=face)
        return lines, size, face

    def row(self, cells: Sequence[Cell], *, min_h: float = 0.0, valign: str = "middle") -> float:
        """Draw one row; returns its top."""
        laid = [self._lines(c) for c in cells]
        need = max(
            block_height(len(lines), size, size * self.st.leading) + 2 * self.pad
            for lines, size, _ in laid
        )
        h = max(min_h, need)
        x, top = self.x0, self.y
        for c, (lines, size, face) in zip(cells, laid, strict=True):
            self.page.rect((x, top, x + c.width, top + h), width=1)
            pitch = size * self.st.leading
            bh = block_height(len(lines), size, pitch)
            ty = top + (h - bh) / 2 if valign == "middle" else top + self.pad
            if c.label and self.label_align == "distribute" and len(lines) == 1:
                self._distributed(c, x, ty, size)
            else:
                draw_lines(
                    self.page,
                    lines,
                    x=x + self.pad,
                    top=ty,
                    width=c.width - 2 * self.pad,
                    size=size,
                    pitch=pitch,
                    face=face,
                    fill=self.st.label_ink if c.label else self.st.ink,
                    rng=self.rng,
                    align=self.label_align if c.label and c.align == "left" else c.align,
                )
            x += c.width
        self.right = max(self.right, x)
        self.y = top + h
        return top

    def _distributed(self, c: Cell, x: float, top: float, size: int) -> None:
        text = "".join(r.text for r in c.runs)
        avail = c.width - 2 * self.pad - 2 * size * 0.3
        w = self.page.text_width(text, size=size, face=self.st.label)
        gap = (avail - w) / max(1, len(text) - 1) / size if len(text) > 1 else 0.0
        gap = max(0.0, min(gap, 1.5))
        full = w + gap * size * (len(text) - 1)
        self.page.text(
            x + (c.width - full) / 2,
            top,
            text,
            size=size,
            face=self.st.label,
            fill=self.st.label_ink,
            spacing=gap,
        )

    def close(self) -> float:
        """Draw the heavier outer frame; returns the bottom of the table."""
        self.page.rect((self.x0, self.top, self.right, self.y), width=self.frame)
        return self.y


def label(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def value(text: str, key: str | None = None, **kw: Any) -> tuple[Run, ...]:
    return (Run(text, key, **kw),)


def copy_marks(page: Page, rng: random.Random, st: Style, *, mm: float, p: float = 0.3) -> None:
    """With probability ``p`` a rubber stamp over the page's text (a certified copy)."""
    if rng.random() >= p:
        return
    text = rng.choice(
        ("与原件核对一致", "复印件与原件相符", "仅供办理不动产登记使用", "此件与原件一致")
    )
    color = rng.choice(((205, 40, 45), (35, 65, 170)))
    im = copy_stamp(
        text, height=round(rng.uniform(9, 13) * mm), rng=rng, face=st.title, color=color
    )
    x = rng.uniform(0.08, 0.6) * page.width
    y = rng.uniform(0.15, 0.75) * page.height
    page.paste(im, (round(x), round(y)), im)


def _date_text(x: date, rng: random.Random) -> str:
    return _cn_date(x, pad=rng.random() < 0.4)


def _hand_date(x: date, key: str, rng: random.Random, *, pen: RGB) -> tuple[Run, ...]:
    """A date on a form: the digits handwritten in ``pen`` ink, 年 月 日 printed."""
    pad = rng.random() < 0.3
    m, dd = (f"{x.month:02d}", f"{x.day:02d}") if pad else (str(x.month), str(x.day))
    return (
        Run(str(x.year), key, hand=True, fill=pen),
        Run("年", key),
        Run(m, key, hand=True, fill=pen),
        Run("月", key),
        Run(dd, key, hand=True, fill=pen),
        Run("日", key),
    )


def _a4(dpi: int, rng: random.Random, tone: RGB = (250, 250, 247)) -> tuple[int, int, Image.Image]:
    w, h = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    j = rng.choice((-3, 0, 2))  # a few paper tones (the page texture is cached per tone)
    return w, h, paper(w, h, tone=(tone[0] + j, tone[1] + j, tone[2] + j))


def _sizes(st: Style, mm: float, nominal_mm: float) -> tuple[int, float]:
    size = round(nominal_mm * mm * st.scale)
    return size, size * st.leading


# ---------------------------------------------------------------------------------------------
# 居民身份证
# ---------------------------------------------------------------------------------------------


def id_card_front(
    person: d.Person,
    *,
    seed: int,
    dpi: int,
    layout: str,
    font: str | None,
    printed_id: str | None = None,
) -> Sample:
    """人像面 as another card printer sets it: the same fields, other offsets, sizes, faces
    and address wrap width."""
    rng = random.Random(f"id_card_front:{layout}:{seed}")
    blue = rng.choice(((30, 100, 165), (40, 90, 150), (25, 110, 175)))
    st = pick_style(rng, card=True, font=font, label_ink=blue)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=False, rng=rng), tight=True)
    lab = round(2.75 * mm * rng.uniform(0.93, 1.07))
    val = round(3.2 * mm * rng.uniform(0.94, 1.06))
    num = round(3.6 * mm * rng.uniform(0.94, 1.04))
    jx, jy = rng.uniform(-1.1, 1.1) * mm, rng.uniform(-0.9, 0.9) * mm
    lx = 6.3 * mm + jx
    vx = lx + rng.uniform(10.2, 11.6) * mm
    ls = rng.uniform(0.25, 0.45)

    def row(mm_top: float) -> float:
        return mm_top * mm + jy

    page.text(lx, row(6.2), "姓名", size=lab, face=st.label, fill=blue, spacing=ls)
    page.text(
        vx,
        row(5.8),
        person.name,
        size=round(val * rng.uniform(1.0, 1.1)),
        face=st.value,
        key="name",
        spacing=rng.uniform(0.05, 0.25),
    )
    page.text(lx, row(12.6), "性别", size=lab, face=st.label, fill=blue, spacing=ls)
    page.text(vx, row(12.3), person.sex, size=val, face=st.value, key="sex")
    nx = lx + rng.uniform(22.5, 24.5) * mm
    page.text(nx, row(12.6), "民族", size=lab, face=st.label, fill=blue, spacing=ls)
    page.text(nx + 10 * mm, row(12.3), person.ethnicity, size=val, face=st.value, key="ethnicity")
    page.text(lx, row(19.0), "出生", size=lab, face=st.label, fill=blue, spacing=ls)
    b = person.birth_date
    x = vx
    for text, gap in ((f"{b.year}", 0.9), ("年", 0.9), (f"{b.month}", 0.9), ("月", 0.9)):
        box = page.text(x, row(18.7), text, size=val, face=st.value, key="birth_date")
        x = box[2] + gap * mm + (1.2 * mm if text == "年" and b.month < 10 else 0)
    x += 1.2 * mm if b.day < 10 else 0
    box = page.text(x, row(18.7), f"{b.day}", size=val, face=st.value, key="birth_date")
    page.text(box[2] + 0.9 * mm, row(18.7), "日", size=val, face=st.value, key="birth_date")
    page.text(lx, row(25.4), "住址", size=lab, face=st.label, fill=blue, spacing=ls)
    width = rng.uniform(34.5, 37.5) * mm
    lines = wrap(page, value(person.address, "address"), width=width, size=val, face=st.value)
    pitch = (4.6 if len(lines) < 4 else 3.9) * mm
    draw_lines(
        page,
        lines,
        x=vx,
        top=row(25.1),
        width=width,
        size=val,
        pitch=pitch,
        face=st.value,
        fill=st.ink,
        rng=rng,
    )
    page.text(lx, row(45.2), "公民身份号码", size=lab, face=st.label, fill=blue, spacing=0.12)
    page.text(
        lx + rng.uniform(24.0, 25.6) * mm,
        row(44.6),
        printed_id or person.id_number,
        size=num,
        face=st.number,
        key="id_number",
        spacing=rng.uniform(0.03, 0.12),
    )
    ph_w, ph_h = round(26 * mm), round(32 * mm)
    ph = portrait(ph_w, ph_h, rng=rng, female=person.sex == "女")
    page.paste(ph, (round(55.5 * mm + jx), round(7.5 * mm + jy)), ph)
    fields = golden.id_card_front(person, id_number=printed_id)
    return finish(
        doc_type="id_card_front",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=person,
        layout=layout,
    )


def id_card_back(person: d.Person, *, seed: int, dpi: int, layout: str, font: str | None) -> Sample:
    """国徽面 with other offsets, sizes and faces."""
    rng = random.Random(f"id_card_back:{layout}:{seed}")
    st = pick_style(rng, card=True, font=font)
    w, h = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    mm = dpi / 25.4
    page = Page(card_background(w, h, back=True, rng=rng), tight=True)
    jx, jy = rng.uniform(-1.0, 1.0) * mm, rng.uniform(-0.8, 0.8) * mm
    em_px = round(rng.uniform(18, 20) * mm)
    card_back_title(page, mm=mm, dx=jx, dy=jy, emblem_px=em_px, faces=(st.title, st.title))
    lab = round(2.75 * mm * rng.uniform(0.94, 1.06))
    val = round(3.0 * mm * rng.uniform(0.94, 1.08))
    lx, vx = 17.5 * mm + jx, rng.uniform(32.5, 34.5) * mm + jx
    page.text(lx, 36.6 * mm + jy, "签发机关", size=lab, face=st.label, spacing=0.2)
    page.text(
        vx,
        36.4 * mm + jy,
        person.issuing_authority,
        size=val,
        face=st.value,
        key="issuing_authority",
    )
    page.text(lx, 44.0 * mm + jy, "有效期限", size=lab, face=st.label, spacing=0.2)
    start, end = validity_period(person)
    top = 43.8 * mm + jy
    face = st.value if rng.random() < 0.6 else st.number
    b1 = page.text(vx, top, start, size=val, face=face, key="valid_from")
    b2 = page.text(b1[2] + 2, top, "-", size=val, face=face)
    end_face = st.value if end == "长期" else face
    page.text(b2[2] + 2, top, end, size=val, face=end_face, key="valid_until")
    fields = golden.id_card_back(person)
    return finish(
        doc_type="id_card_back",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=person,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# 不动产权证书
# ---------------------------------------------------------------------------------------------


def _owner_runs(prop: d.Property, rng: random.Random) -> tuple[Run, ...]:
    sep = rng.choice(("、", "，", "  "))
    out: list[Run] = []
    for i, o in enumerate(prop.owners):
        if i:
            out.append(Run(sep))
        out.append(Run(o.name, f"owners[{i}]"))
    return tuple(out)


def _unit_printed(unit: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return " ".join((unit[:6], unit[6:12], unit[12:19], unit[19:]))
    return unit


def _area_runs(prop: d.Property, st: Style, rng: random.Random) -> tuple[Run, ...]:
    if st.word("area") == "面积":
        return (
            Run(f"共有宗地面积{prop.land_area}㎡/房屋建筑面积"),
            Run(prop.area, "area"),
            Run("㎡"),
        )
    return (Run(prop.area, "area"), Run(rng.choice(("㎡", "平方米", " 平方米"))))


def _other_rights(prop: d.Property, rng: random.Random) -> str:
    floors = rng.randint(6, 33)
    own = float(prop.area) * rng.uniform(0.78, 0.9)
    parts = [
        f"房屋结构：{rng.choice(('钢筋混凝土结构', '混合结构', '框架结构'))}",
        f"专有建筑面积：{own:.2f}㎡，分摊建筑面积：{float(prop.area) - own:.2f}㎡",
        f"房屋总层数：{floors}层，房屋所在层：{rng.randint(1, floors)}层",
        "土地使用权取得方式：出让",
    ]
    if prop.co_ownership == "按份共有" and len(prop.owners) > 1:
        share = 100 // len(prop.owners)
        parts.append("共有份额：" + "，".join(f"{o.name}占{share}%" for o in prop.owners))
    return rng.choice(("；", "。", "，")).join(parts) + "。"


def property_certificate(
    prop: d.Property, *, seed: int, dpi: int, layout: str, font: str | None
) -> Sample:
    """The register page of a 不动产权证书 as a label-left table (``register``), a table of
    two label/value pairs per row (``grid``) or boxes with the label above (``label_above``)."""
    rng = random.Random(f"property_certificate:{layout}:{seed}")
    st = pick_style(rng, font=font)
    w, h, base = _a4(dpi, rng, tone=(247, 246, 236))
    mm = dpi / 25.4
    page = Page(base, tight=True)
    green = rng.choice(((96, 140, 110), (80, 125, 100), (120, 150, 120)))
    inset = rng.uniform(7, 11) * mm
    page.rect((inset, inset, w - inset, h - inset), outline=green, width=max(2, round(mm)))
    page.rect(
        (inset + 2 * mm, inset + 2 * mm, w - inset - 2 * mm, h - inset - 2 * mm), outline=green
    )
    size, _ = _sizes(st, mm, 3.8)
    number = prop.certificate_number
    if rng.random() < 0.3:
        number = _fullwidth_parens(number)
    nsize = round(4.4 * mm * st.scale)
    nface = st.value if rng.random() < 0.5 else st.bold(st.value)
    nw = page.text_width(number, size=nsize, face=nface)
    nx = (w - nw) / 2 if rng.random() < 0.6 else w - inset - 12 * mm - nw
    page.text(nx, 22 * mm, number, size=nsize, face=nface, key="certificate_number")

    owners = _owner_runs(prop, rng)
    unit = value(_unit_printed(prop.unit_number, rng), "unit_number", face=st.number)
    rows: list[tuple[str, tuple[Run, ...]]] = [
        (st.word("owners"), owners),
        (st.word("co_ownership"), value(prop.co_ownership, "co_ownership")),
        (st.word("location"), value(prop.location, "location")),
        (st.word("unit_number"), unit),
        ("权利类型", value(prop.right_type)),
        ("权利性质", value(prop.right_nature)),
        ("用途", value(prop.use)),
        (st.word("area"), _area_runs(prop, st, rng)),
        ("使用期限", value(prop.term)),
    ]
    other = value(_other_rights(prop, rng))
    note = value(f"业务号：{prop.registered_on:%Y%m%d}{rng.randint(1000, 9999)}")
    table_w = rng.uniform(125, 165) * mm
    x0 = (w - table_w) / 2 + rng.uniform(-4, 4) * mm
    top = rng.uniform(32, 40) * mm
    align = rng.choice(("center", "distribute", "left"))
    if layout == "register":
        lab_w = rng.uniform(24, 34) * mm
        t = Table(page, st, x0=x0, top=top, size=size, mm=mm, rng=rng, label_align=align)
        min_h = rng.uniform(9, 14) * mm
        for lab, runs in rows:
            t.row([Cell(lab_w, label(lab), label=True), Cell(table_w - lab_w, runs)], min_h=min_h)
        t.row(
            [Cell(lab_w, label("权利其他状况"), label=True), Cell(table_w - lab_w, other)],
            min_h=rng.uniform(40, 62) * mm,
        )
        t.row([Cell(lab_w, label("附记"), label=True), Cell(table_w - lab_w, note)], min_h=24 * mm)
        bottom = t.close()
    elif layout == "grid":
        lab_w = rng.uniform(20, 26) * mm
        half = (table_w - 2 * lab_w) / 2
        t = Table(page, st, x0=x0, top=top, size=size, mm=mm, rng=rng, label_align=align)
        min_h = rng.uniform(10, 14) * mm
        by = dict(rows)
        for a, b in (
            (st.word("owners"), st.word("co_ownership")),
            (st.word("location"), st.word("unit_number")),
            ("权利类型", "权利性质"),
            ("用途", st.word("area")),
        ):
            t.row(
                [
                    Cell(lab_w, label(a), label=True),
                    Cell(half, by[a]),
                    Cell(lab_w, label(b), label=True),
                    Cell(half, by[b]),
                ],
                min_h=min_h,
            )
        rest = table_w - lab_w
        t.row([Cell(lab_w, label("使用期限"), label=True), Cell(rest, by["使用期限"])], min_h=min_h)
        t.row(
            [Cell(lab_w, label("权利其他状况"), label=True), Cell(rest, other)],
            min_h=rng.uniform(40, 60) * mm,
        )
        t.row([Cell(lab_w, label("附记"), label=True), Cell(rest, note)], min_h=22 * mm)
        bottom = t.close()
    elif layout == "label_above":
        bottom = _label_above(
            page,
            st,
            [*rows, ("权利其他状况", other)],
            x0=x0,
            top=top,
            width=table_w,
            mm=mm,
            rng=rng,
        )
    else:
        raise ValueError(f"unknown property_certificate layout {layout!r}")
    organ = f"{prop.registry}自然资源和规划局"
    y = min(bottom + rng.uniform(8, 16) * mm, h - 45 * mm)
    ox = w - rng.uniform(88, 100) * mm
    page.text(ox, y, "登记机构（章）", size=size, face=st.label, fill=st.label_ink)
    page.text(ox, y + 10 * mm, _date_text(prop.registered_on, rng), size=size, face=st.value)
    st_im = seal(
        organ, diameter=round(rng.uniform(36, 42) * mm), rng=rng, center="不动产登记专用章"
    )
    page.paste(st_im, (round(ox + rng.uniform(4, 16) * mm), round(y - 12 * mm)), st_im)
    page.text(
        inset + 10 * mm,
        h - inset - 10 * mm,
        f"编号 NO. {prop.print_serial}",
        size=round(3 * mm),
        face=st.label,
        fill=(170, 40, 40),
    )
    copy_marks(page, rng, st, mm=mm, p=0.25)
    fields = golden.property_certificate(prop)
    return finish(
        doc_type="property_certificate",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=prop,
        layout=layout,
    )


def _label_above(
    page: Page,
    st: Style,
    items: Sequence[tuple[str, tuple[Run, ...]]],
    *,
    x0: float,
    top: float,
    width: float,
    mm: float,
    rng: random.Random,
) -> float:
    """Boxes two to a row (long values alone) with a small label in the box's top-left
    corner and the value under it; returns the bottom."""
    size, pitch = _sizes(st, mm, 3.7)
    lsize = round(size * rng.uniform(0.7, 0.8))
    pad = st.pad * mm
    half = width / 2
    y = top
    i = 0
    while i < len(items):
        lab, runs = items[i]
        text_len = sum(len(r.text) for r in runs)
        pair = (
            i + 1 < len(items) and text_len < 40 and sum(len(r.text) for r in items[i + 1][1]) < 40
        )
        row = [items[i], items[i + 1]] if pair else [items[i]]
        cw = half if pair else width
        laid = [wrap(page, r, width=cw - 2 * pad, size=size, face=st.value) for _, r in row]
        hgt = max(
            lsize + 1.5 * mm + block_height(len(lines), size, pitch) + 2 * pad for lines in laid
        )
        hgt = max(hgt, rng.uniform(13, 17) * mm)
        for k, ((lab, _), lines) in enumerate(zip(row, laid, strict=True)):
            bx = x0 + k * cw
            page.rect((bx, y, bx + cw, y + hgt), width=1)
            page.text(bx + pad, y + pad, lab, size=lsize, face=st.label, fill=st.label_ink)
            draw_lines(
                page,
                lines,
                x=bx + pad,
                top=y + pad + lsize + 1.5 * mm,
                width=cw - 2 * pad,
                size=size,
                pitch=pitch,
                face=st.value,
                fill=st.ink,
                rng=rng,
            )
        y += hgt
        i += len(row)
    page.rect((x0, top, x0 + width, y), width=2)
    return y


# ---------------------------------------------------------------------------------------------
# 存量房买卖合同
# ---------------------------------------------------------------------------------------------


def _price_printed(price: int, rng: random.Random) -> str:
    return rng.choice((str(price), f"{price:,}", f"{price}.00", f"{price:,}.00"))


def _role_labels(st: Style, people: Sequence[d.Person], role: str) -> list[str]:
    word = st.word(role)
    if len(people) == 1:
        return [word]
    return [f"{word}{'一二三四'[i]}" for i in range(len(people))]


_CLAUSES_P1 = (
    (
        "第三条  付款方式",
        "乙方应于本合同签订之日向甲方支付定金，余款通过存量房交易资金监管账户支付，待该房屋转移登记完成后由监管机构划转至甲方账户。",
    ),
    (
        "第四条  房屋交付",
        "甲方应于约定日期前将该房屋交付乙方，并结清交付前发生的水、电、燃气、物业管理等费用。",
    ),
)
_CLAUSES_P2 = (
    (
        "第五条  权属转移登记",
        "甲、乙双方应于本合同签订之日起三十日内共同向不动产登记机构申请办理转移登记。因甲方原因不能办理的，乙方有权解除合同，甲方应双倍返还定金。",
    ),
    ("第六条  税费承担", "办理转移登记所发生的税费，按照国家及地方有关规定由甲、乙双方各自承担。"),
    ("第七条  甲方保证", "甲方保证该房屋权属清楚，无查封、抵押等权利限制，共有人已同意出售。"),
    (
        "第八条  争议解决",
        "本合同履行中发生争议的，双方协商解决；协商不成的，依法向房屋所在地人民法院起诉。",
    ),
    (
        "第九条  其他",
        "本合同一式三份，甲、乙双方各执一份，不动产登记机构存档一份，具有同等法律效力。",
    ),
)


def sale_contract(c: d.Contract, *, seed: int, dpi: int, layout: str, font: str | None) -> Sample:
    """A two-page 存量房买卖合同: parties in a bordered table (``table``), all of a side's
    parties in one wrapped cell (``roster``) or a printed form filled in, partly by hand
    (``form``). Page 2 carries the signatures (handwritten, with red fingerprints) and the
    signing date."""
    rng = random.Random(f"sale_contract:{layout}:{seed}")
    st = pick_style(rng, font=font)
    w, h, base = _a4(dpi, rng)
    mm = dpi / 25.4
    size, pitch = _sizes(st, mm, 3.6)
    pages = [Page(base, index=0, tight=True), Page(base.copy(), index=1, tight=True)]
    p0, p1 = pages
    x0, x1 = rng.uniform(20, 27) * mm, w - rng.uniform(20, 27) * mm
    title = rng.choice(
        ("存量房买卖合同", "二手房买卖合同", "存量房屋买卖合同", f"{c.prop.registry}存量房买卖合同")
    )
    tsize = round(6.5 * mm * st.scale)
    y = para(
        p0,
        value(title),
        x0=x0,
        x1=x1,
        top=20 * mm,
        size=tsize,
        face=st.title,
        fill=st.ink,
        pitch=tsize * 1.6,
        rng=rng,
        indent=0,
        align="center",
    )
    hand = layout == "form"
    y = para(
        p0,
        (Run("合同编号："), Run(c.number, underline=hand)),
        x0=x0,
        x1=x1,
        top=y,
        size=size,
        face=st.value,
        fill=st.ink,
        pitch=pitch,
        rng=rng,
        indent=0,
        align="right" if rng.random() < 0.5 else "left",
    )
    y += 0.4 * pitch
    cert = c.printed_certificate_number
    if rng.random() < 0.3:
        cert = _fullwidth_parens(cert)
    price = _price_printed(c.price, rng)
    column = Column(x0, x1, size, st.value, st.ink, pitch, rng)

    def heading(page: Page, y: float, text: str) -> float:
        return column.para(page, y, (Run(text, face=st.bold(st.label)),), indent=0)

    def body(page: Page, y: float, runs: Sequence[Run]) -> float:
        return column.para(page, y, runs)

    idw, addrw = st.word("id_number"), st.word("address")
    sides = (("sellers", c.sellers, "seller"), ("buyers", c.buyers, "buyer"))
    if layout == "table":
        widths = [
            rng.uniform(22, 30),
            rng.uniform(15, 22),
            rng.uniform(17, 22),
            rng.uniform(27, 44),
        ]
        tw = (x1 - x0) / mm
        widths.append(tw - sum(widths))
        cols = [v * mm for v in widths]
        lsize = round(size * 0.92)
        t = Table(p0, st, x0=x0, top=y, size=size, mm=mm, rng=rng, label_size=lsize)
        t.row(
            [
                Cell(cols[0], label("当事人"), label=True),
                Cell(cols[1], label("姓名"), label=True),
                Cell(cols[2], label("证件类型"), label=True),
                Cell(cols[3], label(idw), label=True),
                Cell(cols[4], label(addrw), label=True),
            ],
            min_h=9 * mm,
        )
        for key, people, role in sides:
            for i, (p, lab) in enumerate(zip(people, _role_labels(st, people, role), strict=True)):
                t.row(
                    [
                        Cell(cols[0], label(lab), label=True),
                        Cell(cols[1], value(p.name, f"{key}[{i}].name")),
                        Cell(cols[2], value("居民身份证")),
                        Cell(
                            cols[3], value(c.printed_id(p), f"{key}[{i}].id_number", face=st.number)
                        ),
                        Cell(cols[4], value(p.address)),
                    ],
                    min_h=rng.uniform(10, 14) * mm,
                )
        y = t.close() + 0.6 * pitch
    elif layout == "roster":
        lab_w = rng.uniform(24, 32) * mm
        t = Table(p0, st, x0=x0, top=y, size=size, mm=mm, rng=rng, label_align="center")
        for key, people, role in sides:
            runs: list[Run] = []
            for i, p in enumerate(people):
                if i:
                    runs.append(Run("；"))
                runs += [
                    Run(p.name, f"{key}[{i}].name"),
                    Run(f"，{idw}："),
                    Run(c.printed_id(p), f"{key}[{i}].id_number", face=st.number),
                    Run(f"，{addrw}：{p.address}"),
                ]
            t.row(
                [Cell(lab_w, label(st.word(role)), label=True), Cell(x1 - x0 - lab_w, tuple(runs))],
                min_h=16 * mm,
            )
        y = t.close() + 0.6 * pitch
    elif layout == "form":
        for key, people, role in sides:
            for i, p in enumerate(people):
                lab = _role_labels(st, people, role)[i]
                y = body(
                    p0,
                    y,
                    (
                        Run(f"{lab}："),
                        Run(
                            p.name,
                            f"{key}[{i}].name",
                            hand=rng.random() < 0.75,
                            underline=True,
                            fill=st.pen,
                        ),
                    ),
                )
                y = body(
                    p0,
                    y,
                    (
                        Run(f"{idw}："),
                        Run(
                            c.printed_id(p),
                            f"{key}[{i}].id_number",
                            hand=rng.random() < 0.3,
                            underline=True,
                            fill=st.pen,
                        ),
                    ),
                )
                y = body(p0, y, (Run(f"{addrw}："), Run(p.address, underline=True)))
        y += 0.4 * pitch
    else:
        raise ValueError(f"unknown sale_contract layout {layout!r}")
    y = body(
        p0,
        y,
        value(
            "根据《中华人民共和国民法典》《中华人民共和国城市房地产管理法》及其他有关法律、法规之规定，"
            "甲、乙双方在平等、自愿、协商一致的基础上，就乙方购买甲方房屋事宜达成如下协议："
        ),
    )
    y = heading(p0, y, "第一条  房屋基本情况")
    locw, certw, areaw = st.word("location"), st.word("certificate_number"), st.word("area")
    if layout == "table":
        lab_w = rng.uniform(26, 36) * mm
        t = Table(
            p0,
            st,
            x0=x0,
            top=y,
            size=size,
            mm=mm,
            rng=rng,
            label_align=rng.choice(("center", "distribute")),
        )
        for lab, runs in (
            (locw, value(c.printed_location, "location")),
            (certw, value(cert, "certificate_number")),
            (st.word("unit_number"), value(c.prop.unit_number, face=st.number)),
            (areaw, (Run(c.prop.area), Run("平方米"))),
            ("用途", value("住宅")),
        ):
            t.row(
                [Cell(lab_w, label(lab), label=True), Cell(x1 - x0 - lab_w, runs)],
                min_h=rng.uniform(9, 12) * mm,
            )
        y = t.close() + 0.5 * pitch
    else:
        fill = layout == "form"
        y = body(
            p0,
            y,
            (
                Run(f"该房屋{locw}："),
                Run(
                    c.printed_location,
                    "location",
                    underline=fill,
                    hand=fill and rng.random() < 0.3,
                    fill=st.pen if fill else None,
                ),
                Run(f"，{areaw}"),
                Run(c.prop.area, underline=fill),
                Run("平方米。"),
            ),
        )
        y = body(
            p0,
            y,
            (Run(f"该房屋{certw}："), Run(cert, "certificate_number", underline=fill), Run("。")),
        )
        y = body(p0, y, value(f"该房屋不动产单元号：{c.prop.unit_number}，用途：住宅。"))
    y = heading(p0, y, "第二条  成交价格")
    pricew = st.word("price")
    by_hand = layout == "form" and rng.random() < 0.6
    y = body(
        p0,
        y,
        (
            Run(f"经甲、乙双方协商一致，该房屋{pricew}为人民币（小写）"),
            Run(
                price,
                "price",
                hand=by_hand,
                underline=layout == "form",
                fill=st.pen if by_hand else None,
            ),
            Run(f"元（大写：{d.chinese_amount(c.price)}）。该价格包含房屋及其附属设施设备价款。"),
        ),
    )
    for head, text in _CLAUSES_P1:
        y = heading(p0, y, head)
        y = body(p0, y, value(text))
    copy_marks(p0, rng, st, mm=mm, p=0.15)
    # page 2: clauses, signatures, date
    y = 22 * mm
    for head, text in _CLAUSES_P2:
        y = heading(p1, y, head)
        y = body(p1, y, value(text))
    y += 1.5 * pitch
    col = w / 2 + 5 * mm
    sig = 0.0
    for k, (_key, people, role) in enumerate(sides):
        sx = x0 if k == 0 else col
        for i, p in enumerate(people):
            sy = y + i * 13 * mm
            lab = f"{st.word(role).split('（')[0]}（签章）："
            b = p1.text(sx, sy, lab, size=size, face=st.value, fill=st.ink)
            nb = p1.hand(
                b[2] + 2 * mm,
                sy - 1 * mm,
                p.name,
                size=round(size * 1.25),
                rng=rng,
                face=st.hand,
                fill=st.pen,
            )
            fp = fingerprint(round(9 * mm), round(12 * mm), rng=rng)
            p1.paste(fp, (round(nb[2] - 4 * mm), round(sy - 4 * mm)), fp)
            sig = max(sig, sy)
    y = sig + 16 * mm
    datew = st.word("signed_date")
    b = p1.text(x0, y, f"{datew}：", size=size, face=st.value, fill=st.ink)
    if layout == "form" or rng.random() < 0.3:
        runs_d = _hand_date(c.signed_date, "signed_date", rng, pen=st.pen)
        lines = wrap(p1, runs_d, width=x1 - b[2], size=size, face=st.value)
        draw_lines(
            p1,
            lines,
            x=b[2] + 2,
            top=y,
            width=x1 - b[2],
            size=size,
            pitch=pitch,
            face=st.value,
            fill=st.ink,
            rng=rng,
        )
    else:
        p1.text(
            b[2] + 2,
            y,
            _date_text(c.signed_date, rng),
            size=size,
            face=st.value,
            fill=st.ink,
            key="signed_date",
        )
    p1.text(col, y, "签订地点：" + c.prop.registry, size=size, face=st.value, fill=st.ink)
    page_numbers(pages, w=w, h=h, mm=mm, face=st.label)
    fields = golden.sale_contract(c)
    return finish(
        doc_type="sale_contract",
        fields=fields,
        pages=pages,
        dpi=dpi,
        seed=seed,
        facts=c,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# 结婚证
# ---------------------------------------------------------------------------------------------


def marriage_certificate(
    m: d.Marriage, *, seed: int, dpi: int, layout: str, font: str | None
) -> Sample:
    """结婚证: the open booklet with other positions, sizes and wordings (``spread``) or one
    page with the couple in a two-column table (``table``)."""
    rng = random.Random(f"marriage_certificate:{layout}:{seed}")
    red = rng.choice(((190, 60, 60), (175, 45, 50), (200, 75, 70)))
    st = pick_style(rng, font=font, label_ink=red)
    mm = dpi / 25.4
    people = (m.holder, m.spouse) if m.holder.sex == "男" else (m.spouse, m.holder)
    order = [m.holder, m.spouse]
    idw = st.word("spouse_id")
    top_rows = (
        (st.word("holder"), m.holder.name, "holder"),
        (st.word("registration_date"), _date_text(m.registration_date, rng), "registration_date"),
        (st.word("marriage_number"), m.certificate_number, "certificate_number"),
    )
    if layout == "spread":
        w, h = _px(250, dpi), _px(176, dpi)
        page = Page(paper(w, h, tone=(249, 236, 232)), tight=True)
        half = w / 2
        page.line((half, 0, half, h), fill=(215, 190, 185), width=3)
        for x in (6 * mm, half + 6 * mm):
            page.rect((x, 6 * mm, x + half - 12 * mm, h - 6 * mm), outline=red, width=2)
        size, _ = _sizes(st, mm, 4.0)
        lx = rng.uniform(13, 18) * mm
        vx = lx + rng.uniform(28, 36) * mm
        y = rng.uniform(24, 32) * mm
        step = rng.uniform(14, 18) * mm
        for lab, val, key in (*top_rows, ("备注", "", None)):
            page.text(lx, y, lab, size=size, face=st.label, fill=red)
            if val:
                face = st.number if key == "certificate_number" else st.value
                page.text(vx, y, val, size=size, face=face, fill=st.ink, key=key)
            page.line(
                (vx - 1 * mm, y + size + 2 * mm, half - 12 * mm, y + size + 2 * mm),
                fill=(200, 150, 150),
            )
            y += step
        page.text(lx, h - 45 * mm, "登记机关", size=size, face=st.label, fill=red)
        sl = seal(
            m.authority, diameter=round(rng.uniform(33, 38) * mm), rng=rng, center="婚姻登记专用章"
        )
        page.paste(sl, (round(lx + rng.uniform(30, 45) * mm), round(h - 62 * mm)), sl)
        px0 = half + rng.uniform(26, 34) * mm
        page.paste(
            Image.new("RGB", (round(60 * mm), round(40 * mm)), (200, 40, 40)),
            (round(px0), round(14 * mm)),
        )
        for k, person in enumerate(people):
            pt = portrait(round(28 * mm), round(38 * mm), rng=rng, female=person.sex == "女")
            page.paste(pt, (round(px0 + 2 * mm + k * 29 * mm), round(16 * mm)), pt)
        small = round(3.3 * mm * st.scale)
        rx = half + rng.uniform(11, 16) * mm
        gap = rng.uniform(13, 16) * mm
        for k, person in enumerate(people):
            idx = order.index(person)
            y = 60 * mm + k * rng.uniform(44, 50) * mm
            page.text(rx, y, "姓名", size=small, face=st.label, fill=red)
            page.text(
                rx + gap,
                y,
                person.name,
                size=small,
                face=st.value,
                fill=st.ink,
                key=f"spouses[{idx}].name",
            )
            page.text(rx + 48 * mm, y, "性别", size=small, face=st.label, fill=red)
            page.text(rx + 48 * mm + gap, y, person.sex, size=small, face=st.value, fill=st.ink)
            y += 10 * mm
            page.text(rx, y, "国籍", size=small, face=st.label, fill=red)
            page.text(rx + gap, y, "中国", size=small, face=st.value, fill=st.ink)
            page.text(rx + 48 * mm, y, "出生日期", size=small, face=st.label, fill=red)
            page.text(
                rx + 66 * mm,
                y,
                _cn_date(person.birth_date, pad=True),
                size=small,
                face=st.value,
                fill=st.ink,
            )
            y += 10 * mm
            b = page.text(rx, y, idw, size=small, face=st.label, fill=red)
            page.text(
                b[2] + 3 * mm,
                y,
                person.id_number,
                size=small,
                face=st.number,
                fill=st.ink,
                key=f"spouses[{idx}].id_number",
            )
    elif layout == "table":
        w, h = _px(176, dpi), _px(250, dpi)
        page = Page(paper(w, h, tone=(250, 240, 236)), tight=True)
        page.rect((6 * mm, 6 * mm, w - 6 * mm, h - 6 * mm), outline=red, width=2)
        tsize = round(8 * mm)
        tw = page.text_width("结婚证", size=tsize, face=st.title) + 2 * 0.6 * tsize
        page.text((w - tw) / 2, 14 * mm, "结婚证", size=tsize, face=st.title, fill=red, spacing=0.6)
        size, _ = _sizes(st, mm, 3.6)
        x0, x1 = rng.uniform(14, 20) * mm, w - rng.uniform(14, 20) * mm
        lab_w = rng.uniform(26, 34) * mm
        t = Table(page, st, x0=x0, top=32 * mm, size=size, mm=mm, rng=rng)
        for lab, val, key in top_rows:
            face = st.number if key == "certificate_number" else None
            t.row(
                [
                    Cell(lab_w, label(lab), label=True),
                    Cell(x1 - x0 - lab_w, value(val, key, face=face)),
                ],
                min_h=11 * mm,
            )
        y = t.close() + rng.uniform(8, 14) * mm
        col = (x1 - x0 - lab_w) / 2
        t = Table(page, st, x0=x0, top=y, size=size, mm=mm, rng=rng)
        t.row(
            [
                Cell(lab_w, label(""), label=True),
                Cell(col, label("男方"), label=True),
                Cell(col, label("女方"), label=True),
            ],
            min_h=9 * mm,
        )
        rows: list[tuple[str, Callable[[d.Person, int], tuple[Run, ...]]]] = [
            ("姓名", lambda p, i: value(p.name, f"spouses[{i}].name")),
            ("性别", lambda p, i: value(p.sex)),
            ("国籍", lambda p, i: value("中国")),
            ("出生日期", lambda p, i: value(_cn_date(p.birth_date, pad=True))),
            (idw, lambda p, i: value(p.id_number, f"spouses[{i}].id_number", face=st.number)),
        ]
        for lab, make in rows:
            t.row(
                [Cell(lab_w, label(lab), label=True)]
                + [Cell(col, make(p, order.index(p))) for p in people],
                min_h=rng.uniform(10, 13) * mm,
            )
        y = t.close() + 12 * mm
        page.text(x1 - 70 * mm, y, "登记机关（章）", size=size, face=st.label, fill=red)
        page.text(x1 - 70 * mm, y + 10 * mm, m.authority, size=size, face=st.value, fill=st.ink)
        sl = seal(
            m.authority, diameter=round(rng.uniform(33, 38) * mm), rng=rng, center="婚姻登记专用章"
        )
        page.paste(sl, (round(x1 - 62 * mm), round(y - 10 * mm)), sl)
    else:
        raise ValueError(f"unknown marriage_certificate layout {layout!r}")
    copy_marks(page, rng, st, mm=mm, p=0.2)
    fields = golden.marriage_certificate(m)
    return finish(
        doc_type="marriage_certificate",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=m,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# 授权委托书
# ---------------------------------------------------------------------------------------------


def power_of_attorney(
    poa: d.PowerOfAttorney, *, seed: int, dpi: int, layout: str, font: str | None
) -> Sample:
    """A one-page 授权委托书 with the two parties in a table (``table``) or as a printed form
    filled in, partly by hand (``form``); signed by hand with a red fingerprint."""
    rng = random.Random(f"power_of_attorney:{layout}:{seed}")
    st = pick_style(rng, font=font)
    w, _h, base = _a4(dpi, rng)
    mm = dpi / 25.4
    size, pitch = _sizes(st, mm, 3.9)
    page = Page(base, tight=True)
    x0, x1 = rng.uniform(20, 27) * mm, w - rng.uniform(20, 27) * mm
    column = Column(x0, x1, size, st.value, st.ink, pitch, rng)
    title = rng.choice(("授 权 委 托 书", "委 托 书", "授权委托书"))
    tsize = round(7 * mm * st.scale)
    y = para(
        page,
        value(title),
        x0=x0,
        x1=x1,
        top=26 * mm,
        size=tsize,
        face=st.title,
        fill=st.ink,
        pitch=tsize * 1.7,
        rng=rng,
        indent=0,
        align="center",
    )
    p, a = poa.principal, poa.agent
    idw, addrw = st.word("id_number"), st.word("address")
    parties = ((st.word("principal"), p, "principal"), (st.word("agent"), a, "agent"))
    if layout == "table":
        lab_w = rng.uniform(24, 32) * mm
        mid = rng.uniform(20, 30) * mm
        rest = x1 - x0 - lab_w
        t = Table(
            page,
            st,
            x0=x0,
            top=y,
            size=size,
            mm=mm,
            rng=rng,
            label_align=rng.choice(("center", "distribute")),
        )
        for role, person, key in parties:
            t.row(
                [
                    Cell(lab_w, label(role), label=True),
                    Cell(rest - 2 * mid, value(person.name, f"{key}.name")),
                    Cell(mid, label("性别"), label=True),
                    Cell(mid, value(person.sex)),
                ],
                min_h=11 * mm,
            )
            t.row(
                [
                    Cell(lab_w, label(idw), label=True),
                    Cell(rest, value(person.id_number, f"{key}.id_number", face=st.number)),
                ],
                min_h=11 * mm,
            )
            t.row(
                [Cell(lab_w, label(addrw), label=True), Cell(rest, value(person.address))],
                min_h=11 * mm,
            )
        y = t.close() + 0.8 * pitch
    elif layout == "form":
        for role, person, key in parties:
            y = column.para(
                page,
                y,
                (
                    Run(f"{role}："),
                    Run(
                        person.name,
                        f"{key}.name",
                        hand=rng.random() < 0.7,
                        underline=True,
                        fill=st.pen,
                    ),
                    Run(f"    性别：{person.sex}"),
                ),
                indent=0,
            )
            y = column.para(
                page,
                y,
                (
                    Run(f"{idw}："),
                    Run(
                        person.id_number,
                        f"{key}.id_number",
                        hand=rng.random() < 0.3,
                        underline=True,
                        fill=st.pen,
                    ),
                ),
                indent=0,
            )
            y = column.para(
                page,
                y,
                (Run(f"{addrw}："), Run(person.address, underline=True)),
                indent=0,
            )
            y += 0.3 * pitch
    else:
        raise ValueError(f"unknown power_of_attorney layout {layout!r}")
    reason = rng.choice(("工作原因", "身在外地", "身体原因", "长期在外务工"))
    y = column.para(
        page,
        y,
        value(
            f"委托人因{reason}不能亲自办理坐落于{poa.location}房屋的{poa.matter}相关事宜，"
            f"现委托{st.word('agent')}{a.name}作为我的合法代理人，全权代表我办理以下事项："
        ),
    )
    for i, item in enumerate(
        (
            "提交、领取不动产登记申请材料；",
            "在不动产登记申请书及询问笔录上签字；",
            "缴纳相关税费并领取不动产权证书。",
        ),
        start=1,
    ):
        y = column.para(page, y, value(f"{i}. {item}"))
    y = column.para(
        page,
        y,
        value(
            "受托人在上述权限内所签署的一切文件，委托人均予以承认，并承担相应的法律责任。委托期限：自本委托书签署之日起至上述事项办理完毕之日止。"
        ),
    )
    y += 2 * pitch
    sx = w - rng.uniform(95, 110) * mm
    b = page.text(
        sx,
        y,
        f"{st.word('principal').split('（')[0]}（签字）：",
        size=size,
        face=st.value,
        fill=st.ink,
    )
    nb = page.hand(
        b[2] + 2 * mm,
        y - 1 * mm,
        p.name,
        size=round(size * 1.25),
        rng=rng,
        face=st.hand,
        fill=st.pen,
    )
    fp = fingerprint(round(9 * mm), round(12 * mm), rng=rng)
    page.paste(fp, (round(nb[2] - 3 * mm), round(y - 4 * mm)), fp)
    y += 14 * mm
    b = page.text(sx, y, f"{st.word('poa_date')}：", size=size, face=st.value, fill=st.ink)
    if layout == "form" or rng.random() < 0.4:
        runs = _hand_date(poa.signed_date, "signed_date", rng, pen=st.pen)
        lines = wrap(page, runs, width=x1 - b[2], size=size, face=st.value)
        draw_lines(
            page,
            lines,
            x=b[2] + 2,
            top=y,
            width=x1 - b[2],
            size=size,
            pitch=pitch,
            face=st.value,
            fill=st.ink,
            rng=rng,
        )
    else:
        page.text(
            b[2] + 2,
            y,
            _date_text(poa.signed_date, rng),
            size=size,
            face=st.value,
            fill=st.ink,
            key="signed_date",
        )
    copy_marks(page, rng, st, mm=mm, p=0.15)
    fields = golden.power_of_attorney(poa)
    return finish(
        doc_type="power_of_attorney",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=poa,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# 居民户口簿
# ---------------------------------------------------------------------------------------------


def household_register(
    hh: d.Household, *, seed: int, dpi: int, layout: str, font: str | None
) -> Sample:
    """户口簿 (``modern``): the 户主页 with the address wrapped in a half-width cell and the
    户口专用章 over the page, then one 常住人口登记卡 per member with other column widths, the
    ID number row moved up or down and other wordings."""
    if layout != "modern":
        raise ValueError(f"unknown household_register layout {layout!r}")
    rng = random.Random(f"household_register:{layout}:{seed}")
    st = pick_style(rng, font=font)
    mm = dpi / 25.4
    w, h = _px(HOUSEHOLD_MM[0], dpi), _px(HOUSEHOLD_MM[1], dpi)
    j = rng.choice((-3, 0, 2))
    tone = (244 + j, 240 + j, 228 + j)
    size, _ = _sizes(st, mm, 3.2)
    lsize = round(size * 0.9)
    pages: list[Page] = []
    p0 = Page(paper(w, h, tone=tone), index=0, tight=True)
    pages.append(p0)
    tsize = round(5.5 * mm)
    title = "常住人口登记表"
    tw = p0.text_width(title, size=tsize, face=st.title)
    p0.text((w - tw) / 2, 12 * mm, title, size=tsize, face=st.title, fill=st.ink)
    x0, x1 = rng.uniform(6, 10) * mm, w - rng.uniform(6, 10) * mm
    tw_ = x1 - x0
    c0 = rng.uniform(18, 24) * mm
    c1 = rng.uniform(0.3, 0.36) * tw_
    c2 = rng.uniform(18, 24) * mm
    c3 = tw_ - c0 - c1 - c2
    head = hh.members[0][0]
    t = Table(p0, st, x0=x0, top=26 * mm, size=size, mm=mm, rng=rng, label_size=lsize)
    t.row(
        [
            Cell(c0, label("户别"), label=True),
            Cell(c1, value(hh.kind)),
            Cell(c2, label("户主姓名"), label=True),
            Cell(c3, value(head.name)),
        ],
        min_h=12 * mm,
    )
    t.row(
        [
            Cell(c0, label("户号"), label=True),
            Cell(c1, value(hh.household_number, face=st.number)),
            Cell(c2, label(st.word("hh_address")), label=True),
            Cell(c3, value(hh.address, "address")),
        ],
        min_h=rng.uniform(20, 28) * mm,
    )
    y = t.close()
    p0.text(x0 + 4 * mm, y + 12 * mm, "户口登记机关", size=size, face=st.label, fill=st.label_ink)
    sl = seal(hh.authority, diameter=round(rng.uniform(32, 36) * mm), rng=rng, center="户口专用章")
    sy = y + 6 * mm if rng.random() < 0.6 else y - rng.uniform(10, 18) * mm
    p0.paste(sl, (round(x0 + rng.uniform(26, 50) * mm), round(sy)), sl)
    p0.text(x0 + 4 * mm, y + 44 * mm, "承办人签章：", size=size, face=st.label, fill=st.label_ink)
    issued = d.REFERENCE_DATE.replace(year=d.REFERENCE_DATE.year - rng.randint(1, 8))
    p0.text(
        x0 + 4 * mm,
        y + 56 * mm,
        "签发日期：" + _cn_date(issued, pad=True),
        size=size,
        face=st.value,
        fill=st.ink,
    )
    relw, idw = st.word("relation"), st.word("hh_id_number")
    id_first = rng.random() < 0.5
    for i, (person, relation) in enumerate(hh.members):
        pg = Page(paper(w, h, tone=tone), index=i + 1, tight=True)
        pages.append(pg)
        t_ = "常住人口登记卡"
        pg.text(
            (w - pg.text_width(t_, size=tsize, face=st.title)) / 2,
            10 * mm,
            t_,
            size=tsize,
            face=st.title,
            fill=st.ink,
        )
        a0 = rng.uniform(17, 22) * mm
        a2 = rng.uniform(20, 28) * mm
        a1 = rng.uniform(0.3, 0.38) * tw_
        a3 = tw_ - a0 - a1 - a2
        birth_place = person.address[3:].split("区")[0] + ("区" if "区" in person.address else "")
        pairs: list[tuple[tuple[str, tuple[Run, ...]], tuple[str, tuple[Run, ...]]]] = [
            (
                ("姓名", value(person.name, f"members[{i}].name")),
                (relw, value(relation, f"members[{i}].relation")),
            ),
            (("曾用名", ()), ("性别", value(person.sex))),
            (("出生地", value(birth_place[:14])), ("民族", value(person.ethnicity))),
            (
                ("籍贯", value("浙江" + birth_place[:2])),
                ("出生日期", value(_cn_date(person.birth_date, pad=True))),
            ),
            (("宗教信仰", ()), ("身高", ())),
            (
                ("文化程度", value(rng.choice(("大学本科", "高中", "大学专科", "初中", "研究生")))),
                ("婚姻状况", value("已婚" if relation in ("户主", "妻", "夫") else "未婚")),
            ),
            (("服务处所", ()), ("职业", ())),
        ]
        t = Table(pg, st, x0=x0, top=22 * mm, size=size, mm=mm, rng=rng, label_size=lsize)
        rh = rng.uniform(10, 13) * mm
        wide = rng.uniform(30, 42) * mm

        id_cells = [
            Cell(wide, label(idw), label=True),
            Cell(tw_ - wide, value(person.id_number, f"members[{i}].id_number", face=st.number)),
        ]
        for k, ((la, va), (lb, vb)) in enumerate(pairs):
            t.row(
                [
                    Cell(a0, label(la), label=True),
                    Cell(a1, va),
                    Cell(a2, label(lb), label=True),
                    Cell(a3, vb),
                ],
                min_h=rh,
            )
            if k == 0 and id_first:
                t.row(id_cells, min_h=rh)
        if not id_first:
            t.row(id_cells, min_h=rh)
        for lab in ("本市（县）其他住址", "何时由何地迁来本市（县）", "何时由何地迁来本址"):
            t.row([Cell(wide, label(lab), label=True), Cell(tw_ - wide, ())], min_h=rh)
        y = t.close()
        pg.text(
            x0 + 4 * mm, y + 8 * mm, "承办人签章：", size=size, face=st.label, fill=st.label_ink
        )
        pg.text(
            x0 + 56 * mm,
            y + 8 * mm,
            "登记日期：" + _cn_date(issued, pad=True),
            size=round(size * 0.9),
            face=st.value,
            fill=st.ink,
        )
    fields = golden.household_register(hh)
    return finish(
        doc_type="household_register",
        fields=fields,
        pages=pages,
        dpi=dpi,
        seed=seed,
        facts=hh,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# 营业执照
# ---------------------------------------------------------------------------------------------


def business_license(c: d.Company, *, seed: int, dpi: int, layout: str, font: str | None) -> Sample:
    """营业执照 (副本) in portrait (``portrait``: one column of particulars, long values wrap in
    a narrower column) or landscape with other column widths (``landscape``)."""
    import qrcode

    rng = random.Random(f"business_license:{layout}:{seed}")
    st = pick_style(rng, font=font)
    mm = dpi / 25.4
    if layout == "portrait":
        w, h = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    elif layout == "landscape":
        w, h = _px(A4_MM[1], dpi), _px(A4_MM[0], dpi)
    else:
        raise ValueError(f"unknown business_license layout {layout!r}")
    page = Page(paper(w, h, tone=(252, 250, 244)), tight=True)
    frame = rng.choice(((196, 150, 70), (185, 140, 60), (205, 160, 85)))
    page.rect((7 * mm, 7 * mm, w - 7 * mm, h - 7 * mm), outline=frame, width=round(2.2 * mm))
    page.rect((11 * mm, 11 * mm, w - 11 * mm, h - 11 * mm), outline=frame, width=2)
    em = emblem(round(26 * mm))
    page.paste(em, (round(w / 2 - 13 * mm), round(16 * mm)), em)
    tsize = round(12 * mm)
    tw = page.text_width("营业执照", size=tsize, face=st.title) + 3 * 0.5 * tsize
    page.text((w - tw) / 2, 46 * mm, "营业执照", size=tsize, face=st.title, spacing=0.5)
    sub = round(4.6 * mm)
    page.text(
        (w - page.text_width("（副  本）", size=sub, face=st.label)) / 2,
        63 * mm,
        "（副  本）",
        size=sub,
        face=st.label,
    )
    small = round(3.5 * mm * st.scale)
    b = page.text(18 * mm, 20 * mm, "统一社会信用代码", size=small, face=st.bold(st.label))
    page.text(
        18 * mm,
        b[3] + 2 * mm,
        c.credit_code,
        size=round(4.4 * mm),
        face=st.number if rng.random() < 0.5 else st.bold(st.value),
        key="credit_code",
    )
    size, pitch = _sizes(st, mm, 3.9)
    rows = [
        (st.word("company"), value(c.name, "name")),
        ("类型", value(c.kind)),
        (st.word("legal_representative"), value(c.legal_representative, "legal_representative")),
        ("注册资本", value(c.capital)),
        (st.word("established"), value(_cn_date(c.established, pad=True), "established_date")),
        ("营业期限", value(f"{_cn_date(c.established, pad=True)}至长期")),
        (st.word("company_address"), value(c.address, "address")),
        ("经营范围", value(c.scope)),
    ]
    widest = max(page.text_width(lab, size=size, face=st.bold(st.label)) for lab, _ in rows)
    lab_w = max(rng.uniform(30, 40) * mm, widest + 5 * mm)
    if layout == "portrait":
        cols = [(rng.uniform(22, 30) * mm, w - rng.uniform(45, 75) * mm, rows)]
        top = 80 * mm
    else:
        split = rng.randint(3, 5)
        mid = w / 2 + rng.uniform(-10, 10) * mm
        cols = [
            (22 * mm, mid - 8 * mm, rows[:split]),
            (mid + 6 * mm, w - rng.uniform(22, 40) * mm, rows[split:]),
        ]
        top = 80 * mm
    for cx0, cx1, items in cols:
        y = top
        for lab, runs in items:
            lw = page.text_width(lab, size=size, face=st.bold(st.label))
            gap = (lab_w - 6 * mm - lw) / max(1, len(lab) - 1) / size if len(lab) > 1 else 0
            page.text(
                cx0, y, lab, size=size, face=st.bold(st.label), spacing=max(0.0, min(gap, 1.0))
            )
            vs = round(size * 0.85) if lab == "经营范围" else size
            lines = wrap(page, runs, width=cx1 - cx0 - lab_w, size=vs, face=st.value)
            y = draw_lines(
                page,
                lines,
                x=cx0 + lab_w,
                top=y,
                width=cx1 - cx0 - lab_w,
                size=vs,
                pitch=vs * st.leading,
                face=st.value,
                fill=st.ink,
                rng=rng,
            )
            y += 0.5 * pitch
    qr = qrcode.QRCode(border=1, box_size=4)
    qr.add_data(f"https://zwfw.samr.gov.cn/verify?code={c.credit_code}")
    qimg = qr.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    qimg = qimg.resize((round(24 * mm), round(24 * mm)), Image.Resampling.NEAREST)
    page.paste(qimg, (round(20 * mm), round(h - 46 * mm)))
    page.text(w - 88 * mm, h - 40 * mm, "登记机关", size=size, face=st.bold(st.label))
    issued = (
        c.established
        if rng.random() < 0.5
        else d.REFERENCE_DATE.replace(year=max(c.established.year, d.REFERENCE_DATE.year - 2))
    )
    page.text(w - 88 * mm, h - 28 * mm, _cn_date(issued, pad=True), size=size, face=st.value)
    sl = seal(c.registry, diameter=round(rng.uniform(36, 42) * mm), rng=rng)
    page.paste(sl, (round(w - 74 * mm), round(h - 60 * mm)), sl)
    copy_marks(page, rng, st, mm=mm, p=0.2)
    fields = golden.business_license(c)
    return finish(
        doc_type="business_license",
        fields=fields,
        pages=[page],
        dpi=dpi,
        seed=seed,
        facts=c,
        layout=layout,
    )


# ---------------------------------------------------------------------------------------------
# not a material of any matter (``unknown``)
# ---------------------------------------------------------------------------------------------


def unknown(rng_seed: int, *, seed: int, dpi: int, layout: str, font: str | None) -> Sample:
    """A 收款收据 (``receipt``): names, amounts, dates and a seal, but none of the CONTRACT
    document types - ``doc_type`` ``unknown`` with no fields."""
    if layout != "receipt":
        raise ValueError(f"unknown unknown layout {layout!r}")
    rng = random.Random(f"unknown:{layout}:{rng_seed}")
    st = pick_style(rng, font=font)
    mm = dpi / 25.4
    w, h = _px(210, dpi), _px(140, dpi)
    page = Page(paper(w, h, tone=(250, 248, 240)), tight=True)
    tsize = round(7 * mm)
    title = "收 款 收 据"
    page.text(
        (w - page.text_width(title, size=tsize, face=st.title)) / 2,
        10 * mm,
        title,
        size=tsize,
        face=st.title,
        fill=(150, 30, 30),
    )
    size, _ = _sizes(st, mm, 3.8)
    page.text(
        w - 60 * mm,
        22 * mm,
        f"NO.{rng.randint(1000000, 9999999)}",
        size=size,
        face=st.number,
        fill=(170, 40, 40),
    )
    who = d.random_name(rng, rng.choice(("男", "女")))
    amount = rng.randint(2, 900) * 100
    what = rng.choice(("物业管理费", "停车费", "装修押金", "有线电视费", "会议场地费"))
    x0, x1 = 15 * mm, w - 15 * mm
    lab_w = rng.uniform(30, 40) * mm
    t = Table(page, st, x0=x0, top=32 * mm, size=size, mm=mm, rng=rng)
    for lab, val in (
        ("交款单位（人）", who),
        ("收款事由", f"{d.REFERENCE_DATE.year}年度{what}"),
        ("金额（大写）", d.chinese_amount(amount)),
        ("金额（小写）", f"¥{amount:,}.00"),
        ("收款日期", _cn_date(d.REFERENCE_DATE)),
    ):
        t.row(
            [Cell(lab_w, label(lab), label=True), Cell(x1 - x0 - lab_w, value(val))], min_h=11 * mm
        )
    y = t.close() + 8 * mm
    org = rng.choice(("翠苑", "古荡", "文新", "北山")) + rng.choice(
        ("物业服务有限公司", "社区居民委员会")
    )
    page.text(x0, y, "收款单位（盖章）：" + org, size=size, face=st.value)
    b = page.text(x1 - 50 * mm, y, "经办人：", size=size, face=st.value)
    page.hand(
        b[2] + 2,
        y - 1 * mm,
        d.random_name(rng, "女"),
        size=round(size * 1.2),
        rng=rng,
        face=st.hand,
        fill=st.pen,
    )
    sl = seal(org, diameter=round(36 * mm), rng=rng)
    page.paste(sl, (round(x0 + 30 * mm), round(y - 18 * mm)), sl)
    return finish(
        doc_type="unknown", fields={}, pages=[page], dpi=dpi, seed=seed, facts=None, layout=layout
    )


# ---------------------------------------------------------------------------------------------
# registry
# ---------------------------------------------------------------------------------------------

# Layouts per document type; ``classic`` (first) is synthdocs.render's own.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("classic", "offset"),
    "id_card_back": ("classic", "offset"),
    "property_certificate": ("classic", "register", "grid", "label_above"),
    "sale_contract": ("classic", "table", "roster", "form"),
    "marriage_certificate": ("classic", "spread", "table"),
    "power_of_attorney": ("classic", "table", "form"),
    "household_register": ("classic", "modern"),
    "business_license": ("classic", "portrait", "landscape"),
    "unknown": ("classic", "receipt"),
}

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


def render(
    doc_type: str, facts: Any, *, seed: int, dpi: int, layout: str, font: str | None, **kw: Any
) -> Sample:
    """Draw ``facts`` in one of the non-classic :data:`LAYOUTS` of ``doc_type``."""
    if layout not in LAYOUTS.get(doc_type, ()) or layout == "classic":
        known = [x for x in LAYOUTS.get(doc_type, ()) if x != "classic"]
        raise ValueError(f"unknown layout {layout!r} for {doc_type}; known: classic, {known}")
    return RENDERERS[doc_type](facts, seed=seed, dpi=dpi, layout=layout, font=font, **kw)
