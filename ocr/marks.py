"""Signatures, fingerprints and seals in the places a document type must carry them.

Each place (``PLACES`` of the document-type module, :class:`~ocr.marks_places.MarkPlace`) is
found from its printed label among the page's OCR lines; its search region is right of the
label (a signature) or around it (a seal), up to the next label, sized in label heights.

* **Handwriting**: dark ink that is not red and not under a printed line the recogniser read
  (the label, the next labels); present when there is stroke ink of a signature's extent.
* **Fingerprint**: pale ridged ink of a fingertip's size: redness above the paper's own tint
  (colour pages) or light darkness that is not a pen stroke (grey pages, where a fingerprint
  turns grey), smoothed so the ridges make one blob, grown by hysteresis, kept when it is an
  oval of a fingertip's size, filled and textured (ridges, not a smear).
* **Seal**: red ink segmented in HSV, its largest blob fitted (round / oval / square). On a
  grey page (a photocopy) a ring of a seal's size without red is a seal "possibly a copy".
  A round seal's rim text is unrolled (``cv2.warpPolar``) into a strip and read with the
  same recogniser as the page: the seal's ink (redness above the paper's tint, or a copy's
  grey without the black of print) in polar form, cut to the text's band inside the ring,
  widened to its arc length and scaled to :data:`RIM_HEIGHT`; a square seal's columns are
  read right to left, each as a strip. A seal naming another organ is a mismatch the citizen
  is told of only when the rim reads a known organ whole, unlike the place expected in both
  characters (:func:`mismatch_is_clear`); any other mismatch is a reviewer's.
* **Absence** is never a constant: an ``absent`` call's confidence (:func:`_absent_confidence`)
  comes from how much non-print ink the place holds (relative to the least a mark leaves), how
  well the place was located (the label's recogniser score, a merged line box, a place cut
  short, off the sheet or hidden by printed lines) and how well the capture shows faint ink
  (paper noise, a grey page), and stays ≤ :data:`MAX_ABSENT`. Whether it is certain is the
  rule's line (``precheck.rules.marks.CERTAIN_ABSENCE``), measured by ``bench.marks_eval``.
* A grey page is one without colour at all (:func:`_is_grey`); areas that are not the sheet
  (a photo's table) are masked out of a place.

Boxes are in pixels of the original page, like every box of :class:`~ocr.document.Document`.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ocr.document import Box, DocType, Field
from ocr.engines.base import OcrEngine
from ocr.layout import Segment
from ocr.marks_places import FINGERPRINT, SEAL, SIGNATURE, MarkPlace
from ocr.validators import normalize_text

PRESENT = "present"
ABSENT = "absent"
UNCERTAIN = "uncertain"
STATUSES = (PRESENT, ABSENT, UNCERTAIN)

#: Ink of a signature, in label-height² units: at least this much is a signature, below the
#: lower bound the place is empty, in between it cannot be told.
SIGNATURE_INK = 0.35
EMPTY_INK = 0.08
#: A page whose share of coloured pixels (channels ≥ 20 levels apart) is below this is treated
#: as grey (a photocopy). A red share was used before: a contract page that carries no seal
#: has almost no red and was taken for a photocopy, so its pale red fingerprints were missed.
GREY_PAGE_CHROMA = 0.0002

# the Zhejiang cities and counties whose names a registry's seal carries
_ORGANS = (
    "杭州市",
    "宁波市",
    "温州市",
    "嘉兴市",
    "湖州市",
    "绍兴市",
    "金华市",
    "衢州市",
    "舟山市",
    "台州市",
    "丽水市",
    "嘉善县",
    "义乌市",
    "海宁市",
    "桐乡市",
    "诸暨市",
    "余姚市",
    "慈溪市",
    "乐清市",
    "瑞安市",
    "东阳市",
    "永康市",
    "临海市",
    "温岭市",
    "平湖市",
    "德清县",
)


@dataclass(frozen=True)
class MarkResult:
    """What was found in one place for one kind of mark.

    ``place``: ``"seller[0]"``, ``"principal"``, ``"registry"``; ``who``: the signer as the
    document names them (出卖人); ``status``: ``present``/``absent``/``uncertain``;
    ``confidence`` in [0, 1] of that status; ``box``: the searched place (page pixels);
    ``copy``: a seal without red on a grey page; ``text``: a seal's rim text as read;
    ``expected_org``: the organisation it should name; ``org_match``: whether it does (None:
    not readable or nothing to compare)."""

    kind: str
    place: str
    who: str
    page: int
    status: str
    confidence: float
    box: Box
    copy: bool = False
    text: str | None = None
    expected_org: str | None = None
    org_match: bool | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "place": self.place,
            "who": self.who,
            "page": self.page,
            "status": self.status,
            "confidence": round(float(self.confidence), 4),
            "box": list(self.box),
            "copy": self.copy,
            "text": self.text,
            "expected_org": self.expected_org,
            "org_match": self.org_match,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> MarkResult:
        return cls(
            kind=str(raw["kind"]),
            place=str(raw["place"]),
            who=str(raw.get("who", "")),
            page=int(raw.get("page", 0)),
            status=str(raw["status"]),
            confidence=float(raw["confidence"]),
            box=tuple(int(v) for v in raw["box"]),  # type: ignore[arg-type]
            copy=bool(raw.get("copy", False)),
            text=raw.get("text"),
            expected_org=raw.get("expected_org"),
            org_match=raw.get("org_match"),
        )


def places_of(doc_type: DocType | str) -> tuple[MarkPlace, ...]:
    """The mark places of ``doc_type`` (empty: nothing to look for)."""
    from ocr.doctypes import power_of_attorney, property_certificate, sale_contract

    by_type: dict[str, tuple[MarkPlace, ...]] = {
        DocType.SALE_CONTRACT.value: sale_contract.PLACES,
        DocType.POWER_OF_ATTORNEY.value: power_of_attorney.PLACES,
        DocType.PROPERTY_CERTIFICATE.value: property_certificate.PLACES,
    }
    return by_type.get(DocType(doc_type).value, ())


@dataclass(frozen=True)
class _Label:
    place: MarkPlace
    page: int
    box: Box  # the label's own characters (original page pixels)
    row: Box  # the whole OCR line it was found in
    score: float = 1.0  # the recogniser's score of that line
    merged: bool = False  # the line box was taller than a line (merged with ink beside it)
    span: tuple[int, int] | None = None  # a signing table's signature column (x from, to)
    print_span: tuple[int, int] | None = None  # and its fingerprint column, when it has one
    rows: tuple[int, int] | None = None  # and its row (y from, to): halfway to the next rows
    head: Box | None = None  # the table's 签名 header (its column's rules are found around it)
    print_head: Box | None = None  # and its 指印 header
    tail: str = ""  # what the recogniser read after the label in its line (a name written?)


def _lines(segs: Sequence[Segment]) -> list[Segment]:
    """The lines as printed: a table cell's joined segment (受托人签名确认 over 年 月 日, read as
    one text for its fields) split back into its lines, so that each keeps its own box and a
    label's line is not taken for the whole cell."""
    return [part for seg in segs for part in (seg.parts or (seg,))]


def _line_heights(segs: Sequence[Segment]) -> dict[int, float]:
    """The usual height of a printed line on each page (the median): the unit places are
    sized in (a line box the detector merged with a signature beside it is taller)."""
    by_page: dict[int, list[float]] = {}
    for seg in segs:
        b = seg.original_box()
        by_page.setdefault(seg.page, []).append(float(b[3] - b[1]))
    return {p: float(np.median(hs)) for p, hs in by_page.items()}


