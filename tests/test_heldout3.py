"""Tests of the third held-out family of synthetic documents (synthdocs/heldout3/): golden
fields in the CONTRACT §3 shape with valid numbers, golden boxes on the ink of their value
through every capture, marks where they are said to be (and nowhere they are said to be
missing), every file decodes, same seed same bytes, only this family's faces are opened, each
defect planted and in the golden findings. No OCR, no pre-check."""

from __future__ import annotations

import io
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFont

import synthdocs
from synthdocs import families, heldout3
from synthdocs.applications import DEFECTS, Application, answer_combinations
from synthdocs.canvas import FONT_FILES as TRAINING_FONT_FILES
from synthdocs.canvas import Sample
from synthdocs.heldout3 import applications as happ
from synthdocs.heldout3 import encode, facts, fonts
from synthdocs.validators import (
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
)
from tests.contract_shapes import CONTRACT_FIELDS, ISO, field_paths

pytestmark = pytest.mark.skipif(bool(heldout3.fonts_missing()), reason="heldout3 fonts missing")

AS_OF = synthdocs.REFERENCE_DATE
CASES = [(t, lay) for t in (*heldout3.DOC_TYPES, "unknown") for lay in heldout3.LAYOUTS[t]]
SEED = 5


@pytest.fixture(scope="module")
def samples() -> dict[tuple[str, str], Sample]:
    """Every type × layout, drawn once; the font files opened meanwhile are kept in
    :data:`OPENED` (every face is opened afresh: the font cache is cleared first)."""
    real = ImageFont.truetype

    def spy(font: Any = None, *args: Any, **kw: Any) -> Any:
        OPENED.append(str(font))
        return real(font, *args, **kw)

    fonts.font.cache_clear()
    ImageFont.truetype = spy  # type: ignore[assignment]
    try:
        return {(t, lay): heldout3.generate(t, seed=SEED, layout=lay) for t, lay in CASES}
    finally:
        ImageFont.truetype = real  # type: ignore[assignment]
        fonts.font.cache_clear()


OPENED: list[str] = []


def _grey(img: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)


