"""Decode uploaded bytes into pages, safely.

Accepted: JPEG, PNG, TIFF (multi-page), WebP, BMP and PDF, recognised by their magic bytes (the
file name and declared content type are never trusted). Every decoded page is either

* an image (BGR ``uint8``), EXIF orientation applied — "the original image as uploaded", or
* the text layer of a digital PDF page (text runs with boxes in pixels of that page rendered at
  ``settings.pdf_dpi``), read without OCR and without rendering.

Limits (``OcrSettings``), checked *before* pixels are decoded so a decompression bomb costs
nothing: ``max_file_bytes`` (→ ``too_large``), ``max_pixels`` and ``max_side`` of one image or
rendered page (→ ``too_large``), ``max_pages`` (→ ``too_large``). Truncated or malformed data
→ ``corrupt_file``; unknown bytes and polyglots (an image that also carries a PDF or ZIP) →
``unsupported_type``; a PDF that needs a password → ``encrypted``.
"""

from __future__ import annotations

import io
import logging
import threading
import warnings
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ocr.errors import (
    CorruptFileError,
    EncryptedFileError,
    TooLargeError,
    UnsupportedTypeError,
)
from ocr.settings import OcrSettings

log = logging.getLogger(__name__)

Kind = Literal["jpeg", "png", "tiff", "webp", "bmp", "pdf"]
Source = Literal["image", "pdf_text", "pdf_render"]

#: Longest PDF page side accepted, in points (A0 is 2384 × 3370 pt).
MAX_PAGE_POINTS = 3400

# PDFium is not thread-safe: every call into it goes through this lock.
_PDFIUM_LOCK = threading.Lock()

_PIL_FORMATS: dict[str, Kind] = {
    "JPEG": "jpeg",
    "MPO": "jpeg",
    "PNG": "png",
    "TIFF": "tiff",
    "WEBP": "webp",
    "BMP": "bmp",
}


@dataclass(frozen=True)
class TextRun:
    """A run of text from a PDF text layer; ``box`` in pixels of the page at ``dpi``."""

    text: str
    box: tuple[float, float, float, float]


@dataclass(frozen=True, eq=False)
class DecodedPage:
    index: int
    width: int
    height: int
    source: Source
    image: np.ndarray | None = None
    text_runs: tuple[TextRun, ...] = ()
    dpi: int | None = None


def sniff(data: bytes) -> Kind:
    """The file type from its leading magic bytes; raises UnsupportedTypeError."""
    head = data[:16]
    kind: Kind | None = None
    if head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head[:4] in (b"II*\x00", b"MM\x00*"):
        kind = "tiff"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "webp"
    elif head[:2] == b"BM" and len(data) >= 26:
        kind = "bmp"
    elif head.startswith(b"%PDF-"):
        kind = "pdf"
    if kind is None:
        raise UnsupportedTypeError(detail=f"unknown magic {head[:8]!r}")
    if kind != "pdf":
        # An image that is also a PDF or a ZIP (e.g. JAR/DOCX) is a polyglot: whichever reader a
        # later consumer picks may see a different document than we checked.
        if b"%PDF-" in data:
            raise UnsupportedTypeError(detail=f"polyglot: {kind} carrying a PDF")
        if b"PK\x03\x04" in data and b"PK\x05\x06" in data[-65_600:]:
            raise UnsupportedTypeError(detail=f"polyglot: {kind} carrying a ZIP archive")
    elif b"PK\x05\x06" in data[-65_600:] and b"PK\x03\x04" in data:
        raise UnsupportedTypeError(detail="polyglot: PDF carrying a ZIP archive")
    return kind


def decode(data: bytes, *, settings: OcrSettings) -> tuple[Kind, list[DecodedPage]]:
    """Decode ``data`` into pages within the limits of ``settings``."""
    if len(data) > settings.max_file_bytes:
        raise TooLargeError(limit="file_bytes", actual=len(data), maximum=settings.max_file_bytes)
    if not data:
        raise CorruptFileError(detail="empty file")
    kind = sniff(data)
    if kind == "pdf":
        return kind, _decode_pdf(data, settings=settings)
    return kind, _decode_image(data, kind=kind, settings=settings)


