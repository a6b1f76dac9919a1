"""Marks of the third held-out family, drawn its own way: signatures as the trace of an
oscillating pen (two coupled oscillators per character, a pressure envelope, ink pooling where
the pen slows), red fingerprints with a loop or whorl ridge field and the paper's grain, red
round or oval seals with a double rim, rim text naming the organisation, a star and a legend,
sometimes faded, always over the print (multiplied). Each place's golden
:class:`~synthdocs.canvas.Mark` goes into ``sheet.marks``."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, Mark
from . import fonts
from .draw import Sheet

SS = 4  # supersampling of stroke masks


def _alpha_layer(alpha: np.ndarray, colour: tuple[int, int, int]) -> Image.Image:
    a = Image.fromarray(np.clip(alpha * 255, 0, 255).astype(np.uint8))
    layer = Image.new("RGBA", a.size, (*colour, 0))
    layer.putalpha(a)
    return layer


def _ink_box(alpha: np.ndarray, x: int, y: int, thr: float) -> Box | None:
    ys, xs = np.nonzero(alpha > thr)
    if not len(xs):
        return None
    return (x + int(xs.min()), y + int(ys.min()), x + int(xs.max()) + 1, y + int(ys.max()) + 1)


def signature(
    sheet: Sheet, box: tuple[float, float, float, float], rng: random.Random, *, chars: int = 3
) -> Box:
    """A name written by hand inside ``box``: per character the trace of two coupled
    oscillators drifting right, the whole name slanted, the pen lifted between some
    characters, its width following the pen's speed. Returns the ink box."""
    x0, y0, x1, y1 = box
    w, h = int(x1 - x0), int(y1 - y0)
    W, H = w * SS, h * SS
    mask = np.zeros((H, W), np.float32)
    slant = rng.uniform(-0.35, 0.05)
    ink = rng.choice(((18, 28, 90), (14, 14, 20), (30, 38, 135)))
    base = rng.uniform(0.9, 1.6) * SS * (h / 60)
    loose = rng.uniform(0.6, 1.0)
    cw = w * 0.9 / chars
    if rng.random() < 0.55:
        t_all = _brush_strokes(rng, w, h, cw, chars, slant)
    else:
        t_all = _oscillations(rng, w, h, cw, chars, slant, loose)
    if rng.random() < 0.5:  # a flourish under the name
        fx = np.linspace(0.1 * w, 0.95 * w, 40)
        fy = h * 0.82 + np.sin(np.linspace(0, math.pi, 40)) * h * 0.08
        t_all.append(np.stack([fx, fy], 1))
    for stroke in t_all:
        seg = stroke * SS
        speed = np.linalg.norm(np.diff(seg, axis=0), axis=1)
        speed = speed / (speed.mean() + 1e-6)
        n = len(seg)
        for i in range(n - 1):
            env = math.sin(math.pi * (i + 0.5) / n) ** 0.6
            width = max(1, int(base * env * (1.25 - 0.35 * min(1.6, float(speed[i])))))
            p, q = seg[i], seg[i + 1]
            cv2.line(mask, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 1.0, width, cv2.LINE_AA)
    small = cv2.resize(mask, (w, h), interpolation=cv2.INTER_AREA)
    small = np.clip(small * rng.uniform(1.1, 1.4), 0, 0.96)
    layer = _alpha_layer(small, ink)
    sheet.paste_layer(layer, (int(x0), int(y0)), multiply=False)
    return _ink_box(small, int(x0), int(y0), 0.25) or (int(x0), int(y0), int(x0) + 1, int(y0) + 1)


def _oscillations(
    rng: random.Random, w: int, h: int, cw: float, chars: int, slant: float, loose: float
) -> list[np.ndarray]:
    """A fast cursive name: per character two coupled oscillators drifting right."""
    t_all: list[np.ndarray] = []
    for c in range(chars):
        t = np.linspace(0, 1, 90)
        wx = rng.uniform(2.0, 4.5) * 2 * math.pi
        wy = rng.uniform(2.5, 5.0) * 2 * math.pi
        ax = rng.uniform(0.18, 0.38) * cw * loose
        ay = rng.uniform(0.22, 0.38) * h * (1.15 if c == 0 else 0.9)
        px = 0.05 * w + c * cw + t * cw * 0.85 + ax * np.sin(wx * t + rng.uniform(0, 6))
        py = h * 0.5 + ay * np.sin(wy * t + rng.uniform(0, 6)) * (0.6 + 0.4 * np.sin(math.pi * t))
        px = px + slant * (py - h / 2)
        pts = np.stack([px, py], 1)
        if t_all and rng.random() < 0.55:  # joined to the last character
            t_all[-1] = np.vstack([t_all[-1], pts])
        else:
            t_all.append(pts)
    return t_all


