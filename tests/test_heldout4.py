"""The fourth held-out family (synthdocs.heldout4): golden shapes, boxes on ink, marks, captures,
applications and determinism. No OCR, no pre-check."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image, ImageFont

from synthdocs import heldout4 as h
from synthdocs.validators import (
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
)
from tests.contract_shapes import CONTRACT_FIELDS, ISO, field_paths

pytestmark = pytest.mark.skipif(bool(h.fonts_missing()), reason="heldout4 fonts not installed")

CASES = [(t, lay) for t in h.DOC_TYPES for lay in h.LAYOUTS[t]]


@pytest.fixture(scope="module")
def samples():
    return {(t, lay): h.generate(t, seed=3, layout=lay) for t, lay in CASES}


@pytest.fixture(scope="module")
def apps():
    return h.application_set(seed=0)


def _inked(page: np.ndarray, box, *, dark: int = 170) -> bool:
    x0, y0, x1, y1 = box
    crop = page[y0:y1, x0:x1]
    return crop.size > 0 and int(crop.min()) < dark


def _colored(page: np.ndarray, box) -> int:
    """Pixels of box that are coloured ink (red seal / fingerprint, blue-black pen)."""
    x0, y0, x1, y1 = box
    c = page[max(0, y0) : y1, max(0, x0) : x1].astype(int)
    sat = c.max(axis=2) - c.min(axis=2)
    return int((sat > 60).sum())


def _check_values(doc_type: str, f: dict) -> None:
    people: list[dict] = []
    if doc_type == "id_card_front":
        assert is_valid_id_number(f["id_number"])
        assert ISO.match(f["birth_date"])
    if doc_type == "id_card_back":
        assert ISO.match(f["valid_from"])
        assert f["valid_until"] == "长期" or ISO.match(f["valid_until"])
    if doc_type == "property_certificate":
        assert is_valid_certificate_number(f["certificate_number"])
        assert is_valid_unit_number(f["unit_number"])
        assert re.fullmatch(r"\d+(\.\d+)?", f["area"])
        assert f["owners"] and all(isinstance(o, str) for o in f["owners"])
    if doc_type == "sale_contract":
        people = f["sellers"] + f["buyers"]
        assert is_valid_certificate_number(f["certificate_number"])
        assert f["price"].isdigit() and ISO.match(f["signed_date"])
    if doc_type == "marriage_certificate":
        people = f["spouses"]
        assert ISO.match(f["registration_date"])
        assert f["holder"] == f["spouses"][0]["name"]
    if doc_type == "power_of_attorney":
        people = [f["principal"], f["agent"]]
        assert ISO.match(f["signed_date"])
    if doc_type == "household_register":
        people = f["members"]
        assert f["members"][0]["relation"] == "户主"
    if doc_type == "business_license":
        assert is_valid_credit_code(f["credit_code"])
        assert ISO.match(f["established_date"])
    for p in people:
        assert is_valid_id_number(p["id_number"]), p


@pytest.mark.parametrize(("doc_type", "layout"), CASES)
def test_layout_golden(samples, doc_type, layout):
    s = samples[(doc_type, layout)]
    assert s.layout == layout and s.doc_type == doc_type
    if doc_type == "unknown":
        assert s.fields == {}
        return
    assert set(s.fields) == CONTRACT_FIELDS[doc_type]
    _check_values(doc_type, dict(s.fields))
    for key, value in s.fields.items():
        for path in field_paths(value, key):
            fb = s.boxes.get(path)
            assert fb is not None, path
            page = s.pages[fb.page]
            hgt, wid = page.shape[:2]
            x0, y0, x1, y1 = fb.box
            assert 0 <= x0 < x1 <= wid and 0 <= y0 < y1 <= hgt, path
            assert _inked(page, fb.box), path
            for part in fb.parts:
                assert _inked(page, part), path
                assert x0 <= part[0] and part[2] <= x1 and y0 <= part[1] and part[3] <= y1


def test_every_layout_is_drawn_by_seed():
    from synthdocs.heldout4 import _layout

    for t in h.LAYOUTS:
        seen = {_layout(t, s, None) for s in range(16)}
        assert seen == set(h.LAYOUTS[t]), t
    assert h.generate("power_of_attorney", seed=4).layout == _layout("power_of_attorney", 4, None)


def test_marks(samples):
    kinds = {
        "property_certificate": {("seal", "registry")},
        "marriage_certificate": {("seal", "registry")},
        "household_register": {("seal", "registry")},
        "business_license": {("seal", "issuer")},
    }
    for (t, _lay), s in samples.items():
        want = kinds.get(t)
        if want:
            got = {(m.kind, m.place) for m in s.marks}
            assert want <= got, t
            for m in s.marks:
                assert m.present and m.org == m.expected_org and m.org
                assert _colored(s.pages[m.page], m.box) > 50
        if t == "power_of_attorney":
            assert ("signature", "principal") in {(m.kind, m.place) for m in s.marks}


@pytest.mark.parametrize("layout", h.LAYOUTS["sale_contract"])
def test_contract_signatures_follow_signed(layout):
    s0 = h.generate("sale_contract", seed=5, layout=layout)
    c = s0.facts
    n_s, n_b = len(c.sellers), len(c.buyers)
    signed = [True] * (n_s + n_b)
    signed[n_s] = False
    agent = h.facts.person(__import__("random").Random(1))
    s = h.render("sale_contract", c, seed=5, layout=layout, signed=signed, agent=agent)
    sig = {m.place: m for m in s.marks if m.kind == "signature"}
    places = [f"seller[{i}]" for i in range(n_s)] + [f"buyer[{j}]" for j in range(n_b)]
    assert set(places) | {"agent"} == set(sig)
    for place, on in zip(places, signed, strict=True):
        m = sig[place]
        assert m.present is on
        ink = _colored(s.pages[m.page], m.box)
        assert (ink > 30) if on else (ink == 0), place
    for m in s.marks:
        if m.kind == "fingerprint":
            assert m.present is sig[m.place].present
    none = h.render("sale_contract", c, seed=5, layout=layout, signed=[False] * (n_s + n_b))
    assert not any(m.present for m in none.marks)


def test_foreign_seal():
    s0 = h.generate("property_certificate", seed=2)
    s = h.render("property_certificate", s0.facts, seed=2, seal_org="宁波市自然资源和规划局")
    (m,) = [m for m in s.marks if m.kind == "seal"]
    assert m.org == "宁波市自然资源和规划局" != m.expected_org or s0.facts.registry == "宁波市"


@pytest.mark.parametrize("condition", h.conditions)
def test_captures_keep_boxes_on_page(samples, condition):
    assert {"clean", "scan", "photo", "photocopy"} <= set(h.conditions)
    for key in (
        ("sale_contract", "table"),
        ("id_card_front", "card"),
        ("business_license", "original"),
    ):
        s = samples[key]
        c = h.capture(s, condition, seed=7)
        assert len(c.pages) == len(s.pages)
        assert set(c.boxes) == set(s.boxes)  # nothing is cropped by these captures
        for fb in c.boxes.values():
            hgt, wid = c.pages[fb.page].shape[:2]
            x0, y0, x1, y1 = fb.box
            assert 0 <= x0 < x1 <= wid and 0 <= y0 < y1 <= hgt
        assert len(c.marks) == len(s.marks)
        for m in c.marks:
            hgt, wid = c.pages[m.page].shape[:2]
            assert 0 <= m.box[0] < m.box[2] <= wid and 0 <= m.box[1] < m.box[3] <= hgt
            if condition in ("photocopy", "fax") and m.kind == "seal":
                assert m.copy
        if condition == "scan":
            fb = c.boxes["credit_code" if key[0] == "business_license" else next(iter(c.boxes))]
            assert _inked(c.pages[fb.page], fb.box)


def _decode(f) -> int:
    if f.filename.endswith(".pdf"):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(f.data)
        n = len(doc)
        page = doc[0].render(scale=0.2).to_pil()
        assert page.size[0] > 10
        return n
    im = Image.open(io.BytesIO(f.data))
    im.load()
    assert im.format == ("PNG" if f.filename.endswith(".png") else "JPEG")
    return 1


def test_application_set(apps):
    assert len(apps) == 25
    assert sum(a.defect is None for a in apps) == 8
    assert {a.defect for a in apps if a.defect} == set(h.ALL_DEFECTS)
    for a in apps:
        assert (a.expected_verdict == "ready") is (a.defect is None)
        assert a.defect is None or a.expected_findings
        for f in a.files:
            assert _decode(f) == sum(len(s.pages) for s in f.samples)
    by = {a.defect: a for a in apps}

    def contract(defect):
        return next(f for f in by[defect].files if f.slot == "sale_contract").samples[0]

    unsigned = [m for m in contract("unsigned").marks if m.kind == "signature"]
    assert unsigned and not any(m.present for m in unsigned if m.place != "agent")
    one = {m.place: m.present for m in contract("one_party_unsigned").marks}
    assert one["buyer[0]"] is False and one["seller[0]"] is True
    cert = next(f for f in by["foreign_seal"].files if f.slot == "property_certificate")
    seals = [m for s in cert.samples for m in s.marks if m.kind == "seal"]
    assert seals and all(m.org != m.expected_org for m in seals)
    clean_cert = next(f for f in by[None].files if f.slot == "property_certificate")
    assert all(m.org == m.expected_org for s in clean_cert.samples for m in s.marks)


def test_photo_application_and_determinism():
    a = h.build_application(seed=4, style="photo", via_agent=True)
    b = h.build_application(seed=4, style="photo", via_agent=True)
    assert [f.data for f in a.files] == [f.data for f in b.files]
    assert all(f.filename.endswith(".jpg") for f in a.files)
    s1 = h.capture(h.generate("household_register", seed=9), "photo", seed=2)
    s2 = h.capture(h.generate("household_register", seed=9), "photo", seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(s1.pages, s2.pages, strict=True))
    assert s1.boxes == s2.boxes


def test_only_own_faces(monkeypatch):
    from synthdocs.heldout4 import faces

    opened: list[str] = []
    real = ImageFont.truetype

    def spy(f, *a, **k):
        opened.append(str(f))
        return real(f, *a, **k)

    faces.font.cache_clear()
    monkeypatch.setattr(ImageFont, "truetype", spy)
    for t in h.LAYOUTS:
        for lay in h.LAYOUTS[t]:
            h.generate(t, seed=11, layout=lay)
    faces.font.cache_clear()
    assert opened and set(opened) <= faces.FONT_FILES


def test_registered():
    from synthdocs import families

    fam = families.get("heldout4")
    assert "heldout4" in families.NAMES and fam.name == "heldout4"
    assert fam.generate("unknown", seed=1).doc_type == "unknown"
