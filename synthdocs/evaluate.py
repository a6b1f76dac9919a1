"""Running whole synthetic applications (``synthdocs.applications``) through the real OCR
and the pre-check, and comparing the report with the application's golden verdict and findings.
Shared by the end-to-end tests and ``bench/precheck_eval.py``."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ocr import OcrPipeline
from ocr.document import DocType, Document
from precheck import DocumentCache, Report, read_uploads, run, slot_files
from precheck.catalogue import load_catalogue
from precheck.findings import Upload
from synthdocs.applications import Application


class PipelineReader:
    """The ``precheck.Reader`` over a loaded ``ocr`` pipeline, counting the files it reads."""

    def __init__(
        self, pipeline: OcrPipeline | None = None, *, data_dir: Path | None = None
    ) -> None:
        """``pipeline``: a loaded one, or None to load one with ``data_dir`` (then required)."""
        from ocr import OcrPipeline as _Pipeline
        from ocr import OcrSettings

        if pipeline is None:
            if data_dir is None:
                raise TypeError("PipelineReader() without a pipeline needs data_dir")
            pipeline = _Pipeline.load(OcrSettings(), data_dir=data_dir)
        self.pipeline = pipeline
        self.calls = 0
        self.seconds = 0.0  # time spent inside the pipeline, summed over calls

    def __call__(self, data: bytes, *, expected_type: DocType | None = None) -> Document:
        from ocr import AnalyzeOptions

        self.calls += 1
        t0 = time.perf_counter()
        try:
            return self.pipeline.analyze(data, options=AnalyzeOptions(expected_type=expected_type))
        finally:
            self.seconds += time.perf_counter() - t0


@dataclass(frozen=True)
class Outcome:
    report: Report
    uploads: list[Upload]
    missing: list[tuple[str, str, str | None]]  # expected (code, slot, field) not found

    @property
    def ok(self) -> bool:
        return self.report.verdict == self.expected_verdict and not self.missing

    expected_verdict: str = ""


def check_application(
    app: Application, *, reader: Any, cache: DocumentCache, workers: int = 1
) -> Outcome:
    matter = load_catalogue().get(app.matter)
    files = slot_files(matter, [(slot, data, name) for slot, name, data in app.uploads])
    uploads = read_uploads(files=files, reader=reader, cache=cache, workers=workers)
    report = run(matter=matter, answers=app.answers, documents=uploads, as_of=app.as_of)
    found = {(f.code, f.slot, f.field) for f in report.findings}
    found_no_field = {(f.code, f.slot) for f in report.findings}
    missing = [
        (e.code, e.slot, e.field)
        for e in app.expected_findings
        if (
            (e.code, e.slot, e.field) not in found
            if e.field
            else (e.code, e.slot) not in found_no_field
        )
    ]
    return Outcome(report, uploads, missing, app.expected_verdict)


def explain(outcome: Outcome) -> str:
    r = outcome.report
    lines = [f"verdict={r.verdict} expected={outcome.expected_verdict} missing={outcome.missing}"]
    for f in r.findings:
        lines.append(f"  {f.severity} {f.code} {f.slot}.{f.field}: {f.message}")
    for up in outcome.uploads:
        d = up.document
        if d is None:
            lines.append(f"  file {up.file} {up.slot}: {up.problem}")
        else:
            lines.append(
                f"  file {up.file} {up.slot}: {d.doc_type} {d.confidence} q={d.quality.issues}"
            )
    return "\n".join(lines)
