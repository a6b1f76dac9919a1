"""Facts of the fourth held-out family: the shared generators of :mod:`synthdocs.data` with
this family's own touches (more compound surnames and long addresses, its own POOL)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta

from .. import data as d
from ..validators import id_check_char

_RARE_COMPOUND = ("欧阳", "司马", "上官", "东方", "诸葛", "慕容", "端木", "公孙", "夏侯")
_GIVEN = "子涵浩然梓萱一诺思远晨曦宇航雨桐嘉懿若汐明哲俊杰美玲秀英建平国强丽华卫东红梅"


def _name(rng: random.Random, p: d.Person) -> d.Person:
    r = rng.random()
    if p.ethnicity in ("藏", "蒙古"):
        return p
    if r < 0.12:  # a four-character name: compound surname and two given characters
        return replace(p, name=rng.choice(_RARE_COMPOUND) + rng.choice(_GIVEN) + rng.choice(_GIVEN))
    if r < 0.25:  # a two-character name
        return replace(p, name=p.name[0] + rng.choice(_GIVEN))
    return p


def person(rng: random.Random, *, sex: str | None = None, expired: bool = False) -> d.Person:
    p = d.random_person(rng, sex=sex, expired=expired, varied=True)
    return _name(rng, p)


def retyped_id(rng: random.Random, number: str) -> str:
    """One digit of the sequence code changed (the sex digit kept), still a valid number."""
    body = list(number[:17])
    pos = rng.choice((14, 15))
    body[pos] = str((int(body[pos]) + rng.randint(1, 9)) % 10)
    b = "".join(body)
    return b + id_check_char(b)


def other_building(location: str) -> str:
    m = re.search(r"(\d+)(幢|号楼|栋)", location)
    if m is None:
        m = re.search(r"(\d+)号", location)
        if m is None:
            return location + "附1号"
    return d.shift_number(location, m, 2)


def other_certificate_number(number: str) -> str:
    i = number.rindex("号") - 2
    digit = int(number[i])
    return number[:i] + str((digit + 4) % 10) + number[i + 1 :]


class _Pool:
    """The pool :func:`synthdocs.applications.draw_parties` draws from."""

    @staticmethod
    def person(rng: random.Random, *, sex: str | None = None, expired: bool = False) -> d.Person:
        return person(rng, sex=sex, expired=expired)

    @staticmethod
    def random_property(
        rng: random.Random, *, owners: tuple[d.Person, ...], as_of: date
    ) -> d.Property:
        return d.random_property(rng, owners=owners, as_of=as_of, varied=True)

    @staticmethod
    def random_contract(
        rng: random.Random,
        *,
        sellers: tuple[d.Person, ...],
        buyers: tuple[d.Person, ...],
        prop: d.Property,
        as_of: date,
    ) -> d.Contract:
        return d.random_contract(rng, sellers=sellers, buyers=buyers, prop=prop, as_of=as_of)

    retyped_id = staticmethod(retyped_id)
    other_building = staticmethod(other_building)
    other_certificate_number = staticmethod(other_certificate_number)


POOL = _Pool()


def company(rng: random.Random) -> d.Company:
    return d.random_company(rng, varied=True)


def marriage(rng: random.Random, *, holder: d.Person, spouse: d.Person | None = None) -> d.Marriage:
    m = d.random_marriage(rng, holder=holder, spouse=spouse, varied=True)
    if spouse is None:
        m = replace(m, spouse=_name(rng, m.spouse))
    return m


def power_of_attorney(
    rng: random.Random,
    *,
    principal: d.Person,
    agent: d.Person,
    location: str,
    signed: date | None = None,
) -> d.PowerOfAttorney:
    poa = d.random_power_of_attorney(rng, principal=principal, agent=agent, location=location)
    return replace(poa, signed_date=signed) if signed is not None else poa


def household(rng: random.Random, *, head: d.Person, size: int = 3) -> d.Household:
    return d.random_household(rng, head=head, size=size, varied=True)


def random_facts(doc_type: str, rng: random.Random):
    """Facts for one document of ``doc_type`` drawn on its own."""
    if doc_type in ("id_card_front", "id_card_back"):
        return person(rng)
    if doc_type == "property_certificate":
        owners = tuple(person(rng) for _ in range(rng.choice((1, 1, 2, 3))))
        return POOL.random_property(rng, owners=owners, as_of=d.REFERENCE_DATE)
    if doc_type == "sale_contract":
        sellers = tuple(person(rng) for _ in range(rng.choice((1, 2))))
        buyers = tuple(person(rng) for _ in range(rng.choice((1, 2, 3))))
        prop = POOL.random_property(rng, owners=sellers, as_of=d.REFERENCE_DATE)
        return POOL.random_contract(
            rng, sellers=sellers, buyers=buyers, prop=prop, as_of=d.REFERENCE_DATE
        )
    if doc_type == "marriage_certificate":
        return marriage(rng, holder=person(rng))
    if doc_type == "power_of_attorney":
        return power_of_attorney(
            rng,
            principal=person(rng),
            agent=person(rng),
            location=d.random_street_address(rng, current=True, varied=True)[3],
            signed=d.REFERENCE_DATE - timedelta(days=rng.randint(3, 40)),
        )
    if doc_type == "household_register":
        return household(rng, head=person(rng), size=rng.randint(1, 5))
    if doc_type == "business_license":
        return company(rng)
    raise ValueError(doc_type)
