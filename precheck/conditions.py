"""When a material is needed: a tiny language over the applicant's boolean answers::

    always | <answer id> | {not: C} | {all: [C, ...]} | {any: [C, ...]}

Each condition says whether it holds and, when it does, the reasons a checklist gives for it
(“因您已婚，需提供…”), worded by the matter's questions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Explains(Protocol):
    """How a question words the reason for a material: ``because`` when answered yes,
    ``because_not`` when a material is needed because it was answered no."""

    @property
    def because(self) -> str: ...

    @property
    def because_not(self) -> str: ...


@dataclass(frozen=True)
class Always:
    def holds(self, answers: Mapping[str, bool]) -> bool:
        return True

    def reasons(self, questions: Mapping[str, Explains], answers: Mapping[str, bool]) -> list[str]:
        return []


@dataclass(frozen=True)
class Answer:
    question: str

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return answers.get(self.question, False)

    def reasons(self, questions: Mapping[str, Explains], answers: Mapping[str, bool]) -> list[str]:
        return [questions[self.question].because] if self.holds(answers) else []


@dataclass(frozen=True)
class Not:
    inner: Condition

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return not self.inner.holds(answers)

    def reasons(self, questions: Mapping[str, Explains], answers: Mapping[str, bool]) -> list[str]:
        if isinstance(self.inner, Answer) and self.holds(answers):
            return [questions[self.inner.question].because_not]
        return []


@dataclass(frozen=True)
class All:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return all(p.holds(answers) for p in self.parts)

    def reasons(self, questions: Mapping[str, Explains], answers: Mapping[str, bool]) -> list[str]:
        return [r for p in self.parts for r in p.reasons(questions, answers)]


@dataclass(frozen=True)
class Any_:
    parts: tuple[Condition, ...]

    def holds(self, answers: Mapping[str, bool]) -> bool:
        return any(p.holds(answers) for p in self.parts)

    def reasons(self, questions: Mapping[str, Explains], answers: Mapping[str, bool]) -> list[str]:
        return [r for p in self.parts if p.holds(answers) for r in p.reasons(questions, answers)]


Condition = Always | Answer | Not | All | Any_


def answers_named(cond: Condition) -> Iterator[str]:
    """Every answer id the condition refers to."""
    if isinstance(cond, Answer):
        yield cond.question
    elif isinstance(cond, Not):
        yield from answers_named(cond.inner)
    elif isinstance(cond, All | Any_):
        for p in cond.parts:
            yield from answers_named(p)


def parse_condition(raw: Any, where: str) -> Condition:
    """The condition written as ``raw`` (YAML data); ``ValueError`` naming ``where`` if it is
    not one."""
    if raw is None or raw == "always":
        return Always()
    if isinstance(raw, str):
        return Answer(raw)
    if isinstance(raw, Mapping) and len(raw) == 1:
        ((op, arg),) = raw.items()
        if op == "not":
            return Not(parse_condition(arg, where))
        if op in ("all", "any") and isinstance(arg, list) and arg:
            parts = tuple(parse_condition(a, where) for a in arg)
            return All(parts) if op == "all" else Any_(parts)
    raise ValueError(f"{where}: 无法理解的条件 {raw!r}")
