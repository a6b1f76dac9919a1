"""How a citizen digitises a paper, as this family draws it: a flatbed scan at 150 dpi with
heavy JPEG, a phone photo on a cluttered desk in perspective, a photo with a glare spot, a fax
(standard resolution: half the lines, binarised, greys dithered), a screenshot of a PDF viewer
with its chrome around the page, a photocopy, a photo under warm indoor light. Every golden box
and mark follows the same geometry; no capture crops a value out of the frame."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, FieldBox, Mark, Quad, Sample
from . import fonts

CONDITIONS: tuple[str, ...] = (
    "clean",
    "scan",
    "photo",
    "scan150",
    "desk_photo",
    "glare",
    "fax",
    "viewer",
    "photocopy",
    "warm_light",
    "sideways",
)


def _map(b: Box, H: np.ndarray, w: int, h: int) -> tuple[Box, Quad] | None:
    x0, y0, x1, y1 = b
    pts = np.array([[[x0, y0]], [[x1, y0]], [[x1, y1]], [[x0, y1]]], dtype=np.float64)
    q = cv2.perspectiveTransform(pts, H).reshape(-1, 2)
    nb = (
        max(0, math.floor(q[:, 0].min())),
        max(0, math.floor(q[:, 1].min())),
        min(w, math.ceil(q[:, 0].max())),
        min(h, math.ceil(q[:, 1].max())),
    )
    if nb[2] <= nb[0] or nb[3] <= nb[1]:
        return None
    quad: Quad = tuple((float(x), float(y)) for x, y in q)  # type: ignore[assignment]
    return nb, quad


def remap(
    s: Sample,
    Hs: list[np.ndarray],
    pages: list[np.ndarray],
    name: str,
    *,
    copy: bool = False,
    dpi: int | None = None,
) -> Sample:
    """``s`` with its pages replaced, every box and mark moved by its page's homography;
    ``copy``: seals lost their colour."""
    boxes: dict[str, FieldBox] = {}
    for k, fb in s.boxes.items():
        H = Hs[fb.page]
        h, w = pages[fb.page].shape[:2]
        m = _map(fb.box, H, w, h)
        if m is None:
            continue
        parts = tuple(p[0] for p in (_map(pb, H, w, h) for pb in fb.parts) if p is not None)
        boxes[k] = FieldBox(fb.page, m[0], m[1], parts)
    marks: list[Mark] = []
    for mk in s.marks:
        h, w = pages[mk.page].shape[:2]
        m = _map(mk.box, Hs[mk.page], w, h)
        if m is not None:
            marks.append(replace(mk, box=m[0], copy=mk.copy or (copy and mk.kind == "seal")))
    return s.with_(
        pages=tuple(pages),
        boxes=boxes,
        marks=tuple(marks),
        backgrounds=(),
        texts=(),
        degradations=(*s.degradations, name),
        dpi=dpi or s.dpi,
    )


def _jpeg(img: np.ndarray, q: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _grain(img: np.ndarray, nrng: np.random.Generator, sigma: float) -> np.ndarray:
    n = nrng.normal(0, sigma, img.shape[:2]).astype(np.float32)[:, :, None]
    return np.clip(img.astype(np.float32) + n, 0, 255).astype(np.uint8)


def _scale(k: float) -> np.ndarray:
    return np.array([[k, 0, 0], [0, k, 0], [0, 0, 1]], dtype=np.float64)


# --- flatbed scan at 150 dpi ---------------------------------------------------------------


def scan150(s: Sample, *, seed: int, dpi: int = 150) -> Sample:
    """Scanned at 150 dpi (``dpi``): resampled, a small skew on the glass, the lid's grey
    edge, a cold lamp tint, JPEG at a quality office scanners default to."""
    rng = random.Random(f"heldout3-scan{dpi}:{seed}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    k = dpi / s.dpi
    pages, Hs = [], []
    for page in s.pages:
        h, w = page.shape[:2]
        m = int(max(w, h) * 0.025)
        W, Hh = int((w + 2 * m) * k), int((h + 2 * m) * k)
        ang = rng.uniform(-1.2, 1.2)
        R = cv2.getRotationMatrix2D((w / 2, h / 2), ang, 1.0)
        R = np.vstack([R, [0, 0, 1]])
        T = np.array([[1, 0, m + rng.uniform(-6, 6)], [0, 1, m + rng.uniform(-6, 6)], [0, 0, 1]])
        H = _scale(k) @ T @ R
        out = cv2.warpPerspective(
            page, H, (W, Hh), flags=cv2.INTER_AREA, borderValue=(236, 238, 240)
        )
        edge = int(W * rng.uniform(0.006, 0.015))
        out[:, :edge] = (out[:, :edge] * 0.55).astype(np.uint8)
        tint = np.array([rng.uniform(1.0, 1.03), 1.0, rng.uniform(0.95, 0.99)], np.float32)
        out = np.clip(out.astype(np.float32) * tint, 0, 255).astype(np.uint8)
        out = _grain(out, nrng, 1.5)
        out = _jpeg(out, rng.randint(58, 72) if dpi <= 150 else rng.randint(82, 92))
        pages.append(out)
        Hs.append(H)
    return remap(s, Hs, pages, "scan150" if dpi == 150 else "scan", dpi=dpi)


# --- phone photos --------------------------------------------------------------------------


def _desk(
    W: int, H: int, rng: random.Random, nrng: np.random.Generator, *, clutter: bool
) -> np.ndarray:
    """A wooden desk (grain along x), and, ``clutter``, a pen, a mug ring, a phone, a sticky
    note."""
    base = np.array(
        rng.choice(((70, 105, 150), (52, 78, 110), (120, 140, 160), (40, 44, 48))), np.float32
    )
    h2, w2 = H // 2 + 1, W // 2 + 1
    yy = np.arange(h2, dtype=np.float32)[:, None] * 2
    xx = np.arange(w2, dtype=np.float32)[None, :] * 2
    grain = 9 * np.sin(yy * 0.05 + 3 * np.sin(xx * 0.004 + rng.uniform(0, 6))) + 5 * np.sin(
        yy * 0.31
    )
    small = nrng.normal(0, 6, (H // 16 + 2, W // 16 + 2)).astype(np.float32)
    tex = grain + cv2.resize(small, (w2, h2), interpolation=cv2.INTER_CUBIC)
    tex = cv2.resize(tex.astype(np.float32), (W, H), interpolation=cv2.INTER_LINEAR)
    desk = np.clip(base[None, None, :] + tex[:, :, None], 0, 255).astype(np.uint8)
    if clutter:
        for _ in range(rng.randint(2, 4)):
            kind = rng.choice(("pen", "mug", "phone", "note"))
            cx, cy = int(rng.uniform(0, W)), int(rng.uniform(0, H))
            if kind == "pen":
                a = rng.uniform(0, math.pi)
                L = rng.uniform(0.12, 0.2) * max(W, H)
                p, q = (
                    (int(cx - L / 2 * math.cos(a)), int(cy - L / 2 * math.sin(a))),
                    (int(cx + L / 2 * math.cos(a)), int(cy + L / 2 * math.sin(a))),
                )
                cv2.line(desk, p, q, (20, 20, 20), 16, cv2.LINE_AA)
                cv2.line(
                    desk,
                    p,
                    q,
                    rng.choice(((160, 60, 30), (30, 30, 160), (200, 200, 200))),
                    10,
                    cv2.LINE_AA,
                )
            elif kind == "mug":
                r = int(rng.uniform(0.05, 0.08) * max(W, H))
                cv2.circle(desk, (cx, cy), r, (235, 235, 235), -1, cv2.LINE_AA)
                cv2.circle(desk, (cx, cy), int(r * 0.8), (40, 60, 90), -1, cv2.LINE_AA)
            elif kind == "phone":
                w, h = int(0.08 * max(W, H)), int(0.16 * max(W, H))
                cv2.rectangle(desk, (cx, cy), (cx + w, cy + h), (25, 25, 25), -1)
                cv2.rectangle(desk, (cx + 6, cy + 12), (cx + w - 6, cy + h - 12), (70, 50, 40), -1)
            else:
                w = int(0.07 * max(W, H))
                cv2.rectangle(desk, (cx, cy), (cx + w, cy + w), (120, 230, 250), -1)
    return desk


def _photo(s: Sample, name: str, seed: int, *, clutter: bool, glare: bool, warm: bool) -> Sample:
    rng = random.Random(f"heldout3-{name}:{seed}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs = [], []
    for page in s.pages:
        h, w = page.shape[:2]
        m = int(max(w, h) * rng.uniform(0.1, 0.16))
        W, Hh = w + 2 * m, h + 2 * m
        tilt = rng.uniform(0.02, 0.06) * max(w, h)
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        side = rng.choice((0, 1))
        dst = np.float32(
            [
                [m + (tilt if side == 0 else 0) + rng.uniform(-10, 10), m + rng.uniform(-15, 15)],
                [
                    m + w - (tilt if side == 1 else 0) + rng.uniform(-10, 10),
                    m + rng.uniform(-15, 15),
                ],
                [m + w + rng.uniform(-10, 10), m + h + rng.uniform(-15, 15)],
                [m + rng.uniform(-10, 10), m + h + rng.uniform(-15, 15)],
            ]
        )
        ang = math.radians(rng.uniform(-5, 5))
        c = np.float32([W / 2, Hh / 2])
        Rm = np.float32([[math.cos(ang), -math.sin(ang)], [math.sin(ang), math.cos(ang)]])
        dst = ((dst - c) @ Rm.T + c).astype(np.float32)
        # shrink to a phone's 12 MP-ish frame of at most 2400 px
        k = min(1.0, 2400 / max(W, Hh))
        H = _scale(k) @ cv2.getPerspectiveTransform(src, dst)
        W2, H2 = int(W * k), int(Hh * k)
        warped = cv2.warpPerspective(page, H, (W2, H2), flags=cv2.INTER_LINEAR)
        inside = cv2.warpPerspective(np.full((h, w), 255, np.uint8), H, (W2, H2)) > 127
        desk = _desk(W2, H2, rng, nrng, clutter=clutter)
        # the page's shadow on the desk
        sh = cv2.resize(inside.astype(np.float32), (W2 // 4, H2 // 4), interpolation=cv2.INTER_AREA)
        sh = cv2.resize(cv2.GaussianBlur(sh, (0, 0), 3), (W2, H2))
        sh = np.roll(sh, (8, 10), axis=(0, 1))
        desk = (desk.astype(np.float32) * (1 - 0.45 * sh[:, :, None])).astype(np.uint8)
        out = np.where(inside[:, :, None], warped, desk).astype(np.float32)
        # light fields are smooth: computed at 1/8 scale
        q = 8
        hs, ws = max(1, H2 // q), max(1, W2 // q)
        yy, xx = np.mgrid[0:hs, 0:ws].astype(np.float32)
        yy, xx = yy * q, xx * q
        if warm:  # tungsten light: orange cast, dim, vignette
            out *= np.array([rng.uniform(0.55, 0.68), rng.uniform(0.8, 0.88), 1.02], np.float32)
            v = 1 - 0.45 * (((xx - W2 / 2) / W2) ** 2 + ((yy - H2 / 2) / H2) ** 2) * 2
            light = v * rng.uniform(0.78, 0.9)
        else:
            gx, gy = rng.uniform(0, W2), rng.uniform(0, H2)
            light = 1.02 - 0.18 * np.sqrt((xx - gx) ** 2 + (yy - gy) ** 2) / math.hypot(W2, H2)
        out *= cv2.resize(light.astype(np.float32), (W2, H2), interpolation=cv2.INTER_LINEAR)[
            :, :, None
        ]
        if glare:  # a glossy page under a ceiling lamp: a bright soft spot
            gx, gy = rng.uniform(0.25, 0.75) * W2, rng.uniform(0.25, 0.75) * H2
            rr = rng.uniform(0.07, 0.12) * max(W2, H2)
            g = np.exp(-(((xx - gx) / rr) ** 2 + ((yy - gy) / (rr * 0.7)) ** 2))
            g = cv2.resize(np.clip(g * 1.3, 0, 0.55).astype(np.float32), (W2, H2)) * inside
            out = out * (1 - g[:, :, None]) + 255 * g[:, :, None]
        out = np.clip(out, 0, 255).astype(np.uint8)
        out = _grain(out, nrng, rng.uniform(2.5, 4.5) if not warm else rng.uniform(5, 7))
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 0.85))
        out = _jpeg(out, rng.randint(70, 84))
        pages.append(out)
        Hs.append(H)
    return remap(s, Hs, pages, name)


def desk_photo(s: Sample, *, seed: int) -> Sample:
    return _photo(s, "desk_photo", seed, clutter=True, glare=False, warm=False)


def glare_photo(s: Sample, *, seed: int) -> Sample:
    return _photo(s, "glare", seed, clutter=False, glare=True, warm=False)


def warm_light(s: Sample, *, seed: int) -> Sample:
    return _photo(s, "warm_light", seed, clutter=rng_flag(seed), glare=False, warm=True)


def rng_flag(seed: int) -> bool:
    return random.Random(f"heldout3-warm-clutter:{seed}").random() < 0.5


# --- fax ---------------------------------------------------------------------------------

_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16


def fax(s: Sample, *, seed: int) -> Sample:
    """A fax at standard resolution: every other line kept (then doubled), black and white
    only, greys as an ordered dither, a header line of the sending machine on top. Seals come
    out black (``Mark.copy``)."""
    rng = random.Random(f"heldout3-fax:{seed}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs = [], []
    for i, page in enumerate(s.pages):
        h, w = page.shape[:2]
        g = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
        half = cv2.resize(g, (w, (h + 1) // 2), interpolation=cv2.INTER_AREA)
        g = cv2.resize(half, (w, h), interpolation=cv2.INTER_NEAREST)
        thr = np.tile(_BAYER, (h // 4 + 1, w // 4 + 1))[:h, :w]
        lvl = g / 255
        # text (dark) goes black, paper white, mid greys (seals, photos) dithered
        lvl = np.clip((lvl - 0.22) / 0.62, 0, 1)
        bw = np.where(lvl > thr * 0.9 + 0.05, 255, 0).astype(np.uint8)
        # line noise: a few dropped or black scanlines
        for _ in range(rng.randint(1, 4)):
            y = rng.randrange(0, h - 2)
            bw[y : y + 1, :] = 255 if rng.random() < 0.7 else bw[y : y + 1, :]
        specks = nrng.uniform(0, 1, bw.shape) < 0.0004
        bw[specks] = 0
        head = Image.new("L", (w, 40), 255)
        ImageDraw.Draw(head).text(
            (20, 30),
            f"2026-05-{rng.randint(1, 28):02d} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}"
            f"  FROM: 0571{rng.randint(10000000, 99999999)}  P.{i + 1:02d}",
            font=fonts.font("unifont", 24),
            fill=0,
            anchor="ls",
        )
        band = np.asarray(head)
        top = bw[:40]
        bw[:40] = np.minimum(top, band)
        pages.append(cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR))
        Hs.append(np.eye(3))
    return remap(s, Hs, pages, "fax", copy=True)


# --- screenshot of a PDF viewer ----------------------------------------------------------


def viewer(s: Sample, *, seed: int) -> Sample:
    """A screenshot of a PDF viewer: a title bar and toolbar with the page count, a sidebar
    of thumbnails, a scrollbar, the page drawn at the viewer's zoom on a grey canvas."""
    rng = random.Random(f"heldout3-viewer:{seed}")
    pages, Hs = [], []
    dark = rng.random() < 0.4
    canvas = (52, 52, 56) if dark else (214, 214, 214)
    bar = (38, 38, 42) if dark else (245, 245, 247)
    text = (230, 230, 230) if dark else (40, 40, 40)
    for i, page in enumerate(s.pages):
        h, w = page.shape[:2]
        k = rng.uniform(0.72, 0.92)
        pw, ph = int(w * k), int(h * k)
        side, top, pad = 210, 96, 40
        W, Hh = side + pw + 2 * pad + 18, top + ph + 2 * pad
        img = Image.new("RGB", (W, Hh), canvas[::-1])
        dr = ImageDraw.Draw(img)
        dr.rectangle([0, 0, W, 40], fill=(bar[0] - 10, bar[1] - 10, bar[2] - 10))
        dr.rectangle([0, 40, W, top], fill=bar)
        f = fonts.font("twsung", 20)
        name = rng.choice(("扫描件", "材料", "不动产资料", "scan"))
        dr.text(
            (16, 28),
            f"{name}_{rng.randint(1, 99):02d}.pdf - 阅读器",
            font=f,
            fill=text,
            anchor="ls",
        )
        for j, cx in enumerate((W - 110, W - 70, W - 30)):
            dr.ellipse(
                [cx - 8, 12, cx + 8, 28], fill=((230, 80, 70), (240, 190, 60), (90, 190, 90))[j]
            )
        for j in range(7):
            dr.rounded_rectangle([20 + j * 46, 54, 52 + j * 46, 86], 5, outline=text, width=2)
        dr.text((W // 2 - 60, 78), f"{i + 1} / {len(s.pages)}", font=f, fill=text, anchor="ls")
        dr.text((W // 2 + 60, 78), f"{int(k * 100)}%", font=f, fill=text, anchor="ls")
        dr.rectangle([0, top, side, Hh], fill=bar)
        for j in range(min(4, len(s.pages))):
            ty = top + 20 + j * 230
            thumb = cv2.resize(
                s.pages[j],
                (120, int(120 * s.pages[j].shape[0] / s.pages[j].shape[1])),
                interpolation=cv2.INTER_AREA,
            )
            img.paste(Image.fromarray(cv2.cvtColor(thumb, cv2.COLOR_BGR2RGB)), (45, ty))
            if j == i:
                dr.rectangle(
                    [41, ty - 4, 169, ty + thumb.shape[0] + 4], outline=(60, 130, 230), width=3
                )
        dr.rectangle([W - 16, top, W, Hh], fill=bar)
        dr.rounded_rectangle([W - 13, top + 10, W - 3, top + 120], 4, fill=(150, 150, 150))
        px, py = side + pad, top + pad
        dr.rectangle(
            [px + 4, py + 6, px + pw + 6, py + ph + 8],
            fill=(30, 30, 30) if not dark else (20, 20, 20),
        )
        small = cv2.resize(page, (pw, ph), interpolation=cv2.INTER_AREA)
        img.paste(Image.fromarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB)), (px, py))
        out = cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)
        pages.append(out)
        Hs.append(np.array([[pw / w, 0, px], [0, ph / h, py], [0, 0, 1]], dtype=np.float64))
    return remap(s, Hs, pages, "viewer")


# --- photocopy --------------------------------------------------------------------------


def photocopy(s: Sample, *, seed: int) -> Sample:
    """A photocopy: grey toner, pushed contrast, the platen's dark border where the page did
    not reach, a slight enlargement, toner streaks. Seals go grey (``Mark.copy``)."""
    rng = random.Random(f"heldout3-copy:{seed}")
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    pages, Hs = [], []
    for page in s.pages:
        h, w = page.shape[:2]
        g = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY).astype(np.float32)
        k = rng.uniform(0.96, 0.985)
        M = np.array(
            [
                [k, 0, w * (1 - k) / 2 + rng.uniform(-5, 5)],
                [0, k, h * (1 - k) / 2 + rng.uniform(-5, 5)],
                [0, 0, 1],
            ]
        )
        g = cv2.warpPerspective(g, M, (w, h), borderValue=70)
        g = np.clip((g - 55) * 1.28 + 40, 0, 245)
        streak_x = rng.randrange(0, w)
        g[:, streak_x : streak_x + 2] *= 0.8
        g += nrng.normal(0, 5, g.shape)
        g = cv2.GaussianBlur(g, (0, 0), 0.7)
        out = cv2.cvtColor(np.clip(g, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
        out = _jpeg(out, rng.randint(78, 88))
        pages.append(out)
        Hs.append(M)
    return remap(s, Hs, pages, "photocopy", copy=True)


def photo(s: Sample, *, seed: int) -> Sample:
    """A plain phone photo held over a bare desk."""
    return _photo(s, "photo", seed, clutter=False, glare=False, warm=False)


def sideways(s: Sample, *, seed: int) -> Sample:
    """A phone photo taken with the phone turned (or the paper upside down): the frame is
    turned 90°, 180° or 270° as the camera saved it, without an orientation tag."""
    rng = random.Random(f"heldout3-sideways:{seed}")
    p = _photo(s, "sideways", seed, clutter=rng.random() < 0.5, glare=False, warm=False)
    turn = rng.choice((cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE))
    pages, Hs = [], []
    for page in p.pages:
        h, w = page.shape[:2]
        if turn == cv2.ROTATE_90_CLOCKWISE:
            H = np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], dtype=np.float64)
        elif turn == cv2.ROTATE_180:
            H = np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], dtype=np.float64)
        else:
            H = np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], dtype=np.float64)
        pages.append(cv2.rotate(page, turn))
        Hs.append(H)
    out = remap(p, Hs, pages, "sideways")
    # one name for the capture, not the photo and its turn
    return replace(out, degradations=(*s.degradations, "sideways"))


CAPTURES: dict[str, Callable[..., Sample]] = {
    "scan": lambda s, *, seed: scan150(s, seed=seed, dpi=s.dpi),
    "photo": photo,
    "scan150": scan150,
    "desk_photo": desk_photo,
    "glare": glare_photo,
    "fax": fax,
    "viewer": viewer,
    "photocopy": photocopy,
    "warm_light": warm_light,
    "sideways": sideways,
}


def capture(sample: Sample, condition: str, *, seed: int) -> Sample:
    """``sample`` as captured under ``condition`` (one of :data:`CONDITIONS`)."""
    if condition == "clean":
        return sample
    if condition not in CAPTURES:
        raise ValueError(f"unknown condition {condition!r}; known: {CONDITIONS}")
    return CAPTURES[condition](sample, seed=seed)
