"""居民身份证 (second generation), both sides, and the photocopy of both on one A4 sheet.

The card is 85.6 × 54 mm whatever prints it; what varies between cards (and here) is the
printer's offset and type, the background print, the portrait and the colours. Layouts:

- ``standard``: values in a black-face, labels in the card's light blue, address wrapped by the
  width of the field;
- ``offset``: a card printed off register (the whole value plane shifted by up to 1.5 mm against
  the labels), heavier values, a darker background, the address wrapped at a fixed count of
  characters as the issuing printer does.
"""

from __future__ import annotations

import random
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .. import data as d
from .. import golden
from ..canvas import Sample
from . import art
from .geometry import map_boxes, rotate, scale, translate, warp
from .sheet import Sheet, finish

CARD_MM = (85.6, 54.0)
LAYOUTS = ("standard", "offset")

_LABEL_BLUES = ((52, 118, 176), (70, 140, 192), (38, 98, 146), (86, 128, 160))
# a card's print is a light blue-grey, never as white as paper
_BASES = ((212, 224, 226), (220, 228, 218), (226, 222, 210), (214, 220, 230))
_LINE_INKS = ((168, 198, 204), (204, 192, 160), (186, 200, 176), (190, 186, 210))


def _rounded(img: Image.Image, radius: int, outside: tuple[int, int, int]) -> Image.Image:
    mask = Image.new("L", img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, img.width - 1, img.height - 1), radius, fill=255)
    out = Image.new("RGB", img.size, outside)
    out.paste(img, (0, 0), mask)
    return out


def _card_base(rng: random.Random, w: int, h: int, *, dark: bool) -> Image.Image:
    base = rng.choice(_BASES)
    if dark:
        base = tuple(max(0, c - 14) for c in base)  # type: ignore[assignment]
    return art.guilloche(
        w,
        h,
        rng=rng,
        base=base,
        ink=rng.choice(_LINE_INKS),
        density=rng.uniform(0.8, 1.4),
        strength=rng.uniform(0.35, 0.6),
    )


def _blank_card(side: str, seed: int, layout: str | None) -> tuple[random.Random, str, int, Sheet]:
    """The random stream, layout, dpi and blank sheet of one side of a card."""
    rng = random.Random(f"heldout-id-{side}:{seed}")
    layout = layout or rng.choice(LAYOUTS)
    dpi = rng.choice((300, 320, 350))
    mm = dpi / 25.4
    w, h = round(CARD_MM[0] * mm), round(CARD_MM[1] * mm)
    return rng, layout, dpi, Sheet(w, h, paper=_card_base(rng, w, h, dark=layout == "offset"))


def _maybe_round_corners(sh: Sheet, rng: random.Random, mm: float) -> None:
    """Most cards are cut with round corners (scanned on white or grey)."""
    if rng.random() < 0.6:
        sh.img = _rounded(sh.img, round(3.2 * mm), rng.choice(((255, 255, 255), (236, 236, 236))))
        sh.draw = ImageDraw.Draw(sh.img)


def _cn_birth(b: d.Person) -> list[tuple[float, str]]:
    """(x offset in mm, text) of the birth line: year, 年, month, 月, day, 日 at fixed columns."""
    x = b.birth_date
    return [
        (0.0, f"{x.year}"),
        (9.6, "年"),
        (15.0 if x.month < 10 else 14.2, f"{x.month}"),
        (18.6, "月"),
        (24.0 if x.day < 10 else 23.2, f"{x.day}"),
        (27.6, "日"),
    ]


