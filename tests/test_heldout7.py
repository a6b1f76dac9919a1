"""The seventh held-out family (synthdocs.heldout7): golden shapes, mark places and their truth
(a present mark's box holds all its ink, an empty place holds no ink of any mark and nothing
red or pen-blue, only the print of the form), captures moving mark boxes with the ink,
applications and the mark defects, determinism. No OCR, no pre-check."""

from __future__ import annotations

import random

import numpy as np
import pytest

from synthdocs import drawn_apps
from synthdocs import heldout7 as h
from synthdocs.heldout7.capture import GREY
from synthdocs.heldout7.papers import LAYOUTS as OWN_LAYOUTS
from synthdocs.validators import is_valid_certificate_number, is_valid_id_number
from tests.contract_shapes import CONTRACT_FIELDS, ISO, field_paths

pytestmark = pytest.mark.skipif(bool(h.fonts_missing()), reason="heldout7 fonts not installed")

OWN = [(t, lay) for t, lays in OWN_LAYOUTS.items() for lay in lays]
SEEDS = (3, 8)


@pytest.fixture(scope="module")
def samples():
    out = {}
    for t, lay in OWN:
        for sd in SEEDS:
            s = h.generate(t, seed=sd, layout=lay)
            everything = frozenset(h.mark_places(t, s.facts))
            blank = h.render(t, s.facts, seed=sd, layout=lay, absent=everything)
            out[(t, lay, sd)] = (s, blank)
    return out


@pytest.fixture(scope="module")
def apps():
    orders = drawn_apps.application_orders(seed=0)
    clean = next(o for o in orders if o.get("defect") is None)
    marks = [o for o in orders if o.get("defect") in h.MARK_DEFECTS]
    return [h.build_application(**o) for o in (clean, *marks)]


def _red(page: np.ndarray, box, redness: int = 40) -> int:
    """Pixels of ``box`` (BGR page) that are 印泥 or seal red (purplish pads included)."""
    x0, y0, x1, y1 = box
    c = page[y0:y1, x0:x1].astype(int)
    _b, g, r = c[:, :, 0], c[:, :, 1], c[:, :, 2]
    return int(((r - g) > redness).sum())


def _blue(page: np.ndarray, box) -> int:
    """Pixels of ``box`` that are blue pen ink."""
    x0, y0, x1, y1 = box
    c = page[y0:y1, x0:x1].astype(int)
    b, _g, r = c[:, :, 0], c[:, :, 1], c[:, :, 2]
    return int(((b - r) > 40).sum())


def _inside(s, box, page: int) -> bool:
    hgt, wid = s.pages[page].shape[:2]
    x0, y0, x1, y1 = box
    return 0 <= x0 < x1 <= wid and 0 <= y0 < y1 <= hgt


def test_every_doc_type_renders():
    assert set(h.DOC_TYPES) == set(CONTRACT_FIELDS)
    for t in (*h.DOC_TYPES, "unknown"):
        s = h.generate(t, seed=2)
        assert s.doc_type == t and s.pages and s.layout in h.LAYOUTS[t]
        if t != "unknown":
            assert set(s.fields) == CONTRACT_FIELDS[t]


@pytest.mark.parametrize(("doc_type", "layout"), OWN)
def test_golden_fields_on_ink(samples, doc_type, layout):
    for sd in SEEDS:
        s, _ = samples[(doc_type, layout, sd)]
        assert s.layout == layout and set(s.fields) == CONTRACT_FIELDS[doc_type]
        f = dict(s.fields)
        if doc_type == "sale_contract":
            assert is_valid_certificate_number(f["certificate_number"])
            assert f["price"].isdigit() and ISO.match(f["signed_date"])
            people = f["sellers"] + f["buyers"]
        elif doc_type == "power_of_attorney":
            people = [f["principal"], f["agent"]]
            assert ISO.match(f["signed_date"])
        else:
            people = []
            assert is_valid_certificate_number(f["certificate_number"])
            assert all(isinstance(o, str) for o in f["owners"])
            assert f["area"].replace(".", "").isdigit()
        assert all(is_valid_id_number(p["id_number"]) for p in people)
        for key, value in f.items():
            for path in field_paths(value, key):
                fb = s.boxes.get(path)
                assert fb is not None, path
                assert _inside(s, fb.box, fb.page), path
                x0, y0, x1, y1 = fb.box
                assert int(s.pages[fb.page][y0:y1, x0:x1].min()) < 170, path


