"""OCR accuracy and speed on synthetic documents (synthdocs), one command:

    .venv/bin/python -m bench.ocr_accuracy [--seeds 2] [--threads 2] [--types id_card_front,...]

Measures, per document type and condition (clean scan, phone photo, rotated photo, scanned PDF,
PDF with text layer):

* field exact-match rate (a list field counts as one field and must match entirely);
* ID numbers: exact, or flagged (confidence < LOW_CONFIDENCE) — a wrong number above that is a
  failure; cards printed with a wrong check character are added to test the flagging;
* latency per page of the whole pipeline (decode + quality + geometry + OCR + extraction)
  against calling ``rapidocr`` directly (default parameters, same threads) on the same decoded
  images in the same run, and the ratio on the mixed image set;
* digital-PDF pages (text layer) against OCR of the same pages (scanned PDF);
* peak RSS of this process.

Prints a table and writes ``bench/results/ocr_accuracy.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import random
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from ocr import LOW_CONFIDENCE, OcrPipeline, OcrSettings
from synthdocs import DOC_TYPES, encode, generate, to_tiff
from synthdocs.data import forge_check_char, random_person
from synthdocs.degrade import photo, rotate90, rotate180, rotate270
from synthdocs.render import render_id_card_front

#: The data folder the benchmark loads optional model folders from (the embedded default's).
DATA_DIR = Path(__file__).resolve().parents[1] / "var"

RESULTS = Path(__file__).parent / "results"
TYPES = [t for t in DOC_TYPES if t != "unknown"]
ROTATIONS = (rotate90, rotate180, rotate270)


def _bytes(sample: Any, fmt: str) -> bytes:
    if fmt.startswith("pdf") or len(sample.pages) == 1:
        return encode(sample, fmt)
    return to_tiff(sample, all_pages=True)


def _decode_pages(data: bytes) -> list[np.ndarray]:
    """The images raw rapidocr gets: every frame, decoded once, BGR."""
    im = Image.open(io.BytesIO(data))
    out = []
    for i in range(getattr(im, "n_frames", 1)):
        im.seek(i)
        out.append(np.ascontiguousarray(np.asarray(im.convert("RGB"))[:, :, ::-1]))
    return out


def _id_paths(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """(path, golden id number) for every ID number in a golden field set."""
    out = []
    for k, v in fields.items():
        if k == "id_number":
            out.append((k, v))
        elif isinstance(v, list):
            out += [
                (f"{k}[{i}]", x["id_number"])
                for i, x in enumerate(v)
                if isinstance(x, dict) and "id_number" in x
            ]
        elif isinstance(v, dict) and "id_number" in v:
            out.append((k, v["id_number"]))
    return out


def _got_id(doc: Any, path: str) -> tuple[str | None, float]:
    if path == "id_number":
        f = doc.fields.get("id_number")
        return (f.value, f.confidence) if f else (None, 0.0)
    key = path.split("[")[0]
    f = doc.fields.get(key)
    if f is None:
        return None, 0.0
    v = f.value
    if "[" in path:
        i = int(path.split("[")[1].rstrip("]"))
        v = v[i] if isinstance(v, list) and i < len(v) else {}
    return (v.get("id_number") if isinstance(v, dict) else None), f.confidence


_WORKER = """
import resource, sys
from pathlib import Path
from ocr import OcrPipeline, OcrSettings
from synthdocs import encode, generate
from synthdocs.degrade import photo
pipe = OcrPipeline.load(OcrSettings(threads=int(sys.argv[1])), data_dir=Path(sys.argv[2]))
files = []
for t in ("id_card_front", "property_certificate", "sale_contract", "business_license"):
    s = generate(t, seed=7)
    files += [encode(s, "png"), encode(photo(s, seed=7), "jpeg"), encode(s, "pdf")]
for data in files:
    pipe.analyze(data)
