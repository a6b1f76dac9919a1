"""Signatures, fingerprints and seals (issue 17): detection against ``Sample.marks``.

    .venv/bin/python -m bench marks_eval --family training|heldout…heldout5 [--seeds 3]
        [--first-seed 0] [--conditions clean,scan,photo,photocopy] [--app-seeds 0]
        [--absent-share 0.35] [--square-share 0.3]

For one family of ``synthdocs.families`` (tune ONLY on ``training``):

* documents: the types with mark places × ``--seeds`` × each capture condition the family
  has, read by the pipeline; every golden mark (kind, place) is matched to the detection of the
  same kind and place: precision and recall of ``present`` and of ``absent`` per kind
  (``uncertain`` and places whose label was not found counted apart), seal copies, and seal
  rim-text agreement (``org_match`` True for the document's own seal, False for a foreign one);
* absence: on ``training`` the documents are drawn with ``MarkPlan(absent_share=…)`` (each
  kind of mark of each place left empty with that share, by a hash of seed, place and kind)
  and a share of square seals; every ``absent`` call's confidence is kept, split by truth, and
  the certain-absence line is computed as ``bench.calibration`` does for field values (the
  lowest confidence whose 95 % Wilson upper bound of "called absent but a mark is there" is
  ≤ 0.5 %), per kind and per place as the rule sees it (every kind of the place absent);
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
import math
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
        self.square: Counter[str] = Counter()
        # every "absent" call: kind, condition, confidence, whether a mark is in fact there
        self.absent_calls: list[dict[str, Any]] = []
        # every place the rule would call empty (all its kinds absent; the least confidence)
        self.place_calls: list[dict[str, Any]] = []

    def add(self, sample: Any, doc: Any, cond: str = "", square: bool = False) -> None:
        found = {(m.kind, m.place): m for m in getattr(doc, "marks", ())}
        by_place: dict[str, list[Any]] = defaultdict(list)
        for m in getattr(doc, "marks", ()):
            by_place[m.place].append(m)
        gold_places: dict[str, bool] = defaultdict(bool)
        for g in sample.marks:
            gold_places[g.place] |= g.present
        for place, ms in by_place.items():
            if place in gold_places and all(m.status == "absent" for m in ms):
                self.place_calls.append(
                    {
                        "kinds": sorted(m.kind for m in ms),
                        "cond": cond,
                        "confidence": min(m.confidence for m in ms),
                        "present": gold_places[place],
                    }
                )
        for g in sample.marks:
            gold = "present" if g.present else "absent"
            det = found.get((g.kind, g.place))
            self.pairs[g.kind][(gold, det.status if det is not None else "unfound")] += 1
            if det is not None and det.status == "absent":
                self.absent_calls.append(
                    {
                        "kind": g.kind,
                        "cond": cond,
                        "confidence": det.confidence,
                        "present": g.present,
                    }
                )
            if g.kind == "seal" and square and g.present:
                self.square[det.status if det is not None else "unfound"] += 1
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
        out["square_seals"] = dict(self.square)
        for kind in sorted(self.pairs):
            calls = [c for c in self.absent_calls if c["kind"] == kind]
            out[kind]["absent_confidence"] = {
                "truly_absent": sorted(
                    round(c["confidence"], 4) for c in calls if not c["present"]
                ),
                "actually_present": sorted(
                    round(c["confidence"], 4) for c in calls if c["present"]
                ),
            }
            out[kind]["absent_line"] = absence_line(calls)
        out["places_called_empty"] = {
            "n": len(self.place_calls),
            "actually_marked": sum(c["present"] for c in self.place_calls),
            "line": absence_line(self.place_calls),
        }
        return out


def absence_line(calls: list[dict[str, Any]], target: float = 0.005) -> dict[str, Any]:
    """The certain line of "absent" calls as ``bench.calibration`` sets it for field values:
    the lowest confidence ``t`` at which the 95 % Wilson upper bound of the share of calls ≥ t
    whose mark is in fact there is ≤ ``target`` (None: not shown at any line), and at the
    best line the calls allow (the one with the smallest upper bound) what they show."""
    from bench.calibration import bounded_threshold, wilson_upper

    values = [{"confidence": c["confidence"], "ok": not c["present"]} for c in calls]
    best: dict[str, Any] | None = None
    for t in sorted({v["confidence"] for v in values}):
        rep = [v for v in values if v["confidence"] >= t]
        wrong = sum(not v["ok"] for v in rep)
        up = wilson_upper(wrong, len(rep))
        if up is not None and (best is None or up < best["upper95"]):
            best = {"threshold": t, "calls": len(rep), "wrong": wrong, "upper95": round(up, 4)}
    return {
        "calls": len(values),
        "wrong": sum(not v["ok"] for v in values),
        "upper95_all": round(wilson_upper(sum(not v["ok"] for v in values), len(values)) or 1.0, 4),
        "line": bounded_threshold(values, target),
        "best": best,
        "calls_needed_at_0_wrong": math.ceil(1.96**2 * (1 - target) / target),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench.marks_eval", description=__doc__.split("\n")[0])
    ap.add_argument("--family", default="training")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--conditions", default="clean,scan,photo,photocopy")
    ap.add_argument("--app-seeds", default="0", help="comma-separated; empty: no applications")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument(
        "--absent-share",
        type=float,
        default=ABSENT_SHARE,
        help="share of marks left empty per kind (training only; 0: every mark drawn)",
    )
    ap.add_argument("--square-share", type=float, default=SQUARE_SHARE)
    args = ap.parse_args(argv)
    from synthdocs.marks import MarkPlan

    plan = MarkPlan(absent_share=args.absent_share, square_share=args.square_share)

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
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            base = draw(fam, doc_type, seed, plan)
            square = fam.name == "training" and plan.square(seed=seed, doc_type=doc_type)
            for cond in conditions:
                s = base if cond == "clean" else fam.capture(base, cond, seed=seed)
                if not s.marks:
                    continue
                t0 = time.perf_counter()
                doc = pipe.analyze(_encode(s), options=AnalyzeOptions(expected_type=None))
                timing["read_seconds"] += time.perf_counter() - t0
                timing["pages"] += len(s.pages)
                docs.add(s, doc, cond, square)
                per_condition[cond].add(s, doc, cond, square)
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
            app = fam.build_application(**opts)
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
        "first_seed": args.first_seed,
        "absent_share": args.absent_share if args.family == "training" else None,
        "square_share": args.square_share if args.family == "training" else None,
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