@pytest.mark.parametrize(("doc_type", "layout"), OWN)
def test_mark_places_and_truth(samples, doc_type, layout):
    """Against the same document with every mark left empty: every pixel a mark changed lies
    in the box of a present mark, an empty place is exactly the blank form's print (its hints,
    leaders, frames, stains and folds), and no empty place holds red or blue ink."""
    for sd in SEEDS:
        s, blank = samples[(doc_type, layout, sd)]
        want = set(h.mark_places(doc_type, s.facts))
        got = {(m.place, m.kind) for m in s.marks}
        assert got == want and len(s.marks) == len(want)
        assert not any(m.present for m in blank.marks)
        absent = h.absent_marks(doc_type, s.facts, sd)
        for i, (page, bpage) in enumerate(zip(s.pages, blank.pages, strict=True)):
            changed = (page != bpage).any(axis=2)
            covered = np.zeros_like(changed)
            for m in s.marks:
                if m.page == i and m.present:
                    x0, y0, x1, y1 = m.box
                    covered[y0:y1, x0:x1] = True
            assert not (changed & ~covered).any(), (doc_type, layout, sd, i)
        for m in s.marks:
            assert _inside(s, m.box, m.page), m
            assert m.present is ((m.place, m.kind) not in absent)
            page, bpage = s.pages[m.page], blank.pages[m.page]
            x0, y0, x1, y1 = m.box
            ink = (page[y0:y1, x0:x1] != bpage[y0:y1, x0:x1]).any(axis=2).sum()
            if not m.present:
                assert ink == 0, m
                assert _red(page, m.box) == 0 and _blue(page, m.box) == 0, m
                assert m.org is None
                continue
            if m.kind == "seal":
                assert m.expected_org == h.registry_organ(s.facts) and m.org == m.expected_org
                assert _red(page, m.box) > 800, m
            elif m.kind == "fingerprint":
                assert _red(page, m.box, 25) > 150, m
            else:
                assert ink > 60, m
                x0, y0, x1, y1 = m.box
                assert int(page[y0:y1, x0:x1].min()) < 150, m


def test_absence_shares():
    counts = {"signature": [0, 0], "fingerprint": [0, 0], "seal": [0, 0]}
    for sd in range(60):
        for t in OWN_LAYOUTS:
            f = h.facts.random_facts(t, random.Random(f"heldout7-facts|{t}|{sd}"))
            absent = h.absent_marks(t, f, sd)
            for place, kind in h.mark_places(t, f):
                counts[kind][0] += (place, kind) in absent
                counts[kind][1] += 1
    for kind, (n_absent, n) in counts.items():
        assert abs(n_absent / n - h.ABSENT_SHARE[kind]) < 0.1, kind


def test_render_draws_every_mark(samples):
    for t, lay in OWN:
        s = h.render(t, samples[(t, lay, 3)][0].facts, seed=5, layout=lay)
        assert s.marks and all(m.present for m in s.marks), (t, lay)


def test_determinism():
    a = h.capture(h.generate("sale_contract", seed=4), "photo", seed=2)
    b = h.capture(h.generate("sale_contract", seed=4), "photo", seed=2)
    assert all(np.array_equal(p, q) for p, q in zip(a.pages, b.pages, strict=True))
    assert a.boxes == b.boxes and a.marks == b.marks
    assert h.to_jpeg(a) == h.to_jpeg(b) and h.to_png(a) == h.to_png(b)
    assert h.pdf_of([a]) == h.pdf_of([b])


