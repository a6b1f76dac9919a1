"""Photo-like degradations. Each takes a :class:`Sample` and a seed and returns a new Sample whose
pages are degraded and whose golden boxes went through the same geometry.

Geometry is a 3×3 homography per page mapping continuous coordinates of the input page to the
output page (pixel (i, j) covers [i, i+1) × [j, j+1)). Quads are mapped exactly; ``box`` is the
axis-aligned hull of the mapped quad clipped to the image. A box mapped entirely outside the image
is dropped from ``boxes`` (the field is no longer visible); ``fields`` keep the printed truth.
``expected_issues`` accumulates the CONTRACT quality codes the degradation is meant to cause.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace

import cv2
import numpy as np

from .canvas import FieldBox, Quad, Sample, box_quad
from .paper import desk

Homography = np.ndarray  # 3×3 float64
PageOp = Callable[[np.ndarray, random.Random], tuple[np.ndarray, Homography]]


def map_quad(quad: Quad, h: Homography) -> Quad:
    pts = np.array(quad, np.float64).reshape(-1, 1, 2)
    out = cv2.perspectiveTransform(pts, h).reshape(-1, 2)
    return tuple((float(x), float(y)) for x, y in out)  # type: ignore[return-value]


def _hull(quad: Quad, w: int, h: int) -> tuple[int, int, int, int] | None:
    xs = [p[0] for p in quad]
    ys = [p[1] for p in quad]
    x0, y0 = max(0, int(np.floor(min(xs)))), max(0, int(np.floor(min(ys))))
    x1, y1 = min(w, int(np.ceil(max(xs)))), min(h, int(np.ceil(max(ys))))
    if x1 <= x0 or y1 <= y0:
        return None
    return (x0, y0, x1, y1)


def _apply(
    sample: Sample, op: PageOp, *, name: str, seed: int, issues: tuple[str, ...] = ()
) -> Sample:
    pages: list[np.ndarray] = []
    hs: list[Homography] = []
    for i, page in enumerate(sample.pages):
        rng = random.Random(f"{name}:{seed}:{i}")
        out, h = op(page, rng)
        pages.append(np.ascontiguousarray(out))
        hs.append(h)
    boxes: dict[str, FieldBox] = {}
    for key, fb in sample.boxes.items():
        quad = map_quad(fb.quad, hs[fb.page])
        ph, pw = pages[fb.page].shape[:2]
        hull = _hull(quad, pw, ph)
        if hull is not None:
            mapped = (_hull(map_quad(box_quad(b), hs[fb.page]), pw, ph) for b in fb.parts)
            parts = tuple(b for b in mapped if b is not None)
            boxes[key] = FieldBox(fb.page, hull, quad, parts)
    merged = tuple(dict.fromkeys(sample.expected_issues + issues))
    marks = []
    for m in sample.marks:
        ph, pw = pages[m.page].shape[:2]
        hull = _hull(map_quad(box_quad(m.box), hs[m.page]), pw, ph)
        if hull is not None:
            # grey toner: a seal (and any red ink) on a photocopy is a copy's
            marks.append(replace(m, box=hull, copy=m.copy or name == "photocopy"))
    return sample.with_(
        pages=tuple(pages),
        boxes=boxes,
        marks=tuple(marks),
        degradations=(*sample.degradations, name),
        expected_issues=merged,
        backgrounds=(),
        texts=(),
    )


# ---------------------------------------------------------------------------------------------
# exact rotations
# ---------------------------------------------------------------------------------------------


def _rot(k: int) -> PageOp:
    """k quarter turns clockwise."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        h, w = img.shape[:2]
        if k == 1:
            return cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE), np.array(
                [[0, -1, h], [1, 0, 0], [0, 0, 1]], np.float64
            )
        if k == 2:
            return cv2.rotate(img, cv2.ROTATE_180), np.array(
                [[-1, 0, w], [0, -1, h], [0, 0, 1]], np.float64
            )
        return cv2.rotate(img, cv2.ROTATE_90_COUNTERCLOCKWISE), np.array(
            [[0, 1, 0], [-1, 0, w], [0, 0, 1]], np.float64
        )

    return op


def rotate90(sample: Sample, *, seed: int = 0) -> Sample:
    """The page turned a quarter clockwise (a phone held sideways)."""
    return _apply(sample, _rot(1), name="rotate90", seed=seed)


def rotate180(sample: Sample, *, seed: int = 0) -> Sample:
    return _apply(sample, _rot(2), name="rotate180", seed=seed)


def rotate270(sample: Sample, *, seed: int = 0) -> Sample:
    """The page turned a quarter counter-clockwise."""
    return _apply(sample, _rot(3), name="rotate270", seed=seed)


