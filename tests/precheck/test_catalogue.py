"""The matters catalogue: every bundled matter loads, and malformed files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.document import DOC_TYPES
from precheck import CatalogueError, InvalidAnswersError, UnknownMatterError, load_catalogue
from precheck.catalogue import parse_matter_yaml

REQUIRED = {
    "second-hand-house-transfer",
    "individual-business-registration",
    "company-registration",
    "real-estate-mortgage-registration",
    "newborn-one-thing",
    "social-security-card",
}

MINIMAL = """
id: t
name: 测试事项
sources: [{title: 指南, url: "http://example.gov.cn/x", date: 2020-01-01}]
questions: [{id: married, text: 是否已婚？, because: 您已婚}]
slots:
  - {id: card, name: 身份证, doc_types: [id_card_front, id_card_back], source: 身份证明}
  - {id: cert, name: 结婚证, when: married, doc_types: [marriage_certificate], source: 结婚证}
"""


def test_bundled_catalogue_has_the_six_matters_with_sources():
    cat = load_catalogue()
    assert set(cat.matters) >= REQUIRED
    for m in cat:
        assert m.sources and all(s.url.startswith("http") for s in m.sources)
        assert m.silent_on, f"{m.id} must say where its guides are silent"
        for slot in m.slots.values():
            assert set(slot.doc_types) <= set(DOC_TYPES)
            assert slot.source


def test_house_transfer_is_exactly_the_contract():
    m = load_catalogue().get("second-hand-house-transfer")
    assert set(m.questions) == {"seller_married", "via_agent", "first_home_tax_relief"}
    uploads = {s.id: s for s in m.slots.values() if s.provided_by == "upload"}
    assert {k: v.doc_types for k, v in uploads.items()} == {
        "seller_id_card": ("id_card_front", "id_card_back"),
        "buyer_id_card": ("id_card_front", "id_card_back"),
        "property_certificate": ("property_certificate",),
        "sale_contract": ("sale_contract",),
        "seller_marriage_certificate": ("marriage_certificate",),
        "power_of_attorney": ("power_of_attorney",),
        "agent_id_card": ("id_card_front", "id_card_back"),
        "household_register": ("household_register",),
    }
    assert m.slots["tax_receipt"].provided_by == "data_sharing"
    only = {"seller_married": "seller_marriage_certificate", "via_agent": "power_of_attorney",
            "first_home_tax_relief": "household_register"}  # fmt: skip
    for answer, slot in only.items():
        assert not m.slots[slot].when.holds({})
        assert m.slots[slot].when.holds({answer: True})


def test_minimal_matter_parses():
    m = parse_matter_yaml(MINIMAL)
    assert m.slots["cert"].when.holds({"married": True})
    assert not m.slots["cert"].when.holds({"married": False})


@pytest.mark.parametrize(
    "mutation,needle",
    [
        (("[marriage_certificate]", "[marriage_paper]"), "文档类型未知"),
        (("when: married", "when: divorced"), "未定义的问题 divorced"),
        (("id: cert,", "id: card,"), "重复"),
        (("source: 结婚证}", "source: 结婚证, colour: red}"), "未知的键"),
        (("name: 测试事项", "nmae: 测试事项"), "未知的键"),
        (("slots:", "slotz:"), "未知的键"),
    ],
)
def test_malformed_matter_is_a_clear_error(mutation, needle):
    text = MINIMAL.replace(*mutation)
    assert text != MINIMAL
    with pytest.raises(CatalogueError) as e:
        parse_matter_yaml(text, source="t.yaml")
    assert needle in e.value.message and "t.yaml" in e.value.message


def test_file_name_must_match_id(tmp_path: Path):
    (tmp_path / "other.yaml").write_text(MINIMAL, encoding="utf-8")
    with pytest.raises(CatalogueError, match="文件名"):
        load_catalogue(tmp_path)


def test_unknown_matter_and_bad_answers():
    cat = load_catalogue()
    with pytest.raises(UnknownMatterError):
        cat.get("no-such-matter")
    m = cat.get("second-hand-house-transfer")
    with pytest.raises(InvalidAnswersError, match="seller_maried"):
        m.validate_answers({"seller_maried": True})
    with pytest.raises(InvalidAnswersError):
        m.validate_answers({"seller_married": "yes"})
    assert m.validate_answers({"via_agent": True}) == {
        "seller_married": False, "via_agent": True, "first_home_tax_relief": False,
    }  # fmt: skip
