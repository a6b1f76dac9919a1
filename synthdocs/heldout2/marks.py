"""Handwritten signatures (pen strokes, not a font), red fingerprints and red seals, drawn by
this family's own methods, and the golden :class:`~synthdocs.canvas.Mark` of each place."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..canvas import Box, Mark
from . import fonts
from .draw import Sheet

SS = 3  # supersampling of the stroke layers
SIGNATURE_STYLES = ("cursive", "careful", "scrawl")


def _catmull(points: list[tuple[float, float]], n: int = 10) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    pts = [points[0], *points, points[-1]]
    out: list[tuple[float, float]] = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append(
                tuple(  # type: ignore[arg-type]
                    0.5
                    * (
                        2 * p1[j]
                        + (-p0[j] + p2[j]) * t
                        + (2 * p0[j] - 5 * p1[j] + 4 * p2[j] - p3[j]) * t2
                        + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3
                    )
                    for j in (0, 1)
                )
            )
    out.append(points[-1])
    return out


def _strokes(rng: random.Random, w: float, h: float, style: str, chars: int) -> list[list]:
    """Polylines (in a w×h box) of a name written by hand in ``style``."""
    strokes: list[list[tuple[float, float]]] = []
    cw = w / chars
    if style == "careful":  # separate characters, short straight-ish strokes
        for c in range(chars):
            x0 = c * cw
            for _ in range(rng.randint(3, 6)):
                kind = rng.random()
                cx, cy = x0 + rng.uniform(0.1, 0.9) * cw, rng.uniform(0.15, 0.85) * h
                if kind < 0.4:  # horizontal
                    ln = rng.uniform(0.3, 0.8) * cw
                    pts = [(cx - ln / 2, cy), (cx, cy + rng.uniform(-2, 2)), (cx + ln / 2, cy - 2)]
                elif kind < 0.7:  # vertical
                    ln = rng.uniform(0.3, 0.7) * h
                    pts = [(cx, cy - ln / 2), (cx + rng.uniform(-2, 2), cy), (cx - 1, cy + ln / 2)]
                else:  # a hook or a dot-like sweep
                    pts = [
                        (cx, cy),
                        (cx + rng.uniform(-0.3, 0.3) * cw, cy + rng.uniform(0.1, 0.3) * h),
                        (cx + rng.uniform(-0.4, 0.4) * cw, cy + rng.uniform(0.2, 0.4) * h),
                    ]
                strokes.append(_catmull(pts, 6))
        return strokes
    if style == "cursive":  # each character one connected loopy stroke, joined by ligatures
        pts: list[tuple[float, float]] = []
        for c in range(chars):
            x0 = c * cw
            for _ in range(rng.randint(5, 9)):
                pts.append((x0 + rng.uniform(0.05, 0.95) * cw, rng.uniform(0.1, 0.9) * h))
            if rng.random() < 0.4:
                strokes.append(_catmull(pts, 8))
                pts = []
        if pts:
            strokes.append(_catmull(pts, 8))
        return strokes
    # scrawl: one long fast line, big first character, a flourish underneath
    pts = []
    for c in range(chars):
        scale = 1.25 if c == 0 else 0.8
        x0 = c * cw
        for _ in range(rng.randint(4, 7)):
            pts.append(
                (x0 + rng.uniform(0.0, 1.0) * cw, h / 2 + rng.uniform(-0.45, 0.45) * h * scale)
            )
    pts.append((w * rng.uniform(0.85, 1.0), h * 0.9))
    pts.append((w * 0.05, h * rng.uniform(0.8, 0.95)))
    strokes.append(_catmull([(min(max(x, 0), w), min(max(y, 0), h)) for x, y in pts], 8))
    return strokes


def signature(
    sheet: Sheet, box: tuple[float, float, float, float], rng: random.Random, *, chars: int = 3
) -> Box:
    """A handwritten name inside ``box``: pen strokes of varying pressure. Returns its ink."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    style = rng.choice(SIGNATURE_STYLES)
    ink = rng.choice(((22, 30, 95), (20, 20, 28), (35, 40, 120)))
    layer = Image.new("L", (int(w * SS), int(h * SS)), 0)
    dr = ImageDraw.Draw(layer)
    base = rng.uniform(1.4, 2.6) * SS
    for stroke in _strokes(rng, w * 0.92, h * 0.8, style, chars):
        pts = [((px + w * 0.04) * SS, (py + h * 0.1) * SS) for px, py in stroke]
        n = len(pts)
        for i in range(n - 1):
            pressure = math.sin(math.pi * (i + 0.5) / n) * 0.6 + 0.5
            width = max(1, round(base * pressure * rng.uniform(0.85, 1.15)))
            dr.line([pts[i], pts[i + 1]], fill=255, width=width)
            dr.ellipse(
                [
                    pts[i][0] - width / 2,
                    pts[i][1] - width / 2,
                    pts[i][0] + width / 2,
                    pts[i][1] + width / 2,
                ],
                fill=255,
            )
    small = layer.resize((max(1, int(w)), max(1, int(h))), Image.Resampling.LANCZOS)
    rgba = Image.new("RGBA", small.size, (*ink, 0))
    rgba.putalpha(small)
    sheet.paste_layer(rgba, (int(x0), int(y0)), multiply=False)
    bb = small.point(lambda v: 255 if v > 60 else 0).getbbox()
    if bb is None:
        return (int(x0), int(y0), int(x0) + 1, int(y0) + 1)
    return (int(x0) + bb[0], int(y0) + bb[1], int(x0) + bb[2], int(y0) + bb[3])


