"""The sharing button on the citizen's application page (数据共享): offered once the identity is
verified, shown masked; pressing it asks the library and says what it found, in words."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from cases import transaction
from cases.identity import InPersonCheck, InPersonCredential, record_identity
from cases.models import AuditEvent, User
from ocr.validators import id_check_char
from tests.web.conftest import csrf_of
from tests.web.test_citizen import _register, _start

NUMBER = "33010619881111002" + id_check_char("33010619881111002")


def test_the_sharing_button_needs_a_verified_identity(client: TestClient) -> None:
    _register(client, "sharing-web-1")
    url = _start(client)
    page = client.get(url).text
    assert "完成实名认证" in page and "授权调取我的电子证照" not in page
    app_id = url.rsplit("/", 1)[-1]
    # pressing it anyway (an old page): told why, nothing shared
    r = client.post(f"{url}/sharing", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == url
    assert "尚未完成实名认证" in client.get(url).text

    services = client.app.state.services  # type: ignore[attr-defined]
    with transaction(services.sessions) as s:
        user = s.scalar(select(User).where(User.username == "sharing-web-1"))
        assert user is not None
        record_identity(
            s,
            user=user,
            identity=InPersonCheck().verify(
                InPersonCredential(name="王小明", id_number=NUMBER, staff="window")
            ),
            cipher=services.cipher,
            actor="window",
            role="staff",
        )
    page = client.get(url).text
    assert "授权调取我的电子证照" in page and NUMBER not in page and NUMBER[-4:] in page
    r = client.post(f"{url}/sharing", data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert r.status_code == 303
    assert "电子证照库中没有可用于本申请的其他证照" in client.get(url).text
    with services.sessions() as s:
        audited = s.scalars(
            select(AuditEvent).where(
                AuditEvent.subject_id == app_id, AuditEvent.action == "application.sharing"
            )
        ).all()
    assert [e.data["filled"] for e in audited] == [[]]