def render_front(
    person: d.Person,
    *,
    seed: int = 0,
    layout: str | None = None,
    printed_id: str | None = None,
) -> Sample:
    """人像面. ``printed_id`` prints another number than the person's (a forged card)."""
    rng, layout, dpi, sh = _blank_card("front", seed, layout)
    mm = dpi / 25.4
    label_face = rng.choice(("zenhei", "droid", "zenhei_sharp"))
    value_face = rng.choice(("zenhei", "droid", "wenkai_bold"))
    number_face = rng.choice(("zenhei_mono", "wenkai_mono_bold", "droid"))
    blue = rng.choice(_LABEL_BLUES)
    ink = (rng.randint(10, 40),) * 3
    # label plane and value plane: the second is off register on "offset" cards
    lx, ly = rng.uniform(5.0, 6.6) * mm, rng.uniform(-0.4, 0.5) * mm
    off = 1.5 if layout == "offset" else 0.35
    vx = lx + (rng.uniform(10.4, 11.4) + rng.uniform(-off, off)) * mm
    vy = ly + rng.uniform(-off, off) * 0.6 * mm
    lsize = round(rng.uniform(2.6, 2.95) * mm)
    vsize = round(rng.uniform(3.05, 3.35) * mm)
    bold = layout == "offset" and value_face != "wenkai_bold"

    def lab(x_mm: float, y_mm: float, text: str, spread: float = 0.45) -> tuple[int, int, int, int]:
        return sh.text(
            lx + x_mm * mm,
            ly + y_mm * mm,
            text,
            face=label_face,
            size=lsize,
            fill=blue,
            tracking=rng.uniform(spread * 0.45, spread),
        )

    def val(
        x: float, y: float, text: str, key: str, *, size: int = vsize, track: float = 0.0
    ) -> None:
        sh.text(
            x, y, text, face=value_face, size=size, fill=ink, key=key, tracking=track, bold=bold
        )

    lab(0, 9.4, "姓名")
    val(vx, vy + 9.4 * mm, person.name, "name", size=round(vsize * 1.08), track=0.08)
    lab(0, 15.6, "性别")
    val(vx, vy + 15.6 * mm, person.sex, "sex")
    lab(20.6, 15.6, "民族")
    val(vx + 20.6 * mm, vy + 15.6 * mm, person.ethnicity, "ethnicity")
    lab(0, 21.8, "出生")
    for x_mm, t in _cn_birth(person):
        val(vx + x_mm * mm, vy + 21.8 * mm, t, "birth_date")
    lab(0, 28.0, "住址")
    # the portrait's place bounds the address lines
    px, py = round(rng.uniform(54.0, 56.5) * mm), round(rng.uniform(5.5, 8.0) * mm)
    room = px - vx - 1.2 * mm
    asize = vsize
    address = person.address

    def fits(lines: list[str], size: int) -> bool:
        return all(sh.measure(ln, face=value_face, size=size) <= room for ln in lines)

    if layout == "offset":
        # the issuing printer breaks the address at a fixed count of characters (more per line,
        # in a smaller size, when it would need a fourth line)
        n = max(rng.choice((11, 12)), -(-len(address) // 3))
        lines = [address[i : i + n] for i in range(0, len(address), n)]
        while not fits(lines, asize) and asize > 0.72 * vsize:
            asize -= 1
        while not fits(lines, asize):
            n -= 1
            lines = [address[i : i + n] for i in range(0, len(address), n)]
    else:
        lines = sh.wrap(address, face=value_face, size=asize, width=min(36.0 * mm, room))
        while len(lines) > 3 and asize > 0.72 * vsize:  # shrunk to keep to three lines
            asize -= 1
            lines = sh.wrap(address, face=value_face, size=asize, width=min(36.0 * mm, room))
    leading = rng.uniform(4.3, 4.7) * mm * min(1.0, 3 / len(lines))
    for i, line in enumerate(lines):
        val(vx, vy + 28.0 * mm + i * leading, line, "address", size=asize)
    label_end = lab(0, 47.6, "公民身份号码", spread=0.16)[2]
    number = printed_id or person.id_number
    nsize = round(rng.uniform(3.5, 3.9) * mm)
    nx = label_end + rng.uniform(1.6, 3.2) * mm
    track = rng.uniform(0.04, 0.14)
    while nx + sh.measure(number, face=number_face, size=nsize, tracking=track) > 81.5 * mm:
        nsize -= 1
    sh.text(
        nx,
        vy + 47.9 * mm,
        number,
        face=number_face,
        size=nsize,
        fill=ink,
        key="id_number",
        tracking=track,
        bold=number_face == "zenhei_mono",
    )
    pw, ph = round(rng.uniform(25.0, 27.0) * mm), round(rng.uniform(31.5, 33.5) * mm)
    face_img = art.portrait(pw, ph, rng=rng, female=person.sex == "女")
    mask = Image.new("L", (pw, ph), 0)
    ImageDraw.Draw(mask).rectangle((0, 0, pw, ph), fill=235)
    sh.paste(face_img, (px, py), mask)
    _maybe_round_corners(sh, rng, mm)
    fields = golden.id_card_front(person, id_number=number)
    return finish(
        doc_type="id_card_front", fields=fields, pages=[sh], dpi=dpi, seed=seed, facts=person
    )


def _validity_text(p: d.Person, rng: random.Random) -> str:
    dash = rng.choice(("-", "-", "-", "—"))
    a = f"{p.valid_from:%Y.%m.%d}"
    b = "长期" if p.valid_until is None else f"{p.valid_until:%Y.%m.%d}"
    return f"{a}{dash}{b}"


def render_back(person: d.Person, *, seed: int = 0, layout: str | None = None) -> Sample:
    """国徽面: emblem, 中华人民共和国 / 居民身份证, 签发机关, 有效期限."""
    rng, layout, dpi, sh = _blank_card("back", seed, layout)
    mm = dpi / 25.4
    em = art.emblem(round(rng.uniform(19, 22) * mm), rng=rng)
    sh.paste(em, (round(rng.uniform(5.5, 8.0) * mm), round(rng.uniform(4.5, 6.5) * mm)), em)
    title_face = rng.choice(("zenhei", "droid", "sung"))
    sh.text(
        rng.uniform(31, 33) * mm,
        rng.uniform(12.5, 14) * mm,
        "中华人民共和国",
        face=title_face,
        size=round(4.6 * mm),
        fill=(30, 30, 34),
        tracking=rng.uniform(0.18, 0.3),
    )
    sh.text(
        rng.uniform(28, 30) * mm,
        rng.uniform(25, 27) * mm,
        "居民身份证",
        face="zenhei",
        size=round(7.2 * mm),
        fill=(26, 26, 30),
        tracking=rng.uniform(0.25, 0.4),
        bold=True,
    )
    label_face = rng.choice(("zenhei", "droid"))
    value_face = rng.choice(("zenhei", "droid", "wenkai_bold"))
    blue = rng.choice(_LABEL_BLUES)
    lx = rng.uniform(14.5, 16.5) * mm
    off = 1.4 if layout == "offset" else 0.3
    vx = lx + (rng.uniform(13.6, 14.6) + rng.uniform(-off, off)) * mm
    dy = rng.uniform(-off, off) * 0.5 * mm
    lsize, vsize = round(2.8 * mm), round(rng.uniform(3.0, 3.3) * mm)
    ink = (rng.randint(10, 40),) * 3
    y1, y2 = rng.uniform(42.5, 43.5) * mm, rng.uniform(49.0, 50.0) * mm
    sh.text(lx, y1, "签发机关", face=label_face, size=lsize, fill=blue, tracking=0.2)
    sh.text(
        vx,
        y1 + dy,
        person.issuing_authority,
        face=value_face,
        size=vsize,
        fill=ink,
        key="issuing_authority",
    )
    sh.text(lx, y2, "有效期限", face=label_face, size=lsize, fill=blue, tracking=0.2)
    text = _validity_text(person, rng)
    sep = next(c for c in text[10:] if not c.isdigit() and c != ".")
    a, b = text.split(sep, 1)
    box_a = sh.text(vx, y2 + dy, a, face=value_face, size=vsize, fill=ink, key="valid_from")
    box_s = sh.text(box_a[2] + 2, y2 + dy, sep, face=value_face, size=vsize, fill=ink)
    sh.text(box_s[2] + 2, y2 + dy, b, face=value_face, size=vsize, fill=ink, key="valid_until")
    _maybe_round_corners(sh, rng, mm)
    fields = golden.id_card_back(person)
    return finish(
        doc_type="id_card_back", fields=fields, pages=[sh], dpi=dpi, seed=seed, facts=person
    )


def copy_sheet(
    front: Sample, back: Sample, *, seed: int = 0, dpi: int = 200
) -> tuple[Sample, Sample]:
    """Both sides of a card copied onto one A4 page (portrait), front above back, as windows ask
    for: two samples sharing the same page, each with its own golden fields."""
    rng = random.Random(f"heldout-copy-sheet:{seed}")
    mm = dpi / 25.4
    W, H = round(210 * mm), round(297 * mm)
    page = np.full((H, W, 3), 255, np.uint8)
    cx = W / 2 + rng.uniform(-25, 25) * mm
    tops = (rng.uniform(35, 70) * mm, rng.uniform(160, 190) * mm)
    transforms = []
    for s, top in zip((front, back), tops, strict=True):
        k = dpi / s.dpi
        cw, ch = s.size[0] * k, s.size[1] * k
        Hm = (
            rotate(rng.uniform(-2.5, 2.5), cx, top + ch / 2)
            @ translate(cx - cw / 2, top)
            @ scale(k)
        )
        warped = warp(s.image, Hm, (W, H), fill=(0, 0, 0))
        inside = cv2.warpPerspective(
            np.full(s.image.shape[:2], 255, np.uint8), Hm, (W, H), flags=cv2.INTER_LINEAR
        )
        page = np.where(inside[:, :, None] > 127, warped, page)
        transforms.append(Hm)
    out = []
    for s, Hm in zip((front, back), transforms, strict=True):
        boxes = map_boxes(s.boxes, {0: (Hm, (W, H), 0)})
        out.append(
            replace(
                s, pages=(page,), boxes=boxes, dpi=dpi, degradations=(*s.degradations, "copy_sheet")
            )
        )
    return out[0], out[1]


def card_on_a4(card: Sample, *, seed: int = 0, dpi: int = 200) -> Sample:
    """A card laid on a flatbed and scanned as a whole A4 page (the card small, top-left-ish)."""
    rng = random.Random(f"heldout-card-a4:{seed}")
    mm = dpi / 25.4
    W, H = round(210 * mm), round(297 * mm)
    k = dpi / card.dpi
    x, y = rng.uniform(4, 60) * mm, rng.uniform(4, 40) * mm
    Hm = rotate(rng.uniform(-3, 3), x + 43 * mm, y + 27 * mm) @ translate(x, y) @ scale(k)
    lid = rng.randint(238, 252)
    page = warp(card.image, Hm, (W, H), fill=(lid, lid, lid))
    return replace(
        card,
        pages=(page,),
        boxes=map_boxes(card.boxes, {0: (Hm, (W, H), 0)}),
        dpi=dpi,
        degradations=(*card.degradations, "card_on_a4"),
    )


__all__ = ["LAYOUTS", "card_on_a4", "copy_sheet", "render_back", "render_front"]
