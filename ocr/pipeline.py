"""The document-AI pipeline: bytes → :class:`~ocr.document.Document`.

    decode → per page: quality metrics → geometry (orientation, perspective crop, deskew,
    detector sizing; every step recorded) → OCR engine → boxes mapped back to the original page
    → text-based quality checks → table cells (lines of a wrapped cell joined) → classification
    → field extraction + validators.

:class:`OcrPipeline` is built once per process (it holds the loaded engines) and its
:meth:`~OcrPipeline.analyze` may be called from several threads. :func:`analyze` is the
functional entry point.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from ocr import geometry as geo
from ocr import marks, quality
from ocr.decode import DecodedPage, decode
from ocr.document import DOC_TYPES, DocType, Document, Field, IdCardSide, QualityIssue
from ocr.engines import OcrEngine, OrientationModel, load_engine, load_orientation
from ocr.extract import classify, extract
from ocr.layout import PageText, Segment, assign_cells, make_segment
from ocr.marks import MarkResult
from ocr.settings import OcrSettings
from ocr.tables import find_cells

log = logging.getLogger(__name__)

#: The most a document type is trusted when it was taken from the upload slot's hint because the
#: classifier could not tell (precheck accepts a slot's own type only above this).
SLOT_HINT_MAX_CONFIDENCE = 0.3
#: The classification confidence given to an upload showing both sides' own ID-card labels: the
#: classifier sees two near-equal types there and reduces its score for the small margin, though
#: the labels are the evidence. A document-type confidence, not the field trust line.
BOTH_SIDES_MIN_CONFIDENCE = 0.8
#: Orientation classifier score from which a quarter turn is applied.
ORIENTATION_MIN_SCORE = 0.5
#: Smallest estimated skew, in degrees, that is corrected by a rotation.
DESKEW_MIN_DEGREES = 0.5
#: a page rectified to an outline yet holding fewer characters than this is read again as it
#: came (every CONTRACT document prints more: an ID card's back alone has ~30)
MIN_WARPED_CHARS = 12


@dataclass(frozen=True)
class AnalyzeOptions:
    """Per-call options (the engines themselves never change).

    ``expected_type``: the document type the upload slot asks for; used when classification is
    unsure (not to override a clear other type). ``today``: the date for "not in the future"
    checks (default: the real date).
    """

    expected_type: DocType | None = None
    today: date | None = None


@dataclass(frozen=True)
class PageTrace:
    """What was done to one page (for debugging and the reviewer view)."""

    index: int
    source: str
    width: int
    height: int
    steps: tuple[str, ...]
    lines: int
    seconds: float
    metrics: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    document: Document
    pages: tuple[PageTrace, ...]
    segments: tuple[Segment, ...]


class OcrPipeline:
    """Decode, correct, read and understand one uploaded file. Thread-safe; build once."""

    def __init__(
        self,
        *,
        engine: OcrEngine,
        orientation: OrientationModel | None = None,
        settings: OcrSettings | None = None,
    ) -> None:
        self.engine = engine
        self.orientation = orientation
        self.settings = settings or OcrSettings()

    @classmethod
    def load(cls, settings: OcrSettings | None = None, *, data_dir: Path) -> OcrPipeline:
        """Load the engines named by ``settings`` (models from installed wheels; warmed up).

        ``data_dir`` is the caller's data folder, where relative model folders of the optional
        engines live (``OcrSettings.paddle_model_dir``)."""
        s = settings or OcrSettings()
        return cls(
            engine=load_engine(s, data_dir=data_dir), orientation=load_orientation(s), settings=s
        )

    # ------------------------------------------------------------------ public

    def analyze(self, data: bytes, *, options: AnalyzeOptions | None = None) -> Document:
        return self.trace(data, options=options).document

    def trace(self, data: bytes, *, options: AnalyzeOptions | None = None) -> Analysis:
        """:meth:`analyze` with what was done to each page."""
        opts = options or AnalyzeOptions()
        s = self.settings
        _, pages = decode(data, settings=s)
        segments: list[Segment] = []
        traces: list[PageTrace] = []
        per_page_quality: list[tuple[list[QualityIssue], dict[str, float]]] = []
        images: dict[int, np.ndarray] = {}
        for page in pages:
            if page.image is not None:
                images[page.index] = page.image
            t0 = time.perf_counter()
            segs, steps, issues, metrics = self._read_page(page)
            segments.extend(segs)
            per_page_quality.append((issues, metrics))
            traces.append(
                PageTrace(
                    index=page.index,
                    source=page.source,
                    width=page.width,
                    height=page.height,
                    steps=steps,
                    lines=len(segs),
                    seconds=round(time.perf_counter() - t0, 4),
                    metrics=metrics,
                )
            )
        q = quality.combine(per_page_quality)
        pt = PageText(segments)
        doc_type, conf = classify(pt.text)
        expected = DocType(opts.expected_type) if opts.expected_type in DOC_TYPES else None
        if expected is not None and doc_type == DocType.UNKNOWN and segments:
            # too little evidence either way: read it as the slot's type, with low confidence
            doc_type, conf = expected, min(conf, SLOT_HINT_MAX_CONFIDENCE)
        fields: dict[str, Field] = (
            extract(doc_type, pt, today=opts.today) if doc_type != DocType.UNKNOWN else {}
        )
        both = _both_id_card_sides(doc_type, segments, len(pages))
        sides: tuple[IdCardSide, ...] = ()
        if both is not None:
            # front and back in one upload (a two-page PDF, or both sides copied on one sheet):
            # one document carrying both sides' fields, reported as the front
            conf = both
            back = extract(DocType.ID_CARD_BACK, pt, today=opts.today)
            front = extract(DocType.ID_CARD_FRONT, pt, today=opts.today)
            doc_type, fields = DocType.ID_CARD_FRONT, {**back, **front}
            sides = (IdCardSide.FRONT, IdCardSide.BACK)
        found = self._marks(doc_type, data, pages, images, segments, fields)
        doc = Document(
            doc_type=doc_type,
            confidence=conf,
            pages=len(pages),
            quality=q,
            fields=fields,
            sha256=hashlib.sha256(data).hexdigest(),
            sides=sides,
            marks=found,
            marks_read=bool(marks.places_of(doc_type)),
        )
        return Analysis(document=doc, pages=tuple(traces), segments=tuple(segments))

    def _marks(
        self,
        doc_type: DocType,
        data: bytes,
        pages: list[DecodedPage],
        images: dict[int, np.ndarray],
        segments: list[Segment],
        fields: Mapping[str, Field],
    ) -> tuple[MarkResult, ...]:
        """The mark places of ``doc_type`` (only types that have them): a text-layer PDF page
        holding a label is rendered for it (ink is graphics, not text)."""
        if not marks.places_of(doc_type):
            return ()
        for page in pages:
            if page.index not in images and page.source == "pdf_text":
                images[page.index] = marks.render_pdf_page(
                    data, page.index, page.width, page.height
                )
        return marks.detect(doc_type, images, segments, fields, engine=self.engine)

    # ------------------------------------------------------------------ one page

    def _read_page(
        self, page: DecodedPage
    ) -> tuple[list[Segment], tuple[str, ...], list[QualityIssue], dict[str, float]]:
        s = self.settings
        if page.source == "pdf_text":
            text_segs = [
                seg
                for run in page.text_runs
                if (seg := make_segment(run.text, 1.0, run.box, page.index)) is not None
            ]
            t_issues, t_metrics = quality.text_issues(
                [x.box for x in text_segs],
                [x.text for x in text_segs],
                width=page.width,
                height=page.height,
                settings=s,
                check_border=False,
            )
            return text_segs, ("text_layer",), t_issues, t_metrics
        assert page.image is not None
        img = page.image
        im = quality.measure_image(img)
        issues = quality.image_issues(im, settings=s)
        metrics: dict[str, float] = {
            "sharpness": im.sharpness,
            "mean_grey": im.mean_grey,
            "glare": im.glare_fraction,
        }
        work, g = self._correct(img)
        segs = self._segments(work, g, page.index)
        if (
            any(st.name == "perspective" for st in g.steps)
            and sum(len(x.text) for x in segs) < MIN_WARPED_CHARS
        ):
            # the outline found was not the sheet's (a portrait, a frame on the paper): almost
            # nothing left to read inside it, so the page is read as it came
            work0, g0 = self._correct(img, perspective=False)
            segs0 = self._segments(work0, g0, page.index)
            if sum(len(x.text) for x in segs0) > sum(len(x.text) for x in segs):
                work, g, segs = work0, g0, segs0
        t_issues, t_metrics = quality.text_issues(
            [x.original_box() for x in segs],
            [x.text for x in segs],
            width=page.width,
            height=page.height,
            settings=s,
            # a flat scan cut by the scanner bed is as cropped as a photo
            check_border=True,
        )
        if QualityIssue.GLARE in issues and not quality.glare_over_text(
            im.glare_boxes, [x.original_box() for x in segs]
        ):
            # a blown-out blank margin: the page was read, nothing under the glare was lost
            issues.remove(QualityIssue.GLARE)
            metrics["glare_outside_text"] = im.glare_fraction
        for code in t_issues:
            if code not in issues:
                issues.append(code)
        metrics.update(t_metrics)
        # bordered tables: a value wrapped inside its cell is one segment (same frame as `work`)
        segs = assign_cells(segs, find_cells(work))
        steps = tuple(f"{st.name}:{st.detail}" for st in g.steps)
        return segs, steps, issues, metrics

    def _segments(self, work: np.ndarray, g: geo.Geometry, index: int) -> list[Segment]:
        segs: list[Segment] = []
        for line in self.engine.read(work):
            seg = make_segment(line.text, line.score, line.box, index, g if g.steps else None)
            if seg is not None:
                segs.append(seg)
        return segs

    def _correct(
        self, img: np.ndarray, *, perspective: bool = True
    ) -> tuple[np.ndarray, geo.Geometry]:
        s = self.settings
        h, w = img.shape[:2]
        g = geo.Geometry(width=w, height=h)
        work = img
        if self.orientation is not None:
            angle, score = self.orientation.classify(work)
            if angle and score >= ORIENTATION_MIN_SCORE:
                work, step = geo.rotate_quarter(work, angle // 90)
                g = g.then(step)
        warped = False
        if s.use_perspective and perspective:
            quad = geo.find_page_quad(work)
            if quad is not None:
                work, step = geo.warp_to_quad(work, quad)
                g = g.then(step)
                warped = True
        # a page rectified to its own edges is already straight
        if s.use_deskew and not warped:
            angle_f = geo.estimate_skew(work)
            if abs(angle_f) >= DESKEW_MIN_DEGREES:
                work, step = geo.rotate_by(work, angle_f)
                g = g.then(step)
        hh, ww = work.shape[:2]
        aspect = max(hh, ww) / max(1, min(hh, ww))
        limit = s.det_max_side_card if 1.45 <= aspect <= 1.75 and ww > hh else s.det_max_side_page
        work, rs = geo.resize_max_side(work, limit)
        if rs is not None:
            g = g.then(rs)
        return work, g


_DEFAULT: OcrPipeline | None = None
_DEFAULT_LOCK = threading.Lock()


_ID_SIDES = (DocType.ID_CARD_FRONT, DocType.ID_CARD_BACK)


def _both_id_card_sides(doc_type: DocType, segments: list[Segment], n_pages: int) -> float | None:
    """The confidence that the upload holds both sides of one ID card, or None if it does not.

    With several pages each page is classified alone and the pages must be exactly one front and
    one back. On a single page both sides' own labels must be there (front: two of 姓名, 出生,
    住址, 公民身份; back: 签发机关 and 有效期限)."""
    if doc_type not in _ID_SIDES:
        return None
    if n_pages > 1:
        per_page = [
            classify(PageText([s for s in segments if s.page == i]).text) for i in range(n_pages)
        ]
        if sorted(t for t, _ in per_page) != sorted(_ID_SIDES):
            return None
        return min(c for _, c in per_page)
    flat = "".join(s.text for s in segments).replace(" ", "")
    # labels, not values: 號/号 and similar variants of the rest of a label are common misreads
    front = sum(label in flat for label in ("姓名", "出生", "住址", "公民身份")) >= 2
    back = "签发机关" in flat and "有效期限" in flat
    if not (front and back):
        return None
    # both label sets present leave the classifier no margin; the labels themselves are the
    # evidence, so keep its score rather than the margin-reduced one
    return max(classify(flat)[1], BOTH_SIDES_MIN_CONFIDENCE)


def default_pipeline(settings: OcrSettings | None = None, *, data_dir: Path) -> OcrPipeline:
    """The process-wide pipeline, loaded on first use (once, with the first call's arguments)."""
    global _DEFAULT
    if _DEFAULT is None:
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                _DEFAULT = OcrPipeline.load(settings, data_dir=data_dir)
    return _DEFAULT


def analyze(
    data: bytes,
    *,
    engine: OcrPipeline | OcrEngine | None = None,
    options: AnalyzeOptions | None = None,
    settings: OcrSettings | None = None,
    data_dir: Path | None = None,
) -> Document:
    """Read one uploaded file. ``engine``: a loaded :class:`OcrPipeline` (preferred), a bare
    :class:`OcrEngine` (wrapped with default settings and no orientation model), or None for the
    process-wide default pipeline, which is then loaded with ``data_dir`` (required in that
    case: a leaf package has no data folder of its own)."""
    if isinstance(engine, OcrPipeline):
        pipe = engine
    elif engine is not None:
        pipe = OcrPipeline(engine=engine, settings=settings)
    elif data_dir is None:
        raise TypeError("analyze() without an engine needs data_dir to load the default pipeline")
    else:
        pipe = default_pipeline(settings, data_dir=data_dir)
    return pipe.analyze(data, options=options)
