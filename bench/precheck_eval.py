"""Pre-check accuracy and speed on generated applications (issue 5 "Measure").

    .venv/bin/python -m bench.precheck_eval [--seeds 0 1] [--style scan|photo] [--workers 1]

For every application of ``synthdocs.applications.application_set(seed)`` (22 per seed:
one clean per answer combination, one per named defect):

* raw OCR: each distinct file read once by the pipeline, timed (``ocr_s``);
* pre-check: the same files through ``precheck.read_uploads`` with an empty cache + ``run``,
  wall time (``wall_s``); ``ratio`` = wall / raw OCR sum (goal ≤ 1.0), and ``ratio_inrun`` =
  wall / the OCR time inside that same pre-check (robust to load from other processes: what
  the pre-check adds beyond reading each file once);
* re-check: one file replaced (the first seller's ID back re-rendered), same cache; files read
  (goal 1) and wall time;
* accuracy: false ready (goal 0), defects caught with the expected code/slot/field (goal 100 %),
  clean judged ready (goal ≥ 95 %; the rest needs_review, never needs_fix).

Prints a table and writes ``bench/results/precheck_eval.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ocr.errors import UnreadableFileError
from precheck import MemoryDocumentCache, read_uploads, run, slot_files
from precheck.catalogue import load_catalogue
from synthdocs.applications import Application, application_set, describe
from synthdocs.encode import to_jpeg
from synthdocs.evaluate import PipelineReader, check_application
from synthdocs.render import render_id_card_back

RESULTS = Path(__file__).parent / "results"
#: The data folder the benchmark loads optional model folders from (the embedded default's).
DATA_DIR = Path(__file__).resolve().parents[1] / "var"


def _raw_ocr_seconds(app: Application, reader: PipelineReader) -> float:
    matter = load_catalogue().get(app.matter)
    total = 0.0
    seen: set[bytes] = set()
    for sf in slot_files(matter, [(s, data, n) for s, n, data in app.uploads]):
        if sf.data in seen:
            continue
        seen.add(sf.data)
        t0 = time.perf_counter()
        with contextlib.suppress(UnreadableFileError):  # unreadable files cost their time too
            reader(sf.data, expected_type=sf.expected_type)
        total += time.perf_counter() - t0
    return total


def _recheck(
    app: Application, reader: PipelineReader, cache: MemoryDocumentCache
) -> dict[str, Any]:
    """Replace the first seller's ID back (or the last file) and check again with the cache."""
    uploads = list(app.uploads)
    idx = next(
        (
            i
            for i, f in enumerate(app.files)
            if f.slot == "seller_id_card" and f.doc_types == ("id_card_back",)
        ),
        len(uploads) - 1,
    )
    slot, name, _ = uploads[idx]
    if app.sellers and idx < len(uploads) and app.files[idx].doc_types == ("id_card_back",):
        new = to_jpeg(render_id_card_back(app.sellers[0], seed=app.seed * 1000 + 999))
    else:
        new = uploads[idx][2] + b"\0"  # same content for a PDF reader, new bytes
    uploads[idx] = (slot, "replaced_" + name, new)
    matter = load_catalogue().get(app.matter)
    before = reader.calls
    t0 = time.perf_counter()
    ups = read_uploads(
        files=slot_files(matter, [(s, d, n) for s, n, d in uploads]), reader=reader, cache=cache
    )
    report = run(matter=matter, answers=app.answers, documents=ups, as_of=app.as_of)
    return {"seconds": time.perf_counter() - t0, "files_read": reader.calls - before,
            "files": len(uploads), "verdict": report.verdict}  # fmt: skip


