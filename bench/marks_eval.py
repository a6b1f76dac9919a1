"""Signatures, fingerprints and seals (issue 17): detection against ``Sample.marks``.

    .venv/bin/python -m bench marks_eval --family training|heldout|heldout2 [--seeds 3]
        [--conditions clean,scan,photo,photocopy] [--app-seeds 0]

For one family of ``synthdocs.families`` (tune ONLY on ``training``):

* documents: the types with mark places × ``--seeds`` × each capture condition the family
  has, read by the pipeline; every golden mark (kind, place) is matched to the detection of the
  same kind and place: precision and recall of ``present`` and of ``absent`` per kind
  (``uncertain`` and places whose label was not found counted apart), seal copies, and seal
  rim-text agreement (``org_match`` True for the document's own seal, False for a foreign one);
* applications: per ``--app-seeds``, one clean application and one per mark defect
  (``unsigned``, ``one_party_unsigned``, ``foreign_seal``) through ``precheck``: never
  ``ready`` for a defect, caught with its code; their files' marks are scored too;
* time: seconds the mark detection adds per page (the pipeline's ``_marks`` step, timed in
  the same run as the read).

Writes ``bench/results/marks_eval_<family>.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
DATA_DIR = ROOT / "var"
DOC_TYPES = ("sale_contract", "power_of_attorney", "property_certificate")
MARK_DEFECTS = ("unsigned", "one_party_unsigned", "foreign_seal")


#: The share of marks ``MarkPlan`` leaves empty in the training documents (each kind on its own)
#: and the share of seals drawn square: the training set then has absent places to measure the
#: detector's absence calls on.
ABSENT_SHARE = 0.35
SQUARE_SHARE = 0.3


def draw(fam: Any, doc_type: str, seed: int, plan: Any | None) -> Any:
    """``fam.generate(doc_type, seed=seed)`` with its marks drawn per ``plan`` (training only:
    the same facts, layout and face as :meth:`TrainingFamily.generate`)."""
    if plan is None or fam.name != "training":
        return fam.generate(doc_type, seed=seed)
    import random

    from synthdocs.render import RENDERERS, random_facts

    layout, face = fam.pick(doc_type, seed=seed)
    facts = random_facts(doc_type, random.Random(f"training:{doc_type}:{seed}"), varied=True)
    return RENDERERS[doc_type](facts, seed=seed, layout=layout, font=face, marks=plan)


def _encode(sample: Any) -> bytes:
    from synthdocs.encode import to_pdf, to_png

    return to_pdf(sample) if len(sample.pages) > 1 else to_png(sample)


class _Score:
    def __init__(self) -> None:
        # kind -> Counter of (golden, detected) pairs
        self.pairs: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.seal_text: Counter[str] = Counter()
        self.copies: Counter[str] = Counter()

    def add(self, sample: Any, doc: Any) -> None:
        found = {(m.kind, m.place): m for m in getattr(doc, "marks", ())}
        for g in sample.marks:
            gold = "present" if g.present else "absent"
            det = found.get((g.kind, g.place))
            self.pairs[g.kind][(gold, det.status if det is not None else "unfound")] += 1
            if g.kind == "seal" and g.present and det is not None and det.status == "present":
                foreign = g.org is not None and g.org != g.expected_org
                want = not foreign
                got = det.org_match
                self.seal_text[
                    "unread" if got is None else "right" if got == want else "wrong"
                ] += 1
                if g.copy:
                    self.copies["flagged" if det.copy else "not_flagged"] += 1

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for kind, c in sorted(self.pairs.items()):
            row: dict[str, Any] = {"pairs": {f"{g}->{d}": n for (g, d), n in sorted(c.items())}}
            for cls in ("present", "absent"):
                tp = c[(cls, cls)]
                said = sum(n for (_g, d), n in c.items() if d == cls)
                truth = sum(n for (g, _d), n in c.items() if g == cls)
                row[f"{cls}_precision"] = round(tp / said, 4) if said else None
                row[f"{cls}_recall"] = round(tp / truth, 4) if truth else None
                row[f"{cls}_n"] = truth
            out[kind] = row
        out["seal_text"] = dict(self.seal_text)
        out["seal_copies"] = dict(self.copies)
        return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench.marks_eval", description=__doc__.split("\n")[0])
    ap.add_argument("--family", default="training")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--conditions", default="clean,scan,photo,photocopy")
    ap.add_argument("--app-seeds", default="0", help="comma-separated; empty: no applications")
    args = ap.parse_args(argv)

    from ocr.pipeline import AnalyzeOptions, OcrPipeline
    from precheck import MemoryDocumentCache
    from synthdocs import families
    from synthdocs.evaluate import PipelineReader, check_application

    fam = families.get(args.family)
    pipe = OcrPipeline.load(data_dir=DATA_DIR)
    timing = {"seconds": 0.0, "pages": 0, "read_seconds": 0.0}
    orig = pipe._marks

    def timed(*a: Any, **kw: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return orig(*a, **kw)
        finally:
            timing["seconds"] += time.perf_counter() - t0

    pipe._marks = timed  # type: ignore[method-assign]
    conditions = [c for c in args.conditions.split(",") if c in fam.conditions]
    docs = _Score()
    per_condition: dict[str, _Score] = defaultdict(_Score)
    for doc_type in DOC_TYPES:
        for seed in range(args.seeds):
            base = fam.generate(doc_type, seed=seed)
            for cond in conditions:
                s = base if cond == "clean" else fam.capture(base, cond, seed=seed)
                if not s.marks:
                    continue
                t0 = time.perf_counter()
                doc = pipe.analyze(_encode(s), options=AnalyzeOptions(expected_type=None))
                timing["read_seconds"] += time.perf_counter() - t0
                timing["pages"] += len(s.pages)
                docs.add(s, doc)
                per_condition[cond].add(s, doc)
                print(f"{doc_type} seed={seed} {cond}: {[m.status for m in doc.marks]}", flush=True)
    doc_marks_seconds = timing["seconds"]  # the applications' reads are not per-page timed
    apps_out: list[dict[str, Any]] = []
    app_marks = _Score()
    app_seeds = [int(x) for x in args.app_seeds.split(",") if x.strip()]
    reader, cache = PipelineReader(pipe), MemoryDocumentCache()
    for seed in app_seeds:
        for defect in (None, *MARK_DEFECTS):
            opts: dict[str, Any] = (
                {"seed": 900 + seed}
                if defect is None
                else {
                    "seed": 900 + seed,
                    "defect": defect,
                }
            )
            app = fam.build_application(**opts)  # type: ignore[arg-type]
            outcome = check_application(app, reader=reader, cache=cache)
            for up in outcome.uploads:
                f = app.files[up.file]
                if up.document is not None and len(f.samples) == 1 and f.samples[0].marks:
                    app_marks.add(f.samples[0], up.document)
            codes = sorted({f.code for f in outcome.report.findings})
            apps_out.append(
                {
                    "seed": app.seed,
                    "defect": defect,
                    "verdict": outcome.report.verdict,
                    "expected_verdict": app.expected_verdict,
                    "missing": outcome.missing,
                    "codes": codes,
                    "false_ready": defect is not None and outcome.report.verdict == "ready",
                }
            )
            print(
                f"app seed={app.seed} defect={defect}: {outcome.report.verdict} {codes}", flush=True
            )
    pages = max(1, timing["pages"])
    result = {
        "family": args.family,
        "seeds": args.seeds,
        "conditions": conditions,
        "documents": docs.summary(),
        "by_condition": {c: sc.summary() for c, sc in per_condition.items()},
        "applications": apps_out,
        "application_marks": app_marks.summary(),
        "defects_caught": sum(
            1 for a in apps_out if a["defect"] and not a["missing"] and not a["false_ready"]
        ),
        "defects": sum(1 for a in apps_out if a["defect"]),
        "false_ready": sum(1 for a in apps_out if a["false_ready"]),
        "marks_seconds_per_page": round(doc_marks_seconds / pages, 4),
        "read_seconds_per_page": round(timing["read_seconds"] / pages, 4),
        "pages": timing["pages"],
        "machine": {"python": platform.python_version(), "node": platform.node()},
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"marks_eval_{args.family}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(
        json.dumps(
            {k: v for k, v in result.items() if k != "applications"}, ensure_ascii=False, indent=1
        )
    )
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
