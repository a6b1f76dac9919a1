"""Hand-built Documents for rule unit tests: a clean second-hand-house application to mutate."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ocr.document import Document, Field, Quality
from ocr.validators import id_check_char
from precheck.findings import Upload

AS_OF = dt.date(2026, 6, 1)


def idn(body17: str) -> str:
    return body17 + id_check_char(body17)


SELLER = {
    "name": "张三",
    "id_number": idn("33010619850312001"),
    "sex": "男",
    "birth_date": "1985-03-12",
}
SELLER2 = {
    "name": "李梅",
    "id_number": idn("33010619870521002"),
    "sex": "女",
    "birth_date": "1987-05-21",
}
BUYER = {
    "name": "王五",
    "id_number": idn("33010219900101003"),
    "sex": "男",
    "birth_date": "1990-01-01",
}
AGENT = {
    "name": "赵六",
    "id_number": idn("33010519920707004"),
    "sex": "女",
    "birth_date": "1992-07-07",
}
CERT_NO = "浙(2019)杭州市不动产权第0012345号"
LOCATION = "杭州市西湖区文三路100号5幢1单元1201室"


def f(
    value: Any, confidence: float = 0.99, box: tuple[int, int, int, int] = (10, 10, 200, 40)
) -> Field:
    return Field(value=value, confidence=confidence, page=0, box=box)


def doc(
    doc_type: str, fields: dict[str, Any], *, ok: bool = True, issues: tuple[str, ...] = ()
) -> Document:
    return Document(
        doc_type=doc_type,
        confidence=0.98,
        pages=1,
        quality=Quality(ok=ok, issues=issues),
        fields={k: v if isinstance(v, Field) else f(v) for k, v in fields.items()},
    )


def front(p: dict[str, str], **over: Any) -> Document:
    fields: dict[str, Any] = {
        "name": p["name"],
        "sex": p["sex"],
        "ethnicity": "汉",
        "birth_date": p["birth_date"],
        "address": "浙江省杭州市西湖区文三路1号",
        "id_number": p["id_number"],
    }
    fields.update(over)
    return doc("id_card_front", fields)


def back(valid_until: str = "2036-01-01", **over: Any) -> Document:
    fields: dict[str, Any] = {
        "issuing_authority": "杭州市公安局西湖分局",
        "valid_from": "2016-01-01",
        "valid_until": valid_until,
    }
    fields.update(over)
    return doc("id_card_back", fields)


def person(p: dict[str, str]) -> dict[str, str]:
    return {"name": p["name"], "id_number": p["id_number"]}


def certificate(owners: list[str] | None = None, **over: Any) -> Document:
    fields: dict[str, Any] = {
        "certificate_number": CERT_NO,
        "owners": owners if owners is not None else [SELLER["name"]],
        "co_ownership": "单独所有",
        "location": LOCATION,
        "unit_number": "330106001001GB00001F00050101",
        "area": "89.5",
    }
    fields.update(over)
    return doc("property_certificate", fields)


def contract(
    sellers: list[dict[str, str]] | None = None,
    buyers: list[dict[str, str]] | None = None,
    **over: Any,
) -> Document:
    fields: dict[str, Any] = {
        "sellers": sellers if sellers is not None else [person(SELLER)],
        "buyers": buyers if buyers is not None else [person(BUYER)],
        "location": LOCATION,
        "certificate_number": CERT_NO,
        "price": "3000000",
        "signed_date": "2026-05-20",
    }
    fields.update(over)
    return doc("sale_contract", fields)


def marriage(spouses: list[dict[str, str]]) -> Document:
    return doc(
        "marriage_certificate",
        {
            "holder": spouses[0]["name"],
            "registration_date": "2012-10-01",
            "certificate_number": "J330106-2012-001234",
            "spouses": spouses,
        },
    )


def poa(principal: str, agent: dict[str, str]) -> Document:
    return doc(
        "power_of_attorney",
        {"principal": principal, "agent": person(agent), "signed_date": "2026-05-01"},
    )


def household(members: list[dict[str, str]]) -> Document:
    return doc("household_register", {"members": members, "address": "浙江省杭州市西湖区文三路1号"})


def clean_house(
    *, married: bool = False, agent: bool = False, relief: bool = False
) -> tuple[dict[str, bool], list[tuple[str, Document]]]:
    """Answers and (slot, Document) pairs of a clean application."""
    answers = {"seller_married": married, "via_agent": agent, "first_home_tax_relief": relief}
    docs: list[tuple[str, Document]] = [
        ("seller_id_card", front(SELLER)),
        ("seller_id_card", back()),
        ("buyer_id_card", front(BUYER)),
        ("buyer_id_card", back("长期")),
        ("property_certificate", certificate()),
        ("sale_contract", contract()),
    ]
    if married:
        spouse = {"name": "陈红", "id_number": idn("33010619860101002")}
        docs.append(("seller_marriage_certificate", marriage([person(SELLER), spouse])))
    if agent:
        docs += [
            ("power_of_attorney", poa(SELLER["name"], AGENT)),
            ("agent_id_card", front(AGENT)),
            ("agent_id_card", back()),
        ]
    if relief:
        docs.append(("household_register", household([{**person(BUYER), "relation": "户主"}])))
    return answers, docs


def uploads(docs: list[tuple[str, Document]]) -> list[Upload]:
    return [Upload(slot=s, file=i, document=d) for i, (s, d) in enumerate(docs)]


def replace(
    docs: list[tuple[str, Document]], slot: str, doc_type: str, new: Document
) -> list[tuple[str, Document]]:
    """Swap the first document of ``doc_type`` in ``slot`` for ``new``."""
    out, done = [], False
    for s, d in docs:
        if not done and s == slot and d.doc_type == doc_type:
            out.append((s, new))
            done = True
        else:
            out.append((s, d))
    assert done, (slot, doc_type)
    return out


def with_field(
    d: Document, name: str, value: Any = None, confidence: float | None = None
) -> Document:
    old = d.fields[name]
    new = dataclasses.replace(
        old,
        value=old.value if value is None else value,
        confidence=old.confidence if confidence is None else confidence,
    )
    return dataclasses.replace(d, fields={**d.fields, name: new})
