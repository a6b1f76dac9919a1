"""What every rule sees (``CheckContext``) and the small helpers rules share.

Trust model. A value read from a document is *trusted* when its field was read with confidence
at or above ``min_field_confidence``, or when exactly the same normalised value was read from a
second, different upload (two independent reads agreeing; ``normalize`` only removes
presentation differences, so this is never fuzzy matching). A rule concludes "defect" only
from trusted values; when a needed value is untrusted or absent it yields ``low_confidence``
(a reviewer must look), so an application is ``ready`` only when every rule passed on trusted
values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from ocr.document import DocType, Document, Field, IdCardSide, QualityIssue
from ocr.plausibility import UNSURE_CAP, outside_gb2312
from precheck import normalize
from precheck.catalogue import Matter, Slot
from precheck.findings import Evidence, Finding, FindingCode, Severity, Upload
from precheck.settings import PrecheckSettings

#: Quality issues after which nothing read from the image can be relied on.
FATAL_QUALITY = frozenset({QualityIssue.BLURRY, QualityIssue.TOO_SMALL, QualityIssue.NO_TEXT})


def quality_fatal(doc: Document) -> bool:
    """True when the image is too poor to use at all: a fatal issue, or a partial one (glare,
    dark, cropped) that left no field read. A partial issue on a document whose fields were
    read is for a reviewer, not a reason to reject what was read."""
    if doc.quality.ok:
        return False
    return bool(FATAL_QUALITY & set(doc.quality.issues)) or not doc.fields


#: The "file index" of the applicant's verified identity among the facts (no upload has it).
APPLICANT_FACT = -1


class FactKind(StrEnum):
    """What a value read on one upload can be corroborated as, by the same value read on
    another (``CheckContext.corroborated``)."""

    NAME = "name"
    ID_NUMBER = "id_number"
    CREDIT_CODE = "credit_code"


#: Fields that hold a unified social credit code, on whatever document carries one.
CREDIT_CODE_FIELDS = ("credit_code",)


class Rule(Protocol):
    """A check over a whole application. Never raises for a citizen's mistake."""

    def check(self, ctx: CheckContext) -> list[Finding]: ...


@dataclass(frozen=True)
class Person:
    name: str | None
    id_number: str | None


@dataclass(frozen=True)
class Read:
    """One field of one upload, with whether its confidence alone makes it trusted."""

    upload: Upload
    name: str
    field: Field
    confident: bool

    @property
    def value(self) -> Any:
        return self.field.value

    def evidence(self, value: Any = None) -> Evidence:
        return Evidence(
            file=self.upload.file,
            page=self.field.page,
            box=self.field.box,
            value=self.field.value if value is None else value,
            confidence=float(self.field.confidence),
        )


def _people(value: Any) -> list[Person] | None:
    """A list of ``{name, id_number}`` (or bare names); None when the shape is not that."""
    if not isinstance(value, list):
        return None
    out: list[Person] = []
    for item in value:
        if isinstance(item, str):
            out.append(Person(normalize.name(item) or None, None))
        elif isinstance(item, Mapping):
            n, i = item.get("name"), item.get("id_number")
            out.append(
                Person(
                    normalize.name(n) if isinstance(n, str) and n.strip() else None,
                    normalize.id_number(i) if isinstance(i, str) and i.strip() else None,
                )
            )
        else:
            return None
    return out


def person_of(value: Any) -> Person | None:
    """A single person: ``{name, id_number}`` or a bare name."""
    if isinstance(value, str):
        return Person(normalize.name(value) or None, None) if value.strip() else None
    if isinstance(value, Mapping):
        people = _people([value])
        return people[0] if people else None
    return None


def people_of(value: Any) -> list[Person] | None:
    return _people(value)


_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    m = _ISO.match(value.strip())
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


