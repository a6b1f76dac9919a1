"""The pages over HTTP (no browser): safety headers, sessions and CSRF, the matter → questions →
checklist journey, and certificate verification in every registry state."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.web.app import install_web
from api.web.sessions import SESSION_COOKIE
from tests.api.conftest import make_settings
from tests.web.conftest import Certificates, csrf_of

MATTER = "second-hand-house-transfer"
ALL_NO = {"seller_married": "no", "via_agent": "no", "first_home_tax_relief": "no"}


class _PageAudit(HTMLParser):
    """Collects what the CSP and the accessibility rules forbid or require in markup."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[tuple[str, str | None]] = []
        self._in_label = 0
        self.lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"] or "")
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append((tag, a.get("id")) if not self._in_label else (tag, "<wrapped>"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._in_label -= 1

    def unlabelled(self) -> list[str]:
        return [
            f"<{tag} id={id_}>"
            for tag, id_ in self.controls
            if id_ != "<wrapped>" and (id_ is None or id_ not in self.label_for)
        ]


def audit(html: str) -> _PageAudit:
    parser = _PageAudit()
    parser.feed(html)
    return parser


def answer(client: TestClient, answers: dict[str, str], **headers: str) -> object:
    token = csrf_of(client.get(f"/matters/{MATTER}").text)
    return client.post(
        f"/matters/{MATTER}/answers",
        data={"csrf_token": token, **answers},
        headers=headers,
        follow_redirects=False,
    )


def test_every_page_is_served_with_a_strict_policy_and_clean_markup(
    client: TestClient, certs: Certificates
) -> None:
    assert answer(client, ALL_NO).status_code == 303
    pages = [
        "/",
        f"/matters/{MATTER}",
        f"/matters/{MATTER}/checklist",
        "/matters/social-security-card",
        "/verify",
        f"/verify/{certs.valid}",
        f"/verify/{certs.revoked}",
    ]
    for path in pages:
        r = client.get(path, headers={"accept": "text/html"})
        assert r.status_code == 200, path
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
        page = audit(r.text)
        assert page.lang == "zh-CN", path
        assert page.problems == [], (path, page.problems)
        assert page.unlabelled() == [], (path, page.unlabelled())
    # every asset a page needs is served by the app itself
    for asset in ("/static/htmx.min.js", "/static/app.js", "/static/app.css"):
        assert client.get(asset).status_code == 200


def test_session_cookie_is_httponly_samesite_and_encrypted(client: TestClient) -> None:
    r = answer(client, {**ALL_NO, "seller_married": "yes"})
    assert r.status_code == 303
    cookie = r.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    attrs = {p.strip().lower() for p in cookie.split(";")[1:]}
    assert {"httponly", "samesite=lax", "path=/"} <= attrs and "secure" not in attrs
    # the answers are neither in the URL nor readable in the cookie
    assert urlsplit(r.headers["location"]).query == ""
    value = client.cookies[SESSION_COOKIE]
    assert "seller_married" not in value and "true" not in value


def test_production_cookies_are_secure_and_pages_ask_for_https(tmp_path: object) -> None:
    settings = make_settings(tmp_path, env="production")  # type: ignore[arg-type]
    app = FastAPI()
    install_web(app, settings)
    with TestClient(app, base_url="https://testserver") as c:
        r = c.get("/")
        assert r.status_code == 200
        assert "secure" in r.headers["set-cookie"].lower()
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_a_form_without_the_token_or_from_another_site_is_refused(client: TestClient) -> None:
    client.get(f"/matters/{MATTER}")
    no_token = client.post(f"/matters/{MATTER}/answers", data=ALL_NO, follow_redirects=False)
    assert no_token.status_code == 403
    assert no_token.headers["content-type"].startswith("text/html")
    assert "刷新后重新提交" in no_token.text  # says how to fix
    forged = answer(client, ALL_NO, origin="https://evil.example")
    assert forged.status_code == 403
    # a cookie changed by the browser is a new, empty session: its token no longer matches
    token = csrf_of(client.get(f"/matters/{MATTER}").text)
    value = client.cookies[SESSION_COOKIE]
    client.cookies.set(SESSION_COOKIE, value[:-4] + ("AAAA" if value[-4:] != "AAAA" else "BBBB"))
    tampered = client.post(
        f"/matters/{MATTER}/answers", data={"csrf_token": token, **ALL_NO}, follow_redirects=False
    )
    assert tampered.status_code == 403
    # the same form from this site, with its token, goes through
    client.cookies.clear()
    assert answer(client, ALL_NO, origin="http://testserver").status_code == 303


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("二手房", {"second-hand-house-transfer"}),
        ("社保卡", {"social-security-card"}),
        ("个体户", {"individual-business-registration"}),
        ("登记", {"second-hand-house-transfer", "real-estate-mortgage-registration"}),
        ("火箭发射", set()),
    ],
)
def test_matters_are_found_by_everyday_words(
    client: TestClient, query: str, expected: set[str]
) -> None:
    r = client.get("/", params={"q": query}, headers={"hx-request": "true"})
    assert r.status_code == 200 and "<html" not in r.text  # htmx gets the list only
    found = {m for m in _matter_links(r.text)}
    assert expected <= found
    if not expected:
        assert found == set() and "换一个说法" in r.text
    full = client.get("/", params={"q": query})
    assert "<html" in full.text and f'value="{query}"' in full.text


