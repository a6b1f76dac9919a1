"""Files as the held-out family's citizens send them: JPEG, PNG, and image-only PDFs.

The PDFs are written here (not by :mod:`synthdocs.encode`), with what scanners and phone apps
vary: JPEG quality, greyscale JPEG for greyscale pages, or lossless Flate. A PDF page is
``width_px / dpi`` inches wide, ``dpi`` being that sample's, so rendering each page at its
sample's dpi gives back the pixel grid of the golden boxes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
from PIL import Image

from ..canvas import Sample, to_pil


def _is_grey(page: np.ndarray) -> bool:
    return page.ndim == 2 or bool(
        np.array_equal(page[:, :, 0], page[:, :, 1])
        and np.array_equal(page[:, :, 1], page[:, :, 2])
    )


def to_jpeg(sample: Sample, *, page: int = 0, quality: int = 85) -> bytes:
    buf = io.BytesIO()
    im = to_pil(sample.pages[page])
    if _is_grey(sample.pages[page]):
        im = im.convert("L")
    im.save(buf, format="JPEG", quality=quality, dpi=(sample.dpi, sample.dpi))
    return buf.getvalue()


def to_png(sample: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    im = to_pil(sample.pages[page])
    if _is_grey(sample.pages[page]):
        im = im.convert("L")
    # scanner software favours speed over size
    im.save(buf, format="PNG", dpi=(sample.dpi, sample.dpi), compress_level=1)
    return buf.getvalue()


def to_pdf(samples: Sequence[Sample], *, quality: int | None = 85) -> bytes:
    """Every page of every sample, in order, one image per page; ``quality=None`` embeds the
    pages losslessly. Reproducible bytes for the same input."""
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas as rl_canvas

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        buf = io.BytesIO()
        c = rl_canvas.Canvas(buf, pageCompression=1, invariant=1)
        c.setProducer("scan2pdf")
        for s in samples:
            k = 72.0 / s.dpi
            for page in s.pages:
                h, w = page.shape[:2]
                c.setPageSize((w * k, h * k))
                im: Image.Image = to_pil(page)
                if _is_grey(page):
                    im = im.convert("L")
                if quality is None:
                    reader = ImageReader(im)
                else:
                    jb = io.BytesIO()
                    im.save(jb, format="JPEG", quality=quality)
                    jb.seek(0)
                    reader = ImageReader(jb)
                c.drawImage(reader, 0, 0, width=w * k, height=h * k)
                c.showPage()
        c.save()
        return buf.getvalue()
    finally:
        rl_config.useA85 = saved
