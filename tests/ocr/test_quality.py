"""Text-based quality checks (``ocr.quality.text_issues``) on given lines, without a model."""

from __future__ import annotations

from ocr.document import QualityIssue
from ocr.quality import text_issues
from ocr.settings import OcrSettings

W, H = 1323, 1871
BODY = [((300.0, 900.0, 900.0, 950.0), "签发机关 台州市公安局路桥区分局"),
        ((300.0, 1000.0, 900.0, 1050.0), "有效期限 2021.10.25-2031.10.25")]  # fmt: skip


def issues(lines: list[tuple[tuple[float, float, float, float], str]]) -> list[QualityIssue]:
    boxes = [b for b, _ in lines]
    texts = [t for _, t in lines]
    found, _metrics = text_issues(boxes, texts, width=W, height=H, settings=OcrSettings())
    return found


def test_a_fax_header_at_the_top_edge_is_no_crop() -> None:
    """A fax machine prints its header (date, sender's number, page) at the very edge of the
    page it sends: the page is whole."""
    header = ((0.0, 0.0, 640.0, 22.0), "2026-05-22 14:22 FROM: 057114250389 P.01")
    assert QualityIssue.CROPPED not in issues([header, *BODY])


def test_document_text_at_the_edge_is_a_crop() -> None:
    """A line of the document's own text cut by the picture's edge: it runs off the photo."""
    cut = ((0.0, 1820.0, 700.0, H), "中华人民共和国居民身份证")
    assert QualityIssue.CROPPED in issues([*BODY, cut])
    assert QualityIssue.CROPPED not in issues(BODY)