@pytest.mark.parametrize("condition", h.conditions)
def test_captures_move_marks_with_ink(condition):
    assert {"clean", "scan", "photo"} <= set(h.conditions) and len(h.conditions) >= 7
    for lay in OWN_LAYOUTS["property_certificate"]:
        prop = h.generate("property_certificate", seed=3, layout=lay).facts
        s = h.render("property_certificate", prop, seed=3, layout=lay)
        c = h.capture(s, condition, seed=7)
        assert len(c.pages) == len(s.pages) and set(c.boxes) == set(s.boxes)
        (m,) = c.marks
        assert _inside(c, m.box, m.page)
        x0, y0, x1, y1 = m.box
        if condition in GREY:
            assert m.copy
            assert int(c.pages[m.page][y0:y1, x0:x1].min()) < 140
        else:
            assert not m.copy
            assert _red(c.pages[m.page], m.box) > 300, (condition, lay)
        for k, fb in c.boxes.items():
            assert _inside(c, fb.box, fb.page), k
            bx0, by0, bx1, by1 = fb.box
            assert int(c.pages[fb.page][by0:by1, bx0:bx1].min()) < 190, (condition, k)


@pytest.mark.parametrize("condition", [c for c in h.conditions if c not in GREY])
def test_captures_keep_contract_marks_on_ink(condition):
    s0 = h.generate("sale_contract", seed=6, layout="party_rows")
    s = h.render("sale_contract", s0.facts, seed=6, layout="party_rows")
    c = h.capture(s, condition, seed=3)
    for m in c.marks:
        assert _inside(c, m.box, m.page)
        page = c.pages[m.page]
        if m.kind == "fingerprint":
            assert _red(page, m.box, 15) > 40, (condition, m)
        else:
            x0, y0, x1, y1 = m.box
            assert int(page[y0:y1, x0:x1].min()) < 150, (condition, m)


def test_contract_signed_and_agent():
    c = h.generate("sale_contract", seed=5).facts
    n_s, n_b = len(c.sellers), len(c.buyers)
    signed = [True] * (n_s + n_b)
    signed[n_s] = False
    agent = h.facts.person(random.Random(1))
    for lay in OWN_LAYOUTS["sale_contract"]:
        s = h.render("sale_contract", c, seed=5, layout=lay, signed=signed, agent=agent)
        by = {(m.place, m.kind): m for m in s.marks}
        assert ("agent", "signature") in by and ("agent", "fingerprint") not in by
        assert by[("agent", "signature")].present
        for k in ("signature", "fingerprint"):
            assert by[("buyer[0]", k)].present is False
            assert by[("seller[0]", k)].present is True
        assert by[("buyer[0]", "fingerprint")].page == len(s.pages) - 1  # the last page


def test_applications(apps):
    assert {a.defect for a in apps} == {None, *h.MARK_DEFECTS}
    for a in apps:
        assert (a.expected_verdict == "ready") is (a.defect is None)
        assert a.defect is None or a.expected_findings
    by = {a.defect: a for a in apps}

    def docs(defect, slot):
        return [s for f in by[defect].files if f.slot == slot for s in f.samples]

    for f in by[None].files:
        for s in f.samples:
            assert all(m.present for m in s.marks), (f.filename, s.marks)
    (unsigned,) = docs("unsigned", "sale_contract")
    party = [m for m in unsigned.marks if m.place != "agent"]
    assert party and not any(m.present for m in party)
    (one,) = docs("one_party_unsigned", "sale_contract")
    empty = {(m.place, m.kind) for m in one.marks if not m.present}
    assert empty == {("buyer[0]", "signature"), ("buyer[0]", "fingerprint")}
    seals = [m for s in docs("foreign_seal", "property_certificate") for m in s.marks]
    assert seals and all(m.kind == "seal" and m.present for m in seals)
    assert all(m.org and m.expected_org and m.org != m.expected_org for m in seals)
    clean = [m for s in docs(None, "property_certificate") for m in s.marks]
    assert clean and all(m.org == m.expected_org for m in clean)


def test_foreign_organ_is_never_the_registry():
    for sd in range(30):
        prop = h.generate("property_certificate", seed=sd).facts
        assert h.foreign_organ(prop, random.Random(sd)) != h.registry_organ(prop)


def test_registered():
    from synthdocs import families

    fam = families.get("heldout7")
    assert "heldout7" in families.NAMES and fam.name == "heldout7"
    assert fam.generate("unknown", seed=1).doc_type == "unknown"
    assert {"fax_bilevel", "crumpled", "inkjet_banding"} <= set(fam.conditions)
