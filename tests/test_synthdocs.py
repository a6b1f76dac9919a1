"""Tests of the synthetic-document generator (tests/synthdocs)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.synthdocs import generate
from tests.synthdocs.validators import is_valid_certificate_number, is_valid_id_number

FIRST_TYPES = ("id_card_front", "id_card_back", "property_certificate", "sale_contract")


@pytest.mark.parametrize("doc_type", FIRST_TYPES)
def test_same_seed_same_document(doc_type: str) -> None:
    a, b = generate(doc_type, seed=7), generate(doc_type, seed=7)
    assert a.fields == b.fields
    assert a.boxes == b.boxes
    assert all(np.array_equal(x, y) for x, y in zip(a.pages, b.pages, strict=True))
    assert generate(doc_type, seed=8).fields != a.fields


@pytest.mark.parametrize("doc_type", FIRST_TYPES)
def test_boxes_inside_page_and_inked(doc_type: str) -> None:
    s = generate(doc_type, seed=1)
    assert s.boxes
    for key, fb in s.boxes.items():
        h, w = s.pages[fb.page].shape[:2]
        x0, y0, x1, y1 = fb.box
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, key
        crop = s.pages[fb.page][y0:y1, x0:x1].min(axis=2)
        assert (crop < 100).mean() > 0.05, f"{key} box has no ink"


def test_id_numbers_valid_and_consistent() -> None:
    for seed in range(200):
        f = generate("id_card_front", seed=seed).fields
        assert is_valid_id_number(f["id_number"])
        assert f["id_number"][6:14] == f["birth_date"].replace("-", "")
        assert int(f["id_number"][16]) % 2 == (1 if f["sex"] == "男" else 0)


def test_certificate_numbers_valid() -> None:
    for seed in range(50):
        s = generate("property_certificate", seed=seed)
        assert is_valid_certificate_number(s.fields["certificate_number"])
        assert len(s.fields["unit_number"]) == 28