def _label_hits(places: Sequence[MarkPlace], segs: Sequence[Segment]) -> list[_Label]:
    out: list[_Label] = []
    heights = _line_heights(segs)
    for seg in segs:
        text = normalize_text(seg.text)
        b = seg.original_box()
        for pl in places:
            for rx in pl.labels:
                m = re.search(rx, text)
                if m is None:
                    continue
                # the label's characters, by their share of the line (a name may follow it)
                end = m.end()
                # and the rest of its bracket: 出卖人（签名并捺印）, 委托人（签字/手印）
                if text.rfind("(", m.start(), end) > text.rfind(")", m.start(), end):
                    close = text.find(")", end, end + 8)
                    end = close + 1 if close >= 0 else end
                while end < len(text) and text[end] in "):：）":
                    end += 1
                n = max(1, len(text))
                x0 = b[0] + (b[2] - b[0]) * m.start() / n
                x1 = b[0] + (b[2] - b[0]) * end / n
                # no wider than its characters at the page's line height: the line box may
                # hold ink beside the label that the recogniser did not read
                lh = heights.get(seg.page, float(b[3] - b[1]))
                chars = sum(0.5 if ord(c) < 128 else 1.0 for c in text[m.start() : end])
                x1 = min(x1, x0 + chars * lh * 1.05)
                y0, y1 = float(b[1]), float(b[3])
                merged = y1 - y0 > 1.6 * lh
                if merged:  # a merged box: the label is in its middle
                    cy = (y0 + y1) / 2
                    y0, y1 = cy - lh / 2, cy + lh / 2
                box = (int(x0), int(y0), round(x1), round(y1))
                tail = text[end:]
                out.append(_Label(pl, seg.page, box, b, float(seg.score), merged, tail=tail))
                break
            else:
                continue
            break
    out += _table_hits(places, segs, heights, {lb.page for lb in out if SEAL not in lb.place.kinds})
    # reading order: top to bottom, left to right
    out.sort(key=lambda lb: (lb.page, lb.box[1] // max(1, (lb.box[3] - lb.box[1])), lb.box[0]))
    return out


#: The column headers of a signing table (签名栏): the signature's and the fingerprint's
SIGN_HEADER = re.compile(r"^(?:本人)?(?:签名|签字|签章)(?:\(?(?:盖章|签章|捺印)\)?)?:?$")
PRINT_HEADER = re.compile(r"^(?:指印|手印|捺印|按手印|指模)$")


def _table_hits(
    places: Sequence[MarkPlace],
    segs: Sequence[Segment],
    heights: Mapping[int, float],
    labelled: set[int],
) -> list[_Label]:
    """The places of a signing table: rows whose label is the signer alone (出卖人, 买受人)
    under the column headers 签名 (and 指印). The signature is looked for in that row's 签名
    cell, the fingerprint in its 指印 cell (to the next column, 日期); a row reaches halfway
    to the rows beside it. Only on a page where no printed label names a mark."""
    out: list[_Label] = []
    by_page: dict[int, list[Segment]] = {}
    for seg in segs:
        by_page.setdefault(seg.page, []).append(seg)
    for page, page_segs in by_page.items():
        if page in labelled:
            continue
        texts = [(normalize_text(s.text), s.original_box(), s) for s in page_segs]
        signs = [b for t, b, _s in texts if SIGN_HEADER.match(t)]
        if not signs:
            continue
        head = min(signs, key=lambda b: b[1])
        lh = heights.get(page, float(head[3] - head[1]))
        prints = [b for t, b, _s in texts if PRINT_HEADER.match(t) and abs(b[1] - head[1]) < lh]
        after = sorted((b for b in prints if b[0] > head[2]), key=lambda b: b[0])
        right = after[0][2] if after else head[2]
        # the next header on the header's line (日期) ends the place; else a few lines on
        nxt = [b[0] for _t, b, _s in texts if abs(b[1] - head[1]) < lh and b[0] > right]
        x0 = head[0] - lh
        x1 = min(nxt) - lh / 2 if nxt else right + 4 * lh
        # the signature's column ends where the fingerprint's begins: a fingerprint's ridges
        # are not a signature's strokes, nor a signature's ink a fingerprint
        split = after[0][0] - lh / 2 if after else None
        sign_span = (int(x0), int(split if split is not None else x1))
        print_span = (int(split), int(x1)) if split is not None else None
        found: list[tuple[MarkPlace, Box, float]] = []
        for t, b, s in texts:
            if b[1] <= head[3] or b[2] > x0:  # a row label: below the header, left of it
                continue
            for pl in places:
                if SEAL in pl.kinds or not any(re.search(rx, t) for rx in pl.row_labels):
                    continue
                found.append((pl, b, float(s.score)))
                break
        found.sort(key=lambda f: f[1][1])
        mids = [(f[1][1] + f[1][3]) / 2 for f in found]
        for i, (pl, b, score) in enumerate(found):
            # a row reaches halfway to the rows beside it (a signature written high in its
            # cell is that row's, not the one above's), the first from the header down
            top = head[3] if i == 0 else (mids[i - 1] + mids[i]) / 2
            bottom = b[3] + 1.4 * lh if i == len(found) - 1 else (mids[i] + mids[i + 1]) / 2
            rows = (int(top), int(bottom))
            ph = after[0] if after else None
            out.append(_Label(pl, page, b, b, score, False, sign_span, print_span, rows, head, ph))
    return out


def _clip(b: tuple[float, float, float, float], w: int, h: int) -> Box:
    x0, y0, x1, y1 = b
    return (
        max(0, int(x0)),
        max(0, int(y0)),
        min(w, int(x1)),
        min(h, int(y1)),
    )


def _red_mask(img: np.ndarray, saturation: int = 60) -> np.ndarray:
    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
    hh, s, v = hsv[:, :, 0], hsv[:, :, 1], hsv[:, :, 2]
    return ((hh <= 10) | (hh >= 160)) & (s >= saturation) & (v >= 60)


def _is_grey(img: np.ndarray) -> bool:
    small = cv2.resize(
        img, (img.shape[1] // 4 or 1, img.shape[0] // 4 or 1), interpolation=cv2.INTER_AREA
    ).astype(np.int16)
    chroma = small.max(axis=2) - small.min(axis=2)
    return float((chroma >= 20).mean()) < GREY_PAGE_CHROMA


def _off_paper(patch_grey: np.ndarray, lh: int) -> np.ndarray:
    """Where ``patch_grey`` is not paper (a photo's table around the sheet, a scanner lid's dark
    band): large areas much darker than the page's paper, not thin ink."""
    if patch_grey.size == 0:
        return np.zeros(patch_grey.shape, bool)
    paper = float(np.percentile(patch_grey, 95))
    k = max(3, (2 * lh) | 1)
    blurred = cv2.blur(patch_grey.astype(np.float32), (k, k))
    low = (blurred < 0.62 * paper).astype(np.uint8)
    # solid, not strokes: a heavy brush or marker signature is dark on average too, but its
    # strokes are thinner than a line's height and an opening that wide leaves none of them
    s = max(3, lh | 1)
    kernel = np.ones((s, s), np.uint8)
    solid = cv2.morphologyEx((patch_grey < 0.7 * paper).astype(np.uint8), cv2.MORPH_OPEN, kernel)
    off = cv2.bitwise_and(low, cv2.dilate(solid, np.ones((k, k), np.uint8)))
    return cv2.dilate(off, np.ones((k, k), np.uint8)) > 0  # and the sheet's blurred edge


def _pen_dark(patch_grey: np.ndarray, lh: int) -> np.ndarray:
    """Ink in ``patch_grey``: well darker than the patch's paper, and a stroke, darker than the
    paper right around it (:func:`_stroke_dark`)."""
    paper = float(np.percentile(patch_grey, 90))
    return (patch_grey < paper - 70) & _stroke_dark(patch_grey, lh)


def _boxes_mask(shape: tuple[int, ...], boxes: Sequence[Box], x0: int, y0: int) -> np.ndarray:
    """``boxes`` (page pixels) as a mask of a patch of ``shape`` whose corner is (x0, y0)."""
    mask = np.zeros(shape[:2], bool)
    for b in boxes:
        bx0, by0, bx1, by1 = b[0] - x0, b[1] - y0, b[2] - x0, b[3] - y0
        mask[max(0, by0) : max(0, by1), max(0, bx0) : max(0, bx1)] = True
    return mask


#: How much darker than the paper right around it a pen stroke is at least (0-255 levels)
STROKE_CONTRAST = 40


def _stroke_dark(patch_grey: np.ndarray, lh: int) -> np.ndarray:
    """Where ``patch_grey`` is darker than the paper right around it: a stroke thinner than a
    line's height. The paper there is the patch closed over a line's height (strokes filled
    in), so a crease's shadow, a fold or a photo's falling-off light, wider than any stroke,
    is paper, however dark it is against the page's whitest paper."""
    if patch_grey.size == 0:
        return np.zeros(patch_grey.shape, bool)
    k = max(5, lh | 1)
    paper = cv2.morphologyEx(
        patch_grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    return (paper.astype(np.int16) - patch_grey.astype(np.int16)) > STROKE_CONTRAST


def _straight_strokes(mask: np.ndarray, lh: int) -> np.ndarray:
    """The printed rules in a place: the line to sign on, a table cell's border, a sheet's edge
    or a scanner's dark strip, i.e. ink running straight across or straight down for two
    printed line heights, which no hand draws. Handwriting is ink once these are taken out."""
    if mask.size == 0:
        return np.zeros(mask.shape, bool)
    m = mask.astype(np.uint8)
    n = max(9, 2 * lh)
    across = cv2.morphologyEx(m, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1)))
    down = cv2.morphologyEx(m, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n)))
    rules = np.maximum(across, down)
    # a fax or a worn copy breaks a rule into dashes: bridged along it, it is one rule again
    gap = max(5, lh // 6) | 1  # a dotted leader's dots too
    dashed = cv2.morphologyEx(m, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    dashed = cv2.morphologyEx(
        dashed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n, 1))
    )
    rules = np.maximum(rules, cv2.bitwise_and(dashed, m))
    # a photographed page tilts its rules a few degrees: lines at those slopes too
    for k in _tilted_rules(n):
        rules = np.maximum(rules, cv2.morphologyEx(m, cv2.MORPH_OPEN, k))
        rules = np.maximum(rules, cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ascontiguousarray(k.T)))
    return cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0


