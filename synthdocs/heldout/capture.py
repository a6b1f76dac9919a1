"""Capture conditions of the held-out family: how a citizen's document reaches the service.

Each condition is ``f(sample, *, seed) -> Sample``: the pages as delivered, the golden boxes mapped
through the same homography (see :mod:`.geometry`), ``dpi`` updated to the delivered scale and the
condition's name appended to ``degradations``. None of :data:`CONDITIONS` is meant to make a
document unreadable (``expected_issues`` stays empty); :func:`blurred` and :func:`thumbnail`
are, for the quality defects of an application.

    clean      the render as it is
    scan       flatbed: placed against the platen corner, skew ≤ 1.8°, rescaled to the scanner's
               dpi, blur then the firmware's unsharp mask, auto-levels (paper → white), colour or
               greyscale mode, sensor noise, dust, JPEG
    photo      phone camera: the page on a desk (wood, laminate, cloth) or a card held by a
               thumb, perspective and rotation, drop shadow, light falling off one side, a soft
               hand shadow, vignetting, colour cast, defocus and slight motion blur, noise, JPEG
    photocopy  toner copy: greyscale, light backgrounds dropped, darks crushed, toner specks and
               drum streaks, slight skew (a red seal turns grey)
    fax_like   fax in standard mode: 204 × 98 dpi binarised with ordered dithering, re-squared,
               a header line in its own top band
    low_res    a forwarded, recompressed picture: about 100 dpi (cards 150), heavy JPEG
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping

import cv2
import numpy as np

from ..canvas import Sample
from .fonts import font
from .geometry import apply, per_page, rotate, scale, translate, warp

Capture = Callable[..., Sample]


def _rngs(tag: str, seed: int, page: int) -> tuple[random.Random, np.random.Generator]:
    r = random.Random(f"heldout-capture:{tag}:{seed}:{page}")
    return r, np.random.default_rng(r.getrandbits(63))


def _jpeg_roundtrip(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    assert ok
    out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    assert out is not None
    return np.asarray(out)


def _grey3(img: np.ndarray) -> np.ndarray:
    g = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return cv2.cvtColor(g, cv2.COLOR_GRAY2BGR)


def _add_noise(img: np.ndarray, g: np.random.Generator, sigma: float) -> np.ndarray:
    """Sensor noise, the same on the three channels (a tiled field: cheap on large pages)."""
    tile = np.round(g.standard_normal((256, 256), dtype=np.float32) * sigma)
    h, w = img.shape[:2]
    reps = (h // 256 + 1, w // 256 + 1)
    up = np.tile(np.clip(tile, 0, 255).astype(np.uint8), reps)[:h, :w]
    down = np.tile(np.clip(-tile, 0, 255).astype(np.uint8), reps)[:h, :w]
    if img.ndim == 3:
        return cv2.subtract(cv2.add(img, cv2.merge([up] * 3)), cv2.merge([down] * 3))
    return cv2.subtract(cv2.add(img, up), down)  # saturating, as a sensor clips


def _is_card(sample: Sample) -> bool:
    return sample.doc_type.startswith("id_card") and max(sample.size) < 1500


# --- clean ----------------------------------------------------------------------------------


def clean(sample: Sample, *, seed: int = 0) -> Sample:
    """The render as it is (nothing added to ``degradations``)."""
    del seed
    return sample


# --- scan -----------------------------------------------------------------------------------


def scan(sample: Sample, *, seed: int = 0) -> Sample:
    # one scanner setting for the whole document: colour mode and resolution
    setting = random.Random(f"heldout-scan-setting:{seed}")
    grey_mode = setting.random() < 0.3
    dpi = setting.choice((200, 300)) if _is_card(sample) else setting.choice((150, 200, 200, 240))
    k = float(np.clip(dpi / sample.dpi, 0.75, 1.25))

    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, g = _rngs("scan", seed, i)
        h, w = page.shape[:2]
        mm = sample.dpi * k / 25.4
        margin_r, margin_b = r.uniform(0.5, 5) * mm, r.uniform(0.5, 6) * mm
        W, H = round(w * k + margin_r + 2 * mm), round(h * k + margin_b + 2 * mm)
        Hm = (
            rotate(r.uniform(-1.8, 1.8), w * k / 2, h * k / 2)
            @ translate(r.uniform(0.3, 2.0) * mm, r.uniform(0.3, 2.0) * mm)
            @ scale(k)
        )
        lid = r.randint(236, 252)
        out = warp(page, Hm, (W, H), fill=(lid, lid, lid))
        # the page's edge throws a thin shadow on the lid
        corners = apply(Hm, np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64))
        cv2.polylines(out, [corners.astype(np.int32)], True, (lid - 60,) * 3, 1, cv2.LINE_AA)
        soft = cv2.GaussianBlur(out, (0, 0), r.uniform(0.5, 0.9))
        wide = cv2.GaussianBlur(soft, (0, 0), 1.2)
        amount = r.uniform(0.3, 0.8)
        out = cv2.addWeighted(soft, 1 + amount, wide, -amount, 0)  # the firmware's unsharp mask
        # auto-exposure sets white at the brightest large area: the lid (or white paper)
        black, white = r.uniform(8, 30), lid - r.uniform(0, 8)
        levels = np.clip((np.arange(256, dtype=np.float32) - black) / (white - black), 0, 1)
        lut = (levels ** r.uniform(0.9, 1.12) * 255).astype(np.uint8)
        out = cv2.LUT(out, lut)
        out = _add_noise(out, g, r.uniform(1.0, 2.5))
        for _ in range(r.randint(3, 12)):  # dust on the glass
            x, y = r.randrange(W), r.randrange(H)
            cv2.circle(out, (x, y), r.choice((1, 1, 2)), (r.randint(40, 120),) * 3, -1)
        if grey_mode:
            out = _grey3(out)
        return _jpeg_roundtrip(out, r.randint(80, 94)), Hm

    return per_page(sample, one, name="scan", dpi=round(sample.dpi * k))


# --- photo ----------------------------------------------------------------------------------


def _desk(W: int, H: int, r: random.Random, g: np.random.Generator) -> np.ndarray:
    kind = r.choice(("wood", "laminate", "cloth", "white"))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    if kind == "wood":
        base = np.array([r.randint(60, 90), r.randint(100, 130), r.randint(150, 185)], np.float32)
        grain = np.sin(yy / r.uniform(6, 14) + 3 * np.sin(xx / r.uniform(150, 400)))
        f = base[None, None, :] * (0.85 + 0.12 * grain[:, :, None])
    elif kind == "laminate":
        v = r.randint(150, 200)
        f = np.full((H, W, 3), v, np.float32) + np.array([0, 4, 8], np.float32)
    elif kind == "cloth":
        base = np.array(
            r.choice(((70, 50, 40), (40, 40, 44), (90, 60, 30), (60, 70, 40))), np.float32
        )
        weave = np.sin(xx * 1.7) * np.sin(yy * 1.7)
        f = base[None, None, :] * (0.9 + 0.1 * weave[:, :, None])
    else:
        f = np.full((H, W, 3), r.randint(200, 232), np.float32)
    f += g.normal(0, 4, (H, W))[:, :, None]
    return f


def photo(sample: Sample, *, seed: int = 0) -> Sample:
    out_dpi: dict[str, float] = {}
    boxes_by_page: dict[int, list[tuple[int, int, int, int]]] = {}
    for fb in sample.boxes.values():
        boxes_by_page.setdefault(fb.page, []).append(fb.box)

    # one camera and one framing habit for the whole document (pages of one size share a dpi)
    setting = random.Random(f"heldout-photo-setting:{seed}")
    card = _is_card(sample)
    long_side = setting.choice((1280, 1440, 1600)) if card else setting.choice((1600, 1800, 2000))
    fill = setting.uniform(0.6, 0.85) if card else setting.uniform(0.74, 0.92)

    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, g = _rngs("photo", seed, i)
        h, w = page.shape[:2]
        if w >= h:
            W, H = long_side, round(long_side * 3 / 4)
        else:
            W, H = round(long_side * 3 / 4), long_side
        k = min(W * fill / w, H * fill / h)
        cw, ch = w * k, h * k
        cx = W / 2 + r.uniform(-0.5, 0.5) * (W - cw) * 0.6
        cy = H / 2 + r.uniform(-0.5, 0.5) * (H - ch) * 0.6
        tilt = r.uniform(-0.07, 0.07)  # keystone: top edge shorter or longer than the bottom
        jit = 0.035 * min(cw, ch)
        dst = np.array(
            [
                [cx - cw / 2 * (1 - tilt), cy - ch / 2],
                [cx + cw / 2 * (1 - tilt), cy - ch / 2],
                [cx + cw / 2 * (1 + tilt), cy + ch / 2],
                [cx - cw / 2 * (1 + tilt), cy + ch / 2],
            ]
        ) + np.array([[r.uniform(-jit, jit), r.uniform(-jit, jit)] for _ in range(4)])
        dst = apply(rotate(r.uniform(-6, 6), cx, cy), dst)
        src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float64)
        Hm = cv2.getPerspectiveTransform(src.astype(np.float32), dst.astype(np.float32)).astype(
            np.float64
        )
        out_dpi["dpi"] = sample.dpi * k
        f = _desk(W, H, r, g)
        mask = cv2.warpPerspective(
            np.full((h, w), 255, np.uint8), Hm, (W, H), flags=cv2.INTER_LINEAR
        )
        a = mask.astype(np.float32)[:, :, None] / 255.0
        small = cv2.resize(a[:, :, 0], (W // 4, H // 4), interpolation=cv2.INTER_AREA)
        small = np.roll(small, (round(r.uniform(1, 4)), round(r.uniform(1, 4))), axis=(0, 1))
        shadow = cv2.resize(
            cv2.GaussianBlur(small, (0, 0), 2), (W, H), interpolation=cv2.INTER_LINEAR
        )
        f *= 1 - 0.35 * shadow[:, :, None]
        doc = cv2.warpPerspective(page, Hm, (W, H), flags=cv2.INTER_AREA).astype(np.float32)
        f = f * (1 - a) + doc * a
        if card and r.random() < 0.45:
            _thumb(f, Hm, w, h, boxes_by_page.get(i, []), r)
        # light varies slowly: computed on a coarse grid, then enlarged
        q = 8
        hq, wq = H // q + 1, W // q + 1
        yy, xx = np.mgrid[0:hq, 0:wq].astype(np.float32) * q
        ang = r.uniform(0, 2 * np.pi)
        ramp = ((xx - W / 2) * np.cos(ang) + (yy - H / 2) * np.sin(ang)) / max(W, H)
        light = 1.0 + r.uniform(0.12, 0.3) * ramp
        rr = ((xx - W / 2) / W) ** 2 + ((yy - H / 2) / H) ** 2
        light *= 1.0 - r.uniform(0.15, 0.35) * rr
        if r.random() < 0.7:  # the phone and the hand above it
            poly = np.array(
                [
                    [r.uniform(-0.2, 0.4) * wq, r.choice((-0.1, 1.1)) * hq],
                    [r.uniform(0.3, 1.1) * wq, r.choice((-0.1, 1.1)) * hq],
                    [r.uniform(0.2, 0.9) * wq, r.uniform(0.2, 0.8) * hq],
                ],
                np.int32,
            )
            hand = np.zeros((hq, wq), np.float32)
            cv2.fillPoly(hand, [poly], 1.0)
            light *= 1.0 - r.uniform(0.12, 0.3) * cv2.GaussianBlur(hand, (0, 0), max(wq, hq) * 0.04)
        light = cv2.resize(light, (W, H), interpolation=cv2.INTER_LINEAR)
        f *= light[:, :, None] * r.uniform(0.92, 1.05)
        cast = np.array(
            [r.uniform(0.88, 1.04), r.uniform(0.96, 1.03), r.uniform(0.96, 1.1)], np.float32
        )
        f *= cast[None, None, :]  # BGR: warm light lowers blue
        f = cv2.GaussianBlur(f, (0, 0), r.uniform(0.5, 1.1))
        length = r.choice((1, 2, 3, 3, 4))
        if length > 1:
            kern = np.zeros((length * 2 + 1, length * 2 + 1), np.float32)
            t = r.uniform(0, np.pi)
            for s in np.linspace(-length, length, 4 * length + 1):
                kern[round(length + s * np.sin(t)), round(length + s * np.cos(t))] = 1.0
            f = cv2.filter2D(f, -1, kern / kern.sum())
        f += g.normal(0, 1.0, (H, W))[:, :, None] * (
            2.0 + 3.0 * (1 - f.mean(axis=2, keepdims=True) / 255)
        )
        out = np.clip(f, 0, 255).astype(np.uint8)
        return _jpeg_roundtrip(out, r.randint(72, 88)), Hm

    res = per_page(sample, one, name="photo")
    return res.with_(dpi=round(out_dpi.get("dpi", sample.dpi)))


def _thumb(
    f: np.ndarray,
    Hm: np.ndarray,
    w: int,
    h: int,
    boxes: list[tuple[int, int, int, int]],
    r: random.Random,
) -> None:
    """A thumb holding the card at an edge, where it hides no golden value."""
    H, W = f.shape[:2]
    pad = 0.03 * min(w, h)
    candidates = [
        (0.0, r.uniform(0.3, 0.7)),
        (1.0, r.uniform(0.3, 0.7)),
        (r.uniform(0.2, 0.8), 1.0),
    ]
    r.shuffle(candidates)
    for u, v in candidates:
        px, py = u * w, v * h
        tw, th = 0.16 * h, 0.1 * h
        rect = (px - tw, py - th, px + tw, py + th)
        hit = any(
            not (
                b[2] + pad < rect[0]
                or b[0] - pad > rect[2]
                or b[3] + pad < rect[1]
                or b[1] - pad > rect[3]
            )
            for b in boxes
        )
        if hit:
            continue
        centre = apply(Hm, np.array([[px, py]], np.float64))[0]
        m = np.zeros((H, W), np.float32)
        ax = max(8, int(0.12 * h * np.hypot(Hm[0, 0], Hm[1, 0])))
        cv2.ellipse(
            m,
            (int(centre[0]), int(centre[1])),
            (ax, int(ax * 0.65)),
            r.uniform(0, 180),
            0,
            360,
            1.0,
            -1,
        )
        soft = cv2.GaussianBlur(m, (0, 0), 3)[:, :, None]
        skin = np.array(r.choice(((120, 150, 205), (110, 140, 190), (140, 170, 225))), np.float32)
        f[:] = f * (1 - soft) + skin * soft
        return


# --- photocopy, fax, low resolution -----------------------------------------------------------


def photocopy(sample: Sample, *, seed: int = 0) -> Sample:
    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, g = _rngs("photocopy", seed, i)
        h, w = page.shape[:2]
        Hm = rotate(r.uniform(-1.0, 1.0), w / 2, h / 2) @ translate(
            r.uniform(-3, 3), r.uniform(-3, 3)
        )
        grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
        grey = warp(grey, Hm, (w, h), fill=255, interpolation=cv2.INTER_LINEAR)
        f = grey.astype(np.float32)
        lo, hi = r.uniform(40, 75), r.uniform(185, 215)
        f = np.clip((f - lo) / (hi - lo), 0, 1) ** r.uniform(1.1, 1.5) * 255
        haze = cv2.resize(
            g.uniform(0, 1, (max(2, h // 80), max(2, w // 80))).astype(np.float32), (w, h)
        )
        f -= haze * r.uniform(4, 14)
        specks = g.random((h, w)) < r.uniform(0.00004, 0.0003)
        specks = cv2.dilate(specks.astype(np.uint8), np.ones((2, 2), np.uint8)) > 0
        f[specks] = np.minimum(f[specks], g.uniform(20, 120, int(specks.sum())))
        for _ in range(r.choice((0, 1, 1, 2))):  # a scratch on the drum
            x = r.randrange(w)
            wd = r.choice((1, 2, 3))
            y0, y1 = sorted((r.randrange(h), r.randrange(h)))
            f[y0:y1, x : x + wd] -= r.uniform(25, 70)
        f = cv2.GaussianBlur(f, (0, 0), 0.6)
        out = np.clip(f, 0, 255).astype(np.uint8)
        return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR), Hm

    return per_page(sample, one, name="photocopy")


_BAYER = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16.0


def fax_like(sample: Sample, *, seed: int = 0) -> Sample:
    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, _g = _rngs("fax", seed, i)
        h, w = page.shape[:2]
        kx, ky = 204 / sample.dpi, 98 / sample.dpi
        small = (
            cv2.resize(
                cv2.cvtColor(page, cv2.COLOR_BGR2GRAY),
                (round(w * kx), round(h * ky)),
                interpolation=cv2.INTER_AREA,
            ).astype(np.float32)
            / 255.0
        )
        sh_, sw = small.shape
        tile = np.tile(_BAYER, (sh_ // 4 + 1, sw // 4 + 1))[:sh_, :sw]
        bw = np.where(small > 0.25 + 0.5 * tile, 255, 0).astype(np.uint8)
        squared = cv2.resize(bw, (sw, sh_ * 2), interpolation=cv2.INTER_NEAREST)
        band = 36
        out = np.full((sh_ * 2 + band, sw), 255, np.uint8)
        out[band:] = squared
        from PIL import Image, ImageDraw

        im = Image.fromarray(out)
        day = f"2026-{r.randint(1, 5):02d}-{r.randint(1, 28):02d}"
        when = f"{day} {r.randint(8, 18):02d}:{r.randint(0, 59):02d}"
        header = f"{when}   FROM: 0571-8{r.randint(1000000, 9999999)}   P.{i + 1:02d}"
        ImageDraw.Draw(im).text((12, 26), header, font=font("zenhei_mono", 20), fill=0, anchor="ls")
        Hm = translate(0, band) @ scale(kx, ky * 2)
        return cv2.cvtColor(np.asarray(im), cv2.COLOR_GRAY2BGR), Hm

    return per_page(sample, one, name="fax_like", dpi=204)


def low_res(sample: Sample, *, seed: int = 0) -> Sample:
    setting = random.Random(f"heldout-low-res-setting:{seed}")
    target = setting.randint(140, 165) if _is_card(sample) else setting.randint(92, 112)
    k = min(1.0, target / sample.dpi)

    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, _g = _rngs("low_res", seed, i)
        h, w = page.shape[:2]
        small = cv2.resize(page, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
        return _jpeg_roundtrip(small, r.randint(55, 70)), scale(k)

    return per_page(sample, one, name="low_res", dpi=round(sample.dpi * k))


# --- quality defects (for applications) ----------------------------------------------------


def blurred(sample: Sample, *, seed: int = 0) -> Sample:
    """A shaken, out-of-focus picture: meant to be refused as ``blurry``."""

    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, _g = _rngs("blurred", seed, i)
        h, w = page.shape[:2]
        sigma = max(w, h) * r.uniform(0.006, 0.009)
        f = cv2.GaussianBlur(page.astype(np.float32), (0, 0), sigma)
        length = max(3, round(sigma * 1.5))
        kern = np.zeros((1, 2 * length + 1), np.float32)
        kern[0, :] = 1.0 / (2 * length + 1)
        f = cv2.filter2D(f, -1, kern)
        return _jpeg_roundtrip(np.clip(f, 0, 255).astype(np.uint8), 80), np.eye(3)

    res = per_page(sample, one, name="blurred")
    return res.with_(expected_issues=(*sample.expected_issues, "blurry"))


def thumbnail(sample: Sample, *, seed: int = 0) -> Sample:
    """A chat-app thumbnail, longest side 150-200 px: meant to be refused as ``too_small``."""
    ks: dict[str, float] = {}

    def one(i: int, page: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r, _g = _rngs("thumbnail", seed, i)
        h, w = page.shape[:2]
        k = r.randint(150, 200) / max(w, h)
        ks["k"] = k
        small = cv2.resize(
            page, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA
        )
        return _jpeg_roundtrip(small, 75), scale(k)

    res = per_page(sample, one, name="thumbnail")
    return res.with_(
        dpi=max(1, round(sample.dpi * ks.get("k", 1.0))),
        expected_issues=(*sample.expected_issues, "too_small"),
    )


CONDITIONS: Mapping[str, Capture] = {
    "clean": clean,
    "scan": scan,
    "photo": photo,
    "photocopy": photocopy,
    "fax_like": fax_like,
    "low_res": low_res,
}


def capture(sample: Sample, condition: str, *, seed: int = 0) -> Sample:
    fn = CONDITIONS.get(condition)
    if fn is None:
        raise ValueError(f"unknown condition {condition!r}; known: {sorted(CONDITIONS)}")
    return fn(sample, seed=seed)
