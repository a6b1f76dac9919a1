"""The catalogue of matters (办事事项): one YAML file per matter under ``precheck/matters/``.

Each file is sourced from real service guides and says where a guide is silent. It is validated
when loaded (the pydantic model :class:`MatterFile`): an unknown document type, slot, answer or
key is a ``CatalogueError`` naming the file and the problem.

Conditions (``when``) are a tiny language over the boolean answers (:mod:`precheck.conditions`)::

    always | <answer id> | {not: C} | {all: [C, ...]} | {any: [C, ...]}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import pydantic
import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt, ValidationError
from pydantic_core import ErrorDetails

from ocr.document import DocType
from precheck.conditions import (
    All,
    Always,
    Answer,
    Any_,
    Condition,
    Not,
    answers_named,
    parse_condition,
)
from precheck.errors import (
    CatalogueError,
    InvalidAnswersError,
    UnknownMatterError,
    UnknownSlotError,
)

__all__ = [
    "PROVIDED_BY",
    "ROLES",
    "AcceptMissing",
    "All",
    "Always",
    "Answer",
    "Any_",
    "Catalogue",
    "Condition",
    "Matter",
    "MatterFile",
    "Not",
    "ProvidedBy",
    "Question",
    "Role",
    "Slot",
    "Source",
    "load_catalogue",
    "parse_matter_yaml",
]

MATTERS_DIR = Path(__file__).parent / "matters"


class ProvidedBy(StrEnum):
    """How a material reaches the department."""

    UPLOAD = "upload"
    DATA_SHARING = "data_sharing"
    ONLINE_FORM = "online_form"
    ON_SITE = "on_site"


PROVIDED_BY: tuple[str, ...] = tuple(p.value for p in ProvidedBy)


class Role(StrEnum):
    """Who a material is needed for; a slot's ``per`` multiplies it by the people in a role."""

    SELLER = "seller"
    BUYER = "buyer"
    AGENT = "agent"
    APPLICANT = "applicant"
    OPERATOR = "operator"
    FAMILY_MEMBER = "family_member"
    SHAREHOLDER = "shareholder"
    OFFICER = "officer"
    LEGAL_REPRESENTATIVE = "legal_representative"
    MORTGAGOR = "mortgagor"
    MORTGAGEE = "mortgagee"
    PARENT = "parent"


ROLES: tuple[str, ...] = tuple(r.value for r in Role)


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
    doc_types: tuple[DocType, ...]
    provided_by: ProvidedBy
    originals: str | None  # originals/copies as the guide words it, None when silent
    per: Role | None  # one per person in this role ("seller"), None: one set
    sides: tuple[DocType, ...]  # doc types every person/set needs (front and back of an ID card)
    accept_missing: AcceptMissing | None
    source: str  # which guide material this slot is, as worded in the guide
    note: str | None

    @property
    def machine_checkable(self) -> bool:
        """False for materials with no document type the reader knows (judged by a person)."""
        return self.doc_types != (DocType.UNKNOWN,)


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


# --- the file, as pydantic models ------------------------------------------------------------


def _as_text(value: Any) -> Any:
    """Free text as written; YAML reads ``2020-01-01`` as a date, which is text here too."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _none_if_empty(value: Any) -> Any:
    return value or None


Text = Annotated[str | None, BeforeValidator(_as_text)]
# lists that may be written as ``null`` or left out
_Strings = Annotated[tuple[str, ...], BeforeValidator(lambda v: v or ())]
_DocTypes = Annotated[tuple[DocType, ...], BeforeValidator(lambda v: v or ())]

# Matters and slots refuse unknown keys (a misspelt key would silently drop a rule); the small
# records inside them take the keys they know.
_CLOSED = ConfigDict(extra="forbid")
_OPEN = ConfigDict(extra="ignore")


class SourceEntry(BaseModel):
    model_config = _OPEN

    title: str
    url: str
    date: Text = None
    region: Text = None
    issuer: Text = None


class QuestionEntry(BaseModel):
    model_config = _OPEN

    id: str
    text: str
    because: str
    because_not: str = ""


class AcceptMissingEntry(BaseModel):
    model_config = _OPEN

    deadline_days: StrictInt | None = None
    basis: Annotated[str, BeforeValidator(_as_text)]


class TimeLimitEntry(BaseModel):
    model_config = _OPEN

    promised: Text = None
    legal: Text = None


class SlotEntry(BaseModel):
    model_config = _CLOSED

    id: str
    name: str
    when: Any = "always"
    doc_types: _DocTypes = ()
    provided_by: ProvidedBy = ProvidedBy.UPLOAD
    originals: Text = None
    per: Role | None = None
    sides: _DocTypes = ()
    accept_missing: Annotated[AcceptMissingEntry | None, BeforeValidator(_none_if_empty)] = None
    source: str
    note: Text = None

    def condition(self) -> Condition:
        return parse_condition(self.when, f"材料 {self.id}")

    def problems(self, questions: Mapping[str, QuestionEntry]) -> Iterator[str]:
        """What is wrong with the slot beyond its fields' types."""
        try:
            when = self.condition()
        except ValueError as e:
            yield str(e)
            return
        for answer in answers_named(when):
            if answer not in questions:
                yield f"材料 {self.id} 的条件引用了未定义的问题 {answer}"
        if self.provided_by == ProvidedBy.UPLOAD and not self.doc_types:
            yield f"材料 {self.id} 需上传但没有 doc_types"
        for t in self.sides:
            if t not in self.doc_types:
                yield f"材料 {self.id} 的 sides 含不在 doc_types 中的类型 {t}"
        days = self.accept_missing.deadline_days if self.accept_missing else None
        if days is not None and days <= 0:
            yield f"材料 {self.id} 的容缺期限必须是正整数天数"