@functools.cache
def _tilted_rules(n: int) -> tuple[np.ndarray, ...]:
    """Line kernels ``n`` long at 2, 4 and 6 degrees either way (cached per length)."""
    out = []
    for deg in (-6.0, -4.0, -2.0, 2.0, 4.0, 6.0):
        rise = n * math.tan(math.radians(deg))
        k = np.zeros((int(abs(rise)) + 1, n), np.uint8)
        y0, y1 = (0, k.shape[0] - 1) if rise > 0 else (k.shape[0] - 1, 0)
        cv2.line(k, (0, y0), (n - 1, y1), 1, 1)
        out.append(k)
    return tuple(out)


def _cell_around(img: np.ndarray, box: Box, lh: int) -> Box | None:
    """The bordered cell of a printed form that holds the text ``box``: the nearest rules
    above, below, left and right of it that run the whole of its side (a table's or a
    signing box's), or None where it is not in one. Up to 8 line heights down, 15 left (a
    header is centred in its column) and 30 right."""
    h, w = img.shape[:2]
    bx0, by0, bx1, by1 = box
    cx0, cy0 = max(0, bx0 - 15 * lh), max(0, by0 - 3 * lh)
    cx1, cy1 = min(w, bx1 + 30 * lh), min(h, by1 + 8 * lh)
    crop = img[cy0:cy1, cx0:cx1]
    if crop.size == 0:
        return None
    g = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) if crop.ndim == 3 else crop
    paper = float(np.percentile(g, 90))
    dark = (g < paper - 45).astype(np.uint8)
    n_h, n_v = max(9, 3 * lh), max(9, int(1.2 * lh))
    # a photographed rule is thin and tilts a few pixels along a kernel: thickened first
    hr = cv2.dilate(dark, np.ones((5, 1), np.uint8))
    hr = cv2.morphologyEx(hr, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (n_h, 1)))
    vr = cv2.dilate(dark, np.ones((1, 5), np.uint8))
    vr = cv2.morphologyEx(vr, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, n_v)))
    hr = cv2.dilate(hr, np.ones((5, 1), np.uint8))
    vr = cv2.dilate(vr, np.ones((1, 5), np.uint8))
    lx0, ly0, lx1, ly1 = bx0 - cx0, by0 - cy0, bx1 - cx0, by1 - cy0
    rows = hr[:, max(0, lx0) : max(1, lx1)].mean(axis=1)
    above = [y for y in range(0, max(0, ly0)) if rows[y] >= 0.9]
    below = [y for y in range(min(len(rows), ly1), len(rows)) if rows[y] >= 0.9]
    if not above or not below:
        return None
    top, bottom = above[-1], below[0]
    cols = vr[top + 2 : max(top + 3, bottom - 1), :].mean(axis=0)
    left = [x for x in range(0, max(0, lx0)) if cols[x] >= 0.9]
    right = [x for x in range(min(len(cols), lx1), len(cols)) if cols[x] >= 0.9]
    if not left or not right:
        return None
    return (left[-1] + cx0, top + cy0, right[0] + cx0, bottom + cy0)


#: A form's cell with this many line heights below its label, and room across for a name, is
#: the place itself: the mark is written anywhere in it (委托人签名/手印 over an empty box)
CELL_PLACE = 1.5


def _is_place(cell: Box, label: Box, lh: int) -> bool:
    """Whether the bordered ``cell`` around ``label`` is where the mark goes: room below the
    label for a signature, as wide as one. A cell holding only its label (出卖人（签章） in
    a table's first column) is not: the mark is in the next cell, right of it."""
    below = cell[3] - label[3]
    return below >= CELL_PLACE * lh and cell[2] - cell[0] >= 5 * lh


