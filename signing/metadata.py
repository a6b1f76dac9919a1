"""Certificate metadata per GB/T 36903-2018 (电子证照 元数据规范), and the certificate types.

The same :class:`CertificateMeta` is drawn on the page, embedded in the PDF (XMP and document
information) and recorded by the registry (``cases.Certificate``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum

from signing.errors import InvalidMetadataError
from signing.facedata import FaceData
from signing.identifier import CertificateIdentifier, parse_identifier

__all__ = ["CertificateKind", "CertificateMeta", "CertificateStatus", "HolderCodeType"]


class CertificateKind(Enum):
    """Certificate types with a template. ``type_code`` values are placeholders for the codes the
    national catalogue (全国一体化政务服务平台电子证照目录) assigns; deployments override them via
    :class:`signing.settings.SigningSettings`."""

    REAL_ESTATE_REGISTRATION = "real_estate_registration"  # 不动产权转移登记结果
    INDIVIDUAL_BUSINESS_LICENSE = "individual_business_license"  # 个体工商户营业执照

    @property
    def title(self) -> str:
        return _TITLES[self]

    @property
    def default_type_code(self) -> str:
        return _TYPE_CODES[self]


_TITLES = {
    CertificateKind.REAL_ESTATE_REGISTRATION: "不动产权证书",
    CertificateKind.INDIVIDUAL_BUSINESS_LICENSE: "营业执照",
}
_TYPE_CODES = {
    CertificateKind.REAL_ESTATE_REGISTRATION: "1130000BDCQZS",
    CertificateKind.INDIVIDUAL_BUSINESS_LICENSE: "1130000GTGSHYYZZ",
}


class HolderCodeType(Enum):
    CITIZEN_ID = "公民身份号码"
    CREDIT_CODE = "统一社会信用代码"


class CertificateStatus(Enum):
    """Registry status of an electronic certificate (not of the signing key)."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CertificateMeta:
    """GB/T 36903 metadata of one certificate version, plus the surface fields of its template.

    ``holder_code`` is personal data: it is drawn on the certificate and kept in the signed PDF,
    but the public verification page never shows it. ``valid_until`` ``None`` means 长期.
    ``fields`` are the template's labelled lines (label, value) in drawing order; ``face`` its
    machine-readable face data.
    """

    kind: CertificateKind
    identifier: CertificateIdentifier
    number: str  # 证照编号, e.g. 浙(2026)杭州市不动产权第0012345号
    holder: str  # 持证主体
    holder_code: str  # 持证主体代码
    holder_code_type: HolderCodeType
    issuer: str  # 颁发机构
    issued_on: dt.date  # 颁发日期
    valid_from: dt.date
    valid_until: dt.date | None = None
    fields: tuple[tuple[str, str], ...] = field(default=())
    #: 照面信息: the CONTRACT §3 fields of the certificate's document type, embedded as XMP
    #: in the signed revision (:mod:`signing.facedata`); ``None``: no face data embedded
    face: FaceData | None = None

    def __post_init__(self) -> None:
        for name in ("number", "holder", "holder_code", "issuer"):
            if not str(getattr(self, name)).strip():
                raise InvalidMetadataError(name, detail="empty")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise InvalidMetadataError("valid_until", detail="before valid_from")

    @property
    def name(self) -> str:  # 证照名称
        return self.kind.title

    @property
    def type_code(self) -> str:  # 证照类型代码
        return self.identifier.type_code

    @property
    def issuer_code(self) -> str:  # 颁发机构代码
        return self.identifier.issuer_code

    @property
    def validity_text(self) -> str:
        end = "长期" if self.valid_until is None else _zh_date(self.valid_until)
        return f"{_zh_date(self.valid_from)}至{end}"

    def as_record(self) -> dict[str, str]:
        """Flat GB/T 36903 element names → text (XMP, document info, JSON)."""
        return {
            "证照名称": self.name,
            "证照类型代码": self.type_code,
            "证照编号": self.number,
            "证照标识": str(self.identifier),
            "持证主体": self.holder,
            "持证主体代码": self.holder_code,
            "持证主体代码类型": self.holder_code_type.value,
            "证照颁发机构": self.issuer,
            "证照颁发机构代码": self.issuer_code,
            "证照颁发日期": self.issued_on.isoformat(),
            "证照有效期起始日期": self.valid_from.isoformat(),
            "证照有效期截止日期": "长期"
            if self.valid_until is None
            else self.valid_until.isoformat(),
        }

    @staticmethod
    def identifier_from_text(text: str) -> CertificateIdentifier:
        return parse_identifier(text)


def _zh_date(d: dt.date) -> str:
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***; organisation names (≥ 5 chars with a legal-form suffix) are
    public and kept."""
    if len(name) >= 5 and name.endswith(
        ("公司", "中心", "局", "厅", "委员会", "店", "部", "社", "厂")
    ):
        return name
    if len(name) <= 1:
        return "*"
    return name[0] + "*" * (len(name) - 1)
