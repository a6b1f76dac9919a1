"""Run every benchmark in turn: ``python -m bench`` (``make bench``). Each also runs alone as
``python -m bench.<name> --help``; results are printed and written under ``bench/results/``."""

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
]


def main() -> int:
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