def _signature_region(lb: _Label, labels: Sequence[_Label], w: int, h: int) -> Box:
    lh = max(8, lb.box[3] - lb.box[1])
    if lb.span is not None:  # a signing table's row, in its signature column
        return _table_cell(lb, lb.span, w, h)
    x0 = lb.box[2] + 1
    x1 = x0 + 12 * lh
    for other in labels:
        if other is lb or other.page != lb.page:
            continue
        if other.box[0] > x0 and other.box[1] < lb.box[3] and other.box[3] > lb.box[1]:
            x1 = min(x1, other.box[0] - lh // 2)
    # a name is signed right of its label or under it (出卖人（签字）： with the name below):
    # the place starts at the label's left and reaches down 2 line heights, but only halfway
    # to a label above or below it in the same column (that ink is the other signer's)
    y0, y1 = lb.box[1] - 1.4 * lh, lb.box[3] + 2.0 * lh
    for other in labels:
        if other is lb or other.page != lb.page or other.box[2] < lb.box[0] or other.box[0] > x1:
            continue
        if other.box[1] >= lb.box[3]:
            y1 = min(y1, (lb.box[3] + other.box[1]) / 2)
        elif other.box[3] <= lb.box[1]:
            y0 = max(y0, (other.box[3] + lb.box[1]) / 2)
    return _clip((lb.box[0], y0, x1, max(y1, lb.box[3] + 0.5 * lh)), w, h)


def _table_cell(lb: _Label, span: tuple[int, int], w: int, h: int) -> Box:
    """A signing table's cell: the row of ``lb`` (:attr:`_Label.rows`) in the columns
    ``span``."""
    lh = max(8, lb.box[3] - lb.box[1])
    y0, y1 = lb.rows if lb.rows is not None else (lb.box[1] - 1.4 * lh, lb.box[3] + 1.0 * lh)
    return _clip((span[0], y0, span[1], y1), w, h)


#: The highest confidence an ``absent`` call is given: absence is never more certain than
#: the evidence of an empty place can be (the rule's line, ``CERTAIN_ABSENCE``, is measured).
MAX_ABSENT = 0.97
#: A fingertip-sized blob of pale ink: its smoothed redness (colour) or darkness (grey page)
#: at least this (0-255 levels) is ink; half of it is "some ink" that makes absence less sure.
FP_RED = 9.0
FP_GREY = 6.0


def _capture_quality(patch_grey: np.ndarray, grey: bool) -> float:
    """How well the capture shows faint ink, in (0, 1]: the paper's noise (scan grain, photo
    shading, toner) and a grey page (a photocopy loses pale ink) lower it."""
    paper = patch_grey[patch_grey >= np.percentile(patch_grey, 50)]
    noise = float(paper.std()) if paper.size else 0.0
    q = float(np.clip(1.15 - noise / 12.0, 0.55, 1.0))
    return q * (0.8 if grey else 1.0)


def _location_quality(lb: _Label, region: Box, lh: int) -> float:
    """How well the place was located, in (0, 1]: the label's recogniser score, a label line
    merged with ink beside it, a place cut short by the page edge or the next label."""
    q = float(np.clip((lb.score - 0.5) / 0.45, 0.5, 1.0))
    if lb.merged:
        q *= 0.85
    width = (region[2] - region[0]) / float(12 * lh)
    height = (region[3] - region[1]) / float(3.4 * lh)
    q *= float(np.clip(min(width / 0.6, height / 0.9), 0.5, 1.0))
    return q


def _absent_confidence(ink_share: float, loc: float, cap: float) -> float:
    """The confidence of an ``absent`` call from its evidence: ``ink_share`` is how much
    non-print ink is in the place relative to the least a mark leaves (0: none), ``loc`` and
    ``cap`` the location and capture qualities."""
    empty = float(np.clip(1.0 - ink_share, 0.0, 1.0))
    return round(0.5 + (MAX_ABSENT - 0.5) * empty * loc * cap, 4)


def _fingerprint(
    patch: np.ndarray,
    lh: int,
    grey: bool,
    printed_mask: np.ndarray,
    off: np.ndarray | None = None,
) -> tuple[bool, float, tuple[int, int, int, int] | None, float]:
    """A fingertip-sized oval of pale ridged ink in ``patch``: (found, strength, box, ink
    share). Colour pages: red over green/blue, smoothed so the ridges make one blob; grey pages
    (photocopies, where it turns grey): light darkness that is not a pen stroke. ``ink share``
    is the strongest smoothed ink relative to the blob threshold (absence evidence)."""
    px = patch.astype(np.int16)
    if not grey:
        redness = (px[:, :, 2] - np.maximum(px[:, :, 0], px[:, :, 1])).astype(np.float32)
        # above the paper's own tint (a photo's warm light makes all of it a little red)
        raw = np.clip(redness - float(np.median(redness)), 0, 120)
        thr = FP_RED
    else:
        g = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY).astype(np.float32)
        paper = float(np.percentile(g, 90))
        raw = np.clip(paper - g, 0, 80)
        # pen strokes and printed text are dark: not a fingerprint's pale ridges
        strokes = cv2.dilate((raw >= 75).astype(np.uint8), np.ones((5, 5), np.uint8)) > 0
        raw[strokes] = 0
        thr = FP_GREY
    if grey:  # printed text is black, never red: on a colour page its boxes are kept (a
        # slanted photo's line box may cover the fingerprint beside it)
        raw[printed_mask] = 0
    if off is not None:  # not the sheet (a photo's table is often reddish wood)
        raw[off] = 0
    sigma = max(1.5, lh / 5.0)
    sm = cv2.GaussianBlur(raw, (0, 0), sigma)
    peak = float(sm.max()) if sm.size else 0.0
    # hysteresis: a blob that reaches the threshold somewhere, grown over its paler edge
    low = (sm >= 0.5 * thr).astype(np.uint8)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(low, connectivity=8)
    strong = np.unique(labels[sm >= thr])
    best: tuple[float, tuple[int, int, int, int]] | None = None
    for k in strong[strong > 0]:
        bx, by, bw, bh, area = (int(v) for v in stats[k])
        if not (0.9 * lh <= bh <= 5.0 * lh and 0.6 * lh <= bw <= 3.8 * lh):
            continue
        if not 0.6 <= bh / bw <= 2.6:
            continue
        fill = area / float(bw * bh)
        if fill < 0.45:
            continue
        # ridges: the raw ink inside the blob is textured, not a flat smear
        inside = raw[by : by + bh, bx : bx + bw]
        texture = float(inside.std() / (inside.mean() + 1e-3))
        if texture < 0.35:
            continue
        strength = float(sm[by : by + bh, bx : bx + bw].max()) / thr
        if best is None or strength > best[0]:
            best = (strength, (bx, by, bx + bw, by + bh))
    if best is None:
        return False, 0.0, None, peak / thr
    return True, best[0], best[1], peak / thr


def _signature_and_fingerprint(
    img: np.ndarray, region: Box, lh: int, printed: Sequence[Box], grey: bool, loc: float = 1.0
) -> tuple[tuple[str, float], tuple[str, float]]:
    x0, y0, x1, y1 = region
    patch = img[y0:y1, x0:x1]
    if patch.size == 0:
        return (UNCERTAIN, 0.3), (UNCERTAIN, 0.3)
    red = _red_mask(patch)
    grey_px = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY)
    cap = _capture_quality(grey_px, grey)
    dark = _pen_dark(grey_px, lh) & ~red
    # the printed lines the recogniser read (labels of other rows)
    printed_mask = _boxes_mask(dark.shape, printed, x0, y0)
    off = _off_paper(grey_px, lh)
    dark &= ~printed_mask
    dark &= ~off
    dark &= ~_straight_strokes(dark, lh)
    if off.mean() > 0.25:  # the place runs off the sheet: it was not located well
        loc *= 0.7
    # what the printed lines hide of the place cannot be seen to be empty
    loc *= float(np.clip(1.0 - printed_mask.mean(), 0.5, 1.0))
    unit = float(lh * lh)
    # fingerprint: an oval blob of a fingertip's size (red, or on a grey page pale grey)
    found, strength, fp_box, fp_ink = _fingerprint(patch, lh, grey, printed_mask, off)
    fp_status: tuple[str, float]
    if found:
        base = 0.9 if not grey else 0.75
        fp_status = (PRESENT, round(min(0.97, base + 0.03 * min(strength - 1.0, 2.0)), 4))
    elif fp_ink >= 0.5 or (not grey and float((red & ~off).sum()) > 0.3 * unit):
        fp_status = (UNCERTAIN, 0.5)  # pale ink that is not a fingertip's blob
    else:
        fp_status = (ABSENT, _absent_confidence(2 * fp_ink, loc, cap))
    # handwriting: the dark ink outside the fingerprint
    if fp_box is not None:
        dark[fp_box[1] : fp_box[3], fp_box[0] : fp_box[2]] = False
    ink = float(dark.sum()) / unit
    if ink >= SIGNATURE_INK:
        _ys, xs = np.nonzero(dark)
        extent = (xs.max() - xs.min()) / lh if len(xs) else 0.0
        sig = (PRESENT, 0.9) if extent >= 1.2 else (UNCERTAIN, 0.5)
    elif ink < EMPTY_INK:
        sig = (ABSENT, _absent_confidence(ink / EMPTY_INK, loc, cap))
    else:
        sig = (UNCERTAIN, 0.5)
    return sig, fp_status


def _pen_ink(img: np.ndarray, box: Box) -> float:
    """Pixels of coloured ink (blue or red pen, not black print) inside ``box``."""
    x0, y0, x1, y1 = box
    patch = img[max(0, y0) : y1, max(0, x0) : x1].astype(np.int16)
    if patch.size == 0:
        return 0.0
    chroma = patch.max(axis=2) - patch.min(axis=2)
    return float(((chroma >= 60) & (patch.min(axis=2) < 150)).sum())


def _seal_ink(img: np.ndarray) -> np.ndarray:
    """How strongly each pixel is seal ink, 0–255: for a red seal its redness above the
    paper's own tint (a warm light tints the whole sheet), for a grey one (a photocopy) its
    darkness with the near-black of print left out (a hole where print crosses the rim reads
    better than a blot)."""
    b, g, r = (img[:, :, i].astype(np.float32) for i in range(3))
    red = r - np.maximum(g, b)
    red -= float(np.median(red))
    if float((red > 60).mean()) > 0.002:
        x = np.clip(red, 0, 255)
    else:
        gr = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY).astype(np.float32)
        x = np.clip(float(np.percentile(gr, 95)) - gr, 0, 255)
        inked = x[x > 25]
        if inked.size:
            black = float(np.percentile(inked, 97))
            if black > 90:  # print is the darkest ink on a copy; the seal's grey lies below it
                x = np.where(x > max(50.0, 0.7 * black), 0.0, x)
    return _stretch(x)


def _stretch(x: np.ndarray) -> np.ndarray:
    """An ink map (0–255, float) scaled so its strong ink (the 90th percentile of what is
    above 20) reaches full strength, as ``uint8``."""
    strong = x[x > 20]
    hi = float(np.percentile(strong, 90)) if strong.size else 255.0
    return np.clip(x * (255.0 / max(hi, 40.0)), 0, 255).astype(np.uint8)