def _paper(img: np.ndarray, box: tuple[int, int, int, int], pad: int = 30) -> float:
    x0, y0, x1, y1 = box
    ring = _grey(img)[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    return float(np.percentile(ring, 90))


def _ink(img: np.ndarray, box: tuple[int, int, int, int], *, margin: float = 45) -> float:
    """Share of the pixels in ``box`` clearly darker than the paper around it."""
    x0, y0, x1, y1 = box
    grey = _grey(img)[y0:y1, x0:x1]
    return float((grey < _paper(img, box) - margin).mean()) if grey.size else 0.0


def _redness(img: np.ndarray) -> np.ndarray:
    b, g, r = (img[:, :, i].astype(int) for i in range(3))
    return r - np.maximum(g, b)


def _red(img: np.ndarray, box: tuple[int, int, int, int], pad: int = 40) -> float:
    """Share of the pixels in ``box`` clearly redder than the paper around it (a warm light
    tints the paper too)."""
    x0, y0, x1, y1 = box
    ring = _redness(img[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad])
    inner = _redness(img[y0:y1, x0:x1])
    return float((inner > np.median(ring) + 28).mean()) if inner.size else 0.0


def _inside(b: tuple[int, int, int, int], w: int, h: int) -> bool:
    return 0 <= b[0] < b[2] <= w and 0 <= b[1] < b[3] <= h


# ---------------------------------------------------------------------------------------------
# interface
# ---------------------------------------------------------------------------------------------


def test_interface_is_the_family_interface() -> None:
    assert heldout3.name == "heldout3"
    assert {"clean", "scan", "photo", "photocopy", "fax", "viewer", "glare"} <= set(
        heldout3.conditions
    )
    assert len(heldout3.conditions) >= 7 and "sideways" in heldout3.conditions
    assert set(heldout3.DOC_TYPES) == set(CONTRACT_FIELDS)
    assert all(len(heldout3.LAYOUTS[t]) >= 2 for t in (*heldout3.DOC_TYPES, "unknown"))
    fam = families.get("heldout3")
    assert "heldout3" in families.NAMES
    assert fam.name == "heldout3" and fam.conditions == heldout3.conditions
    assert fam.generate("power_of_attorney", seed=1).doc_type == "power_of_attorney"
    assert set(DEFECTS) | {"unsigned", "one_party_unsigned", "foreign_seal"} == set(
        heldout3.ALL_DEFECTS
    )


def test_heldout3_is_imported_lazily_by_the_registry() -> None:
    import subprocess
    import sys
    from pathlib import Path

    code = "import sys, synthdocs.families; print('synthdocs.heldout3' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="doc_type"):
        heldout3.generate("passport", seed=1)
    with pytest.raises(ValueError, match="layout"):
        heldout3.generate("sale_contract", seed=1, layout="booklet")
    s = heldout3.generate("unknown", seed=1)
    with pytest.raises(ValueError, match="condition"):
        heldout3.capture(s, "microfilm", seed=1)
    with pytest.raises(ValueError, match="defect"):
        heldout3.build_application(seed=1, defect="no_such_defect")


# ---------------------------------------------------------------------------------------------
# facts and fields
# ---------------------------------------------------------------------------------------------


def test_people_are_valid_varied_and_their_cards_valid_unless_expired() -> None:
    import random

    rng = random.Random(3)
    people = [facts.person(rng) for _ in range(300)]
    assert all(is_valid_id_number(p.id_number) for p in people)
    assert all(p.valid_until is None or p.valid_until > AS_OF for p in people)
    assert all(p.valid_from <= AS_OF for p in people)
    lengths = {len(p.name) for p in people}
    assert lengths == {2, 3, 4}
    assert any(p.name[:2] in facts.COMPOUND for p in people)
    for p in people:  # sex digit and birth date agree with the printed ones
        assert int(p.id_number[16]) % 2 == (1 if p.sex == "男" else 0)
        assert p.id_number[6:14] == f"{p.birth_date:%Y%m%d}"
        assert "幢" in p.address and p.address.endswith("室")
    expired = [facts.person(rng, expired=True) for _ in range(50)]
    assert all(p.valid_until is not None and p.valid_until < AS_OF for p in expired)


@pytest.mark.parametrize(("doc_type", "layout"), CASES)
def test_fields_have_contract_shape_and_valid_numbers(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[(doc_type, layout)]
    assert s.doc_type == doc_type and s.layout == layout
    if doc_type == "unknown":
        assert s.fields == {} and s.boxes == {}
        return
    assert set(s.fields) == CONTRACT_FIELDS[doc_type]
    f: dict[str, Any] = dict(s.fields)
    for key in ("birth_date", "valid_from", "registration_date", "signed_date"):
        if key in f:
            assert ISO.match(f[key])
    if "established_date" in f:
        assert ISO.match(f["established_date"])
    if doc_type == "id_card_front":
        assert is_valid_id_number(f["id_number"])
    if doc_type == "id_card_back":
        assert f["valid_until"] == "长期" or ISO.match(f["valid_until"])
    if doc_type == "property_certificate":
        assert is_valid_certificate_number(f["certificate_number"])
        assert is_valid_unit_number(f["unit_number"])
        assert float(f["area"]) > 0 and "." in f["area"]
    if doc_type == "sale_contract":
        assert is_valid_certificate_number(f["certificate_number"])
        assert f["price"].isdigit()
        for p in [*f["sellers"], *f["buyers"]]:
            assert set(p) == {"name", "id_number"} and is_valid_id_number(p["id_number"])
    if doc_type == "business_license":
        assert is_valid_credit_code(f["credit_code"])
    for party in ("spouses", "members"):
        for p in f.get(party, []):
            assert is_valid_id_number(p["id_number"])
    # every golden value is printed somewhere (a box per leaf path)
    for k, v in f.items():
        for path in field_paths(v, k):
            assert path in s.boxes, path


@pytest.mark.parametrize(("doc_type", "layout"), [c for c in CASES if c[0] != "unknown"])
def test_golden_boxes_sit_on_the_ink_of_their_value(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[(doc_type, layout)]
    for key, fb in s.boxes.items():
        page = s.pages[fb.page]
        h, w = page.shape[:2]
        assert _inside(fb.box, w, h), key
        for part in fb.parts:
            assert _inside(part, w, h)
            assert _ink(page, part) > 0.06, (key, part)
        # tight: the first and last columns and rows of the box hold ink
        x0, y0, x1, y1 = fb.box
        grey = _grey(page)[y0:y1, x0:x1] < _paper(page, fb.box) - 45
        assert grey[:, :2].any() and grey[:, -2:].any() and grey[:2].any() and grey[-2:].any()


@pytest.mark.parametrize(("doc_type", "layout"), [c for c in CASES if c[0] != "unknown"])
def test_no_value_box_lies_on_another_value(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[(doc_type, layout)]
    items = [(k, fb.page, p) for k, fb in s.boxes.items() for p in fb.parts]
    for i, (ka, pa, a) in enumerate(items):
        for kb, pb, b in items[i + 1 :]:
            if ka == kb or pa != pb:
                continue
            ix = min(a[2], b[2]) - max(a[0], b[0])
            iy = min(a[3], b[3]) - max(a[1], b[1])
            assert ix <= 1 or iy <= 1, (ka, kb)


def test_long_values_wrap_one_part_per_line() -> None:
    wrapped = 0
    for seed in range(5):
        s = heldout3.generate("property_certificate", seed=seed, layout="register")
        fb = s.boxes["location"]
        assert len(fb.parts) in (1, 2, 3)
        wrapped += len(fb.parts) > 1
        tops = [p[1] for p in fb.parts]
        assert tops == sorted(tops)
    assert wrapped >= 1
    card = heldout3.generate("id_card_front", seed=3, layout="card")
    assert len(card.boxes["address"].parts) >= 2


def test_contracts_are_multi_page_and_sign_on_the_last_page(
    samples: dict[tuple[str, str], Sample],
) -> None:
    for layout in heldout3.LAYOUTS["sale_contract"]:
        s = samples[("sale_contract", layout)]
        assert len(s.pages) == (3 if layout == "clauses" else 2)
        places = {m.place for m in s.marks if m.kind == "signature"}
        n_s, n_b = len(s.fields["sellers"]), len(s.fields["buyers"])
        assert places == {f"seller[{i}]" for i in range(n_s)} | {f"buyer[{i}]" for i in range(n_b)}
        assert {m.page for m in s.marks} == {len(s.pages) - 1}


@pytest.mark.parametrize("doc_type", [*heldout3.DOC_TYPES, "unknown"])
def test_same_seed_same_document(doc_type: str) -> None:
    a = heldout3.generate(doc_type, seed=9)
    b = heldout3.generate(doc_type, seed=9)
    assert a.fields == b.fields and a.boxes == b.boxes and a.marks == b.marks
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))
    c = heldout3.generate(doc_type, seed=10)
    assert not all(
        x.shape == y.shape and np.array_equal(x, y) for x, y in zip(a.pages, c.pages, strict=False)
    )


def test_layouts_and_wordings_vary() -> None:
    props = [heldout3.generate("property_certificate", seed=s) for s in range(6)]
    assert {p.layout for p in props} == set(heldout3.LAYOUTS["property_certificate"])
    assert len({p.pages[0].tobytes()[:5000] for p in props}) > 1


# ---------------------------------------------------------------------------------------------
# marks
# ---------------------------------------------------------------------------------------------

MARKED = {
    "sale_contract": {"signature"},
    "power_of_attorney": {"signature"},
    "property_certificate": {"seal"},
    "marriage_certificate": {"seal"},
    "household_register": {"seal"},
    "business_license": {"seal"},
}


def _check_marks(s: Sample) -> None:
    for m in s.marks:
        page = s.pages[m.page]
        h, w = page.shape[:2]
        assert _inside(m.box, w, h), m
        if not m.present:
            assert _ink(page, m.box, margin=60) < 0.002, m
            assert _red(page, m.box) < 0.002, m
            continue
        if m.kind == "seal":
            assert m.org and m.expected_org
            if m.copy:
                assert _red(page, m.box) < 0.002, m
                assert _ink(page, m.box, margin=25) > 0.02, m
            else:
                assert _red(page, m.box) > 0.05, m
        elif m.kind == "fingerprint":
            if "fax" in s.degradations:  # dithered: half the ridges' dots
                assert _ink(page, m.box, margin=25) > 0.025, m
            elif "photocopy" in s.degradations:
                assert _ink(page, m.box, margin=25) > 0.05, m
            else:
                assert _red(page, m.box) > 0.05, m
        else:
            assert _ink(page, m.box) > 0.02, m


@pytest.mark.parametrize(("doc_type", "layout"), [c for c in CASES if c[0] in MARKED])
def test_marks_are_where_the_golden_truth_says(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[(doc_type, layout)]
    assert MARKED[doc_type] <= {m.kind for m in s.marks}
    assert all(m.present for m in s.marks)
    for m in s.marks:
        if m.kind == "seal":
            assert m.place in ("registry", "issuer") and m.org == m.expected_org
    _check_marks(s)


def test_unsigned_places_are_empty_and_foreign_seals_name_another_organ() -> None:
    c = facts.facts_for("sale_contract", __import__("random").Random(4))
    n = len(c.sellers) + len(c.buyers)  # type: ignore[attr-defined]
    s = heldout3.render("sale_contract", c, seed=4, layout="clauses", signed=[False] * n)
    assert s.marks and not any(m.present for m in s.marks)
    _check_marks(s)
    one = [True] * n
    one[len(c.sellers)] = False  # type: ignore[attr-defined]
    s = heldout3.render("sale_contract", c, seed=4, layout="blanks", signed=one)
    absent = {m.place for m in s.marks if not m.present}
    assert absent == {"buyer[0]"}
    _check_marks(s)
    prop = facts.facts_for("property_certificate", __import__("random").Random(4))
    s = heldout3.render("property_certificate", prop, seed=4, seal_org="台州市自然资源和规划局")
    (seal,) = [m for m in s.marks if m.kind == "seal"]
    assert seal.org == "台州市自然资源和规划局" != seal.expected_org
    _check_marks(s)


# ---------------------------------------------------------------------------------------------
# captures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def to_capture(samples: dict[tuple[str, str], Sample]) -> list[Sample]:
    return [
        samples[("id_card_front", "card")],
        samples[("property_certificate", "register")],
        samples[("sale_contract", "blanks")],
        samples[("business_license", "portrait")],
    ]


PHOTOS = ("photo", "desk_photo", "glare", "warm_light", "sideways")


@pytest.mark.parametrize("condition", [c for c in heldout3.conditions if c != "clean"])
def test_captures_carry_every_box_and_mark_onto_the_same_ink(
    condition: str, to_capture: list[Sample]
) -> None:
    for i, s in enumerate(to_capture):
        if condition in PHOTOS and len(s.pages) > 1:
            continue  # the slow captures: the one-page documents are enough (marks: below)
        c = heldout3.capture(s, condition, seed=i)
        assert condition in c.degradations
        assert len(c.pages) == len(s.pages)
        assert set(c.boxes) == set(s.boxes)
        assert len(c.marks) == len(s.marks)
        for key, fb in c.boxes.items():
            page = c.pages[fb.page]
            h, w = page.shape[:2]
            assert _inside(fb.box, w, h)
            assert _ink(page, fb.box, margin=30) > 0.03, (condition, s.doc_type, key)
        _check_marks(c)


@pytest.mark.parametrize("condition", [c for c in heldout3.conditions if c != "clean"])
def test_captures_are_deterministic(condition: str, to_capture: list[Sample]) -> None:
    s = to_capture[0]
    a = heldout3.capture(s, condition, seed=2)
    b = heldout3.capture(s, condition, seed=2)
    assert a.boxes == b.boxes and a.marks == b.marks
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))


def test_photocopies_are_grey_and_their_seals_copies(to_capture: list[Sample]) -> None:
    c = heldout3.capture(to_capture[1], "photocopy", seed=1)
    img = c.pages[0].astype(int)
    assert np.abs(img[:, :, 2] - img[:, :, 1]).max() <= 3
    assert all(m.copy for m in c.marks if m.kind == "seal")
    assert not any(m.copy for m in heldout3.capture(to_capture[1], "scan", seed=1).marks)


# ---------------------------------------------------------------------------------------------
# files and faces
# ---------------------------------------------------------------------------------------------


def test_every_encoder_output_decodes(samples: dict[tuple[str, str], Sample]) -> None:
    s = samples[("sale_contract", "clauses")]
    assert Image.open(io.BytesIO(encode.to_png(s))).size == s.size
    assert Image.open(io.BytesIO(encode.to_jpeg(s, page=2))).size == s.size
    pdf = pdfium.PdfDocument(encode.pdf_of([s]))
    assert len(pdf) == 3
    w, h = pdf[0].get_size()
    assert abs(w / 72 * s.dpi - s.size[0]) < 2 and abs(h / 72 * s.dpi - s.size[1]) < 2
    assert encode.pdf_of([s]) == encode.pdf_of([s])


def test_only_heldout3_faces_are_opened(samples: dict[tuple[str, str], Sample]) -> None:
    opened = OPENED
    assert len(samples) == len(CASES)
    assert opened and set(opened) <= fonts.FONT_FILES
    assert not fonts.fonts_missing()
    assert not set(opened) & TRAINING_FONT_FILES
    from synthdocs import heldout2

    assert not set(fonts.FONT_FILES) & set(heldout2.FONT_FILES)
    try:
        from synthdocs import heldout
    except ImportError:  # the first held-out family is merged on its own
        return
    assert not set(fonts.FONT_FILES) & set(heldout.FONT_FILES)


def test_a_run_is_drawn_only_in_a_face_that_covers_it() -> None:
    assert not fonts.covers("fangsong", "不动产权证书")
    assert fonts.covering(("fangsong", "twsung"), "不动产权证书") == "twsung"
    assert fonts.covering(("fangsong",), "330106198501010012") == "fangsong"
    assert fonts.covering(("smiley",), "赟喆") != "smiley"


# ---------------------------------------------------------------------------------------------
# applications
# ---------------------------------------------------------------------------------------------


def _decodes(app: Application) -> None:
    for f in app.files:
        if f.filename.endswith(".pdf"):
            assert len(pdfium.PdfDocument(f.data)) == sum(len(s.pages) for s in f.samples)
        else:
            Image.open(io.BytesIO(f.data)).load()


@pytest.fixture(scope="module")
def mark_apps() -> dict[str | None, Application]:
    return {
        d: heldout3.build_application(seed=31, defect=d, buyers=2, via_agent=d is None)
        for d in (None, *happ.MARK_DEFECTS)
    }


def _contract(app: Application) -> list[Any]:
    return [m for f in app.files if f.slot == "sale_contract" for s in f.samples for m in s.marks]


def test_clean_application_carries_every_mark(mark_apps: dict[str | None, Application]) -> None:
    app = mark_apps[None]
    assert app.expected_verdict == "ready" and app.expected_findings == ()
    slots = {f.slot for f in app.files}
    assert {"power_of_attorney", "agent_id_card"} <= slots
    for f in app.files:
        for s in f.samples:
            assert all(m.present for m in s.marks)
            assert all(m.org == m.expected_org for m in s.marks if m.kind == "seal")
    assert "agent" in {m.place for m in _contract(app)}
    _decodes(app)


def test_mark_defects_are_planted_and_in_the_golden_findings(
    mark_apps: dict[str | None, Application],
) -> None:
    for name, spec in happ.MARK_DEFECTS.items():
        app = mark_apps[name]
        assert app.defect == name and app.expected_verdict == "needs_fix"
        assert [(e.code, e.slot) for e in app.expected_findings] == [(spec.code, spec.slot)]
        _decodes(app)
    sig = [m for m in _contract(mark_apps["unsigned"]) if m.kind == "signature"]
    assert sig and not any(m.present for m in sig)
    one = _contract(mark_apps["one_party_unsigned"])
    assert {m.place for m in one if not m.present} == {"buyer[0]"}
    assert any(m.present and m.place == "buyer[1]" for m in one)
    seals = [
        m
        for f in mark_apps["foreign_seal"].files
        if f.slot == "property_certificate"
        for s in f.samples
        for m in s.marks
    ]
    assert len(seals) == 1 and seals[0].org != seals[0].expected_org


def test_application_set_is_clean_combinations_and_one_per_defect() -> None:
    orders = happ.application_orders(seed=0)
    assert len(orders) == 8 + len(heldout3.ALL_DEFECTS) == 25
    clean = [o for o in orders if o.get("defect") is None]
    combos = [
        {k: bool(o.get(k, False)) for k in ("seller_married", "via_agent", "first_home_tax_relief")}
        for o in clean
    ]
    assert sorted(map(str, combos)) == sorted(map(str, answer_combinations()))
    assert sorted(o["defect"] for o in orders if o.get("defect")) == sorted(heldout3.ALL_DEFECTS)


@pytest.mark.slow
def test_mark_defects_are_in_the_golden_findings_and_same_seed_same_bytes() -> None:
    # every defect's order is checked above without drawing; here the three mark defects and a
    # clean application are drawn in full (photos: the heaviest capture), one twice
    clean = heldout3.build_application(seed=1, style="photo")
    assert clean.expected_verdict == "ready" and not clean.expected_findings
    for name, spec in heldout3.MARK_DEFECTS.items():
        app = heldout3.build_application(seed=1, style="photo", defect=name)
        assert app.expected_verdict == "needs_fix"
        assert (spec.code, spec.slot) in {(e.code, e.slot) for e in app.expected_findings}
    again = heldout3.build_application(seed=1, style="photo", **_answers(clean))
    assert again.uploads == clean.uploads


def _answers(app: Application) -> dict[str, Any]:
    return {
        **app.answers,
        "sellers": len(app.sellers),
        "buyers": len(app.buyers),
    }


@pytest.mark.slow
@pytest.mark.parametrize("condition", PHOTOS)
def test_photographed_contracts_keep_their_signatures(
    condition: str, samples: dict[tuple[str, str], Sample]
) -> None:
    # the default run photographs only one-page documents (photos are the slow captures)
    for layout in heldout3.LAYOUTS["sale_contract"]:
        s = samples[("sale_contract", layout)]
        c = heldout3.capture(s, condition, seed=3)
        assert set(c.boxes) == set(s.boxes) and len(c.marks) == len(s.marks)
        for key, fb in c.boxes.items():
            assert _ink(c.pages[fb.page], fb.box, margin=30) > 0.03, (condition, key)
        _check_marks(c)


@pytest.mark.slow
@pytest.mark.parametrize("style", ["scan", "photo"])
def test_every_application_of_the_set_is_drawn_decodes_and_carries_its_marks(style: str) -> None:
    apps = heldout3.application_set(seed=0, style=style)
    assert len(apps) == 8 + len(heldout3.ALL_DEFECTS)
    assert sorted(a.defect for a in apps if a.defect) == sorted(heldout3.ALL_DEFECTS)
    for app in apps:
        _decodes(app)
        if app.defect is None:
            assert app.expected_verdict == "ready" and not app.expected_findings
        else:
            assert app.expected_verdict in ("needs_fix", "needs_review")
            assert app.expected_findings
        for f in app.files:
            for s in f.samples:
                if s.boxes:  # a too-small photo has none
                    for key, fb in s.boxes.items():
                        h, w = s.pages[fb.page].shape[:2]
                        assert _inside(fb.box, w, h), (app.defect, f.filename, key)
                if "too_small" not in s.degradations and "blurry" not in s.degradations:
                    _check_marks(s)


def test_the_pools_are_covered_by_the_fallback_faces() -> None:
    """Every character a name, address, estate or organ can carry has a glyph in TW-Sung
    (the fallback of every run), so nothing is ever printed as tofu."""
    chars = set(facts.SURNAMES + facts.GIVEN_M + facts.GIVEN_F + "".join(facts.COMPOUND))
    chars |= set("".join(facts.ESTATES + facts.ROADS + facts.ETHNICITIES))
    chars |= set("".join(facts.COMPANY_WORDS + facts.COMPANY_TRADES + facts.CAPITALS))
    for _code, pref, county, streets in facts.PLACES:
        chars |= set(pref + county + "".join(a + b for a, b in streets))
    chars |= set("浙江省幢单元室号公安局分局民政局自然资源和规划局市场监督管理局户口专用章")
    assert all(fonts.covers("twsung", c) for c in chars)
    assert all(fonts.covers("twkai", c) for c in chars)
