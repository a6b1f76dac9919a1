"""Pictures printed on held-out documents: security backgrounds, portraits, the national emblem,
round seals, fingerprints and handwritten signatures. All drawn from a ``random.Random``.
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .fonts import font, runs

RGB = tuple[int, int, int]


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(63))


def paper(w: int, h: int, *, tone: RGB, rng: random.Random, fibre: float = 3.0) -> Image.Image:
    """Paper of colour ``tone`` with a faint low-frequency mottle and fibre noise."""
    g = _np_rng(rng)
    small = g.standard_normal((max(2, h // 64), max(2, w // 64)), dtype=np.float32)
    noise = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR) * fibre
    # fibre: a tile of fine noise repeated (no visible period at this amplitude)
    tile = g.standard_normal((256, 256), dtype=np.float32) * (fibre * 0.5)
    noise += np.tile(tile, (h // 256 + 1, w // 256 + 1))[:h, :w]
    out = np.empty((h, w, 3), np.uint8)
    for c in range(3):
        out[:, :, c] = np.clip(noise + tone[c], 0, 255)
    return Image.fromarray(out, "RGB")


def guilloche(
    w: int,
    h: int,
    *,
    rng: random.Random,
    base: RGB,
    ink: RGB,
    density: float = 1.0,
    strength: float = 0.55,
) -> Image.Image:
    """A security background: two families of fine wavy lines crossing, over a soft colour
    gradient (the look of a card's anti-copy print)."""
    g = _np_rng(rng)
    if w * h > 1_500_000:
        # a page-sized background: drawn at half resolution (its lines are faint anyway)
        half = guilloche(
            w // 2, h // 2, rng=rng, base=base, ink=ink, density=density, strength=strength
        )
        return half.resize((w, h), Image.Resampling.BILINEAR)
    ys = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    period = max(5.0, w / (90.0 * density))

    def thin(v: np.ndarray, width: float) -> np.ndarray:
        # a line wherever v crosses an integer, ``width`` wide (in units of v)
        return np.maximum(0.0, 1.0 - np.abs(v - np.round(v)) / width)

    out = np.zeros((h, w), np.float32)
    for _ in range(2):
        amp = rng.uniform(0.04, 0.12) * h
        fy = rng.uniform(1.0, 3.5) * 2 * math.pi / w
        ph = rng.uniform(0, 2 * math.pi)
        tilt = rng.uniform(-0.6, 0.6)
        row = (tilt * xs + amp * np.sin(xs * fy + ph)) / period
        np.maximum(out, thin(ys / period + row, 0.14), out=out)
    # a rosette near one side, as on the card's back
    cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.3, 0.7) * h
    rad = 0.33 * h
    x0, x1 = max(0, int(cx - rad)), min(w, int(cx + rad) + 1)
    y0, y1 = max(0, int(cy - rad)), min(h, int(cy + rad) + 1)
    if x1 > x0 and y1 > y0:
        dx, dy = xs[:, x0:x1] - cx, ys[y0:y1] - cy
        r = np.hypot(dx, dy)
        petals = rng.choice((12, 16, 18, 24))
        rv = (r + 0.06 * h * np.sin(petals * np.arctan2(dy, dx))) / (period * 1.3)
        ros = thin(rv, 0.12) * (r < rad)
        np.maximum(out[y0:y1, x0:x1], ros, out=out[y0:y1, x0:x1])
    tint = g.normal(0.0, 1.0, (3, 3)).astype(np.float32)
    grad = cv2.resize(tint, (w, h), interpolation=cv2.INTER_CUBIC) * 5.0
    lines = out * strength
    img = np.empty((h, w, 3), np.uint8)
    for c in range(3):
        img[:, :, c] = np.clip((base[c] + grad) * (1 - lines) + ink[c] * lines, 0, 255)
    return Image.fromarray(img, "RGB")