def fingerprint(sheet: Sheet, cx: float, cy: float, rng: random.Random, *, scale: float) -> Box:
    """A red fingerprint: a ridged oval pressed unevenly, centred on (cx, cy)."""
    rx, ry = 30 * scale * rng.uniform(0.9, 1.1), 40 * scale * rng.uniform(0.9, 1.1)
    size = int(2 * ry + 8)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) - size / 2
    ang = math.radians(rng.uniform(-25, 25))
    xr = xx * math.cos(ang) + yy * math.sin(ang)
    yr = -xx * math.sin(ang) + yy * math.cos(ang)
    r = np.sqrt((xr / rx) ** 2 + (yr / ry) ** 2)
    theta = np.arctan2(yr, xr)
    period = rng.uniform(0.075, 0.095)
    warp = 0.05 * np.sin(3 * theta + rng.uniform(0, 6)) + 0.03 * np.sin(5 * theta)
    ridges = 0.5 + 0.5 * np.cos(2 * math.pi * (r + warp) / period)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    blot = np.asarray(
        Image.fromarray(nrng.uniform(0, 1, (8, 8)).astype(np.float32)).resize(
            (size, size), Image.Resampling.BICUBIC
        )
    )
    edge = np.clip((1.0 - r) / 0.12, 0, 1)
    alpha = (ridges > 0.45) * edge * np.clip(0.45 + 0.7 * blot, 0, 1)
    a = Image.fromarray((np.clip(alpha, 0, 1) * 235).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(0.6)
    )
    red = (rng.randint(185, 215), rng.randint(20, 50), rng.randint(35, 60))
    layer = Image.new("RGBA", a.size, (*red, 0))
    layer.putalpha(a)
    x, y = int(cx - size / 2), int(cy - size / 2)
    sheet.paste_layer(layer, (x, y), multiply=True)
    bb = a.point(lambda v: 255 if v > 50 else 0).getbbox() or (0, 0, 1, 1)
    return (x + bb[0], y + bb[1], x + bb[2], y + bb[3])


def _star(dr: ImageDraw.ImageDraw, cx: float, cy: float, r: float, fill: int) -> None:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * 0.38
        a = -math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    dr.polygon(pts, fill=fill)


def _centred(dr: ImageDraw.ImageDraw, x: float, y: float, text: str, face: str, size: int) -> None:
    """``text`` with its ink centred on (x, y) (the faces' own vertical metrics differ)."""
    f = fonts.font(face, size)
    base = y - size / 2 + fonts.baseline(face) * size
    dr.text((x - f.getlength(text) / 2, base), text, font=f, fill=255, anchor="ls")


