"""Reading order and character-level addressing of the text found on a page.

Text lines (from OCR or a PDF text layer) are grouped into *rows* by vertical overlap and sorted
left to right; the page text is the rows joined by newlines. Every character of that text knows
the segment it came from, so a match found in the text (a label, a regex) maps back to a box:
within one segment the box is interpolated by character widths (CJK full width, ASCII half).

Bordered tables (cells from :func:`ocr.tables.find_cells`): :func:`assign_cells` puts every
line in the cell holding its centre; the lines of a cell that holds a value wrapped over two to
:data:`MAX_CELL_ROWS` lines become one segment (its lines joined in reading order, each keeping
its own box and score as a part), and rows are grouped by their cells' vertical extent, so a
one-line label cell sits in the same row as the wrapped value cell beside it.
"""

from __future__ import annotations

import bisect
import itertools
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from ocr.geometry import Geometry
from ocr.validators import normalize_text

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Segment:
    """One text line as recognised: normalised ``text``, ``score`` and ``box`` on ``page``.

    ``box`` is in the *upright* frame the text was read in (so rows and columns are
    horizontal); ``geometry`` maps that frame back to the original page (None: same frame).
    """

    text: str
    score: float
    box: Box
    page: int = 0
    geometry: Geometry | None = None
    #: the table cell the line lies in (upright frame), when it is in one
    cell: Box | None = None
    #: the lines a cell's joined segment is made of, in reading order (text = their texts)
    parts: tuple[Segment, ...] = ()
    #: offsets in ``text`` where the recogniser read a space (removed from ``text``) or where
    #: one of a joined cell's lines starts: where two names printed apart meet
    gaps: tuple[int, ...] = ()

    def original_box(self, box: Box | None = None) -> tuple[int, int, int, int]:
        x0, y0, x1, y1 = box if box is not None else self.box
        if self.geometry is None:
            return (int(x0), int(y0), round(x1 + 0.49), round(y1 + 0.49))
        return self.geometry.box_to_original([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]

    @property
    def cy(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def extent(self) -> tuple[float, float]:
        """The vertical extent that decides its row: its cell's, when it is in one."""
        b = self.cell if self.cell is not None else self.box
        return (b[1], b[3])

    def pieces(self, lo: int, hi: int) -> list[tuple[Segment, Box]]:
        """The lines holding characters ``lo..hi-1`` and those characters' boxes (upright)."""
        if not self.parts:
            return [(self, _sub_box(self, lo, hi))]
        out = []
        off = 0
        for part in self.parts:
            a, b = max(lo - off, 0), min(hi - off, len(part.text))
            if a < b:
                out.append((part, _sub_box(part, a, b)))
            off += len(part.text)
        return out


def _char_weight(c: str) -> float:
    return 0.55 if ord(c) < 0x2E80 else 1.0


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    score: float
    page: int
    box: tuple[int, int, int, int]
    #: the same characters in the upright frame they were read in (for layout decisions)
    frame_box: Box = (0.0, 0.0, 0.0, 0.0)


class PageText:
    """Rows of segments of one or more pages in reading order, addressable by character."""

    def __init__(self, segments: Sequence[Segment]) -> None:
        self.rows: list[list[Segment]] = []
        for page in sorted({s.page for s in segments}):
            self.rows.extend(group_rows([s for s in segments if s.page == page]))
        parts: list[str] = []
        self._owner: list[int] = []  # char -> segment index (-1 for separators)
        self._offset: list[int] = []
        self.segments: list[Segment] = []
        self.row_of_segment: list[int] = []
        #: offset in :attr:`text` where each segment's text starts
        self.seg_start: list[int] = []
        for r, row in enumerate(self.rows):
            for seg in row:
                k = len(self.segments)
                self.segments.append(seg)
                self.row_of_segment.append(r)
                self.seg_start.append(len(self._owner))
                parts.append(seg.text)
                self._owner.extend([k] * len(seg.text))
                self._offset.extend(range(len(seg.text)))
                # a tab between segments of a row keeps columns apart for regexes
                parts.append("\t")
                self._owner.append(-1)
                self._offset.append(0)
            if parts:
                parts[-1] = "\n"
        self.text = "".join(parts)

    def spaced(self, start: int, end: int) -> str:
        """``text[start:end]`` with a space where the recogniser read one (see
        :attr:`Segment.gaps`) and between segments: words printed apart stay apart."""
        out = []
        for i in range(start, min(end, len(self.text))):
            k = self._owner[i]
            if k < 0:
                out.append(" ")
                continue
            if i > start and self._offset[i] in self.segments[k].gaps:
                out.append(" ")
            out.append(self.text[i])
        return "".join(out)

    def segment_at(self, pos: int) -> int:
        """Index of the segment holding character ``pos`` (-1 for a separator)."""
        return self._owner[pos] if 0 <= pos < len(self._owner) else -1

    def segment_span(self, k: int) -> Span | None:
        """The whole of segment ``k``."""
        a = self.seg_start[k]
        return self.span(a, a + len(self.segments[k].text))

    def row_text(self, r: int) -> str:
        return "\t".join(s.text for s in self.rows[r])

    def row_start(self, r: int) -> int:
        """Character offset of row ``r`` in :attr:`text`."""
        return sum(len(self.row_text(i)) + 1 for i in range(r))

    def span(self, start: int, end: int) -> Span | None:
        """The box (union over segments) and min score of text[start:end]."""
        pieces: dict[int, tuple[int, int]] = {}
        for i in range(start, min(end, len(self._owner))):
            k = self._owner[i]
            if k < 0:
                continue
            off = self._offset[i]
            lo, hi = pieces.get(k, (off, off))
            pieces[k] = (min(lo, off), max(hi, off))
        if not pieces:
            return None
        boxes = []
        frame = []
        scores = []
        page = 0
        for k, (lo, hi) in pieces.items():
            seg = self.segments[k]
            page = seg.page
            for part, sub in seg.pieces(lo, hi + 1):
                scores.append(part.score)
                frame.append(sub)
                boxes.append(part.original_box(sub))
        box = union_box(boxes)
        return Span(start, end, self.text[start:end], min(scores), page, box, union_box(frame))

    def find(self, pattern: str | re.Pattern[str], start: int = 0) -> re.Match[str] | None:
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        return rx.search(self.text, start)


N = TypeVar("N", int, float)


def union_box(boxes: Sequence[tuple[N, N, N, N]]) -> tuple[N, N, N, N]:
    """The smallest box holding every one of ``boxes`` (x0, y0, x1, y1); at least one box."""
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _sub_box(seg: Segment, lo: int, hi: int) -> Box:
    t = seg.text
    if lo <= 0 and hi >= len(t):
        return seg.box
    w = [_char_weight(c) for c in t]
    total = sum(w) or 1.0
    x0, y0, x1, y1 = seg.box
    a = x0 + (x1 - x0) * sum(w[:lo]) / total
    b = x0 + (x1 - x0) * sum(w[:hi]) / total
    return (a, y0, b, y1)


def group_rows(segments: Sequence[Segment]) -> list[list[Segment]]:
    """Group segments whose vertical extents overlap by more than half the larger height (a
    segment spanning two lines, e.g. a label beside a wrapped value, joins neither)."""
    rows: list[list[Segment]] = []
    spans: list[tuple[float, float]] = []
    for seg in sorted(segments, key=lambda s: (sum(s.extent) / 2, s.box[0])):
        placed = False
        s0, s1 = seg.extent
        for i, (top, bot) in enumerate(spans):
            overlap = min(bot, s1) - max(top, s0)
            ref = max(bot - top, s1 - s0)
            if ref > 0 and overlap > 0.5 * ref:
                rows[i].append(seg)
                spans[i] = (min(top, s0), max(bot, s1))
                placed = True
                break
        if not placed:
            rows.append([seg])
            spans.append((s0, s1))
    order = sorted(range(len(rows)), key=lambda i: (spans[i][0] + spans[i][1]) / 2)
    return [sorted(rows[i], key=lambda s: s.box[0]) for i in order]


def make_segment(
    text: str, score: float, box: Box, page: int, geometry: Geometry | None = None
) -> Segment | None:
    t = normalize_text(text)
    if not t:
        return None
    return Segment(
        text=t, score=float(score), box=box, page=page, geometry=geometry, gaps=_gaps(text)
    )


def _gaps(text: str) -> tuple[int, ...]:
    """Offsets in ``normalize_text(text)`` where a run of spaces between characters was."""
    words = normalize_text_words(text)
    if "".join(words) != normalize_text(text):  # a character NFKC turns into a space
        return ()
    out, off = [], 0
    for w in words[:-1]:
        off += len(w)
        out.append(off)
    return tuple(out)


def normalize_text_words(text: str) -> list[str]:
    """``normalize_text`` per space-separated word (their concatenation is the segment text)."""
    return [w for w in (normalize_text(x) for x in text.split()) if w]


def spaced(seg: Segment, lo: int = 0, hi: int | None = None) -> str:
    """``seg.text[lo:hi]`` with a space at each of its :attr:`Segment.gaps`."""
    hi = len(seg.text) if hi is None else hi
    cuts = [g for g in seg.gaps if lo < g < hi]
    out, a = [], lo
    for g in cuts:
        out.append(seg.text[a:g])
        a = g
    out.append(seg.text[a:hi])
    return " ".join(out)


class FlatText:
    """:class:`PageText` with row and column breaks removed, for prose that wraps across lines;
    offsets map back to the page text."""

    def __init__(self, pt: PageText) -> None:
        self.pt = pt
        idx = [i for i, c in enumerate(pt.text) if c not in "\t\n"]
        self.text = "".join(pt.text[i] for i in idx)
        self._map = idx

    def page_offset(self, i: int) -> int:
        """The offset in the page text of flat character ``i`` (its end past the last)."""
        return self._map[i] if i < len(self._map) else len(self.pt.text)

    def flat_offset(self, j: int) -> int:
        """The first flat character at or after page-text offset ``j``."""
        return bisect.bisect_left(self._map, j)

    def span(self, start: int, end: int) -> Span | None:
        if start >= end or start >= len(self._map):
            return None
        s = self.pt.span(self._map[start], self._map[end - 1] + 1)
        if s is None:
            return None
        return Span(start, end, self.text[start:end], s.score, s.page, s.box, s.frame_box)


#: A cell holding more lines than this is a frame around text, not a table cell.
MAX_CELL_ROWS = 4


def _inside(seg: Segment, cell: Box) -> bool:
    cx = (seg.box[0] + seg.box[2]) / 2
    return cell[0] <= cx <= cell[2] and cell[1] <= seg.cy <= cell[3]


#: A band of this many side-by-side cells holding the same rows is a table whose row rulings
#: were not found (thin or blurred lines), not values wrapped in their cells.
UNRULED_MIN_CELLS = 3


#: ...and their rows lie apart as a table's rows do (a row's padding between the lines), at
#: least this many line heights from centre to centre; the lines of a value wrapped in its
#: cell follow each other at about one line height.
UNRULED_MIN_PITCH = 1.25


def _row_pitch(rows: list[list[Segment]]) -> float:
    """Median distance between consecutive rows' centres, in median line heights."""
    ys = [sum(s.cy for s in r) / len(r) for r in rows]
    h = statistics.median(s.height for r in rows for s in r) or 1.0
    return statistics.median(b - a for a, b in itertools.pairwise(ys)) / h


def _unruled_rows(cells: Sequence[Box], rows_of: Mapping[int, list[list[Segment]]]) -> set[int]:
    """The cells whose lines are rows of a table whose horizontal rulings were missed: at
    least :data:`UNRULED_MIN_CELLS` cells side by side (overlapping vertically) each hold the
    same number (≥ 2) of rows at the same heights (centres within half a line), spaced as
    table rows (:data:`UNRULED_MIN_PITCH`). Joined, each
    such cell would read a whole column as one value instead of each row's; a value
    wrapped in its cell has a label cell beside it with other rows."""
    multi = {
        i: [sum(s.cy for s in r) / len(r) for r in rows]
        for i, rows in rows_of.items()
        if 2 <= len(rows) <= MAX_CELL_ROWS and _row_pitch(rows) >= UNRULED_MIN_PITCH
    }
    out: set[int] = set()
    for i, ys in multi.items():
        c = cells[i]
        h = min(s.height for r in rows_of[i] for s in r) or 1.0
        aligned = [
            j
            for j, yj in multi.items()
            if len(yj) == len(ys)
            and cells[j][1] < c[3]
            and c[1] < cells[j][3]
            and all(abs(a - b) <= 0.5 * h for a, b in zip(ys, yj, strict=True))
        ]
        if len(aligned) >= UNRULED_MIN_CELLS:
            out.update(aligned)
    return out


def assign_cells(segments: Sequence[Segment], cells: Sequence[Box]) -> list[Segment]:
    """``segments`` (one page, upright frame) with their table cells: each line in the smallest
    cell holding its centre; a cell's lines spread over 2..MAX_CELL_ROWS rows joined into one
    segment. Lines outside any cell, or in a cell with more rows, are returned as they were."""
    if not cells:
        return list(segments)
    by_cell: dict[int, list[Segment]] = {}
    free: list[Segment] = []
    for seg in segments:
        holders = [i for i, c in enumerate(cells) if _inside(seg, c)]
        if not holders:
            free.append(seg)
            continue
        best = min(holders, key=lambda i: (cells[i][2] - cells[i][0]) * (cells[i][3] - cells[i][1]))
        by_cell.setdefault(best, []).append(seg)
    out = free
    rows_of = {i: group_rows(segs) for i, segs in by_cell.items()}
    unruled = _unruled_rows(cells, rows_of)
    for i, segs in by_cell.items():
        cell = cells[i]
        rows = rows_of[i]
        if len(rows) > MAX_CELL_ROWS or i in unruled:
            out.extend(segs)
            continue
        if len(rows) == 1:
            out.extend(replace(s, cell=cell) for s in rows[0])
            continue
        parts = tuple(s for row in rows for s in row)
        gaps: list[int] = []
        off = 0
        for p in parts:
            if off:
                gaps.append(off)
            gaps.extend(off + g for g in p.gaps)
            off += len(p.text)
        out.append(
            Segment(
                text="".join(p.text for p in parts),
                gaps=tuple(gaps),
                score=min(p.score for p in parts),
                box=(
                    min(p.box[0] for p in parts),
                    min(p.box[1] for p in parts),
                    max(p.box[2] for p in parts),
                    max(p.box[3] for p in parts),
                ),
                page=parts[0].page,
                geometry=parts[0].geometry,
                cell=cell,
                parts=parts,
            )
        )
    return out
