"""A page being drawn by this family: print with golden boxes, the places marks go (drawn
after all print, each from its own random stream, so a page is the same print with or without
its marks), the things printed in an empty place that are not marks, and the Sample."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw

from ..canvas import Box, FieldBox, Mark, Sample, box_quad, line_parts, union
from . import faces
from .pen import Ink, signature
from .prints import fingerprint
from .stamp import seal

RGB = tuple[int, int, int]
PRINT: RGB = (24, 24, 26)
DPI = 150
A4 = (1240, 1754)


@dataclass
class Place:
    """Where one mark goes: ``area`` is the place on the form; ``present`` whether drawn."""

    kind: str
    place: str
    area: Box
    present: bool
    name: str = ""  # the signer's name (signatures)
    org: str | None = None  # the organ a seal names
    expected_org: str | None = None
    lean: Box | None = None  # a present fingerprint may press over this signature area


class Sheet:
    def __init__(self, size: tuple[int, int], *, index: int, paper: RGB = (251, 250, 247)):
        self.index = index
        self.img = Image.new("RGB", size, paper)
        self.draw = ImageDraw.Draw(self.img)
        self.boxes: dict[str, list[Box]] = {}
        self.places: list[Place] = []

    @property
    def width(self) -> int:
        return self.img.width

    @property
    def height(self) -> int:
        return self.img.height

    # print ------------------------------------------------------------------------------------
    def text(
        self,
        x: float,
        top: float,
        s: str,
        *,
        size: int,
        chain: str = "sung",
        fill: RGB = PRINT,
        key: str | None = None,
        bold: int = 0,
    ) -> Box:
        face = faces.pick(faces.PRINT[chain], s)
        f = faces.font(face, size)
        base = top + 0.88 * size
        self.draw.text(
            (x, base), s, font=f, fill=fill, anchor="ls", stroke_width=bold, stroke_fill=fill
        )
        x0, y0, x1, y1 = self.draw.textbbox((x, base), s, font=f, anchor="ls", stroke_width=bold)
        b = (int(x0), int(y0), math.ceil(x1) + 1, math.ceil(y1) + 1)
        if key is not None:
            self.boxes.setdefault(key, []).append(b)
        return b

    def width_of(self, s: str, *, size: int, chain: str = "sung", bold: int = 0) -> float:
        face = faces.pick(faces.PRINT[chain], s)
        return float(faces.font(face, size).getlength(s)) + 2 * bold

    def spans(
        self,
        x0: float,
        x1: float,
        y: float,
        spans: Sequence[tuple[str, str | None]],
        *,
        size: int,
        chain: str = "sung",
        leading: float = 1.75,
        indent: float = 2.0,
    ) -> float:
        """A paragraph of ``(text, key)`` spans wrapped between x0 and x1 from ``y``; a keyed
        span is never broken. Returns the y below it."""
        x = x0 + indent * size
        for text, key in spans:
            pieces = [text] if key is not None else list(text)
            for piece in pieces:
                w = self.width_of(piece, size=size, chain=chain)
                if x + w > x1 and piece not in "，。；：、）":
                    x = x0
                    y += size * leading
                self.text(x, y, piece, size=size, chain=chain, key=key)
                x += w
        return y + size * leading

    def line(self, xy: Sequence[float], *, fill: RGB = PRINT, width: int = 1) -> None:
        self.draw.line(list(xy), fill=fill, width=width)

    def rect(self, b: Sequence[float], *, outline: RGB = PRINT, width: int = 1) -> None:
        self.draw.rectangle(list(b), outline=outline, width=width)

    def dotted(self, x0: float, x1: float, y: float, *, fill: RGB = (70, 70, 70)) -> None:
        x = x0
        while x < x1:
            self.draw.ellipse((x, y - 1, x + 2, y + 1), fill=fill)
            x += 6

    def blend(self, alpha: np.ndarray, colour: RGB, x: int, y: int) -> Box | None:
        """``alpha`` laid at (x, y) as ink multiplied onto the page; returns its ink box."""
        h, w = alpha.shape
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(self.width, x + w), min(self.height, y + h)
        if x1 <= x0 or y1 <= y0:
            return None
        a = alpha[y0 - y : y1 - y, x0 - x : x1 - x]
        ys, xs = np.nonzero(a)
        if xs.size == 0:
            return None
        arr = np.asarray(self.img, dtype=np.float32)
        region = arr[y0:y1, x0:x1]
        c = np.array(colour, np.float32) / 255.0
        region *= 1.0 - a[..., None] * (1.0 - c)
        self.img = Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8))
        self.draw = ImageDraw.Draw(self.img)
        return (
            x0 + int(xs.min()),
            y0 + int(ys.min()),
            x0 + int(xs.max()) + 1,
            y0 + int(ys.max()) + 1,
        )

    # things printed in a place that are not marks ----------------------------------------------
    def tempt(self, area: Box, kind: str, rng: random.Random) -> None:
        """Print in ``area`` what a blank form and a worn sheet leave there: a hint, a dotted
        leader, a printed frame, a light stain, a fold, small print close by."""
        x0, y0, x1, y1 = area
        picks = rng.sample(("hint", "leader", "frame", "stain", "fold", "close"), rng.randint(0, 2))
        for p in picks:
            if p == "hint":
                hint = (
                    rng.choice(("（签字）", "（签名）", "签字处"))
                    if kind == "signature"
                    else (rng.choice(("（指印）", "指印", "（捺印）", "按手印")))
                )
                size = max(12, (y1 - y0) // 5)
                self.text(
                    x0 + (x1 - x0) * rng.uniform(0.15, 0.45),
                    (y0 + y1) / 2 - size / 2,
                    hint,
                    size=size,
                    chain="thin",
                    fill=(120, 120, 120),
                )
            elif p == "leader":
                self.dotted(x0 + 4, x1 - 4, y1 - rng.randint(6, 14))
            elif p == "frame" and kind == "fingerprint":
                m = rng.randint(4, 10)
                self.rect((x0 + m, y0 + m, x1 - m, y1 - m), outline=(90, 90, 90))
            elif p == "stain":
                h, w = y1 - y0, x1 - x0
                yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
                cx, cy = w * rng.uniform(0.3, 0.7), h * rng.uniform(0.3, 0.7)
                r = min(w, h) * rng.uniform(0.25, 0.45)
                d = np.sqrt((xx - cx) ** 2 + ((yy - cy) * rng.uniform(0.8, 1.3)) ** 2) / r
                ring = np.exp(-((d - 1.0) ** 2) / 0.02) * 0.5 + (d < 1) * 0.5
                a = (ring * rng.uniform(0.1, 0.22)).astype(np.float32)
                a[a < 0.01] = 0
                self.blend(a, (196, 176, 146), x0, y0)
            elif p == "fold":
                yy = rng.randint(y0 + 4, y1 - 4)
                self.line(
                    (0, yy, self.width, yy + rng.randint(-3, 3)), fill=(214, 214, 212), width=2
                )
                self.line((0, yy + 2, self.width, yy + 2), fill=(236, 236, 234), width=1)
            elif p == "close":
                self.text(
                    x0 + 2,
                    y0 + 1,
                    rng.choice(("本人已阅读并同意以上条款", "以下由本人填写", "请用黑色签字笔")),
                    size=13,
                    chain="thin",
                    fill=(80, 80, 80),
                )

    # marks --------------------------------------------------------------------------------------
    def place(self, p: Place, rng: random.Random, *, tempt: bool = True) -> None:
        if tempt:
            self.tempt(p.area, p.kind, rng)
        self.places.append(p)

    def lay_marks(self, seed: int, doc_type: str) -> list[Mark]:
        marks = []
        signed = {
            p.area for p in self.places if p.kind == "signature" and p.present
        }  # areas that carry ink a print may press over
        for p in self.places:
            box = p.area
            if p.present:
                r = random.Random(f"heldout7-ink|{seed}|{doc_type}|{p.place}|{p.kind}")
                ink_box = self._ink(p, r, signed)
                box = _pad(ink_box or p.area, 2, self.width, self.height)
            marks.append(
                Mark(
                    kind=p.kind,
                    place=p.place,
                    page=self.index,
                    box=box,
                    present=p.present,
                    org=p.org if (p.kind == "seal" and p.present) else None,
                    expected_org=p.expected_org,
                )
            )
        return marks

    def _ink(self, p: Place, r: random.Random, signed: set[Box]) -> Box | None:
        x0, y0, x1, y1 = p.area
        w, h = x1 - x0, y1 - y0
        if p.kind == "signature":
            height = int(min(h * 0.78, 60) * r.uniform(0.85, 1.05))
            ink = signature(p.name, height=height, rng=r, max_width=w - 4)
            ink = _fit(ink, w, h)
            ih, iw = ink.alpha.shape
            x = x0 + r.randint(0, max(0, int((w - iw) * 0.6)))
            y = y0 + r.randint(max(0, int((h - ih) * 0.3)), max(0, h - ih))
            return self.blend(ink.alpha, ink.colour, x, y)
        if p.kind == "fingerprint":
            ink = _fit(
                fingerprint(height=int(min(h, w * 1.3) * r.uniform(0.72, 0.92)), rng=r), w, h
            )
            ih, iw = ink.alpha.shape
            x = x0 + r.randint(0, max(0, w - iw))
            y = y0 + r.randint(0, max(0, h - ih))
            if p.lean is not None and p.lean in signed and r.random() < 0.45:
                x = max(p.lean[0], x0 - int(iw * r.uniform(0.3, 0.7)))  # over the signature
            return self.blend(ink.alpha, ink.colour, x, y)
        assert p.org is not None
        ink = seal(p.org, diameter=int(min(w, h) * r.uniform(0.82, 0.95)), rng=r)
        ih, iw = ink.alpha.shape
        x = x0 + (w - iw) // 2 + r.randint(-w // 10, w // 10)
        y = y0 + (h - ih) // 2 + r.randint(-h // 10, h // 10)
        return self.blend(ink.alpha, ink.colour, x, y)


def _fit(ink: Ink, w: int, h: int) -> Ink:
    ih, iw = ink.alpha.shape
    k = min(1.0, (w - 2) / iw, (h - 2) / ih)
    if k >= 1.0:
        return ink
    a = cv2.resize(
        ink.alpha, (max(1, int(iw * k)), max(1, int(ih * k))), interpolation=cv2.INTER_AREA
    )
    a[a < 0.08] = 0
    return Ink(a, ink.colour)


def _pad(b: Box, m: int, w: int, h: int) -> Box:
    return (max(0, b[0] - m), max(0, b[1] - m), min(w, b[2] + m), min(h, b[3] + m))


def to_sample(
    doc_type: str,
    sheets: Sequence[Sheet],
    fields: Mapping[str, Any],
    *,
    seed: int,
    layout: str,
    facts: Any,
) -> Sample:
    marks: list[Mark] = []
    for sh in sheets:
        marks += sh.lay_marks(seed, doc_type)
    boxes: dict[str, FieldBox] = {}
    for sh in sheets:
        for key, bs in sh.boxes.items():
            if key in boxes:
                continue
            b = union(bs)
            boxes[key] = FieldBox(sh.index, b, box_quad(b), line_parts(bs))
    pages = tuple(np.ascontiguousarray(np.asarray(sh.img)[:, :, ::-1]) for sh in sheets)
    return Sample(
        doc_type=doc_type,
        fields=dict(fields),
        pages=pages,
        boxes=boxes,
        dpi=DPI,
        seed=seed,
        facts=facts,
        layout=layout,
        marks=tuple(marks),
    )