def _bend(p: tuple[float, float], q: tuple[float, float], bow: float, n: int = 12) -> np.ndarray:
    """A slightly bowed stroke from p to q (a quadratic curve)."""
    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
    dx, dy = q[0] - p[0], q[1] - p[1]
    cx, cy = mx - dy * bow, my + dx * bow
    t = np.linspace(0, 1, n)[:, None]
    a, c, b = np.array(p), np.array((cx, cy)), np.array(q)
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * c + t**2 * b


def _brush_strokes(
    rng: random.Random, w: int, h: int, cw: float, chars: int, slant: float
) -> list[np.ndarray]:
    """A name written character by character in quick regular script: each character a few
    strokes (横, 竖, 撇, 捺, 点, 折), some joined by a thin 连笔, the whole name slanted."""
    out: list[np.ndarray] = []
    for c in range(chars):
        x0 = 0.05 * w + c * cw
        top, bot = h * rng.uniform(0.08, 0.2), h * rng.uniform(0.8, 0.92)
        ch_h = bot - top

        def at(
            u: float, v: float, x0: float = x0, top: float = top, ch_h: float = ch_h
        ) -> tuple[float, float]:
            return (x0 + u * cw * 0.86, top + v * ch_h)

        strokes: list[np.ndarray] = []
        for _ in range(rng.randint(4, 7)):
            kind = rng.choice(("heng", "heng", "shu", "pie", "na", "dian", "zhe"))
            u, v = rng.uniform(0.05, 0.7), rng.uniform(0.05, 0.8)
            if kind == "heng":
                ln = rng.uniform(0.35, 0.85)
                strokes.append(_bend(at(u * 0.5, v), at(u * 0.5 + ln, v - 0.05), 0.06))
            elif kind == "shu":
                strokes.append(
                    _bend(
                        at(u, v * 0.4), at(u + 0.02, min(1, v * 0.4 + rng.uniform(0.45, 0.8))), 0.03
                    )
                )
            elif kind == "pie":
                strokes.append(
                    _bend(at(u + 0.25, v * 0.5), at(u - 0.1, min(1, v * 0.5 + 0.55)), -0.2)
                )
            elif kind == "na":
                strokes.append(
                    _bend(at(u, v * 0.5), at(min(1, u + 0.45), min(1, v * 0.5 + 0.5)), 0.15)
                )
            elif kind == "dian":
                strokes.append(_bend(at(u, v), at(u + 0.07, v + 0.1), 0.2, 5))
            else:
                a, b = at(u * 0.6, v * 0.6), at(u * 0.6 + 0.5, v * 0.6)
                cpt = at(u * 0.6 + 0.46, min(1, v * 0.6 + 0.45))
                strokes.append(np.vstack([_bend(a, b, 0.04), _bend(b, cpt, 0.05)]))
        if rng.random() < 0.5:  # 连笔: two strokes joined
            i = rng.randrange(len(strokes) - 1)
            strokes[i] = np.vstack([strokes[i], strokes[i + 1]])
            del strokes[i + 1]
        for st in strokes:
            st = st.copy()
            st[:, 0] += slant * (st[:, 1] - h / 2)
            out.append(st)
    return out


