"""Tests of the synthetic-document generator (synthdocs/): its numbers are valid, its golden
boxes land on the printed values before and after degradations, every encoder produces bytes
that decode, the hostile files are what they claim, and every planted defect is really there."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import cv2
import numpy as np
import pypdf
import pypdfium2 as pdfium
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageOps

from synthdocs import (
    DEGRADATIONS,
    DOC_TYPES,
    ENCODERS,
    REFERENCE_DATE,
    Sample,
    fonts_available,
    generate,
    hostile,
    photo,
    rotate90,
    rotate180,
    rotate270,
    scan,
    text_layer_boxes,
    to_pdf,
)
from synthdocs import data as d
from synthdocs.applications import (
    DEFECTS,
    Application,
    answer_combinations,
    build_application,
)
from synthdocs.validators import (
    USCC_CHARS,
    credit_code_check_char,
    id_check_char,
    is_valid_certificate_number,
    is_valid_credit_code,
    is_valid_id_number,
    is_valid_unit_number,
)
from tests.contract_shapes import CONTRACT_FIELDS, ISO, field_paths

pytestmark = pytest.mark.skipif(bool(fonts_available()), reason="CJK fonts not installed")

FINDING_CODES = {
    "missing_material",
    "missing_page",
    "wrong_document",
    "unreadable",
    "expired_document",
    "invalid_id_number",
    "field_mismatch",
    "low_confidence",
    "missing_signature",
    "missing_seal",
    "seal_mismatch",
}


@pytest.fixture(scope="module")
def samples() -> dict[str, Sample]:
    return {t: generate(t, seed=11) for t in DOC_TYPES}


def _ink(img: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Fraction of pixels in ``box`` clearly darker than the surroundings' paper."""
    x0, y0, x1, y1 = box
    grey = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    crop = grey[y0:y1, x0:x1]
    pad = 30
    ring = grey[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad]
    paper = float(np.percentile(ring, 90))
    return float((crop < paper - 60).mean())


# ---------------------------------------------------------------------------------------------
# validators: published examples and property tests
# ---------------------------------------------------------------------------------------------


def test_validators_accept_published_examples() -> None:
    assert is_valid_id_number("11010519491231002X")
    assert is_valid_id_number("440524188001010014")
    assert id_check_char("51310119820113001") == "4"
    assert is_valid_credit_code("91350100M000100Y43")
    assert not is_valid_credit_code("91350100M000100Y4Z")
    for unit in ("351001012010GB01859F00040015", "371602111013GB00002F00310033"):
        assert is_valid_unit_number(unit)
    for number in ("浙(2017)嘉善县不动产权第0049447号", "川（2025）成都市不动产权第0373259号"):
        assert is_valid_certificate_number(number)
    assert not is_valid_certificate_number("浙2019杭州市不动产权第0123456号")
    assert not is_valid_certificate_number("浙(2014)杭州市不动产权第0123456号")


@given(st.text("0123456789", min_size=17, max_size=17), st.integers(0, 17), st.integers(1, 9))
def test_id_check_char_detects_every_single_substitution(body: str, pos: int, delta: int) -> None:
    number = body + id_check_char(body)
    if pos == 17:
        alphabet = "0123456789X"
        wrong = alphabet[(alphabet.index(number[17]) + delta) % 11]
    else:
        wrong = str((int(number[pos]) + delta) % 10)
    mutated = number[:pos] + wrong + number[pos + 1 :]
    assert id_check_char(mutated[:17]) != mutated[17]


@given(st.text(USCC_CHARS, min_size=17, max_size=17), st.integers(0, 16), st.integers(1, 30))
def test_credit_check_char_detects_every_single_substitution(
    body: str, pos: int, delta: int
) -> None:
    check = credit_code_check_char(body)
    wrong = USCC_CHARS[(USCC_CHARS.index(body[pos]) + delta) % 31]
    mutated = body[:pos] + wrong + body[pos + 1 :]
    assert credit_code_check_char(mutated) != check


# ---------------------------------------------------------------------------------------------
# facts
# ---------------------------------------------------------------------------------------------


