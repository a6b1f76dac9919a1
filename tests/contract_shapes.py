"""CONTRACT §3's golden field shapes, copied here once for every synthetic-document test
(tests read nothing outside the project)."""

from __future__ import annotations

import re
from typing import Any

CONTRACT_FIELDS: dict[str, set[str]] = {
    "id_card_front": {"name", "sex", "ethnicity", "birth_date", "address", "id_number"},
    "id_card_back": {"issuing_authority", "valid_from", "valid_until"},
    "property_certificate": {
        "certificate_number",
        "owners",
        "co_ownership",
        "location",
        "unit_number",
        "area",
    },
    "sale_contract": {
        "sellers",
        "buyers",
        "location",
        "certificate_number",
        "price",
        "signed_date",
    },
    "marriage_certificate": {"holder", "registration_date", "certificate_number", "spouses"},
    "power_of_attorney": {"principal", "agent", "signed_date"},
    "household_register": {"members", "address"},
    "business_license": {
        "credit_code",
        "name",
        "legal_representative",
        "address",
        "established_date",
    },
}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def field_paths(value: Any, prefix: str) -> list[str]:
    """The box paths of a golden value: ``prefix``, ``prefix[1]``, ``prefix[0].id_number``."""
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in field_paths(v, f"{prefix}[{i}]")]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in field_paths(v, f"{prefix}.{k}")]
    return [prefix]