def _applications(seeds: list[int], style: str, limit: int) -> Iterator[Application]:
    """One application at a time: rendered pages are large, a whole set does not fit twice."""
    n = 0
    for seed in seeds:
        apps = application_set(seed=seed, style=style)
        while apps:
            if limit and n >= limit:
                return
            n += 1
            yield apps.pop(0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    ap.add_argument("--style", choices=["scan", "photo"], default="scan")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="only the first N applications (smoke)")
    args = ap.parse_args(argv)

    t_load = time.perf_counter()
    reader = PipelineReader(data_dir=DATA_DIR)
    load_s = time.perf_counter() - t_load
    rows: list[dict[str, Any]] = []
    total = 22 * len(args.seeds) if not args.limit else args.limit
    for n, app in enumerate(_applications(args.seeds, args.style, args.limit), 1):
        ocr_s = _raw_ocr_seconds(app, reader)
        cache = MemoryDocumentCache()
        before, ocr_before = reader.calls, reader.seconds
        t0 = time.perf_counter()
        outcome = check_application(app, reader=reader, cache=cache, workers=args.workers)
        wall = time.perf_counter() - t0
        read = reader.calls - before
        ocr_inrun = reader.seconds - ocr_before
        again = _recheck(app, reader, cache)
        r = outcome.report
        row = {
            **describe(app),
            "verdict": r.verdict,
            "findings": [(f.severity, f.code, f.slot, f.field) for f in r.findings],
            "missing_expected": outcome.missing,
            "ocr_s": round(ocr_s, 3),
            "wall_s": round(wall, 3),
            "ratio": round(wall / ocr_s, 3) if ocr_s else None,
            "ocr_inrun_s": round(ocr_inrun, 3),
            "ratio_inrun": round(wall / ocr_inrun, 4) if ocr_inrun else None,
            "files_read": read,
            "recheck": {k: round(v, 3) if isinstance(v, float) else v for k, v in again.items()},
        }
        rows.append(row)
        tag = app.defect or "clean"
        print(f"[{n:3}/{total}] {tag:34} {r.verdict:12} ocr {ocr_s:6.2f}s wall {wall:6.2f}s "
              f"recheck {again['seconds']:5.2f}s ({again['files_read']} read)"
              + (f" MISSING {outcome.missing}" if outcome.missing else ""), flush=True)  # fmt: skip

    clean = [r for r in rows if r["defect"] is None]
    bad = [r for r in rows if r["defect"] is not None]
    caught = [r for r in bad if r["verdict"] == "needs_fix" and not r["missing_expected"]]
    caught_code = [
        r for r in bad
        if r["verdict"] != "ready"
        and {e["code"] for e in r["expected_findings"]} <= {f[1] for f in r["findings"]}
    ]  # fmt: skip
    summary = {
        "applications": len(rows),
        "clean": len(clean),
        "defective": len(bad),
        "false_ready": sum(r["verdict"] == "ready" for r in bad),
        "defects_caught_exact": len(caught),
        "defects_caught_code": len(caught_code),
        "clean_ready": sum(r["verdict"] == "ready" for r in clean),
        "clean_needs_review": sum(r["verdict"] == "needs_review" for r in clean),
        "clean_needs_fix": sum(r["verdict"] == "needs_fix" for r in clean),
        "ratio_median": statistics.median(r["ratio"] for r in rows if r["ratio"]),
        "ratio_max": max(r["ratio"] for r in rows if r["ratio"]),
        "ratio_inrun_median": statistics.median(r["ratio_inrun"] for r in rows if r["ratio_inrun"]),
        "ratio_inrun_max": max(r["ratio_inrun"] for r in rows if r["ratio_inrun"]),
        "precheck_overhead_ms_median": statistics.median(
            1000 * (r["wall_s"] - r["ocr_inrun_s"]) for r in rows
        ),
        "wall_s_median": statistics.median(r["wall_s"] for r in rows),
        "ocr_s_median": statistics.median(r["ocr_s"] for r in rows),
        "recheck_s_median": statistics.median(r["recheck"]["seconds"] for r in rows),
        "recheck_files_read_max": max(r["recheck"]["files_read"] for r in rows),
        "pipeline_load_s": round(load_s, 2),
    }
    print()
    print(f"{'metric':32} value")
    for k, v in summary.items():
        print(f"{k:32} {v}")
    misses = [(r["defect"], r["verdict"], r["missing_expected"]) for r in bad if r not in caught]
    if misses:
        print("\ndefects not caught exactly:", *misses, sep="\n  ")
    wrong_clean = [
        (r["seed"], r["verdict"], r["findings"]) for r in clean if r["verdict"] != "ready"
    ]
    if wrong_clean:
        print("\nclean not ready:", *wrong_clean, sep="\n  ")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"precheck_eval{'' if args.style == 'scan' else '_' + args.style}.json"
    doc = {
        "args": vars(args),
        "machine": platform.platform(),
        "summary": summary,
        "applications": rows,
    }
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1))
    print(f"\nwritten {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
