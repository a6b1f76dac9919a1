"""证照复用: a certificate this service issued is the property certificate of the next sale.

A transfer is approved and issued (its documents seeded as read, its certificate really rendered,
signed and registered); the PDF is then uploaded as the ``property_certificate`` of a new sale
whose seller is the buyer of the first. The OCR pipeline of this service raises: a verified
e-certificate is read from its signed data, and a broken one is never OCR'd either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bench.harness import seed_read_uploads
from cases import State, move, transaction
from cases.identity import InPersonCheck, InPersonCredential, record_identity
from cases.models import Application, AuditEvent, Certificate, Upload, User
from jobs.applications import checklist_view
from jobs.checking import precheck_application
from jobs.issuing import certificate_meta, issue_certificate
from jobs.sharing import fill_from_library, library_of
from ocr.validators import id_check_char
from signing import CertificateRenderer, PadesSigner, Pkcs12KeySource, SignatureLevel
from signing.library import CertificateLibrary, LibrarySettings, SharingPlatformLibrary
from signing.testing import init_test_pki
from synthdocs.applications import build_application
from synthdocs.data import REFERENCE_DATE
from tests.api.service_fixtures import Running, running_service

MATTER = "second-hand-house-transfer"


class NoOcr:
    """An OCR pipeline that must not be used."""

    def analyze(self, data: bytes, **_: Any) -> Any:
        raise AssertionError("OCR called on an e-certificate")


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    noon = dt.datetime.combine(REFERENCE_DATE, dt.time(4, 0), tzinfo=dt.UTC)
    for running in running_service(tmp_path_factory.mktemp("reuse"), NoOcr()):
        running.services.job_context.clock = lambda: noon  # the synthetic cards' "today"
        yield running


def _truths(seed: int) -> tuple[Any, list[tuple[str, str, dict[str, Any]]]]:
    """A synthetic application and the golden fields of each of its documents."""
    synthetic = build_application(seed=seed)
    docs = [(f.slot, s.doc_type, dict(s.fields)) for f in synthetic.files for s in f.samples]
    return synthetic, docs


def _seed(svc: Running, app_id: str, docs: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Uploads already read (as the reading job leaves them), without OCR."""
    seed_read_uploads(svc.services, app_id, docs)


@dataclasses.dataclass(frozen=True)
class Issued:
    pdf: bytes
    identifier: str
    face: dict[str, Any]
    new_owner: Any  # the buyer of the transfer, owner on the new title


@pytest.fixture(scope="module")
def issued(svc: Running) -> Issued:
    """A transfer approved and issued: the buyers hold the new 不动产权证书."""
    synthetic, docs = _truths(810)
    auth = svc.citizen("transfer-owner")
    app = svc.new_application(auth)
    _seed(svc, app["id"], docs)
    with transaction(svc.services.sessions) as s:
        a = s.get(Application, app["id"])
        assert a is not None
        for state in (State.PRECHECKING, State.READY, State.APPROVED):
            move(s, a, state, actor="reviewer", role="reviewer")
    issue_certificate(svc.services.job_context, application_id=app["id"])
    pdf = svc.client.get(f"/api/applications/{app['id']}/certificate", headers=auth)
    assert pdf.status_code == 200
    with svc.services.sessions() as s:
        row = s.scalar(select(Certificate).where(Certificate.application_id == app["id"]))
        assert row is not None
        number = row.number
    prop = next(f for slot, _t, f in docs if slot == "property_certificate")
    face = {
        "certificate_number": number,
        "owners": [b.name for b in synthetic.buyers],
        "co_ownership": "单独所有",
        "location": prop["location"],
        "unit_number": prop["unit_number"],
        "area": prop["area"],
    }
    return Issued(pdf.content, row.identifier, face, synthetic.buyers[0])


def _person_docs(seed: int, slot: str, source_slot: str) -> list[tuple[str, str, dict[str, Any]]]:
    _, docs = _truths(seed)
    return [(slot, t, f) for s, t, f in docs if s == source_slot]


