from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ocr.validators import credit_check_char
from signing import CertificateIdentifier, InvalidIdentifierError, parse_identifier
from signing.identifier import iso7064_mod37_36_check

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ISSUER = "11330100MB0000000N"


def test_iso7064_mod37_36_known_values() -> None:
    # ISO/IEC 7064 hybrid MOD 37,36 worked example: "A12425GABC1234002" → check "M"
    assert iso7064_mod37_36_check("A12425GABC1234002") == "M"
    # separators are not in the alphabet and do not count
    assert iso7064_mod37_36_check("A1.2425.GABC.1234002") == "M"


def test_credit_code_check_char() -> None:
    # the GB 32100 check the issuer code must pass: a published unified social credit code
    assert credit_check_char("91110108551385082") == "Q"
    assert credit_check_char(ISSUER[:17]) == ISSUER[17]


def test_round_trip_and_next_version() -> None:
    ident = CertificateIdentifier(
        type_code="1130000BDCQZS", issuer_code=ISSUER, serial="7", version=1
    )
    text = str(ident)
    assert text.startswith("1.2.156.3005.2.1130000BDCQZS.11330100MB0000000N.7.001.")
    assert parse_identifier(text) == ident
    nxt = ident.next_version()
    assert str(nxt).split(".")[-2] == "002"
    assert str(nxt) != text


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "1.2.156.3005.2.X.11330100MB0000000N.1.001",  # no check char
        "1.2.156.3005.2.X.11330100MB0000000N.1.1.A",  # version not 3 digits
        "1.2.156.3005.3.X.11330100MB0000000N.1.001.A",  # wrong prefix
        "1.2.156.3005.2.x.11330100MB0000000N.1.001.A",  # lower case
    ],
)
def test_malformed_identifiers_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidIdentifierError):
        parse_identifier(bad)


def test_issuer_code_must_pass_gb32100() -> None:
    with pytest.raises(InvalidIdentifierError):
        CertificateIdentifier(
            type_code="A", issuer_code="11330100MB0000000A", serial="1", version=1
        )
    # a character GB 32100 leaves out (I, O, Z, S, V) is refused the same way, not a crash
    for bad in ("11330100MB000000IN", "1133010OMB0000000N"):
        with pytest.raises(InvalidIdentifierError):
            CertificateIdentifier(type_code="A", issuer_code=bad, serial="1", version=1)


identifiers = st.builds(
    CertificateIdentifier,
    type_code=st.text(ALNUM, min_size=1, max_size=16),
    issuer_code=st.just(ISSUER),
    serial=st.text(ALNUM, min_size=1, max_size=16),
    version=st.integers(1, 999),
)


@settings(max_examples=300, deadline=None)
@given(ident=identifiers, data=st.data())
def test_every_single_character_substitution_is_caught(
    ident: CertificateIdentifier, data: st.DataObject
) -> None:
    text = str(ident)
    assert parse_identifier(text) == ident
    pos = data.draw(st.integers(0, len(text) - 1), label="position")
    replacement = data.draw(st.sampled_from(ALNUM + ".").filter(lambda c: c != text[pos]))
    mutated = text[:pos] + replacement + text[pos + 1 :]
    with pytest.raises(InvalidIdentifierError):
        parse_identifier(mutated)


def test_every_substitution_exhaustively_for_one_identifier() -> None:
    text = str(
        CertificateIdentifier(
            type_code="1130000BDCQZS", issuer_code=ISSUER, serial="2026000001", version=3
        )
    )
    caught = 0
    for pos in range(len(text)):
        for c in ALNUM + ".":
            if c == text[pos]:
                continue
            with pytest.raises(InvalidIdentifierError):
                parse_identifier(text[:pos] + c + text[pos + 1 :])
            caught += 1
    assert caught == len(text) * 36