@dataclass(frozen=True)
class CheckContext:
    matter: Matter
    answers: Mapping[str, bool]
    uploads: tuple[Upload, ...]
    as_of: dt.date
    settings: PrecheckSettings
    # (kind, normalised value) -> the indexes of the uploads it was read from
    _seen: Mapping[tuple[FactKind, str], frozenset[int]] = field(default_factory=dict)
    #: the signed-in applicant's verified identity (实名认证), when known: certain, not read
    applicant: Person | None = None

    @classmethod
    def build(
        cls,
        *,
        matter: Matter,
        answers: Mapping[str, bool],
        uploads: Sequence[Upload],
        as_of: dt.date,
        settings: PrecheckSettings,
        applicant: Person | None = None,
    ) -> CheckContext:
        ctx = cls(matter, answers, tuple(uploads), as_of, settings)
        seen: dict[tuple[FactKind, str], set[int]] = defaultdict(set)
        for up in ctx.uploads:
            if ctx.is_usable(up):
                for kind, value in ctx.facts_in(up):
                    seen[(kind, value)].add(up.file)
        if applicant is not None:
            # a verified identity is a fact of its own (no file: index -1), so a value read
            # from a document that equals it is corroborated
            if applicant.name:
                seen[(FactKind.NAME, applicant.name)].add(APPLICANT_FACT)
            if applicant.id_number:
                seen[(FactKind.ID_NUMBER, applicant.id_number)].add(APPLICANT_FACT)
        return cls(matter, answers, tuple(uploads), as_of, settings,
                   {k: frozenset(v) for k, v in seen.items()}, applicant)  # fmt: skip

    # --- slots and uploads -------------------------------------------------------------------

    def applicable(self) -> Iterator[Slot]:
        """Upload slots that the answers make required."""
        for slot in self.matter.slots.values():
            if slot.provided_by == "upload" and slot.when.holds(self.answers):
                yield slot

    def in_slot(self, slot: str) -> list[Upload]:
        return [u for u in self.uploads if u.slot == slot]

    def is_usable(self, up: Upload) -> bool:
        """Readable, not fatally poor, and of a type its slot accepts: its fields may be used
        (each with its own confidence)."""
        doc = up.document
        if doc is None or quality_fatal(doc) or doc.doc_type == DocType.UNKNOWN:
            return False
        slot = self.matter.slots.get(up.slot)
        return slot is not None and doc.doc_type in slot.doc_types

    def usable(self, slot: str, doc_type: DocType | None = None) -> list[tuple[Upload, Document]]:
        out = []
        for up in self.in_slot(slot):
            doc = up.document
            if self.is_usable(up) and doc is not None and doc_type in (None, doc.doc_type):
                out.append((up, doc))
        return out

    def read(self, up: Upload, name: str) -> Read | None:
        """The field, or None when it was not read (absent or empty)."""
        if up.document is None:
            return None
        f = up.document.fields.get(name)
        if f is None or f.value in ("", None, [], {}):
            return None
        return Read(up, name, f, f.confidence >= self.settings.min_field_confidence)

    # --- trust ---------------------------------------------------------------------------------

    def corroborated(self, kind: FactKind, value: str, *, besides: int) -> bool:
        """True when ``value`` (normalised) was also read as a ``kind`` from a usable upload
        other than ``besides``."""
        return bool(self._seen.get((FactKind(kind), value), frozenset()) - {besides})

    def trusted(self, read: Read, kind: FactKind | None = None, value: str | None = None) -> bool:
        if read.confident:
            return True
        if kind is None or value is None:
            return False
        return self.corroborated(kind, value, besides=read.upload.file)

    def facts_in(self, up: Upload) -> Iterator[tuple[FactKind, str]]:
        """Every value on the upload that another upload can corroborate, normalised: the names
        and ID numbers of the people it names, and any unified social credit code."""
        for person, sure in self.people_in(up):
            if person.name and sure:
                yield FactKind.NAME, person.name
            if person.id_number:
                yield FactKind.ID_NUMBER, person.id_number
        doc = up.document
        for key in CREDIT_CODE_FIELDS:
            f = doc.fields.get(key) if doc is not None else None
            if f is not None and isinstance(f.value, str) and f.value.strip():
                yield FactKind.CREDIT_CODE, normalize.credit_code(f.value)

    def people_in(self, up: Upload) -> list[tuple[Person, bool]]:
        """Every person named on a document, each with whether the name was read at
        ``min_field_confidence`` or above. A name the reader itself doubts corroborates nothing:
        the same recogniser misreads a rare character the same way on two documents (湉 as 活),
        so two doubtful readings agreeing are not two independent ones. An ID number agreeing
        digit for digit still counts at any confidence (a number that fails its check digit is
        read low because it fails it, and two documents printing it alike show it is printed so)."""
        doc = up.document
        if doc is None:
            return []
        least = self.settings.min_field_confidence
        out: list[tuple[Person, bool]] = []
        if doc.doc_type == DocType.ID_CARD_FRONT:
            n, i = doc.fields.get("name"), doc.fields.get("id_number")
            p = Person(
                normalize.name(n.value) if n and isinstance(n.value, str) else None,
                normalize.id_number(i.value) if i and isinstance(i.value, str) else None,
            )
            out.append((p, n is not None and n.confidence >= least))
        for key in ("sellers", "buyers", "spouses", "members", "owners"):
            f = doc.fields.get(key)
            if f is not None:
                out.extend((p, f.confidence >= least) for p in people_of(f.value) or [])
        for key in ("principal", "agent", "holder", "legal_representative"):
            f = doc.fields.get(key)
            if f is not None:
                p2 = person_of(f.value)
                if p2 is not None:
                    out.append((p2, f.confidence >= least))
        return out