# ---------------------------------------------------------------------------------------------
# photo on a desk
# ---------------------------------------------------------------------------------------------


def _jpeg_roundtrip(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:  # pragma: no cover - OpenCV always encodes uint8 BGR
        raise RuntimeError("JPEG encoding failed")
    out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    assert out is not None
    return np.asarray(out)


def _noise(shape: tuple[int, ...], rng: random.Random, sigma: float) -> np.ndarray:
    """Sensor noise: a seeded 256-px tile repeated (drawing every pixel costs 10× more)."""
    tile = np.random.default_rng(rng.randint(0, 2**31)).standard_normal(
        (256, 256, shape[2]), dtype=np.float32
    )
    reps = (shape[0] // 256 + 1, shape[1] // 256 + 1, 1)
    return np.tile(tile * sigma, reps)[: shape[0], : shape[1]]


def _lighting(h: int, w: int, rng: random.Random, strength: float) -> np.ndarray:
    """A smooth gain map (linear fall-off plus a broad hot spot), computed small and upscaled."""
    sh, sw = max(2, h // 16), max(2, w // 16)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    ang = rng.uniform(0, 2 * np.pi)
    lin = ((xx / sw - 0.5) * np.cos(ang) + (yy / sh - 0.5) * np.sin(ang)) * strength
    cx, cy = rng.uniform(0.2, 0.8) * sw, rng.uniform(0.2, 0.8) * sh
    rad = np.exp(-(((xx - cx) / (0.7 * sw)) ** 2 + ((yy - cy) / (0.7 * sh)) ** 2))
    small = (1.0 - strength / 2 + lin + strength * 0.5 * rad).astype(np.float32)
    return np.asarray(cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))


def _photo_op(*, off_frame: float = 0.0, side: str | None = None) -> PageOp:
    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        h, w = img.shape[:2]
        margin = rng.uniform(1.22, 1.45)
        ow, oh = int(w * margin), int(h * margin)
        scale = rng.uniform(0.92, 1.0)
        ang = np.radians(rng.uniform(-5, 5))
        cx, cy = ow / 2 + rng.uniform(-0.04, 0.04) * ow, oh / 2 + rng.uniform(-0.04, 0.04) * oh
        if off_frame:
            # push the document over one edge so a part of it is cut off
            edge = side or rng.choice(("left", "right", "top", "bottom"))
            shift_x = w * scale * (0.5 - off_frame)
            shift_y = h * scale * (0.5 - off_frame)
            if edge == "left":
                cx = shift_x
            elif edge == "right":
                cx = ow - shift_x
            elif edge == "top":
                cy = shift_y
            else:
                cy = oh - shift_y
        src = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        c, s = np.cos(ang), np.sin(ang)
        dst = []
        for x, y in src:
            px, py = (x - w / 2) * scale, (y - h / 2) * scale
            jx = rng.uniform(-0.035, 0.035) * w
            jy = rng.uniform(-0.035, 0.035) * h
            dst.append((cx + px * c - py * s + jx, cy + px * s + py * c + jy))
        hmat = cv2.getPerspectiveTransform(src, np.array(dst, np.float32)).astype(np.float64)
        background = desk(ow, oh, rng=rng)[:, :, ::-1]  # RGB → BGR
        warped = cv2.warpPerspective(img, hmat, (ow, oh), flags=cv2.INTER_LINEAR)
        mask = cv2.warpPerspective(
            np.full((h, w), 255, np.uint8), hmat, (ow, oh), flags=cv2.INTER_LINEAR
        )
        # soft shadow under the document, offset towards the bottom-right
        shift = np.array([[1, 0, 0.006 * ow], [0, 1, 0.006 * oh]], np.float64)
        shadow = cv2.warpAffine(mask, shift, (ow, oh))
        shadow = cv2.GaussianBlur(shadow, (0, 0), sigmaX=max(3.0, 0.01 * ow))
        m = mask.astype(np.float32) * (1 / 255.0)
        shade = 1.0 - shadow.astype(np.float32) * (0.35 / 255.0)
        base = cv2.multiply(background.astype(np.float32), cv2.merge([shade] * 3))
        out = cv2.blendLinear(warped.astype(np.float32), base, m, 1.0 - m)
        light = _lighting(oh, ow, rng, rng.uniform(0.15, 0.3))
        cast = [rng.uniform(0.95, 1.03) for _ in range(3)]
        out = cv2.multiply(out, cv2.merge([light * k for k in cast]))
        out = cv2.convertScaleAbs(out)  # saturating cast to uint8
        out = cv2.GaussianBlur(out, (0, 0), sigmaX=rng.uniform(0.5, 0.9))
        out = cv2.add(out, _noise(out.shape, rng, rng.uniform(1.5, 3.0)), dtype=cv2.CV_8U)
        return _jpeg_roundtrip(out, rng.randint(70, 85)), hmat

    return op


def photo(sample: Sample, *, seed: int = 0) -> Sample:
    """A phone photo: perspective-warped and rotated (±5°) onto a textured desk, uneven light,
    colour cast, slight blur, sensor noise and JPEG q 70-85. Still readable (no issue expected)."""
    return _apply(sample, _photo_op(), name="photo", seed=seed)


def scan(sample: Sample, *, seed: int = 0, max_skew: float = 1.5) -> Sample:
    """A flatbed scan: the page slightly skewed (≤ ``max_skew`` degrees) on a white bed with a
    small margin, mild blur and grain, JPEG q 88-95. Still clean (no issue expected)."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        h, w = img.shape[:2]
        pad = int(0.02 * max(w, h))
        ow, oh = w + 2 * pad, h + 2 * pad
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-max_skew, max_skew), 1.0)
        rot = np.asarray(rot, np.float64)
        rot[0, 2] += pad + rng.uniform(-0.3, 0.3) * pad
        rot[1, 2] += pad + rng.uniform(-0.3, 0.3) * pad
        hmat = np.vstack([rot, [0.0, 0.0, 1.0]])
        bed = rng.randint(238, 252)
        out = cv2.warpAffine(
            img, rot, (ow, oh), flags=cv2.INTER_LINEAR, borderValue=(bed, bed, bed)
        )
        out = cv2.GaussianBlur(out, (0, 0), sigmaX=rng.uniform(0.3, 0.6))
        out = cv2.add(out, _noise(out.shape, rng, rng.uniform(0.8, 1.6)), dtype=cv2.CV_8U)
        return _jpeg_roundtrip(out, rng.randint(88, 95)), hmat

    return _apply(sample, op, name="scan", seed=seed)


def photocopy(sample: Sample, *, seed: int = 0) -> Sample:
    """A photocopy scanned back: grey toner (the red seal turns grey), contrast pushed so the
    paper greys and thin strokes thin out, toner specks, a drum streak, a dark band along an
    edge where the lid did not close, skew ≤ 1°, JPEG q 80-92. Still readable (no issue)."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        h, w = img.shape[:2]
        pad = int(0.015 * max(w, h))
        ow, oh = w + 2 * pad, h + 2 * pad
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-1.0, 1.0), 1.0)
        rot = np.asarray(rot, np.float64)
        rot[0, 2] += pad + rng.uniform(-0.4, 0.4) * pad
        rot[1, 2] += pad + rng.uniform(-0.4, 0.4) * pad
        hmat = np.vstack([rot, [0.0, 0.0, 1.0]])
        grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        grey = cv2.warpAffine(grey, rot, (ow, oh), flags=cv2.INTER_LINEAR, borderValue=255)
        lo, hi = rng.uniform(25, 60), rng.uniform(205, 235)
        gamma = rng.uniform(0.85, 1.25)
        paper = rng.uniform(222, 246)
        g = np.clip((grey.astype(np.float32) - lo) / (hi - lo), 0, 1) ** gamma * paper
        rs = np.random.default_rng(rng.randint(0, 2**31))
        n = int(ow * oh * rng.uniform(0.0001, 0.0004))  # toner specks, 1-3 px
        specks = np.zeros((oh, ow), np.uint8)
        specks[rs.integers(0, oh, n), rs.integers(0, ow, n)] = 1
        specks = cv2.dilate(specks, np.ones((2, 2), np.uint8), iterations=rng.randint(0, 1))
        g = np.where(specks > 0, g * rng.uniform(0.2, 0.5), g)
        for _ in range(rng.randint(0, 2)):  # drum streaks: faint full-height lines
            x = rng.randint(0, ow - 4)
            g[:, x : x + rng.randint(1, 3)] *= rng.uniform(0.82, 0.93)
        band = rng.uniform(0.02, 0.05)
        edge = rng.choice(("left", "right", "top", "bottom"))
        if edge in ("left", "right"):
            ramp = np.clip(1 - np.arange(ow, dtype=np.float32) / (band * ow), 0, 1)
            ramp = ramp if edge == "left" else ramp[::-1]
            g *= 1 - 0.65 * ramp[None, :]
        else:
            ramp = np.clip(1 - np.arange(oh, dtype=np.float32) / (band * oh), 0, 1)
            ramp = ramp if edge == "top" else ramp[::-1]
            g *= 1 - 0.65 * ramp[:, None]
        out = np.clip(g, 0, 255).astype(np.uint8)
        out = cv2.GaussianBlur(out, (0, 0), sigmaX=rng.uniform(0.35, 0.7))
        out = cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)
        out = cv2.add(out, _noise(out.shape, rng, rng.uniform(1.0, 2.0)), dtype=cv2.CV_8U)
        return _jpeg_roundtrip(out, rng.randint(80, 92)), hmat

    return _apply(sample, op, name="photocopy", seed=seed)