def test_people_have_valid_consistent_unexpired_cards() -> None:
    import random

    rng = random.Random(5)
    for _ in range(300):
        p = d.random_person(rng)
        assert is_valid_id_number(p.id_number)
        assert p.id_number[:6] in d.area_codes()
        assert p.id_number[6:14] == f"{p.birth_date:%Y%m%d}"
        assert int(p.id_number[16]) % 2 == (1 if p.sex == "男" else 0)
        assert p.address.startswith("浙江省")
        assert p.issuing_authority.endswith(("公安局", "分局"))
        assert p.valid_from <= REFERENCE_DATE
        if p.valid_until is not None:
            assert (p.valid_until - REFERENCE_DATE).days > 365
            # 居民身份证法 第五条: 10 or 20 years for adults issued before 46
            assert p.valid_until.year - p.valid_from.year in (10, 20)
            assert (p.valid_until.month, p.valid_until.day) == (
                p.valid_from.month,
                p.valid_from.day,
            )
        expired = d.random_person(rng, expired=True)
        assert expired.valid_until is not None and expired.valid_until < REFERENCE_DATE
        forged = d.forge_check_char(p.id_number)
        assert forged[:17] == p.id_number[:17] and not is_valid_id_number(forged)


def test_companies_and_properties_have_valid_numbers() -> None:
    import random

    rng = random.Random(9)
    for _ in range(200):
        c = d.random_company(rng)
        assert is_valid_credit_code(c.credit_code), c.credit_code
        assert c.credit_code.startswith("91")
        prop = d.random_property(rng, owners=(d.random_person(rng),))
        assert is_valid_unit_number(prop.unit_number), prop.unit_number
        assert prop.unit_number[:6] in d.area_codes()
        assert is_valid_certificate_number(prop.certificate_number)
        assert re.fullmatch(r"\d+\.\d{2}", prop.area)


def test_chinese_amounts() -> None:
    assert d.chinese_amount(2350000) == "贰佰叁拾伍万元整"
    assert d.chinese_amount(1005000) == "壹佰万伍仟元整"
    assert d.chinese_amount(120000000) == "壹亿贰仟万元整"


# ---------------------------------------------------------------------------------------------
# rendered documents
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_same_seed_same_document(doc_type: str) -> None:
    a, b = generate(doc_type, seed=7), generate(doc_type, seed=7)
    assert a.fields == b.fields
    assert a.boxes == b.boxes
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))
    assert generate(doc_type, seed=8).fields != a.fields


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_fields_have_contract_shape(doc_type: str, samples: dict[str, Sample]) -> None:
    s = samples[doc_type]
    assert set(s.fields) == CONTRACT_FIELDS[doc_type]
    for key, value in s.fields.items():
        if key.endswith("date") or key in ("valid_from",):
            assert ISO.match(value), (key, value)
        if key == "valid_until":
            assert value == "长期" or ISO.match(value)
        if key in ("id_number", "credit_code") or key in ("sellers", "buyers", "spouses"):
            for v in value if isinstance(value, list) else [value]:
                number = v["id_number"] if isinstance(v, dict) else v
                ok = is_valid_id_number if key != "credit_code" else is_valid_credit_code
                assert ok(number), number
        if key == "certificate_number" and doc_type != "marriage_certificate":
            assert "（" not in value and is_valid_certificate_number(value)
    if doc_type == "sale_contract":
        assert s.fields["price"].isdigit()
    if doc_type == "property_certificate":
        assert re.fullmatch(r"\d+\.\d{2}", s.fields["area"])
        assert isinstance(s.fields["owners"], list)
        assert " " not in s.fields["unit_number"]


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_every_value_has_an_inked_box_inside_its_page(
    doc_type: str, samples: dict[str, Sample]
) -> None:
    s = samples[doc_type]
    expected = {p for k, v in s.fields.items() for p in field_paths(v, k)}
    assert expected <= set(s.boxes), expected - set(s.boxes)
    for key, fb in s.boxes.items():
        h, w = s.pages[fb.page].shape[:2]
        x0, y0, x1, y1 = fb.box
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, key
        assert _ink(s.pages[fb.page], fb.box) > 0.05, f"{key}: no ink in its box"


@pytest.mark.parametrize("doc_type", DOC_TYPES)
def test_value_boxes_do_not_overlap(doc_type: str, samples: dict[str, Sample]) -> None:
    s = samples[doc_type]
    items = list(s.boxes.items())
    for i, (ka, a) in enumerate(items):
        for kb, b in items[i + 1 :]:
            if a.page != b.page:
                continue
            ix = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
            iy = min(a.box[3], b.box[3]) - max(a.box[1], b.box[1])
            assert ix <= 1 or iy <= 1, f"{ka} overlaps {kb}"