# ---------------------------------------------------------------- images


def _check_pixels(width: int, height: int, *, settings: OcrSettings) -> None:
    if width <= 0 or height <= 0:
        raise CorruptFileError(detail=f"bad dimensions {width}x{height}")
    if max(width, height) > settings.max_side:
        raise TooLargeError(limit="side", actual=max(width, height), maximum=settings.max_side)
    if width * height > settings.max_pixels:
        raise TooLargeError(limit="pixels", actual=width * height, maximum=settings.max_pixels)


def _to_bgr(img: Image.Image) -> np.ndarray:
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img, dtype=np.float64)
        hi = float(arr.max()) or 1.0
        gray = np.clip(arr * (255.0 / hi), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(gray[:, :, None], 3, axis=2))
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba)
    rgb = np.asarray(img.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _decode_image(data: bytes, *, kind: Kind, settings: OcrSettings) -> list[DecodedPage]:
    pages: list[DecodedPage] = []
    try:
        with warnings.catch_warnings():
            # Our own pixel limit is lower than Pillow's and is checked first.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = _PIL_FORMATS.get(img.format or "")
                if fmt is None or fmt != kind:
                    raise UnsupportedTypeError(detail=f"magic says {kind}, decoder {img.format}")
                n_frames = int(getattr(img, "n_frames", 1) or 1)
                if kind != "tiff":
                    n_frames = 1  # animated WebP/MPO: the first frame is the picture
                if n_frames > settings.max_pages:
                    raise TooLargeError(limit="pages", actual=n_frames, maximum=settings.max_pages)
                for i in range(n_frames):
                    if i:
                        img.seek(i)
                    _check_pixels(img.width, img.height, settings=settings)
                    img.load()
                    frame = ImageOps.exif_transpose(img) if i == 0 else img.copy()
                    arr = _to_bgr(frame if frame is not None else img)
                    h, w = arr.shape[:2]
                    pages.append(DecodedPage(index=i, width=w, height=h, source="image", image=arr))
    except (TooLargeError, UnsupportedTypeError, CorruptFileError):
        raise
    except Image.DecompressionBombError as e:
        raise TooLargeError(limit="pixels", detail=str(e)) from e
    except UnidentifiedImageError as e:
        raise CorruptFileError(detail=f"{kind}: {e}") from e
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, IndexError) as e:
        # Pillow reports truncated data as OSError, malformed chunks as ValueError/SyntaxError.
        raise CorruptFileError(detail=f"{kind}: {type(e).__name__}: {e}") from e
    return pages


# ---------------------------------------------------------------- PDF


