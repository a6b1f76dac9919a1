"""Every log record of a whole journey on real OCR (register, upload the materials, pre-check,
submit, a reviewer's claim, crops, confirmations and approval, the signed certificate, delivery
by courier, logout), captured at DEBUG from every logger, holds no ID number, phone number,
password, token or key: neither the ones this journey used nor anything shaped like them."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from cases import accounts, transaction
from ocr.validators import is_valid_id_number
from synthdocs.applications import build_application
from tests.api.service_fixtures import Running, running_service

pytestmark = pytest.mark.slow

PHONE = "13857104321"
PASSWORD = "citizen-pass-1"
REVIEWER_PASSWORD = "review-pass-1"

_ID_SHAPED = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
_PHONE_SHAPED = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_JWT_SHAPED = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")
_BEARER = re.compile(r"Bearer\s+\S{12,}", re.IGNORECASE)
_PEM_KEY = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception as e:  # a record that cannot be formatted is still evidence
            self.lines.append(f"{record.name} {record.msg!r} {record.args!r} ({e})")


@pytest.fixture
def captured() -> Iterator[_Everything]:
    """Every record of every logger reaches the handler, whatever an earlier configuration of
    the session set (levels, disabled loggers, propagation)."""
    handler = _Everything()
    root = logging.getLogger()
    saved = [(root, root.level, root.disabled, root.propagate)]
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            saved.append((logger, logger.level, logger.disabled, logger.propagate))
            logger.setLevel(logging.NOTSET)
            logger.disabled = False
            logger.propagate = True
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        for logger, level, disabled, propagate in saved:
            logger.setLevel(level)
            logger.disabled = disabled
            logger.propagate = propagate


@pytest.fixture
def svc(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Iterator[Running]:
    yield from running_service(tmp_path_factory.mktemp("log-hygiene"), pipeline)


def _journey(svc: Running) -> dict[str, list[str]]:
    """Run the journey; return the secrets it handled, by kind."""
    c = svc.client
    with transaction(svc.services.sessions) as s:
        accounts.create_user(
            s,
            username="log-reviewer",
            password=REVIEWER_PASSWORD,
            role="reviewer",
            matters=["second-hand-house-transfer"],
        )
    r = c.post("/api/auth/token", data={"username": "log-reviewer", "password": REVIEWER_PASSWORD})
    reviewer_token = r.json()["access_token"]
    reviewer = {"Authorization": f"Bearer {reviewer_token}"}
    citizen = svc.citizen("log-citizen", PASSWORD)
    synthetic = build_application(seed=1107)
    app = svc.new_application(citizen, **dict(synthetic.answers))
    for f in synthetic.files:
        r = c.post(
            f"/api/applications/{app['id']}/files",
            data={"slot": f.slot},
            files={"file": (f.filename, f.data, "application/octet-stream")},
            headers=citizen,
        )
        assert r.status_code == 202, r.text
    svc.settle()
    assert c.get(f"/api/applications/{app['id']}", headers=citizen).status_code == 200
    assert c.post(f"/api/applications/{app['id']}/submit", headers=citizen).status_code == 200

    path = f"/api/review/applications/{app['id']}"
    assert c.post(f"{path}/claim", headers=reviewer).status_code == 200
    view = c.get(path, headers=reviewer).json()
    for flag in view["flags"]:
        if flag["crop_url"]:
            assert c.get(flag["crop_url"], headers=reviewer).status_code == 200
        r = c.post(
            f"{path}/fields",
            json={"file": flag["file"], "field": flag["field"], "action": "confirm"},
            headers=reviewer,
        )
        assert r.status_code == 200, r.text
    svc.settle()
    r = c.post(f"{path}/decision", json={"decision": "approve"}, headers=reviewer)
    assert r.status_code == 200, r.text
    svc.settle()
    done = c.get(f"/api/applications/{app['id']}", headers=citizen).json()
    assert done["state"] == "issued", done["state"]
    r = c.post(
        f"/api/applications/{app['id']}/delivery",
        json={
            "method": "courier",
            "carrier": "sf",
            "recipient": {
                "name": "王小明",
                "phone": PHONE,
                "province": "浙江省",
                "city": "杭州市",
                "district": "西湖区",
                "address": "文三路 90 号 1 幢 201 室",
            },
        },
        headers=citizen,
    )
    assert r.status_code == 201, r.text
    svc.settle()
    citizen_token = citizen["Authorization"].split()[1]
    assert c.post("/api/auth/logout", headers=citizen).status_code == 204
    assert c.get("/api/applications", headers=citizen).status_code == 401

    people = [*synthetic.sellers, *synthetic.buyers]
    if synthetic.agent is not None:
        people.append(synthetic.agent)
    settings = svc.services.settings
    keys = [
        settings.api.secret_key,
        settings.database.encryption_key,
        settings.storage.presign_secret.get_secret_value(),
        settings.storage.s3_secret_key.get_secret_value(),
    ]
    return {
        "id number": [p.id_number for p in people],
        "phone number": [PHONE],
        "token": [citizen_token, reviewer_token],
        "password": [PASSWORD, REVIEWER_PASSWORD],
        "key": [k for k in keys if k],
    }


def test_no_personal_data_token_or_key_in_any_log_of_a_journey(
    svc: Running, captured: _Everything
) -> None:
    secrets = _journey(svc)
    text = "\n".join(captured.lines)
    assert len(captured.lines) > 50, "the journey logged almost nothing: is capture working?"
    leaks = [
        f"{kind} {value[:6]}… in: {line[:200]}"
        for kind, values in secrets.items()
        for value in values
        for line in captured.lines
        if value in line
    ]
    for name, shaped in [
        ("ID-number-shaped", _ID_SHAPED),
        ("phone-shaped", _PHONE_SHAPED),
        ("JWT-shaped", _JWT_SHAPED),
        ("bearer", _BEARER),
        ("private key", _PEM_KEY),
    ]:
        for m in shaped.finditer(text):
            if name == "ID-number-shaped" and not is_valid_id_number(m.group().upper()):
                continue
            start = text.rfind("\n", 0, m.start()) + 1
            leaks.append(f"{name} in: {text[start : start + 200]}")
    assert not leaks, "\n".join(leaks[:20])
