"""Tests of the held-out family of synthetic documents (synthdocs/heldout/): golden numbers are
valid (unless a defect plants them), golden boxes sit on the ink of their value through every
capture, every file decodes, the same seed gives the same bytes, every planted defect is in the
golden facts, and only the held-out faces are ever opened. No OCR."""

from __future__ import annotations

import io
import itertools
import re
from datetime import date
from typing import Any

import cv2
import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageFont

import synthdocs
from synthdocs import heldout
from synthdocs.applications import DEFECTS, MARK_DEFECTS, Application, answer_combinations
from synthdocs.canvas import FONTS as TRAINING_FONTS
from synthdocs.canvas import Sample
from synthdocs.heldout import applications as happ
from synthdocs.heldout import civil, encode, facts, fonts, property
from synthdocs.validators import (
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
)
from tests.contract_shapes import CONTRACT_FIELDS, ISO, field_paths

pytestmark = pytest.mark.skipif(bool(heldout.fonts_missing()), reason="held-out fonts missing")

AS_OF = synthdocs.REFERENCE_DATE
CASES = [(t, lay) for t in (*heldout.DOC_TYPES, "unknown") for lay in heldout.LAYOUTS[t]]
SEED = 11


@pytest.fixture(scope="module")
def samples() -> dict[tuple[str, str], Sample]:
    return {(t, lay): heldout.generate(t, seed=SEED, layout=lay) for t, lay in CASES}