def seal(
    sheet: Sheet,
    cx: float,
    cy: float,
    org: str,
    rng: random.Random,
    *,
    diameter: float,
    shape: str = "round",
    legend: str = "",
    faded: float = 0.0,
) -> Box:
    """A red seal centred on (cx, cy): ``org`` around the rim (round/oval) or in rows
    (square), a star, ``legend`` across the bottom; ``faded`` ∈ [0, 1) wears the ink away.
    Printed text under it stays readable (the ink multiplies). Returns its ink box."""
    S = int(diameter * SS)
    h = S if shape != "oval" else int(S * 0.68)
    mask = Image.new("L", (S, h), 0)
    dr = ImageDraw.Draw(mask)
    rim = max(2, int(S * 0.028))
    face = fonts.covering(("babel", "thin", "hana"), org + legend)
    if shape == "square":
        dr.rectangle([rim, rim, S - rim, h - rim], outline=255, width=rim)
        n = len(org)
        cols = 2 if n > 4 else 1
        per = math.ceil(n / cols)
        fs = int((S - 6 * rim) / max(per, 2))
        for c in range(cols):
            for i, ch in enumerate(org[c * per : (c + 1) * per]):
                x = S - 3 * rim - (c + 1) * (S - 6 * rim) / cols + (S - 6 * rim) / cols / 2
                y = 3 * rim + i * fs + fs / 2
                _centred(dr, x, y, ch, face, fs)
    else:
        a, b = S / 2 - rim, h / 2 - rim
        dr.ellipse([rim / 2, rim / 2, S - rim / 2, h - rim / 2], outline=255, width=rim)
        fs = int(S * (0.13 if len(org) <= 12 else 0.105))
        span = math.radians((250 if len(org) > 8 else 200) * (0.85 if shape == "oval" else 1))
        n = len(org)
        for i, ch in enumerate(org):
            t = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
            rr_a, rr_b = a - fs * 0.75, b - fs * 0.75
            x, y = S / 2 + rr_a * math.cos(t), h / 2 + rr_b * math.sin(t)
            glyph = Image.new("L", (fs * 2, fs * 2), 0)
            _centred(ImageDraw.Draw(glyph), fs, fs, ch, face, fs)
            rot = glyph.rotate(-math.degrees(t) - 90, resample=Image.Resampling.BICUBIC)
            mask.paste(255, (int(x - fs), int(y - fs)), rot)
        _star(dr, S / 2, h / 2, S * 0.13 * (0.75 if shape == "oval" else 1), 255)
        if legend:
            k = 0.85 if shape != "oval" else 0.7
            _centred(
                dr, S / 2, h / 2 + b * (0.55 if shape != "oval" else 0.5), legend, face, int(fs * k)
            )
    angle = rng.uniform(-28, 28)
    mask = mask.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    mask = mask.resize(
        (max(1, mask.width // SS), max(1, mask.height // SS)), Image.Resampling.LANCZOS
    )
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    m = np.asarray(mask, dtype=np.float32) / 255
    wear = np.asarray(
        Image.fromarray(nrng.uniform(0, 1, (10, 10)).astype(np.float32)).resize(
            mask.size, Image.Resampling.BICUBIC
        )
    )
    speck = nrng.uniform(0, 1, m.shape) > 0.15 + faded * 0.25
    m = m * np.clip(1.15 - faded * (1.3 - wear), 0.25, 1.0) * (0.55 + 0.45 * speck)
    red = (rng.randint(200, 228), rng.randint(28, 60), rng.randint(38, 66))
    alpha = Image.fromarray((np.clip(m, 0, 1) * 245).astype(np.uint8))
    layer = Image.new("RGBA", alpha.size, (*red, 0))
    layer.putalpha(alpha)
    x, y = int(cx - alpha.width / 2), int(cy - alpha.height / 2)
    sheet.paste_layer(layer, (x, y), multiply=True)
    bb = alpha.point(lambda v: 255 if v > 40 else 0).getbbox() or (0, 0, 1, 1)
    return (x + bb[0], y + bb[1], x + bb[2], y + bb[3])


def pad(b: Box, p: int, sheet: Sheet) -> Box:
    return (
        max(0, b[0] - p),
        max(0, b[1] - p),
        min(sheet.width, b[2] + p),
        min(sheet.height, b[3] + p),
    )


def sign_place(
    sheet: Sheet,
    place: str,
    area: tuple[float, float, float, float],
    rng: random.Random,
    *,
    present: bool,
    finger: bool,
    name_len: int = 3,
) -> None:
    """A party's 签章 place: a signature in ``area`` (and a fingerprint over its right end
    when ``finger``), recorded in ``sheet.marks``; left empty when not ``present``."""
    x0, y0, x1, y1 = area
    sig_w = (x1 - x0) * (0.62 if finger else 0.95)
    sig_area = (x0, y0, x0 + sig_w, y1)
    fp_c = (x0 + sig_w + (x1 - x0 - sig_w) / 2, (y0 + y1) / 2)
    if present:
        b = signature(sheet, sig_area, rng, chars=max(2, min(4, name_len)))
        sheet.marks.append(Mark("signature", place, sheet.index, pad(b, 2, sheet)))
        if finger:
            scale = (y1 - y0) / 90
            fb = fingerprint(sheet, fp_c[0], fp_c[1], rng, scale=scale)
            sheet.marks.append(Mark("fingerprint", place, sheet.index, pad(fb, 2, sheet)))
    else:
        box = (int(x0), int(y0), int(x0 + sig_w), int(y1))
        sheet.marks.append(Mark("signature", place, sheet.index, box, present=False))
        if finger:
            r = (y1 - y0) / 2.4
            fb = (
                int(fp_c[0] - r * 0.8),
                int(fp_c[1] - r),
                int(fp_c[0] + r * 0.8),
                int(fp_c[1] + r),
            )
            sheet.marks.append(Mark("fingerprint", place, sheet.index, fb, present=False))


def seal_place(
    sheet: Sheet,
    place: str,
    cx: float,
    cy: float,
    rng: random.Random,
    *,
    org: str,
    expected_org: str,
    diameter: float,
    shape: str = "round",
    legend: str = "",
) -> None:
    """A registry's or issuer's seal at (cx, cy), recorded with its rim organisation."""
    faded = rng.choice((0.0, 0.0, 0.3, 0.55))
    b = seal(sheet, cx, cy, org, rng, diameter=diameter, shape=shape, legend=legend, faded=faded)
    sheet.marks.append(
        Mark("seal", place, sheet.index, pad(b, 1, sheet), org=org, expected_org=expected_org)
    )