class MatterFile(BaseModel):
    """One matter file as written (``precheck/matters/<id>.yaml``)."""

    model_config = _CLOSED

    id: Annotated[str, pydantic.Field(min_length=1)]
    name: Annotated[str, pydantic.Field(min_length=1)]
    department: Text = None
    legal_basis: _Strings = ()
    sources: Annotated[list[SourceEntry], pydantic.Field(min_length=1)]
    time_limit: Annotated[TimeLimitEntry, BeforeValidator(lambda v: v or {})] = TimeLimitEntry()
    fee: Text = None
    visits: Text = None
    silent_on: _Strings = ()
    questions: Annotated[list[QuestionEntry], BeforeValidator(lambda v: v or [])] = []
    slots: Annotated[list[SlotEntry], pydantic.Field(min_length=1)]

    def problems(self) -> list[str]:
        """What is wrong with the file beyond its fields' types: repeated ids, conditions."""
        out: list[str] = []
        questions: dict[str, QuestionEntry] = {}
        for q in self.questions:
            if q.id in questions:
                out.append(f"问题 {q.id} 重复")
            questions[q.id] = q
        seen: set[str] = set()
        for slot in self.slots:
            if slot.id in seen:
                out.append(f"材料 {slot.id} 重复")
            seen.add(slot.id)
            out.extend(slot.problems(questions))
        return out

    def to_matter(self) -> Matter:
        return Matter(
            id=self.id,
            name=self.name,
            department=self.department,
            legal_basis=self.legal_basis,
            sources=tuple(
                Source(title=s.title, url=s.url, date=s.date, region=s.region, issuer=s.issuer)
                for s in self.sources
            ),
            promised_time_limit=self.time_limit.promised,
            legal_time_limit=self.time_limit.legal,
            fee=self.fee,
            visits=self.visits,
            silent_on=self.silent_on,
            questions={
                q.id: Question(id=q.id, text=q.text, because=q.because, because_not=q.because_not)
                for q in self.questions
            },
            slots={s.id: _slot(s) for s in self.slots},
        )


def _slot(s: SlotEntry) -> Slot:
    am = s.accept_missing
    return Slot(
        id=s.id,
        name=s.name,
        when=s.condition(),
        doc_types=s.doc_types,
        provided_by=s.provided_by,
        originals=s.originals,
        per=s.per,
        sides=s.sides,
        accept_missing=AcceptMissing(deadline_days=am.deadline_days, basis=am.basis)
        if am is not None
        else None,
        source=s.source,
        note=s.note,
    )


# --- loading ---------------------------------------------------------------------------------


def _parse_matter(raw: Any, source: str) -> Matter:
    if not isinstance(raw, Mapping):
        raise CatalogueError(source, "文件内容必须是一个映射")
    try:
        file = MatterFile.model_validate(raw)
    except ValidationError as e:
        raise CatalogueError(source, "；".join(_explain(err, raw) for err in e.errors())) from e
    problems = file.problems()
    if problems:
        raise CatalogueError(source, "；".join(problems))
    return file.to_matter()


#: Error types of pydantic that mean "this key is absent or empty".
_MISSING = frozenset({"missing", "too_short", "string_too_short"})
#: Field names whose values come from a closed vocabulary, as the problem names them.
_VOCABULARY = {
    "doc_types": "文档类型",
    "sides": "文档类型",
    "per": " per ",
    "provided_by": " provided_by ",
}


def _explain(err: ErrorDetails, raw: Mapping[str, Any]) -> str:
    """One validation error in the catalogue's words: where (the slot or question by its id),
    and what."""
    loc = err["loc"]
    where = _where(loc, raw)
    keys = [str(part) for part in loc if isinstance(part, str)]
    key = keys[-1] if keys else ""
    kind = err["type"]
    if kind == "value_error":
        return f"{where}{err.get('ctx', {}).get('error', err['msg'])}"
    if kind == "extra_forbidden":
        return f"{where}有未知的键 {[key]}" if where else f"未知的键 {[key]}"
    if kind in _MISSING:
        return f"{where}缺少 {key}" if where else f"缺少 {key}"
    vocabulary = next((k for k in reversed(keys) if k in _VOCABULARY), None)
    if kind == "enum" and vocabulary is not None:
        return f"{where}的{_VOCABULARY[vocabulary]}未知：{err['input']}"
    if "deadline_days" in keys:
        return f"{where}的容缺期限必须是正整数天数"
    return f"{where}的 {'.'.join(keys)} 无效（{err['msg']}）"


def _where(loc: tuple[int | str, ...], raw: Mapping[str, Any]) -> str:
    """``材料 <id> `` / ``问题 <id> `` / ``来源第 n 项 `` for an error inside a list entry."""
    if len(loc) < 2 or not isinstance(loc[1], int):
        return ""
    section, index = loc[0], loc[1]
    label = {"slots": "材料", "questions": "问题", "sources": "来源"}.get(
        str(section), str(section)
    )
    entries = raw.get(str(section))
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    ident = entry.get("id") if isinstance(entry, Mapping) else None
    return f"{label} {ident} " if ident is not None else f"{label}第 {index + 1} 项 "


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
