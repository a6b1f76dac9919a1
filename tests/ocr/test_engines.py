"""One contract suite for every OcrEngine: rapidocr (default) and PaddleOCR (extra ``paddle``).

The PaddleOCR engine needs ``pip install 'paoyici[paddle]'``; without it these tests skip
locally and fail under CI (``CI=true``), so a missing engine never passes silently.
"""

from __future__ import annotations

import os

import pytest

from ocr import OcrPipeline, OcrSettings
from ocr.engines import OcrEngine
from synthdocs import encode, generate
from tests.ocr.conftest import values

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def paddle_engine(tmp_path_factory: pytest.TempPathFactory) -> OcrEngine:
    try:
        import paddleocr  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("paddleocr not installed (CI=true: the paddle extra is required)")
        pytest.skip("paddleocr not installed (pip install 'paoyici[paddle]')")
    from ocr.engines.paddle import PaddleOcrEngine

    return PaddleOcrEngine.load(model_dir=tmp_path_factory.mktemp("pp_models"), threads=2)


@pytest.fixture(
    params=[
        "rapid",
        pytest.param("paddle", marks=[pytest.mark.paddle, pytest.mark.slow]),
    ]
)
def engine(request: pytest.FixtureRequest, pipeline: OcrPipeline) -> OcrEngine:
    if request.param == "rapid":
        return pipeline.engine
    eng: OcrEngine = request.getfixturevalue("paddle_engine")
    return eng


def test_engine_reads_lines_with_boxes_inside_the_image(engine: OcrEngine) -> None:
    s = generate("id_card_back", seed=31)
    lines = engine.read(s.image)
    assert isinstance(engine, OcrEngine)
    text = "".join(line.text for line in lines)
    assert "签发机关" in text and s.fields["issuing_authority"] in text
    h, w = s.image.shape[:2]
    for line in lines:
        x0, y0, x1, y1 = line.box
        assert -2 <= x0 < x1 <= w + 2 and -2 <= y0 < y1 <= h + 2
        assert 0.0 <= line.score <= 1.0


def test_pipeline_with_engine_reads_golden_fields(engine: OcrEngine, pipeline: OcrPipeline) -> None:
    pipe = OcrPipeline(engine=engine, orientation=pipeline.orientation, settings=OcrSettings())
    s = generate("id_card_front", seed=32)
    doc = pipe.analyze(encode(s, "png"))
    assert doc.doc_type == "id_card_front"
    assert values(doc) == s.fields


def test_rapid_engine_runs_the_sessions_of_the_onnx_adapter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ocr.engines import rapid

    made: list[object] = []
    real = rapid.cpu_session

    def recording(path, **kwargs):  # type: ignore[no-untyped-def]
        session = real(path, **kwargs)
        made.append(session)
        return session

    monkeypatch.setattr(rapid, "cpu_session", recording)
    engine = rapid.RapidOcrEngine.load(threads=1)
    inner = engine._ocr  # RapidOCR builds its detector and recogniser on the warm-up call
    used = [inner.text_det.session.session, inner.text_rec.session.session]
    assert len(made) == 2 and all(any(u is m for m in made) for u in used)
    assert "签发机关" in "".join(
        x.text for x in engine.read(generate("id_card_back", seed=31).image)
    )
