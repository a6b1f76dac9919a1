"""The document types the reader knows, one module each, registered in :data:`REGISTRY`.

A module describes its type as a :class:`~ocr.doctypes.base.DocumentType`: the keywords that
classify it, its labels in the wordings real documents use, the CONTRACT §3 field names it
yields and its extractor. Adding a type is adding a module and a line here.
"""

from __future__ import annotations

import re
from datetime import date

from ocr.doctypes import (
    business_license,
    household_register,
    id_card_back,
    id_card_front,
    marriage_certificate,
    power_of_attorney,
    property_certificate,
    sale_contract,
)
from ocr.doctypes.base import DocumentType
from ocr.document import DocType, Field
from ocr.layout import PageText
from ocr.plausibility import apply as plausibility

#: Every known type, in :class:`DocType` order (classification ties go to the first).
REGISTRY: tuple[DocumentType, ...] = (
    id_card_front.TYPE,
    id_card_back.TYPE,
    property_certificate.TYPE,
    sale_contract.TYPE,
    marriage_certificate.TYPE,
    power_of_attorney.TYPE,
    household_register.TYPE,
    business_license.TYPE,
)

BY_TYPE: dict[DocType, DocumentType] = {t.doc_type: t for t in REGISTRY}

#: Below this keyword coverage the type is ``unknown``.
MIN_COVERAGE = 0.4


def classify(text: str) -> tuple[DocType, float]:
    """The document type whose keywords cover most of their weight in ``text``, and a
    confidence in [0, 1] (coverage, reduced when a runner-up is close). ``unknown`` below 0.4."""
    flat = re.sub(r"\s", "", text)
    scores = {}
    for t in REGISTRY:
        total = sum(w for _, w in t.keywords)
        # a keyword may name its synonyms: 出卖人|转让方|卖方 is one keyword, found if any is
        score = sum(w for k, w in t.keywords if any(a in flat for a in k.split("|"))) / total
        if any(k in flat for k in t.foreign):
            score *= 0.5
        scores[t.doc_type] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, s1), (_, s2) = ranked[0], ranked[1]
    if s1 < MIN_COVERAGE:
        return DocType.UNKNOWN, round(1.0 - s1, 3)
    margin = s1 - s2
    conf = min(1.0, s1) * (0.6 + 0.4 * min(1.0, margin / 0.4))
    return DocType(best), round(conf, 3)


def extract(doc_type: DocType, pt: PageText, *, today: date | None = None) -> dict[str, Field]:
    """The fields of ``doc_type`` read from ``pt`` (none for ``unknown``), each value's
    confidence capped when it does not look like its field (:mod:`ocr.plausibility`)."""
    t = BY_TYPE.get(DocType(doc_type))
    return plausibility(t.doc_type, t.extract(pt, today), today=today) if t is not None else {}
