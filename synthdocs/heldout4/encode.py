"""This family's file encoders: PNG, JPEG and an image-only PDF written by hand."""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image

from ..canvas import Sample, to_pil


def to_png(sample: Sample, *, page: int = 0) -> bytes:
    buf = io.BytesIO()
    to_pil(sample.pages[page]).save(buf, format="PNG", dpi=(sample.dpi, sample.dpi), compress_level=3)
    return buf.getvalue()


def _jpeg(im: Image.Image, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    im.convert("RGB").save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi))
    return buf.getvalue()


def to_jpeg(sample: Sample, *, page: int = 0, quality: int = 88) -> bytes:
    return _jpeg(to_pil(sample.pages[page]), quality, sample.dpi)


def pdf_of(samples: Sequence[Sample]) -> bytes:
    """Every page of ``samples`` as one image-only PDF (JPEG pages, sized by each dpi)."""
    pages = [(to_pil(p), s.dpi) for s in samples for p in s.pages]
    objs: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    streams: list[bytes | None] = [None, None]
    for i, (im, dpi) in enumerate(pages):
        w, h = im.size
        pw, ph = w * 72 / dpi, h * 72 / dpi
        page, img, content = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
            f"/Resources << /XObject << /Im{i} {img} 0 R >> >> /Contents {content} 0 R >>".encode()
        )
        streams.append(None)
        data = _jpeg(im, 85, dpi)
        objs.append(
            f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>".encode()
        )
        streams.append(data)
        cs = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im{i} Do Q".encode()
        objs.append(f"<< /Length {len(cs)} >>".encode())
        streams.append(cs)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, (obj, stream) in enumerate(zip(objs, streams, strict=True)):
        offsets.append(out.tell())
        out.write(f"{k + 1} 0 obj\n".encode() + obj)
        if stream is not None:
            out.write(b"\nstream\n" + stream + b"\nendstream")
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
