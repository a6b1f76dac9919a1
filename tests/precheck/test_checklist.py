"""一次性告知: the checklist follows the answers, with reasons; HTML and PDF render it."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from precheck import build_checklist, load_catalogue, render_checklist_html, render_checklist_pdf


@pytest.fixture(scope="module")
def house():
    return load_catalogue().get("second-hand-house-transfer")


def test_answers_decide_the_materials_and_reasons(house):
    base = {i.slot for i in build_checklist(matter=house, answers={}).items}
    married = build_checklist(matter=house, answers={"seller_married": True})
    assert {i.slot for i in married.items} - base == {"seller_marriage_certificate"}
    item = next(i for i in married.items if i.slot == "seller_marriage_certificate")
    assert item.reason == "因卖方已婚，需提供卖方结婚证"
    agent = {i.slot: i for i in build_checklist(matter=house, answers={"via_agent": True}).items}
    assert "因您委托他人代办" in agent["agent_id_card"].reason
    assert "每位受托人" in agent["agent_id_card"].reason
    tax = next(i for i in married.items if i.slot == "tax_receipt")
    assert not tax.to_upload and "数据共享" in tax.reason


def test_accept_missing_is_announced():
    m = load_catalogue().get("social-security-card")
    items = {i.slot: i for i in build_checklist(matter=m, answers={"by_agent": True}).items}
    assert items["authorization"].accept_missing and "容缺" in items["authorization"].reason
    assert not items["applicant_identity"].accept_missing


def test_json_html_and_pdf(house, tmp_path):
    c = build_checklist(matter=house, answers={"seller_married": True, "via_agent": True})
    doc = c.to_json()
    assert doc["matter"] == house.id and len(doc["items"]) == len(c.items)
    assert doc["sources"][0]["url"].startswith("https://")
    html = render_checklist_html(c)
    assert "因卖方已婚，需提供卖方结婚证" in html and 'data-slot="power_of_attorney"' in html
    pdf = render_checklist_pdf(c, generated=dt.date(2026, 6, 1))
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "WenQuanYiMicroHei" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # "emb": embedded
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "卖方结婚证" in text and "一次性告知单" in text


def test_every_matter_renders(tmp_path):
    for m in load_catalogue():
        c = build_checklist(matter=m, answers=dict.fromkeys(m.questions, True))
        assert c.items
        assert render_checklist_pdf(c).startswith(b"%PDF")
        assert m.name in render_checklist_html(c)
