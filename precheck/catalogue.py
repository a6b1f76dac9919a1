"""The catalogue of matters (办事事项): one YAML file per matter under ``precheck/matters/``.

Each file is sourced from real service guides and says where a guide is silent. It is validated
when loaded: an unknown document type, slot, answer or key is a ``CatalogueError`` naming the file.

Conditions (``when``) are a tiny language over the boolean answers::

    always | <answer id> | {not: C} | {all: [C, ...]} | {any: [C, ...]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ocr.document import DOC_TYPES
from precheck.errors import (
    CatalogueError,
    InvalidAnswersError,
    UnknownMatterError,
    UnknownSlotError,
)

MATTERS_DIR = Path(__file__).parent / "matters"

PROVIDED_BY = ("upload", "data_sharing", "online_form", "on_site")
#: Who each material is needed for; ``per`` multiplies a slot by the people in that role.
ROLES = (
    "seller", "buyer", "agent", "applicant", "operator", "family_member", "shareholder",
    "officer", "legal_representative", "mortgagor", "mortgagee", "parent",
)  # fmt: skip


# --- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Always:
    def holds(self, answers: Mapping[str, bool]) -> bool:
        return True

    def reasons(self, questions: Mapping[str, Question], answers: Mapping[str, bool]) -> list[str]:
        return []


@dataclass(frozen=True)
class Answer:
    question: str

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return answers.get(self.question, False)

    def reasons(self, questions: Mapping[str, Question], answers: Mapping[str, bool]) -> list[str]:
        return [questions[self.question].because] if self.holds(answers) else []


@dataclass(frozen=True)
class Not:
    inner: Condition

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return not self.inner.holds(answers)

    def reasons(self, questions: Mapping[str, Question], answers: Mapping[str, bool]) -> list[str]:
        if isinstance(self.inner, Answer) and self.holds(answers):
            return [questions[self.inner.question].because_not]
        return []


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return all(p.holds(answers) for p in self.parts)

    def reasons(self, questions: Mapping[str, Question], answers: Mapping[str, bool]) -> list[str]:
        return [r for p in self.parts for r in p.reasons(questions, answers)]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return any(p.holds(answers) for p in self.parts)

    def reasons(self, questions: Mapping[str, Question], answers: Mapping[str, bool]) -> list[str]:
        return [r for p in self.parts if p.holds(answers) for r in p.reasons(questions, answers)]


Condition = Always | Answer | Not | All | Any_


def _answers_named(cond: Condition) -> Iterator[str]:
    if isinstance(cond, Answer):
        yield cond.question
    elif isinstance(cond, Not):
        yield from _answers_named(cond.inner)
    elif isinstance(cond, All | Any_):
        for p in cond.parts:
            yield from _answers_named(p)


def _parse_condition(raw: Any, where: str) -> Condition:
    if raw is None or raw == "always":
        return Always()
    if isinstance(raw, str):
        return Answer(raw)
    if isinstance(raw, Mapping) and len(raw) == 1:
        ((op, arg),) = raw.items()
        if op == "not":
            return Not(_parse_condition(arg, where))
        if op in ("all", "any") and isinstance(arg, list) and arg:
            parts = tuple(_parse_condition(a, where) for a in arg)
            return All(parts) if op == "all" else Any_(parts)
    raise ValueError(f"{where}: 无法理解的条件 {raw!r}")


# --- the model -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    date: str | None
    region: str | None
    issuer: str | None


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    because: str  # "您已婚" → reason "因您已婚，需提供…"
    because_not: str = ""


@dataclass(frozen=True)
class AcceptMissing:
    """容缺受理: the material may be missing at acceptance if the applicant signs a promise."""

    deadline_days: int | None  # None: the source guide gives no deadline (a local policy applies)
    basis: str


@dataclass(frozen=True)
class Slot:
    id: str
    name: str
    when: Condition
    doc_types: tuple[str, ...]
    provided_by: str  # upload | data_sharing | online_form | on_site
    originals: str | None  # originals/copies as the guide words it, None when silent
    per: str | None  # one per person in this role ("seller"), None: one set
    sides: tuple[str, ...]  # doc types every person/set needs (front and back of an ID card)
    accept_missing: AcceptMissing | None
    source: str  # which guide material this slot is, as worded in the guide
    note: str | None

    @property
    def machine_checkable(self) -> bool:
        """False for materials with no document type the reader knows (judged by a person)."""
        return self.doc_types != ("unknown",)


@dataclass(frozen=True)
class Matter:
    id: str
    name: str
    department: str | None
    legal_basis: tuple[str, ...]
    sources: tuple[Source, ...]
    promised_time_limit: str | None
    legal_time_limit: str | None
    fee: str | None
    visits: str | None
    silent_on: tuple[str, ...]  # what the guides do not say
    questions: Mapping[str, Question]
    slots: Mapping[str, Slot]

    def slot(self, slot_id: str) -> Slot:
        try:
            return self.slots[slot_id]
        except KeyError:
            raise UnknownSlotError(self.id, slot_id) from None

    def validate_answers(self, answers: Mapping[str, Any]) -> dict[str, bool]:
        """Answers as booleans; missing keys are false. Unknown keys or non-booleans raise."""
        out: dict[str, bool] = dict.fromkeys(self.questions, False)
        for key, value in answers.items():
            if key not in self.questions:
                known = "、".join(self.questions) or "（无）"
                raise InvalidAnswersError(f"事项“{self.id}”没有问题“{key}”（可用：{known}）")
            if not isinstance(value, bool):
                raise InvalidAnswersError(f"“{key}”的回答必须是 true 或 false")
            out[key] = value
        return out


# --- loading ---------------------------------------------------------------------------------

_MATTER_KEYS = {
    "id", "name", "department", "legal_basis", "sources", "time_limit", "fee", "visits",
    "silent_on", "questions", "slots",
}  # fmt: skip
_SLOT_KEYS = {
    "id", "name", "when", "doc_types", "provided_by", "originals", "per", "sides",
    "accept_missing", "source", "note",
}  # fmt: skip


def _opt_str(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _parse_matter(raw: Any, source: str) -> Matter:
    if not isinstance(raw, Mapping):
        raise CatalogueError(source, "文件内容必须是一个映射")
    unknown = set(raw) - _MATTER_KEYS
    if unknown:
        raise CatalogueError(source, f"未知的键 {sorted(unknown)}")
    for key in ("id", "name", "sources", "slots"):
        if not raw.get(key):
            raise CatalogueError(source, f"缺少 {key}")
    try:
        questions: dict[str, Question] = {}
        for q in raw.get("questions") or []:
            if q["id"] in questions:
                raise ValueError(f"问题 {q['id']} 重复")
            questions[q["id"]] = Question(
                id=q["id"],
                text=q["text"],
                because=q["because"],
                because_not=q.get("because_not", ""),
            )
        slots: dict[str, Slot] = {}
        for s in raw["slots"]:
            extra = set(s) - _SLOT_KEYS
            if extra:
                raise ValueError(f"材料 {s.get('id')} 有未知的键 {sorted(extra)}")
            sid = s["id"]
            if sid in slots:
                raise ValueError(f"材料 {sid} 重复")
            when = _parse_condition(s.get("when", "always"), f"材料 {sid}")
            for answer in _answers_named(when):
                if answer not in questions:
                    raise ValueError(f"材料 {sid} 的条件引用了未定义的问题 {answer}")
            provided_by = s.get("provided_by", "upload")
            if provided_by not in PROVIDED_BY:
                raise ValueError(f"材料 {sid} 的 provided_by 未知：{provided_by}")
            doc_types = tuple(s.get("doc_types") or ())
            if provided_by == "upload" and not doc_types:
                raise ValueError(f"材料 {sid} 需上传但没有 doc_types")
            for t in doc_types:
                if t not in DOC_TYPES:
                    raise ValueError(f"材料 {sid} 的文档类型未知：{t}")
            sides = tuple(s.get("sides") or ())
            for t in sides:
                if t not in doc_types:
                    raise ValueError(f"材料 {sid} 的 sides 含不在 doc_types 中的类型 {t}")
            per = s.get("per")
            if per is not None and per not in ROLES:
                raise ValueError(f"材料 {sid} 的 per 未知：{per}")
            am = s.get("accept_missing")
            accept = None
            if am:
                days = am.get("deadline_days")
                if days is not None and (not isinstance(days, int) or days <= 0):
                    raise ValueError(f"材料 {sid} 的容缺期限必须是正整数天数")
                accept = AcceptMissing(deadline_days=days, basis=str(am["basis"]))
            slots[sid] = Slot(
                id=sid,
                name=s["name"],
                when=when,
                doc_types=doc_types,
                provided_by=provided_by,
                originals=_opt_str(s, "originals"),
                per=per,
                sides=sides,
                accept_missing=accept,
                source=s["source"],
                note=_opt_str(s, "note"),
            )
        sources = tuple(
            Source(
                title=src["title"],
                url=src["url"],
                date=_opt_str(src, "date"),
                region=_opt_str(src, "region"),
                issuer=_opt_str(src, "issuer"),
            )
            for src in raw["sources"]
        )
        limits = raw.get("time_limit") or {}
        return Matter(
            id=raw["id"],
            name=raw["name"],
            department=_opt_str(raw, "department"),
            legal_basis=tuple(raw.get("legal_basis") or ()),
            sources=sources,
            promised_time_limit=_opt_str(limits, "promised"),
            legal_time_limit=_opt_str(limits, "legal"),
            fee=_opt_str(raw, "fee"),
            visits=_opt_str(raw, "visits"),
            silent_on=tuple(raw.get("silent_on") or ()),
            questions=questions,
            slots=slots,
        )
    except (KeyError, TypeError, ValueError) as e:
        problem = f"缺少键 {e}" if isinstance(e, KeyError) else str(e)
        raise CatalogueError(source, problem) from e


def parse_matter_yaml(text: str, *, source: str = "<text>") -> Matter:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise CatalogueError(source, f"YAML 语法错误：{e}") from e
    return _parse_matter(raw, source)


@dataclass(frozen=True)
class Catalogue:
    matters: Mapping[str, Matter]

    def get(self, matter_id: str) -> Matter:
        try:
            return self.matters[matter_id]
        except KeyError:
            raise UnknownMatterError(matter_id) from None

    def __iter__(self) -> Iterator[Matter]:
        return iter(self.matters.values())


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Load and validate every ``*.yaml`` matter file in ``directory`` (default: bundled)."""
    if directory is None:
        return _bundled()
    return _load(directory)


def _load(directory: Path) -> Catalogue:
    matters: dict[str, Matter] = {}
    for path in sorted(directory.glob("*.yaml")):
        matter = parse_matter_yaml(path.read_text(encoding="utf-8"), source=path.name)
        if path.stem != matter.id:
            raise CatalogueError(path.name, f"文件名必须与 id 一致（id 为 {matter.id}）")
        matters[matter.id] = matter
    if not matters:
        raise CatalogueError(str(directory), "目录中没有事项文件")
    return Catalogue(matters)


@cache
def _bundled() -> Catalogue:
    return _load(MATTERS_DIR)