# --- finding helpers ---------------------------------------------------------------------------


def low_confidence(read: Read | None, *, slot: str, field_name: str, what: str) -> Finding:
    """A value a rule needs was read with low confidence (or not at all): a reviewer confirms."""
    if read is None:
        return Finding(
            FindingCode.LOW_CONFIDENCE,
            Severity.WARNING,
            slot,
            field_name,
            f"未能识别{what}，需人工核对；如材料不清晰，请重新上传清晰完整的照片",
        )
    return Finding(
        FindingCode.LOW_CONFIDENCE,
        Severity.WARNING,
        slot,
        field_name,
        f"{what}识别不够确定，需人工核对",
        (read.evidence(),),
    )


def certain(ctx: CheckContext, ev: Evidence) -> bool:
    """Whether a finding that tells the applicant to fix something may rest on ``ev``: it is
    not a read value (a document type, a file problem), or it was read at
    ``certain_confidence`` or above, or every name and number in it was read identically from
    another usable upload (two independent readings agreeing; for a name, both trusted)."""
    if ev.confidence is None or ev.confidence >= ctx.settings.certain_confidence:
        return True
    # a name is certain by agreement only between two trusted readings (see people_in)
    names = ev.confidence >= ctx.settings.min_field_confidence
    return _corroborated_value(ctx, ev.value, besides=ev.file, names=names)


def _corroborated_value(ctx: CheckContext, value: Any, *, besides: int, names: bool) -> bool:
    if isinstance(value, str):
        v = value.strip()
        if not v:
            return False
        return (
            (names and ctx.corroborated(FactKind.NAME, normalize.name(v), besides=besides))
            or ctx.corroborated(FactKind.ID_NUMBER, normalize.id_number(v), besides=besides)
            or ctx.corroborated(FactKind.CREDIT_CODE, normalize.credit_code(v), besides=besides)
        )
    if isinstance(value, list):
        people = people_of(value)
    else:
        one = person_of(value)
        people = [one] if one is not None else None
    if not people:
        return False
    for p in people:
        if p.name is None and p.id_number is None:
            return False
        if p.name and not (names and ctx.corroborated(FactKind.NAME, p.name, besides=besides)):
            return False
        if p.id_number and not ctx.corroborated(FactKind.ID_NUMBER, p.id_number, besides=besides):
            return False
    return True


#: What a reviewer's finding says before the defect it suspects.
UNSURE_NOTE = "需人工核对："
UNSURE_TAIL = "（该判断依据的识别结果不够确定，核对前无需更正）"


def lean(ctx: CheckContext, findings: Iterable[Finding]) -> list[Finding]:
    """The verdict leans the right way: an ``error`` (needs_fix) resting on any value that is not
    :func:`certain` becomes a ``warning`` with the same code, slot, field and evidence
    (needs_review: a reviewer confirms before the applicant is told to change anything)."""
    out: list[Finding] = []
    for f in findings:
        if f.severity == Severity.ERROR and (
            not all(certain(ctx, e) for e in f.evidence) or rare_character_difference(f)
        ):
            f = as_unsure(f)
        out.append(f)
    return out


def _names_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [normalize.name(value)] if value.strip() else []
    people = people_of(value) if isinstance(value, list) else None
    if people is None:
        one = person_of(value)
        people = [one] if one is not None else []
    return [p.name for p in people if p.name]


def rare_character_difference(f: Finding) -> bool:
    """Whether a mismatch of names may be a misreading rather than a defect: two names in its
    evidence of one length that differ only where one of them holds a rare character (郑娴湉 /
    郑娴活). Such a pair is not certain however often each side was read alike: the recogniser
    that misread the rare character once misreads it on every document printed in that face
    (rare: outside GB 2312, :func:`ocr.plausibility.outside_gb2312`, where a recogniser most
    often reads a common look-alike instead).
    A different person (张三 / 李四) or a typo in common characters still counts."""
    if f.code != FindingCode.FIELD_MISMATCH:
        return False
    names = {n for e in f.evidence for n in _names_in(e.value)}
    for a in names:
        for b in names:
            if a < b and len(a) == len(b):
                diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
                if diff and all(outside_gb2312(x + y) for x, y in diff):
                    return True
    return False


def shown_as_mismatch(f: Finding) -> bool:
    """Whether a difference resting on untrusted values is still shown to the reviewer as the
    difference it is (a warning with its code) rather than only as an unsure reading: every
    value in it was read at least as a doubtful but plausible one (``UNSURE_CAP``: a name read
    below the recogniser's sure score, 邹画 for 邹婳), not as a value that does not even look
    like its field."""
    return all(e.confidence is None or e.confidence >= UNSURE_CAP for e in f.evidence)


