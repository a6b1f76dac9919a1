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
