"""Signatures, fingerprints and seals: a contract nobody signed is never ``ready``.

Reads ``Document.marks`` (:mod:`ocr.marks`) of the materials whose type has mark places.
A place certainly empty (at or above :data:`CERTAIN_ABSENCE`, measured) is
``missing_signature`` / ``missing_seal`` (an error, needs_fix); an empty place below that
line, a place the detector cannot tell, a seal that is grey on a photocopy, or a seal whose rim
text names another organisation with less than certainty is a warning (needs_review). Never
an error on an uncertain detection: the evidence carries the detection's confidence, and
:func:`~precheck.rules.base.lean` turns an error on anything below certainty into a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ocr.document import DocType, Document
from ocr.marks import ABSENT, FINGERPRINT, PRESENT, SEAL, UNCERTAIN, MarkResult, place_status
from precheck.findings import Evidence, Finding, FindingCode, Severity, Upload
from precheck.rules.base import UNSURE_NOTE, CheckContext

#: What the citizen calls each material in a message.
_TITLE = {
    DocType.SALE_CONTRACT: "买卖合同",
    DocType.POWER_OF_ATTORNEY: "授权委托书",
    DocType.PROPERTY_CERTIFICATE: "不动产权证书",
}


def _nth(place: str, who: str, doc: Document, party_field: str | None) -> str:
    """出卖人王芳 / 第 2 位买受人: the signer, with the name the document prints."""
    m = re.search(r"\[(\d+)\]", place)
    if m is None:
        return who
    i = int(m.group(1))
    name = None
    if party_field and party_field in doc.fields:
        value = doc.fields[party_field].value
        if isinstance(value, list) and i < len(value) and isinstance(value[i], dict):
            name = value[i].get("name")
    if name:
        return f"{who}{name}"
    return who if i == 0 else f"第 {i + 1} 位{who}"


#: A present seal's rim-text comparison this sure may rest a needs_fix on (seal_mismatch).
#: Not the absence line below: the seal's text is read, not the place's emptiness.
CERTAIN_DETECTION = 0.85

#: The certain line of an "empty place" call (``missing_signature`` / ``missing_seal`` as an
#: error, needs_fix): an absence detected at or above it tells the citizen to fix the papers.
#: Measured on training (``python -m bench marks_eval --family training --first-seed 3
#: --seeds 4 --conditions clean,scan,photo,photocopy --app-seeds 0``; docs/document-ai.md,
#: "Marks (issue 17)", "Absence from evidence, and the certain-absence line"): the line may only
#: sit where the 95 % Wilson upper bound of "called absent at or above the line but a mark is
#: there" is ≤ 0.5 %, which with no such error takes ≥ 765 absent calls. That run had 11
#: signature, 19 fingerprint and 3 seal absence calls (none wrong; best upper bound 16.8 %) and
#: 7 empty places (35.4 %): no line is shown, so the line is above every confidence the
#: detector gives (``ocr.marks.MAX_ABSENT`` is 0.97): absence is never certain, an empty place
#: is a reviewer's warning (needs_review).
CERTAIN_ABSENCE = 1.01


def _trust(confidence: float, line: float = CERTAIN_DETECTION) -> float | None:
    return None if confidence >= line else confidence


def _on_seal(ev: tuple[Evidence, ...], m: MarkResult, read: str | None) -> tuple[Evidence, ...]:
    """The place's evidence pointed at the seal found there, with what its text read."""
    return (Evidence(ev[0].file, ev[0].page, m.box, read, ev[0].confidence),)


