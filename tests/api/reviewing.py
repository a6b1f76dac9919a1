"""A world for the review tests: accounts of every role, signed in, and seeded submitted cases
(a stored ID-card image, its document row with an uncertain ID number, a report)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.app import create_app
from cases import accounts, transaction
from cases.models import Application, Document, Upload
from jobs import JobsSettings
from ocr.document import DocType, Quality
from ocr.document import Document as OcrDocument
from ocr.document import Field as OcrField
from precheck.intake import document_to_dict
from signing import SigningSettings
from storage import Bucket
from tests.api.conftest import make_settings

MATTER = "second-hand-house-transfer"
OTHER_MATTER = "social-security-card"
PASSWORD = "review-pass-1"
ID_NUMBER = "330106198503120016"


@dataclass
class World:
    client: TestClient
    tokens: dict[str, dict[str, str]]
    users: dict[str, str]  # username → id

    @property
    def services(self) -> Any:
        return self.client.app.state.services  # type: ignore[attr-defined]


def card_png() -> bytes:
    img = Image.new("RGB", (800, 500), "white")
    img.paste((30, 30, 30), (300, 400, 700, 440))  # where the ID number is printed
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _document(fields: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a read document (as the reading job writes it)."""
    doc = OcrDocument(
        doc_type=DocType.ID_CARD_FRONT,
        confidence=0.95,
        pages=1,
        quality=Quality(ok=True),
        fields={
            k: OcrField(
                value=v["value"], confidence=v["confidence"], page=v["page"], box=tuple(v["box"])
            )
            for k, v in fields.items()
        },
    )
    return document_to_dict(doc)


def make_world(
    tmp_path_factory: pytest.TempPathFactory, name: str, **api: object
) -> Iterator[World]:
    # certificates signed at B-B: the loopback TSA/OCSP of the embedded PKI needs a real server
    settings = dataclasses.replace(
        make_settings(tmp_path_factory.mktemp(name), **api),
        jobs=JobsSettings(warm_up=False, poll_s=0.2, retry_base_s=0.2),
        signing=SigningSettings(level="B-B"),
    )
    app = create_app(settings)
    with TestClient(app) as client:
        services = app.state.services
        users: dict[str, str] = {}
        with transaction(services.sessions) as s:
            for username, role, matters in [
                ("citizen-a", "citizen", []),
                ("citizen-b", "citizen", []),
                ("reviewer-1", "reviewer", [MATTER]),
                ("reviewer-2", "reviewer", [MATTER]),
                ("reviewer-other", "reviewer", [OTHER_MATTER]),
                ("supervisor", "supervisor", []),
                ("admin", "admin", []),
            ]:
                u = accounts.create_user(
                    s, username=username, password=PASSWORD, role=role, matters=matters
                )
                users[username] = u.id
        yield World(client, sign_in(client, users), users)


def sign_in(client: TestClient, usernames: Iterable[str]) -> dict[str, dict[str, str]]:
    """A bearer header per user, each signed in with the test password."""
    tokens = {}
    for username in usernames:
        r = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    return tokens


def seed_case(
    world: World,
    *,
    owner: str = "citizen-a",
    matter: str = MATTER,
    state: str = "needs_review",
    submitted: bool = True,
    due_in: timedelta | None = timedelta(days=2),
) -> tuple[str, str]:
    """A submitted case with one ID-card upload whose number was read uncertainly."""
    services = world.services
    now = datetime.now(UTC)
    data = card_png()
    with transaction(services.sessions) as s:
        app = Application(
            matter_id=matter,
            answers={},
            state=state,
            verdict="needs_review",
            owner_id=world.users[owner],
            submitted_at=now - timedelta(hours=1) if submitted else None,
            due_at=now + due_in if (submitted and due_in is not None) else None,
        )
        s.add(app)
        s.flush()
        info = services.store.put_content(kind=Bucket.UPLOADS, prefix=app.id, data=data)
        up = Upload(
            application_id=app.id,
            slot="seller_id_card",
            filename="card.png",
            content_type="image/png",
            size=len(data),
            sha256=info.sha256,
            object_key=info.key,
            status="done",
        )
        s.add(up)
        s.flush()
        fields = {
            "name": {"value": "张三", "confidence": 0.99, "page": 0, "box": [300, 100, 420, 140]},
            "id_number": {
                "value": ID_NUMBER,
                "confidence": 0.55,
                "page": 0,
                "box": [300, 400, 700, 440],
            },
        }
        s.add(
            Document(
                upload_id=up.id,
                sha256=info.sha256,
                doc_type="id_card_front",
                confidence=0.95,
                pages=1,
                quality={"ok": True, "issues": []},
                fields_enc=services.cipher.encrypt_json({"document": _document(fields)}),
            )
        )
        masked = {k: dict(v) for k, v in fields.items()}
        masked["id_number"]["value"] = "330***********0016"
        app.report = {
            "matter": matter,
            "verdict": "needs_review",
            "findings": [
                {
                    "code": "low_confidence",
                    "severity": "warning",
                    "slot": "seller_id_card",
                    "field": "id_number",
                    "message": "身份证号码识别置信度低，需人工确认",
                    "evidence": [{"file": 0, "page": 0, "box": [300, 400, 700, 440]}],
                }
            ],
            "documents": [
                {"file": 0, "slot": "seller_id_card", "doc_type": "id_card_front", "fields": masked}
            ],
            "checklist": [],
        }
        return app.id, str(up.id)


def get(world: World, who: str, path: str, **kw: Any) -> Any:
    return world.client.get(path, headers=world.tokens[who], **kw)


def post(world: World, who: str, path: str, **kw: Any) -> Any:
    return world.client.post(path, headers=world.tokens[who], **kw)
