"""Settings of the ocr package (env prefix ``PAOYICI_OCR_``), passed as an argument.

Quality thresholds are documented in :mod:`ocr.quality`; limits in :mod:`ocr.decode`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class OcrSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAOYICI_OCR_")

    #: ``rapid`` (rapidocr on ONNX Runtime, default) or ``paddle`` (PaddleOCR 3.x, extra
    #: ``paoyici[paddle]``, ONNX Runtime backend over local model folders).
    engine: Literal["rapid", "paddle"] = "rapid"
    #: ONNX Runtime intra-op threads per engine (one engine per worker process).
    threads: int = Field(default=2, ge=1, le=64)
    #: Folder of the PaddleOCR model folders, relative to the data dir unless absolute
    #: (built by ``python -m ocr.engines.paddle_models DIR`` / on first use).
    paddle_model_dir: Path = Path("models/paddle")

    # --- limits (see ocr.decode) ---
    max_file_bytes: int = Field(default=30 * 1024 * 1024, ge=1)
    #: Pixels of one decoded image or rendered page (width × height).
    max_pixels: int = Field(default=60_000_000, ge=1)
    #: Longest side of one decoded image, pixels.
    max_side: int = Field(default=16_000, ge=1)
    max_pages: int = Field(default=20, ge=1)
    #: Resolution at which PDF pages are rendered (scanned pages) and text-layer boxes expressed.
    pdf_dpi: int = Field(default=200, ge=50, le=600)
    #: A PDF page with at least this many non-space characters in its text layer is read through
    #: the text layer, without OCR.
    text_layer_min_chars: int = Field(default=8, ge=1)

    # --- geometry ---
    use_orientation: bool = True
    use_perspective: bool = True
    use_deskew: bool = True
    #: Longest side of the image given to the detector, by page shape: card-sized pages
    #: (ID cards) need fewer pixels than full pages with small print.
    det_max_side_card: int = Field(default=1280, ge=320)
    det_max_side_page: int = Field(default=2000, ge=320)

    # --- quality thresholds (see ocr.quality for what each measures) ---
    blur_min_sharpness: float = 0.3
    min_short_side: int = 400
    min_text_height: float = 9.0
    dark_max_mean: float = 70.0
    glare_max_fraction: float = 0.02
    min_text_chars: int = 4

    def resolve_paddle_model_dir(self, data_dir: Path) -> Path:
        p = self.paddle_model_dir
        return p if p.is_absolute() else data_dir / p
