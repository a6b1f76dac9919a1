"""The e-certificate library (电子证照库): look up a holder's valid certificates by type, fetch
one by identifier.

:class:`CertificateLibrary` is the protocol. :class:`RegistryLibrary` is the embedded default,
over this service's own registry (the ``certificates`` table) and the stored certificate PDFs;
:class:`SharingPlatformLibrary` is the HTTP adapter for the province's data-sharing platform
(公共数据平台, its base URL, app key/secret and certificate types from
:class:`LibrarySettings`).

A library hands back the signed PDF, never bare field values: whatever the transport, the
caller verifies the signature and reads the face data from the signed revision
(:func:`signing.ecert.read_certificate`), so a lookup is exactly as trustworthy as an upload.

Platform protocol (what the simulator in the tests serves):

- ``GET {base}/certificates?holder_code=…&type_code=…`` →
  ``{"code": 0, "data": [{"identifier", "type_code", "name", "number", "holder", "issued_on",
  "status"}]}``
- ``GET {base}/certificates/{identifier}/file`` → ``application/pdf``

Every request carries ``X-App-Key``, ``X-Timestamp`` (unix seconds) and ``X-Signature`` =
hex HMAC-SHA256 of ``app_key + "\\n" + timestamp + "\\n" + path?query`` under the app secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from urllib.parse import urlencode

import httpx
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import cases
from cases.models import Certificate
from signing.errors import CertificateNotFoundError, SigningError
from signing.metadata import CertificateKind, CertificateStatus
from storage import Bucket, ObjectStore

__all__ = [
    "CertificateLibrary",
    "LibraryCertificate",
    "LibraryError",
    "LibrarySettings",
    "RegistryLibrary",
    "SharingPlatformLibrary",
    "build_library",
    "sign_request",
]

#: CONTRACT §3 document type → certificate type code (证照类型代码), the defaults
DEFAULT_TYPES: dict[str, str] = {
    "property_certificate": CertificateKind.REAL_ESTATE_REGISTRATION.default_type_code,
    "business_license": CertificateKind.INDIVIDUAL_BUSINESS_LICENSE.default_type_code,
}


class LibraryError(SigningError):
    code = "library_unavailable"
    message = "电子证照库暂时无法访问，请稍后再试或直接上传材料"


class LibrarySettings(BaseSettings):
    """``base_url`` unset: the embedded default (this service's own registry)."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_LIBRARY_", extra="ignore")

    base_url: str | None = None
    app_key: str = ""
    app_secret: str = ""
    #: document type → the platform's certificate type code; only these are looked up
    types: dict[str, str] = dict(DEFAULT_TYPES)
    timeout_s: float = 5.0


@dataclass(frozen=True)
class LibraryCertificate:
    identifier: str
    doc_type: str  # CONTRACT §3 type its face data states
    name: str  # 证照名称
    number: str  # 证照编号
    holder: str
    issued_on: dt.date
    status: CertificateStatus


@runtime_checkable
class CertificateLibrary(Protocol):
    def holder_certificates(
        self, *, holder_code: str, doc_types: Sequence[str]
    ) -> list[LibraryCertificate]:
        """The holder's certificates of ``doc_types`` that are ``valid``, newest first."""
        ...

    def fetch(self, identifier: str) -> bytes:
        """The signed PDF; :class:`CertificateNotFoundError` for an unknown identifier."""
        ...


class RegistryLibrary:
    """The embedded default over the ``certificates`` table and the stored PDFs. Holder codes
    are encrypted at rest, so a lookup decrypts the candidates of the requested types (fine at
    one office's scale; a platform indexes them)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cipher: cases.FieldCipher,
        store: ObjectStore,
        *,
        types: Mapping[str, str] = DEFAULT_TYPES,
    ) -> None:
        self._sessions = sessions
        self._cipher = cipher
        self._store = store
        self._types = dict(types)

    def holder_certificates(
        self, *, holder_code: str, doc_types: Sequence[str]
    ) -> list[LibraryCertificate]:
        codes = {self._types[t]: t for t in doc_types if t in self._types}
        if not codes or not holder_code:
            return []
        with self._sessions() as s:
            rows = s.scalars(
                select(Certificate)
                .where(
                    Certificate.type_code.in_(codes),
                    Certificate.status == CertificateStatus.VALID.value,
                    Certificate.object_key.is_not(None),
                )
                .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
            ).all()
            out = []
            for row in rows:
                if row.holder_code_enc is None:
                    continue
                code = self._cipher.decrypt(row.holder_code_enc).decode()
                if not hmac.compare_digest(code, holder_code):
                    continue
                out.append(
                    LibraryCertificate(
                        identifier=row.identifier,
                        doc_type=codes[row.type_code],
                        name=row.name,
                        number=row.number,
                        holder=row.holder_name,
                        issued_on=row.issued_on,
                        status=CertificateStatus(row.status),
                    )
                )
            return out

    def fetch(self, identifier: str) -> bytes:
        with self._sessions() as s:
            key = s.scalar(
                select(Certificate.object_key).where(Certificate.identifier == identifier)
            )
        if key is None:
            raise CertificateNotFoundError(identifier)
        return self._store.get_bytes(kind=Bucket.CERTIFICATES, key=key)


def sign_request(app_key: str, app_secret: str, timestamp: str, target: str) -> str:
    """The ``X-Signature`` of a request to ``target`` (path with its query string)."""
    message = f"{app_key}\n{timestamp}\n{target}".encode()
    return hmac.new(app_secret.encode(), message, hashlib.sha256).hexdigest()


class SharingPlatformLibrary:
    """HTTP adapter for the province's data-sharing platform. One pooled client; thread-safe."""

    def __init__(self, settings: LibrarySettings, *, client: httpx.Client | None = None) -> None:
        if not settings.base_url:
            raise ValueError("base_url")
        self._s = settings
        self._base = settings.base_url.rstrip("/")
        self._prefix = httpx.URL(self._base).path.rstrip("/")
        self._client = client or httpx.Client(timeout=settings.timeout_s)
        self._doc_types = {code: t for t, code in settings.types.items()}

    def close(self) -> None:
        self._client.close()

    def _get(self, path: str, params: Mapping[str, str] | None = None) -> httpx.Response:
        query = f"?{urlencode(params)}" if params else ""
        target = f"{self._prefix}{path}{query}"
        ts = str(int(time.time()))
        headers = {
            "X-App-Key": self._s.app_key,
            "X-Timestamp": ts,
            "X-Signature": sign_request(self._s.app_key, self._s.app_secret, ts, target),
        }
        try:
            return self._client.get(f"{self._base}{path}{query}", headers=headers)
        except httpx.HTTPError as e:
            raise LibraryError(detail=f"{type(e).__name__}: {e}") from e

    def holder_certificates(
        self, *, holder_code: str, doc_types: Sequence[str]
    ) -> list[LibraryCertificate]:
        out: list[LibraryCertificate] = []
        for doc_type in doc_types:
            code = self._s.types.get(doc_type)
            if code is None or not holder_code:
                continue
            r = self._get("/certificates", {"holder_code": holder_code, "type_code": code})
            if r.status_code != 200:
                raise LibraryError(detail=f"lookup: HTTP {r.status_code}")
            body = r.json()
            if body.get("code") != 0:
                raise LibraryError(detail=f"lookup: platform code {body.get('code')}")
            for item in body.get("data") or []:
                status = CertificateStatus(item.get("status", "unknown"))
                if status is not CertificateStatus.VALID:
                    continue
                out.append(
                    LibraryCertificate(
                        identifier=str(item["identifier"]),
                        doc_type=self._doc_types.get(str(item.get("type_code")), doc_type),
                        name=str(item.get("name", "")),
                        number=str(item.get("number", "")),
                        holder=str(item.get("holder", "")),
                        issued_on=dt.date.fromisoformat(str(item["issued_on"])),
                        status=status,
                    )
                )
        out.sort(key=lambda c: c.issued_on, reverse=True)
        return out

    def fetch(self, identifier: str) -> bytes:
        r = self._get(f"/certificates/{identifier}/file")
        if r.status_code == 404:
            raise CertificateNotFoundError(identifier)
        if r.status_code != 200:
            raise LibraryError(detail=f"fetch: HTTP {r.status_code}")
        return r.content


def build_library(
    settings: LibrarySettings,
    *,
    sessions: sessionmaker[Session],
    cipher: cases.FieldCipher,
    store: ObjectStore,
) -> CertificateLibrary:
    if settings.base_url:
        return SharingPlatformLibrary(settings)
    return RegistryLibrary(sessions, cipher, store, types=settings.types)
