"""Rules every matter uses: files readable, right documents, quality, completeness, validity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ocr.document import DocType, Document, QualityIssue
from ocr.validators import id_birth_date, id_number_problems, id_sex, is_valid_credit_code
from precheck import normalize
from precheck.findings import Evidence, Finding, FindingCode, Severity, Upload
from precheck.rules.base import (
    ID_CARD_SIDES,
    CheckContext,
    FactKind,
    Read,
    low_confidence,
    parse_date,
    people_of,
    person_of,
    quality_fatal,
    sides_of,
    slot_label,
)

DOC_TYPE_NAMES: dict[DocType, str] = {
    DocType.ID_CARD_FRONT: "身份证人像面",
    DocType.ID_CARD_BACK: "身份证国徽面",
    DocType.PROPERTY_CERTIFICATE: "不动产权证书",
    DocType.SALE_CONTRACT: "买卖合同",
    DocType.MARRIAGE_CERTIFICATE: "结婚证",
    DocType.POWER_OF_ATTORNEY: "授权委托书",
    DocType.HOUSEHOLD_REGISTER: "户口簿",
    DocType.BUSINESS_LICENSE: "营业执照",
    DocType.UNKNOWN: "无法识别的材料",
}

_ID_PROBLEMS = {
    "format": "位数或字符不正确",
    "check_char": "校验位不正确",
    "birth_date": "出生日期不是有效日期",
}

QUALITY_WORDS: dict[QualityIssue, str] = {
    QualityIssue.BLURRY: "模糊",
    QualityIssue.TOO_SMALL: "分辨率太低",
    QualityIssue.TOO_DARK: "太暗",
    QualityIssue.GLARE: "有反光",
    QualityIssue.CROPPED: "不完整（被裁切）",
    QualityIssue.NO_TEXT: "未识别到文字",
}


_CERTIFICATE_CODES = frozenset(
    {
        FindingCode.CERTIFICATE_INVALID,
        FindingCode.CERTIFICATE_REVOKED,
    }
)


@dataclass(frozen=True)
class FilesReadable:
    """A file that could not be read at all (corrupt, encrypted, not a document...)."""

    def check(self, ctx: CheckContext) -> list[Finding]:
        out = []
        for up in ctx.uploads:
            if up.problem is not None and up.problem.code in _CERTIFICATE_CODES:
                # an e-certificate that failed verification: its own code and what is wrong
                out.append(
                    Finding(
                        FindingCode(up.problem.code),
                        Severity.ERROR,
                        up.slot,
                        None,
                        f"{slot_label(ctx, up.slot)}：{up.problem.message}",
                        (Evidence(file=up.file, value=up.problem.code),),
                    )
                )
            elif up.problem is not None:
                out.append(
                    Finding(
                        FindingCode.UNREADABLE,
                        Severity.ERROR,
                        up.slot,
                        None,
                        f"{slot_label(ctx, up.slot)}的文件无法读取（{up.problem.message}），"
                        "请上传清晰的照片、扫描件或 PDF",
                        (Evidence(file=up.file, value=up.problem.code),),
                    )
                )
        return out


@dataclass(frozen=True)
class DocumentTypeMatchesSlot:
    """The document in a slot is of a type the slot accepts."""

    def check(self, ctx: CheckContext) -> list[Finding]:
        out = []
        for up in ctx.uploads:
            doc = up.document
            slot = ctx.matter.slots.get(up.slot)
            if doc is None or slot is None:
                continue
            label = slot.name
            if not slot.machine_checkable:
                out.append(
                    Finding(
                        FindingCode.MANUAL_REVIEW,
                        Severity.WARNING,
                        up.slot,
                        None,
                        f"{label}需由工作人员人工核对",
                        (Evidence(file=up.file, value=doc.doc_type),),
                    )
                )
            elif doc.doc_type in slot.doc_types:
                if doc.confidence < ctx.settings.min_doc_confidence_match and not _continues(
                    ctx, up, doc
                ):
                    out.append(
                        Finding(
                            FindingCode.UNKNOWN_DOCUMENT,
                            Severity.WARNING,
                            up.slot,
                            None,
                            f"无法确定上传到“{label}”的文件是否为"
                            f"{DOC_TYPE_NAMES[doc.doc_type]}，需人工核对",
                            (Evidence(file=up.file, value=doc.doc_type),),
                        )
                    )
            elif doc.doc_type == DocType.UNKNOWN:
                out.append(
                    Finding(
                        FindingCode.UNKNOWN_DOCUMENT,
                        Severity.WARNING,
                        up.slot,
                        None,
                        f"无法确认上传到“{label}”的文件是什么材料，需人工核对；"
                        "如传错了文件，请重新上传",
                        (Evidence(file=up.file, value=doc.doc_type),),
                    )
                )
            else:
                wanted = "或".join(DOC_TYPE_NAMES[t] for t in slot.doc_types)
                got = DOC_TYPE_NAMES[doc.doc_type]
                sure = doc.confidence >= ctx.settings.min_doc_confidence
                out.append(
                    Finding(
                        FindingCode.WRONG_DOCUMENT,
                        Severity.ERROR if sure else Severity.WARNING,
                        up.slot,
                        None,
                        f"“{label}”中上传的是{got}，应上传{wanted}，请更换文件"
                        if sure
                        else f"“{label}”中的文件看起来像{got}，需人工核对是否传错",
                        (Evidence(file=up.file, value=doc.doc_type),),
                    )
                )
        return out


def _continues(ctx: CheckContext, up: Upload, doc: Document) -> bool:
    """An unsure page in a slot that also holds a confidently classified document of the same
    multi-page type is read as one more page of it (a contract photographed page by page)."""
    if doc.doc_type in ID_CARD_SIDES:
        return False
    return any(
        other.file != up.file
        and other.document is not None
        and other.document.doc_type == doc.doc_type
        and other.document.confidence >= ctx.settings.min_doc_confidence_match
        and ctx.is_usable(other)
        for other in ctx.in_slot(up.slot)
    )


@dataclass(frozen=True)
class ImageQuality:
    """A photo too poor to read reliably must be retaken."""

    def check(self, ctx: CheckContext) -> list[Finding]:
        out = []
        for up in ctx.uploads:
            doc = up.document
            if doc is None or doc.quality.ok:
                continue
            words = "、".join(QUALITY_WORDS[i] for i in doc.quality.issues) or "质量不佳"
            fatal = quality_fatal(doc)
            message = (
                f"{slot_label(ctx, up.slot)}的照片{words}，无法可靠识别，"
                "请在光线充足处平放拍摄完整、清晰的照片后重新上传"
                if fatal
                else f"{slot_label(ctx, up.slot)}的照片{words}，部分内容可能看不清，需人工核对；"
                "如方便，请重新拍摄清晰完整的照片"
            )
            out.append(
                Finding(
                    FindingCode.UNREADABLE,
                    Severity.ERROR if fatal else Severity.WARNING,
                    up.slot,
                    None,
                    message,
                    (Evidence(file=up.file, value=list(doc.quality.issues)),),
                )
            )
        return out


@dataclass(frozen=True)
class SlotsComplete:
    """Every required material is there; ID cards have both sides.

    How many people a ``per`` slot needs is judged by the matter's own rules (e.g. sellers
    named in the contract); this rule checks presence and that sides pair up.
    """

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for slot in ctx.applicable():
            ups = ctx.in_slot(slot.id)
            if not ups:
                if slot.accept_missing is not None:
                    days = slot.accept_missing.deadline_days
                    if days is None:
                        days = ctx.settings.accept_missing_default_days
                    deadline = ctx.as_of + dt.timedelta(days=days)
                    out.append(
                        Finding(
                            FindingCode.ACCEPTED_PENDING,
                            Severity.WARNING,
                            slot.id,
                            None,
                            f"尚未提供{slot.name}：可签署承诺书容缺受理，"
                            f"请于{deadline.year}年{deadline.month}月{deadline.day}日前补交",
                            deadline=deadline.isoformat(),
                        )
                    )
                else:
                    out.append(
                        Finding(
                            FindingCode.MISSING_MATERIAL,
                            Severity.ERROR,
                            slot.id,
                            None,
                            f"缺少{slot.name}，请上传",
                        )
                    )
                continue
            if len(slot.sides) < 2:
                continue
            counts = {side: 0 for side in slot.sides}
            for up in ups:
                if up.document is not None:
                    for side in sides_of(up.document):
                        if side in counts:
                            counts[side] += 1
            most = max(counts.values())
            if most == 0:
                continue  # nothing of the right type: DocumentTypeMatchesSlot has said why
            for side, n in counts.items():
                if n < most:
                    side_name = DOC_TYPE_NAMES[side]
                    out.append(
                        Finding(
                            FindingCode.MISSING_PAGE,
                            Severity.ERROR,
                            slot.id,
                            None,
                            f"{slot.name}缺少{side_name}（已上传{n}张，应为{most}张），"
                            "请补传每张证件的正反两面",
                        )
                    )
        return out


@dataclass(frozen=True)
class IdCardsValid:
    """ID card fronts: GB 11643 number, printed birth date and sex agree; backs: not expired."""

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for up in ctx.uploads:
            if not ctx.is_usable(up) or up.document is None:
                continue
            if up.document.doc_type == DocType.ID_CARD_FRONT:
                out.extend(_id_number_findings(ctx, up.slot, ctx.read(up, "id_number")))
            if DocType.ID_CARD_BACK in sides_of(up.document):
                out.extend(_expiry_findings(ctx, up.slot, ctx.read(up, "valid_until")))
        return out


def _id_number_findings(ctx: CheckContext, slot: str, rid: Read | None) -> list[Finding]:
    """A card's number, once trusted: valid under GB 11643, and agreeing with the birth date and
    sex printed beside it. An untrusted number is for a reviewer, whatever it says."""
    if rid is None or not isinstance(rid.value, str):
        return [low_confidence(rid, slot=slot, field_name="id_number", what="身份证号码")]
    number = normalize.id_number(rid.value)
    if not ctx.trusted(rid, FactKind.ID_NUMBER, number):
        return [low_confidence(rid, slot=slot, field_name="id_number", what="身份证号码")]
    problems = id_number_problems(number, today=ctx.as_of)
    if problems:
        reason = "、".join(_ID_PROBLEMS.get(p, p) for p in problems)
        return [
            Finding(
                FindingCode.INVALID_ID_NUMBER,
                Severity.ERROR,
                slot,
                "id_number",
                f"身份证号码{number}{reason}，不是有效的公民身份号码，请核对证件或更换有效证件",
                (rid.evidence(),),
            )
        ]
    return [
        *_printed_fact_findings(ctx, slot, rid, number, _PRINTED_BIRTH_DATE),
        *_printed_fact_findings(ctx, slot, rid, number, _PRINTED_SEX),
    ]


@dataclass(frozen=True)
class _PrintedFact:
    """A fact printed on the card that a valid ID number also encodes."""

    field: str
    what: str  # its name in a sentence
    printed: Callable[[Any], object | None]  # the field's value as the fact, None if unreadable
    encoded: Callable[[str], object]  # the fact as the number encodes it
    mismatch: Callable[[object, object], str]  # the message when both are sure and differ


def _printed_sex(value: Any) -> str | None:
    sex = value.strip() if isinstance(value, str) else None
    return sex if sex in ("男", "女") else None


_PRINTED_BIRTH_DATE = _PrintedFact(
    field="birth_date",
    what="出生日期",
    printed=parse_date,
    encoded=id_birth_date,
    mismatch=lambda _printed, encoded: (
        f"身份证上的出生日期与身份证号码中的出生日期（{encoded}）不一致，"
        "证件信息有误，请核对或更换证件"
    ),
)
_PRINTED_SEX = _PrintedFact(
    field="sex",
    what="性别",
    printed=_printed_sex,
    encoded=id_sex,
    mismatch=lambda printed, encoded: (
        f"身份证上的性别“{printed}”与身份证号码（第17位表示{encoded}）不一致，"
        "证件信息有误，请核对或更换证件"
    ),
)


def _printed_fact_findings(
    ctx: CheckContext, slot: str, rid: Read, number: str, fact: _PrintedFact
) -> list[Finding]:
    """The printed fact against the trusted number: a defect only when read confidently."""
    r = ctx.read(rid.upload, fact.field)
    printed = fact.printed(r.value) if r is not None else None
    encoded = fact.encoded(number)
    if printed == encoded:
        return []
    if r is None or printed is None or not r.confident:
        return [low_confidence(r, slot=slot, field_name=fact.field, what=fact.what)]
    return [
        Finding(
            FindingCode.INVALID_ID_NUMBER,
            Severity.ERROR,
            slot,
            fact.field,
            fact.mismatch(printed, encoded),
            (r.evidence(), rid.evidence()),
        )
    ]


def _expiry_findings(ctx: CheckContext, slot: str, r: Read | None) -> list[Finding]:
    """A card's back: its validity runs to the as-of date (``长期`` never ends)."""
    unsure = [low_confidence(r, slot=slot, field_name="valid_until", what="身份证有效期限")]
    if r is None or not isinstance(r.value, str):
        return unsure
    if r.value.strip() == "长期":
        return [] if r.confident else unsure
    until = parse_date(r.value)
    if until is None or not r.confident:
        return unsure
    if until < ctx.as_of:
        return [
            Finding(
                FindingCode.EXPIRED_DOCUMENT,
                Severity.ERROR,
                slot,
                "valid_until",
                f"{slot_label(ctx, slot)}已于{until.year}年{until.month}月{until.day}日过期，"
                "请先换领新证，或上传有效期内的证件",
                (r.evidence(),),
            )
        ]
    return []