def cropped(sample: Sample, *, seed: int = 0, cut: float = 0.25, side: str | None = None) -> Sample:
    """A photo with ``cut`` (fraction, 0.1-0.5) of the document beyond one image edge;
    ``side`` (left/right/top/bottom) defaults to one chosen by the seed."""
    if side not in (None, "left", "right", "top", "bottom"):
        raise ValueError("side must be left, right, top or bottom")
    return _apply(
        sample,
        _photo_op(off_frame=cut, side=side),
        name="cropped",
        seed=seed,
        issues=("cropped",),
    )


# ---------------------------------------------------------------------------------------------
# quality defects
# ---------------------------------------------------------------------------------------------

_IDENTITY = np.eye(3, dtype=np.float64)


def blur(sample: Sample, *, seed: int = 0, strong: bool = True) -> Sample:
    """Gaussian + slight motion blur. ``strong`` makes text unreadable (expects ``blurry``)."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        short = min(img.shape[:2])
        sigma = (rng.uniform(0.006, 0.009) if strong else rng.uniform(0.0015, 0.002)) * short
        out = cv2.GaussianBlur(img, (0, 0), sigmaX=sigma)
        k = max(3, int(sigma * 2) | 1)
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        out = cv2.filter2D(out, -1, kernel)
        return out, _IDENTITY

    return _apply(
        sample,
        op,
        name="blur" if strong else "soft_blur",
        seed=seed,
        issues=("blurry",) if strong else (),
    )


def tiny(sample: Sample, *, seed: int = 0, width: int | None = None) -> Sample:
    """Downscaled until text is a few pixels high (expects ``too_small``)."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        h, w = img.shape[:2]
        tw = width or rng.randint(150, 200) * (2 if w > 1100 else 1)
        f = tw / w
        th = max(1, round(h * f))
        out = cv2.resize(img, (tw, th), interpolation=cv2.INTER_AREA)
        return out, np.array([[tw / w, 0, 0], [0, th / h, 0], [0, 0, 1]], np.float64)

    return _apply(sample, op, name="tiny", seed=seed, issues=("too_small",))


