"""Time to cut a reviewer's field crop from a stored upload, by kind of upload.

    .venv/bin/python -m bench.review_crop [--rounds N] [--seed S]

The uploads are one synthetic application's files (``synthdocs``: scans as PNG/JPEG and PDFs,
some with a text layer, which are rendered for the crop). For each file it cuts the crop of a
box in the page's middle ``--rounds`` times and reports the median and the slowest round in
milliseconds, with the file's kind, size and pages: the crop decodes the whole upload (a PDF's
every page) so the cost grows with the pages — the number to watch when a many-page PDF is
reviewed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from jobs.review import crop_field
from ocr.decode import decode
from ocr.settings import OcrSettings
from synthdocs.applications import build_application


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1107)
    args = parser.parse_args()
    settings = OcrSettings()
    rows = []
    for f in build_application(seed=args.seed).files:
        kind, pages = decode(
            f.data, settings=settings.model_copy(update={"text_layer_min_chars": 10**9})
        )
        w, h = pages[0].width, pages[0].height
        box = (w // 3, h // 3, 2 * w // 3, h // 3 + max(20, h // 20))
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            crop_field(f.data, page=0, box=box, ocr_settings=settings)
            times.append((time.perf_counter() - t0) * 1000)
        rows.append(
            {
                "file": f.filename,
                "kind": kind,
                "bytes": len(f.data),
                "pages": len(pages),
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
            }
        )
    for r in rows:
        print(
            f"{r['file']:<36} {r['kind']:<5} {r['bytes'] / 1e6:6.2f} MB {r['pages']:>2} p "
            f"median {r['median_ms']:7.1f} ms  max {r['max_ms']:7.1f} ms"
        )
    print(json.dumps({"rounds": args.rounds, "files": rows}, ensure_ascii=False))


if __name__ == "__main__":
    main()
