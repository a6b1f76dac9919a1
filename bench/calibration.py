"""Is a field's confidence a probability of being right? (issue 10 "Confidence", "Calibrate it")

    .venv/bin/python -m bench calibration [--target 0.005] [--markdown PATH]

Reads the values ``bench.family_eval`` scored (``bench/results/family_eval_<family>.json``:
every golden field of the document set and of the application files, with the value read and
its confidence; a field not reported has no confidence and is left out here) and reports:

* a reliability table per confidence bin and family: values, share right, mean confidence;
* the threshold ``t``: the lowest confidence at which, on the **training** family, the share of
  wrong values among those reported ≥ ``t`` is ≤ ``--target`` (0.5 %), with how many values it
  keeps (coverage) and a 95 % upper bound on that share (Wilson);
* the line the default may move to: the lowest ``t`` whose 95 % upper bound of the wrong share
  is ≤ the target (0 wrong of n: Wilson bounds it ≤ 0.5 % from 765 values on);
* the check on the other family (``--check``: dev, or the held-out family at the end) at the
  same ``t`` (never chosen on it), and at 0.8.

The threshold is what ``PrecheckSettings.certain_confidence`` defaults to; docs/document-ai.md
writes down the figures it rests on. Writes ``bench/results/calibration.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
BINS = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0001)


def load_values(path: Path) -> list[dict[str, Any]]:
    res = json.loads(path.read_text(encoding="utf-8"))
    return [v for v in res["values"] if v["confidence"] is not None]


def reliability(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per bin [lo, hi): values, right, share right, mean confidence."""
    rows = []
    for lo, hi in itertools.pairwise(BINS):
        inb = [v for v in values if lo <= v["confidence"] < hi]
        right = sum(v["ok"] for v in inb)
        rows.append(
            {
                "bin": [lo, min(hi, 1.0)],
                "values": len(inb),
                "right": right,
                "share_right": right / len(inb) if inb else None,
                "mean_confidence": sum(v["confidence"] for v in inb) / len(inb) if inb else None,
            }
        )
    return rows


def wilson_upper(wrong: int, n: int, z: float = 1.96) -> float | None:
    """95 % upper bound of a share ``wrong / n`` (Wilson score interval)."""
    if n == 0:
        return None
    p = wrong / n
    denom = 1 + z * z / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre + margin) / denom


def above(values: list[dict[str, Any]], t: float) -> dict[str, Any]:
    """Among values reported ≥ ``t``: how many, how many wrong, the share, coverage."""
    rep = [v for v in values if v["confidence"] >= t]
    wrong = sum(not v["ok"] for v in rep)
    return {
        "threshold": t,
        "reported": len(rep),
        "wrong": wrong,
        "share_wrong": wrong / len(rep) if rep else None,
        "upper95": wilson_upper(wrong, len(rep)),
        "coverage": len(rep) / len(values) if values else None,
        "right_kept": sum(v["ok"] for v in rep),
        "right_total": sum(v["ok"] for v in values),
    }


def threshold(values: list[dict[str, Any]], target: float) -> float | None:
    """The lowest observed confidence ``t`` with share wrong among values ≥ ``t`` ≤ ``target``
    (None: no such ``t``, i.e. even the most confident values are wrong too often)."""
    cands = sorted({v["confidence"] for v in values})
    # walk down from the top keeping running counts: O(n log n)
    ordered = sorted(values, key=lambda v: -v["confidence"])
    best = None
    n = wrong = 0
    i = 0
    for t in reversed(cands):
        while i < len(ordered) and ordered[i]["confidence"] >= t:
            n += 1
            wrong += not ordered[i]["ok"]
            i += 1
        if n and wrong / n <= target:
            best = t
    return best


def bounded_threshold(values: list[dict[str, Any]], target: float) -> float | None:
    """The lowest observed confidence ``t`` whose 95 % upper bound of the share wrong among
    values ≥ ``t`` is ≤ ``target`` (None: the values do not show the goal at any line)."""
    best = None
    for t in sorted({v["confidence"] for v in values}, reverse=True):
        up = above(values, t)["upper95"]
        if up is not None and up <= target:
            best = t
    return best