@dataclass(frozen=True)
class IdNumbersOnDocumentsValid:
    """ID numbers written on other documents (contract, POA, marriage/household) pass GB 11643."""

    FIELDS = ("sellers", "buyers", "agent", "spouses", "members")

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for up in ctx.uploads:
            if not ctx.is_usable(up) or up.document is None:
                continue
            for name in self.FIELDS:
                r = ctx.read(up, name)
                if r is None:
                    continue
                people = people_of(r.value)
                if people is None:
                    single = person_of(r.value)
                    people = [single] if single is not None else []
                for p in people:
                    if p.id_number is None:
                        continue
                    if not id_number_problems(p.id_number, today=ctx.as_of):
                        continue
                    if not ctx.trusted(r, FactKind.ID_NUMBER, p.id_number):
                        continue  # a consistency rule reports the untrusted value if it matters
                    who = f"“{p.name}”" if p.name else ""
                    out.append(
                        Finding(
                            FindingCode.INVALID_ID_NUMBER,
                            Severity.ERROR,
                            up.slot,
                            name,
                            f"{slot_label(ctx, up.slot)}中{who}的身份证号码{p.id_number}"
                            "不是有效的公民身份号码（校验位或出生日期有误），请核对后更正",
                            (r.evidence(p.id_number),),
                        )
                    )
        return out


