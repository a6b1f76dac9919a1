"""Put/get throughput through ``S3Store`` against the raw ``minio`` SDK, same server, same run.

    .venv/bin/python -m bench.storage_throughput [--rounds-1mb N] [--rounds-20mb N] [--sse kms]

Uses the Ceph RGW of ``scripts/ceph-up.sh var/rgw`` over HTTPS (started if not running). Each
round does, for each size, a raw-SDK put and an S3Store put of fresh random bytes, then a raw
get and S3Store gets (full read; the store checks the recorded CRC-32 unless told not to),
alternating which goes first.
Reports median MB/s per operation, the ratio store/raw (goal: >= 0.95), and the median client
CPU time per operation (less sensitive to other load on a shared machine). "put" compares with
the raw SDK told to use the store's upload strategy (one PUT up to ``multipart_threshold``);
"put vs SDK dflt" with the SDK's own default 5 MiB parts.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

import urllib3
from minio import Minio

from storage import Bucket, S3Store, StorageSettings

ROOT = Path(__file__).resolve().parents[1]
RGW_DIR = "var/rgw"
MB = 1024 * 1024


def rgw_env() -> dict[str, str]:
    env_path = ROOT / RGW_DIR / "env"
    proc = subprocess.run(
        [str(ROOT / "scripts/ceph-up.sh"), RGW_DIR], cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.exit(f"could not start the Ceph RGW:\n{proc.stderr}")
    pairs = (line.split("=", 1) for line in env_path.read_text().splitlines() if "=" in line)
    return {k: v for k, v in pairs}


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and client CPU seconds (all threads) of one call. CPU time is far less
    disturbed than wall-clock by other work on a shared machine."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds-1mb", type=int, default=30)
    parser.add_argument("--rounds-20mb", type=int, default=8)
    parser.add_argument("--sse", choices=["none", "kms"], default="none")
    args = parser.parse_args()

    env = rgw_env()
    settings = StorageSettings(
        backend="s3",
        s3_endpoint=env["S3_TLS_ENDPOINT"],
        s3_ca_file=Path(env["S3_CA_FILE"]),
        s3_access_key=env["S3_ACCESS_KEY"],
        s3_secret_key=env["S3_SECRET_KEY"],  # type: ignore[arg-type]
        bucket_prefix="bench-",
        certificate_retention_days=1,
        sse=args.sse,
        sse_kms_key_id=env["S3_KMS_KEY_ID"],
    )
    store = S3Store(settings, data_dir=ROOT / "var")
    store.ensure_buckets()
    bucket = store.bucket(Bucket.UPLOADS)
    # The raw SDK with the same TLS trust and pool size; everything else at the SDK's defaults.
    http = urllib3.PoolManager(
        maxsize=settings.pool_size, cert_reqs="CERT_REQUIRED", ca_certs=env["S3_CA_FILE"]
    )
    raw = Minio(
        env["S3_TLS_ENDPOINT"],
        access_key=env["S3_ACCESS_KEY"],
        secret_key=env["S3_SECRET_KEY"],
        secure=True,
        region=settings.s3_region,
        http_client=http,
    )
    raw_sse = store._sse  # same encryption for both sides

    def raw_put(key: str, data: bytes) -> object:
        # The same upload strategy as the store: one PUT up to the threshold, parts beyond.
        part_size = (
            settings.multipart_threshold
            if len(data) <= settings.multipart_threshold
            else settings.multipart_part_size
        )
        return raw.put_object(
            bucket, key, io.BytesIO(data), len(data), sse=raw_sse, part_size=part_size
        )

    def raw_put_defaults(key: str, data: bytes) -> object:
        return raw.put_object(bucket, key, io.BytesIO(data), len(data), sse=raw_sse)

    def store_put(key: str, data: bytes) -> object:
        return store.put(kind=Bucket.UPLOADS, key=key, data=data)

    def store_get(key: str) -> bytes:
        return store.get_bytes(kind=Bucket.UPLOADS, key=key)

    def store_get_unverified(key: str) -> bytes:
        with store.open(kind=Bucket.UPLOADS, key=key, verify=False) as reader:
            return reader.read()

    def raw_get(key: str) -> bytes:
        response = raw.get_object(bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    run = uuid.uuid4().hex[:8]
    load_before = f"{os.getloadavg()[0]:.2f}"
    rows = []
    for size, rounds in ((1 * MB, args.rounds_1mb), (20 * MB, args.rounds_20mb)):
        times: dict[str, list[float]] = {
            "raw put": [],
            "raw put, SDK default parts": [],
            "store put": [],
            "raw get": [],
            "store get": [],
            "store get, no checksum": [],
        }
        cpu: dict[str, list[float]] = {name: [] for name in times}
        for i in range(rounds + 1):  # round 0 warms connections and is discarded
            data_raw, data_store = os.urandom(size), os.urandom(size)
            raw_key, store_key = f"bench-{run}/raw-{size}-{i}", f"bench-{run}/store-{size}-{i}"
            puts: list[tuple[str, Callable[[], object]]] = [
                ("raw put", partial(raw_put, raw_key, data_raw)),
                ("raw put, SDK default parts", partial(raw_put_defaults, raw_key + "-d", data_raw)),
                ("store put", partial(store_put, store_key, data_store)),
            ]
            gets: list[tuple[str, Callable[[], object]]] = [
                ("raw get", partial(raw_get, raw_key)),
                ("store get", partial(store_get, store_key)),
                ("store get, no checksum", partial(store_get_unverified, store_key)),
            ]
            if i % 2:
                puts.reverse()
                gets.reverse()
            for name, op in puts + gets:
                elapsed, cpu_s = timed(op)
                if i:
                    times[name].append(elapsed)
                    cpu[name].append(cpu_s)
            for key in (raw_key, raw_key + "-d", store_key):
                raw.remove_object(bucket, key)
        mbps = {name: size / MB / statistics.median(t) for name, t in times.items()}
        for op, raw_op, store_op in (
            ("put", "raw put", "store put"),
            ("put vs SDK dflt", "raw put, SDK default parts", "store put"),
            ("get", "raw get", "store get"),
            ("get unverified", "raw get", "store get, no checksum"),
        ):
            rows.append(
                {
                    "size_mb": size // MB,
                    "op": op,
                    "rounds": rounds,
                    "raw_mb_s": round(mbps[raw_op], 1),
                    "store_mb_s": round(mbps[store_op], 1),
                    "ratio": round(mbps[store_op] / mbps[raw_op], 3),
                    "raw_cpu_ms": round(1000 * statistics.median(cpu[raw_op]), 2),
                    "store_cpu_ms": round(1000 * statistics.median(cpu[store_op]), 2),
                }
            )

    print(f"S3Store vs raw minio SDK, Ceph RGW over HTTPS, sse={args.sse}")
    print(f"load average before: {load_before}, after: {os.getloadavg()[0]:.2f}")
    print(
        f"{'size':>6} {'op':>15} {'rounds':>6} {'raw MB/s':>9} {'store MB/s':>10} {'ratio':>6}"
        f" {'raw CPU ms':>10} {'store CPU ms':>12}"
    )
    for r in rows:
        print(
            f"{r['size_mb']:>4}MB {r['op']:>15} {r['rounds']:>6} {r['raw_mb_s']:>9} "
            f"{r['store_mb_s']:>10} {r['ratio']:>6} {r['raw_cpu_ms']:>10} {r['store_cpu_ms']:>12}"
        )
    out = ROOT / "bench" / "results" / f"storage_throughput_{args.sse}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "benchmark": "storage_throughput",
                "server": "ceph-rgw-https-loopback",
                "sse": args.sse,
                "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "load_average_before": load_before,
                "rows": rows,
            },
            indent=2,
        )
    )
    print(f"wrote {out.relative_to(ROOT)}")
    store.close()


if __name__ == "__main__":
    main()
