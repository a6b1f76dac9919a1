"""Encoders from a :class:`Sample` to the bytes a citizen would upload.

Raster formats encode one page (``page=``) or, for TIFF, optionally all pages. PDFs carry every
page: ``text_layer=True`` writes the clean page graphics as an image plus the document text as
real text (WenQuanYi Micro Hei TrueType subset, since reportlab cannot embed the CFF-based Noto
CJK collections); ``text_layer=False`` writes image-only pages (a scanned PDF). A PDF page is
``width_px / dpi`` inches wide, so rendering it at ``sample.dpi`` gives the sample's pixel grid
and its golden boxes (for the text layer use :func:`text_layer_boxes`: glyph metrics differ).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence

import numpy as np
from PIL import Image

from .canvas import ASCENT, WQY_MICROHEI, FieldBox, Sample, box_quad, line_parts, to_pil, union

PDF_FONT = "WQYMicroHei"


def _page(sample: Sample, page: int) -> Image.Image:
    return to_pil(sample.pages[page])


def to_png(sample: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    _page(sample, page).save(buf, format="PNG", dpi=(sample.dpi, sample.dpi))
    return buf.getvalue()


def to_jpeg(
    sample: Sample, *, page: int = 0, quality: int = 90, exif_orientation: int | None = None
) -> bytes:
    """JPEG; ``exif_orientation`` only writes the tag (see :func:`hostile.exif_rotated_jpeg`
    for a file whose pixels are stored rotated to match it)."""
    buf = io.BytesIO()
    im = _page(sample, page)
    kwargs: dict[str, object] = {"quality": quality, "dpi": (sample.dpi, sample.dpi)}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    im.save(buf, format="JPEG", **kwargs)
    return buf.getvalue()


def to_webp(sample: Sample, *, page: int = 0, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    _page(sample, page).save(buf, format="WEBP", quality=quality)
    return buf.getvalue()


def to_bmp(sample: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    _page(sample, page).save(buf, format="BMP")
    return buf.getvalue()


def to_tiff(sample: Sample, *, page: int = 0, all_pages: bool = False) -> bytes:
    """TIFF (LZW); ``all_pages`` writes a multi-page TIFF."""
    buf = io.BytesIO()
    pages = [to_pil(p) for p in sample.pages] if all_pages else [_page(sample, page)]
    pages[0].save(
        buf,
        format="TIFF",
        compression="tiff_lzw",
        dpi=(sample.dpi, sample.dpi),
        save_all=len(pages) > 1,
        append_images=pages[1:],
    )
    return buf.getvalue()


@functools.lru_cache(maxsize=1)
def _register_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(PDF_FONT, WQY_MICROHEI, subfontIndex=0))
    return PDF_FONT


def _pdf(samples: Sequence[Sample], *, text_layer: bool, jpeg_quality: int = 88) -> bytes:
    from reportlab import rl_config

    # reportlab's pure-Python ASCII85 of embedded JPEGs costs ~0.2 s per page; binary is fine
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        return _pdf_body(samples, text_layer=text_layer, jpeg_quality=jpeg_quality)
    finally:
        rl_config.useA85 = saved_a85


def _pdf_body(samples: Sequence[Sample], *, text_layer: bool, jpeg_quality: int) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pageCompression=1, invariant=1)  # reproducible bytes
    c.setTitle("paoyici synthetic document")
    if text_layer:
        _register_font()
    for sample in samples:
        if text_layer and not sample.backgrounds:
            raise ValueError(
                "a text-layer PDF needs a clean sample (degradations drop the text runs)"
            )
        scale = 72.0 / sample.dpi
        for index, page in enumerate(sample.pages):
            h, w = page.shape[:2]
            pw, ph = w * scale, h * scale
            c.setPageSize((pw, ph))
            raster = sample.backgrounds[index] if text_layer else page
            img_buf = io.BytesIO()
            to_pil(raster).save(img_buf, format="JPEG", quality=jpeg_quality)
            img_buf.seek(0)
            c.drawImage(ImageReader(img_buf), 0, 0, width=pw, height=ph)
            if text_layer:
                # one text object per page: runs of a line stay one line for text extraction
                to = c.beginText()
                for t in sample.texts:
                    if t.page != index:
                        continue
                    to.setFillColorRGB(*(v / 255.0 for v in t.fill))
                    to.setFont(PDF_FONT, t.size * scale)
                    to.setTextOrigin(t.x * scale, ph - t.baseline * scale)
                    to.textOut(t.text)
                c.drawText(to)
            c.showPage()
    c.save()
    return buf.getvalue()


def to_pdf(sample: Sample, *, text_layer: bool = False) -> bytes:
    """All pages of ``sample`` as one PDF, with real text or image-only."""
    return _pdf([sample], text_layer=text_layer)


def samples_to_pdf(samples: Sequence[Sample], *, text_layer: bool = False) -> bytes:
    """Several samples as one multi-page PDF (e.g. ID card front and back together)."""
    return _pdf(samples, text_layer=text_layer)


def text_layer_boxes(sample: Sample) -> dict[str, FieldBox]:
    """Golden boxes of a text-layer PDF of ``sample`` in pixels at ``sample.dpi`` (the PDF's text
    is set in WenQuanYi Micro Hei, whose advance widths differ from the raster's Noto)."""
    from reportlab.pdfbase import pdfmetrics

    _register_font()
    parts: dict[str, list[tuple[int, tuple[int, int, int, int]]]] = {}
    for t in sample.texts:
        if t.key is None:
            continue
        width = pdfmetrics.stringWidth(t.text, PDF_FONT, t.size)
        top = t.baseline - ASCENT * t.size
        b = (
            int(t.x),
            int(top),
            int(np.ceil(t.x + width)),
            int(np.ceil(t.baseline + 0.12 * t.size)),
        )
        parts.setdefault(t.key, []).append((t.page, b))
    out: dict[str, FieldBox] = {}
    for key, items in parts.items():
        page = items[0][0]
        same = [bb for p, bb in items if p == page]
        b = union(same)
        out[key] = FieldBox(page, b, box_quad(b), line_parts(same))
    return out


ENCODERS: dict[str, Callable[[Sample], bytes]] = {
    "png": to_png,
    "jpeg": to_jpeg,
    "webp": to_webp,
    "bmp": to_bmp,
    "tiff": to_tiff,
    "pdf": to_pdf,
    "pdf_text": functools.partial(to_pdf, text_layer=True),
}

EXTENSIONS: dict[str, str] = {
    "png": ".png",
    "jpeg": ".jpg",
    "webp": ".webp",
    "bmp": ".bmp",
    "tiff": ".tif",
    "pdf": ".pdf",
    "pdf_text": ".pdf",
}


def encode(sample: Sample, fmt: str) -> bytes:
    """``fmt`` is one of :data:`ENCODERS` (png, jpeg, webp, bmp, tiff, pdf, pdf_text)."""
    encoder = ENCODERS.get(fmt)
    if encoder is None:
        raise ValueError(f"unknown format {fmt!r}; use one of {sorted(ENCODERS)}")
    return encoder(sample)
