"""证照复用: time to verdict with the property certificate as a phone photo vs as the signed
e-certificate this service issued, same run; field exactness of both paths (issue 14 "Measure").

    .venv/bin/python -m bench.ereuse [--runs 3]

One in-process service on the embedded defaults (SQLite, local objects, the in-process job
runner, the real OCR pipeline loaded before anything is timed, certificates signed at B-B and
verified offline):

1. a transfer is approved and issued: its documents are seeded as read (``synthdocs`` golden
   fields), its certificate really rendered, signed, stored and registered;
2. for each run, two new sale applications by the new owner, their ID cards and contract
   seeded as read; the property certificate is then uploaded (``POST …/files``) either as a
   phone photo of a 不动产权证书 printed with the issued face data (``synthdocs`` render +
   photo degradation, a new photo seed each run so the document cache never answers) or as
   the issued PDF. The clock starts at the 202 and stops when ``GET /api/applications/{id}``
   shows a verdict (polled every 10 ms) — ``seconds``;
3. the third path, ``shared``: the new owner's account has a verified identity (the embedded
   in-person check, recorded once: one verified account per person) and each run's application
   asks ``POST /api/applications/{id}/sharing``; the library (the embedded registry) finds the
   issued certificate, which is fetched, verified and stored as the slot's material. Here the
   clock starts *before* that POST (the lookup, fetch and verification run inside it) and
   stops at the verdict, as above; ``request_s`` is the POST alone.

Exactness: the fields of the property certificate as the service stored them vs the issued face
data (``certificate_number``, ``owners``, ``co_ownership``, ``location``, ``unit_number``,
``area``), exact string/list equality. Prints a table, writes ``bench/results/ereuse.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import logging
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.settings import ApiSettings, Settings
from bench.harness import seed_read_uploads
from cases import DatabaseSettings, State, move, transaction
from cases.identity import InPersonCheck, InPersonCredential, record_identity
from cases.models import Application, Certificate, Upload, User
from jobs import JobsSettings
from jobs.context import OcrReader
from jobs.issuing import issue_certificate
from ocr.settings import OcrSettings
from precheck.settings import PrecheckSettings
from signing import SigningSettings
from storage import StorageSettings
from synthdocs import data as d
from synthdocs.applications import build_application
from synthdocs.degrade import photo
from synthdocs.encode import to_jpeg
from synthdocs.render import render_property_certificate

RESULTS = Path(__file__).parent / "results"
FACE_FIELDS = ("certificate_number", "owners", "co_ownership", "location", "unit_number", "area")
PASSWORD = "bench-pass-1"


def _settings(data_dir: Path) -> Settings:
    return Settings(
        api=ApiSettings(data_dir=data_dir),
        database=DatabaseSettings(url=None),
        storage=StorageSettings(),
        jobs=JobsSettings(warm_up=False, poll_s=0.05, retry_base_s=0.2),
        # B-B verified offline: no OCSP/CRL round trip to whatever listens on the default
        # public URL (B-LT certificates carry their revocation info in production)
        signing=SigningSettings(level="B-B", verify_allow_fetching=False),
        ocr=OcrSettings(),
        precheck=PrecheckSettings(),
    )


class Bench:
    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.services: Any = client.app.state.services  # type: ignore[attr-defined]
        self.n = 0

    def citizen(self) -> tuple[dict[str, str], str]:
        self.n += 1
        name = f"bench-citizen-{self.n}"
        r = self.client.post(
            "/api/auth/register", json={"username": name, "password": PASSWORD, "name": "市民"}
        )
        assert r.status_code == 201, r.text
        user_id = r.json()["id"]
        r = self.client.post("/api/auth/token", data={"username": name, "password": PASSWORD})
        return {"Authorization": f"Bearer {r.json()['access_token']}"}, user_id

    def new_application(self, auth: dict[str, str]) -> str:
        r = self.client.post(
            "/api/applications",
            json={"matter": "second-hand-house-transfer", "answers": {}},
            headers=auth,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def seed(self, app_id: str, docs: list[tuple[str, str, dict[str, Any]]]) -> None:
        """Uploads already read (what the reading job leaves), outside the timed path."""
        seed_read_uploads(self.services, app_id, docs)

    def upload_and_wait(
        self, auth: dict[str, str], app_id: str, name: str, data: bytes
    ) -> tuple[float, dict[str, Any]]:
        r = self.client.post(
            f"/api/applications/{app_id}/files",
            data={"slot": "property_certificate"},
            files={"file": (name, data, "application/octet-stream")},
            headers=auth,
        )
        assert r.status_code == 202, r.text
        t0 = time.perf_counter()
        while True:
            got = self.client.get(f"/api/applications/{app_id}", headers=auth).json()
            files_done = all(f["status"] in ("done", "failed") for f in got["files"])
            if files_done and got["report"] is not None and got["state"] != "prechecking":
                return time.perf_counter() - t0, got
            if time.perf_counter() - t0 > 300:
                raise TimeoutError(app_id)
            time.sleep(0.01)

    def share_and_wait(
        self, auth: dict[str, str], app_id: str
    ) -> tuple[float, float, dict[str, Any]]:
        t0 = time.perf_counter()
        r = self.client.post(f"/api/applications/{app_id}/sharing", headers=auth)
        request_s = time.perf_counter() - t0
        assert r.status_code == 200 and r.json()["filled"] == ["property_certificate"], r.text
        while True:
            got = self.client.get(f"/api/applications/{app_id}", headers=auth).json()
            files_done = all(f["status"] in ("done", "failed") for f in got["files"])
            if files_done and got["report"] is not None and got["state"] != "prechecking":
                return time.perf_counter() - t0, request_s, got
            if time.perf_counter() - t0 > 300:
                raise TimeoutError(app_id)
            time.sleep(0.01)

    def verify_identity(self, user_id: str, name: str, id_number: str) -> None:
        """The embedded identity verification (a staff member checked the ID card)."""
        svc = self.services
        with transaction(svc.sessions) as s:
            user = s.get(User, user_id)
            assert user is not None
            identity = InPersonCheck().verify(
                InPersonCredential(name=name, id_number=id_number, staff="bench")
            )
            record_identity(
                s, user=user, identity=identity, cipher=svc.cipher, actor="bench", role="staff"
            )

    def stored_fields(self, app_id: str) -> dict[str, Any]:
        svc = self.services
        with svc.sessions() as s:
            up = s.scalar(
                select(Upload).where(
                    Upload.application_id == app_id, Upload.slot == "property_certificate"
                )
            )
            if up is None or up.document is None:
                return {}
            payload = svc.cipher.decrypt_json(up.document.fields_enc)
        doc = payload.get("document") or {"fields": {}}
        return {k: v["value"] for k, v in doc["fields"].items()}


def _truths(seed: int) -> tuple[Any, list[tuple[str, str, dict[str, Any]]]]:
    synthetic = build_application(seed=seed)
    docs = [(f.slot, s.doc_type, dict(s.fields)) for f in synthetic.files for s in f.samples]
    return synthetic, docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=910)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="paoyici-ereuse-") as tmp:
        settings = _settings(Path(tmp))
        app = create_app(settings)
        with TestClient(app) as client:
            b = Bench(client)
            ctx = b.services.job_context
            noon = dt.datetime.combine(d.REFERENCE_DATE, dt.time(4, 0), tzinfo=dt.UTC)
            ctx.clock = lambda: noon  # the synthetic ID cards' "today"
            reader = OcrReader(settings.ocr, data_dir=Path(tmp))
            t_load = time.perf_counter()
            reader.warm_up()
            load_s = time.perf_counter() - t_load
            ocr_calls: list[int] = []
            real_read = reader.read

            def counting_read(data: bytes, **kw: Any) -> Any:
                ocr_calls.append(len(data))
                return real_read(data, **kw)

            reader.read = counting_read  # type: ignore[method-assign]
            ctx.reader = reader

            # 1. the transfer, issued
            synthetic, docs = _truths(args.seed)
            auth, _ = b.citizen()
            first = b.new_application(auth)
            b.seed(first, docs)
            with transaction(b.services.sessions) as s:
                a = s.get(Application, first)
                assert a is not None
                for state in (State.PRECHECKING, State.READY, State.APPROVED):
                    move(s, a, state, actor="bench", role="reviewer")
            t_issue = time.perf_counter()
            issue_certificate(ctx, application_id=first)
            issue_s = time.perf_counter() - t_issue
            pdf = client.get(f"/api/applications/{first}/certificate", headers=auth).content
            with b.services.sessions() as s:
                row = s.scalar(select(Certificate).where(Certificate.application_id == first))
                assert row is not None
                number = row.number
            prop_truth = next(f for slot, _t, f in docs if slot == "property_certificate")
            owner = synthetic.buyers[0]
            face = {
                "certificate_number": number,
                "owners": [p.name for p in synthetic.buyers],
                "co_ownership": "单独所有",
                "location": prop_truth["location"],
                "unit_number": prop_truth["unit_number"],
                "area": prop_truth["area"],
            }
            prop = dataclasses.replace(
                d.random_property(random.Random(args.seed), owners=tuple(synthetic.buyers)),
                certificate_number=number,
                co_ownership="单独所有",
                location=face["location"],
                unit_number=face["unit_number"],
                area=face["area"],
            )
            buyer_synthetic, buyer_all = _truths(args.seed + 1)
            buyer = buyer_synthetic.buyers[0]
            seller_docs = [("seller_id_card", t, f) for sl, t, f in docs if sl == "buyer_id_card"]
            buyer_docs = [
                ("buyer_id_card", t, f) for sl, t, f in buyer_all if sl == "buyer_id_card"
            ]
            contract = {
                "sellers": [{"name": owner.name, "id_number": owner.id_number}],
                "buyers": [{"name": buyer.name, "id_number": buyer.id_number}],
                "location": face["location"],
                "certificate_number": number,
                "price": "2350000",
                "signed_date": "2026-05-20",
            }
            others = [*seller_docs, *buyer_docs, ("sale_contract", "sale_contract", contract)]

            sharer, sharer_id = b.citizen()
            b.verify_identity(sharer_id, owner.name, owner.id_number)

            rows: list[dict[str, Any]] = []
            for run in range(args.runs):
                clean = render_property_certificate(prop, seed=args.seed * 100 + run)
                jpeg = to_jpeg(photo(clean, seed=args.seed * 100 + run), quality=88)
                for path, name, data in (
                    ("photo", f"IMG_{run:04d}.jpg", jpeg),
                    ("e_certificate", "不动产权证书.pdf", pdf),
                ):
                    auth, _ = b.citizen()
                    app_id = b.new_application(auth)
                    b.seed(app_id, others)
                    before = len(ocr_calls)
                    seconds, got = b.upload_and_wait(auth, app_id, name, data)
                    stored = b.stored_fields(app_id)
                    exact = [k for k in FACE_FIELDS if stored.get(k) == face[k]]
                    [cf] = [f for f in got["files"] if f["slot"] == "property_certificate"]
                    rows.append(
                        {
                            "run": run,
                            "path": path,
                            "seconds": round(seconds, 4),
                            "verdict": got["report"]["verdict"],
                            "source": cf["source"],
                            "ocr_calls": len(ocr_calls) - before,
                            "fields_exact": len(exact),
                            "fields": len(FACE_FIELDS),
                            "wrong": sorted(set(FACE_FIELDS) - set(exact)),
                            "bytes": len(data),
                        }
                    )
                    print(
                        f"run {run} {path:13s} {seconds:8.3f}s verdict={rows[-1]['verdict']:12s}"
                        f" source={cf['source']:13s} ocr_calls={rows[-1]['ocr_calls']}"
                        f" exact={len(exact)}/{len(FACE_FIELDS)} wrong={rows[-1]['wrong']}",
                        flush=True,
                    )
                app_id = b.new_application(sharer)
                b.seed(app_id, others)
                before = len(ocr_calls)
                seconds, request_s, got = b.share_and_wait(sharer, app_id)
                stored = b.stored_fields(app_id)
                exact = [k for k in FACE_FIELDS if stored.get(k) == face[k]]
                [cf] = [f for f in got["files"] if f["slot"] == "property_certificate"]
                rows.append(
                    {
                        "run": run,
                        "path": "shared",
                        "seconds": round(seconds, 4),
                        "request_s": round(request_s, 4),
                        "verdict": got["report"]["verdict"],
                        "source": cf["source"],
                        "ocr_calls": len(ocr_calls) - before,
                        "fields_exact": len(exact),
                        "fields": len(FACE_FIELDS),
                        "wrong": sorted(set(FACE_FIELDS) - set(exact)),
                        "bytes": cf["size"],
                    }
                )
                print(
                    f"run {run} {'shared':13s} {seconds:8.3f}s verdict={rows[-1]['verdict']:12s}"
                    f" source={cf['source']:13s} ocr_calls={rows[-1]['ocr_calls']}"
                    f" exact={len(exact)}/{len(FACE_FIELDS)} wrong={rows[-1]['wrong']}"
                    f" (POST {request_s:.3f}s)",
                    flush=True,
                )

    summary: dict[str, Any] = {}
    for path in ("photo", "e_certificate", "shared"):
        mine = [r for r in rows if r["path"] == path]
        summary[path] = {
            "median_s": round(statistics.median(r["seconds"] for r in mine), 4),
            "max_s": round(max(r["seconds"] for r in mine), 4),
            "fields_exact": sum(r["fields_exact"] for r in mine),
            "fields": sum(r["fields"] for r in mine),
            "ready": sum(r["verdict"] == "ready" for r in mine),
            "runs": len(mine),
        }
    print()
    print(f"{'path':14s} {'median s':>9s} {'max s':>8s} {'exact fields':>13s} {'ready':>6s}")
    for path, s in summary.items():
        print(
            f"{path:14s} {s['median_s']:9.3f} {s['max_s']:8.3f}"
            f" {s['fields_exact']:>6d}/{s['fields']:<6d} {s['ready']:>3d}/{s['runs']}"
        )
    out = {
        "benchmark": "ereuse",
        "at": dt.datetime.now(dt.UTC).isoformat(),
        "machine": {"python": platform.python_version(), "cpu": platform.processor()},
        "ocr_load_s": round(load_s, 2),
        "issue_s": round(issue_s, 3),
        "rows": rows,
        "summary": summary,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ereuse.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