def portrait(w: int, h: int, *, rng: random.Random, female: bool) -> Image.Image:
    """A head-and-shoulders ID photo on a pale background (RGB)."""
    bg = rng.choice(((246, 248, 250), (236, 242, 250), (250, 250, 246), (232, 238, 244)))
    im = Image.new("RGB", (w * 2, h * 2), bg)
    d = ImageDraw.Draw(im)
    W, H = w * 2, h * 2
    skin = rng.choice(((232, 196, 170), (222, 184, 152), (240, 210, 186), (205, 168, 138)))
    cloth = rng.choice(((30, 34, 48), (60, 60, 66), (22, 40, 80), (90, 40, 40), (235, 235, 235)))
    hair = rng.choice(((20, 18, 18), (40, 30, 26), (60, 50, 40)))
    cx = W / 2 + rng.uniform(-0.04, 0.04) * W
    head_w, head_h = W * rng.uniform(0.42, 0.5), H * rng.uniform(0.42, 0.48)
    top = H * rng.uniform(0.1, 0.15)
    neck = top + head_h * 0.85
    shoulder = neck + H * rng.uniform(0.08, 0.12)
    d.ellipse((cx - W * 0.66, shoulder, cx + W * 0.66, shoulder + H * 0.8), fill=cloth)
    if cloth != (235, 235, 235):
        d.polygon(
            [(cx - W * 0.1, shoulder), (cx + W * 0.1, shoulder), (cx, shoulder + H * 0.15)],
            fill=(245, 245, 245),
        )
    d.rectangle(
        (cx - head_w * 0.22, neck - H * 0.05, cx + head_w * 0.22, shoulder + H * 0.04), fill=skin
    )
    if female and rng.random() < 0.7:
        d.ellipse(
            (cx - head_w * 0.68, top - head_h * 0.08, cx + head_w * 0.68, top + head_h * 1.25),
            fill=hair,
        )
    d.ellipse((cx - head_w / 2, top, cx + head_w / 2, top + head_h), fill=skin)
    d.chord(
        (cx - head_w * 0.54, top - head_h * 0.1, cx + head_w * 0.54, top + head_h * 0.62),
        180,
        360,
        fill=hair,
    )
    ey = top + head_h * 0.5
    for sx in (-1, 1):
        ex = cx + sx * head_w * 0.2
        d.ellipse(
            (ex - W * 0.025, ey - H * 0.012, ex + W * 0.025, ey + H * 0.012), fill=(40, 30, 30)
        )
        d.line((ex - W * 0.04, ey - H * 0.04, ex + W * 0.04, ey - H * 0.045), fill=hair, width=4)
    d.line((cx, ey + H * 0.02, cx - W * 0.015, ey + H * 0.09), fill=(180, 140, 120), width=3)
    d.arc(
        (cx - W * 0.07, ey + H * 0.09, cx + W * 0.07, ey + H * 0.16),
        20,
        160,
        fill=(170, 90, 90),
        width=4,
    )
    im = im.filter(ImageFilter.GaussianBlur(2.0))
    return im.resize((w, h), Image.Resampling.LANCZOS)


def _star(cx: float, cy: float, r: float, rot: float = -math.pi / 2) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.382
        a = rot + i * math.pi / 5
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def emblem(size: int, *, rng: random.Random) -> Image.Image:
    """A simplified national emblem (RGBA): red field, five gold stars, a gate, a wheat ring."""
    S = size * 2
    im = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    red, gold = (206, 32, 41, 255), (236, 190, 60, 255)
    d.ellipse((0, 0, S - 1, S - 1), fill=gold)
    d.ellipse((S * 0.1, S * 0.1, S * 0.9, S * 0.9), fill=red)
    for i in range(24):  # wheat grains around the ring
        a = i / 24 * 2 * math.pi
        x, y = S / 2 + S * 0.45 * math.cos(a), S / 2 + S * 0.45 * math.sin(a)
        d.ellipse((x - S * 0.03, y - S * 0.05, x + S * 0.03, y + S * 0.05), fill=gold)
    d.polygon(_star(S * 0.5, S * 0.27, S * 0.11), fill=gold)
    for k, (dx, dy) in enumerate(((-0.2, -0.06), (-0.13, 0.0), (0.13, 0.0), (0.2, -0.06))):
        d.polygon(_star(S * (0.5 + dx), S * (0.27 + dy + 0.05), S * 0.04, rot=k * 0.4), fill=gold)
    # the gate: a base, a roof, five doors
    d.rectangle((S * 0.28, S * 0.56, S * 0.72, S * 0.7), fill=gold)
    d.polygon(
        [(S * 0.24, S * 0.56), (S * 0.76, S * 0.56), (S * 0.68, S * 0.49), (S * 0.32, S * 0.49)],
        fill=gold,
    )
    for i in range(5):
        x = S * (0.33 + i * 0.085)
        d.rectangle((x, S * 0.62, x + S * 0.03, S * 0.7), fill=red)
    d.rectangle((S * 0.22, S * 0.74, S * 0.78, S * 0.78), fill=gold)
    del rng
    return im.resize((size, size), Image.Resampling.LANCZOS)