def _sale_of(
    svc: Running, issued: Issued, who: str, *, location: str | None = None
) -> tuple[dict[str, str], str]:
    """A new sale by the new owner (its ID card and contract seeded as read); the property
    certificate slot is left for the test."""
    owner = issued.new_owner
    seller_docs = _person_docs(810, "seller_id_card", "buyer_id_card")
    buyer_synthetic, _ = _truths(811)
    buyer = buyer_synthetic.buyers[0]
    buyer_docs = _person_docs(811, "buyer_id_card", "buyer_id_card")
    contract = {
        "sellers": [{"name": owner.name, "id_number": owner.id_number}],
        "buyers": [{"name": buyer.name, "id_number": buyer.id_number}],
        "location": location or issued.face["location"],
        "certificate_number": issued.face["certificate_number"],
        "price": "2350000",
        "signed_date": "2026-05-20",
    }
    auth = svc.citizen(who)
    app = svc.new_application(auth)
    _seed(svc, app["id"], [*seller_docs, *buyer_docs, ("sale_contract", "sale_contract", contract)])
    return auth, app["id"]


def _upload_certificate(svc: Running, auth: dict[str, str], app_id: str, pdf: bytes) -> Any:
    r = svc.client.post(
        f"/api/applications/{app_id}/files",
        data={"slot": "property_certificate"},
        files={"file": ("不动产权证书.pdf", pdf, "application/pdf")},
        headers=auth,
    )
    assert r.status_code == 202, r.text
    svc.settle()
    return svc.client.get(f"/api/applications/{app_id}", headers=auth).json()


def _stored_fields(svc: Running, app_id: str) -> dict[str, Any]:
    with svc.services.sessions() as s:
        up = s.scalar(
            select(Upload).where(
                Upload.application_id == app_id, Upload.slot == "property_certificate"
            )
        )
        assert up is not None and up.document is not None
        doc = svc.services.cipher.decrypt_json(up.document.fields_enc)["document"]
    return {k: v["value"] for k, v in doc["fields"].items()} | {
        "_confidences": sorted({v["confidence"] for v in doc["fields"].values()})
    }


def test_uploaded_e_certificate_is_read_without_ocr_and_ready(svc: Running, issued: Issued) -> None:
    auth, app_id = _sale_of(svc, issued, "reuse-upload")
    got = _upload_certificate(svc, auth, app_id, issued.pdf)
    assert svc.reads == []  # no OCR call at all
    [cert_file] = [f for f in got["files"] if f["slot"] == "property_certificate"]
    assert (
        cert_file["source"] == "e_certificate" and cert_file["doc_type"] == "property_certificate"
    )
    fields = _stored_fields(svc, app_id)
    assert fields.pop("_confidences") == [1.0]
    assert fields == issued.face
    assert got["report"]["verdict"] == "ready", got["report"]["findings"]
    assert got["state"] == "ready"


def test_shared_lookup_fills_the_property_certificate_without_ocr(
    svc: Running, issued: Issued
) -> None:
    auth, app_id = _sale_of(svc, issued, "reuse-shared")
    ctx = svc.services.job_context
    with ctx.sessions() as s:
        owner_id = s.scalar(select(Application.owner_id).where(Application.id == app_id))
    assert owner_id is not None
    # someone else's ID number finds nothing
    none = fill_from_library(
        ctx,
        owner_id=owner_id,
        actor=owner_id,
        application_id=app_id,
        holder_code="330106198001010011",
    )
    assert none == []
    filled = fill_from_library(
        ctx,
        owner_id=owner_id,
        actor=owner_id,
        application_id=app_id,
        holder_code=issued.new_owner.id_number,
    )
    assert filled == ["property_certificate"]
    svc.settle()
    got = svc.client.get(f"/api/applications/{app_id}", headers=auth).json()
    assert svc.reads == []
    [cert_file] = [f for f in got["files"] if f["slot"] == "property_certificate"]
    assert cert_file["source"] == "shared" and cert_file["status"] == "done"
    fields = _stored_fields(svc, app_id)
    assert fields.pop("_confidences") == [1.0]
    assert fields == issued.face
    assert got["report"]["verdict"] == "ready", got["report"]["findings"]
    assert got["report"]["shared"] == ["property_certificate"]
    [item] = [i for i in got["report"]["checklist"] if i["slot"] == "property_certificate"]
    assert item["note"] == "可免提交：已通过数据共享获取"
    with ctx.sessions() as s:
        a = s.get(Application, app_id)
        assert a is not None
        [listed] = [i for i in checklist_view(ctx, a) if i["slot"] == "property_certificate"]
    assert listed["note"] == "可免提交：已通过数据共享获取" and listed["shared"] is True
    # a filled slot is not filled twice
    again = fill_from_library(
        ctx,
        owner_id=owner_id,
        actor=owner_id,
        application_id=app_id,
        holder_code=issued.new_owner.id_number,
    )
    assert again == []