def test_unknown_document_has_text_but_no_fields() -> None:
    s = generate("unknown", seed=2)
    assert s.doc_type == "unknown" and s.fields == {} and not s.boxes
    assert s.texts and "unknown" not in DOC_TYPES
    assert generate("unknown", seed=2).fields == s.fields
    assert not np.array_equal(generate("unknown", seed=3).image, s.image)


def test_id_card_is_card_sized_and_fast_enough_to_batch() -> None:
    s = generate("id_card_front", seed=1)
    assert s.size == (1011, 638) and s.dpi == 300
    assert generate("sale_contract", seed=1).size == (1240, 1754)
    assert len(generate("sale_contract", seed=1).pages) == 2


def test_printed_id_override_is_golden() -> None:
    import random

    p = d.random_person(random.Random(3))
    forged = d.forge_check_char(p.id_number)
    from synthdocs import render_id_card_front

    s = render_id_card_front(p, printed_id=forged)
    assert s.fields["id_number"] == forged


# ---------------------------------------------------------------------------------------------
# degradations and box geometry
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rot", "k"), [(rotate90, -1), (rotate180, 2), (rotate270, 1)])
def test_quarter_turns_map_boxes_exactly(rot: Any, k: int, samples: dict[str, Sample]) -> None:
    s = samples["id_card_front"]
    r = rot(s)
    assert set(r.boxes) == set(s.boxes)
    for key, fb in s.boxes.items():
        x0, y0, x1, y1 = fb.box
        rx0, ry0, rx1, ry1 = r.boxes[key].box
        original = s.image[y0:y1, x0:x1]
        turned = r.image[ry0:ry1, rx0:rx1]
        assert np.array_equal(np.rot90(original, k=k), turned), key