@dataclass(frozen=True)
class MarksPresent:
    """Every mark place of the materials in ``slots`` carries its mark."""

    slots: tuple[tuple[str, DocType], ...] = (
        ("sale_contract", DocType.SALE_CONTRACT),
        ("power_of_attorney", DocType.POWER_OF_ATTORNEY),
        ("property_certificate", DocType.PROPERTY_CERTIFICATE),
    )

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for slot, doc_type in self.slots:
            for up, doc in ctx.usable(slot, doc_type):
                out += self._document(slot, up, doc)
        return out

    def _document(self, slot: str, up: Upload, doc: Document) -> list[Finding]:
        from ocr.marks import places_of

        marks: Sequence[MarkResult] = doc.marks
        title = _TITLE.get(doc.doc_type, "材料")
        party_of = {p.place: p.party for p in places_of(doc.doc_type)}
        # what the signer must do there: sign and fingerprint, or (an agent) only sign
        act_of = {
            p.place: "签字并按手印" if FINGERPRINT in p.kinds else "签字"
            for p in places_of(doc.doc_type)
        }
        out: list[Finding] = []
        if doc.marks_read and not marks:
            # the detector looked and found none of the places: nobody can say the document
            # is signed or sealed, so a reviewer looks (never ready, never needs_fix)
            kinds = {k for p in places_of(doc.doc_type) for k in p.kinds}
            seal_only = kinds == {SEAL}
            return [
                Finding(
                    FindingCode.MISSING_SEAL if seal_only else FindingCode.MISSING_SIGNATURE,
                    Severity.WARNING,
                    slot,
                    None,
                    f"{UNSURE_NOTE}{title}中未能找到"
                    + (
                        "盖章处，请核对是否加盖印章"
                        if seal_only
                        else "签章处，请核对各方是否已签字"
                    ),
                    (Evidence(up.file),),
                )
            ]
        # a party the document lists whose signing place was not found: a reviewer looks
        found = {m.place for m in marks}
        for pl in places_of(doc.doc_type):
            if pl.party is None or pl.party not in doc.fields or not marks:
                continue
            value = doc.fields[pl.party].value
            for i in range(len(value) if isinstance(value, list) else 0):
                if f"{pl.place}[{i}]" not in found:
                    who = _nth(f"{pl.place}[{i}]", pl.who, doc, pl.party)
                    out.append(
                        Finding(
                            FindingCode.MISSING_SIGNATURE,
                            Severity.WARNING,
                            slot,
                            None,
                            f"{UNSURE_NOTE}{title}中未能找到{who}的签章处，请核对是否已签字并按手印",
                            (Evidence(up.file),),
                        )
                    )
        for place in dict.fromkeys(m.place for m in marks):
            here = [m for m in marks if m.place == place]
            first = here[0]
            page = f"第 {first.page + 1} 页"
            conf = min(m.confidence for m in here)
            # a detection at or above the certain line is not a read value to doubt (None);
            # below it, lean() makes any error on it a reviewer's warning
            absent = all(m.status == ABSENT for m in here)
            line = CERTAIN_ABSENCE if absent else CERTAIN_DETECTION
            ev = (Evidence(up.file, first.page, first.box, None, _trust(conf, line)),)
            if first.kind == SEAL:
                out += self._seal(slot, title, page, first, ev)
                continue
            who = _nth(place, first.who, doc, party_of.get(place.split("[")[0]))
            status = place_status(here, place)
            if status == PRESENT:
                continue
            what = f"{title}{page}{first.who}签章处"
            act = act_of.get(place.split("[")[0], "签字并按手印")
            if status == ABSENT and conf < CERTAIN_ABSENCE:
                # an empty place the detector is not certain of: a reviewer looks first
                out.append(
                    Finding(
                        FindingCode.MISSING_SIGNATURE,
                        Severity.WARNING,
                        slot,
                        None,
                        f"{UNSURE_NOTE}{what}似为空，请核对{who}是否已{act}",
                        ev,
                    )
                )
            elif status == ABSENT:
                out.append(
                    Finding(
                        FindingCode.MISSING_SIGNATURE,
                        Severity.ERROR,
                        slot,
                        None,
                        f"{what}为空，请{who}{act}",
                        ev,
                    )
                )
            else:
                out.append(
                    Finding(
                        FindingCode.MISSING_SIGNATURE,
                        Severity.WARNING,
                        slot,
                        None,
                        f"{UNSURE_NOTE}{what}未能确认有{who}的签字或手印，请核对原件",
                        ev,
                    )
                )
        return out

    def _seal(
        self, slot: str, title: str, page: str, m: MarkResult, ev: tuple[Evidence, ...]
    ) -> list[Finding]:
        where = f"{title}{page}{m.who}盖章处"
        if m.status == ABSENT and m.confidence < CERTAIN_ABSENCE:
            return [
                Finding(
                    FindingCode.MISSING_SEAL,
                    Severity.WARNING,
                    slot,
                    None,
                    f"{UNSURE_NOTE}{where}似无红色印章，请核对原件是否加盖{m.who}印章",
                    ev,
                )
            ]
        if m.status == ABSENT:
            return [
                Finding(
                    FindingCode.MISSING_SEAL,
                    Severity.ERROR,
                    slot,
                    None,
                    f"{where}没有红色印章，请提交加盖{m.who}印章的原件",
                    ev,
                )
            ]
        if m.status == UNCERTAIN:
            return [
                Finding(
                    FindingCode.MISSING_SEAL,
                    Severity.WARNING,
                    slot,
                    None,
                    f"{UNSURE_NOTE}{where}未能确认有印章，请核对原件",
                    ev,
                )
            ]
        if m.org_match is False:
            named = m.text or ""
            expected = m.expected_org or ""
            return [
                Finding(
                    FindingCode.SEAL_MISMATCH,
                    Severity.ERROR,
                    slot,
                    None,
                    f"{where}的印章为“{named}”，与证书所载登记机构（{expected}）不符，"
                    "请提交由该登记机构盖章的证书",
                    _on_seal(ev, m, named),
                )
            ]
        if m.copy:
            return [
                Finding(
                    FindingCode.MISSING_SEAL,
                    Severity.WARNING,
                    slot,
                    None,
                    f"{where}的印章不是红色，疑似复印件，请携带原件",
                    ev,
                )
            ]
        if m.org_match is not True:
            # a red seal whose rim was not read as the registry's: another organisation's seal
            # would look just like it, so a reviewer reads the rim before the case is ready
            expected = f"（{m.expected_org}）" if m.expected_org else ""
            return [
                Finding(
                    FindingCode.SEAL_MISMATCH,
                    Severity.WARNING,
                    slot,
                    None,
                    f"{UNSURE_NOTE}{where}印章文字未能识别，请核对是否为证书所载登记机构"
                    f"{expected}的印章",
                    _on_seal(ev, m, m.text or None),
                )
            ]
        return []
