"""Settings of the precheck package (env prefix ``PAOYICI_PRECHECK_``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ocr.document import LOW_CONFIDENCE

#: The default of ``PrecheckSettings.certain_confidence`` (docs/document-ai.md, "The certain
#: line"): measured on the training family only, checked on the held-out one.
CERTAIN_CONFIDENCE = 0.99


class PrecheckSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAOYICI_PRECHECK_")

    # A field read below this confidence is not trusted on its own: a rule that depends on it
    # yields ``low_confidence`` (needs_review) instead of a verdict either way. Default: the
    # reader's own "a reviewer must confirm" line.
    min_field_confidence: float = LOW_CONFIDENCE
    # A finding that tells the applicant to change something (severity ``error``: a field
    # mismatch, an expired card, an invalid number...) may rest only on values read at this
    # confidence or above, or read identically from two uploads; resting on anything less it is
    # a reviewer's (``warning``, needs_review), never needs_fix and never ready. The default is
    # the calibrated line of docs/document-ai.md: on the training family the share of wrong
    # values among those read at or above it is <= 0.5 % (``python -m bench calibration``).
    certain_confidence: float = CERTAIN_CONFIDENCE
    # Below this classification confidence a document is neither asserted to be the wrong
    # document nor trusted to be the right one: a reviewer looks.
    min_doc_confidence: float = 0.5
    # A document whose type, chosen by the classifier itself, is the type its slot asks for is
    # accepted from this confidence. The reader caps a type it took only from the slot's hint
    # at ``ocr.pipeline.SLOT_HINT_MAX_CONFIDENCE`` (0.3), below this line, so such a document
    # goes to a reviewer.
    min_doc_confidence_match: float = 0.4
    # Deadline for a material accepted missing on a signed promise (容缺受理) when the matter's
    # source guide gives none: a local policy, not something any guide states.
    accept_missing_default_days: int = 30
    # Disk cache of read documents, relative to the caller's data dir when not absolute.
    cache_dir: Path = Path("precheck-cache")

    @model_validator(mode="after")
    def _lines_in_order(self) -> PrecheckSettings:
        if not 0.0 <= self.min_field_confidence <= 1.0:
            raise ValueError("min_field_confidence must be within [0, 1]")
        if not self.min_field_confidence <= self.certain_confidence <= 1.0:
            raise ValueError(
                "certain_confidence must be within [min_field_confidence, 1]: a value certain "
                "enough to tell the applicant to fix something is trusted too"
            )
        return self

    def insecure_defaults(self) -> list[str]:
        return []

    def resolved_cache_dir(self, data_dir: Path) -> Path:
        return self.cache_dir if self.cache_dir.is_absolute() else data_dir / self.cache_dir