def fingerprint(sheet: Sheet, cx: float, cy: float, rng: random.Random, *, size: float) -> Box:
    """A red fingerprint about ``size`` px tall: a loop or whorl ridge field, pressed harder
    in the middle, broken by the paper's grain."""
    hgt = int(size)
    wid = int(size * rng.uniform(0.68, 0.78))
    yy, xx = np.mgrid[0:hgt, 0:wid].astype(np.float32)
    u = (xx - wid / 2) / (wid / 2)
    v = (yy - hgt / 2) / (hgt / 2)
    ang = math.radians(rng.uniform(-20, 20))
    ur = u * math.cos(ang) - v * math.sin(ang)
    vr = u * math.sin(ang) + v * math.cos(ang)
    kind = rng.choice(("loop", "whorl"))
    core_y = rng.uniform(-0.2, 0.1)
    if kind == "whorl":
        phase = np.sqrt(ur**2 * 1.3 + (vr - core_y) ** 2)
    else:
        phase = np.sqrt(ur**2 + np.maximum(0, vr - core_y) ** 2 * 0.6) + 0.35 * np.maximum(
            0, core_y - vr
        ) * (1 + 0.4 * np.abs(ur))
    ridges = 14 + rng.uniform(-2, 3)
    field = 0.5 + 0.5 * np.cos(2 * math.pi * ridges * phase + rng.uniform(0, 6))
    shape = np.clip((1 - (ur**2 + vr**2)) / 0.25, 0, 1)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    press = cv2.resize(
        nrng.uniform(0.4, 1.0, (6, 5)).astype(np.float32), (wid, hgt), interpolation=cv2.INTER_CUBIC
    )
    grain = nrng.uniform(0, 1, (hgt, wid)) > 0.12
    alpha = (field > 0.5) * shape * np.clip(press + 0.25 * (1 - (ur**2 + vr**2)), 0, 1) * grain
    alpha = cv2.GaussianBlur(alpha.astype(np.float32), (0, 0), 0.7) * 0.95
    red = (rng.randint(190, 222), rng.randint(28, 58), rng.randint(40, 70))
    x, y = int(cx - wid / 2), int(cy - hgt / 2)
    sheet.paste_layer(_alpha_layer(alpha, red), (x, y), multiply=True)
    return _ink_box(alpha, x, y, 0.2) or (x, y, x + 1, y + 1)


def _glyph(ch: str, face: str, size: int) -> np.ndarray:
    f = fonts.font(face, size)
    im = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(im).text((size, size), ch, font=f, fill=255, anchor="mm")
    return np.asarray(im, dtype=np.float32) / 255


def _paste_rot(mask: np.ndarray, g: np.ndarray, cx: float, cy: float, deg: float) -> None:
    s = g.shape[0]
    M = cv2.getRotationMatrix2D((s / 2, s / 2), deg, 1.0)
    r = cv2.warpAffine(g, M, (s, s))
    x, y = int(cx - s / 2), int(cy - s / 2)
    H, W = mask.shape
    xa, ya, xb, yb = max(0, x), max(0, y), min(W, x + s), min(H, y + s)
    if xb <= xa or yb <= ya:
        return
    mask[ya:yb, xa:xb] = np.maximum(mask[ya:yb, xa:xb], r[ya - y : yb - y, xa - x : xb - x])