def _dark(img: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Mask of the pixels in ``box`` clearly darker than the paper around it."""
    x0, y0, x1, y1 = box
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    pad = 30
    ring = grey[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    paper = float(np.percentile(ring, 90))
    return grey[y0:y1, x0:x1] < paper - 60


def _ink(img: np.ndarray, box: tuple[int, int, int, int]) -> float:
    return float(_dark(img, box).mean())


def _inside(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[2] <= b[2] and a[3] <= b[3]


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> int:
    ix = min(a[2], b[2]) - max(a[0], b[0])
    iy = min(a[3], b[3]) - max(a[1], b[1])
    return max(0, ix) * max(0, iy)


# ---------------------------------------------------------------------------------------------
# the interface both families offer
# ---------------------------------------------------------------------------------------------


def test_interface_matches_the_training_family() -> None:
    assert heldout.name == "heldout"
    assert {"clean", "scan", "photo", "photocopy"} <= set(heldout.conditions)
    assert set(heldout.conditions) == set(heldout.CONDITIONS)
    assert heldout.DOC_TYPES == synthdocs.DOC_TYPES
    for doc_type in (*heldout.DOC_TYPES, "unknown"):
        assert len(heldout.LAYOUTS[doc_type]) >= 2, doc_type
    assert heldout.STYLES == ("scan", "photo")
    for fn in (
        heldout.generate,
        heldout.capture,
        heldout.build_application,
        heldout.application_set,
    ):
        assert callable(fn)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown document type"):
        heldout.generate("passport", seed=1)
    with pytest.raises(ValueError, match="unknown layout"):
        heldout.generate("id_card_front", seed=1, layout="spread")
    with pytest.raises(ValueError, match="unknown condition"):
        heldout.capture(heldout.generate("id_card_back", seed=1), "xerox", seed=1)
    with pytest.raises(ValueError, match="unknown defect"):
        heldout.build_application(seed=1, defect="no_such_defect")
    with pytest.raises(ValueError, match="style"):
        heldout.build_application(seed=1, style="fax")
    with pytest.raises(ValueError, match="at least one"):
        heldout.build_application(seed=1, buyers=0)


# ---------------------------------------------------------------------------------------------
# facts
# ---------------------------------------------------------------------------------------------


def test_people_have_valid_consistent_cards_and_varied_names() -> None:
    import random

    rng = random.Random(3)
    lengths, ethnicities, out_of_province, compound = set(), set(), 0, 0
    for _ in range(400):
        p = facts.person(rng)
        assert is_valid_id_number(p.id_number), p.id_number
        assert p.id_number[6:14] == f"{p.birth_date:%Y%m%d}"
        assert int(p.id_number[16]) % 2 == (1 if p.sex == "男" else 0)
        assert p.valid_from <= AS_OF
        assert p.valid_until is None or (p.valid_until - AS_OF).days > 365
        assert 2 <= len(p.name) <= 4, p.name
        lengths.add(len(p.name))
        ethnicities.add(p.ethnicity)
        out_of_province += not p.address.startswith("浙江省")
        compound += p.name[:2] in facts._COMPOUND
        expired = facts.person(rng, expired=True)
        assert expired.valid_until is not None and expired.valid_until < AS_OF
    assert lengths == {2, 3, 4}
    assert {"汉", "畲"} < ethnicities and len(ethnicities) >= 4
    assert out_of_province > 20 and compound > 10


def test_properties_and_businesses_have_valid_numbers() -> None:
    import random

    rng = random.Random(8)
    forms = set()
    for _ in range(200):
        prop = facts.random_property(rng, owners=(facts.person(rng),))
        assert is_valid_unit_number(prop.unit_number), prop.unit_number
        assert is_valid_certificate_number(prop.certificate_number), prop.certificate_number
        assert re.fullmatch(r"\d+\.\d{2}", prop.area)
        assert re.search(r"\d+(幢|栋|号楼|座)", prop.location)
        other = facts.other_building(prop.location)
        building = re.compile(r"\d+(幢|栋|号楼|座)")
        assert other != prop.location
        assert building.sub("", other) == building.sub("", prop.location)  # only the building
        changed = facts.other_certificate_number(prop.certificate_number)
        assert changed != prop.certificate_number and is_valid_certificate_number(changed)
        biz = facts.random_business(rng)
        assert is_valid_credit_code(biz.company.credit_code), biz.company.credit_code
        assert biz.company.credit_code[1] == ("2" if biz.form == "individual" else "1")
        forms.add(biz.form)
        retyped = facts.retyped_id(rng, prop.owners[0].id_number)
        assert retyped != prop.owners[0].id_number and is_valid_id_number(retyped)
    assert forms == {"company", "individual", "branch"}


def test_chinese_numeral_dates() -> None:
    assert civil.cn_numeral_date(date(2026, 5, 10)) == "二〇二六年五月十日"
    assert civil.cn_numeral_date(date(2025, 12, 31)) == "二〇二五年十二月三十一日"
    assert civil.cn_numeral_date(date(2030, 1, 1)) == "二〇三〇年一月一日"


# ---------------------------------------------------------------------------------------------
# rendered documents
# ---------------------------------------------------------------------------------------------


def _check_numbers(doc_type: str, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if key.endswith("date") or key == "valid_from":
            assert ISO.match(value), (key, value)
        if key == "valid_until":
            assert value == "长期" or ISO.match(value)
        if key == "id_number":
            assert is_valid_id_number(value), value
        if key in ("sellers", "buyers", "spouses", "members"):
            for party in value:
                assert is_valid_id_number(party["id_number"]), party
                assert " " not in party["name"] and 2 <= len(party["name"]) <= 4
        if key in ("principal", "agent"):
            assert is_valid_id_number(value["id_number"]), value
        if key == "credit_code":
            assert is_valid_credit_code(value), value
        if key == "certificate_number" and doc_type != "marriage_certificate":
            assert "（" not in value and is_valid_certificate_number(value), value
        if key == "unit_number":
            assert " " not in value and is_valid_unit_number(value), value
    if doc_type == "sale_contract":
        assert fields["price"].isdigit()
    if doc_type == "property_certificate":
        assert re.fullmatch(r"\d+\.\d{2}", fields["area"])
        assert isinstance(fields["owners"], list) and fields["owners"]
    if doc_type == "marriage_certificate":
        assert re.fullmatch(r"J\d{6}-\d{4}-\d{6}", fields["certificate_number"])
        assert fields["holder"] in {s["name"] for s in fields["spouses"]}


@pytest.mark.parametrize(("doc_type", "layout"), CASES)
def test_fields_have_contract_shape_and_valid_numbers(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[doc_type, layout]
    assert s.doc_type == doc_type
    if doc_type == "unknown":
        assert s.fields == {} and not s.boxes
        assert (cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY) < 100).mean() > 0.005  # it has text
        return
    assert set(s.fields) == CONTRACT_FIELDS[doc_type]
    _check_numbers(doc_type, dict(s.fields))


@pytest.mark.parametrize(("doc_type", "layout"), [c for c in CASES if c[0] != "unknown"])
def test_golden_boxes_sit_tight_on_the_ink_of_their_value(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[doc_type, layout]
    expected = {p for k, v in s.fields.items() for p in field_paths(v, k)}
    assert expected == set(s.boxes), expected ^ set(s.boxes)
    for key, fb in s.boxes.items():
        page = s.pages[fb.page]
        h, w = page.shape[:2]
        parts = heldout.field_parts(fb)
        assert fb.box == synthdocs.canvas.union(parts)
        for part in parts:
            x0, y0, x1, y1 = part
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, key
            dark = _dark(page, part)
            assert dark.mean() > 0.05, f"{key}: no ink in {part}"
            ys, xs = np.nonzero(dark)
            # tight: the ink reaches (nearly) every side of the box
            assert xs.min() <= 3 and xs.max() >= dark.shape[1] - 4, f"{key}: loose in x"
            assert ys.min() <= 4 and ys.max() >= dark.shape[0] - 5, f"{key}: loose in y"


@pytest.mark.parametrize(("doc_type", "layout"), [c for c in CASES if c[0] != "unknown"])
def test_no_value_box_lies_on_another_value(
    doc_type: str, layout: str, samples: dict[tuple[str, str], Sample]
) -> None:
    s = samples[doc_type, layout]
    items = [(k, fb.page, heldout.field_parts(fb)) for k, fb in s.boxes.items()]
    for i, (ka, pa, parts_a) in enumerate(items):
        for kb, pb, parts_b in items[i + 1 :]:
            if pa != pb:
                continue
            for a in parts_a:
                for b in parts_b:
                    assert not _inside(a, b) and not _inside(b, a), f"{ka} inside {kb}"
                    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
                    assert _overlap(a, b) <= 0.05 * small, f"{ka} overlaps {kb}"


def test_long_values_wrap_inside_their_cell_one_part_per_line() -> None:
    import random

    rng = random.Random(1)
    owner = facts.person(rng)
    prop = facts.random_property(rng, owners=(owner,))
    long_location = (
        "杭州市余杭区良渚街道良渚文化村玉鸟流苏商业街区北侧安置小区春漫里" + prop.location
    )
    prop = prop.__class__(**{**vars(prop), "location": long_location})
    for layout in ("register", "legacy", "spread"):
        s = property.render(prop, seed=3, layout=layout)
        fb = s.boxes["location"]
        parts = heldout.field_parts(fb)
        assert isinstance(fb, heldout.PartedFieldBox) and len(parts) >= 2, layout
        for upper, lower in itertools.pairwise(parts):
            assert upper[3] <= lower[1], "parts are lines from top to bottom"
            em = upper[3] - upper[1]
            assert abs(lower[0] - upper[0]) < 0.6 * em, "wrapped lines start at the cell's left"
        for part in parts:
            assert _ink(s.image, part) > 0.05


@pytest.mark.parametrize("doc_type", [*heldout.DOC_TYPES, "unknown"])
def test_same_seed_same_document(doc_type: str) -> None:
    a, b = heldout.generate(doc_type, seed=21), heldout.generate(doc_type, seed=21)
    assert a.fields == b.fields and a.boxes == b.boxes and a.dpi == b.dpi
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))
    c = heldout.generate(doc_type, seed=22)
    assert c.fields != a.fields or not np.array_equal(c.image, a.image)


def test_layouts_differ_in_what_they_print(samples: dict[tuple[str, str], Sample]) -> None:
    for doc_type in heldout.DOC_TYPES:
        shapes = {
            (*samples[doc_type, lay].size, len(samples[doc_type, lay].pages))
            for lay in heldout.LAYOUTS[doc_type]
        }
        boxes = [samples[doc_type, lay].boxes for lay in heldout.LAYOUTS[doc_type]]
        differ = len(shapes) > 1 or any(
            {k: v.box for k, v in a.items()} != {k: v.box for k, v in boxes[0].items()}
            for a in boxes[1:]
        )
        assert differ, doc_type


# ---------------------------------------------------------------------------------------------
# capture conditions
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def to_capture(samples: dict[tuple[str, str], Sample]) -> list[Sample]:
    return [
        samples["id_card_front", "standard"],
        samples["sale_contract", "inline"],
        samples["household_register", "spread"],
    ]


# how much of a value's appearance survives each condition (binarised fax keeps the least)
MIN_CORRELATION = {
    "clean": 0.99,
    "scan": 0.6,
    "photo": 0.45,
    "photocopy": 0.55,
    "fax_like": 0.35,
    "low_res": 0.5,
}


@pytest.mark.parametrize("condition", heldout.conditions)
def test_captures_carry_every_box_onto_the_same_text(
    condition: str, to_capture: list[Sample]
) -> None:
    for s in to_capture:
        c = heldout.capture(s, condition, seed=5)
        assert len(c.pages) == len(s.pages) and c.fields == s.fields
        assert c.degradations == (() if condition == "clean" else (condition,))
        assert not c.expected_issues
        assert set(c.boxes) == set(s.boxes), s.doc_type
        for key, fb in s.boxes.items():
            cb = c.boxes[key]
            assert cb.page == fb.page
            h, w = c.pages[cb.page].shape[:2]
            for part in heldout.field_parts(cb):
                assert 0 <= part[0] < part[2] <= w and 0 <= part[1] < part[3] <= h, key
            x0, y0, x1, y1 = fb.box
            bw, bh = x1 - x0, y1 - y0
            quad = np.array(cb.quad, np.float32)
            rect = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
            back = cv2.warpPerspective(
                c.pages[cb.page], cv2.getPerspectiveTransform(quad, rect), (bw, bh)
            )
            a = cv2.cvtColor(s.pages[fb.page][y0:y1, x0:x1], cv2.COLOR_BGR2GRAY).astype(np.float32)
            b = cv2.cvtColor(back, cv2.COLOR_BGR2GRAY).astype(np.float32)
            corr = float(np.corrcoef(a.ravel(), b.ravel())[0, 1])
            assert corr > MIN_CORRELATION[condition], (
                f"{condition} {s.doc_type} {key}: r={corr:.2f}"
            )


@pytest.mark.parametrize("condition", heldout.conditions)
def test_captures_are_deterministic(condition: str, to_capture: list[Sample]) -> None:
    s = to_capture[0]
    a, b = heldout.capture(s, condition, seed=9), heldout.capture(s, condition, seed=9)
    assert a.boxes == b.boxes and a.dpi == b.dpi
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))
    if condition != "clean":
        other = heldout.capture(s, condition, seed=10)
        assert not np.array_equal(other.image, a.image)


def test_photocopy_is_grey_and_scans_keep_the_page(to_capture: list[Sample]) -> None:
    card = to_capture[0]
    copy = heldout.capture(card, "photocopy", seed=2).image
    assert np.array_equal(copy[:, :, 0], copy[:, :, 1]) and np.array_equal(
        copy[:, :, 1], copy[:, :, 2]
    )
    photo = heldout.capture(card, "photo", seed=2)
    assert photo.size[0] > card.size[0]  # the card is a part of a larger frame
    low = heldout.capture(to_capture[1], "low_res", seed=2)
    assert low.dpi < 120 and max(low.size) < 1300


def test_quality_defect_captures_degrade_and_say_so(to_capture: list[Sample]) -> None:
    card = to_capture[0]

    def sharpness(img: np.ndarray) -> float:
        return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())

    blurry = heldout.blurred(card, seed=1)
    assert blurry.expected_issues == ("blurry",)
    assert sharpness(blurry.image) < sharpness(card.image) / 20
    tiny = heldout.thumbnail(card, seed=1)
    assert tiny.expected_issues == ("too_small",) and max(tiny.size) <= 200


# ---------------------------------------------------------------------------------------------
# encoders
# ---------------------------------------------------------------------------------------------


def _pdf_pages(data: bytes, dpi: int) -> list[np.ndarray]:
    doc = pdfium.PdfDocument(data)
    try:
        return [
            np.asarray(doc[i].render(scale=dpi / 72).to_pil().convert("L")) for i in range(len(doc))
        ]
    finally:
        doc.close()


def test_every_encoder_output_decodes(samples: dict[tuple[str, str], Sample]) -> None:
    contract = samples["sale_contract", "table"]
    grey = heldout.capture(samples["id_card_back", "standard"], "photocopy", seed=1)
    for s in (contract, grey):
        for data in (encode.to_jpeg(s, quality=80), encode.to_png(s)):
            im = Image.open(io.BytesIO(data))
            im.load()
            assert im.size == s.size
            assert im.mode == ("L" if s is grey else "RGB")
        for quality in (85, None) if s is grey else (85,):
            data = encode.to_pdf([s], quality=quality)
            assert data == encode.to_pdf([s], quality=quality)  # reproducible bytes
            pages = _pdf_pages(data, s.dpi)
            assert len(pages) == len(s.pages)
            for rendered, page in zip(pages, s.pages, strict=True):
                assert abs(rendered.shape[0] - page.shape[0]) <= 1
                assert abs(rendered.shape[1] - page.shape[1]) <= 1
            if quality is None:
                h = min(pages[0].shape[0], s.pages[0].shape[0])
                w = min(pages[0].shape[1], s.pages[0].shape[1])
                ref = cv2.cvtColor(s.pages[0], cv2.COLOR_BGR2GRAY)[:h, :w].astype(np.float32)
                assert float(np.abs(pages[0][:h, :w] - ref).mean()) < 3.0
    card = samples["id_card_front", "standard"]
    back = samples["id_card_back", "offset"]
    two = encode.to_pdf([card, back])
    first, second = _pdf_pages(two, card.dpi)
    assert abs(first.shape[1] - card.size[0]) <= 1 and abs(first.shape[0] - card.size[1]) <= 1
    assert abs(second.shape[1] * card.dpi / back.dpi - back.size[0]) <= 2
    assert len(pypdf.PdfReader(io.BytesIO(two)).pages) == 2


# ---------------------------------------------------------------------------------------------
# fonts
# ---------------------------------------------------------------------------------------------


def test_only_held_out_faces_are_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real = ImageFont.truetype

    def recording(font: Any = None, *args: Any, **kwargs: Any) -> ImageFont.FreeTypeFont:
        opened.append(str(font))
        return real(font, *args, **kwargs)

    def training_font(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the held-out family used synthdocs.canvas.font")

    monkeypatch.setattr(ImageFont, "truetype", recording)
    monkeypatch.setattr(synthdocs.canvas, "font", training_font)
    for cache in (fonts.font, fonts.has_glyph, fonts._notdef):
        cache.cache_clear()
    try:
        for doc_type in (*heldout.DOC_TYPES, "unknown"):
            s = heldout.generate(doc_type, seed=4)
        heldout.capture(s, "fax_like", seed=1)  # the fax header is text too
    finally:
        for cache in (fonts.font, fonts.has_glyph, fonts._notdef):
            cache.cache_clear()
    training = {path for path, _ in TRAINING_FONTS.values()}
    assert opened and set(opened) <= set(heldout.FONT_FILES), set(opened) - set(heldout.FONT_FILES)
    assert not set(opened) & training
    assert len(set(opened)) >= 4  # several faces, not one
    assert not any(
        "NotoSans" in p or "microhei" in p or "uming" in p or "ukai" in p for p in opened
    )


def test_no_training_face_is_named_in_the_held_out_sources() -> None:
    from pathlib import Path

    training = ("microhei", "NotoSans", "NotoSerif", "uming", "ukai", "DejaVu")
    assert {path for path, _ in heldout.FACES.values()} == set(heldout.FONT_FILES)
    for path in heldout.FONT_FILES:
        assert not any(t.lower() in path.lower() for t in training), path
    for src in Path(heldout.__file__).parent.glob("*.py"):
        text = src.read_text(encoding="utf-8")
        for t in training:
            assert t.lower() not in text.lower(), f"{src.name} names {t}"


# ---------------------------------------------------------------------------------------------
# applications
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def defect_apps() -> dict[str, Application]:
    return {
        name: heldout.build_application(
            seed=40 + i, defect=name, seller_married=i % 2 == 1, sellers=1 + (i % 3 == 0)
        )
        for i, name in enumerate(DEFECTS)
        if name not in MARK_DEFECTS  # v1 draws no marks (refused below)
    }


def test_v1_refuses_the_defects_it_cannot_draw() -> None:
    for name in MARK_DEFECTS:
        with pytest.raises(ValueError, match="cannot plant"):
            heldout.build_application(seed=1, defect=name)


@pytest.fixture(scope="module")
def clean_apps() -> list[Application]:
    return [
        heldout.build_application(
            seed=7,
            seller_married=True,
            via_agent=True,
            first_home_tax_relief=True,
            sellers=2,
            buyers=2,
        ),
        heldout.build_application(seed=8, via_agent=True, style="photo"),
    ]


def _docs(app: Application, slot: str, doc_type: str) -> list[dict[str, Any]]:
    """Golden fields of each document of ``doc_type`` in ``slot`` (a document uploaded as one
    file per page counts once: its pages follow each other with the same fields)."""
    out: list[dict[str, Any]] = []
    for f in app.files:
        for s in f.samples:
            if f.slot != slot or s.doc_type != doc_type:
                continue
            if len(s.pages) > 1 or dict(s.fields) not in out[-1:] or doc_type.startswith("id_"):
                out.append(dict(s.fields))
    return out


def _check_files_decode(app: Application) -> None:
    names = [f.filename for f in app.files]
    assert len(names) == len(set(names)), "filenames are unique within an application"
    for f in app.files:
        assert f.doc_types == tuple(s.doc_type for s in f.samples)
        if f.filename.endswith(".pdf"):
            shared = len(f.samples) > 1 and f.samples[0].pages is f.samples[1].pages
            expected = len(f.samples[0].pages) if shared else sum(len(s.pages) for s in f.samples)
            pages = _pdf_pages(f.data, f.samples[0].dpi)
            assert len(pages) == expected, f.filename
            assert abs(pages[0].shape[1] - f.samples[0].pages[0].shape[1]) <= 1, f.filename
        else:
            im = Image.open(io.BytesIO(f.data))
            im.load()
            assert im.format == ("JPEG" if f.filename.endswith(".jpg") else "PNG")
            assert im.size == f.samples[0].size, f.filename
            for s in f.samples:
                assert len(s.pages) == 1
        for s in f.samples:
            for key, fb in s.boxes.items():
                h, w = s.pages[fb.page].shape[:2]
                assert 0 <= fb.box[0] < fb.box[2] <= w and 0 <= fb.box[1] < fb.box[3] <= h, key


@pytest.mark.slow
def test_clean_applications_are_complete_consistent_and_decode(
    clean_apps: list[Application],
) -> None:
    for app in clean_apps:
        _check_files_decode(app)
        assert app.matter == "second-hand-house-transfer"
        assert (
            app.expected_verdict == "ready" and app.expected_findings == () and app.defect is None
        )
        slots = {f.slot for f in app.files}
        required = {"seller_id_card", "buyer_id_card", "property_certificate", "sale_contract"}
        required |= {"seller_marriage_certificate"} if app.answers["seller_married"] else set()
        required |= {"power_of_attorney", "agent_id_card"} if app.answers["via_agent"] else set()
        required |= {"household_register"} if app.answers["first_home_tax_relief"] else set()
        assert slots == required
        (cert,) = _docs(app, "property_certificate", "property_certificate")
        (deal,) = _docs(app, "sale_contract", "sale_contract")
        fronts = _docs(app, "seller_id_card", "id_card_front")
        backs = _docs(app, "seller_id_card", "id_card_back") + _docs(
            app, "buyer_id_card", "id_card_back"
        )
        buyers = _docs(app, "buyer_id_card", "id_card_front")
        assert [p["name"] for p in deal["sellers"]] == [f["name"] for f in fronts] == cert["owners"]
        assert [p["id_number"] for p in deal["sellers"]] == [f["id_number"] for f in fronts]
        assert [(p["name"], p["id_number"]) for p in deal["buyers"]] == [
            (b["name"], b["id_number"]) for b in buyers
        ]
        assert deal["location"] == cert["location"]
        assert deal["certificate_number"] == cert["certificate_number"]
        for b in backs:
            assert b["valid_until"] == "长期" or date.fromisoformat(b["valid_until"]) > app.as_of
        for f in app.files:
            for s in f.samples:
                _check_numbers(s.doc_type, dict(s.fields))
        if app.answers["seller_married"]:
            (m,) = _docs(app, "seller_marriage_certificate", "marriage_certificate")
            assert {s["name"] for s in m["spouses"]} >= {fronts[0]["name"]}
        if app.answers["via_agent"]:
            (poa,) = _docs(app, "power_of_attorney", "power_of_attorney")
            (agent,) = _docs(app, "agent_id_card", "id_card_front")
            assert poa["agent"] == {"name": agent["name"], "id_number": agent["id_number"]}
            assert poa["principal"]["name"] in [p["name"] for p in deal["sellers"] + deal["buyers"]]


@pytest.mark.slow
def test_upload_formats_are_what_citizens_send(
    clean_apps: list[Application], defect_apps: dict[str, Application]
) -> None:
    apps = [*clean_apps, *defect_apps.values()]
    exts = {f.filename.rsplit(".", 1)[1] for a in apps for f in a.files}
    assert exts == {"jpg", "png", "pdf"}
    card_files = [f for a in apps for f in a.files if f.slot.endswith("id_card")]
    assert any(
        f.doc_types == ("id_card_front", "id_card_back") and f.filename.endswith(".pdf")
        for f in card_files
    )
    copies = [
        f for f in card_files if len(f.samples) == 2 and f.samples[0].pages is f.samples[1].pages
    ]
    assert copies, "one photocopied sheet with both sides"
    assert all(f.samples[0].size[1] > f.samples[0].size[0] for f in copies)  # an A4 sheet
    photo_app = clean_apps[1]
    assert all(f.filename.endswith(".jpg") for f in photo_app.files)


@pytest.mark.slow
def test_each_defect_is_really_in_the_golden_facts(defect_apps: dict[str, Application]) -> None:
    for name, app in defect_apps.items():
        spec = DEFECTS[name]
        assert app.defect == name and app.expected_verdict == "needs_fix"
        assert (
            app.expected_findings[0].code == spec.code
            and app.expected_findings[0].field == spec.field
        )
        _check_files_decode(app)
        certs = _docs(app, "property_certificate", "property_certificate")
        deals = _docs(app, "sale_contract", "sale_contract")
        fronts = _docs(app, "seller_id_card", "id_card_front")
        backs = _docs(app, "seller_id_card", "id_card_back")
        seller_names = [p["name"] for p in deals[0]["sellers"]] if deals else []
        if name == "missing_material":
            slot = app.expected_findings[0].slot
            assert slot not in {f.slot for f in app.files}
            assert slot in {"property_certificate", "sale_contract", "seller_marriage_certificate"}
        elif name == "missing_id_back":
            assert len(fronts) == len(backs) + 1
            assert fronts[0]["name"] == app.sellers[0].name and all(
                b["valid_from"] != app.sellers[0].valid_from.isoformat() for b in backs
            )
        elif name == "wrong_document":
            (f,) = [f for f in app.files if f.slot == "property_certificate"]
            assert f.doc_types == ("business_license",)
        elif name == "expired_id":
            first = [b for b in backs if b["valid_from"] == app.sellers[0].valid_from.isoformat()]
            assert first and date.fromisoformat(first[0]["valid_until"]) < app.as_of
        elif name == "owner_differs_from_seller":
            assert certs[0]["owners"][0] != seller_names[0]
        elif name == "contract_id_typo":
            printed = deals[0]["sellers"][0]["id_number"]
            assert printed != fronts[0]["id_number"] and is_valid_id_number(printed)
            assert (
                sum(a != b for a, b in zip(printed[:17], fronts[0]["id_number"][:17], strict=True))
                == 1
            )
        elif name == "location_differs":
            assert deals[0]["location"] != certs[0]["location"]
        elif name == "certificate_number_differs":
            assert deals[0]["certificate_number"] != certs[0]["certificate_number"]
            assert is_valid_certificate_number(deals[0]["certificate_number"])
        elif name in ("blurry_photo", "tiny_photo"):
            issue = "blurry" if name == "blurry_photo" else "too_small"
            bad = [
                s
                for f in app.files
                if f.slot == "seller_id_card"
                for s in f.samples
                if issue in s.expected_issues
            ]
            assert len(bad) == 1 and bad[0].doc_type == "id_card_front"
            if name == "tiny_photo":
                assert max(bad[0].size) <= 200
        elif name == "agent_mismatch":
            (poa,) = _docs(app, "power_of_attorney", "power_of_attorney")
            (agent,) = _docs(app, "agent_id_card", "id_card_front")
            assert (
                poa["agent"]["name"] != agent["name"]
                and poa["agent"]["id_number"] != agent["id_number"]
            )
        elif name == "co_owner_not_signing":
            assert len(certs[0]["owners"]) == len(seller_names) + 1
            assert set(seller_names) < set(certs[0]["owners"])
        elif name == "forged_check_digit":
            assert not is_valid_id_number(fronts[0]["id_number"])
            assert deals[0]["sellers"][0]["id_number"] == fronts[0]["id_number"]
            assert is_valid_id_number(
                fronts[0]["id_number"][:17]
                + synthdocs.validators.id_check_char(fronts[0]["id_number"][:17])
            )
        elif name == "marriage_certificate_other_person":
            (m,) = _docs(app, "seller_marriage_certificate", "marriage_certificate")
            assert not {s["name"] for s in m["spouses"]} & set(seller_names)
        else:  # pragma: no cover - a new defect needs its own check here
            pytest.fail(f"no check for defect {name}")
        # nothing else is wrong: every other number is valid
        if name not in ("forged_check_digit",):
            for f in app.files:
                for s in f.samples:
                    _check_numbers(s.doc_type, dict(s.fields))


@pytest.mark.slow
def test_same_seed_same_application_bytes(defect_apps: dict[str, Application]) -> None:
    i = list(DEFECTS).index("location_differs")
    again = heldout.build_application(
        seed=40 + i, defect="location_differs", seller_married=i % 2 == 1, sellers=1 + (i % 3 == 0)
    )
    first = defect_apps["location_differs"]
    assert [(f.slot, f.filename, f.data) for f in again.files] == [
        (f.slot, f.filename, f.data) for f in first.files
    ]
    assert again.expected_findings == first.expected_findings
    other = defect_apps["certificate_number_differs"]  # another seed
    assert not {f.data for f in other.files} & {f.data for f in first.files}


def test_application_set_is_clean_combinations_and_one_per_defect(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def record(**kwargs: Any) -> Application:
        calls.append(kwargs)
        return Application(
            matter="second-hand-house-transfer",
            answers={},
            files=(),
            as_of=AS_OF,
            defect=kwargs.get("defect"),
            expected_verdict="ready" if kwargs.get("defect") is None else "needs_fix",
            expected_findings=(),
            seed=kwargs["seed"],
        )

    monkeypatch.setattr(happ, "build_application", record)
    out = heldout.application_set(seed=2, style="photo")
    # v1 draws no signatures or seals, so it orders none of their defects
    v1_defects = sorted(d for d in DEFECTS if d not in MARK_DEFECTS)
    assert len(out) == 8 + len(v1_defects) == 22
    clean = [c for c in calls if c.get("defect") is None]
    combos = [
        {k: c[k] for k in ("seller_married", "via_agent", "first_home_tax_relief")} for c in clean
    ]
    assert sorted(map(str, combos)) == sorted(map(str, answer_combinations()))
    assert sorted(c["defect"] for c in calls if c.get("defect")) == v1_defects
    assert {c["style"] for c in calls} == {"photo"}
    assert len({c["seed"] for c in calls}) == 22