# VmHWM: this process image's own peak (ru_maxrss would carry the parent's over fork+exec)
hwm = [ln for ln in open("/proc/self/status") if ln.startswith("VmHWM:")]
peak_kib = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(peak_kib / 1024)
"""


def worker_peak_rss_mib(threads: int) -> float:
    """Peak RSS of a fresh process that loads the pipeline once and reads ID cards, A4 scans,
    A4 phone photos and scanned PDFs: what one worker needs."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", _WORKER, str(threads), str(DATA_DIR)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--types", default=",".join(TYPES))
    ap.add_argument("--no-raw", action="store_true", help="skip the raw rapidocr comparison")
    args = ap.parse_args()
    types = [t for t in args.types.split(",") if t]

    t0 = time.perf_counter()
    pipe = OcrPipeline.load(OcrSettings(threads=args.threads), data_dir=DATA_DIR)
    load_s = time.perf_counter() - t0
    raw = None
    if not args.no_raw:
        from rapidocr import RapidOCR

        raw = RapidOCR(
            params={
                "Global.log_level": "warning",
                "EngineConfig.onnxruntime.intra_op_num_threads": args.threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
        raw(_decode_pages(encode(generate("id_card_back", seed=0), "png"))[0])  # warm up

    fields_total: dict[tuple[str, str], int] = defaultdict(int)
    fields_ok: dict[tuple[str, str], int] = defaultdict(int)
    misses: list[dict[str, Any]] = []
    ids = {"total": 0, "exact": 0, "flagged": 0, "wrong_high_conf": 0}
    lat_pipe: list[float] = []
    lat_raw: list[float] = []
    pdf_text_s: list[float] = []
    pdf_scan_s: list[float] = []
    doc_type_ok = 0
    docs = 0

    def score(sample: Any, doc: Any, cond: str) -> None:
        nonlocal doc_type_ok, docs
        docs += 1
        doc_type_ok += doc.doc_type == sample.doc_type
        for k, v in sample.fields.items():
            key = (sample.doc_type, cond)
            fields_total[key] += 1
            got = doc.fields.get(k)
            if got is not None and got.value == v:
                fields_ok[key] += 1
            else:
                misses.append(
                    {
                        "type": sample.doc_type,
                        "cond": cond,
                        "seed": sample.seed,
                        "field": k,
                        "want": v,
                        "got": None if got is None else got.value,
                    }
                )
        for path, gold in _id_paths(sample.fields):
            got, conf = _got_id(doc, path)
            ids["total"] += 1
            if got == gold:
                ids["exact"] += 1
            elif conf < LOW_CONFIDENCE:
                ids["flagged"] += 1
            else:
                ids["wrong_high_conf"] += 1
                misses.append(
                    {
                        "type": sample.doc_type,
                        "cond": cond,
                        "seed": sample.seed,
                        "field": path,
                        "want": gold,
                        "got": got,
                        "WRONG_ID_HIGH_CONF": conf,
                    }
                )

    for doc_type in types:
        for seed in range(100, 100 + args.seeds):
            clean = generate(doc_type, seed=seed)
            conds = {
                "clean": (clean, "png"),
                "photo": (photo(clean, seed=seed), "jpeg"),
                "rotated": (ROTATIONS[seed % 3](photo(clean, seed=seed + 1), seed=seed), "jpeg"),
            }
            for cond, (sample, fmt) in conds.items():
                data = _bytes(sample, fmt)
                t = time.perf_counter()
                a = pipe.trace(data)
                lat_pipe.append((time.perf_counter() - t) / len(a.pages))
                score(sample, a.document, cond)
                if raw is not None:
                    imgs = _decode_pages(data)
                    t = time.perf_counter()
                    for img in imgs:
                        raw(img)
                    lat_raw.append((time.perf_counter() - t) / len(imgs))
            # PDFs: scanned (rendered + OCR) and digital (text layer, no OCR)
            for cond, fmt, sink in (
                ("pdf_scan", "pdf", pdf_scan_s),
                ("pdf_text", "pdf_text", pdf_text_s),
            ):
                data = encode(clean, fmt)
                t = time.perf_counter()
                a = pipe.trace(data)
                sink.append((time.perf_counter() - t) / len(a.pages))
                score(clean, a.document, cond)
            print(f"  {doc_type} seed {seed} done ({time.perf_counter() - t0:.0f}s)", flush=True)

    # cards printed with a wrong check character: must never come out as high-confidence numbers
    for seed in range(args.seeds * 2):
        person = random_person(random.Random(900 + seed))
        forged = forge_check_char(person.id_number)
        s = render_id_card_front(person, seed=seed, printed_id=forged)
        for sample, fmt in ((s, "png"), (photo(s, seed=seed), "jpeg")):
            doc = pipe.analyze(_bytes(sample, fmt))
            f = doc.fields.get("id_number")
            ids["total"] += 1
            ids["forged_total"] = ids.get("forged_total", 0) + 1
            if f is None or f.confidence < LOW_CONFIDENCE:
                ids["flagged"] += 1
            else:
                ids["wrong_high_conf"] += 1

    conds = ["clean", "photo", "rotated", "pdf_scan", "pdf_text"]
    table: dict[str, dict[str, float | None]] = {}
    for t in types:
        table[t] = {
            c: (fields_ok[(t, c)] / fields_total[(t, c)] if fields_total[(t, c)] else None)
            for c in conds
        }
    overall = {
        c: sum(fields_ok[(t, c)] for t in types) / max(1, sum(fields_total[(t, c)] for t in types))
        for c in conds
    }
    med = statistics.median
    ratio = (sum(lat_pipe) / sum(lat_raw)) if lat_raw else None
    res = {
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "threads": args.threads,
        },
        "seeds": args.seeds,
        "types": types,
        "field_exact_match": table,
        "field_exact_match_overall": overall,
        "doc_type_accuracy": doc_type_ok / max(1, docs),
        "id_numbers": {
            **ids,
            "exact_or_flagged": (ids["exact"] + ids["flagged"]) / max(1, ids["total"]),
        },
        "latency_s_per_page": {
            "pipeline_median": med(lat_pipe),
            "pipeline_mean": statistics.fmean(lat_pipe),
            "raw_rapidocr_median": med(lat_raw) if lat_raw else None,
            "raw_rapidocr_mean": statistics.fmean(lat_raw) if lat_raw else None,
            "ratio_total_pipeline_over_raw": ratio,
            "pdf_text_median": med(pdf_text_s),
            "pdf_scan_median": med(pdf_scan_s),
            "digital_pdf_speedup": med(pdf_scan_s) / med(pdf_text_s),
        },
        "engine_load_s": load_s,
        "peak_rss_mib_bench_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_mib_worker": worker_peak_rss_mib(args.threads),
        "misses": misses[:200],
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ocr_accuracy.json").write_text(json.dumps(res, ensure_ascii=False, indent=1))

    print()
    print(f"{'doc type':22s}" + "".join(f"{c:>10s}" for c in conds))
    for t in types:
        print(
            f"{t:22s}"
            + "".join(f"{'-' if v is None else f'{100 * v:.1f}%':>10s}" for v in table[t].values())
        )
    print(f"{'ALL':22s}" + "".join(f"{100 * overall[c]:>9.1f}%" for c in conds))
    print(f"doc type accuracy {100 * res['doc_type_accuracy']:.1f}%")
    i = res["id_numbers"]
    print(
        f"ID numbers: {i['total']} (incl. {i.get('forged_total', 0)} forged check chars): "
        f"exact {i['exact']}, flagged {i['flagged']}, WRONG with high confidence "
        f"{i['wrong_high_conf']} -> exact-or-flagged {100 * i['exact_or_flagged']:.1f}%"
    )
    lat = res["latency_s_per_page"]
    if lat_raw:
        print(
            f"latency/page: pipeline median {lat['pipeline_median']:.2f}s mean "
            f"{lat['pipeline_mean']:.2f}s; raw rapidocr median {lat['raw_rapidocr_median']:.2f}s "
            f"mean {lat['raw_rapidocr_mean']:.2f}s; ratio (total) {ratio:.2f}x"
        )
    print(
        f"digital PDF page {lat['pdf_text_median'] * 1000:.0f} ms vs scanned "
        f"{lat['pdf_scan_median']:.2f}s "
        f"-> {lat['digital_pdf_speedup']:.0f}x"
    )
    print(
        f"peak RSS per worker {res['peak_rss_mib_worker']:.0f} MiB (this bench process, with raw "
        f"rapidocr and generators too: {res['peak_rss_mib_bench_process']:.0f} MiB); "
        f"engine load {load_s:.1f}s"
    )
    print(f"misses: {len(misses)} (first ones in bench/results/ocr_accuracy.json)")


if __name__ == "__main__":
    main()