def seal(
    sheet: Sheet,
    cx: float,
    cy: float,
    org: str,
    rng: random.Random,
    *,
    diameter: float,
    oval: bool = False,
    legend: str = "",
    faded: float = 0.0,
    code: str = "",
) -> Box:
    """A red seal centred on (cx, cy): a thick outer and a thin inner rim, ``org`` around the
    top, a five-pointed star, ``legend`` across (e.g. 不动产登记专用章), ``code`` small along
    the bottom (the seal's own number). Returns its ink box."""
    D = int(diameter * SS / 2) * 2
    Hh = int(D * 0.7) // 2 * 2 if oval else D
    m = np.zeros((Hh + 8 * SS, D + 8 * SS), np.float32)
    c = (m.shape[1] // 2, m.shape[0] // 2)
    ra, rb = D // 2, Hh // 2
    rim = max(3, int(D * 0.035))
    cv2.ellipse(m, c, (ra - rim // 2, rb - rim // 2), 0, 0, 360, 1.0, rim, cv2.LINE_AA)
    cv2.ellipse(m, c, (ra - rim * 2, rb - rim * 2), 0, 0, 360, 1.0, max(1, rim // 3), cv2.LINE_AA)
    face = fonts.covering(fonts.HEI + fonts.SONG, org + legend + code)
    n = len(org)
    fs = int(D * (0.15 if n <= 10 else 0.12 if n <= 14 else 0.1))
    span = math.radians(min(290, 40 + n * 19))
    ta, tb = ra - rim * 2 - fs * 0.7, rb - rim * 2 - fs * 0.7
    for i, ch in enumerate(org):
        t = -math.pi / 2 - span / 2 + span * (i + 0.5) / n
        x, y = c[0] + ta * math.cos(t), c[1] + tb * math.sin(t)
        _paste_rot(m, _glyph(ch, face, fs), x, y, -math.degrees(t) - 90)
    # the star
    r_star = D * (0.14 if not oval else 0.1)
    pts = []
    for k in range(10):
        rad = r_star if k % 2 == 0 else r_star * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append(
            (c[0] + rad * math.cos(a), c[1] - (0.05 * Hh if oval else 0) + rad * math.sin(a))
        )
    cv2.fillPoly(m, [np.array(pts, np.int32)], 1.0, cv2.LINE_AA)
    if legend:
        lf = int(min(fs * 0.8, 1.3 * (ra - rim * 2) / max(1, len(legend))))
        gw = lf * len(legend)
        lx = c[0] - gw / 2 + lf / 2
        ly = c[1] + rb * (0.45 if not oval else 0.42)
        for i, ch in enumerate(legend):
            _paste_rot(m, _glyph(ch, face, lf), lx + i * lf, ly, 0)
    if code:
        cf = int(fs * 0.45)
        n2 = len(code)
        span2 = math.radians(min(120, n2 * 7))
        for i, ch in enumerate(code):
            t = math.pi / 2 + span2 / 2 - span2 * (i + 0.5) / n2
            x, y = c[0] + (ta + fs * 0.2) * math.cos(t), c[1] + (tb + fs * 0.2) * math.sin(t)
            _paste_rot(m, _glyph(ch, face, cf), x, y, -math.degrees(t) + 90)
    M = cv2.getRotationMatrix2D(c, rng.uniform(-20, 20), 1.0)
    m = cv2.warpAffine(m, M, (m.shape[1], m.shape[0]))
    small = cv2.resize(m, (m.shape[1] // SS, m.shape[0] // SS), interpolation=cv2.INTER_AREA)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    uneven = cv2.resize(
        nrng.uniform(0, 1, (7, 7)).astype(np.float32),
        small.shape[::-1],
        interpolation=cv2.INTER_CUBIC,
    )
    tone = np.clip(1.05 - faded * (1.2 - uneven), 0.3, 1.0)
    pores = nrng.uniform(0, 1, small.shape) > (0.08 + 0.3 * faded)
    alpha = np.clip(small * 1.2, 0, 1) * tone * (0.5 + 0.5 * pores) * 0.93
    red = (rng.randint(205, 232), rng.randint(26, 52), rng.randint(36, 64))
    x, y = int(cx - small.shape[1] / 2), int(cy - small.shape[0] / 2)
    sheet.paste_layer(_alpha_layer(alpha, red), (x, y), multiply=True)
    return _ink_box(alpha, x, y, 0.18) or (x, y, x + 1, y + 1)


def _pad(b: Box, p: int, sheet: Sheet) -> Box:
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
    """A party's 签章 place: a signature in ``area`` (a fingerprint pressed over its end when
    ``finger``), recorded in ``sheet.marks``; left empty when not ``present``."""
    x0, y0, x1, y1 = area
    sig_w = (x1 - x0) * (0.66 if finger else 1.0)
    fp_cx, fp_cy = x0 + sig_w + (x1 - x0 - sig_w) * 0.45, (y0 + y1) / 2
    fp_size = (y1 - y0) * 0.95
    if present:
        b = signature(sheet, (x0, y0, x0 + sig_w, y1), rng, chars=max(2, min(4, name_len)))
        sheet.marks.append(Mark("signature", place, sheet.index, _pad(b, 2, sheet)))
        if finger:
            fb = fingerprint(sheet, fp_cx, fp_cy, rng, size=fp_size)
            sheet.marks.append(Mark("fingerprint", place, sheet.index, _pad(fb, 2, sheet)))
        return
    sheet.marks.append(
        Mark(
            "signature",
            place,
            sheet.index,
            (int(x0) + 4, int(y0) + 6, int(x0 + sig_w) - 4, int(y1) - 6),
            present=False,
        )
    )
    if finger:
        hw = fp_size * 0.36
        fb = (int(fp_cx - hw), int(fp_cy - fp_size / 2), int(fp_cx + hw), int(fp_cy + fp_size / 2))
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
    oval: bool = False,
    legend: str = "",
) -> None:
    """A registry's or issuer's seal at (cx, cy), recorded with the organisation it names."""
    faded = rng.choice((0.0, 0.0, 0.25, 0.5))
    code = "".join(str(rng.randint(0, 9)) for _ in range(13)) if rng.random() < 0.5 else ""
    b = seal(
        sheet, cx, cy, org, rng, diameter=diameter, oval=oval, legend=legend, faded=faded, code=code
    )
    sheet.marks.append(
        Mark("seal", place, sheet.index, _pad(b, 1, sheet), org=org, expected_org=expected_org)
    )
