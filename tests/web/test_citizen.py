"""The citizen's pages over HTTP, where no document has to be read: who may see what, and
refused files explained in words (the journey with real reading is in test_journey_browser)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

MATTER = "second-hand-house-transfer"
PASSWORD = "password-123"


def _register(client: TestClient, username: str) -> None:
    token = csrf_of(client.get("/register").text)
    r = client.post(
        "/register",
        data={
            "csrf_token": token,
            "name": "王小明",
            "username": username,
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303


def _start(client: TestClient) -> str:
    token = csrf_of(client.get(f"/matters/{MATTER}").text)
    answers = {"seller_married": "no", "via_agent": "no", "first_home_tax_relief": "no"}
    client.post(f"/matters/{MATTER}/answers", data={"csrf_token": token, **answers})
    page = client.get(f"/matters/{MATTER}/checklist").text
    assert "开始网上申请" in page
    r = client.post(
        "/applications",
        data={"csrf_token": csrf_of(page), "matter": MATTER},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return str(r.headers["location"])


def test_pages_of_an_application_need_its_owner(client: TestClient) -> None:
    r = client.get("/applications", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/applications"
    checklist = client.get(f"/matters/{MATTER}/checklist")
    assert "登录后开始网上申请" in checklist.text or "请回答以下问题" in checklist.text
    _register(client, "owner-web-1")
    url = _start(client)
    page = client.get(url)
    assert page.status_code == 200 and "待上传材料" in page.text
    assert 'data-slot="seller_id_card"' in page.text and "上传卖方居民身份证" in page.text
    assert url in client.get("/applications").text
    # another citizen sees a "not found" page, exactly as for a missing application
    client.cookies.clear()
    _register(client, "other-web-1")
    other = client.get(url)
    missing = client.get("/applications/0000000000000000")
    assert other.status_code == missing.status_code == 404
    assert other.headers["content-type"].startswith("text/html")


def test_refused_files_are_explained_where_they_were_chosen(client: TestClient) -> None:
    _register(client, "owner-web-2")
    url = _start(client)
    token = csrf_of(client.get(url).text)
    script = {"x-paoyici-upload": "1"}
    gif = client.post(
        f"{url}/files",
        data={"csrf_token": token, "slot": "seller_id_card"},
        files={"files": ("photo.gif", b"GIF89a\x01\x00\x01\x00 not a document", "image/gif")},
        headers=script,
    )
    assert gif.status_code == 415 and "\u4e00" <= gif.text[0] <= "\u9fff"
    nothing = client.post(
        f"{url}/files", data={"csrf_token": token, "slot": "seller_id_card"}, headers=script
    )
    assert nothing.status_code == 422 and "没有选择文件" in nothing.text
    # without the script: back to the page, which says what went wrong
    form = client.post(
        f"{url}/files",
        data={"csrf_token": token, "slot": "seller_id_card"},
        files={"files": ("photo.gif", b"GIF89a not a document", "image/gif")},
        follow_redirects=False,
    )
    assert form.status_code == 303 and form.headers["location"].endswith("#materials")
    assert "有文件没有上传成功" in client.get(url).text
    # nothing was stored: the application still waits for its first file
    assert 'class="file"' not in client.get(url).text
