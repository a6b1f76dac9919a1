"""The document vocabulary: closed sets are enums whose JSON is the same strings as before."""

from __future__ import annotations

import json

import pytest

from ocr.document import (
    DOC_TYPES,
    QUALITY_ISSUES,
    DocType,
    Document,
    Field,
    IdCardSide,
    Quality,
    QualityIssue,
)

CONTRACT_DOC_TYPES = (
    "id_card_front", "id_card_back", "property_certificate", "sale_contract",
    "marriage_certificate", "power_of_attorney", "household_register", "business_license",
    "unknown",
)  # fmt: skip
CONTRACT_QUALITY_ISSUES = ("blurry", "too_small", "too_dark", "glare", "cropped", "no_text")


def test_tuples_are_the_enum_values_of_the_contract() -> None:
    assert DOC_TYPES == CONTRACT_DOC_TYPES == tuple(t.value for t in DocType)
    assert QUALITY_ISSUES == CONTRACT_QUALITY_ISSUES == tuple(i.value for i in QualityIssue)
    assert all(type(t) is str for t in (*DOC_TYPES, *QUALITY_ISSUES))


def _doc(doc_type: str, issues: tuple[str, ...] = ()) -> Document:
    return Document(
        doc_type=doc_type,  # type: ignore[arg-type]
        confidence=0.9,
        pages=1,
        quality=Quality(ok=not issues, issues=issues),  # type: ignore[arg-type]
        fields={"valid_until": Field("长期", 0.95, box=(1, 2, 3, 4))},
    )


def test_strings_become_enums_and_json_stays_plain_strings() -> None:
    d = _doc("id_card_back", ("glare", "cropped"))
    assert d.doc_type is DocType.ID_CARD_BACK
    assert d.quality.issues == (QualityIssue.GLARE, QualityIssue.CROPPED)
    out = d.to_json()
    assert type(out["doc_type"]) is str and all(type(i) is str for i in out["quality"]["issues"])
    assert json.loads(json.dumps(out)) == {
        "doc_type": "id_card_back",
        "confidence": 0.9,
        "pages": 1,
        "quality": {"ok": False, "issues": ["glare", "cropped"]},
        "fields": {"valid_until": {"value": "长期", "confidence": 0.95, "page": 0,
                                   "box": [1, 2, 3, 4]}},
    }  # fmt: skip


def test_unknown_type_or_issue_is_refused() -> None:
    with pytest.raises(ValueError):
        _doc("passport")
    with pytest.raises(ValueError):
        _doc("id_card_back", ("smudged",))


def _full_doc() -> Document:
    return Document(
        doc_type="id_card_front",  # type: ignore[arg-type]
        confidence=0.8731,
        pages=2,
        quality=Quality(ok=False, issues=("glare",), metrics={"sharpness": 812.5, "glare": 0.02}),  # type: ignore[arg-type]
        fields={
            "name": Field("张三", 0.9912, page=0, box=(10, 20, 110, 60)),
            "id_number": Field(
                "330106198503120017", 0.3, page=0, box=(5, 5, 9, 9),
                suggestion="330106198503120016", valid=False,
            ),
            "valid_until": Field("长期", 0.95, page=1, box=None, valid=True),
            "sellers": Field([{"name": "李四", "id_number": "x"}], 0.7, box=(1, 2, 3, 4)),
        },
        sha256="ab" * 32,
        sides=("back", "front"),  # type: ignore[arg-type]
    )  # fmt: skip


def test_document_round_trips_through_its_dict_and_json_text() -> None:
    d = _full_doc()
    raw = d.to_dict()
    again = Document.from_dict(json.loads(json.dumps(raw, ensure_ascii=False)))
    assert again == d
    assert again.sides == (IdCardSide.FRONT, IdCardSide.BACK) and again.both_sides
    assert again.fields["id_number"].suggestion == "330106198503120016"
    assert again.fields["id_number"].box == (5, 5, 9, 9)
    assert dict(again.quality.metrics) == {"sharpness": 812.5, "glare": 0.02}
    # the contract JSON is unchanged: no sides, metrics or digest in it
    assert set(d.to_json()) == {"doc_type", "confidence", "pages", "quality", "fields"}
    assert set(d.to_json()["quality"]) == {"ok", "issues"}


def test_id_card_side_defaults_to_the_type_and_other_types_have_none() -> None:
    assert _doc("id_card_back").sides == (IdCardSide.BACK,)
    assert not _doc("id_card_back").both_sides
    assert _doc("sale_contract").sides == ()
    back = Document.from_dict(_doc("id_card_back").to_json())
    assert back.sides == (IdCardSide.BACK,)
    with pytest.raises(ValueError):
        Document(doc_type="sale_contract", confidence=1.0, pages=1,  # type: ignore[arg-type]
                 quality=Quality(ok=True), fields={}, sides=("front",))  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(ValueError):
        Document.from_dict({**_doc("id_card_front").to_dict(), "sides": ["top"]})