def _ink_texture(mask: np.ndarray, rng: random.Random, *, dropout: float) -> np.ndarray:
    """Stamp-pad ink: uneven density and small uninked specks."""
    g = _np_rng(rng)
    h, w = mask.shape
    low = cv2.resize(
        g.uniform(0.55, 1.0, (max(2, h // 24), max(2, w // 24))).astype(np.float32),
        (w, h),
        interpolation=cv2.INTER_CUBIC,
    )
    specks = cv2.GaussianBlur((g.random((h, w)) > dropout).astype(np.float32), (3, 3), 0)
    return np.clip(mask * low * (0.45 + 0.55 * specks), 0, 1)


def round_seal(
    arc_text: str,
    *,
    diameter: int,
    rng: random.Random,
    bottom_text: str = "",
    face: str = "zenhei",
    colour: RGB = (210, 36, 48),
    opacity: float = 0.85,
) -> Image.Image:
    """An official round seal (RGBA): ring, the organisation's name along the upper arc, a star,
    an optional horizontal line of text below (e.g. 不动产登记专用章)."""
    S = diameter * 2
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    ring = max(4, S // 26)
    d.ellipse((ring / 2, ring / 2, S - ring / 2, S - ring / 2), outline=255, width=ring)
    n = len(arc_text)
    span = math.radians(min(250.0, 150.0 + 8.5 * n))
    ch_size = int(min(S * 0.16, (S * 0.36) * span / max(1, n) * 0.95))
    radius = S / 2 - ring - ch_size * 0.62
    start = -math.pi / 2 - span / 2
    for i, ch in enumerate(arc_text):
        a = start + span * (i + 0.5) / n
        glyph = Image.new("L", (ch_size * 2, ch_size * 2), 0)
        gd = ImageDraw.Draw(glyph)
        f, chunk = runs(face, ch)[0]
        gd.text((ch_size, ch_size), chunk, font=font(f, ch_size), fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(a + math.pi / 2), resample=Image.Resampling.BICUBIC)
        x = S / 2 + radius * math.cos(a) - ch_size
        y = S / 2 + radius * math.sin(a) - ch_size
        m.paste(255, (int(x), int(y)), glyph)
    d.polygon(_star(S / 2, S / 2, S * 0.15), fill=255)
    if bottom_text:
        bs = int(min(S * 0.085, S * 0.6 / max(1, len(bottom_text))))
        f0 = runs(face, bottom_text)[0][0]
        d.text((S / 2, S * 0.74), bottom_text, font=font(f0, bs), fill=255, anchor="mm")
    arr = np.asarray(m, np.float32) / 255.0
    arr = _ink_texture(arr, rng, dropout=0.12)
    alpha = Image.fromarray((arr * 255 * opacity).astype(np.uint8), "L")
    alpha = alpha.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    alpha = alpha.resize((diameter, diameter), Image.Resampling.LANCZOS)
    out = Image.new("RGBA", (diameter, diameter), (*colour, 0))
    out.putalpha(alpha)
    return out


def square_seal(
    text: str, *, size: int, rng: random.Random, colour: RGB = (205, 40, 50)
) -> Image.Image:
    """A personal name seal (RGBA): the name in a square frame, white on red or red on white."""
    S = size * 2
    m = Image.new("L", (S, S), 0)
    d = ImageDraw.Draw(m)
    chars = list(text) + (["印"] if len(text) == 3 else [])
    cols = 2 if len(chars) > 2 else 1
    rows = math.ceil(len(chars) / cols)
    cell_w, cell_h = S * 0.8 / cols, S * 0.8 / rows
    filled = rng.random() < 0.5
    if filled:
        d.rectangle((0, 0, S - 1, S - 1), fill=255)
    else:
        d.rectangle((S * 0.03, S * 0.03, S * 0.97, S * 0.97), outline=255, width=S // 18)
    # seal text reads right-to-left in columns
    for i, ch in enumerate(chars):
        col, row = i // rows, i % rows
        x = S * 0.9 - (col + 0.5) * cell_w
        y = S * 0.1 + (row + 0.5) * cell_h
        f, chunk = runs("kai", ch)[0]
        d.text(
            (x, y),
            chunk,
            font=font(f, int(min(cell_w, cell_h) * 0.95)),
            fill=0 if filled else 255,
            anchor="mm",
        )
    arr = _ink_texture(np.asarray(m, np.float32) / 255.0, rng, dropout=0.2)
    alpha = Image.fromarray((arr * 230).astype(np.uint8), "L").resize((size, size))
    out = Image.new("RGBA", (size, size), (*colour, 0))
    out.putalpha(alpha.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BICUBIC))
    return out


def fingerprint(w: int, h: int, *, rng: random.Random, colour: RGB = (196, 30, 40)) -> Image.Image:
    """A red fingerprint (RGBA): a loop of ridges, pressed unevenly, in stamp-pad ink."""
    g = _np_rng(rng)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = w * rng.uniform(0.4, 0.6), h * rng.uniform(0.35, 0.55)
    nx, ny = (xx - cx) / (w / 2), (yy - cy) / (h / 2)
    theta = np.arctan2(ny, nx)
    # a loop: ridges bend around the core and run out to one side
    warp = 0.35 * np.sin(theta * 1.0 + rng.uniform(0, 6.3)) + 0.25 * nx * rng.choice((-1, 1))
    r = np.hypot(nx, ny * 0.9) + warp * np.clip(1.0 - np.hypot(nx, ny), 0, 1)
    wobble = cv2.resize(
        g.normal(0, 1, (6, 6)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    ridges = 0.5 + 0.5 * np.sin(r * rng.uniform(40, 55) + wobble * 1.6)
    ridges = np.clip((ridges - 0.35) * 2.5, 0, 1)
    shape = np.clip((1.0 - np.hypot(nx * 1.05, ny)) * 3.5, 0, 1)
    press = cv2.resize(
        g.uniform(0.3, 1.0, (5, 4)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC
    )
    specks = cv2.GaussianBlur((g.random((h, w)) > 0.25).astype(np.float32), (3, 3), 0)
    a = np.clip(ridges * shape * press * specks * 1.3, 0, 1)
    out = Image.new("RGBA", (w, h), (*colour, 0))
    out.putalpha(Image.fromarray((a * 210).astype(np.uint8), "L"))
    return out.rotate(rng.uniform(-30, 30), resample=Image.Resampling.BICUBIC)


def signature(
    text: str,
    *,
    size: int,
    rng: random.Random,
    colour: RGB = (28, 34, 80),
    face: str = "kai",
) -> Image.Image:
    """A handwritten name (RGBA): brush-like face, each character tilted, sized and placed a
    little differently, the whole slanted."""
    n = len(text)
    W, H = int(size * (n * 1.15 + 1.0)), int(size * 1.8)
    m = Image.new("L", (W, H), 0)
    x = size * 0.4
    for ch in text:
        s = int(size * rng.uniform(0.85, 1.2))
        g = Image.new("L", (s * 2, s * 2), 0)
        f, chunk = runs(face, ch)[0]
        ImageDraw.Draw(g).text(
            (s, s),
            chunk,
            font=font(f, s),
            fill=255,
            anchor="mm",
            stroke_width=max(1, s // 30),
            stroke_fill=255,
        )
        g = g.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BICUBIC)
        y = H / 2 - s + rng.uniform(-0.12, 0.12) * size
        m.paste(255, (int(x - s * 0.5), int(y)), g)
        x += s * rng.uniform(0.85, 1.05)
    shear = rng.uniform(0.1, 0.3)
    m = m.transform(
        m.size,
        Image.Transform.AFFINE,
        (1, shear, -shear * H / 2, 0, 1, 0),
        resample=Image.Resampling.BICUBIC,
    )
    out = Image.new("RGBA", (W, H), (*colour, 0))
    out.putalpha(m.point(lambda v: int(v * 0.92)))
    return out


def qr_like(size: int, *, rng: random.Random) -> Image.Image:
    """A QR-code-looking square (the licence's 国家企业信用信息公示系统 code); not decodable."""
    n = 29
    g = _np_rng(rng)
    cells = g.random((n, n)) < 0.5
    for oy, ox in ((0, 0), (0, n - 7), (n - 7, 0)):
        cells[oy : oy + 7, ox : ox + 7] = False
        cells[oy : oy + 7, ox] = cells[oy : oy + 7, ox + 6] = True
        cells[oy, ox : ox + 7] = cells[oy + 6, ox : ox + 7] = True
        cells[oy + 2 : oy + 5, ox + 2 : ox + 5] = True
    img = np.where(cells, 20, 255).astype(np.uint8)
    img = np.pad(img, 2, constant_values=255)
    return Image.fromarray(img, "L").resize((size, size), Image.Resampling.NEAREST).convert("RGB")
