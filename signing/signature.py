"""What a PAdES signature is, whichever engine makes or checks it: its level
(:class:`SignatureLevel`) and what validation found (:class:`SignatureReport`).

Kept apart from :mod:`signing.pades` so that naming a level or reading a report does not load
pyHanko.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

__all__ = ["SignatureLevel", "SignatureReport"]


class SignatureLevel(Enum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"
    B_LTA = "B-LTA"

    @property
    def needs_timestamp(self) -> bool:
        return self is not SignatureLevel.B_B

    @property
    def needs_revocation_info(self) -> bool:
        return self in (SignatureLevel.B_LT, SignatureLevel.B_LTA)


@dataclass(frozen=True)
class SignatureReport:
    """What validation found about the (last) document signature.

    ``intact``: the signed bytes hash to the signed digest; ``valid``: intact and the
    cryptographic signature checks; ``trusted``: the signer's chain reaches a trust anchor and
    is not revoked at the signing time; ``revoked``: revocation was proven; ``covers_document``:
    nothing but permitted revocation/timestamp updates follows the signature.
    """

    intact: bool
    valid: bool
    trusted: bool
    revoked: bool
    covers_document: bool
    level: SignatureLevel
    signed_at: dt.datetime | None
    timestamped: bool
    signer_subject: str
    signer_serial: int
    document_info: dict[str, str]  # of the signed revision
    xmp: bytes | None  # of the signed revision
    final_document_info: dict[str, str]  # of the whole file (differs after a DSS update)
    final_xmp: bytes | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.trusted
            and not self.revoked
            and self.covers_document
            and not self.problems
        )
