"""Review of submitted applications: the queue, claims with a lease, flags with image crops,
confirmations and corrections, decisions.

The pure parts (crops, leases, flags, applying reviewed values to documents) are here with the
use cases that call them, so the HTTP layer only parses and answers.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from PIL import Image
from pydantic_settings import BaseSettings, SettingsConfigDict

from jobs.errors import JobError
from ocr import LOW_CONFIDENCE
from ocr.decode import decode
from ocr.document import Document, Field
from ocr.errors import OcrError
from ocr.settings import OcrSettings


class ReviewSettings(BaseSettings):
    """Env prefix ``PAOYICI_REVIEW_``."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_REVIEW_", extra="ignore")

    # A claim lapses after this long without renewal, so a case never stays with someone who
    # went home; claiming again (or acting on the case) renews it.
    claim_minutes: int = 30
    # Margin around a field's box in its crop, as a share of the box's height (at least 8 px).
    crop_margin: float = 0.35
    # A crop wider or taller than this is scaled down (a reviewer's screen, not an archive).
    crop_max_side: int = 1600

    def insecure_defaults(self) -> list[str]:
        return []


# ------------------------------------------------------------------ errors


class ReviewError(JobError):
    code = "review_error"
    message = "复核操作出错"


class ClaimedError(ReviewError):
    """Another reviewer holds an unexpired claim on the case."""

    code = "claimed"

    def __init__(self, *, holder: str, until: datetime) -> None:
        self.holder = holder
        self.until = until
        super().__init__(
            f"该办件已由{holder}领取，领取有效至 {until.isoformat(timespec='minutes')}",
            detail=f"claimed until {until.isoformat()}",
        )

    def details(self) -> dict[str, Any]:
        return {"assignee": self.holder, "claim_expires_at": self.until.isoformat()}


class NotClaimedError(ReviewError):
    """Acting on a case needs the caller's own live claim on it."""

    code = "not_claimed"
    message = "请先领取该办件再进行复核操作"


class OwnApplicationError(ReviewError):
    """Nobody decides (or reviews) their own application."""

    code = "own_application"
    message = "不能复核或决定本人提交的办件"


class NotReviewableError(ReviewError):
    code = "not_reviewable"
    message = "该办件当前状态不能复核"


class ReasonRequiredError(ReviewError):
    code = "reason_required"
    message = "退回或不予受理必须填写理由"


class UnknownFieldError(ReviewError):
    code = "unknown_field"

    def __init__(self, field: str) -> None:
        self.field = field
        super().__init__(f"该材料没有字段“{field}”", detail=f"unknown field {field!r}")


class InvalidCorrectionError(ReviewError):
    code = "invalid_correction"
    message = "更正值的格式与该字段不符"


class CropUnavailableError(ReviewError):
    """The field has no box on a page that can be shown (no crop to serve)."""

    code = "crop_unavailable"
    message = "该字段没有可显示的图像区域"


# ------------------------------------------------------------------ crops

Box = Sequence[float]


def crop_field(
    data: bytes,
    *,
    page: int,
    box: Box,
    ocr_settings: OcrSettings,
    margin: float = 0.35,
    max_side: int = 1600,
) -> bytes:
    """A PNG of ``box`` on page ``page`` of an uploaded file, with a margin around it.

    ``box`` is ``[x0, y0, x1, y1]`` in pixels of the page as uploaded (CONTRACT §1: after mapping
    back through rotation or warp; EXIF orientation applied; PDF pages at ``pdf_dpi``), which
    is the image :func:`ocr.decode.decode` gives back — so the crop is cut from exactly what
    the reader saw. PDF pages read from their text layer are rendered for the crop.
    """
    x0, y0, x1, y1 = _check_box(box)
    # render every PDF page: a text-layer page has no image of its own
    render_all = ocr_settings.model_copy(update={"text_layer_min_chars": 10**9})
    try:
        _, pages = decode(data, settings=render_all)
    except OcrError as e:
        raise CropUnavailableError(detail=f"decode: {e.code}") from e
    if not 0 <= page < len(pages) or pages[page].image is None:
        raise CropUnavailableError(detail=f"page {page} of {len(pages)}")
    image = pages[page].image
    assert image is not None
    height, width = image.shape[:2]
    pad = max(8.0, margin * (y1 - y0))
    left, top = max(0, math.floor(x0 - pad)), max(0, math.floor(y0 - pad))
    right, bottom = min(width, math.ceil(x1 + pad)), min(height, math.ceil(y1 + pad))
    if right <= left or bottom <= top:
        raise CropUnavailableError(detail=f"box {list(box)} outside {width}x{height}")
    region = np.ascontiguousarray(image[top:bottom, left:right, ::-1])  # BGR → RGB
    out = Image.fromarray(region)
    if max(out.size) > max_side:
        out.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    out.save(buf, format="PNG")
    return buf.getvalue()


def _check_box(box: Box | None) -> tuple[float, float, float, float]:
    if box is None or len(box) != 4:
        raise CropUnavailableError(detail=f"box {box!r}")
    x0, y0, x1, y1 = (float(v) for v in box)
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)) or x1 <= x0 or y1 <= y0:
        raise CropUnavailableError(detail=f"box {list(box)}")
    return x0, y0, x1, y1


# ------------------------------------------------------------------ leases