def dark(sample: Sample, *, seed: int = 0) -> Sample:
    """Underexposed (mean luminance ≈ 30-45 of 255) with noise (expects ``too_dark``)."""

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        gamma, gain = rng.uniform(1.6, 2.0), rng.uniform(40, 55)
        lut = np.clip((np.arange(256) / 255.0) ** gamma * gain, 0, 255).astype(np.uint8)
        out = cv2.LUT(img, lut)
        return cv2.add(out, _noise(out.shape, rng, 2.5), dtype=cv2.CV_8U), _IDENTITY

    return _apply(sample, op, name="dark", seed=seed, issues=("too_dark",))


def glare(sample: Sample, *, seed: int = 0, over: str | None = None) -> Sample:
    """A specular hot spot (saturated white) over a field value, by default the first field
    on each page that has boxes (expects ``glare``)."""
    first_keys: dict[int, str] = {}
    for key, fb in sample.boxes.items():
        if over is None or key == over:
            first_keys.setdefault(fb.page, key)
    index = {"page": 0}

    def op(img: np.ndarray, rng: random.Random) -> tuple[np.ndarray, Homography]:
        page = index["page"]
        index["page"] += 1
        h, w = img.shape[:2]
        key = first_keys.get(page)
        if key is not None:
            x0, y0, x1, y1 = sample.boxes[key].box
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        else:
            cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        rx, ry = rng.uniform(0.18, 0.25) * w, rng.uniform(0.10, 0.16) * h
        d = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2
        spot = np.clip(1.6 * np.exp(-d * 1.2), 0, 1)[..., None]
        out = img.astype(np.float32) * (1 - spot) + 255 * spot
        return np.clip(out, 0, 255).astype(np.uint8), _IDENTITY

    return _apply(sample, op, name="glare", seed=seed, issues=("glare",))


DEGRADATIONS: dict[str, Callable[..., Sample]] = {
    "scan": scan,
    "photo": photo,
    "photocopy": photocopy,
    "rotate90": rotate90,
    "rotate180": rotate180,
    "rotate270": rotate270,
    "blur": blur,
    "tiny": tiny,
    "dark": dark,
    "glare": glare,
    "cropped": cropped,
}
