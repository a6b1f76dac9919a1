"""Write sample images (golden boxes drawn) and print generation timings.

    .venv/bin/python -m synthdocs [OUTDIR] [--seed N] [--repeat R] [--family training]

OUTDIR (default /tmp/synth_samples) receives ``<doc_type>[_<degradation>]_p<page>.png`` with the
golden value boxes in red (exact quads) and green (axis-aligned boxes; with ``--family``, one per
printed line of a value). ``--family training`` draws every layout of every document type of the
training family (``<doc_type>_<layout>_p<page>.png``) and each capture condition of one contract.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ImageDraw

from .canvas import Sample, to_pil
from .degrade import DEGRADATIONS
from .encode import ENCODERS
from .render import DOC_TYPES, generate


def _save(s: Sample, out: Path, name: str, *, lines: bool = False) -> None:
    for i, page in enumerate(s.pages):
        im = to_pil(page)
        dr = ImageDraw.Draw(im)
        for fb in s.boxes.values():
            if fb.page == i:
                for b in fb.parts if lines and fb.parts else (fb.box,):
                    dr.rectangle(b, outline=(0, 200, 0))
                dr.polygon([(x, y) for x, y in fb.quad], outline=(255, 0, 0))
        im.save(out / f"{name}_p{i}.png")


def _ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _family(name: str, out: Path, *, seed: int, repeat: int) -> int:
    from . import families

    fam = families.get(name)
    if not isinstance(fam, families.TrainingFamily):
        raise SystemExit(f"the gallery draws the training family's layouts, not {name!r}")
    print(f"{'doc_type':22} {'layout':12} {'size':>11} {'pages':>5} {'render ms':>10}")
    for doc_type in (*DOC_TYPES, "unknown"):
        for layout in fam.layouts(doc_type):
            s = fam.generate(doc_type, seed=seed, layout=layout)
            ms = _ms(lambda t=doc_type, lay=layout: fam.generate(t, seed=seed, layout=lay), repeat)  # type: ignore[misc]
            w, h = s.size
            print(f"{doc_type:22} {layout:12} {w:>5}×{h:<5} {len(s.pages):>5} {ms:>10.1f}")
            _save(s, out, f"{doc_type}_{layout}", lines=True)
    contract = fam.generate("sale_contract", seed=seed, layout="table")
    print(f"\n{'sale_contract capture':26} {'ms':>8}")
    for condition in fam.conditions:
        if condition == "clean":
            continue
        ms = _ms(lambda c=condition: fam.capture(contract, c, seed=seed), max(1, repeat // 2))  # type: ignore[misc]
        print(f"{condition:26} {ms:>8.1f}")
        _save(fam.capture(contract, condition, seed=seed), out, f"sale_contract_{condition}")
    print(f"\nsamples written to {out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m synthdocs", description=__doc__)
    ap.add_argument("outdir", nargs="?", default="/tmp/synth_samples")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--family", default=None, help="draw a family's layouts (training)")
    args = ap.parse_args(argv)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    if args.family:
        return _family(args.family, out, seed=args.seed, repeat=args.repeat)
    for t in DOC_TYPES:  # warm caches (fonts, backgrounds)
        generate(t, seed=0)
    print(f"{'doc_type':24} {'size':>11} {'pages':>5} {'render ms':>10} {'photo ms':>9}")
    for t in DOC_TYPES:
        s = generate(t, seed=args.seed)
        render_ms = _ms(lambda t=t: generate(t, seed=args.seed), args.repeat)  # type: ignore[misc]
        photo_ms = _ms(lambda s=s: DEGRADATIONS["photo"](s, seed=1), max(1, args.repeat // 2))  # type: ignore[misc]
        w, h = s.size
        print(f"{t:24} {w:>5}×{h:<5} {len(s.pages):>5} {render_ms:>10.1f} {photo_ms:>9.1f}")
        _save(s, out, t)
        _save(DEGRADATIONS["photo"](s, seed=args.seed), out, f"{t}_photo")
    card = generate("id_card_front", seed=args.seed)
    print(f"\n{'id_card_front degradation':26} {'ms':>8}")
    for name, fn in DEGRADATIONS.items():
        print(f"{name:26} {_ms(lambda fn=fn: fn(card, seed=1), args.repeat):>8.1f}")  # type: ignore[misc]
        _save(fn(card, seed=args.seed), out, f"id_card_front_{name}")
    contract = generate("sale_contract", seed=args.seed)
    print(f"\n{'sale_contract encoder':26} {'ms':>8} {'bytes':>10}")
    for fmt, enc in ENCODERS.items():
        data = enc(contract)
        print(f"{fmt:26} {_ms(lambda enc=enc: enc(contract), args.repeat):>8.1f} {len(data):>10}")  # type: ignore[misc]
    print(f"\nsamples written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
