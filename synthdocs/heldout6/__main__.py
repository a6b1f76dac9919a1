"""``python -m synthdocs.heldout6 OUTDIR [CONDITION] [SEED]``: a gallery of the types this
family draws itself, one PNG per type × layout × page, golden boxes in green, marks in magenta
(grey when the place is empty)."""

from __future__ import annotations

import sys
from pathlib import Path

import cv2

from . import capture, generate
from .forms import LAYOUTS


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    condition = argv[1] if len(argv) > 1 else "clean"
    seed = int(argv[2]) if len(argv) > 2 else 1
    for doc_type, layouts in LAYOUTS.items():
        for layout in layouts:
            s = capture(generate(doc_type, seed=seed, layout=layout), condition, seed=seed)
            for i, page in enumerate(s.pages):
                img = page.copy()
                for fb in s.boxes.values():
                    if fb.page == i:
                        x0, y0, x1, y1 = fb.box
                        cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), (0, 170, 0), 1)
                for m in s.marks:
                    if m.page == i:
                        x0, y0, x1, y1 = m.box
                        color = (200, 0, 200) if m.present else (150, 150, 150)
                        cv2.rectangle(img, (x0, y0), (x1 - 1, y1 - 1), color, 2)
                path = out / f"{doc_type}-{layout}-{condition}-s{seed}-p{i + 1}.png"
                cv2.imwrite(str(path), img)
                print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
