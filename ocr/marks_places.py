"""Where a document type must carry a mark: the data each ``ocr.doctypes`` module declares
(``PLACES``) and :mod:`ocr.marks` looks for."""

from __future__ import annotations

from dataclasses import dataclass

SIGNATURE = "signature"
FINGERPRINT = "fingerprint"
SEAL = "seal"
MARK_KINDS = (SIGNATURE, FINGERPRINT, SEAL)


@dataclass(frozen=True)
class MarkPlace:
    """One place that must carry a mark.

    ``place``: whose mark (``"seller"``, ``"buyer"``, ``"principal"``, ``"registry"``);
    ``labels``: regular expressions of the printed label beside the place (on normalised OCR
    text: half-width brackets and colons); ``kinds``: the marks that satisfy it (any one);
    ``party``: the field listing who must sign (one place per party, ``seller[0]`` …), None
    for one place; ``who``: the signer as the citizen reads it (出卖人); ``org_field``: the
    field naming the organisation a seal must belong to; ``row_labels``: see below."""

    place: str
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    who: str
    party: str | None = None
    org_field: str | None = None
    #: the whole text of the row label of a signing table (签名栏: rows 出卖人 / 买受人 under
    #: the columns 签名 and 指印), where the label names the signer but not the mark
    row_labels: tuple[str, ...] = ()


#: The words that name a mark after the signer in a label: 签章 / 签字 / 签名 or 盖章 (the
#: first is enough: 签名并捺印, 签字/盖章, 盖章或签字). Not 手印 alone: a form's separate
#: "出卖人手印" beside "出卖人签字" is the same signer's place, not another signer's.
MARK_WORDS = r"(?:签[章字名]|盖章)"


def mark_label(*signers: str) -> str:
    """The label regex of a signer's place: one of ``signers``, optionally another of them in
    brackets (甲方（出卖人）, 出卖人（甲方）), a colon, an opening bracket, and a mark word
    (:data:`MARK_WORDS`), with what a form prints around it (亲笔/本人 before, 确认/处/栏
    after): 出卖人（签章）, 甲方（卖方）签字, 委托人签名/手印, 转让方：（签字）, 委托人（亲笔签名）,
    受托人签名确认."""
    who = "|".join(signers)
    return rf"(?:{who})(?:\((?:{who})\))?:?\(?(?:亲笔|本人)?{MARK_WORDS}(?:确认|处|栏)?"