class TamperingLibrary:
    """A library (the real protocol) whose transport changed a byte of the certificate."""

    def __init__(self, inner: CertificateLibrary) -> None:
        self.inner = inner

    def holder_certificates(self, *, holder_code: str, doc_types: Any) -> Any:
        return self.inner.holder_certificates(holder_code=holder_code, doc_types=doc_types)

    def fetch(self, identifier: str) -> bytes:
        pdf = self.inner.fetch(identifier)
        at = pdf.index(b"face:value>") + 12
        return pdf[:at] + bytes([pdf[at] ^ 1]) + pdf[at + 1 :]


def test_a_shared_certificate_that_does_not_verify_fills_nothing(
    svc: Running, issued: Issued
) -> None:
    _auth, app_id = _sale_of(svc, issued, "reuse-shared-tampered")
    ctx = svc.services.job_context
    with ctx.sessions() as s:
        owner_id = s.scalar(select(Application.owner_id).where(Application.id == app_id))
    assert owner_id is not None
    ctx.extras["certificate_library"] = TamperingLibrary(library_of(ctx))
    try:
        assert ctx.extras["certificate_library"].holder_certificates(
            holder_code=issued.new_owner.id_number, doc_types=["property_certificate"]
        )
        filled = fill_from_library(
            ctx,
            owner_id=owner_id,
            actor=owner_id,
            application_id=app_id,
            holder_code=issued.new_owner.id_number,
        )
    finally:
        del ctx.extras["certificate_library"]
    assert filled == []
    with ctx.sessions() as s:
        slots = s.scalars(select(Upload.slot).where(Upload.application_id == app_id)).all()
    assert "property_certificate" not in slots


def test_a_conflict_names_both_sources(svc: Running, issued: Issued) -> None:
    other = issued.face["location"].replace("1幢", "9幢").replace("号", "号9", 1)
    assert other != issued.face["location"]
    auth, app_id = _sale_of(svc, issued, "reuse-conflict", location=other)
    got = _upload_certificate(svc, auth, app_id, issued.pdf)
    assert got["report"]["verdict"] == "needs_fix"
    [mismatch] = [
        f
        for f in got["report"]["findings"]
        if f["code"] == "field_mismatch" and f["field"] == "location"
    ]
    assert "已核验的电子证照" in mismatch["message"] and "上传的文件" in mismatch["message"]
    assert svc.reads == []


def _expect_finding(got: dict[str, Any], code: str, words: str) -> None:
    assert got["report"]["verdict"] != "ready" and got["state"] != "ready"
    [finding] = [f for f in got["report"]["findings"] if f["slot"] == "property_certificate"]
    assert finding["code"] == code and finding["severity"] == "error"
    assert words in finding["message"]
    [cert_file] = [f for f in got["files"] if f["slot"] == "property_certificate"]
    assert cert_file["source"] == "upload"


def test_a_one_byte_change_is_certificate_invalid(svc: Running, issued: Issued) -> None:
    at = issued.pdf.index(issued.face["area"].encode())
    tampered = issued.pdf[:at] + b"8" + issued.pdf[at + 1 :]
    assert tampered != issued.pdf
    auth, app_id = _sale_of(svc, issued, "reuse-tampered")
    got = _upload_certificate(svc, auth, app_id, tampered)
    _expect_finding(got, "certificate_invalid", "改动")
    assert svc.reads == []


def test_an_untrusted_pki_is_certificate_invalid_saying_not_trusted(
    svc: Running, issued: Issued, tmp_path: Path
) -> None:
    other = init_test_pki(directory=tmp_path / "other-pki", with_rsa_seal=False)
    ctx = svc.services.job_context
    with ctx.sessions() as s:
        row = s.scalar(select(Certificate).where(Certificate.identifier == issued.identifier))
        assert row is not None and row.application_id is not None
        a = s.get(Application, row.application_id)
        assert a is not None
        meta = certificate_meta(ctx, a, serial=row.serial, issued_on=row.issued_on)
    renderer = CertificateRenderer(verify_base_url="http://127.0.0.1:9")
    signer = PadesSigner(key_source=Pkcs12KeySource(other.seal_p12, passphrase=other.passphrase))
    forged = signer.sign(renderer.render(meta), level=SignatureLevel.B_B)
    auth, app_id = _sale_of(svc, issued, "reuse-untrusted")
    got = _upload_certificate(svc, auth, app_id, forged)
    _expect_finding(got, "certificate_invalid", "受信任")
    assert svc.reads == []


