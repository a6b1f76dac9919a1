"""``python -m synthdocs.heldout3 OUTDIR [--seed N]``: a gallery of every type × layout, clean
and in a few captures, with the golden boxes (green, one thin box per printed line) and the
mark places (blue: present, red: empty; seals magenta) drawn."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import cv2
import numpy as np

from ..canvas import Sample
from . import CONDITIONS, LAYOUTS, capture, generate


def annotate(s: Sample, page: int) -> np.ndarray:
    img = s.pages[page].copy()
    for fb in s.boxes.values():
        if fb.page != page:
            continue
        for p in fb.parts or (fb.box,):
            cv2.rectangle(img, p[:2], (p[2] - 1, p[3] - 1), (0, 170, 0), 1)
    for m in s.marks:
        if m.page != page:
            continue
        colour = (200, 0, 200) if m.kind == "seal" else (200, 80, 0) if m.present else (0, 0, 255)
        cv2.rectangle(img, m.box[:2], (m.box[2] - 1, m.box[3] - 1), colour, 2)
    return img


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m synthdocs.heldout3")
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    n = 0
    for doc_type, layouts in LAYOUTS.items():
        for layout in layouts:
            s = generate(doc_type, seed=args.seed, layout=layout)
            shots = [("clean", s)]
            cond = CONDITIONS[1 + (n % (len(CONDITIONS) - 1))]
            shots.append((cond, capture(s, cond, seed=args.seed)))
            for name, shot in shots:
                for page in range(len(shot.pages)):
                    out = args.outdir / f"{doc_type}-{layout}-{name}-p{page + 1}.png"
                    cv2.imwrite(str(out), annotate(shot, page))
            n += 1
    print(f"{n} documents in {time.perf_counter() - t0:.1f} s -> {args.outdir}")


if __name__ == "__main__":
    main()
