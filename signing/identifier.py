"""Electronic-certificate identifiers (证照标识) per GB/T 36904-2018.

Form: ``1.2.156.3005.2.<type code>.<issuer credit code>.<serial>.<version>.<check>``

- ``type code``: the certificate type code from the catalogue (证照类型代码), ``[0-9A-Z]``;
- ``issuer credit code``: the issuing authority's 18-character unified social credit code
  (GB 32100; its check character is :func:`ocr.validators.credit_check_char`);
- ``serial``: the issuer's sequence number for this certificate, ``[0-9A-Z]``;
- ``version``: three digits, ``001`` for the first issue; every change of a certificate is a
  new version with a new identifier (the old one becomes *superseded*);
- ``check``: one character of ISO/IEC 7064 hybrid system MOD 37,36 over the alphanumeric
  characters of everything before it (the ``.`` separators are not part of the alphabet and
  are skipped). MOD 37,36 detects every single-character substitution and every transposition
  of adjacent characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ocr.validators import credit_check_char
from signing.errors import InvalidIdentifierError

__all__ = [
    "IDENTIFIER_PREFIX",
    "CertificateIdentifier",
    "iso7064_mod37_36_check",
    "parse_identifier",
]

IDENTIFIER_PREFIX = "1.2.156.3005.2"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}

_PATTERN = re.compile(
    r"^1\.2\.156\.3005\.2\."
    r"(?P<type_code>[0-9A-Z]{1,32})\."
    r"(?P<issuer_code>[0-9A-Z]{18})\."
    r"(?P<serial>[0-9A-Z]{1,32})\."
    r"(?P<version>[0-9]{3})\."
    r"(?P<check>[0-9A-Z])$"
)


def iso7064_mod37_36_check(text: str) -> str:
    """The MOD 37,36 check character for ``text`` (characters ``0-9A-Z``; ``.`` is skipped)."""
    m = 36
    p = m
    for ch in text:
        if ch == ".":
            continue
        try:
            v = _VALUE[ch]
        except KeyError:
            raise ValueError(f"character {ch!r} outside 0-9A-Z") from None
        s = (p + v) % m
        if s == 0:
            s = m
        p = (s * 2) % (m + 1)
    return _ALPHABET[(m + 1 - p) % m]


def _credit_code_ok(code: str) -> bool:
    """18 characters of the GB 32100 alphabet, the last the check character of the others."""
    if len(code) != 18:
        return False
    try:
        return credit_check_char(code[:17]) == code[17]
    except (KeyError, ValueError):  # outside the alphabet (GB 32100 leaves out I, O, Z, S, V)
        return False


@dataclass(frozen=True)
class CertificateIdentifier:
    """A parsed, checked identifier. ``str(identifier)`` gives the canonical text."""

    type_code: str
    issuer_code: str
    serial: str
    version: int

    def __post_init__(self) -> None:
        body = self._body()
        if not _PATTERN.match(body + ".0"):
            raise InvalidIdentifierError(body, detail="malformed part")
        if not 1 <= self.version <= 999:
            raise InvalidIdentifierError(body, detail="version must be 1..999")
        if not _credit_code_ok(self.issuer_code):
            raise InvalidIdentifierError(body, detail="issuer credit code fails GB 32100 check")

    def _body(self) -> str:
        return (
            f"{IDENTIFIER_PREFIX}.{self.type_code}.{self.issuer_code}."
            f"{self.serial}.{self.version:03d}"
        )

    @property
    def check(self) -> str:
        return iso7064_mod37_36_check(self._body())

    def __str__(self) -> str:
        return f"{self._body()}.{self.check}"

    def next_version(self) -> CertificateIdentifier:
        """The identifier of the next version of the same certificate (after a change)."""
        return CertificateIdentifier(
            type_code=self.type_code,
            issuer_code=self.issuer_code,
            serial=self.serial,
            version=self.version + 1,
        )


def parse_identifier(text: str) -> CertificateIdentifier:
    """Parse and check an identifier; raise :class:`InvalidIdentifierError` on any error."""
    m = _PATTERN.match(text)
    if m is None:
        raise InvalidIdentifierError(text, detail="does not match the GB/T 36904 form")
    body, check = text[:-2], m["check"]
    if iso7064_mod37_36_check(body) != check:
        raise InvalidIdentifierError(text, detail="check character mismatch")
    return CertificateIdentifier(
        type_code=m["type_code"],
        issuer_code=m["issuer_code"],
        serial=m["serial"],
        version=int(m["version"]),
    )