def _rim_band(ink: np.ndarray) -> tuple[int, int]:
    """The radii (columns of the polar image ``ink``, rows: angle) the rim text lies between:
    inside the innermost ring of the outer rim (a seal may have two), the outermost run of
    inked radii at least an eighth of the radius deep (a run that thin is the ring's soft
    edge, or the inner line of 不动产登记专用章)."""
    size = ink.shape[1]
    cov = (ink > 110).mean(axis=0)
    lo = int(size * 0.6)
    top_cov = float(cov[lo:].max()) if size > lo else 0.0
    ring = [c for c in range(lo, size) if cov[c] >= max(0.3, 0.8 * top_cov)]
    outer = min(ring) - 1 if ring else int(size * 0.97)
    while outer > lo and cov[outer] >= 0.6 * top_cov:
        outer -= 1
    floor = int(size * 0.3)
    seg = cov[floor : outer + 1]
    peak = float(seg.max()) if seg.size else 0.0
    fallback = max(0, int(outer - 0.36 * size)), outer
    if peak <= 0.01:
        return fallback
    thr = 0.2 * peak
    runs: list[tuple[int, int]] = []
    c = outer
    while c > floor:
        if cov[c] >= thr:
            top = c
            while c > floor and cov[c] >= thr:
                c -= 1
            runs.append((c, top))
        c -= 1
    deep = [run for run in runs if run[1] - run[0] >= 0.12 * size]
    if not deep:
        return fallback
    inner, top = deep[0]
    pad = int(0.04 * size) + 1
    return max(0, inner - pad), min(outer, top + pad)


def _ring(img: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float]:
    """The seal's outer ring near the circle found (centre within a third of its radius,
    radius within 0.8–1.3 of it), from the seal's own ink: a photocopy's circle is found on
    the grey page's edges, which print near the seal pulls off the ring's centre."""
    h, w = img.shape[:2]
    m = 1.5 * r
    x0, y0 = max(0, int(cx - m)), max(0, int(cy - m))
    x1, y1 = min(w, int(cx + m)), min(h, int(cy + m))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return cx, cy, r
    ink = cv2.GaussianBlur(_seal_ink(img[y0:y1, x0:x1]), (5, 5), 0)
    circles = cv2.HoughCircles(
        ink,
        cv2.HOUGH_GRADIENT,
        dp=1.0,
        minDist=max(1.0, r),
        param1=100,
        param2=30,
        minRadius=int(0.8 * r),
        maxRadius=int(1.3 * r),
    )
    if circles is None:
        return cx, cy, r
    for ccx, ccy, rr in circles[0][:5]:
        ccx, ccy = float(ccx) + x0, float(ccy) + y0
        if math.hypot(ccx - cx, ccy - cy) <= r / 3:
            return ccx, ccy, float(rr)
    return cx, cy, r


#: The height (pixels) a seal's unrolled rim is scaled to before it is read: the recogniser's
#: text detector misses strips much smaller than this.
RIM_HEIGHT = 64


#: The ways a rim is drawn for the recogniser, tried in turn (:func:`read_rim`): the seal's
#: ink map (:func:`_seal_ink`) darkened, as it is, and the page's own green channel (where a
#: red seal is dark and a blurred photo keeps the strokes' shapes the ink map loses).
RIM_VIEWS = ("ink", "ink_soft", "green")


