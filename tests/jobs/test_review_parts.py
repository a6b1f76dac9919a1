"""The pure parts of review: crops from stored uploads, claim leases, flags, reviewed values."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PIL import Image

from jobs.review import (
    ClaimedError,
    CropUnavailableError,
    FieldReview,
    InvalidCorrectionError,
    Lease,
    apply_reviews,
    check_correction,
    crop_field,
    flags_of,
    take_lease,
)
from ocr.document import DocType, Document, Field, Quality
from ocr.settings import OcrSettings

SETTINGS = OcrSettings()


def _png(img: Image.Image, fmt: str = "PNG", **kw: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _page_with_red_box(size: tuple[int, int], box: tuple[int, int, int, int]) -> Image.Image:
    img = Image.new("RGB", size, "white")
    img.paste((220, 0, 0), box)
    return img


def _open(png: bytes) -> np.ndarray:
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG"
    return np.asarray(img.convert("RGB"))


def test_crop_is_the_box_with_its_margin() -> None:
    box = (300, 200, 500, 240)  # 200 × 40: margin 0.35 × 40 = 14 px
    data = _png(_page_with_red_box((800, 600), box))
    out = _open(crop_field(data, page=0, box=box, ocr_settings=SETTINGS))
    assert out.shape[:2] == (40 + 28, 200 + 28)
    red = (out[:, :, 0] > 180) & (out[:, :, 1] < 60)
    ys, xs = np.nonzero(red)
    assert (ys.min(), xs.min(), ys.max(), xs.max()) == (14, 14, 14 + 39, 14 + 199)


def test_crop_is_clipped_at_the_page_edge_and_scaled_down() -> None:
    data = _png(_page_with_red_box((800, 600), (0, 0, 100, 20)))
    out = _open(crop_field(data, page=0, box=(0, 0, 100, 20), ocr_settings=SETTINGS))
    assert out.shape[:2] == (20 + 8, 100 + 8)  # min 8 px margin, nothing left of 0
    big = _png(Image.new("RGB", (3000, 400), "white"))
    out = _open(crop_field(big, page=0, box=(0, 0, 3000, 400), ocr_settings=SETTINGS))
    assert max(out.shape[:2]) == 1600


def test_crop_follows_exif_orientation() -> None:
    # stored sideways with an EXIF "rotate 90° CW" tag; boxes are on the upright image
    upright = _page_with_red_box((400, 300), (50, 60, 150, 90))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # 300 × 400 as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 CW to display
    data = _png(stored, "JPEG", exif=exif.tobytes(), quality=95)
    out = _open(crop_field(data, page=0, box=(50, 60, 150, 90), ocr_settings=SETTINGS))
    red = (out[:, :, 0] > 150) & (out[:, :, 1] < 90)
    ys, xs = np.nonzero(red)
    assert abs(int(ys.min()) - 10) <= 2 and abs(int(xs.min()) - 10) <= 2  # margin 0.35×30 → 10
    assert abs(int(xs.max() - xs.min()) - 99) <= 2


def test_crop_of_a_text_layer_pdf_page_is_rendered() -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("Helvetica", 24)
    c.drawString(72, A4[1] - 100, "CERTIFICATE NUMBER 12345")
    c.showPage()
    c.save()
    # 200 dpi: x 72pt → 200 px; baseline 100pt from the top → ~278 px
    box = (200, 230, 900, 290)
    out = _open(crop_field(buf.getvalue(), page=0, box=box, ocr_settings=SETTINGS))
    assert out.shape[0] > 60 and out.shape[1] > 700
    assert (out.mean(axis=2) < 100).sum() > 500  # the text is there, not a blank page


@pytest.mark.parametrize(
    ("page", "box"),
    [(0, None), (0, (10, 10, 5, 20)), (0, (5000, 5000, 5100, 5100)), (3, (1, 1, 20, 20))],
)
def test_no_crop_without_a_box_on_a_page(page: int, box: object) -> None:
    data = _png(Image.new("RGB", (200, 100), "white"))
    with pytest.raises(CropUnavailableError):
        crop_field(data, page=page, box=box, ocr_settings=SETTINGS)  # type: ignore[arg-type]


def test_no_crop_of_bytes_that_are_no_image() -> None:
    with pytest.raises(CropUnavailableError):
        crop_field(b"not an image at all", page=0, box=(0, 0, 5, 5), ocr_settings=SETTINGS)


NOW = datetime(2026, 12, 2, 2, 30, tzinfo=UTC)


def test_a_lease_is_taken_renewed_and_lapses() -> None:
    free = Lease(holder_id=None, expires_at=None)
    mine = take_lease(free, reviewer_id="r1", now=NOW, minutes=30)
    assert mine == Lease("r1", NOW + timedelta(minutes=30))
    # another reviewer is refused while it is live
    with pytest.raises(ClaimedError) as e:
        take_lease(mine, reviewer_id="r2", now=NOW + timedelta(minutes=29), minutes=30)
    assert e.value.code == "claimed"
    assert e.value.details()["assignee"] == "r1"
    # the holder renews
    renewed = take_lease(mine, reviewer_id="r1", now=NOW + timedelta(minutes=20), minutes=30)
    assert renewed.expires_at == NOW + timedelta(minutes=50)
    # after it lapses anyone may take it
    later = NOW + timedelta(minutes=30)
    assert not mine.live(later)
    assert take_lease(mine, reviewer_id="r2", now=later, minutes=30).holder_id == "r2"
    # a naive stored expiry (SQLite) is read as UTC
    naive = Lease("r1", (NOW + timedelta(minutes=5)).replace(tzinfo=None))
    assert naive.held_by_other("r2", NOW) and naive.held_by("r1", NOW)


REPORT = {
    "verdict": "needs_review",
    "findings": [
        {
            "code": "low_confidence",
            "severity": "warning",
            "slot": "seller_id_card",
            "field": "id_number",
            "message": "…",
            "evidence": [{"file": 0, "page": 0, "box": [1, 2, 3, 4], "value": "x"}],
        },
        {
            "code": "field_mismatch",
            "severity": "error",
            "slot": "sale_contract",
            "field": "price",
            "message": "…",
            "evidence": [{"file": 1, "page": 0, "box": None, "value": "1"}],
        },
    ],
    "documents": [
        {
            "file": 0,
            "slot": "seller_id_card",
            "fields": {
                "name": {"value": "张三", "confidence": 0.99, "page": 0, "box": [5, 5, 50, 20]},
                "id_number": {
                    "value": "330106198503120016",
                    "confidence": 0.92,
                    "page": 0,
                    "box": [10, 40, 200, 60],
                },
                "address": {"value": "杭州", "confidence": 0.5, "page": 0, "box": None},
            },
        },
        {
            "file": 1,
            "slot": "sale_contract",
            "fields": {"price": {"value": "1", "confidence": 0.99, "page": 1, "box": None}},
        },
    ],
}


def test_flags_are_low_confidence_fields_and_those_warnings_name() -> None:
    flags = flags_of(REPORT, file_ids={0: "f0", 1: "f1"})
    assert [(f.file, f.field, f.reasons) for f in flags] == [
        ("f0", "address", ()),
        ("f0", "id_number", ("low_confidence",)),
    ]
    assert flags[1].box == (10, 40, 200, 60) and flags[1].confidence == 0.92
    # a reviewed field is no longer a flag
    left = flags_of(REPORT, file_ids={0: "f0"}, reviewed=[("f0", "address")])
    assert [f.field for f in left] == ["id_number"]
    assert flags_of(None, file_ids={}) == []


def _doc() -> Document:
    return Document(
        doc_type=DocType.ID_CARD_FRONT,
        confidence=0.9,
        pages=1,
        quality=Quality(ok=True),
        fields={
            "name": Field(value="张三", confidence=0.6, box=(1, 2, 3, 4), suggestion="张"),
            "id_number": Field(value="330106198503120017", confidence=0.4, valid=False),
        },
    )


def test_reviewed_values_are_certain_and_corrections_replace() -> None:
    doc = apply_reviews(
        _doc(),
        [
            FieldReview("f0", "name", "confirm"),
            FieldReview("f0", "id_number", "correct", "330106198503120010"),
            FieldReview("f0", "id_number", "correct", "330106198503120016"),
        ],
    )
    assert doc.fields["name"].value == "张三" and doc.fields["name"].confidence == 1.0
    assert doc.fields["name"].box == (1, 2, 3, 4) and doc.fields["name"].suggestion is None
    assert doc.fields["id_number"].value == "330106198503120016"
    assert doc.fields["id_number"].confidence == 1.0 and doc.fields["id_number"].valid is None
    assert _doc().fields["name"].confidence == 0.6  # the input is untouched


def test_a_correction_has_the_shape_of_its_field() -> None:
    text = Field(value="张三", confidence=0.5)
    names = Field(value=["张三"], confidence=0.5)
    assert check_correction(text, " 李四 ") == "李四"
    assert check_correction(names, ["李四", "王五"]) == ["李四", "王五"]
    for field, bad in [(text, ""), (text, None), (text, ["x"]), (names, "x"), (names, [])]:
        with pytest.raises(InvalidCorrectionError):
            check_correction(field, bad)
