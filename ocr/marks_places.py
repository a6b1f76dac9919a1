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