def _decode_pdf(data: bytes, *, settings: OcrSettings) -> list[DecodedPage]:
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%%EOF" not in data[-2048:] and b"%%EOF" not in data:
        raise CorruptFileError(detail="pdf: no %%EOF marker (truncated)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Refused even with an empty user password: restrictions (no copy, no print) and
            # per-object keys make what we check differ from what a reviewer may open.
            raise EncryptedFileError(detail="pdf: encrypted (Encrypt dictionary present)")
        n_pages = len(reader.pages)
    except EncryptedFileError:
        raise
    except FileNotDecryptedError as e:
        raise EncryptedFileError(detail=str(e)) from e
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise CorruptFileError(detail=f"pdf: {type(e).__name__}: {e}") from e
    if n_pages == 0:
        raise CorruptFileError(detail="pdf: no pages")
    if n_pages > settings.max_pages:
        raise TooLargeError(limit="pages", actual=n_pages, maximum=settings.max_pages)
    return _pdfium_pages(data, n_pages=n_pages, settings=settings)


def _pdfium_pages(data: bytes, *, n_pages: int, settings: OcrSettings) -> list[DecodedPage]:
    import pypdfium2 as pdfium

    scale = settings.pdf_dpi / 72.0
    pages: list[DecodedPage] = []
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            msg = str(e).lower()
            if "password" in msg or "security" in msg:
                raise EncryptedFileError(detail=f"pdfium: {e}") from e
            raise CorruptFileError(detail=f"pdfium: {e}") from e
        try:
            if len(pdf) != n_pages:
                log.info("pypdf and pdfium disagree on page count: %d vs %d", n_pages, len(pdf))
            for i in range(min(len(pdf), settings.max_pages)):
                page = pdf[i]
                try:
                    pw, ph = page.get_size()
                    page_scale = scale
                    w, h = round(pw * page_scale), round(ph * page_scale)
                    if w <= 0 or h <= 0:
                        raise CorruptFileError(detail=f"pdf page {i}: size {pw}x{ph}")
                    if max(pw, ph) > MAX_PAGE_POINTS:
                        # larger than A0: not a material a citizen submits
                        raise TooLargeError(
                            limit="page_points", actual=round(max(pw, ph)), maximum=MAX_PAGE_POINTS
                        )
                    if w * h > settings.max_pixels or max(w, h) > settings.max_side:
                        page_scale = min(
                            (settings.max_pixels / (pw * ph)) ** 0.5,
                            settings.max_side / max(pw, ph),
                        )
                        w, h = round(pw * page_scale), round(ph * page_scale)
                    runs = _text_runs(page, page_height=ph, scale=page_scale)
                    n_chars = sum(len(r.text.strip()) for r in runs)
                    if n_chars >= settings.text_layer_min_chars and page.get_rotation() == 0:
                        pages.append(
                            DecodedPage(
                                index=i,
                                width=w,
                                height=h,
                                source="pdf_text",
                                text_runs=tuple(runs),
                                dpi=round(72 * page_scale),
                            )
                        )
                        continue
                    bitmap = page.render(scale=page_scale)
                    arr = bitmap.to_numpy()
                    # pdfium renders BGR(A)/BGRx; keep three channels
                    img = np.ascontiguousarray(arr[:, :, :3]) if arr.ndim == 3 else arr
                    if img.ndim == 2:
                        img = np.ascontiguousarray(np.repeat(img[:, :, None], 3, axis=2))
                    pages.append(
                        DecodedPage(
                            index=i,
                            width=img.shape[1],
                            height=img.shape[0],
                            source="pdf_render",
                            image=img,
                            dpi=round(72 * page_scale),
                        )
                    )
                finally:
                    page.close()
        except pdfium.PdfiumError as e:
            raise CorruptFileError(detail=f"pdfium: {e}") from e
        finally:
            pdf.close()
    return pages


def _text_runs(page: object, *, page_height: float, scale: float) -> list[TextRun]:
    """Runs of the text layer, split at spaces, line changes and wide gaps (so that columns and
    names separated by spaces stay apart), each with the union of its glyph boxes."""
    tp = page.get_textpage()  # type: ignore[attr-defined]
    try:
        n = tp.count_chars()
        if n <= 0:
            return []
        text = tp.get_text_range(0, n)
        runs: list[TextRun] = []
        cur: list[str] = []
        box: list[float] = []

        def flush() -> None:
            if cur:
                x0, b0, x1, t1 = box
                runs.append(
                    TextRun(
                        text="".join(cur),
                        box=(
                            x0 * scale,
                            (page_height - t1) * scale,
                            x1 * scale,
                            (page_height - b0) * scale,
                        ),
                    )
                )
            cur.clear()
            box.clear()

        for i in range(min(n, len(text))):
            ch = text[i]
            if ch.isspace() or ch == "\x00":
                flush()
                continue
            left, bottom, right, top = tp.get_charbox(i)
            if box:
                h = max(1.0, box[3] - box[1], top - bottom)
                same_line = abs((bottom + top) / 2 - (box[1] + box[3]) / 2) < 0.5 * h
                if not same_line or left - box[2] > 1.5 * h or left < box[0] - 0.5 * h:
                    flush()
            if box:
                box[:] = [
                    min(box[0], left),
                    min(box[1], bottom),
                    max(box[2], right),
                    max(box[3], top),
                ]
            else:
                box.extend([left, bottom, right, top])
            cur.append(ch)
        flush()
        return runs
    finally:
        tp.close()
