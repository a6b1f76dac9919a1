"""What an upload is, decided by its bytes (never its name or declared type), before it is kept.

:func:`inspect_upload` refuses, within bounded time and memory, what the reader could never
read: an empty file, an unknown type or a polyglot (``unsupported_type``), a truncated or
malformed file (``corrupt_file``), a decompression bomb or too many pages (``too_large``), an
encrypted PDF (``encrypted``). It decodes headers, not pixels, for the common types (JPEG, PNG,
PDF); HEIC/HEIF phone photos are converted to JPEG here (``pillow-heif``), so everything
stored is a type the reader knows.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from jobs.errors import EmptyFileError
from ocr.decode import MAX_PAGE_POINTS, sniff
from ocr.errors import CorruptFileError, EncryptedFileError, TooLargeError, UnsupportedTypeError
from ocr.settings import OcrSettings

CONTENT_TYPES = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "tiff": "image/tiff",
    "webp": "image/webp",
    "bmp": "image/bmp",
    "pdf": "application/pdf",
}
_PIL_NAMES = {
    "JPEG": "jpeg",
    "MPO": "jpeg",
    "PNG": "png",
    "TIFF": "tiff",
    "WEBP": "webp",
    "BMP": "bmp",
}
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_TAIL = 64 * 1024

_heif_registered = threading.Lock()
_heif_ready = False


@dataclass(frozen=True)
class Inspected:
    """An accepted upload: its type, and replacement bytes when it was converted (HEIC)."""

    kind: str
    content_type: str
    converted: bytes | None = None
    converted_from: str | None = None


def _is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS


def _check_pixels(width: int, height: int, settings: OcrSettings) -> None:
    if width <= 0 or height <= 0:
        raise CorruptFileError(detail=f"bad dimensions {width}x{height}")
    if max(width, height) > settings.max_side:
        raise TooLargeError(limit="side", actual=max(width, height), maximum=settings.max_side)
    if width * height > settings.max_pixels:
        raise TooLargeError(limit="pixels", actual=width * height, maximum=settings.max_pixels)


def inspect_upload(fh: BinaryIO, *, size: int, settings: OcrSettings) -> Inspected:
    """Decide what ``fh`` (``size`` bytes, seekable) is, or raise why it is refused."""
    if size == 0:
        raise EmptyFileError()
    if size > settings.max_file_bytes:
        raise TooLargeError(limit="file_bytes", actual=size, maximum=settings.max_file_bytes)
    fh.seek(0)
    data = fh.read()
    fh.seek(0)
    if _is_heif(data[:16]):
        return _convert_heif(data, settings)
    kind = sniff(data)  # unsupported_type, polyglots
    if kind == "pdf":
        _check_pdf(data, settings)
    else:
        _check_image(data, kind, settings)
    return Inspected(kind=kind, content_type=CONTENT_TYPES[kind])


def _check_image(data: bytes, kind: str, settings: OcrSettings) -> None:
    tail = data[-_TAIL:]
    if kind == "jpeg" and b"\xff\xd9" not in tail:
        raise CorruptFileError(detail="jpeg: no end-of-image marker (truncated)")
    if kind == "png" and b"IEND" not in data[-64:]:
        raise CorruptFileError(detail="png: no IEND chunk (truncated)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                if _PIL_NAMES.get(img.format or "") != kind:
                    raise UnsupportedTypeError(detail=f"magic says {kind}, decoder {img.format}")
                frames = int(getattr(img, "n_frames", 1) or 1) if kind == "tiff" else 1
                if frames > settings.max_pages:
                    raise TooLargeError(limit="pages", actual=frames, maximum=settings.max_pages)
                _check_pixels(img.width, img.height, settings)
                if kind == "png":
                    img.verify()  # chunk CRCs, without decoding pixels
                elif kind in ("tiff", "webp", "bmp"):
                    img.load()  # rarer types: decode the first frame (bounded by the pixel limit)
    except (TooLargeError, UnsupportedTypeError, CorruptFileError):
        raise
    except Image.DecompressionBombError as e:
        raise TooLargeError(limit="pixels", detail=str(e)) from e
    except UnidentifiedImageError as e:
        raise CorruptFileError(detail=f"{kind}: {e}") from e
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError, IndexError) as e:
        raise CorruptFileError(detail=f"{kind}: {type(e).__name__}: {e}") from e


def _check_pdf(data: bytes, settings: OcrSettings) -> None:
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if b"%%EOF" not in data[-2048:]:
        raise CorruptFileError(detail="pdf: no %%EOF marker (truncated)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EncryptedFileError(detail="pdf: encrypted")
        pages = reader.pages
        n = len(pages)
        if n == 0:
            raise CorruptFileError(detail="pdf: no pages")
        if n > settings.max_pages:
            raise TooLargeError(limit="pages", actual=n, maximum=settings.max_pages)
        for page in pages:
            box = page.mediabox
            if max(float(box.width), float(box.height)) > MAX_PAGE_POINTS:
                raise TooLargeError(
                    limit="page_points",
                    actual=round(max(float(box.width), float(box.height))),
                    maximum=MAX_PAGE_POINTS,
                )
    except (EncryptedFileError, CorruptFileError, TooLargeError):
        raise
    except FileNotDecryptedError as e:
        raise EncryptedFileError(detail=str(e)) from e
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise CorruptFileError(detail=f"pdf: {type(e).__name__}: {e}") from e


def _convert_heif(data: bytes, settings: OcrSettings) -> Inspected:
    """A phone's HEIC/HEIF photo as a JPEG (orientation applied), within the pixel limits."""
    global _heif_ready
    import pillow_heif

    with _heif_registered:
        if not _heif_ready:
            pillow_heif.register_heif_opener()
            _heif_ready = True
    try:
        with Image.open(io.BytesIO(data)) as img:
            _check_pixels(img.width, img.height, settings)
            img.load()
            upright = ImageOps.exif_transpose(img) or img
            out = io.BytesIO()
            upright.convert("RGB").save(out, format="JPEG", quality=92)
    except TooLargeError:
        raise
    except Exception as e:  # libheif reports truncation and corruption as several types
        raise CorruptFileError(detail=f"heif: {type(e).__name__}: {e}") from e
    return Inspected(
        kind="jpeg", content_type="image/jpeg", converted=out.getvalue(), converted_from="heif"
    )
