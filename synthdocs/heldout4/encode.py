"""This family's file encoders: PNG, JPEG (OpenCV) and an image-only PDF written by hand."""

from __future__ import annotations

import io
from collections.abc import Sequence

import cv2
import numpy as np

from ..canvas import Sample


def _enc(img: np.ndarray, ext: str, params: list[int]) -> bytes:
    ok, buf = cv2.imencode(ext, img, params)
    if not ok:  # pragma: no cover
        raise RuntimeError(f"could not encode {ext}")
    return buf.tobytes()


def to_png(sample: Sample, *, page: int = 0) -> bytes:
    return _enc(sample.pages[page], ".png", [cv2.IMWRITE_PNG_COMPRESSION, 3])


def to_jpeg(sample: Sample, *, page: int = 0, quality: int = 88) -> bytes:
    return _enc(sample.pages[page], ".jpg", [cv2.IMWRITE_JPEG_QUALITY, quality])


def pdf_of(samples: Sequence[Sample]) -> bytes:
    """Every page of ``samples`` as one image-only PDF (JPEG pages, sized by each dpi)."""
    pages = [(p, s.dpi) for s in samples for p in s.pages]
    objs: list[bytes] = []
    n = len(pages)
    kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    streams: list[bytes | None] = [None, None]
    for i, (img, dpi) in enumerate(pages):
        h, w = img.shape[:2]
        pw, ph = w * 72 / dpi, h * 72 / dpi
        img_obj, content = 4 + 3 * i, 5 + 3 * i
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
            f"/Resources << /XObject << /Im{i} {img_obj} 0 R >> >> "
            f"/Contents {content} 0 R >>".encode()
        )
        streams.append(None)
        data = _enc(img, ".jpg", [cv2.IMWRITE_JPEG_QUALITY, 85])
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
    out.write(
        f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()
