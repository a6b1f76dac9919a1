"""Certificate rendering: one PDF page per certificate, from :class:`CertificateMeta`.

- Chinese text in an embedded subset of a CJK TrueType font (reportlab subsets the glyphs used),
  by default :func:`common.cjk_font`.
- The seal is drawn as an image (rendered once per issuer with Pillow and reused).
- The QR code (vector) carries ``<verify base URL>/verify/<identifier>``.
- GB/T 36903 metadata in the document information dictionary and an XMP packet.
- Reproducible: the same input gives the same bytes (reportlab's invariant mode; dates come from
  the metadata, never from the clock).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import qrcode
from PIL import Image, ImageDraw, ImageFont
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFInfo, PDFName, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from common import cjk_font
from signing.errors import SigningError
from signing.facedata import FACE_NS, face_xmp_properties
from signing.metadata import CertificateKind, CertificateMeta

__all__ = ["CertificateRenderer"]

_FONT = "PaoyiciCJK"
_RED = HexColor("#C8161D")
_INK = HexColor("#1A1A1A")
_GOLD = HexColor("#B8860B")
_PRODUCER = "Paoyici e-certificate renderer"
_font_lock = threading.Lock()


def _register_font(path: Path, index: int) -> None:
    with _font_lock:
        # Binary (Flate) streams instead of ASCII85: reportlab's pure-Python ASCII85 encoder
        # was a third of the rendering time. Process-wide, and only this module uses reportlab.
        rl_config.useA85 = 0
        if _FONT in pdfmetrics.getRegisteredFontNames():
            return
        try:
            pdfmetrics.registerFont(TTFont(_FONT, str(path), subfontIndex=index))
        except Exception as e:  # reportlab raises TTFError and assorted others
            raise SigningError(detail=f"cannot load CJK font {path}: {e}") from e


def _centred(c: Canvas, x: float, y: float, text: str, *, size: float) -> None:
    """``text`` in the certificate face at ``size`` pt, centred on ``x``."""
    c.setFont(_FONT, size)
    c.drawCentredString(x, y, text)


class _CertificateInfo(PDFInfo):
    """Document information with GB/T 36903 keys; dates from the certificate, not the clock."""

    def __init__(self, meta: CertificateMeta) -> None:
        super().__init__()
        self._meta = meta

    def format(self, document: object) -> bytes:
        m = self._meta
        date = PDFString(f"D:{m.issued_on:%Y%m%d}000000+08'00'")
        d: dict[str, object] = {
            "Title": PDFString(f"{m.name}（电子证照）"),
            "Author": PDFString(m.issuer),
            "Subject": PDFString(f"{m.name} {m.number}"),
            "Keywords": PDFString(f"电子证照; {m.identifier}"),
            "Creator": PDFString(_PRODUCER),
            "Producer": PDFString(_PRODUCER),
            "CreationDate": date,
            "ModDate": date,
            "Trapped": PDFName("False"),
            "ECertIdentifier": PDFString(str(m.identifier)),
            "ECertTypeCode": PDFString(m.type_code),
            "ECertNumber": PDFString(m.number),
            "ECertIssuerCode": PDFString(m.issuer_code),
        }
        return PDFDictionary(d).format(document)


def _xmp_packet(meta: CertificateMeta) -> bytes:
    rec = meta.as_record()
    props = "".join(
        f'<rdf:li rdf:parseType="Resource"><ecert:name>{escape(k)}</ecert:name>'
        f"<ecert:value>{escape(v)}</ecert:value></rdf:li>"
        for k, v in rec.items()
    )
    face_ns, face = "", ""
    if meta.face is not None:
        face_ns = f' xmlns:face="{FACE_NS}"'
        face = face_xmp_properties(meta.face)
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:ecert="urn:paoyici:ecert:gbt36903:1.0#"'
        f"{face_ns}>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(meta.name)}</rdf:li>'
        "</rdf:Alt></dc:title>"
        f"<dc:creator><rdf:Seq><rdf:li>{escape(meta.issuer)}</rdf:li></rdf:Seq></dc:creator>"
        f"<dc:identifier>{escape(str(meta.identifier))}</dc:identifier>"
        f"<xmp:CreateDate>{meta.issued_on.isoformat()}</xmp:CreateDate>"
        f"<pdf:Producer>{_PRODUCER}</pdf:Producer>"
        f"<ecert:identifier>{escape(str(meta.identifier))}</ecert:identifier>"
        f"<ecert:fields><rdf:Bag>{props}</rdf:Bag></ecert:fields>"
        f"{face}"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="r"?>'
    )
    return xmp.encode("utf-8")


class CertificateRenderer:
    """Renders certificate PDFs. Construct once (font parsed, seals cached); thread-safe.

    ``font_path`` (with its ``font_index`` in a ``.ttc``) replaces the installed CJK font."""

    def __init__(
        self,
        *,
        verify_base_url: str,
        font_path: Path | None = None,
        font_index: int = 0,
    ) -> None:
        font = cjk_font(font_path, font_index)
        if font is None:
            raise SigningError(detail="no CJK TrueType font found (install fonts-wqy-microhei)")
        self._font_path = font.path
        self._font_index = font.index
        _register_font(font.path, font.index)
        self._verify_base_url = verify_base_url.rstrip("/")
        self._seals: dict[str, ImageReader] = {}
        self._lock = threading.Lock()

    def verification_url(self, meta: CertificateMeta) -> str:
        return f"{self._verify_base_url}/verify/{meta.identifier}"

    def render(self, meta: CertificateMeta) -> bytes:
        """The unsigned certificate PDF; same ``meta`` → same bytes."""
        buf = io.BytesIO()
        size = A4 if meta.kind is CertificateKind.REAL_ESTATE_REGISTRATION else landscape(A4)
        c = Canvas(
            buf,
            pagesize=size,
            invariant=True,
            pageCompression=True,
            pdfVersion=(1, 7),
            initialFontName=_FONT,
        )
        c._doc.info = _CertificateInfo(meta)
        xmp = PDFStream(
            PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
            _xmp_packet(meta),
            filters=[],
        )
        c._doc.Catalog.Metadata = c._doc.Reference(xmp)
        c._doc.Catalog.Lang = PDFString("zh-CN")
        draw: Callable[[Canvas, CertificateMeta, tuple[float, float]], None] = {
            CertificateKind.REAL_ESTATE_REGISTRATION: self._draw_real_estate,
            CertificateKind.INDIVIDUAL_BUSINESS_LICENSE: self._draw_business_license,
        }[meta.kind]
        draw(c, meta, size)
        c.showPage()
        c.save()
        return buf.getvalue()

    # -- page furniture ------------------------------------------------------------------------
    def _begin_page(
        self, c: Canvas, size: tuple[float, float], frame: Color
    ) -> tuple[float, float]:
        """The double frame in ``frame``'s colour, the ink set to the red of the title lines;
        returns the page's (w, h)."""
        w, h = size
        self._frame(c, w, h, frame)
        c.setFillColor(_RED)
        return w, h

    def _frame(self, c: Canvas, w: float, h: float, color: Color) -> None:
        c.setStrokeColor(color)
        c.setLineWidth(3)
        c.rect(24, 24, w - 48, h - 48)
        c.setLineWidth(0.8)
        c.rect(32, 32, w - 64, h - 64)

    def _qr(self, c: Canvas, meta: CertificateMeta, x: float, y: float, size: float) -> None:
        # A fixed mask pattern: any of the eight is valid; scoring all eight (qrcode's default)
        # was a fifth of the rendering time.
        q = qrcode.QRCode(
            border=0, error_correction=qrcode.constants.ERROR_CORRECT_M, mask_pattern=2
        )
        q.add_data(self.verification_url(meta))
        q.make(fit=True)
        matrix = q.get_matrix()
        n = len(matrix)
        # One path of horizontal runs in module units under a scaling transform: a few hundred
        # integer rectangles instead of a float-formatted rectangle per module.
        ops = []
        for r, row in enumerate(matrix):
            col = 0
            while col < n:
                if row[col]:
                    start = col
                    while col < n and row[col]:
                        col += 1
                    ops.append(f"{start} {n - 1 - r} {col - start} 1 re")
                else:
                    col += 1
        c.saveState()
        c.setFillColor(_INK)
        c.translate(x, y)
        c.scale(size / n, size / n)
        c._code.append("\n".join(ops) + "\nf")
        c.restoreState()
        c.setFont(_FONT, 7)
        c.drawCentredString(x + size / 2, y - 18, "扫码核验")  # below the quiet zone

    def _seal(self, c: Canvas, meta: CertificateMeta, x: float, y: float, size: float) -> None:
        c.saveState()
        c.setBlendMode("Multiply")
        c.drawImage(self._seal_image(meta.issuer), x, y, size, size)
        c.restoreState()

    def _seal_image(self, issuer: str) -> ImageReader:
        with self._lock:
            img = self._seals.get(issuer)
            if img is None:
                img = ImageReader(io.BytesIO(self._draw_seal_jpeg(issuer)))
                self._seals[issuer] = img
            return img

    def _draw_seal_jpeg(self, issuer: str) -> bytes:
        px = 360
        im = Image.new("RGBA", (px, px), (255, 255, 255, 0))
        d = ImageDraw.Draw(im)
        red = (200, 22, 29, 235)
        ring = px // 40
        d.ellipse((ring, ring, px - ring, px - ring), outline=red, width=ring)
        cx = cy = px / 2
        star_r = px * 0.15
        pts = []
        for i in range(10):
            r = star_r if i % 2 == 0 else star_r * 0.4
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((cx + r * math.cos(a), cy + r * math.sin(a)))
        d.polygon(pts, fill=red)
        glyph_px = int(px * 0.13)
        font = ImageFont.truetype(str(self._font_path), glyph_px, index=self._font_index)
        # issuer name along the upper arc, each character upright towards the centre
        span = min(260.0, 24.0 * len(issuer))
        radius = px / 2 - ring * 2 - glyph_px * 0.75
        box = int(glyph_px * 1.5)
        for i, ch in enumerate(issuer):
            deg = -90 - span / 2 + span * (i + 0.5) / len(issuer)
            ang = math.radians(deg)
            glyph = Image.new("RGBA", (box, box), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((box / 2, box / 2), ch, font=font, fill=red, anchor="mm")
            glyph = glyph.rotate(-(deg + 90), resample=Image.Resampling.BICUBIC)
            gx = int(cx + radius * math.cos(ang) - box / 2)
            gy = int(cy + radius * math.sin(ang) - box / 2)
            im.alpha_composite(glyph, (gx, gy))
        small = ImageFont.truetype(str(self._font_path), int(px * 0.07), index=self._font_index)
        d.text((cx, cy + px * 0.27), "电子证照专用章", font=small, fill=red, anchor="mm")
        # A JPEG on white, drawn with the Multiply blend mode: white vanishes like transparency
        # and the text under the seal stays readable, as with a real stamp. reportlab embeds
        # JPEG bytes as they are (DCTDecode), where a PNG with alpha would be decoded and
        # recompressed for every certificate.
        flat = Image.new("RGB", im.size, (255, 255, 255))
        flat.paste(im, mask=im.getchannel("A"))
        out = io.BytesIO()
        flat.save(out, format="JPEG", quality=92, subsampling=0)
        return out.getvalue()

    def _footer(self, c: Canvas, meta: CertificateMeta, w: float) -> None:
        c.setFont(_FONT, 7.5)
        c.setFillColor(HexColor("#555555"))
        c.drawString(48, 42, f"证照标识：{meta.identifier}")
        c.drawString(
            48,
            54,
            "本电子证照依据《浙江省公共数据和电子政务管理办法》签发，与纸质证照具有同等法律效力。",
        )

    def _issuer_block(
        self,
        c: Canvas,
        meta: CertificateMeta,
        w: float,
        *,
        label: str,
        name_y: float,
        date_y: float,
        seal_y: float,
    ) -> None:
        """The issuing authority and the date of issue, its seal over them, then the footer."""
        c.setFont(_FONT, 13)
        c.drawRightString(w - 80, name_y, f"{label}：{meta.issuer}")
        c.drawRightString(w - 80, date_y, meta.issued_on.strftime("%Y年%m月%d日"))
        self._seal(c, meta, w - 230, seal_y, 130)
        self._footer(c, meta, w)

    # -- templates -----------------------------------------------------------------------------
    def _draw_real_estate(
        self, c: Canvas, meta: CertificateMeta, size: tuple[float, float]
    ) -> None:
        w, h = self._begin_page(c, size, _GOLD)
        _centred(c, w / 2, h - 100, "中华人民共和国", size=30)
        _centred(c, w / 2, h - 145, meta.name, size=34)
        c.setFillColor(_INK)
        _centred(c, w / 2, h - 175, meta.number, size=12)
        rows: list[tuple[str, str]] = [
            ("权利人", meta.holder),
            ("证件号码", meta.holder_code),
            *meta.fields,
            ("登记日期", meta.issued_on.strftime("%Y年%m月%d日")),
        ]
        self._table(c, rows, x=70, y=h - 215, width=w - 140, label_w=110, row_h=30)
        self._qr(c, meta, 70, 120, 96)
        self._issuer_block(c, meta, w, label="登记机构", name_y=180, date_y=158, seal_y=110)

    def _draw_business_license(
        self, c: Canvas, meta: CertificateMeta, size: tuple[float, float]
    ) -> None:
        w, h = self._begin_page(c, size, _RED)
        _centred(c, w / 2, h - 100, meta.name, size=40)
        _centred(c, w / 2, h - 122, "（个体工商户）", size=12)
        c.setFillColor(_INK)
        c.setFont(_FONT, 11)
        c.drawString(60, h - 150, f"统一社会信用代码：{meta.holder_code}")
        c.drawRightString(w - 60, h - 150, f"编号：{meta.number}")
        rows: list[tuple[str, str]] = [
            ("名称", meta.holder),
            *meta.fields,
            ("注册日期", meta.valid_from.strftime("%Y年%m月%d日")),
        ]
        self._table(c, rows, x=70, y=h - 190, width=w - 300, label_w=100, row_h=28)
        self._qr(c, meta, w - 190, h - 320, 110)
        self._issuer_block(c, meta, w, label="登记机关", name_y=130, date_y=110, seal_y=70)

    def _table(
        self,
        c: Canvas,
        rows: list[tuple[str, str]],
        *,
        x: float,
        y: float,
        width: float,
        label_w: float,
        row_h: float,
    ) -> None:
        c.setStrokeColor(HexColor("#999999"))
        c.setLineWidth(0.5)
        for i, (label, value) in enumerate(rows):
            top = y - i * row_h
            c.rect(x, top - row_h, width, row_h)
            c.line(x + label_w, top, x + label_w, top - row_h)
            _centred(c, x + label_w / 2, top - row_h + 10, label, size=11)
            c.setFont(_FONT, 11 if len(value) < 40 else 9)
            c.drawString(x + label_w + 10, top - row_h + 10, value)
