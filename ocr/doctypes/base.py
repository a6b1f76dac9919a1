"""What every document-type module builds on: the type's description (:class:`DocumentType`),
label/value lookups on one document's text (:class:`Reader`) and the field helpers.

Extraction reads the layout, not a text blob: a label is found in a *row* (segments grouped by
vertical overlap, see :mod:`ocr.layout`), its value is what follows it in that row up to the next
label of the same document, continuation rows are those indented to the value column, and
prose fields (contracts) are matched across line wraps. Every value keeps the box of the
characters it came from.

Confidence of a field = the lowest recogniser score among its characters' lines, then capped by
its validator: a value failing its check is capped at 0.3 (``LOW_CONFIDENCE`` is 0.8), a value
inconsistent with another field of the same document (ID number vs printed birth date and sex)
at 0.4. ``Field.valid`` says whether a validator ran and passed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ocr.document import DocType, Field
from ocr.layout import FlatText, PageText, Span, union_box
from ocr.validators import (
    id_birth_date,
    id_number_suggestion,
    id_sex,
    is_valid_certificate_number,
    is_valid_id_number,
    parse_date,
)

INVALID_CAP = 0.3
INCONSISTENT_CAP = 0.4
#: The most a value is trusted when its cell or block may not have been read whole (a line
#: under it in its column that could be its continuation), or when two readings disagree.
PARTIAL_CAP = 0.6
#: The most rows a value wraps over after its first.
MAX_WRAP_ROWS = 4

Extractor = Callable[[PageText, date | None], dict[str, Field]]


@dataclass(frozen=True)
class DocumentType:
    """One document type: how it is recognised and read.

    ``keywords``: (word, weight) for classification, titles weighing more than labels other
    documents quote; ``foreign``: words never on this type (their presence halves its score);
    ``labels``: each label's wordings as real documents print them (the first is the canonical
    one); ``fields``: the CONTRACT §3 field names it yields; ``extract``: the reader."""

    doc_type: DocType
    keywords: tuple[tuple[str, float], ...]
    fields: tuple[str, ...]
    extract: Extractor
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    foreign: tuple[str, ...] = ()

    def wordings(self) -> list[str]:
        """Every wording of every label (for a :class:`Reader`'s stop list)."""
        return [w for ws in self.labels.values() for w in ws]


def weighted(spec: str) -> tuple[tuple[str, float], ...]:
    """A :class:`DocumentType`'s ``keywords`` written ``"word:weight word:weight …"``; a word
    may be synonyms joined by ``|`` (``出卖人|转让方:3``), found when any of them is."""
    return tuple((w, float(n)) for w, n in (item.split(":") for item in spec.split()))


# ---------------------------------------------------------------- label matching

#: Characters a recogniser returns for a label's character (traditional forms, look-alikes).
CONFUSABLE: dict[str, str] = {
    "号": "號弓",
    "码": "碼玛",
    "坐": "座",
    "落": "洛",
    "权": "權杈",
    "证": "証證",
    "积": "積",
    "日": "曰",
    "址": "趾",
    "关": "關",
    "发": "發",
    "签": "簽",
    "龄": "齡",
    "单": "單",
    "称": "稱",
    "册": "冊",
    "资": "資",
    "场": "場",
    "机": "機",
    "类": "類",
    "质": "質",
}


def label_rx(label: str) -> str:
    """A regex for ``label`` as read: a segment break may fall inside it (a tab) and each
    character may come back as one of its :data:`CONFUSABLE` look-alikes."""
    parts = []
    for c in label:
        alts = CONFUSABLE.get(c, "")
        parts.append("[" + re.escape(c + alts) + "]" if alts else re.escape(c))
    return r"[\t]?".join(parts)


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Hit:
    value: str
    span: Span | None
    spans: tuple[Span, ...] = ()
    #: False when the value may not have been read whole (a wrap that could not be decided)
    whole: bool = True
    #: the value's text as it was recognised, one piece per line segment (a list of names
    #: printed apart, 王小明  李芳 or one per line, has lost its spaces in ``value``)
    pieces: tuple[str, ...] = ()

    def field(self, value: Any = None, *, cap: float = 1.0, valid: bool | None = None) -> Field:
        spans = [s for s in (self.span, *self.spans) if s is not None]
        if not spans:
            return Field(value=value if value is not None else self.value, confidence=0.0)
        page = spans[0].page
        same = [s for s in spans if s.page == page]
        box = (
            min(s.box[0] for s in same),
            min(s.box[1] for s in same),
            max(s.box[2] for s in same),
            max(s.box[3] for s in same),
        )
        conf = min(min(s.score for s in spans), cap)
        if not self.whole and valid is not True:
            # (a value that passed its validator has the whole of its format)
            conf = min(conf, PARTIAL_CAP)
        return Field(
            value=value if value is not None else self.value,
            confidence=round(conf, 4),
            page=page,
            box=box,
            valid=valid,
        )


class Reader:
    """Label/value lookups on one document's text."""

    def __init__(self, pt: PageText, labels: Sequence[str]) -> None:
        self.pt = pt
        self.flat = FlatText(pt)
        self.labels = sorted(labels, key=len, reverse=True)
        # a label stops a value only where a segment starts: "共有宗地面积" holds "面积"
        self._stop = (
            re.compile(r"(?:(?<=[\t\n])|^)(?:" + "|".join(label_rx(x) for x in self.labels) + ")")
            if labels
            else None
        )

    def first(self, *labels: str, multiline: bool = False, start: int = 0) -> Hit | None:
        """:meth:`value` of the earliest of several wordings of one label."""
        best: tuple[int, Hit] | None = None
        for label in labels:
            m = re.compile(label_rx(label)).search(self.pt.text, start)
            if m is None or (best is not None and m.start() >= best[0]):
                continue
            h = self.value(label, multiline=multiline, start=m.start())
            if h is not None:
                best = (m.start(), h)
        return best[1] if best is not None else None

    def value(
        self,
        label: str,
        *,
        multiline: bool = False,
        start: int = 0,
    ) -> Hit | None:
        """What follows ``label`` in its row (up to the next known label), plus continuation
        rows indented to the value column when ``multiline``."""
        rx = re.compile(label_rx(label) + r"[\t:：]*")
        m = rx.search(self.pt.text, start)
        if m is None:
            return None
        line_end = self.pt.text.find("\n", m.end())
        line_end = len(self.pt.text) if line_end < 0 else line_end
        end = line_end
        if self._stop is not None:
            s = self._stop.search(self.pt.text, m.end(), line_end)
            if s is not None:
                end = s.start()
        v0 = m.end()
        raw = self.pt.text[v0:end]
        value = raw.replace("\t", "")
        spans: list[Span] = []
        first = self.pt.span(v0, end) if value else None
        if first is None:
            # nothing after the label in its row: the value wraps beside it or sits under it
            return self._detached(m, multiline=multiline)
        col = first.frame_box[0]
        height = max(1.0, first.frame_box[3] - first.frame_box[1])
        # the value's column ends where the next label of its row starts (a two-column form)
        col_end = float("inf")
        if end < line_end and (k_stop := self.pt.segment_at(end)) >= 0:
            col_end = self.pt.segments[k_stop].box[0]
        pos = line_end + 1
        bottom = first.frame_box[3]
        pieces = [self.pt.spaced(v0, end)]
        if not multiline:
            # a line in the value's column right below it: the value may wrap there (this
            # field is not read over lines), so it may not have been read whole
            more = self._continuation(pos, first.page, col, col_end, height, bottom)
            return Hit(value=value, span=first, whole=not more, pieces=tuple(pieces))
        for _ in range(MAX_WRAP_ROWS):
            more = self._continuation(pos, first.page, col, col_end, height, bottom)
            if not more:
                break
            for k in more:
                sp = self.pt.segment_span(k)
                if sp is not None:
                    value += sp.text
                    spans.append(sp)
                    pieces.append(self.pt.spaced(sp.start, sp.end))
            bottom = max(self.pt.segments[k].box[3] for k in more)
            nl = self.pt.text.find("\n", pos)
            pos = len(self.pt.text) if nl < 0 else nl + 1
        return Hit(value=value, span=first, spans=tuple(spans), pieces=tuple(pieces))

    def _continuation(
        self, pos: int, page: int, col: float, col_end: float, height: float, bottom: float
    ) -> list[int]:
        """The lines of the row at text offset ``pos`` that continue a value in the column
        ``col``..``col_end`` whose last line ends at ``bottom``: the row's lines in that column,
        the first starting at ``col`` (±1.5 line heights) and at most 1.2 line heights below;
        none when a line of the row up to the column's end starts with a label (a new field)."""
        if pos >= len(self.pt.text):
            return []
        nl = self.pt.text.find("\n", pos)
        nl = len(self.pt.text) if nl < 0 else nl
        row = sorted({self.pt.segment_at(i) for i in range(pos, nl)} - {-1})
        segs = self.pt.segments
        if any(segs[k].box[0] < col_end - 0.5 * height and self.starts_label(k) for k in row):
            return []
        cand = [k for k in row if col - 1.5 * height <= segs[k].box[0] < col_end - 0.5 * height]
        if not cand or segs[cand[0]].page != page:
            return []
        first = segs[cand[0]]
        if abs(first.box[0] - col) > 1.5 * height:
            return []
        if not (-0.3 * height <= min(segs[k].box[1] for k in cand) - bottom <= 1.2 * height):
            return []
        return cand

    def starts_label(self, k: int) -> bool:
        """Segment ``k`` begins with a known label."""
        if self._stop is None:
            return False
        return self._stop.match(self.pt.text, self.pt.seg_start[k]) is not None

    def _detached(self, m: re.Match[str], *, multiline: bool) -> Hit | None:
        """The value of a label with nothing after it in its row (a block layout): the lines
        right of the label overlapping it vertically (a value wrapped beside its label, the
        label centred on it), else the lines under the label in its column (label above the
        value; more than one line only when ``multiline``). Never a line starting with a label
        or one in a row where another label precedes it."""
        pt = self.pt
        lab = pt.span(m.start(), m.end())
        k_label = pt.segment_at(m.start())
        if lab is None or k_label < 0:
            return None
        lx0, ly0, lx1, ly1 = lab.frame_box
        h = max(1.0, ly1 - ly0)
        r_label = pt.row_of_segment[k_label]

        def usable(k: int) -> bool:
            seg = pt.segments[k]
            if k == k_label or seg.page != lab.page or self.starts_label(k):
                return False
            r = pt.row_of_segment[k]
            return not any(
                j != k_label and pt.row_of_segment[j] == r and j < k and self.starts_label(j)
                for j in range(max(0, k - 8), k)
            )

        beside = [
            k
            for k, seg in enumerate(pt.segments)
            if lx1 - 0.5 * h <= seg.box[0] <= lx1 + 6 * h
            and seg.box[3] > ly0 - 0.25 * h
            and seg.box[1] < ly1 + 0.25 * h
            and pt.row_of_segment[k] != r_label
            and usable(k)
        ]
        if beside:
            ks = sorted(beside, key=lambda k: pt.segments[k].cy)
            if not multiline:
                ks = ks[:1]
        else:
            right = [s.box[0] for s in pt.rows[r_label] if s.box[0] > lx1]
            col_end = min(right, default=float("inf"))
            ks = []
            bottom = ly1
            for r in range(r_label + 1, min(len(pt.rows), r_label + 5)):
                row = [
                    k
                    for k in range(len(pt.segments))
                    if pt.row_of_segment[k] == r
                    and lx0 - 2 * h <= pt.segments[k].box[0] < col_end - h
                ]
                if not row or any(self.starts_label(k) for k in row):
                    break
                top = min(pt.segments[k].box[1] for k in row)
                if top - bottom > 1.5 * h or pt.segments[row[0]].page != lab.page:
                    break
                ks.extend(row)
                bottom = max(pt.segments[k].box[3] for k in row)
                if not multiline:
                    break
        spans = [sp for k in ks if (sp := pt.segment_span(k)) is not None]
        if not spans:
            return None
        value = "".join(sp.text for sp in spans)
        pieces = tuple(pt.spaced(sp.start, sp.end) for sp in spans)
        return Hit(value=value, span=spans[0], spans=tuple(spans[1:]), pieces=pieces)

    def under_header(self, label: str, value: str) -> Hit | None:
        """The cell under ``label`` in a table with a header row (幢号 房号 … 建筑面积(㎡) over
        a row of figures): ``label`` starts a segment of a row of at least three segments none
        of which holds a digit, and the next row holds one segment fullmatching ``value`` (a
        regex) whose centre lies within the label's column."""
        pt = self.pt
        rx = re.compile(label_rx(label))
        for k, seg in enumerate(pt.segments):
            if rx.match(seg.text) is None:
                continue
            r = pt.row_of_segment[k]
            header = pt.rows[r]
            if len(header) < 3 or any(ch.isdigit() for h in header for ch in h.text):
                continue
            if r + 1 >= len(pt.rows):
                continue
            x0, _, x1, _ = seg.box
            below = [
                j
                for j, sj in enumerate(pt.segments)
                if pt.row_of_segment[j] == r + 1
                and sj.page == seg.page
                and x0 - 0.5 * seg.height <= (sj.box[0] + sj.box[2]) / 2 <= x1 + 0.5 * seg.height
            ]
            if len(below) != 1 or re.fullmatch(value, pt.segments[below[0]].text) is None:
                continue
            sp = pt.segment_span(below[0])
            if sp is not None:
                return Hit(value=pt.segments[below[0]].text, span=sp)
        return None

    def regex(
        self, pattern: str, *, group: int = 1, start: int = 0, rows: bool = False
    ) -> Hit | None:
        """First match in the flat text (line wraps removed), or with ``rows`` in the page text
        (rows separated by newlines, segments by tabs)."""
        text = self.pt.text if rows else self.flat.text
        m = re.compile(pattern).search(text, start)
        if m is None:
            return None
        span_of = self.pt.span if rows else self.flat.span
        return Hit(value=m.group(group), span=span_of(m.start(group), m.end(group)))

    def regex_all(self, pattern: str, *, group: int = 1) -> list[tuple[Hit, int]]:
        out = []
        for m in re.compile(pattern).finditer(self.flat.text):
            out.append(
                (
                    Hit(value=m.group(group), span=self.flat.span(m.start(group), m.end(group))),
                    m.start(),
                )
            )
        return out


# ---------------------------------------------------------------- field helpers


def date_field(hit: Hit | None) -> Field | None:
    if hit is None:
        return None
    iso = parse_date(hit.value)
    if iso is None:
        return hit.field(hit.value, cap=INVALID_CAP, valid=False)
    return hit.field(iso, valid=True)


def text_field(hit: Hit | None, *, strip: str = "") -> Field | None:
    if hit is None:
        return None
    # marks a recogniser reads at a value's ends (dust, a ruling line's end) are not the value
    v = hit.value.strip(strip + " .·,:;，。：；、'\"`")
    if not v:
        return None
    return hit.field(v)


# stray marks a recogniser reads between the characters of an address (dust, a seal's edge)
_ADDRESS_NOISE = re.compile(r"[.·,，。、:：;；'\"`]+(?=[\u4e00-\u9fff\d])|[.·,，。、:：;；'\"`]+$")


_ALIAS = re.compile(r"[(（]\s*(?:以下|下文|下称|(?:统|简)称)[^)）]*(?:[)）].*)?$")


def address_field(hit: Hit | None) -> Field | None:
    """A text field holding an address, without stray punctuation between its characters."""
    f = text_field(hit)
    if f is None:
        return None
    # a label's parenthesised rest read into the value: 住所(经营场所)
    v = re.sub(r"^[(（][^)）]{1,6}[)）]", "", str(f.value))
    # what the document calls the place from then on is not part of the address:
    # ...302室(以下简称该房屋), ...(下称"房屋"); the value ends where the parenthesis opens
    v = _ALIAS.sub("", v)
    v = _ADDRESS_NOISE.sub("", v)
    return Field(v, f.confidence, f.page, f.box, f.suggestion, f.valid) if v else None


def name_field(hit: Hit | None) -> Field | None:
    """A text field holding a person's name: a parenthesised role before it (``(负责人)``) and
    marks around it dropped."""
    f = text_field(hit)
    if f is None:
        return None
    v = re.sub(r"^[(（][^)）]{1,6}[)）]", "", str(f.value)).strip("·.,:：;；☑□■√ ")
    return Field(v, f.confidence, f.page, f.box, f.suggestion, f.valid) if v else None


ID_RX = r"(?<![0-9A-Za-z])([0-9]{14,17}[0-9Xx×]{1,3})(?![0-9])"


def clean_id(v: str) -> str:
    return v.replace("×", "X").upper()


def id_number_field(
    hit: Hit | None,
    *,
    birth_date: str | None = None,
    sex: str | None = None,
    today: date | None = None,
) -> Field | None:
    """An ID number field, validated (GB 11643) and cross-checked with the printed birth date and
    sex when given; a single-character correction goes to ``suggestion``."""
    if hit is None:
        return None
    n = clean_id(hit.value)
    born = date.fromisoformat(birth_date) if birth_date else None
    if not is_valid_id_number(n, today=today):
        f = hit.field(n, cap=INVALID_CAP, valid=False)
        sug = id_number_suggestion(n, birth_date=born, sex=sex, today=today)
        return Field(f.value, f.confidence, f.page, f.box, suggestion=sug, valid=False)
    cap = 1.0
    if born is not None and id_birth_date(n) != born:
        cap = INCONSISTENT_CAP
    if sex in ("男", "女") and id_sex(n) != sex:
        cap = INCONSISTENT_CAP
    return hit.field(n, cap=cap, valid=True)


def join(fields: Sequence[Field], value: Any) -> Field:
    """One field made of several (a list value): min confidence, union box on the first page."""
    real = [f for f in fields if f.box is not None]
    if not real:
        return Field(value=value, confidence=0.0)
    page = real[0].page
    same = [f for f in real if f.page == page and f.box is not None]
    boxes = [f.box for f in same if f.box is not None]
    box = union_box(boxes)
    valid = (
        None if all(f.valid is None for f in fields) else all(f.valid is not False for f in fields)
    )
    return Field(
        value=value,
        confidence=min(f.confidence for f in fields),
        page=page,
        box=box,
        valid=valid,
    )


def put(out: dict[str, Field], name: str, f: Field | None) -> None:
    if f is not None:
        out[name] = f


def capped(f: Field, cap: float) -> Field:
    """``f`` with its confidence at most ``cap`` (everything else kept)."""
    return Field(f.value, min(f.confidence, cap), f.page, f.box, f.suggestion, f.valid)


PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
CERT_NO_RX = rf"([{PROV}]\(\d{{4}}\)[\u4e00-\u9fa5]{{1,20}}?不动产(?:权|证明)第\d{{5,8}}号)"


def cert_field(hit: Hit | None, today: date | None) -> Field | None:
    if hit is None:
        return None
    ok = is_valid_certificate_number(hit.value, today=today)
    return hit.field(hit.value, cap=1.0 if ok else INVALID_CAP, valid=ok)


def split_names(v: str | Hit) -> list[str]:
    """The names of a list: separated by 、，;/, or printed apart (a space the recogniser read,
    separate lines of a cell or block: 楼妍  方国平). A single character between spaces is no
    name (a name spaced wide, or wrapped inside): it stays with its neighbour."""
    text = " ".join(v.pieces) if isinstance(v, Hit) and v.pieces else str(getattr(v, "value", v))
    out: list[str] = []
    for chunk in re.split(r"[、,，;；/]+", text):
        words: list[str] = []
        for w in chunk.split():
            if words and (len(w) == 1 or len(words[-1]) == 1):
                words[-1] += w
            else:
                words.append(w)
        out += words
    return out
