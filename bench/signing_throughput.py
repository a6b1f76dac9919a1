"""Electronic certificates per second (render + sign) at PAdES B-B and B-LT, verifications per
second, against pyHanko's plain ``SimpleSigner`` path on the same PDFs in the same run.

    .venv/bin/python -m bench.signing_throughput [--n 60] [--workers 2] [--rsa]

A fresh test PKI and its loopback TSA/OCSP/CRL server (a thread of this process) are set up;
``--workers`` processes (default 2, the machine's cores) each build their signer once and work
through their share of ``--n`` certificates. Reported per configuration:

- ``per_s``: certificates (or verifications) per wall-clock second, all workers together;
- ``cpu_ms``: CPU milliseconds per certificate, workers plus the trust-services thread (the
  latter matters for B-LT). Wall-clock numbers move with other load on a shared machine; CPU
  time much less, so ``capacity_per_s`` = workers * 1000 / cpu_ms estimates what the same
  cores give when idle.

Configurations: ``ours`` = ``CertificateIssuer`` (render + ``PadesSigner``: parsed key kept,
tight /Contents reservation, revocation info cached for B-LT); ``ours-sign`` = the signer alone
on pre-rendered PDFs; ``plain`` = ``bench.plain_pyhanko.PlainPyhankoSigner`` (as in pyHanko's
documentation) on the same pre-rendered PDFs; ``plain+render`` = render + plain. Goals: >= 30/s
B-B, >= 12/s B-LT, >= 2x plain.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import socket
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
_STATE: dict[str, Any] = {}


def _cpu_self() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _init(pki_dir: str, rsa: bool) -> None:
    from bench.plain_pyhanko import PlainPyhankoSigner
    from signing import (
        CertificateIssuer,
        CertificateRenderer,
        PadesSigner,
        PadesValidator,
        Pkcs12KeySource,
        SignatureLevel,
    )
    from signing.testing import TestPki, sample_meta

    pki = TestPki(Path(pki_dir))
    p12 = pki.seal_rsa_p12 if rsa else pki.seal_p12
    renderer = CertificateRenderer(verify_base_url=pki.urls.base_url)
    signer = PadesSigner(
        key_source=Pkcs12KeySource(p12, passphrase=pki.passphrase),
        trust_roots=[pki.root_cert],
        tsa_url=pki.urls.tsa,
    )
    _STATE.update(
        renderer=renderer,
        signer=signer,
        issuer=CertificateIssuer(renderer=renderer, signer=signer),
        plain=PlainPyhankoSigner(
            p12=p12, passphrase=pki.passphrase, trust_roots=[pki.root_cert], tsa_url=pki.urls.tsa
        ),
        validator=PadesValidator(trust_roots=[pki.root_cert], allow_fetching=False),
        sample_meta=sample_meta,
        Level=SignatureLevel,
    )
    # warm up: font parsed, seal drawn, code paths imported
    renderer.render(sample_meta(serial="1"))


def _work(task: tuple[str, str, list[int]]) -> tuple[int, float]:
    config, level_name, serials = task
    level = _STATE["Level"](level_name)
    meta = _STATE["sample_meta"]
    renderer, signer, issuer, plain = (
        _STATE["renderer"],
        _STATE["signer"],
        _STATE["issuer"],
        _STATE["plain"],
    )
    pdfs: list[bytes] = []
    if config in ("ours-sign", "plain"):  # the same PDFs, rendered outside the measurement
        pdfs = [renderer.render(meta(serial=str(s))) for s in serials]
    cpu = time.process_time()
    if config == "ours":
        for s in serials:
            issuer.issue(meta=meta(serial=str(s)), level=level)
    elif config == "ours-sign":
        for pdf in pdfs:
            signer.sign(pdf, level=level)
    elif config == "plain":
        for pdf in pdfs:
            plain.sign(pdf, level=level)
    elif config == "plain+render":
        for s in serials:
            plain.sign(renderer.render(meta(serial=str(s))), level=level)
    elif config == "verify":
        docs = _STATE.setdefault("docs", {})
        if level_name not in docs:
            docs[level_name] = signer.sign(renderer.render(meta(serial="7")), level=level)
        cpu = time.process_time()
        for _ in serials:
            assert _STATE["validator"].validate(docs[level_name]).ok
    return len(serials), time.process_time() - cpu


def _run(
    pool: ProcessPoolExecutor, workers: int, config: str, level: str, n: int
) -> dict[str, Any]:
    serials = list(range(2026000000, 2026000000 + n))
    shares = [serials[i::workers] for i in range(workers)]
    if config == "verify":  # prepare the document in each worker outside the timing
        list(pool.map(_work, [(config, level, []) for _ in range(workers)]))
    server_cpu = _cpu_self()
    start = time.perf_counter()
    results = list(pool.map(_work, [(config, level, share) for share in shares]))
    wall = time.perf_counter() - start
    server_cpu = _cpu_self() - server_cpu
    done = sum(r[0] for r in results)
    cpu = sum(r[1] for r in results) + server_cpu
    cpu_ms = 1000 * cpu / done
    return {
        "config": config,
        "level": level,
        "n": done,
        "wall_s": round(wall, 3),
        "per_s": round(done / wall, 1),
        "cpu_ms": round(cpu_ms, 1),
        "capacity_per_s": round(workers * 1000 / cpu_ms, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=60, help="certificates per configuration")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rsa", action="store_true", help="RSA-3072 seal (default ECDSA P-256)")
    args = parser.parse_args()

    from signing.testing import LoopbackPkiServer, PkiResponder, init_test_pki

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    tmp = tempfile.TemporaryDirectory(prefix="bench-pki-")
    pki = init_test_pki(directory=Path(tmp.name), base_url=f"http://127.0.0.1:{port}")
    load_before = os.getloadavg()
    rows: list[dict[str, Any]] = []
    with (
        LoopbackPkiServer(PkiResponder(pki), port=port),
        ProcessPoolExecutor(
            max_workers=args.workers, initializer=_init, initargs=(tmp.name, args.rsa)
        ) as pool,
    ):
        for level in ("B-B", "B-LT"):
            for config in ("ours", "ours-sign", "plain", "plain+render"):
                rows.append(_run(pool, args.workers, config, level, args.n))
            rows.append(_run(pool, args.workers, "verify", level, args.n))
    tmp.cleanup()

    by = {(r["config"], r["level"]): r for r in rows}
    for level in ("B-B", "B-LT"):
        ours, plain = by[("ours", level)], by[("plain+render", level)]
        sign, plain_sign = by[("ours-sign", level)], by[("plain", level)]
        for r in (ours,):
            r["speedup_wall_vs_plain+render"] = round(ours["per_s"] / plain["per_s"], 2)
            r["speedup_cpu_vs_plain+render"] = round(plain["cpu_ms"] / ours["cpu_ms"], 2)
        sign["speedup_wall_vs_plain"] = round(sign["per_s"] / plain_sign["per_s"], 2)
        sign["speedup_cpu_vs_plain"] = round(plain_sign["cpu_ms"] / sign["cpu_ms"], 2)

    alg = "RSA-3072" if args.rsa else "ECDSA P-256"
    print(
        f"signing throughput, {alg}, {args.workers} workers, {args.n} per row, "
        f"load average before {load_before[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"{'config':<14}{'level':<6}{'per_s':>8}{'cpu_ms':>9}{'capacity/s':>12}"
        f"{'x plain (wall/cpu)':>22}"
    )
    for r in rows:
        x = ""
        for key in ("speedup_wall_vs_plain+render", "speedup_wall_vs_plain"):
            if key in r:
                cpu_key = key.replace("wall", "cpu")
                x = f"{r[key]:.2f} / {r[cpu_key]:.2f}"
        print(
            f"{r['config']:<14}{r['level']:<6}{r['per_s']:>8.1f}{r['cpu_ms']:>9.1f}"
            f"{r['capacity_per_s']:>12.1f}{x:>22}"
        )
    out = ROOT / "bench" / "results" / f"signing_throughput_{'rsa' if args.rsa else 'ec'}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "algorithm": alg,
                "workers": args.workers,
                "n": args.n,
                "cpus": os.cpu_count(),
                "load_average_before": load_before,
                "load_average_after": os.getloadavg(),
                "python": platform.python_version(),
                "rows": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