@pytest.mark.parametrize(
    ("doc_type", "look"),
    [
        ("id_card_front", photo),
        ("id_card_back", photo),
        ("property_certificate", photo),
        ("business_license", scan),
    ],
)
def test_photo_quads_land_on_the_same_text(
    doc_type: str, look: Any, samples: dict[str, Sample]
) -> None:
    s = samples[doc_type]
    p = look(s, seed=4)
    assert p.degradations == (look.__name__,) and not p.expected_issues
    assert p.size != s.size
    for key, fb in s.boxes.items():
        x0, y0, x1, y1 = fb.box
        bw, bh = x1 - x0, y1 - y0
        quad = np.array(p.boxes[key].quad, np.float32)
        rect = np.array([[0, 0], [bw, 0], [bw, bh], [0, bh]], np.float32)
        back = cv2.warpPerspective(p.image, cv2.getPerspectiveTransform(quad, rect), (bw, bh))
        a = cv2.cvtColor(s.image[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY).astype(np.float32)
        b = cv2.cvtColor(back, cv2.COLOR_BGR2GRAY).astype(np.float32)
        corr = np.corrcoef(a.ravel(), b.ravel())[0, 1]
        assert corr > 0.6, f"{key}: photo quad does not cover the same text (r={corr:.2f})"
        assert _ink(p.image, p.boxes[key].box) > 0.02


def test_rotated_photo_boxes_have_ink(samples: dict[str, Sample]) -> None:
    r = rotate90(photo(samples["id_card_front"], seed=2))
    assert r.degradations == ("photo", "rotate90")
    for key, fb in r.boxes.items():
        assert _ink(r.image, fb.box) > 0.02, key


@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_degradations_are_deterministic_and_declare_their_issue(
    name: str, samples: dict[str, Sample]
) -> None:
    fn = DEGRADATIONS[name]
    s = samples["id_card_front"]
    a, b = fn(s, seed=3), fn(s, seed=3)
    assert np.array_equal(a.image, b.image) and a.boxes == b.boxes
    assert a.fields == s.fields
    expected = {
        "blur": "blurry",
        "tiny": "too_small",
        "dark": "too_dark",
        "glare": "glare",
        "cropped": "cropped",
    }.get(name)
    assert a.expected_issues == ((expected,) if expected else ())
    assert not a.backgrounds and not a.texts  # no text-layer PDF of a degraded page
    for fb in a.boxes.values():
        h, w = a.pages[fb.page].shape[:2]
        assert 0 <= fb.box[0] < fb.box[2] <= w and 0 <= fb.box[1] < fb.box[3] <= h


def test_quality_degradations_measurably_degrade(samples: dict[str, Sample]) -> None:
    s = samples["id_card_front"]
    grey = cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY)

    def sharp(img: np.ndarray) -> float:
        return float(cv2.Laplacian(cv2.cvtColor(img, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())

    assert sharp(DEGRADATIONS["blur"](s).image) < sharp(s.image) / 20
    assert cv2.cvtColor(DEGRADATIONS["dark"](s).image, cv2.COLOR_BGR2GRAY).mean() < 60 < grey.mean()
    assert max(DEGRADATIONS["tiny"](s).size) <= 200
    g = DEGRADATIONS["glare"](s)
    assert (cv2.cvtColor(g.image, cv2.COLOR_BGR2GRAY) >= 250).mean() > 0.05


def test_cropped_cuts_part_of_the_document_off(samples: dict[str, Sample]) -> None:
    s = samples["sale_contract"]
    c = DEGRADATIONS["cropped"](s, seed=1, cut=0.3, side="top")
    h, w = c.image.shape[:2]
    lost = 0
    for key, fb in s.boxes.items():
        if fb.page != 0:
            continue
        if key not in c.boxes:
            lost += 1
            continue
        q = np.array(c.boxes[key].quad)
        inside = (q[:, 0] >= 0).all() and (q[:, 0] <= w).all()
        inside = inside and (q[:, 1] >= 0).all() and (q[:, 1] <= h).all()
        lost += not inside
    assert lost >= 1


# ---------------------------------------------------------------------------------------------
# encoders
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(ENCODERS))
def test_every_encoder_produces_decodable_bytes(fmt: str, samples: dict[str, Sample]) -> None:
    s = samples["sale_contract"]
    data = ENCODERS[fmt](s)
    if fmt.startswith("pdf"):
        doc = pdfium.PdfDocument(data)
        assert len(doc) == len(s.pages)
        img = doc[0].render(scale=s.dpi / 72).to_pil()
        assert abs(img.width - s.size[0]) <= 1 and abs(img.height - s.size[1]) <= 1
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        assert bool(text.strip()) == (fmt == "pdf_text")
    else:
        im = Image.open(io.BytesIO(data))
        im.load()
        assert im.size == s.size
        if fmt in ("png", "bmp", "tiff"):  # lossless
            assert np.array_equal(np.asarray(im.convert("RGB"))[:, :, ::-1], s.image)


def test_text_layer_pdf_carries_the_golden_values(samples: dict[str, Sample]) -> None:
    s = samples["sale_contract"]
    data = to_pdf(s, text_layer=True)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    flat = re.sub(r"\s", "", text).replace("（", "(").replace("）", ")").replace(",", "")
    f = s.fields
    for party in f["sellers"] + f["buyers"]:
        assert party["name"] in flat and party["id_number"] in flat
    for key in ("location", "certificate_number", "price"):
        assert f[key] in flat
    page = pdfium.PdfDocument(data)[0].render(scale=s.dpi / 72).to_pil()
    rendered = np.asarray(page.convert("RGB"))[:, :, ::-1]
    for key, fb in text_layer_boxes(s).items():
        if fb.page == 0:
            assert _ink(rendered, fb.box) > 0.05, key


def test_text_layer_needs_a_clean_sample(samples: dict[str, Sample]) -> None:
    with pytest.raises(ValueError, match="clean sample"):
        to_pdf(photo(samples["id_card_front"]), text_layer=True)


def test_multi_page_tiff(samples: dict[str, Sample]) -> None:
    from synthdocs import to_tiff

    im = Image.open(io.BytesIO(to_tiff(samples["household_register"], all_pages=True)))
    assert getattr(im, "n_frames", 1) == len(samples["household_register"].pages)


# ---------------------------------------------------------------------------------------------
# hostile files
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostiles(samples: dict[str, Sample]) -> dict[str, hostile.HostileFile]:
    return {h.name: h for h in hostile.hostile_files(samples["id_card_front"])}


def test_hostile_files_are_small_and_declare_errors(
    hostiles: dict[str, hostile.HostileFile],
) -> None:
    allowed = {"unsupported_type", "corrupt_file", "too_large", "encrypted"}
    assert len(hostiles) >= 15
    for h in hostiles.values():
        assert len(h.data) < 2_000_000, h.name
        assert h.expected_errors and set(h.expected_errors) <= allowed, h.name


def test_hostile_files_are_what_they_claim(hostiles: dict[str, hostile.HostileFile]) -> None:
    for name in (
        "decompression_bomb_png",
        "decompression_bomb_png_complete",
        "huge_dimensions_jpeg",
    ):
        with pytest.raises(Image.DecompressionBombError):
            Image.open(io.BytesIO(hostiles[name].data))
    with pytest.raises(OSError):
        Image.open(io.BytesIO(hostiles["truncated_jpeg"].data)).load()
    assert hostiles["zero_byte"].data == b""
    for name in ("encrypted_pdf", "encrypted_pdf_empty_password"):
        assert pypdf.PdfReader(io.BytesIO(hostiles[name].data)).is_encrypted
    assert len(pypdf.PdfReader(io.BytesIO(hostiles["many_pages_pdf"].data)).pages) == 10_000
    box = pypdf.PdfReader(io.BytesIO(hostiles["huge_page_pdf"].data)).pages[0].mediabox
    assert box.width == 14_400
    poly = hostiles["polyglot_pdf_zip"].data
    assert poly.startswith(b"%PDF") and b"PK\x03\x04" in poly
    assert hostiles["polyglot_jpeg_zip"].data.startswith(b"\xff\xd8")
    assert hostiles["svg_as_png"].data.lstrip().startswith(b"<?xml")
    assert hostiles["text_as_jpg"].data.decode().startswith("姓名")


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_rotated_jpeg_is_upright_after_transpose(
    orientation: int, samples: dict[str, Sample]
) -> None:
    s = samples["id_card_front"]
    raw = Image.open(io.BytesIO(hostile.exif_rotated_jpeg(s, orientation=orientation)))
    assert raw.getexif()[0x0112] == orientation
    assert raw.size == (s.size if orientation == 3 else s.size[::-1])
    upright = np.asarray(ImageOps.exif_transpose(raw).convert("RGB"))[:, :, ::-1]
    assert upright.shape == s.image.shape
    assert np.abs(upright.astype(int) - s.image.astype(int)).mean() < 4


# ---------------------------------------------------------------------------------------------
# applications: an independent golden checker over the rendered truth
# ---------------------------------------------------------------------------------------------

ACCEPTED = {
    "seller_id_card": {"id_card_front", "id_card_back"},
    "buyer_id_card": {"id_card_front", "id_card_back"},
    "agent_id_card": {"id_card_front", "id_card_back"},
    "property_certificate": {"property_certificate"},
    "sale_contract": {"sale_contract"},
    "seller_marriage_certificate": {"marriage_certificate"},
    "power_of_attorney": {"power_of_attorney"},
    "household_register": {"household_register"},
}


def golden_findings(app: Application) -> set[tuple[str, str]]:
    """(code, slot) pairs that the golden content of ``app`` implies (CONTRACT §2 rules)."""
    docs = [(f.slot, s) for f in app.files for s in f.samples]
    found: set[tuple[str, str]] = set()
    required = {"seller_id_card", "buyer_id_card", "property_certificate", "sale_contract"}
    required |= {"seller_marriage_certificate"} if app.answers["seller_married"] else set()
    if app.answers["via_agent"]:
        required |= {"power_of_attorney", "agent_id_card"}
    required |= {"household_register"} if app.answers["first_home_tax_relief"] else set()
    found |= {("missing_material", slot) for slot in required - {slot for slot, _ in docs}}

    def of(slot: str, doc_type: str) -> list[Sample]:
        return [s for sl, s in docs if sl == slot and s.doc_type == doc_type]

    for slot, s in docs:
        if s.doc_type not in ACCEPTED[slot]:
            found.add(("wrong_document", slot))
        if s.expected_issues:
            found.add(("unreadable", slot))
    for slot in ("seller_id_card", "buyer_id_card", "agent_id_card"):
        if len(of(slot, "id_card_back")) < len(of(slot, "id_card_front")):
            found.add(("missing_page", slot))
        for back in of(slot, "id_card_back"):
            until = back.fields["valid_until"]
            if until != "长期" and date.fromisoformat(until) < app.as_of:
                found.add(("expired_document", slot))
        for front in of(slot, "id_card_front"):
            if not is_valid_id_number(front.fields["id_number"]):
                found.add(("invalid_id_number", slot))
    cards = {
        slot: {(s.fields["name"], s.fields["id_number"]) for s in of(slot, "id_card_front")}
        for slot in ("seller_id_card", "buyer_id_card", "agent_id_card")
    }
    contracts, certs = (
        of("sale_contract", "sale_contract"),
        of("property_certificate", "property_certificate"),
    )
    for c in contracts:
        for role, slot in (("sellers", "seller_id_card"), ("buyers", "buyer_id_card")):
            for party in c.fields[role]:
                if not is_valid_id_number(party["id_number"]):
                    found.add(("invalid_id_number", "sale_contract"))
                if (party["name"], party["id_number"]) not in cards[slot]:
                    found.add(("field_mismatch", "sale_contract"))
        for cert in certs:
            if sorted(cert.fields["owners"]) != sorted(p["name"] for p in c.fields["sellers"]):
                found |= {
                    ("field_mismatch", "property_certificate"),
                    ("field_mismatch", "sale_contract"),
                }
            for key in ("location", "certificate_number"):
                if cert.fields[key] != c.fields[key]:
                    found.add(("field_mismatch", "sale_contract"))
    sellers = {p["name"] for c in contracts for p in c.fields["sellers"]}
    for m in of("seller_marriage_certificate", "marriage_certificate"):
        if not sellers & {sp["name"] for sp in m.fields["spouses"]}:
            found.add(("field_mismatch", "seller_marriage_certificate"))
    for poa in of("power_of_attorney", "power_of_attorney"):
        agent = (poa.fields["agent"]["name"], poa.fields["agent"]["id_number"])
        if agent not in cards["agent_id_card"]:
            found.add(("field_mismatch", "power_of_attorney"))
        parties = {
            (p["name"], p["id_number"])
            for c in contracts
            for p in c.fields["sellers"] + c.fields["buyers"]
        }
        principal = (poa.fields["principal"]["name"], poa.fields["principal"]["id_number"])
        if principal not in parties:
            found.add(("field_mismatch", "power_of_attorney"))
    # the mark places (synthdocs.marks): an empty place, a missing or foreign seal
    for slot, s in docs:
        for m in s.marks:
            if m.kind in ("signature", "fingerprint") and not m.present:
                found.add(("missing_signature", slot))
            elif m.kind == "seal" and not m.present:
                found.add(("missing_seal", slot))
            elif m.kind == "seal" and m.org != m.expected_org:
                found.add(("seal_mismatch", slot))
    return found


@pytest.mark.parametrize(
    "answers", answer_combinations(), ids=lambda a: "-".join(k for k, v in a.items() if v) or "none"
)
def test_clean_applications_are_complete_and_consistent(answers: dict[str, bool]) -> None:
    app = build_application(
        seed=21,
        sellers=2,
        buyers=1,
        seller_married=answers["seller_married"],
        via_agent=answers["via_agent"],
        first_home_tax_relief=answers["first_home_tax_relief"],
    )
    assert app.expected_verdict == "ready" and not app.expected_findings
    assert golden_findings(app) == set()
    assert all(f.data for f in app.files)
    slots = {slot for slot, _, _ in app.uploads}
    assert ("seller_marriage_certificate" in slots) == answers["seller_married"]
    assert ("power_of_attorney" in slots) == answers["via_agent"]
    assert ("household_register" in slots) == answers["first_home_tax_relief"]


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_is_planted_and_only_it(defect: str) -> None:
    app = build_application(seed=33, defect=defect)
    assert app.expected_verdict == "needs_fix"
    assert app.expected_findings
    found = golden_findings(app)
    for e in app.expected_findings:
        assert e.code in FINDING_CODES
        assert (e.code, e.slot) in found, (e, found)
    # nothing else is wrong (an owners/sellers mismatch shows on both documents)
    allowed = {(e.code, e.slot) for e in app.expected_findings}
    if any(e.code == "field_mismatch" for e in app.expected_findings):
        allowed |= {("field_mismatch", "property_certificate"), ("field_mismatch", "sale_contract")}
    assert found <= allowed, found


def test_applications_are_deterministic() -> None:
    a = build_application(seed=4, via_agent=True, defect="contract_id_typo")
    b = build_application(seed=4, via_agent=True, defect="contract_id_typo")
    assert a.uploads == b.uploads and a.expected_findings == b.expected_findings


def test_photo_style_application_uploads_jpegs() -> None:
    app = build_application(seed=5, style="photo", seller_married=True)
    assert golden_findings(app) == set()
    for f in app.files:
        assert f.filename.endswith(".jpg")
        Image.open(io.BytesIO(f.data)).load()
    assert sum(f.slot == "sale_contract" for f in app.files) == 2  # one photo per page


def test_unknown_defect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown defect"):
        build_application(seed=1, defect="nonsense")
