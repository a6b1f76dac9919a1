"""Decoding: every accepted format, EXIF, limits, and every hostile file (no OCR needed)."""

from __future__ import annotations

import resource
import time

import numpy as np
import pytest

from api.errors import http_status
from ocr import OcrSettings, UnreadableFileError
from ocr.decode import decode
from synthdocs import ENCODERS, generate
from synthdocs.hostile import exif_rotated_jpeg, hostile_files

SETTINGS = OcrSettings()


@pytest.fixture(scope="module")
def card():  # type: ignore[no-untyped-def]
    return generate("id_card_front", seed=11)


@pytest.mark.parametrize("fmt", ["png", "jpeg", "webp", "bmp", "tiff"])
def test_image_formats_decode_to_the_page(card, fmt: str) -> None:  # type: ignore[no-untyped-def]
    kind, pages = decode(ENCODERS[fmt](card), settings=SETTINGS)
    assert kind == fmt
    assert len(pages) == 1
    img = pages[0].image
    assert img is not None and img.shape == card.image.shape
    diff = np.abs(img.astype(int) - card.image.astype(int)).mean()
    assert diff < 6, diff  # lossy formats differ slightly, never a channel swap


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_is_honoured(card, orientation: int) -> None:  # type: ignore[no-untyped-def]
    _, pages = decode(exif_rotated_jpeg(card, orientation=orientation), settings=SETTINGS)
    img = pages[0].image
    assert img is not None and img.shape == card.image.shape
    assert np.abs(img.astype(int) - card.image.astype(int)).mean() < 6


def test_pdf_text_layer_is_read_without_rendering() -> None:
    s = generate("sale_contract", seed=3)
    _, pages = decode(ENCODERS["pdf_text"](s), settings=SETTINGS)
    assert [p.source for p in pages] == ["pdf_text", "pdf_text"]
    text = "".join(r.text for r in pages[0].text_runs)
    assert s.fields["sellers"][0]["id_number"] in text


def test_scanned_pdf_is_rendered() -> None:
    s = generate("property_certificate", seed=3)
    _, pages = decode(ENCODERS["pdf"](s), settings=SETTINGS)
    assert pages[0].source == "pdf_render" and pages[0].image is not None
    assert pages[0].dpi == SETTINGS.pdf_dpi


def test_limits_are_configurable(card) -> None:  # type: ignore[no-untyped-def]
    data = ENCODERS["png"](card)
    with pytest.raises(UnreadableFileError) as e:
        decode(data, settings=OcrSettings(max_file_bytes=len(data) - 1))
    assert e.value.code == "too_large"
    with pytest.raises(UnreadableFileError) as e:
        decode(data, settings=OcrSettings(max_pixels=card.image.size // 3 - 1))
    assert e.value.code == "too_large"


def test_every_hostile_file_is_refused_quickly_and_cheaply(card) -> None:  # type: ignore[no-untyped-def]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for hf in hostile_files(card):
        t0 = time.perf_counter()
        if not hf.expected_errors:
            decode(hf.data, settings=SETTINGS)
            continue
        with pytest.raises(UnreadableFileError) as e:
            decode(hf.data, settings=SETTINGS)
        assert e.value.code in hf.expected_errors, (hf.name, e.value.code, e.value.detail)
        assert e.value.message and http_status(e.value) >= 400
        assert time.perf_counter() - t0 < 5, hf.name
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown_mib < 1024, grown_mib
