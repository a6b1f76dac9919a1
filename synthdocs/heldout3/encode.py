"""Files of the third held-out family: PNG, JPEG, multi-page PDF (image pages, no text layer),
all deterministic for a sample."""

from __future__ import annotations

import io
import time

from PIL import Image

from ..canvas import Sample, to_pil

_EPOCH = time.struct_time((2026, 5, 20, 14, 30, 0, 2, 140, 0))


def to_png(s: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    to_pil(s.pages[page]).save(buf, "PNG", optimize=False)
    return buf.getvalue()


def to_jpeg(s: Sample, *, page: int = 0, quality: int = 82) -> bytes:
    buf = io.BytesIO()
    to_pil(s.pages[page]).save(buf, "JPEG", quality=quality, subsampling=2)
    return buf.getvalue()


def pdf_of(samples: list[Sample], *, quality: int = 80) -> bytes:
    """Every page of ``samples`` in one PDF, each page ``width_px / dpi`` inches wide."""
    images: list[Image.Image] = [to_pil(p).convert("RGB") for s in samples for p in s.pages]
    buf = io.BytesIO()
    images[0].save(
        buf,
        "PDF",
        save_all=True,
        append_images=images[1:],
        resolution=float(samples[0].dpi),
        quality=quality,
        creationDate=_EPOCH,
        modDate=_EPOCH,
        producer="heldout3",
    )
    return buf.getvalue()


def to_pdf(s: Sample) -> bytes:
    return pdf_of([s])
