"""Signatures, fingerprints and seals in the places that must carry them, with their truth.

A clean rendered document is post-processed: each place is found from the printed label its
layout drew (``Sample.texts``), whatever the document's layout; a signature place is cleared
and signed with pen strokes (polylines with pressure, several styles, never a font) and a red
fingerprint, or left empty when the plan says so; a seal place keeps the seal its layout drew
(its name is the document's organisation) or gets the seal of another organisation. Every
place becomes a :class:`~synthdocs.canvas.Mark` in ``Sample.marks``; captures map the boxes
(``synthdocs.degrade``).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw

from .canvas import SEAL_RED, Box, Mark, Sample, TextItem, font
from .paper import fingerprint, seal

#: (doc_type, label pattern, place role, kinds). A label is a text run the layout drew.
_SIGNATURE_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "sale_contract": (
        (r"^(?:出卖人|卖方|转让方|甲方)（签[章字]）", "seller"),
        (r"^(?:买受人|买方|受让方|乙方)（签[章字]）", "buyer"),
    ),
    "power_of_attorney": ((r"^(?:委托人|授权人)（签[章字]）", "principal"),),
}
_SEAL_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "property_certificate": ((r"^登记机构", "registry"),),
}
#: Pen inks: blue-black, black, blue.
_PENS = ((25, 35, 110), (22, 22, 26), (30, 60, 160))
STYLES = ("cursive", "block", "scrawl")


@dataclass(frozen=True)
class MarkPlan:
    """What to draw: ``absent`` places (``"seller[0]"``, ``"buyer"`` for every buyer, ``"*"``
    for every signature place) stay empty; ``seal_org`` replaces the document's seal by one of
    this organisation (a foreign seal).

    For measuring absence (``bench.marks_eval``): ``absent_share`` leaves a deterministic share
    of marks empty, each kind on its own (a place may carry the signature without the
    fingerprint, or neither; a seal place loses its seal), chosen by a hash of the sample's
    seed, place and kind; ``square_share`` redraws that share of the seals as square seals
    (the organisation's name in a grid inside a square frame, as some organisations use)."""

    absent: frozenset[str] = frozenset()
    seal_org: str | None = None
    absent_share: float = 0.0
    square_share: float = 0.0

    def is_absent(self, place: str) -> bool:
        role = place.split("[")[0]
        return "*" in self.absent or place in self.absent or role in self.absent

    def kind_absent(self, place: str, kind: str, *, seed: int, doc_type: str) -> bool:
        """Whether the ``kind`` mark of ``place`` is left empty (``absent`` or drawn by share)."""
        if kind != "seal" and self.is_absent(place):
            return True
        return _share(f"absent:{seed}:{doc_type}:{place}:{kind}") < self.absent_share

    def square(self, *, seed: int, doc_type: str) -> bool:
        return _share(f"square:{seed}:{doc_type}") < self.square_share


def _share(key: str) -> float:
    """A number in [0, 1) fixed by ``key`` (not by Python's salted ``hash``)."""
    import hashlib

    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") / 2**64


FULL = MarkPlan()


def _label_box(t: TextItem) -> Box:
    f = font(t.font, t.size)
    x0, y0, x1, y1 = f.getbbox(t.text, anchor="ls")
    return (round(t.x + x0), round(t.baseline + y0), round(t.x + x1), round(t.baseline + y1))


def _paper_tone(img: np.ndarray, b: Box) -> np.ndarray:
    x0, y0, x1, y1 = b
    patch = img[y0:y1, x0:x1].reshape(-1, 3).astype(np.float32)
    light = patch[patch.sum(axis=1) >= np.percentile(patch.sum(axis=1), 70)]
    return np.median(light, axis=0) if len(light) else np.array([248.0, 248.0, 245.0])


def _clear(img: np.ndarray, b: Box, rs: np.random.Generator) -> None:
    """Paint box ``b`` of an RGB array with the paper tone around it (with its grain)."""
    x0, y0, x1, y1 = b
    if x1 <= x0 or y1 <= y0:
        return
    tone = _paper_tone(img, b)
    noise = rs.normal(0, 1.2, (y1 - y0, x1 - x0, 1)).astype(np.float32)
    img[y0:y1, x0:x1] = np.clip(tone[None, None, :] + noise, 0, 255).astype(np.uint8)


def _stroke_points(style: str, w: float, h: float, rng: random.Random) -> list[list[Point]]:
    """The pen strokes of a signature in a ``w`` × ``h`` box, as polylines."""
    strokes: list[list[Point]] = []
    n_chars = rng.randint(2, 3)
    cw = w / n_chars
    if style == "cursive":
        # one or two long looping strokes through every character cell
        pts: list[Point] = []
        for k in range(n_chars):
            for _ in range(rng.randint(4, 7)):
                pts.append((k * cw + rng.uniform(0.05, 0.95) * cw, rng.uniform(0.15, 0.9) * h))
        split = rng.randint(len(pts) // 2, len(pts)) if rng.random() < 0.4 else len(pts)
        strokes += [pts[:split], pts[split:]] if split < len(pts) else [pts]
    elif style == "block":
        # several short strokes per character: bars, hooks and dots
        for k in range(n_chars):
            for _ in range(rng.randint(3, 6)):
                x, y = k * cw + rng.uniform(0.1, 0.8) * cw, rng.uniform(0.15, 0.85) * h
                ln = rng.uniform(0.25, 0.7) * cw
                a = rng.choice((0.0, math.pi / 2, rng.uniform(0.3, 1.2), rng.uniform(2.0, 2.8)))
                mid = (x + ln / 2 * math.cos(a) + rng.uniform(-2, 2), y + ln / 2 * math.sin(a))
                strokes.append([(x, y), mid, (x + ln * math.cos(a), y + ln * math.sin(a))])
    else:
        # a fast, flat zigzag with a closing flourish
        pts = []
        x = 0.0
        while x < w * 0.9:
            pts.append((x, rng.uniform(0.3, 0.8) * h))
            x += rng.uniform(0.06, 0.16) * w
        pts.append((w * rng.uniform(0.5, 0.9), h * rng.uniform(0.85, 1.0)))
        strokes.append(pts)
    return [s for s in strokes if len(s) >= 2]


Point = tuple[float, float]


def _smooth(pts: Sequence[Point], steps: int = 8) -> list[Point]:
    """Catmull-Rom through ``pts``."""
    if len(pts) < 3:
        return list(pts)
    p = [pts[0], *pts, pts[-1]]
    out: list[Point] = []
    for i in range(1, len(p) - 2):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = p[i - 1], p[i], p[i + 1], p[i + 2]
        for s in range(steps):
            t = s / steps
            t2, t3 = t * t, t * t * t
            out.append(
                (
                    0.5
                    * (
                        2 * x1
                        + (-x0 + x2) * t
                        + (2 * x0 - 5 * x1 + 4 * x2 - x3) * t2
                        + (-x0 + 3 * x1 - 3 * x2 + x3) * t3
                    ),
                    0.5
                    * (
                        2 * y1
                        + (-y0 + y2) * t
                        + (2 * y0 - 5 * y1 + 4 * y2 - y3) * t2
                        + (-y0 + 3 * y1 - 3 * y2 + y3) * t3
                    ),
                )
            )
    out.append(pts[-1])
    return out


def signature(w: int, h: int, *, rng: random.Random, style: str | None = None) -> Image.Image:
    """A handwritten signature (RGBA, transparent around it): pen strokes with pressure (the
    width swells and thins along each stroke) in one of :data:`STYLES`."""
    style = style or rng.choice(STYLES)
    pen = rng.choice(_PENS)
    scale = 3  # drawn large and reduced: smooth edges
    im = Image.new("RGBA", (w * scale, h * scale), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    base = max(1.0, h * rng.uniform(0.045, 0.08)) * scale
    slant = rng.uniform(-0.25, 0.1)
    for stroke in _stroke_points(style, w * 0.92, h * 0.85, rng):
        line = _smooth(stroke)
        phase = rng.uniform(0, math.pi)
        for i in range(len(line) - 1):
            (xa, ya), (xb, yb) = line[i], line[i + 1]
            t = i / max(1, len(line) - 1)
            pressure = 0.45 + 0.55 * math.sin(math.pi * t) * (0.8 + 0.2 * math.sin(9 * t + phase))
            width = max(1, round(base * pressure))
            xa, xb = xa + slant * (h - ya), xb + slant * (h - yb)
            dr.line(
                (
                    (xa + w * 0.04) * scale,
                    (ya + h * 0.07) * scale,
                    (xb + w * 0.04) * scale,
                    (yb + h * 0.07) * scale,
                ),
                fill=(*pen, 255),
                width=width,
            )
            r = width / 2
            cx, cy = (xb + w * 0.04) * scale, (yb + h * 0.07) * scale
            dr.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*pen, 255))
    return im.resize((w, h), Image.Resampling.LANCZOS)


def _paste(img: np.ndarray, im: Image.Image, xy: tuple[int, int]) -> None:
    """Alpha-composite RGBA ``im`` onto RGB array ``img`` at ``xy`` (clipped to the page)."""
    x, y = xy
    h, w = img.shape[:2]
    a = np.asarray(im, np.float32)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + a.shape[1]), min(h, y + a.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    src = a[y0 - y : y1 - y, x0 - x : x1 - x]
    alpha = src[:, :, 3:4] / 255.0
    dst = img[y0:y1, x0:x1].astype(np.float32)
    # ink darkens what is under it (multiply), as pen and stamp ink do
    mixed = dst * (1 - alpha) + np.minimum(dst, src[:, :, :3]) * alpha
    img[y0:y1, x0:x1] = np.clip(mixed, 0, 255).astype(np.uint8)


def _signature_region(label: Box, items: Sequence[Box], page_w: int, mm: float) -> Box:
    """Right of the label, one label line high plus room above and below, up to the next
    printed run on that line (or 48 mm, or the page margin)."""
    x0 = label[2] + 2
    lh = label[3] - label[1]
    y0, y1 = label[1] - round(0.9 * lh) - round(2 * mm), label[3] + round(0.5 * lh) + round(2 * mm)
    x1 = min(page_w - round(8 * mm), x0 + round(48 * mm))
    for b in items:
        # another column's run (a name written in the place is cleared, not a bound)
        if b[0] >= x0 + 25 * mm and b[1] < label[3] and b[3] > label[1]:
            x1 = min(x1, b[0] - round(2 * mm))
    return (x0, max(0, y0), max(x0 + 1, x1), y1)


def _red_box(img: np.ndarray, near: Box, mm: float) -> Box | None:
    """The box of the red ink (a seal) around ``near`` (searched 60 mm right/down, 25 up)."""
    h, w = img.shape[:2]
    x0, y0 = max(0, near[0] - round(10 * mm)), max(0, near[1] - round(25 * mm))
    x1, y1 = min(w, near[2] + round(60 * mm)), min(h, near[3] + round(45 * mm))
    patch = img[y0:y1, x0:x1].astype(np.int16)
    red = (patch[:, :, 0] - np.maximum(patch[:, :, 1], patch[:, :, 2])) > 45
    _ys, xs = np.nonzero(red)
    if len(xs) < 50:
        return None
    # the largest blob, not a stray red serial number
    _n, _lab, stats, _ = cv2.connectedComponentsWithStats(
        cv2.dilate(red.astype(np.uint8), np.ones((9, 9), np.uint8)), connectivity=8
    )
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    bx, by, bw, bh = (int(v) for v in stats[k, :4])
    if bw < 15 * mm or bh < 15 * mm:
        return None
    return (x0 + bx, y0 + by, x0 + bx + bw, y0 + by + bh)


def _erase_red(img: np.ndarray, b: Box) -> None:
    x0, y0, x1, y1 = b
    patch = img[y0:y1, x0:x1].astype(np.int16)
    redness = patch[:, :, 0] - np.maximum(patch[:, :, 1], patch[:, :, 2])
    tone = _paper_tone(img, b)
    # pure red ink back to paper; red over black text keeps the text's darkness
    m = redness > 12
    dark = patch.min(axis=2) < 90
    out = patch.copy()
    out[m & ~dark] = tone.astype(np.int16)
    out[m & dark] = np.repeat(patch.min(axis=2)[m & dark][:, None], 3, axis=1)
    img[y0:y1, x0:x1] = out.astype(np.uint8)


def _erase_seal(img: np.ndarray, b: Box) -> None:
    """Take a seal off the page (an absent seal, or one redrawn square): unlike
    :func:`_erase_red` (under a foreign seal drawn over it) no dark ring is left behind."""
    x0, y0, x1, y1 = b
    patch = img[y0:y1, x0:x1].astype(np.int16)
    redness = patch[:, :, 0] - np.maximum(patch[:, :, 1], patch[:, :, 2])
    tone = _paper_tone(img, b)
    m = redness > 12
    # the red channel is what the ink left of the page under it (red ink keeps it high): low
    # where printed text is under the seal, which keeps that darkness; pure ink goes to paper
    under = patch[:, :, 0]
    dark = under < 170
    out = patch.copy()
    out[m & ~dark] = tone.astype(np.int16)
    out[m & dark] = np.repeat(under[m & dark][:, None], 3, axis=1)
    img[y0:y1, x0:x1] = out.astype(np.uint8)


def square_seal(text: str, *, side: int, rng: random.Random) -> Image.Image:
    """A square red seal (RGBA): a double frame and the organisation's name in columns read
    right to left, uneven ink, slightly rotated."""
    im = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    dr = ImageDraw.Draw(im)
    ring = max(3, side // 22)
    dr.rectangle((ring // 2, ring // 2, side - 1 - ring // 2, side - 1 - ring // 2),
                 outline=(*SEAL_RED, 255), width=ring)  # fmt: skip
    chars = list(text) or ["印"]
    cols = 3 if len(chars) > 6 else 2
    rows = math.ceil(len(chars) / cols)
    inner = side - 4 * ring
    cw, ch = inner / cols, inner / rows
    size = max(8, int(max(cw, ch)))
    f = font("sans_bold", size)
    for i, c in enumerate(chars):
        col, row = i // rows, i % rows
        x = 2 * ring + inner - (col + 0.5) * cw
        y = 2 * ring + (row + 0.5) * ch
        glyph = Image.new("RGBA", (size, size), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (size / 2, size / 2), c, font=f, fill=(*SEAL_RED, 255), anchor="mm"
        )
        # squeezed into its cell, as a seal's engraver fits the characters
        glyph = glyph.resize((max(1, round(cw * 0.92)), max(1, round(ch * 0.92))))
        im.alpha_composite(glyph, (int(x - glyph.width / 2), int(y - glyph.height / 2)))
    alpha = np.asarray(im.getchannel("A"), np.float32)
    rs = np.random.default_rng(rng.randint(0, 2**31))
    coarse = rs.uniform(0.55, 1.0, (side // 12 + 1, side // 12 + 1)).astype(np.float32)
    blot = cv2.resize(coarse, (side, side), interpolation=cv2.INTER_LINEAR)
    im.putalpha(Image.fromarray((alpha * blot * 0.85).astype(np.uint8)))
    return im.rotate(rng.uniform(-8, 8), resample=Image.Resampling.BICUBIC, expand=True)


def organ_of(sample: Sample) -> str | None:
    """The organisation whose seal the document should carry (property certificate: the
    registry's 自然资源和规划局, as the renderers draw it)."""
    facts = sample.facts
    registry = getattr(facts, "registry", None)
    if sample.doc_type == "property_certificate" and registry:
        return f"{registry}自然资源和规划局"
    return None


def apply(sample: Sample, *, seed: int, plan: MarkPlan = FULL) -> Sample:
    """``sample`` (a clean render) with its mark places signed or left empty per ``plan``
    and ``Sample.marks`` filled. A sample without text runs or places is returned as is."""
    if not sample.texts or sample.doc_type not in (*_SIGNATURE_LABELS, *_SEAL_LABELS):
        return sample
    rng = random.Random(f"marks:{seed}:{sample.doc_type}")
    rs = np.random.default_rng(rng.randint(0, 2**31))
    mm = sample.dpi / 25.4
    pages = [np.ascontiguousarray(p[:, :, ::-1]) for p in sample.pages]  # BGR → RGB
    bgs = [np.ascontiguousarray(p[:, :, ::-1]) for p in sample.backgrounds]
    marks: list[Mark] = []
    cleared: list[tuple[int, Box]] = []
    boxes_by_page: dict[int, list[Box]] = {}
    for t in sample.texts:
        boxes_by_page.setdefault(t.page, []).append(_label_box(t))
    counters: dict[str, int] = {}
    style = rng.choice(STYLES)
    for t in sorted(sample.texts, key=lambda t: (t.page, t.baseline, t.x)):
        for rx, role in _SIGNATURE_LABELS.get(sample.doc_type, ()):
            if not re.match(rx, t.text):
                continue
            i = counters.get(role, 0)
            counters[role] = i + 1
            place = f"{role}[{i}]" if sample.doc_type == "sale_contract" else role
            lb = _label_box(t)
            page = pages[t.page]
            region = _signature_region(lb, boxes_by_page[t.page], page.shape[1], mm)
            _clear(page, region, rs)
            if t.page < len(bgs):
                _clear(bgs[t.page], region, rs)
            cleared.append((t.page, region))
            sig_present = not plan.kind_absent(
                place, "signature", seed=seed, doc_type=sample.doc_type
            )
            fp_present = not plan.kind_absent(
                place, "fingerprint", seed=seed, doc_type=sample.doc_type
            )
            if sig_present or fp_present:
                rw, rh = region[2] - region[0], region[3] - region[1]
                sw = round(min(rw * 0.7, rng.uniform(22, 32) * mm))
                sh = round(min(rh * 0.9, rng.uniform(9, 12) * mm))
                sx = region[0] + round(rng.uniform(0, 0.1) * rw)
                sy = region[1] + round((rh - sh) * rng.uniform(0.3, 0.7))
                sig = signature(sw, sh, rng=rng, style=style)
                fp = fingerprint(
                    round(rng.uniform(8, 10) * mm), round(rng.uniform(11, 13) * mm), rng=rng
                )
                fx = min(region[2] - fp.width, sx + sw + round(rng.uniform(-6, 1) * mm))
                fy = region[1] + round(rng.uniform(0.0, 0.3) * (rh - fp.height))
                for target in (page, *(bgs[t.page : t.page + 1])):
                    if sig_present:
                        _paste(target, sig, (sx, sy))
                    if fp_present:
                        _paste(target, fp, (fx, fy))
            box = region
            marks.append(Mark("signature", place, t.page, box, present=sig_present))
            marks.append(Mark("fingerprint", place, t.page, box, present=fp_present))
        for rx, role in _SEAL_LABELS.get(sample.doc_type, ()):
            if not re.match(rx, t.text) or role in counters:
                continue
            counters[role] = 1
            expected = organ_of(sample)
            page = pages[t.page]
            lb = _label_box(t)
            rb = _red_box(page, lb, mm)
            org = expected
            if (
                rb is not None
                and plan.seal_org is None
                and plan.kind_absent(role, "seal", seed=seed, doc_type=sample.doc_type)
            ):
                for target in (page, *(bgs[t.page : t.page + 1])):
                    _erase_seal(target, rb)
                marks.append(Mark("seal", role, t.page, rb, present=False, expected_org=expected))
                continue
            if rb is not None and expected and plan.square(seed=seed, doc_type=sample.doc_type):
                # the same organisation's seal, square (a foreign seal stays round below)
                for target in (page, *(bgs[t.page : t.page + 1])):
                    _erase_seal(target, rb)
                side = round(rng.uniform(30, 38) * mm)
                im = square_seal(plan.seal_org or expected, side=side, rng=rng)
                cx, cy = (rb[0] + rb[2]) // 2, (rb[1] + rb[3]) // 2
                for target in (page, *(bgs[t.page : t.page + 1])):
                    _paste(target, im, (cx - im.width // 2, cy - im.height // 2))
                rb = (
                    cx - im.width // 2,
                    cy - im.height // 2,
                    cx + im.width // 2,
                    cy + im.height // 2,
                )
                if plan.seal_org is None:
                    marks.append(Mark("seal", role, t.page, rb, org=org, expected_org=expected))
                    continue
            if plan.seal_org is not None and rb is not None:
                org = plan.seal_org
                for target in (page, *(bgs[t.page : t.page + 1])):
                    _erase_red(target, rb)
                d = round(rng.uniform(36, 42) * mm)
                im = seal(plan.seal_org, diameter=d, rng=rng, center="不动产登记专用章")
                cx, cy = (rb[0] + rb[2]) // 2, (rb[1] + rb[3]) // 2
                for target in (page, *(bgs[t.page : t.page + 1])):
                    _paste(target, im.convert("RGBA"), (cx - im.width // 2, cy - im.height // 2))
                rb = (cx - d // 2, cy - d // 2, cx + d // 2, cy + d // 2)
            if rb is None:
                rb = (lb[0], lb[1] - round(12 * mm), lb[0] + round(50 * mm), lb[3] + round(30 * mm))
                marks.append(Mark("seal", role, t.page, rb, present=False, expected_org=expected))
            else:
                marks.append(Mark("seal", role, t.page, rb, org=org, expected_org=expected))
    if not marks:
        return sample

    def kept(t: TextItem) -> bool:
        # a name written in the place by the layout is gone with what was cleared
        b = _label_box(t)
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return not any(t.page == p and r[0] <= cx < r[2] and r[1] <= cy < r[3] for p, r in cleared)

    return sample.with_(
        pages=tuple(np.ascontiguousarray(p[:, :, ::-1]) for p in pages),
        backgrounds=tuple(np.ascontiguousarray(p[:, :, ::-1]) for p in bgs),
        texts=tuple(t for t in sample.texts if kept(t)),
        marks=tuple(marks),
    )


def other_registry_organ(organ: str, rng: random.Random) -> str:
    """A registration organ other than ``organ`` (for a foreign seal)."""
    pool = (
        "杭州市",
        "宁波市",
        "温州市",
        "嘉兴市",
        "湖州市",
        "绍兴市",
        "金华市",
        "台州市",
        "丽水市",
    )
    choices = [c for c in pool if not organ.startswith(c)]
    return f"{rng.choice(choices)}自然资源和规划局"