@dataclass(frozen=True)
class Lease:
    """Who holds a case and until when (``None`` holder: nobody)."""

    holder_id: str | None
    expires_at: datetime | None

    def held_by_other(self, reviewer_id: str, now: datetime) -> bool:
        return self.live(now) and self.holder_id != reviewer_id

    def held_by(self, reviewer_id: str, now: datetime) -> bool:
        return self.live(now) and self.holder_id == reviewer_id

    def live(self, now: datetime) -> bool:
        return (
            self.holder_id is not None
            and self.expires_at is not None
            and _aware_utc(self.expires_at) > now
        )


def take_lease(current: Lease, *, reviewer_id: str, now: datetime, minutes: int) -> Lease:
    """The lease after ``reviewer_id`` claims: theirs for ``minutes`` from now, renewed if
    they already held it. Raises ClaimedError while another reviewer's lease is live."""
    if current.held_by_other(reviewer_id, now):
        assert current.holder_id is not None and current.expires_at is not None
        raise ClaimedError(holder=current.holder_id, until=_aware_utc(current.expires_at))
    return Lease(holder_id=reviewer_id, expires_at=now + timedelta(minutes=minutes))


def _aware_utc(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# ------------------------------------------------------------------ flags


@dataclass(frozen=True)
class Flag:
    """One uncertain field a reviewer must look at, where it is and how sure the reader was."""

    file: str  # the file's id in the application
    file_index: int
    slot: str
    field: str
    page: int
    box: tuple[int, int, int, int] | None
    value: Any
    confidence: float
    reasons: tuple[str, ...]  # finding codes that point at it (e.g. low_confidence)


def flags_of(
    report: Mapping[str, Any] | None,
    *,
    file_ids: Mapping[int, str],
    reviewed: Iterable[tuple[str, str]] = (),
    threshold: float = LOW_CONFIDENCE,
) -> list[Flag]:
    """The uncertain fields of a stored report (``precheck --json`` shape): every field read
    below ``threshold`` and every field a warning finding names, minus those already
    confirmed or corrected (``reviewed``: (file id, field) pairs). ``file_ids`` maps the
    report's file index to the file's id."""
    if not report:
        return []
    done = set(reviewed)
    pointed: dict[tuple[int, str], list[str]] = {}
    for finding in report.get("findings", []):
        if finding.get("severity") == "error" or not finding.get("field"):
            continue
        for ev in finding.get("evidence", []):
            key = (int(ev.get("file", -1)), str(finding["field"]))
            pointed.setdefault(key, []).append(str(finding.get("code")))
    flags: list[Flag] = []
    for doc in report.get("documents", []):
        index = int(doc.get("file", -1))
        file_id = file_ids.get(index)
        if file_id is None:
            continue
        for name, field in (doc.get("fields") or {}).items():
            confidence = float(field.get("confidence", 0.0))
            reasons = pointed.get((index, name), [])
            if confidence >= threshold and not reasons:
                continue
            if (file_id, name) in done:
                continue
            box = field.get("box")
            flags.append(
                Flag(
                    file=file_id,
                    file_index=index,
                    slot=str(doc.get("slot", "")),
                    field=name,
                    page=int(field.get("page", 0)),
                    box=tuple(int(v) for v in box) if box else None,  # type: ignore[arg-type]
                    value=field.get("value"),
                    confidence=round(confidence, 4),
                    reasons=tuple(dict.fromkeys(reasons)),
                )
            )
    flags.sort(key=lambda f: (f.file_index, f.confidence, f.field))
    return flags


# ------------------------------------------------------------------ reviewed values


@dataclass(frozen=True)
class FieldReview:
    """A reviewer's word on one field: ``confirm`` keeps the value, ``correct`` replaces it."""

    file: str
    field: str
    action: str  # "confirm" | "correct"
    value: Any = None


REVIEWED_CONFIDENCE = 1.0


def check_correction(current: Field | None, value: Any) -> Any:
    """``value`` if it has the shape of the field (text for text, a list for a list, an object
    for an object); raises InvalidCorrectionError."""
    if value is None:
        raise InvalidCorrectionError(detail="no value")
    if isinstance(value, str):
        value = value.strip()
        if not value:
            raise InvalidCorrectionError(detail="empty value")
    expected = type(current.value) if current is not None else str
    if not isinstance(value, expected):
        raise InvalidCorrectionError(
            detail=f"expected {expected.__name__}, got {type(value).__name__}"
        )
    if isinstance(value, list) and not value:
        raise InvalidCorrectionError(detail="empty list")
    return value


def apply_reviews(document: Document, reviews: Iterable[FieldReview]) -> Document:
    """``document`` with reviewed fields: a confirmed or corrected field counts as read with
    certainty (a person looked at the image), a correction replaces the value. Later reviews of
    the same field win."""
    fields = dict(document.fields)
    for review in reviews:
        current = fields.get(review.field)
        if review.action == "confirm":
            if current is None:
                continue
            fields[review.field] = replace(current, confidence=REVIEWED_CONFIDENCE, suggestion=None)
        elif review.action == "correct":
            base = current or Field(value=review.value, confidence=REVIEWED_CONFIDENCE)
            fields[review.field] = replace(
                base,
                value=review.value,
                confidence=REVIEWED_CONFIDENCE,
                suggestion=None,
                valid=None,
            )
    return replace(document, fields=fields)