def wrong_examples(values: list[dict[str, Any]], t: float, k: int = 12) -> list[dict[str, Any]]:
    bad = [v for v in values if v["confidence"] >= t and not v["ok"]]
    bad.sort(key=lambda v: -v["confidence"])
    keys = ("source", "type", "cond", "seed", "field", "want", "got", "confidence")
    return [{x: v.get(x) for x in keys} for v in bad[:k]]


def report(
    train: list[dict[str, Any]], held: list[dict[str, Any]], target: float
) -> dict[str, Any]:
    t = threshold(train, target)
    out: dict[str, Any] = {
        "target_share_wrong": target,
        "threshold_on_training": t,
        # the line the default may move to: its share wrong is shown ≤ target (95 % upper
        # bound, Wilson), which 0 wrong of n does only from n ≥ 1.96² (1 - target) / target
        # (765 values for 0.5 %; the rule of three says 600)
        "bounded_threshold_on_training": bounded_threshold(train, target),
        "values_needed_at_0_wrong": math.ceil(1.96**2 * (1 - target) / target),
        "reliability": {"training": reliability(train), "heldout": reliability(held)},
        "at_0.8": {"training": above(train, 0.8), "heldout": above(held, 0.8) if held else None},
    }
    if t is not None:
        out["at_threshold"] = {
            "training": above(train, t),
            "heldout": above(held, t) if held else None,
        }
        out["wrong_at_threshold"] = {
            "training": wrong_examples(train, t),
            "heldout": wrong_examples(held, t) if held else [],
        }
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.2f}%"


def markdown(r: dict[str, Any]) -> str:
    out = ["| bin | training values | training right | heldout values | heldout right |",
           "|---|---|---|---|---|"]  # fmt: skip
    for a, b in zip(r["reliability"]["training"], r["reliability"]["heldout"], strict=True):
        lo, hi = a["bin"]
        out.append(
            f"| [{lo:g}, {hi:g}) | {a['values']} | {_pct(a['share_right'])} | "
            f"{b['values']} | {_pct(b['share_right'])} |"
        )
    out.append("")
    for name in ("at_0.8", "at_threshold"):
        if name not in r:
            continue
        for fam, e in r[name].items():
            if e is None:
                continue
            out.append(
                f"- {fam}, values ≥ {e['threshold']:g}: {e['wrong']}/{e['reported']} wrong = "
                f"{_pct(e['share_wrong'])} (95 % upper {_pct(e['upper95'])}), coverage "
                f"{_pct(e['coverage'])} of reported values"
            )
    t = r["threshold_on_training"]
    out.append(
        f"- threshold chosen on training (share wrong ≤ {_pct(r['target_share_wrong'])}): "
        + ("none reaches it" if t is None else f"{t:g}")
    )
    b = r.get("bounded_threshold_on_training")
    out.append(
        f"- line shown on training (95 % upper bound ≤ {_pct(r['target_share_wrong'])}; 0 wrong "
        f"needs ≥ {r.get('values_needed_at_0_wrong')} values): "
        + ("none: too few values or too many wrong, keep the default" if b is None else f"{b:g}")
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--train", type=Path, default=RESULTS / "family_eval_training.json")
    ap.add_argument("--check", type=Path, default=RESULTS / "family_eval_heldout.json")
    ap.add_argument("--target", type=float, default=0.005)
    ap.add_argument("--markdown", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=RESULTS / "calibration.json")
    ap.add_argument(
        "--show-check",
        action="store_true",
        help="also print the check family's wrong values (a dev family only: never held-out)",
    )
    args = ap.parse_args(argv)
    if not args.train.exists():
        print(
            f"{args.train} missing: run python -m bench family_eval --family training",
            file=sys.stderr,
        )
        return 1
    train = load_values(args.train)
    held = load_values(args.check) if args.check.exists() else []
    r = report(train, held, args.target)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    md = markdown(r)
    print(md)
    for fam, ex in r.get("wrong_at_threshold", {}).items():
        if fam != "training" and not args.show_check:
            # the held-out family's wrong values are counted above, not shown: a list of them is
            # what a reader would be tuned against (docs/document-ai.md, the held-out rule)
            print(f"  {fam}: {len(ex)} wrong values not shown (--show-check shows them)")
            continue
        for v in ex:
            print(f"  {fam} wrong @{v['confidence']}: {v['type']}.{v['field']} {v['cond']} "
                  f"want {v['want']!r} got {v['got']!r}")  # fmt: skip
    if args.markdown:
        args.markdown.write_text(md, encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
