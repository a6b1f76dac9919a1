"""Document AI on the training and held-out families side by side (issue 10 "Measure").

    .venv/bin/python -m bench family_eval --family training|heldout…heldout5 [--seeds 3]
        [--conditions scan,photo,photocopy] [--app-seeds 0] [--app-style scan] [--timed 3]
    .venv/bin/python -m bench family_eval --compare [--markdown PATH]

For one family of ``synthdocs.families`` (``training``: rules are tuned on it; ``heldout``: the
first held-out family, looked at on 2026-12-02 and since a development family, "held-out v1
(seen, now dev)"; ``heldout2``: the held-out family, only ever measured, never tuned on, never
looked at):

* documents: every CONTRACT §3 type and ``unknown`` × ``--seeds`` seeds × each capture
  condition, read by the pipeline *without* a slot hint: field exact-match per type and
  condition (a list field is one field and must match entirely), document-type accuracy;
* applications: ``application_set(seed)`` for each ``--app-seeds`` (clean ones + one per
  defect), through ``precheck.read_uploads`` (slot hints) + ``precheck.run``: false ``ready``
  (goal 0), defects caught with the expected code (and exactly: code, slot and field), clean
  ``ready`` (goal ≥ 95 %), clean ``needs_fix`` (goal 0); the application files' golden fields are
  scored too (``source: application``);
* confidence: among values reported at ≥ 0.8, the share that is wrong (goal ≤ 0.5 %), over the
  document set and the application files; every scored value is kept (``values``) for
  ``bench.calibration``;
* time: for the first ``--timed`` applications every distinct file is read afresh by the
  pipeline and by raw ``rapidocr`` (default parameters, same threads) on the same decoded pages,
  interleaved in the same run; ratio = pipeline / raw (the layout work must stay within 1.1×).

Readings are cached on disk (``var/family_eval/``) by file content, slot hint and a digest of
the ``ocr`` package's source, so re-scoring costs no OCR and a changed reader is read afresh.
Writes ``bench/results/family_eval_<family>.json``; ``--compare`` prints both families side by
side (and writes the markdown table with ``--markdown``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"
#: The data folder the benchmark loads optional model folders from (the embedded default's).
DATA_DIR = ROOT / "var"
CACHE_DIR = DATA_DIR / "family_eval"
#: The line at or above which a value counts as "reported confident" (ocr.LOW_CONFIDENCE).
HIGH = 0.8
SEED0 = 1000  # document seeds start here (applications use application_set's own seeds)
DEFAULT_CONDITIONS = ("scan", "photo", "photocopy")


def ocr_version() -> str:
    """A digest of the ``ocr`` package's source: a changed reader is a new cache namespace."""
    h = hashlib.sha256()
    for p in sorted((ROOT / "ocr").rglob("*.py")):
        h.update(str(p.relative_to(ROOT)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


class CachedReader:
    """The ``precheck.Reader`` over a loaded pipeline, each reading kept on disk by content."""

    def __init__(self, pipeline: Any, directory: Path, version: str) -> None:
        self.pipeline = pipeline
        self.directory = directory / version
        self.directory.mkdir(parents=True, exist_ok=True)
        self.version = version
        self.hits = 0
        self.reads = 0
        self.seconds = 0.0
        self._fresh = False

    def fresh(self, data: bytes, *, expected_type: Any = None) -> Any:
        """Read ``data`` by the pipeline even when cached (and cache it): for timing."""
        self._fresh = True
        try:
            return self(data, expected_type=expected_type)
        finally:
            self._fresh = False

    def _path(self, data: bytes, hint: str) -> Path:
        return self.directory / f"{hint}-{hashlib.sha256(data).hexdigest()}.json"

    def __call__(self, data: bytes, *, expected_type: Any = None) -> Any:
        from ocr import AnalyzeOptions
        from ocr.errors import UnreadableFileError
        from precheck.intake import document_from_dict, document_to_dict

        path = self._path(data, str(expected_type or "any"))
        if path.exists() and not self._fresh:
            raw = json.loads(path.read_text(encoding="utf-8"))
            self.hits += 1
            if "error" in raw:
                raise UnreadableFileError(raw["error"], raw["message"])
            return document_from_dict(raw["document"])
        self.reads += 1
        t0 = time.perf_counter()
        try:
            doc = self.pipeline.analyze(data, options=AnalyzeOptions(expected_type=expected_type))
        except UnreadableFileError as e:
            entry: dict[str, Any] = {"error": e.code, "message": e.message}
            self._write(path, entry)
            raise
        finally:
            self.seconds += time.perf_counter() - t0
        self._write(path, {"document": document_to_dict(doc), "seconds": time.perf_counter() - t0})
        return doc

    @staticmethod
    def _write(path: Path, entry: dict[str, Any]) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------------------------


def _encode(sample: Any, condition: str) -> bytes:
    """What a citizen uploads for a capture: photos as JPEG, scans as PNG, several pages as PDF."""
    from synthdocs.encode import encode, samples_to_pdf

    if len(sample.pages) > 1:
        return samples_to_pdf([sample])
    return encode(sample, "jpeg" if condition == "photo" else "png")


def score_fields(golden: dict[str, Any], doc: Any, meta: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per golden field: what was wanted, what was read (None: not reported), with what
    confidence, and whether it is exactly right."""
    rows = []
    for name, want in golden.items():
        got = None if doc is None else doc.fields.get(name)
        rows.append(
            {
                **meta,
                "field": name,
                "want": want,
                "got": None if got is None else got.value,
                "confidence": None if got is None else round(float(got.confidence), 4),
                "ok": got is not None and _same(name, got.value, want),
            }
        )
    return rows


#: List fields whose order carries no meaning: the two spouses of a marriage certificate are
#: printed side by side or one above the other, and the pre-check compares them as a set.
UNORDERED = frozenset({"spouses"})


def _same(name: str, got: Any, want: Any) -> bool:
    if name in UNORDERED and isinstance(got, list) and isinstance(want, list):
        key = functools.partial(json.dumps, sort_keys=True, ensure_ascii=False)
        return sorted(map(key, got)) == sorted(map(key, want))
    return bool(got == want)


def _printed(sample: Any) -> dict[str, Any]:
    """The golden fields ``sample`` prints: those with a box on it. A page of a document
    uploaded one page per file (``synthdocs.applications.split_pages`` keeps only that page's
    boxes) is not scored on the fields of the other pages, which the pre-check reads from the
    other files. A sample without boxes is scored on all its fields."""
    boxes = getattr(sample, "boxes", None) or {}
    if not boxes:
        return dict(sample.fields)

    def on_page(name: str) -> bool:
        return any(k == name or k.startswith((f"{name}[", f"{name}.")) for k in boxes)

    return {k: v for k, v in sample.fields.items() if on_page(k)}


def _golden(samples: Iterable[Any]) -> tuple[str, dict[str, Any]]:
    """The golden type and fields of one uploaded file (an ID card's two sides in one file are
    one front document carrying both sides' fields, as the pipeline reports them)."""
    samples = list(samples)
    types = [s.doc_type for s in samples]
    fields: dict[str, Any] = {}
    for s in samples:
        fields.update(_printed(s))
    if set(types) == {"id_card_front", "id_card_back"}:
        return "id_card_front", fields
    return types[0], fields


def high_conf_wrong(values: list[dict[str, Any]], threshold: float = HIGH) -> dict[str, Any]:
    """Among values reported at ≥ ``threshold``: how many, how many wrong, the share."""
    rep = [v for v in values if v["confidence"] is not None and v["confidence"] >= threshold]
    wrong = [v for v in rep if not v["ok"]]
    return {
        "reported": len(rep),
        "wrong": len(wrong),
        "share": (len(wrong) / len(rep)) if rep else None,
    }


# ---------------------------------------------------------------------------------------------
# the run
# ---------------------------------------------------------------------------------------------


def run_documents(
    fam: Any, reader: CachedReader, *, seeds: int, conditions: list[str], types: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(values, documents) rows of the document set."""
    from ocr.errors import UnreadableFileError

    values: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    for doc_type in types:
        for seed in range(SEED0, SEED0 + seeds):
            sample = fam.generate(doc_type, seed=seed)
            for cond in conditions:
                captured = fam.capture(sample, cond, seed=seed)
                data = _encode(captured, cond)
                try:
                    doc = reader(data)
                except UnreadableFileError as e:
                    doc, problem = None, e.code
                else:
                    problem = None
                meta = {
                    "source": "documents",
                    "type": doc_type,
                    "cond": cond,
                    "seed": seed,
                    "layout": getattr(sample, "layout", None),
                }
                got_type = None if doc is None else doc.doc_type.value
                docs.append(
                    {
                        **meta,
                        "got_type": got_type,
                        "type_confidence": None if doc is None else round(doc.confidence, 4),
                        "type_ok": got_type == doc_type,
                        "problem": problem,
                        "quality": [] if doc is None else [i.value for i in doc.quality.issues],
                    }
                )
                values += score_fields(dict(captured.fields), doc, meta)
            print(
                f"  {fam.name} {doc_type} seed {seed} ({time.perf_counter() - t0:.0f}s, "
                f"{reader.reads} read, {reader.hits} cached)",
                flush=True,
            )
    return values, docs


class RawTimer:
    """Raw ``rapidocr`` (its default parameters, the pipeline's threads) on the pages the
    pipeline decodes from the same bytes."""

    def __init__(self, threads: int) -> None:
        from rapidocr import RapidOCR

        self.engine = RapidOCR(
            params={
                "Global.log_level": "warning",
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )

    def seconds(self, data: bytes, settings: Any) -> float:
        from ocr.decode import decode

        _, pages = decode(data, settings=settings)
        images = [p.image for p in pages if p.image is not None]
        t0 = time.perf_counter()
        for img in images:
            self.engine(img)
        return time.perf_counter() - t0


def run_applications(
    fam: Any,
    reader: CachedReader,
    *,
    app_seeds: list[int],
    style: str,
    timed: int,
    threads: int,
    every: int = 1,
    pick: set[int] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(applications, values) rows of the application sets."""
    from ocr.errors import UnreadableFileError
    from precheck import MemoryDocumentCache, slot_files
    from precheck.catalogue import load_catalogue
    from synthdocs.applications import describe
    from synthdocs.evaluate import check_application

    raw = RawTimer(threads) if timed else None
    rows: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    n = 0
    t0 = time.perf_counter()
    for app_seed in app_seeds:
        for i, app in enumerate(fam.application_set(seed=app_seed, style=style)):
            if i % every or (pick is not None and i not in pick):
                continue
            n += 1
            timing = None
            if raw is not None and n <= timed:
                # read afresh, both ways, interleaved: the ratio is robust to the machine's load
                matter = load_catalogue().get(app.matter)
                seen: set[bytes] = set()
                pipe_s = raw_s = 0.0
                for sf in slot_files(matter, [(s, d, nm) for s, nm, d in app.uploads]):
                    if sf.data in seen:
                        continue
                    seen.add(sf.data)
                    t = time.perf_counter()
                    with contextlib.suppress(UnreadableFileError):  # its time counts too
                        reader.fresh(sf.data, expected_type=sf.expected_type)
                    pipe_s += time.perf_counter() - t
                    with contextlib.suppress(UnreadableFileError):
                        raw_s += raw.seconds(sf.data, reader.pipeline.settings)
                timing = {
                    "files": len(seen),
                    "pipeline_s": round(pipe_s, 3),
                    "raw_s": round(raw_s, 3),
                    "ratio": round(pipe_s / raw_s, 3) if raw_s else None,
                }
            t = time.perf_counter()
            outcome = check_application(app, reader=reader, cache=MemoryDocumentCache())
            wall = time.perf_counter() - t
            r = outcome.report
            for up, f in zip(outcome.uploads, app.files, strict=True):
                if not f.samples:
                    continue
                gtype, golden = _golden(f.samples)
                meta = {
                    "source": "application",
                    "type": gtype,
                    "cond": f"app_{style}",
                    "seed": app.seed,
                    "file": f.filename,
                    "defect": app.defect,
                }
                values += score_fields(golden, up.document, meta)
            rows.append(
                {
                    **describe(app),
                    "family": fam.name,
                    "style": style,
                    "verdict": r.verdict.value,
                    "findings": [
                        (f.severity.value, f.code.value, f.slot, f.field, f.message)
                        for f in r.findings
                    ],
                    "missing_expected": outcome.missing,
                    "documents": [
                        {
                            "slot": up.slot,
                            "file": f.filename,
                            "want": list(f.doc_types),
                            "got": None if up.document is None else up.document.doc_type.value,
                            "confidence": None
                            if up.document is None
                            else round(up.document.confidence, 4),
                            "problem": None if up.problem is None else up.problem.code,
                        }
                        for up, f in zip(outcome.uploads, app.files, strict=True)
                    ],
                    "wall_s": round(wall, 3),
                    "timing": timing,
                }
            )
            tag = app.defect or "clean"
            print(
                f"  {fam.name} app {n:3} {tag:34} {r.verdict.value:12} "
                f"({time.perf_counter() - t0:.0f}s, {reader.reads} read, {reader.hits} cached)"
                + (f" MISSING {outcome.missing}" if outcome.missing else "")
                + (f" ratio {timing['ratio']}" if timing else ""),
                flush=True,
            )
    return rows, values


def summarise(
    values: list[dict[str, Any]], docs: list[dict[str, Any]], apps: list[dict[str, Any]]
) -> dict[str, Any]:
    by_tc: dict[tuple[str, str], list[bool]] = defaultdict(list)
    by_cond: dict[str, list[bool]] = defaultdict(list)
    for v in values:
        by_tc[(v["type"], v["cond"])].append(v["ok"])
        by_cond[v["cond"]].append(v["ok"])
    table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for (t, c), oks in sorted(by_tc.items()):
        table[t][c] = {"ok": sum(oks), "n": len(oks), "rate": sum(oks) / len(oks)}
    overall = {c: {"ok": sum(o), "n": len(o), "rate": sum(o) / len(o)} for c, o in by_cond.items()}
    doc_vals = [v for v in values if v["source"] == "documents"]
    app_vals = [v for v in values if v["source"] == "application"]
    clean = [a for a in apps if a["defect"] is None]
    bad = [a for a in apps if a["defect"] is not None]

    def codes_caught(a: dict[str, Any]) -> bool:
        want = {e["code"] for e in a["expected_findings"]}
        return a["verdict"] != "ready" and want <= {f[1] for f in a["findings"]}

    def unleaned(a: dict[str, Any]) -> str:
        """The verdict the report would have without ``precheck.rules.base.lean``: a leaned
        warning (its message starts with UNSURE_NOTE) counted as the error it was."""
        from precheck.rules.base import UNSURE_NOTE

        if any(f[0] == "error" or f[4].startswith(UNSURE_NOTE) for f in a["findings"]):
            return "needs_fix"
        return "needs_review" if any(f[0] == "warning" for f in a["findings"]) else "ready"

    timed = [a["timing"] for a in apps if a.get("timing") and a["timing"]["raw_s"]]
    misses = Counter((v["type"], v["field"]) for v in values if not v["ok"])
    summary: dict[str, Any] = {
        "field_exact_match": table,
        "field_exact_match_by_condition": overall,
        "field_exact_match_documents": _rate(doc_vals),
        "field_exact_match_application_files": _rate(app_vals),
        "doc_type_accuracy": _share([d["type_ok"] for d in docs]),
        # asserted to be another type (not unknown) at >= 0.5: what a wrong_document error rests on
        "doc_type_wrong_confident": sum(
            1
            for d in docs
            if not d["type_ok"]
            and d["got_type"] not in (None, "unknown")
            and (d["type_confidence"] or 0) >= 0.5
        ),
        "doc_type_accuracy_by_condition": {
            c: _share([d["type_ok"] for d in docs if d["cond"] == c])
            for c in sorted({d["cond"] for d in docs})
        },
        "high_conf_wrong": {
            "documents": high_conf_wrong(doc_vals),
            "application_files": high_conf_wrong(app_vals),
            "all": high_conf_wrong(values),
        },
        "applications": {
            "total": len(apps),
            "clean": len(clean),
            "defective": len(bad),
            "false_ready": sum(a["verdict"] == "ready" for a in bad),
            "defects_caught_code": sum(codes_caught(a) for a in bad),
            "defects_caught_exact": sum(
                a["verdict"] == "needs_fix" and not a["missing_expected"] for a in bad
            ),
            "clean_ready": sum(a["verdict"] == "ready" for a in clean),
            "clean_needs_review": sum(a["verdict"] == "needs_review" for a in clean),
            "clean_needs_fix": sum(a["verdict"] == "needs_fix" for a in clean),
            # the same reports without the lean rule (leaned warnings counted as errors)
            "without_lean": {
                "false_ready": sum(unleaned(a) == "ready" for a in bad),
                "defects_needs_fix": sum(unleaned(a) == "needs_fix" for a in bad),
                "clean_ready": sum(unleaned(a) == "ready" for a in clean),
                "clean_needs_fix": sum(unleaned(a) == "needs_fix" for a in clean),
            },
            "defects_needs_fix": sum(a["verdict"] == "needs_fix" for a in bad),
        },
        "timing": {
            "applications": len(timed),
            "pipeline_s_total": round(sum(t["pipeline_s"] for t in timed), 2),
            "raw_s_total": round(sum(t["raw_s"] for t in timed), 2),
            "ratio_total": round(
                sum(t["pipeline_s"] for t in timed) / sum(t["raw_s"] for t in timed), 3
            )
            if timed
            else None,
            "ratio_median": statistics.median(t["ratio"] for t in timed) if timed else None,
            "pipeline_s_per_application_median": statistics.median(t["pipeline_s"] for t in timed)
            if timed
            else None,
        },
        "top_failures": [
            {
                "type": t,
                "field": f,
                "wrong": n,
                "of": sum(1 for v in values if (v["type"], v["field"]) == (t, f)),
            }
            for (t, f), n in misses.most_common(25)
        ],
    }
    return summary


def _rate(values: list[dict[str, Any]]) -> dict[str, Any]:
    ok = sum(v["ok"] for v in values)
    return {"ok": ok, "n": len(values), "rate": ok / len(values) if values else None}


def _share(flags: list[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


# ---------------------------------------------------------------------------------------------
# printing
# ---------------------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def _short(v: Any, n: int = 60) -> str:
    s = json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v
    return s if len(s) <= n else s[: n - 1] + "…"


def print_family(res: dict[str, Any]) -> None:
    s = res["summary"]
    conds = sorted({c for t in s["field_exact_match"].values() for c in t})
    print(f"\n== family {res['family']} (ocr {res['ocr_version']}) ==")
    print(f"{'doc type':22s}" + "".join(f"{c:>12s}" for c in conds))
    for t, row in s["field_exact_match"].items():
        print(f"{t:22s}" + "".join(f"{_pct(row.get(c, {}).get('rate')):>12s}" for c in conds))
    by = s["field_exact_match_by_condition"]
    print(f"{'ALL':22s}" + "".join(f"{_pct(by.get(c, {}).get('rate')):>12s}" for c in conds))
    print(
        f"doc type accuracy {_pct(s['doc_type_accuracy'])} "
        f"(another type asserted at >= 0.5: {s.get('doc_type_wrong_confident', '-')})"
    )
    for k, v in s["high_conf_wrong"].items():
        share = _pct(v["share"])
        print(f"wrong among reported >= {HIGH}: {k}: {v['wrong']}/{v['reported']} = {share}")
    a = s["applications"]
    print(
        f"applications {a['total']}: false ready {a['false_ready']}/{a['defective']}, defects "
        f"caught (code) {a['defects_caught_code']}/{a['defective']} (exact "
        f"{a['defects_caught_exact']}), clean ready {a['clean_ready']}/{a['clean']}, clean "
        f"needs_review {a['clean_needs_review']}, clean needs_fix {a['clean_needs_fix']}"
    )
    tm = s["timing"]
    if tm["applications"]:
        print(
            f"time ({tm['applications']} applications read afresh): pipeline "
            f"{tm['pipeline_s_total']}s vs raw rapidocr {tm['raw_s_total']}s -> "
            f"{tm['ratio_total']}x (median per application {tm['ratio_median']}x)"
        )


def markdown(results: list[dict[str, Any]], *, examples: int = 3) -> str:
    """Both families side by side, then the worst failures with what was wanted and read."""
    fams = [r["family"] for r in results]
    out = ["| metric | " + " | ".join(fams) + " |", "|---|" + "---|" * len(fams)]

    def row(name: str, cells: list[str]) -> None:
        out.append(f"| {name} | " + " | ".join(cells) + " |")

    S = [r["summary"] for r in results]
    types = sorted({t for s in S for t in s["field_exact_match"]})
    conds = sorted({c for s in S for t in s["field_exact_match"].values() for c in t})
    for t in types:
        for c in conds:
            cells = []
            for s in S:
                e = s["field_exact_match"].get(t, {}).get(c)
                cells.append("-" if e is None else f"{_pct(e['rate'])} ({e['ok']}/{e['n']})")
            if any(x != "-" for x in cells):
                row(f"fields {t} / {c}", cells)
    for c in conds:
        cells = []
        for s in S:
            e = s["field_exact_match_by_condition"].get(c)
            cells.append("-" if e is None else f"{_pct(e['rate'])} ({e['ok']}/{e['n']})")
        row(f"**fields, all types / {c}**", cells)
    row("doc-type accuracy (document set, no hint)", [_pct(s["doc_type_accuracy"]) for s in S])
    row(
        "documents asserted another type at ≥ 0.5",
        [str(s.get("doc_type_wrong_confident", "-")) for s in S],
    )
    for k in ("documents", "application_files", "all"):
        row(
            f"wrong among values ≥ {HIGH} ({k})",
            [
                f"{_pct(s['high_conf_wrong'][k]['share'])} "
                f"({s['high_conf_wrong'][k]['wrong']}/{s['high_conf_wrong'][k]['reported']})"
                for s in S
            ],
        )
    A = [s["applications"] for s in S]
    row("false `ready` (defective apps)", [f"{a['false_ready']}/{a['defective']}" for a in A])
    row("defects caught, right code", [f"{a['defects_caught_code']}/{a['defective']}" for a in A])
    row("defects caught exactly (code+slot+field, needs_fix)",
        [f"{a['defects_caught_exact']}/{a['defective']}" for a in A])  # fmt: skip
    row("clean `ready`", [f"{a['clean_ready']}/{a['clean']}" for a in A])
    row("clean `needs_review`", [f"{a['clean_needs_review']}/{a['clean']}" for a in A])
    row("clean `needs_fix`", [f"{a['clean_needs_fix']}/{a['clean']}" for a in A])
    row("defective `needs_fix`", [f"{a['defects_needs_fix']}/{a['defective']}" for a in A])
    for key, label, of in (
        ("false_ready", "false `ready`", "defective"),
        ("defects_needs_fix", "defective `needs_fix`", "defective"),
        ("clean_ready", "clean `ready`", "clean"),
        ("clean_needs_fix", "clean `needs_fix`", "clean"),
    ):
        row(f"without the lean: {label}", [f"{a['without_lean'][key]}/{a[of]}" for a in A])
    T = [s["timing"] for s in S]
    row(
        "time: pipeline / raw rapidocr (apps read afresh)",
        [
            "-" if not t["applications"] else
            f"{t['ratio_total']}x ({t['pipeline_s_total']}s / {t['raw_s_total']}s, "
            f"{t['applications']} apps)"
            for t in T
        ],
    )  # fmt: skip
    row(
        "pipeline s per application (median)",
        ["-" if t["pipeline_s_per_application_median"] is None
         else f"{t['pipeline_s_per_application_median']:.1f}s" for t in T],
    )  # fmt: skip
    for r in results:
        out += [
            "",
            f"### {r['family']}: top field failures (type.field: wrong/of; want → read @conf)",
        ]
        for tf in r["summary"]["top_failures"][:15]:
            out.append(f"- **{tf['type']}.{tf['field']}**: {tf['wrong']}/{tf['of']}")
            ex = [
                v
                for v in r["values"]
                if not v["ok"] and v["type"] == tf["type"] and v["field"] == tf["field"]
            ]
            ex.sort(key=lambda v: -(v["confidence"] or 0))
            for v in ex[:examples]:
                out.append(
                    f"  - {v['cond']} seed {v['seed']}: `{_short(v['want'])}` → "
                    f"`{_short(v['got'])}` @{v['confidence']}"
                )
        wrong_clean = [
            a for a in r["applications"] if a["defect"] is None and a["verdict"] != "ready"
        ]
        if wrong_clean:
            out += ["", f"### {r['family']}: clean applications not `ready`"]
            for a in wrong_clean:
                fs = "; ".join(f"{f[0]} {f[1]} {f[2]}.{f[3]}" for f in a["findings"])
                out.append(f"- seed {a['seed']} → {a['verdict']}: {fs}")
        missed = [a for a in r["applications"] if a["defect"] is not None
                  and (a["verdict"] == "ready" or a["missing_expected"])]  # fmt: skip
        if missed:
            out += ["", f"### {r['family']}: defects not caught exactly"]
            for a in missed:
                fs = "; ".join(f"{f[1]} {f[2]}.{f[3]}" for f in a["findings"])
                out.append(
                    f"- {a['defect']} → {a['verdict']}, missing {a['missing_expected']}: {fs}"
                )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------


def result_path(family: str) -> Path:
    return RESULTS / f"family_eval_{family}.json"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--family",
        help="a name synthdocs.families.get knows (training; heldout: v1, now dev; heldout2)",
    )
    ap.add_argument("--seeds", type=int, default=3, help="documents per type and condition")
    ap.add_argument("--conditions", default=",".join(DEFAULT_CONDITIONS))
    ap.add_argument("--types", default="", help="comma list (default: all + unknown)")
    ap.add_argument("--app-seeds", type=int, nargs="*", default=[0])
    ap.add_argument("--app-style", choices=["scan", "photo"], default="scan")
    ap.add_argument("--timed", type=int, default=3, help="applications read afresh and timed")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=CACHE_DIR)
    ap.add_argument("--out", type=Path, default=None, help="result JSON (default: bench/results)")
    ap.add_argument(
        "--app-every", type=int, default=1, help="only every K-th application of each set"
    )
    ap.add_argument("--apps", default="", help="only these indexes of each set (comma list)")
    ap.add_argument("--compare", action="store_true", help="print the saved families side by side")
    ap.add_argument(
        "--inputs", type=Path, nargs="*", default=None, help="with --compare: result files"
    )
    ap.add_argument("--markdown", type=Path, default=None, help="with --compare: write the table")
    args = ap.parse_args(argv)

    if args.compare:
        paths = args.inputs or [result_path(f) for f in ("training", "heldout", "heldout2")]
        by_family: dict[str, dict[str, Any]] = {}
        for p in paths:  # several runs of one family (documents, applications) are joined
            if not p.exists():
                continue
            r = json.loads(p.read_text(encoding="utf-8"))
            if r["family"] in by_family:
                base = by_family[r["family"]]
                for k in ("values", "documents", "applications"):
                    base[k] = base[k] + r[k]
            else:
                by_family[r["family"]] = r
        results = list(by_family.values())
        for r in results:  # scored again: metrics added since the run apply to it too
            r["summary"] = summarise(r["values"], r["documents"], r["applications"])
        if not results:
            print("no saved results; run --family first", file=sys.stderr)
            return 1
        for r in results:
            print_family(r)
        md = markdown(results)
        if args.markdown:
            args.markdown.write_text(md, encoding="utf-8")
            print(f"\nwritten {args.markdown}")
        return 0
    if not args.family:
        ap.error("--family or --compare")

    from ocr import OcrPipeline, OcrSettings
    from ocr.document import DOC_TYPES
    from synthdocs import families

    try:
        fam = families.get(args.family)
    except families.FamilyUnavailableError as e:
        print(f"family {args.family} unavailable: {e}", file=sys.stderr)
        return 2
    except ValueError as e:  # a name families does not know (yet)
        ap.error(str(e))
    version = ocr_version()
    head = _git_head()  # the code measured, before anything changes under the run
    t_load = time.perf_counter()
    pipeline = OcrPipeline.load(OcrSettings(threads=args.threads), data_dir=DATA_DIR)
    load_s = time.perf_counter() - t_load
    reader = CachedReader(pipeline, args.cache, version)
    types = [t for t in args.types.split(",") if t] or list(DOC_TYPES)
    conditions = [c for c in args.conditions.split(",") if c]
    t0 = time.perf_counter()
    values, docs = run_documents(
        fam, reader, seeds=args.seeds, conditions=conditions, types=types
    ) if args.seeds else ([], [])  # fmt: skip
    apps, app_values = run_applications(
        fam,
        reader,
        app_seeds=args.app_seeds,
        style=args.app_style,
        timed=args.timed,
        threads=args.threads,
        every=args.app_every,
        pick={int(x) for x in args.apps.split(",")} if args.apps else None,
    )
    values += app_values
    res = {
        "family": fam.name,
        "ocr_version": version,
        "git": head,
        "args": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": os.getloadavg(),
        },
        "pipeline_load_s": round(load_s, 2),
        "run_s": round(time.perf_counter() - t0, 1),
        "reads": reader.reads,
        "cached": reader.hits,
        "summary": summarise(values, docs, apps),
        "documents": docs,
        "applications": apps,
        "values": values,
    }
    out = args.out or result_path(fam.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    print_family(res)
    print(f"\nwritten {out}")
    return 0


def _git_head() -> str:
    import subprocess

    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
            check=False,
        ).stdout.strip()  # fmt: skip
    except OSError:
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
