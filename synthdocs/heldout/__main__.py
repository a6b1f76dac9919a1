"""Write a gallery of held-out documents with their golden boxes, and print timings.

    .venv/bin/python -m synthdocs.heldout [OUTDIR] [--seed N]

OUTDIR (default /tmp/heldout_samples) receives ``<doc_type>_<layout>[_<condition>]_p<page>.png``:
golden boxes in green (one rectangle per printed line) and the mapped quads in red.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from PIL import ImageDraw

from ..canvas import Sample, to_pil
from . import CONDITIONS, DOC_TYPES, LAYOUTS, capture, generate
from .sheet import field_parts


def save(s: Sample, out: Path, name: str) -> list[Path]:
    paths = []
    for i, page in enumerate(s.pages):
        im = to_pil(page)
        dr = ImageDraw.Draw(im)
        for fb in s.boxes.values():
            if fb.page != i:
                continue
            for part in field_parts(fb):
                dr.rectangle(part, outline=(0, 190, 0), width=2)
            dr.polygon([(x, y) for x, y in fb.quad], outline=(230, 0, 0))
        path = out / f"{name}_p{i}.png"
        im.save(path)
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthdocs.heldout", description=__doc__)
    ap.add_argument("outdir", nargs="?", default="/tmp/heldout_samples")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'doc_type':22} {'layout':15} {'size':>11} {'pages':>5} {'render ms':>9}")
    for doc_type in (*DOC_TYPES, "unknown"):
        for layout in LAYOUTS[doc_type]:
            t0 = time.perf_counter()
            s = generate(doc_type, seed=args.seed, layout=layout)
            ms = (time.perf_counter() - t0) * 1000
            w, h = s.size
            print(f"{doc_type:22} {layout:15} {w:>5}×{h:<5} {len(s.pages):>5} {ms:>9.0f}")
            save(s, out, f"{doc_type}_{layout}")
    card = generate("id_card_front", seed=args.seed)
    page = generate("property_certificate", seed=args.seed)
    print(f"\n{'condition':12} {'card ms':>8} {'A4 ms':>8}")
    for cond in CONDITIONS:
        times = []
        for name, s in (("id_card_front", card), ("property_certificate", page)):
            t0 = time.perf_counter()
            c = capture(s, cond, seed=args.seed)
            times.append((time.perf_counter() - t0) * 1000)
            save(c, out, f"{name}_{cond}")
        print(f"{cond:12} {times[0]:>8.0f} {times[1]:>8.0f}")
    print(f"\nsamples written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
