"""Run every benchmark in turn: ``python -m bench`` (``make bench``). Each also runs alone as
``python -m bench.<name> --help`` or ``python -m bench <name> [args]``; results are printed and
written under ``bench/results/``."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = [
    "storage_throughput",
    "signing_throughput",
    "ocr_accuracy",
    "precheck_eval",
    "service_load",
    "service_verdict",
    "ocr_throughput",
    "courier_webhook",
    "courier_push_to_page",
    "review_crop",
    "ereuse",
    "soak",
]
#: Run by name only (``python -m bench family_eval --family heldout``): they take arguments.
ON_REQUEST = ["family_eval", "calibration", "kpi_latency", "marks_eval"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args:
        name, rest = args[0], args[1:]
        if name not in BENCHMARKS + ON_REQUEST:
            print(f"unknown benchmark {name!r}; known: {BENCHMARKS + ON_REQUEST}", file=sys.stderr)
            return 2
        return subprocess.run(
            [sys.executable, "-m", f"bench.{name}", *rest], check=False
        ).returncode
    failed = []
    for name in BENCHMARKS:
        print(f"\n=== bench.{name} ===", flush=True)
        # one process each: peak RSS and model loads are measured per benchmark
        if subprocess.run([sys.executable, "-m", f"bench.{name}"], check=False).returncode:
            failed.append(name)
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