@dataclass(frozen=True)
class CreditCodesValid:
    """Business licences: the unified social credit code passes GB 32100."""

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for up in ctx.uploads:
            if not ctx.is_usable(up) or up.document is None:
                continue
            if up.document.doc_type != DocType.BUSINESS_LICENSE:
                continue
            r = ctx.read(up, "credit_code")
            if r is None or not isinstance(r.value, str):
                out.append(
                    low_confidence(
                        r, slot=up.slot, field_name="credit_code", what="统一社会信用代码"
                    )
                )
                continue
            code = normalize.credit_code(r.value)
            if is_valid_credit_code(code):
                if not ctx.trusted(r, FactKind.CREDIT_CODE, code):
                    out.append(
                        low_confidence(
                            r, slot=up.slot, field_name="credit_code", what="统一社会信用代码"
                        )
                    )
            elif r.confident:
                out.append(
                    Finding(
                        FindingCode.INVALID_ID_NUMBER,
                        Severity.ERROR,
                        up.slot,
                        "credit_code",
                        f"统一社会信用代码{code}校验不通过，请核对营业执照或更换有效执照",
                        (r.evidence(),),
                    )
                )
            else:
                out.append(
                    low_confidence(
                        r, slot=up.slot, field_name="credit_code", what="统一社会信用代码"
                    )
                )
        return out