def _unroll(img: np.ndarray, cx: float, cy: float, r: float, view: str = "ink") -> np.ndarray:
    """A round seal's rim text unrolled into a strip, upright, read left to right: the ink
    map in polar coordinates (a little beyond the radius found, whose blob may stop short of
    the ring), cut to the text's band, widened to its arc length at the band's middle, scaled
    to :data:`RIM_HEIGHT` and drawn dark on white; ``view`` (:data:`RIM_VIEWS`) says what is
    drawn in that band."""
    size = max(64, int(r))
    reach = r * 1.08
    # the ink is judged on the seal and its margin, not on the whole page
    h, w = img.shape[:2]
    x0, y0 = max(0, int(cx - reach) - 4), max(0, int(cy - reach) - 4)
    x1, y1 = min(w, int(cx + reach) + 5), min(h, int(cy + reach) + 5)
    crop = img[y0:y1, x0:x1]
    ink = _seal_ink(crop)
    centre = (cx - x0, cy - y0)
    flags = cv2.WARP_POLAR_LINEAR + cv2.INTER_LINEAR
    polar = cv2.warpPolar(ink, (size, 720), centre, reach, flags)
    # rows: angle from 3 o'clock clockwise; columns: radius
    i0, i1 = _rim_band(polar)
    if view == "green":
        gch = (crop[:, :, 1] if crop.ndim == 3 else crop).astype(np.float32)
        dark = _stretch(np.clip(float(np.percentile(gch, 95)) - gch, 0, 255))
        polar = cv2.warpPolar(dark, (size, 720), centre, reach, flags)
    gain = 1.0 if view == "ink_soft" else 1.6
    band = polar[:, i0 : i1 + 1]
    # start at 6 o'clock so the text along the top is one piece, left to right
    band = np.concatenate([band[180:], band[:180]], axis=0)
    strip = np.flipud(band.T)
    mid = (i0 + i1) / 2 / size * reach
    strip = cv2.resize(
        strip, (max(8, int(2 * np.pi * mid)), strip.shape[0]), interpolation=cv2.INTER_AREA
    )
    out = 255 - np.clip(strip.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    out = cv2.resize(out, (max(8, int(out.shape[1] * RIM_HEIGHT / out.shape[0])), RIM_HEIGHT))
    out = cv2.copyMakeBorder(out, 24, 24, 24, 24, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(out, cv2.COLOR_GRAY2BGR)


def read_rim(
    engine: OcrEngine, img: np.ndarray, cx: float, cy: float, r: float, view: str = "ink"
) -> str:
    """The rim text of a round seal centred at (cx, cy) with radius r, read by ``engine``."""
    strip = _unroll(img, cx, cy, r, view)
    lines = sorted(engine.read(strip), key=lambda ln: ln.box[0])
    return "".join(normalize_text(ln.text) for ln in lines if ln.score >= 0.3)


def _read_round(
    engine: OcrEngine, img: np.ndarray, cx: float, cy: float, r: float, expected: str | None
) -> tuple[str, bool | None]:
    """A round seal's rim read in each of :data:`RIM_VIEWS` until one names the organ
    expected; otherwise another organ if a reading names one whole (:func:`_org_match`
    False), else nothing told (None), with the text that says so."""
    readings: list[tuple[str, bool | None]] = []
    for view in RIM_VIEWS:
        text = read_rim(engine, img, cx, cy, r, view)
        match = _org_match(text, expected)
        if match is True:
            return text, True
        readings.append((text, match))
    told = [(t, m) for t, m in readings if m is False]
    return told[0] if told else (readings[0][0], None)


def expected_org(place: MarkPlace, fields: Mapping[str, Field]) -> str | None:
    """The organisation the document says the seal belongs to (the city or county of the
    registry its certificate number names)."""
    if place.org_field is None or place.org_field not in fields:
        return None
    value = str(fields[place.org_field].value)
    # 浙(2024)温州市瓯海区不动产权第0867561号 → 温州市瓯海区 (after the year's bracket)
    m = re.search(r"[)）]\s*([\u4e00-\u9fff]{2,9}?[市县区旗])不动产", value)
    if m is None:
        m = re.search(r"([\u4e00-\u9fff]{2,4}?[市县区])不动产", value)
    return m.group(1) if m else None


#: What follows the place in a registration organ's name (杭州市规划和自然资源局,
#: 嘉善县自然资源局, 某某县国土资源局, 某某市不动产登记中心)
_ORGAN_WORDS = re.compile(r"(?:规划和自然资源|自然资源和规划|自然资源|国土资源|不动产登记)")


#: Words of a seal that is no registry's, whatever city it names: a company's, a bank's,
#: another department's (杭州市住房租赁发展有限公司 carries 杭州市 too)
_NOT_AN_ORGAN = re.compile(r"公司|集团|银行|公安|法院|民政|税务|街道|委员会|经纪|事务所")


def _rim_place(text: str) -> str | None:
    """The place a seal's rim names before its organ words (湖州市南浔区 of
    湖州市南浔区自然资源和规划局), or None when no organ words are read."""
    m = _ORGAN_WORDS.search(text)
    if m is None:
        return None
    head = re.sub(r"[^\u4e00-\u9fff]", "", text[: m.start()])
    return head[-8:] or None


def _place_chars(place: str) -> set[str]:
    """The characters that name a place (温州市瓯海区 → 温, 州, 瓯, 海), not its 市/县/区."""
    return {c for c in place if c not in "市县区"}


def _org_match(text: str, expected: str | None) -> bool | None:
    """Whether a seal's text names the organisation expected (True), another one (False), or
    cannot tell (None). A district's certificate may carry its city's bureau seal (温州市瓯海区
    and 温州市自然资源和规划局), a city's its district's: the city or the district is enough.
    Another place is another organisation only when it is read whole: a known organ's name,
    or a place ending in 市/县/区 before the organ words (路桥区自然资源和规划局); a rim read
    in part (州自然资源和规划局) tells nothing."""
    if not expected or len(text) < 3:
        return None
    if _NOT_AN_ORGAN.search(text):  # 杭州市住房租赁发展有限公司: the city's, not its registry
        return False
    city = re.match(r"[\u4e00-\u9fff]{1,4}?市", expected)
    names = [expected]
    if city:
        names.append(city.group(0))
        if len(expected) > len(city.group(0)) + 1:
            names.append(expected[len(city.group(0)) :])  # 瓯海区 of 温州市瓯海区
    for name in names:
        if name in text or (len(name) > 2 and name[:-1] in text):
            return True
    if any(o[:-1] in text for o in _ORGANS):
        return False
    place = _rim_place(text)
    own = _place_chars(expected)
    # a place no organ here bears, read whole and sharing nothing with the one expected (盈州市
    # for 杭州市 is the recogniser's, not another organ's)
    m = re.search(r"[\u4e00-\u9fff]{2,3}[市县区]$", place or "")
    if m and not set(m.group(0)[:-1]) & own:
        return False
    return None


def mismatch_is_clear(text: str, expected: str | None) -> bool:
    """Whether a seal read as naming another organisation (:func:`_org_match` False) names it
    beyond a misreading: its rim reads a known organ's whole name (城市 + 市/县 and the organ
    words) whose place differs from every place expected in both of its characters. 湖州 read
    for 杭州, or 广州 (no organ of this province) for 杭州, is one stroke of the recogniser
    away: such a mismatch is shown to a reviewer, not told to the citizen."""
    if not expected:
        return False
    place = _rim_place(text)
    if place is None:
        return False
    named = [o for o in _ORGANS if place.endswith(o) or place == o]
    if not named:
        return False
    own = _place_chars(expected)
    return not (set(named[0][:-1]) & own)


#: The confidence of a seal found away from its place whose rim names another organisation:
#: where it is says less than where a seal beside its label is, so the mismatch it shows is a
#: reviewer's (below the rule's CERTAIN_DETECTION, 0.85), never a citizen's to fix.
OFF_PLACE_SEAL = 0.7

#: The confidence of a square seal found: its text is read column by column, less surely
#: than a round seal's rim, so a mismatch it shows is reviewed (below the rule's 0.85).
SQUARE_SEAL = 0.75


@dataclass(frozen=True)
class _SealHit:
    cx: float
    cy: float
    r: float
    copy: bool = False
    square: bool = False
    red: float = 0.0  # red ink in the region, label-height² units
    faded: bool = False  # found only by its pale red (FADED_SATURATION)


#: A seal's size at most, in label line heights (a 42 mm seal over 4–5 mm print is ~9)
SEAL_MAX = 14

#: The saturation (HSV, 0–255) a faded seal's red keeps at least (a fresh one: 60)
FADED_SATURATION = 35


def _find_seal(
    img: np.ndarray, region: Box, lh: int, grey: bool, *, max_size: float | None = None
) -> tuple[_SealHit | None, float]:
    """The largest seal-shaped red blob in ``region`` (round, oval or square) and the red ink
    there (label-height² units); on a grey page a circle of seal size found by its outline
    instead (``copy``)."""
    x0, y0, x1, y1 = region
    patch = img[y0:y1, x0:x1]
    red = _red_mask(patch).astype(np.uint8)
    mass = float(red.sum()) / float(lh * lh)
    faded = False
    if mass <= 4:  # a faded seal's red is pale: less saturated, still a seal's shape below
        red = _red_mask(patch, FADED_SATURATION).astype(np.uint8)
        mass, faded = float(red.sum()) / float(lh * lh), True
    if mass > 4:
        closed = cv2.morphologyEx(red, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for c in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            _bx, _by, bw, bh = cv2.boundingRect(c)
            if max_size is not None and max(bw, bh) > max_size:
                continue
            # a seal is ≥ ~3 printed lines across (a square one is often smaller than a round)
            if min(bw, bh) >= 2.8 * lh and 0.6 <= bw / bh <= 1.6:
                (ccx, ccy), rr = cv2.minEnclosingCircle(c)
                # a square frame fills its (turned) bounding rectangle, a ring ~π/4 of it
                hull = float(cv2.contourArea(cv2.convexHull(c)))
                (_c, (rw, rh), _a) = cv2.minAreaRect(c)
                square = rw * rh > 0 and hull / (rw * rh) >= 0.9
                hit = _SealHit(ccx + x0, ccy + y0, rr, square=square, red=mass, faded=faded)
                return hit, mass
            break
    if grey:
        g = cv2.medianBlur(cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY), 5)
        circles = cv2.HoughCircles(
            g,
            cv2.HOUGH_GRADIENT,
            dp=1.5,
            minDist=6 * lh,
            param1=120,
            param2=55,
            minRadius=int(3 * lh),
            maxRadius=int(6 * lh),
        )
        if circles is not None:
            ccx, ccy, rr = (float(v) for v in circles[0][0])
            return _SealHit(ccx + x0, ccy + y0, rr, copy=True, red=mass), mass
    return None, mass


def _read_seal(
    engine: OcrEngine | None, img: np.ndarray, hit: _SealHit, expected: str | None
) -> tuple[str | None, bool | None]:
    """The seal's text and whether it names ``expected``. A round seal's rim is unrolled; a
    square seal's characters stand in columns (read right to left), each column is read as one
    strip (:func:`_read_square`); its detection is given less confidence (:data:`SQUARE_SEAL`),
    so a square seal naming another organisation is a reviewer's question, not a fix."""
    if engine is None:
        return None, None
    if hit.square:
        text = _read_square(engine, img, hit)
        return text, _org_match(text, expected)
    # a copy's circle is found on the grey page's edges: its ring is looked for in its ink
    cx, cy, r = _ring(img, hit.cx, hit.cy, hit.r) if hit.copy else (hit.cx, hit.cy, hit.r)
    return _read_round(engine, img, cx, cy, r, expected)


def _read_square(engine: OcrEngine, img: np.ndarray, hit: _SealHit) -> str:
    """A square seal's characters, column by column from the right: each column's red ink is
    turned into one horizontal strip and the strips are read in that order."""
    h, w = img.shape[:2]
    side = hit.r * 1.42
    x0, y0 = max(0, int(hit.cx - side / 2)), max(0, int(hit.cy - side / 2))
    x1, y1 = min(w, int(hit.cx + side / 2)), min(h, int(hit.cy + side / 2))
    m = _red_mask(img[y0:y1, x0:x1])
    if m.size == 0:
        return ""
    inner = m[
        int(m.shape[0] * 0.1) : int(m.shape[0] * 0.9), int(m.shape[1] * 0.1) : int(m.shape[1] * 0.9)
    ]
    cols = inner.sum(axis=0) > 0.02 * inner.shape[0]
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate([*cols, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if i - start > inner.shape[1] * 0.12:
                runs.append((start, i))
            start = None
    text = ""
    for a, b in reversed(runs):
        col = np.where(inner[:, a:b], 0, 255).astype(np.uint8)
        rows = col.min(axis=1) == 0
        cells: list[np.ndarray] = []
        s0 = None
        for i, on in enumerate([*rows, False]):
            if on and s0 is None:
                s0 = i
            elif not on and s0 is not None:
                if i - s0 > 3:
                    cells.append(col[s0:i])
                s0 = None
        if not cells:
            continue
        hh = max(c.shape[0] for c in cells)
        strip = np.hstack(
            [
                cv2.copyMakeBorder(c, 0, hh - c.shape[0], 4, 4, cv2.BORDER_CONSTANT, value=255)
                for c in cells
            ]
        )
        strip = cv2.copyMakeBorder(strip, 12, 12, 12, 12, cv2.BORDER_CONSTANT, value=255)
        lines = sorted(
            engine.read(cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)), key=lambda ln: ln.box[0]
        )
        text += "".join(normalize_text(ln.text) for ln in lines if ln.score >= 0.3)
    return text


def _seal_anywhere(
    img: np.ndarray,
    page: int,
    pl: MarkPlace,
    lh: int,
    engine: OcrEngine | None,
    grey: bool,
    expected: str | None,
) -> MarkResult | None:
    """A seal whose label was not found, looked for on the whole page. Nothing says where it
    should be, so what is found counts as the seal only when its rim text names the
    organisation expected (``present``); a seal-shaped blob whose text does not read as it is
    ``uncertain`` (a reviewer looks), and no blob is no result (the rule then says the place
    was not found). Never ``absent``: absence needs the place."""
    h, w = img.shape[:2]
    hit, _mass = _find_seal(img, (0, 0, w, h), lh, grey, max_size=SEAL_MAX * lh)
    if hit is None:
        return None
    copy = hit.copy
    box = _clip((hit.cx - hit.r, hit.cy - hit.r, hit.cx + hit.r, hit.cy + hit.r), w, h)
    text, match = _read_seal(engine, img, hit, expected)
    if match is True:
        conf = 0.6 if copy else SQUARE_SEAL if hit.square else 0.9
        return MarkResult(
            SEAL, pl.place, pl.who, page, PRESENT, conf, box, copy, text, expected, match
        )
    if match is False and not _NOT_AN_ORGAN.search(text or ""):
        # the rim names another registry: a seal, not the one expected (a company's stamp
        # away from the place, an agency's on a copy, is no claim to be the place's seal)
        conf = min(OFF_PLACE_SEAL, 0.6 if copy else 1.0)
        return MarkResult(
            SEAL, pl.place, pl.who, page, PRESENT, conf, box, copy, text, expected, match
        )
    return MarkResult(
        SEAL, pl.place, pl.who, page, UNCERTAIN, 0.5, box, copy, text, expected, match
    )


def _seal(
    img: np.ndarray,
    lb: _Label,
    engine: OcrEngine | None,
    grey: bool,
    expected: str | None,
) -> MarkResult:
    h, w = img.shape[:2]
    lh = max(8, lb.box[3] - lb.box[1])
    region = _clip(
        (lb.box[0] - 4 * lh, lb.box[1] - 8 * lh, lb.box[2] + 14 * lh, lb.box[3] + 10 * lh), w, h
    )
    who, place = lb.place.who, lb.place.place
    # no seal is fourteen label lines across: a blob that big is the photo's reddish table
    hit, mass = _find_seal(img, region, lh, grey, max_size=SEAL_MAX * lh)
    if hit is None:
        # printed away from its label (an e-certificate seals the foot's right, its label
        # left): a seal elsewhere on the page is this place's when its rim says so
        elsewhere = _seal_anywhere(img, lb.page, lb.place, lh, engine, grey, expected)
        if elsewhere is not None:
            return elsewhere
        if grey:  # a photocopy's seal may be too faint to find: never "absent"
            status, conf = UNCERTAIN, 0.5
        else:
            # absence from evidence: how much red there is (a seal leaves > 4 lh² of it), how
            # well the place was located, how well the capture shows ink
            patch = cv2.cvtColor(
                img[region[1] : region[3], region[0] : region[2]], cv2.COLOR_BGR2GRAY
            )
            loc = _location_quality(lb, region, lh) if patch.size else 0.5
            cap = _capture_quality(patch, grey) if patch.size else 0.5
            status, conf = ABSENT, _absent_confidence(mass / 4.0, loc, cap)
        return MarkResult(SEAL, place, who, lb.page, status, conf, region, expected_org=expected)
    copy = hit.copy
    box = _clip((hit.cx - hit.r, hit.cy - hit.r, hit.cx + hit.r, hit.cy + hit.r), w, h)
    text, match = _read_seal(engine, img, hit, expected)
    if hit.faded and match is None:
        # pale red of a seal's shape whose text says nothing: not known to be the registry's
        # seal, nor a seal at all (a reviewer looks; a foreign faded seal is never passed)
        return MarkResult(
            SEAL, place, who, lb.page, UNCERTAIN, 0.5, box, False, text, expected, None
        )
    conf = 0.6 if copy else SQUARE_SEAL if hit.square else 0.9
    if match is False and not mismatch_is_clear(text or "", expected):
        conf = min(conf, OFF_PLACE_SEAL)  # another organ, or a misreading: a reviewer looks
    return MarkResult(SEAL, place, who, lb.page, PRESENT, conf, box, copy, text, expected, match)


def detect(
    doc_type: DocType | str,
    images: Mapping[int, np.ndarray],
    segments: Sequence[Segment],
    fields: Mapping[str, Field],
    *,
    engine: OcrEngine | None = None,
) -> tuple[MarkResult, ...]:
    """The marks in every place of ``doc_type`` found on the pages ``images`` (index → BGR
    page as uploaded). A place whose label is not found is not reported (nothing to point
    at); a page without an image is skipped."""
    places = places_of(doc_type)
    if not places:
        return ()
    segments = _lines(segments)
    labels = _label_hits(places, segments)
    out: list[MarkResult] = []
    counters: dict[str, int] = {}
    greys: dict[int, bool] = {}
    printed: dict[int, list[tuple[Box, str, float]]] = {}
    for seg in segments:
        line = (seg.original_box(), normalize_text(seg.text), float(seg.score))
        printed.setdefault(seg.page, []).append(line)
    for lb in labels:
        img = images.get(lb.page)
        if img is None:
            continue
        if lb.page not in greys:
            greys[lb.page] = _is_grey(img)
        grey = greys[lb.page]
        pl = lb.place
        if SEAL in pl.kinds:
            if counters.get(pl.place):
                continue
            counters[pl.place] = 1
            out.append(_seal(img, lb, engine, grey, expected_org(pl, fields)))
            continue
        i = counters.get(pl.place, 0)
        counters[pl.place] = i + 1
        place = f"{pl.place}[{i}]" if pl.party else pl.place
        h, w = img.shape[:2]
        lh = max(8, lb.box[3] - lb.box[1])
        lb = _with_cells(img, lb, lh)
        region = _signature_region(lb, labels, w, h)
        if lb.span is None:
            cell = _cell_around(img, lb.box, lh)
            if cell is not None and _is_place(cell, lb.box, lh):
                region = _clip(cell, w, h)
        # printed lines other than the one holding the label (its label part is outside)
        # printed lines reaching out of the place (labels, the next rows); a line wholly inside
        # it is what was written there, read as text
        others = [
            b
            for b, text, score in printed.get(lb.page, [])
            if b != lb.row and not _written_in(b, text, score, region, lh)
        ]
        others.append(lb.box)
        # and the label's line up to the label's end: the place now starts at its left
        others.append((lb.row[0], lb.row[1], max(lb.row[0], lb.box[2]), lb.row[3]))
        loc = _location_quality(lb, region, lh)
        (s_st, s_cf), (f_st, f_cf) = _signature_and_fingerprint(img, region, lh, others, grey, loc)
        if PRESENT in (s_st, f_st) and engine is not None:
            # ink the page's reading missed may be print: a form's small grey hint （签名）, 请用
            # 黑色签字笔 under the line. Read the place itself; what reads as such words is print
            hints = _hints_in(engine, img, region, lh, others)
            if hints:
                others += hints
                (s_st, s_cf), (f_st, f_cf) = _signature_and_fingerprint(
                    img, region, lh, others, grey, loc
                )
        fp_region = region
        if lb.print_span is not None:  # a signing table: the fingerprint has its own column
            fp_region = _table_cell(lb, lb.print_span, w, h)
            _sig, (f_st, f_cf) = _signature_and_fingerprint(img, fp_region, lh, others, grey, loc)
        # the line the label is in may hold a name the recogniser read as text: that is ink
        if s_st != PRESENT and _names_written(lb.tail) and lb.row[2] > lb.box[2] + lh:
            s_st, s_cf = PRESENT, 0.7
        # or a signature the detector merged into the label's line box, before the place:
        # pen-coloured ink there (print is black) means the place is not known to be empty
        if s_st == ABSENT and not grey and _pen_ink(img, lb.row) > 0.05 * lh * lh:
            s_st, s_cf = UNCERTAIN, 0.5
        out.append(MarkResult(SIGNATURE, place, pl.who, lb.page, s_st, s_cf, region))
        if FINGERPRINT in pl.kinds:  # the agent signs only
            out.append(MarkResult(FINGERPRINT, place, pl.who, lb.page, f_st, f_cf, fp_region))
    # a seal place whose label was not read: look for the seal on the pages themselves
    heights = _line_heights(segments)
    for pl in places:
        if pl.kinds != (SEAL,) or counters.get(pl.place):
            continue
        for page in sorted(images):
            img = images[page]
            grey = greys.setdefault(page, _is_grey(img))
            lh = max(8, int(heights.get(page, 0.0)))
            hit = _seal_anywhere(img, page, pl, lh, engine, grey, expected_org(pl, fields))
            if hit is not None:
                out.append(hit)
                break
    return tuple(out)


#: Words a form prints in or beside a place to sign (hints, instructions), never in a name
_HINT_WORDS = re.compile(r"签[名字章]|指印|捺印|手印|盖章|请用|本人|填写|以下|正文|日期")


def _hints_in(
    engine: OcrEngine, img: np.ndarray, region: Box, lh: int, printed: Sequence[Box]
) -> list[Box]:
    """The lines in ``region`` that read surely as a form's printed words (:data:`_HINT_WORDS`),
    read again from the place's ink alone (outside the ``printed`` lines already read), enlarged
    when its print is small (page pixels). One recogniser call on the ink's extent."""
    x0, y0, x1, y1 = region
    patch = img[y0:y1, x0:x1]
    if patch.size == 0:
        return []
    dark = _pen_dark(cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY), lh)
    dark &= ~_boxes_mask(dark.shape, printed, x0, y0)
    dark &= ~_straight_strokes(dark, lh)
    ys, xs = np.nonzero(dark)
    if len(xs) == 0:
        return []
    m = lh // 2
    cx0, cy0 = max(0, int(xs.min()) - m), max(0, int(ys.min()) - m)
    cx1, cy1 = (
        min(patch.shape[1], int(xs.max()) + m + 1),
        min(patch.shape[0], int(ys.max()) + m + 1),
    )
    crop = patch[cy0:cy1, cx0:cx1]
    scale = 2.0 if lh < 40 else 1.0
    if scale != 1.0:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    ox, oy = x0 + cx0, y0 + cy0
    out: list[Box] = []
    for ln in engine.read(crop):
        if ln.score < PRINT_SCORE or not _HINT_WORDS.search(normalize_text(ln.text)):
            continue
        bx0, by0, bx1, by1 = ln.box
        out.append(
            (
                int(ox + bx0 / scale),
                int(oy + by0 / scale),
                round(ox + bx1 / scale + 0.49),
                round(oy + by1 / scale + 0.49),
            )
        )
    return out


def _with_cells(img: np.ndarray, lb: _Label, lh: int) -> _Label:
    """A signing table's place with its columns and row taken from the table's rules where
    they are found: a header is centred in its column, which may be far wider than it."""
    if lb.span is None or lb.head is None:
        return lb
    changes: dict[str, Any] = {}
    head = _cell_around(img, lb.head, lh)
    if head is not None:
        changes["span"] = (head[0], head[2])
    if lb.print_head is not None:
        ph = _cell_around(img, lb.print_head, lh)
        if ph is not None:
            changes["print_span"] = (ph[0], ph[2])
            if head is not None:  # the signature's column ends where the fingerprint's begins
                changes["span"] = (head[0], min(head[2], ph[0]))
    row = _cell_around(img, lb.box, lh)
    if row is not None and lb.rows is not None:
        # the row's rules, and a little beyond: a large signature overflows its cell
        changes["rows"] = (min(lb.rows[0], row[1]), max(lb.rows[1], row[3] + lh // 2))
    return dataclasses.replace(lb, **changes) if changes else lb


#: What a line may read after a label that is print, not a name written there: the next
#: label (日期, 签订时间), a date, the line to sign on read as dashes
_NOT_A_NAME = re.compile(r"日期|时间|年|月|日|签|盖章|手印|指印|捺印|确认|亲笔|[0-9_\-—.]")


#: A date's printed words alone (年, 月, 日 spaced out on a date line, read one by one)
_DATE_WORDS = re.compile(r"[年月日()（）:：]+")

#: A form's printed words no scrawl is read as: a printed line even when its blanks (___)
#: bring its score down to FORM_SCORE
_FORM_WORDS = re.compile(r"日期|签订|签署|年.{0,4}月|请用|本人|以下")
FORM_SCORE = 0.6

#: The recogniser's score of a printed line at least (print reads surely; a scrawl read as
#: text reads as a few unsure characters)
PRINT_SCORE = 0.85


def _names_written(tail: str) -> bool:
    """Whether the text read after a label in its line is a name written there (two Han
    characters or more, none of them the next label's or a date's), not print or a rule."""
    han = re.sub(r"[^\u4e00-\u9fff]", "", tail)
    return len(han) >= 2 and _NOT_A_NAME.search(tail) is None


def _written_in(b: Box, text: str, score: float, region: Box, lh: int) -> bool:
    """Whether the line ``b`` the recogniser read as ``text`` (at ``score``) is what was
    written in ``region`` rather than print: taller than print (a name written large, read as
    text, overflowing its cell) with its centre inside, or wholly inside and not print's
    (a name, :func:`_names_written`, or a scrawl read as a few characters or unsurely). A
    printed line inside the place (签订日期：2026年4月6日 under the line to sign on) is print."""
    x0, y0, x1, y1 = region
    cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    if b[3] - b[1] >= 1.4 * lh and x0 <= cx <= x1 and y0 <= cy <= y1:
        return True
    inside = (
        b[0] >= x0 - lh // 2
        and b[2] <= x1 + lh // 2
        and b[1] >= y0 - lh // 2
        and b[3] <= y1 + lh // 2
    )
    if not inside:
        return False
    if len(text) <= 6 and _names_written(text):
        return True
    if _DATE_WORDS.fullmatch(text) and score >= PRINT_SCORE:
        return False  # 年 … 月 … 日 printed apart on the line for the date
    if _FORM_WORDS.search(text) and score >= FORM_SCORE:
        return False  # 签订日期：___年__月__日, its blanks lowering the recogniser's score
    return len(text) <= 2 or score < PRINT_SCORE


def place_status(results: Sequence[MarkResult], place: str) -> str:
    """Whether ``place`` carries a mark of any of its kinds: ``present`` if one is present,
    ``absent`` if every kind is certainly absent, else ``uncertain``."""
    st = [r.status for r in results if r.place == place]
    if PRESENT in st:
        return PRESENT
    if st and all(s == ABSENT for s in st):
        return ABSENT
    return UNCERTAIN


def render_pdf_page(data: bytes, index: int, width: int, height: int) -> np.ndarray:
    """Page ``index`` of a PDF rendered to ``width`` × ``height`` (BGR), the frame of its
    text-layer boxes."""
    import pypdfium2 as pdfium

    from ocr.decode import _PDFIUM_LOCK

    with _PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[index]
            try:
                pw, _ = page.get_size()
                arr = page.render(scale=width / pw).to_numpy()
            finally:
                page.close()
        finally:
            pdf.close()
    img = np.ascontiguousarray(arr[:, :, :3]) if arr.ndim == 3 else np.repeat(arr[:, :, None], 3, 2)
    if img.shape[1] != width or img.shape[0] != height:
        img = cv2.resize(img, (width, height))
    return np.ascontiguousarray(img)