# --- sharing over HTTP: the signed-in citizen's verified identity authorises the lookup -------


def _verify(svc: Running, username: str, name: str, id_number: str) -> None:
    """The embedded identity verification (a staff member checked the ID card in person)."""
    with transaction(svc.services.sessions) as s:
        user = s.scalar(select(User).where(User.username == username))
        assert user is not None
        record_identity(
            s,
            user=user,
            identity=InPersonCheck().verify(
                InPersonCredential(name=name, id_number=id_number, staff="window-1")
            ),
            cipher=svc.services.cipher,
            actor="window-1",
            role="staff",
        )


def _uploads(svc: Running, app_id: str) -> list[tuple[str, str]]:
    with svc.services.sessions() as s:
        rows = s.scalars(select(Upload).where(Upload.application_id == app_id)).all()
        return sorted((u.slot, u.source) for u in rows)


def _events(svc: Running, app_id: str, action: str) -> list[dict[str, Any]]:
    with svc.services.sessions() as s:
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.subject_id == app_id, AuditEvent.action == action)
        ).all()
        return [dict(r.data or {}) for r in rows]


def test_sharing_over_http_is_ready_without_ocr_and_idempotent(
    svc: Running, issued: Issued
) -> None:
    owner = issued.new_owner
    auth, app_id = _sale_of(svc, issued, "reuse-sharer")
    before = _uploads(svc, app_id)
    # not verified: refused, nothing written
    r = svc.client.post(f"/api/applications/{app_id}/sharing", headers=auth)
    assert r.status_code == 403 and r.json()["error"] == "identity_not_verified", r.text
    assert "实名认证" in r.json()["message"]
    assert _uploads(svc, app_id) == before and _events(svc, app_id, "application.sharing") == []
    me = svc.client.get("/api/auth/me", headers=auth).json()
    assert me["identity"]["verified"] is False

    _verify(svc, "reuse-sharer", owner.name, owner.id_number)
    me = svc.client.get("/api/auth/me", headers=auth).json()["identity"]
    assert me["verified"] is True and me["name"] == owner.name
    assert me["id_number"] != owner.id_number and me["id_number"][-4:] == owner.id_number[-4:]
    assert owner.id_number not in svc.client.get("/api/auth/me", headers=auth).text

    r = svc.client.post(f"/api/applications/{app_id}/sharing", headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["filled"] == ["property_certificate"]
    assert r.json()["shared"] == ["property_certificate"]
    svc.settle()
    got = svc.client.get(f"/api/applications/{app_id}", headers=auth).json()
    assert svc.reads == []  # no OCR call at all
    [cert_file] = [f for f in got["files"] if f["slot"] == "property_certificate"]
    assert cert_file["source"] == "shared" and cert_file["status"] == "done"
    fields = _stored_fields(svc, app_id)
    assert fields.pop("_confidences") == [1.0]
    assert fields == issued.face
    assert got["state"] == "ready" and got["report"]["verdict"] == "ready", got["report"]
    assert got["report"]["shared"] == ["property_certificate"]
    [item] = [i for i in got["report"]["checklist"] if i["slot"] == "property_certificate"]
    assert item["note"] == "可免提交：已通过数据共享获取"
    # the applicant of record is prefilled from the verified identity
    with svc.services.sessions() as s:
        a = s.get(Application, app_id)
        assert a is not None and a.applicant_name == owner.name
        assert svc.services.cipher.decrypt(a.applicant_id_enc or b"").decode() == owner.id_number

    # again: nothing more is filled, nothing duplicated, the verdict stands
    files = _uploads(svc, app_id)
    again = svc.client.post(f"/api/applications/{app_id}/sharing", headers=auth)
    assert again.status_code == 200, again.text
    assert again.json()["filled"] == [] and again.json()["shared"] == ["property_certificate"]
    svc.settle()
    assert _uploads(svc, app_id) == files
    assert svc.client.get(f"/api/applications/{app_id}", headers=auth).json()["state"] == "ready"
    audited = _events(svc, app_id, "application.sharing")
    assert [e["filled"] for e in audited] == [["property_certificate"], []]
    assert all(e["holder"] != owner.id_number for e in audited)


def test_sharing_while_the_library_is_down_is_503_and_writes_nothing(
    svc: Running, issued: Issued
) -> None:
    owner = issued.new_owner
    auth, app_id = _sale_of(svc, issued, "reuse-sharer")  # verified by the test above, or now
    with svc.services.sessions() as s:
        verified = s.scalar(select(User.identity_id_enc).where(User.username == "reuse-sharer"))
    if verified is None:
        _verify(svc, "reuse-sharer", owner.name, owner.id_number)
    before = _uploads(svc, app_id)
    ctx = svc.services.job_context
    # the province's platform adapter, at an address where nothing listens
    down = SharingPlatformLibrary(
        LibrarySettings(base_url="http://127.0.0.1:9/api", app_key="k", app_secret="s", timeout_s=2)
    )
    ctx.extras["certificate_library"] = down
    try:
        r = svc.client.post(f"/api/applications/{app_id}/sharing", headers=auth)
    finally:
        del ctx.extras["certificate_library"]
        down.close()
    assert r.status_code == 503 and r.json()["error"] == "library_unavailable", r.text
    assert "电子证照库" in r.json()["message"]
    assert _uploads(svc, app_id) == before
    assert _events(svc, app_id, "application.sharing") == []


def _valid_id(body17: str) -> str:
    return body17 + id_check_char(body17)


def test_an_applicant_who_is_no_party_gets_applicant_not_party(
    svc: Running, issued: Issued
) -> None:
    stranger = _valid_id("33010619900101123")
    auth, app_id = _sale_of(svc, issued, "reuse-stranger")
    _verify(svc, "reuse-stranger", "王五", stranger)
    got = _upload_certificate(svc, auth, app_id, issued.pdf)  # all materials clean and exact
    assert svc.reads == []
    assert got["report"]["verdict"] == "needs_fix" and got["state"] == "needs_fix"
    [finding] = [f for f in got["report"]["findings"] if f["code"] == "applicant_not_party"]
    assert finding["severity"] == "error" and "王五" in finding["message"]
    assert "当事人" in finding["message"] and stranger not in json.dumps(got["report"])
    # everything else about the application is in order: it is the only finding
    assert {f["code"] for f in got["report"]["findings"]} == {"applicant_not_party"}


def test_superseded_then_revoked(svc: Running, issued: Issued) -> None:
    ctx = svc.services.job_context
    with ctx.sessions() as s:
        row = s.scalar(select(Certificate).where(Certificate.identifier == issued.identifier))
        assert row is not None and row.application_id is not None
        a = s.get(Application, row.application_id)
        assert a is not None
        meta = certificate_meta(ctx, a, serial=row.serial, issued_on=row.issued_on)
    earlier_auth, earlier = _sale_of(svc, issued, "reuse-earlier")
    assert _upload_certificate(svc, earlier_auth, earlier, issued.pdf)["state"] == "ready"
    v2 = dataclasses.replace(meta, identifier=dataclasses.replace(meta.identifier, version=2))
    ctx.registry.register(v2, actor="registrar", supersedes=issued.identifier)
    # a case read before the certificate was superseded is no longer ready at its next check
    precheck_application(ctx, application_id=earlier)
    again = svc.client.get(f"/api/applications/{earlier}", headers=earlier_auth).json()
    assert again["state"] == "needs_fix"
    assert "certificate_revoked" in {f["code"] for f in again["report"]["findings"]}
    auth, app_id = _sale_of(svc, issued, "reuse-superseded")
    got = _upload_certificate(svc, auth, app_id, issued.pdf)
    _expect_finding(got, "certificate_revoked", "新版本")

    ctx.registry.revoke(issued.identifier, actor="registrar", reason="登记错误")
    auth, app_id = _sale_of(svc, issued, "reuse-revoked")
    got = _upload_certificate(svc, auth, app_id, issued.pdf)
    _expect_finding(got, "certificate_revoked", "注销")
    assert svc.reads == []