def _matter_links(html: str) -> list[str]:
    import re

    return re.findall(r'href="/matters/([a-z0-9-]+)"', html)


def test_answers_decide_the_checklist_with_a_reason_for_each_item(client: TestClient) -> None:
    assert answer(client, ALL_NO).status_code == 303
    plain = client.get(f"/matters/{MATTER}/checklist").text
    assert 'data-slot="seller_marriage_certificate"' not in plain
    assert 'data-slot="power_of_attorney"' not in plain
    assert 'data-slot="seller_id_card"' in plain and "办理本事项均需提供" in plain

    married = answer(client, {**ALL_NO, "seller_married": "yes", "via_agent": "yes"})
    assert married.status_code == 303
    page = client.get(f"/matters/{MATTER}/checklist").text
    assert 'data-slot="seller_marriage_certificate"' in page and "因卖方已婚" in page
    assert 'data-slot="power_of_attorney"' in page
    assert 'data-action="print"' in page and f"/matters/{MATTER}/checklist.pdf" in page
    # the answers page shows what was chosen
    again = client.get(f"/matters/{MATTER}").text
    assert 'name="seller_married" value="yes" required checked' in again

    pdf = client.get(f"/matters/{MATTER}/checklist.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_unanswered_questions_are_named_and_nothing_is_stored(client: TestClient) -> None:
    r = answer(client, {"seller_married": "yes"})
    assert r.status_code == 422
    assert "还有 2 个问题没有回答" in r.text and 'href="#q-via_agent"' in r.text
    assert 'name="seller_married" value="yes" required checked' in r.text  # kept
    # nothing stored: the checklist still asks for the answers first
    r = client.get(f"/matters/{MATTER}/checklist", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/matters/{MATTER}")


def test_unknown_matter_is_a_page_in_chinese(client: TestClient) -> None:
    r = client.get("/matters/no-such-matter")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "返回首页" in r.text


def test_large_text_mode_is_remembered_and_redirects_only_to_this_site(
    client: TestClient,
) -> None:
    token = csrf_of(client.get("/verify").text)
    r = client.post(
        "/settings/text-size",
        data={"csrf_token": token, "size": "large", "next": "/verify"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/verify"
    assert 'class="large-text"' in client.get("/verify").text
    evil = client.post(
        "/settings/text-size",
        data={"csrf_token": token, "size": "normal", "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert evil.headers["location"] == "/"
    assert 'class="large-text"' not in client.get("/verify").text


def test_lookup_pages_show_each_registry_state(client: TestClient, certs: Certificates) -> None:
    html = {"accept": "text/html"}
    valid = client.get(f"/verify/{certs.valid}", headers=html).text
    assert "电子证照有效" in valid and "欧***" in valid and "欧阳娜娜" not in valid
    assert "杭州市不动产登记中心（测试）" in valid and "2026-11-27" in valid
    revoked = client.get(f"/verify/{certs.revoked}", headers=html).text
    assert "电子证照已注销" in revoked and "不能再作为有效凭证使用" in revoked
    superseded = client.get(f"/verify/{certs.superseded}", headers=html).text
    assert "已被新版本替代" in superseded and f'href="/verify/{certs.successor}"' in superseded
    # the form's identifier box leads to the identifier's own page
    r = client.get("/verify", params={"identifier": f" {certs.valid} "}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/verify/{certs.valid}")
    wrong = client.get(f"/verify/{certs.valid[:-1]}X", headers=html)
    assert wrong.status_code == 422 and "证照标识有误" in wrong.text


def _upload(client: TestClient, data: bytes, name: str = "证照.pdf") -> object:
    token = csrf_of(client.get("/verify").text)
    return client.post(
        "/verify/file",
        data={"csrf_token": token},
        files={"file": (name, data, "application/pdf")},
    )


def test_uploaded_pdfs_are_checked_and_explained(client: TestClient, certs: Certificates) -> None:
    ok = _upload(client, certs.valid_pdf)
    assert ok.status_code == 200
    assert "核验通过" in ok.text and "欧***" in ok.text and "B-B" in ok.text

    revoked = _upload(client, certs.revoked_pdf)
    assert "核验未通过" in revoked.text and "已被颁发机构注销" in revoked.text

    pdf = certs.valid_pdf
    i = pdf.index(b"/Creator (") + 12
    tampered = _upload(client, pdf[:i] + bytes([pdf[i] ^ 1]) + pdf[i + 1 :])
    assert "核验未通过" in tampered.text and "签章后被修改过" in tampered.text

    not_pdf = _upload(client, b"GIF89a not a pdf", "photo.gif")
    assert not_pdf.status_code == 415 and "请上传电子证照 PDF 文件" in not_pdf.text
    empty = _upload(client, b"")
    assert empty.status_code == 415 and "请上传电子证照 PDF 文件" in empty.text
    # without the form's token nothing is checked
    bare = client.post("/verify/file", files={"file": ("c.pdf", certs.valid_pdf)})
    assert bare.status_code == 403
