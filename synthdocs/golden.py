"""The golden fields of each document type, from the facts it is drawn from.

One home for the CONTRACT §3 shapes (ISO dates, parties as ``{"name", "id_number"}``, the
contract's printed ID numbers and location), shared by every renderer of every family: a
family's look (fonts, layouts, wordings) is its own, what a document *says* is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def id_card_front(person: Any, *, id_number: str | None = None) -> dict[str, Any]:
    """``id_number``: the number printed on the card when it is not the person's own."""
    return {
        "name": person.name,
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(),
        "address": person.address,
        "id_number": id_number or person.id_number,
    }


def id_card_back(person: Any) -> dict[str, Any]:
    return {
        "issuing_authority": person.issuing_authority,
        "valid_from": person.valid_from.isoformat(),
        "valid_until": person.valid_until_text,
    }


def property_certificate(prop: Any) -> dict[str, Any]:
    return {
        "certificate_number": prop.certificate_number,
        "owners": [o.name for o in prop.owners],
        "co_ownership": prop.co_ownership,
        "location": prop.location,
        "unit_number": prop.unit_number,
        "area": prop.area,
    }


def sale_contract(c: Any) -> dict[str, Any]:
    """What the contract prints (a mistyped ID number or another location included)."""
    return {
        "sellers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.sellers],
        "buyers": [{"name": p.name, "id_number": c.printed_id(p)} for p in c.buyers],
        "location": c.printed_location,
        "certificate_number": c.printed_certificate_number,
        "price": str(c.price),
        "signed_date": c.signed_date.isoformat(),
    }


def marriage_certificate(m: Any, *, spouses: Sequence[Any] | None = None) -> dict[str, Any]:
    """``spouses``: in the order the certificate prints them (default holder, spouse)."""
    return {
        "holder": m.holder.name,
        "registration_date": m.registration_date.isoformat(),
        "certificate_number": m.certificate_number,
        "spouses": [p.as_party() for p in (spouses or (m.holder, m.spouse))],
    }


def power_of_attorney(poa: Any) -> dict[str, Any]:
    return {
        "principal": poa.principal.as_party(),
        "agent": poa.agent.as_party(),
        "signed_date": poa.signed_date.isoformat(),
    }


def household_register(hh: Any) -> dict[str, Any]:
    return {
        "members": [
            {"name": p.name, "id_number": p.id_number, "relation": rel} for p, rel in hh.members
        ],
        "address": hh.address,
    }


def business_license(c: Any) -> dict[str, Any]:
    return {
        "credit_code": c.credit_code,
        "name": c.name,
        "legal_representative": c.legal_representative,
        "address": c.address,
        "established_date": c.established.isoformat(),
    }