def reviewed(f: Finding, otherwise: Finding) -> Finding:
    """A defect ``f`` that rests on untrusted values: shown to the reviewer as what it is
    (:func:`as_unsure`) when :func:`shown_as_mismatch`, else the unsure reading ``otherwise``."""
    return as_unsure(f) if shown_as_mismatch(f) else otherwise


def as_unsure(f: Finding) -> Finding:
    """``f`` as a reviewer's warning: the same code, slot, field and evidence, its message
    saying a reviewer checks it first and nothing needs correcting yet."""
    if f.severity != Severity.ERROR:
        return f
    return replace(f, severity=Severity.WARNING, message=UNSURE_NOTE + f.message + UNSURE_TAIL)


def slot_label(ctx: CheckContext, slot: str) -> str:
    """The slot's name for a sentence, without its bracketed note (“（人像面和国徽面）”)."""
    s = ctx.matter.slots.get(slot)
    return re.sub(r"（[^（）]*）$", "", s.name) if s is not None else slot


def dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in findings:
        key = (f.code, f.slot, f.field, f.message, tuple(e.file for e in f.evidence))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


Normaliser = Callable[[str], str]


def merged_read(ctx: CheckContext, slot: str, doc_type: DocType, name: str) -> Read | None:
    """A field of a slot's document; when the document came as several files (pages), the
    first file, in upload order, on which the field was read."""
    for up, _doc in ctx.usable(slot, doc_type):
        r = ctx.read(up, name)
        if r is not None:
            return r
    return None


def list_trusted(ctx: CheckContext, read: Read, people: Sequence[Person]) -> bool:
    """A list field is trusted when read confidently or when every entry was read elsewhere too."""
    if read.confident:
        return True
    for p in people:
        if p.name and not ctx.corroborated(FactKind.NAME, p.name, besides=read.upload.file):
            return False
        if p.id_number and not ctx.corroborated(
            FactKind.ID_NUMBER, p.id_number, besides=read.upload.file
        ):
            return False
    return True


@dataclass(frozen=True)
class Card:
    """An ID card front as a person, with the reads behind it."""

    upload: Upload
    name: Read | None
    id_number: Read | None

    @property
    def person(self) -> Person:
        n = self.name.value if self.name is not None and isinstance(self.name.value, str) else None
        i = (
            self.id_number.value
            if self.id_number is not None and isinstance(self.id_number.value, str)
            else None
        )
        return Person(normalize.name(n) if n else None, normalize.id_number(i) if i else None)

    def trusted(self, ctx: CheckContext) -> bool:
        p = self.person
        return (
            self.name is not None
            and self.id_number is not None
            and p.name is not None
            and p.id_number is not None
            and ctx.trusted(self.name, FactKind.NAME, p.name)
            and ctx.trusted(self.id_number, FactKind.ID_NUMBER, p.id_number)
        )

    def evidence(self) -> tuple[Evidence, ...]:
        ev = [r.evidence() for r in (self.name, self.id_number) if r is not None]
        return tuple(ev) or (Evidence(file=self.upload.file),)


def cards(ctx: CheckContext, slot: str) -> list[Card]:
    """Every usable file in the slot that shows an ID card's front (a two-sided PDF read as
    its back still counts, with whatever front fields were read: none makes it untrusted)."""
    return [
        Card(up, ctx.read(up, "name"), ctx.read(up, "id_number"))
        for up, doc in ctx.usable(slot)
        if DocType.ID_CARD_FRONT in sides_of(doc)
    ]


def sides_of(doc: Document) -> set[DocType]:
    """The ID-card sides a file shows: its type and the sides the reader saw on it
    (``Document.sides``: both sides' own labels on one sheet, though a field of the other side
    was not read), plus the other side when the file has more than one page (a PDF of both
    sides) or carries the other side's fields."""
    if doc.doc_type not in ID_CARD_SIDES:
        return {doc.doc_type}
    sides = {doc.doc_type} | {_SIDE_TYPE[s] for s in doc.sides}
    if doc.pages >= 2 or "valid_until" in doc.fields:
        sides.add(DocType.ID_CARD_BACK)
    if doc.pages >= 2 or "id_number" in doc.fields:
        sides.add(DocType.ID_CARD_FRONT)
    return sides


#: The two sides of a citizen ID card, front first.
ID_CARD_SIDES = (DocType.ID_CARD_FRONT, DocType.ID_CARD_BACK)
_SIDE_TYPE = {IdCardSide.FRONT: DocType.ID_CARD_FRONT, IdCardSide.BACK: DocType.ID_CARD_BACK}