@dataclass(frozen=True)
class PagesComplete:
    """A multi-page document has as many pages as it says it has ("第 1 页 共 2 页").

    Uses the reader's optional ``declared_pages`` field (the largest "共 N 页" printed); the
    pages counted are those of every file of that type in the slot (one photo per page, or
    one PDF).
    """

    def check(self, ctx: CheckContext) -> list[Finding]:
        out: list[Finding] = []
        for slot in ctx.applicable():
            by_type: dict[DocType, list[Upload]] = {}
            for up in ctx.in_slot(slot.id):
                if ctx.is_usable(up) and up.document is not None:
                    by_type.setdefault(up.document.doc_type, []).append(up)
            for doc_type, ups in by_type.items():
                declared = [r for up in ups if (r := ctx.read(up, "declared_pages")) is not None]
                if not declared:
                    continue
                r = max(declared, key=lambda x: _as_int(x.value))
                want = _as_int(r.value)
                have = sum(up.document.pages for up in ups if up.document is not None)
                if want <= have:
                    continue
                label = DOC_TYPE_NAMES[doc_type]
                if r.confident:
                    out.append(
                        Finding(
                            FindingCode.MISSING_PAGE,
                            Severity.ERROR,
                            slot.id,
                            "declared_pages",
                            f"{label}共{want}页，只上传了{have}页，请补传缺少的页面",
                            (r.evidence(),),
                        )
                    )
                else:
                    out.append(
                        low_confidence(
                            r, slot=slot.id, field_name="declared_pages", what=f"{label}页数"
                        )
                    )
        return out


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
