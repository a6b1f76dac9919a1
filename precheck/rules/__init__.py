"""The rules and the explicit default list of rules for each matter."""

from __future__ import annotations

from collections.abc import Mapping

from ocr.document import DocType
from precheck.rules.applicant import ApplicantIsParty
from precheck.rules.base import CheckContext, FactKind, Person, Rule
from precheck.rules.generic import (
    CreditCodesValid,
    DocumentTypeMatchesSlot,
    FilesReadable,
    IdCardsValid,
    IdNumbersOnDocumentsValid,
    ImageQuality,
    PagesComplete,
    SlotsComplete,
)
from precheck.rules.marks import MarksPresent
from precheck.rules.parties import (
    AgentMatchesIdCard,
    HouseholdIncludesBuyer,
    MarriageCertificateNamesSeller,
    OwnersAreSellers,
    PartiesHaveIdCards,
    PrincipalIsParty,
    PropertyMatchesContract,
)

__all__ = [
    "DEFAULT_RULES",
    "GENERIC_RULES",
    "AgentMatchesIdCard",
    "ApplicantIsParty",
    "CheckContext",
    "CreditCodesValid",
    "DocumentTypeMatchesSlot",
    "FactKind",
    "FilesReadable",
    "HouseholdIncludesBuyer",
    "IdCardsValid",
    "IdNumbersOnDocumentsValid",
    "ImageQuality",
    "MarksPresent",
    "MarriageCertificateNamesSeller",
    "OwnersAreSellers",
    "PagesComplete",
    "PartiesHaveIdCards",
    "Person",
    "PrincipalIsParty",
    "PropertyMatchesContract",
    "Rule",
    "SlotsComplete",
    "rules_for",
]

#: Every matter: files readable, right document in each slot, quality, completeness, validity.
GENERIC_RULES: tuple[Rule, ...] = (
    FilesReadable(),
    DocumentTypeMatchesSlot(),
    ImageQuality(),
    SlotsComplete(),
    PagesComplete(),
    IdCardsValid(),
    IdNumbersOnDocumentsValid(),
    CreditCodesValid(),
)

HOUSE_TRANSFER_RULES: tuple[Rule, ...] = (
    *GENERIC_RULES,
    PartiesHaveIdCards("sale_contract", DocType.SALE_CONTRACT, "sellers", "seller_id_card", "卖方"),
    PartiesHaveIdCards("sale_contract", DocType.SALE_CONTRACT, "buyers", "buyer_id_card", "买方"),
    OwnersAreSellers(),
    PropertyMatchesContract(),
    MarriageCertificateNamesSeller(),
    PrincipalIsParty(),
    AgentMatchesIdCard(),
    HouseholdIncludesBuyer(),
    ApplicantIsParty(),
    MarksPresent(),
)

DEFAULT_RULES: Mapping[str, tuple[Rule, ...]] = {
    "second-hand-house-transfer": HOUSE_TRANSFER_RULES,
    "individual-business-registration": (
        *GENERIC_RULES,
        AgentMatchesIdCard("via_agent", "agent_authorization", "agent_id_card"),
    ),
    "company-registration": GENERIC_RULES,
    "real-estate-mortgage-registration": (
        *GENERIC_RULES,
        AgentMatchesIdCard("via_agent", "power_of_attorney", "agent_id_card"),
    ),
    "newborn-one-thing": GENERIC_RULES,
    "social-security-card": (
        *GENERIC_RULES,
        AgentMatchesIdCard("by_agent", "authorization", "agent_id_card"),
    ),
}


def rules_for(matter_id: str) -> tuple[Rule, ...]:
    """The matter's default rules; a matter without its own list gets the generic ones."""
    return DEFAULT_RULES.get(matter_id, GENERIC_RULES)
