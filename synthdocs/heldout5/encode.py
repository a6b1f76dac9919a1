"""This family's file encoders: PNG and JPEG through Pillow (4:2:0, optimised Huffman tables);
PDFs are heldout4's image-only writer."""

from __future__ import annotations

import io

from ..canvas import Sample, to_pil
from ..heldout4.encode import pdf_of


def to_png(sample: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    to_pil(sample.pages[page]).save(buf, format="PNG", compress_level=4)
    return buf.getvalue()


def to_jpeg(sample: Sample, *, page: int = 0, quality: int = 86) -> bytes:
    buf = io.BytesIO()
    to_pil(sample.pages[page]).save(
        buf, format="JPEG", quality=quality, optimize=True, subsampling=2
    )
    return buf.getvalue()


__all__ = ["pdf_of", "to_jpeg", "to_png"]
