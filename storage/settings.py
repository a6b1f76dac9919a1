"""Settings of the storage package (env prefix ``PAOYICI_STORAGE_``)."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development-only values: production refuses to start while any is in use.
DEV_PRESIGN_SECRET = "dev-only-presign-secret-change-me"  # noqa: S105 - detected below
DEV_S3_ACCESS_KEY = "paoyici-test-access"
DEV_S3_SECRET_KEY = "paoyici-test-secret-0123456789"  # noqa: S105 - the dev RGW's key

MiB = 1024 * 1024
# 30 years of 365.25 days, rounded up: the default keeping time of an issued certificate.
THIRTY_YEARS_DAYS = 10958


class StorageSettings(BaseSettings):
    """``backend="local"`` (embedded default) keeps objects in a folder under the data dir;
    ``backend="s3"`` uses an S3 server (MinIO in production, Ceph RGW in tests) through the
    ``minio`` SDK, one bucket per kind named ``<bucket_prefix><kind>``."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_STORAGE_", extra="ignore")

    backend: Literal["local", "s3"] = "local"

    # Largest object accepted by put() unless the caller passes a smaller limit.
    max_object_size: int = 64 * MiB
    # Keeping time (COMPLIANCE object lock) of every certificate.
    certificate_retention_days: int = THIRTY_YEARS_DAYS

    # Presigned URLs. Local store: served by the API at <public_base_url>/objects/<kind>/<key>,
    # signed with HMAC-SHA256 under presign_secret. S3: signed by the S3 server's own scheme.
    public_base_url: str = "http://127.0.0.1:8000"
    presign_secret: SecretStr = SecretStr(DEV_PRESIGN_SECRET)
    presign_max_expiry_s: int = 7 * 24 * 3600

    # Local store: folder relative to the data dir unless absolute.
    local_dir: Path = Path("objects")

    # S3.
    s3_endpoint: str = "127.0.0.1:7443"  # host:port, no scheme
    s3_secure: bool = True
    s3_ca_file: Path | None = None  # PEM bundle to trust instead of the system CAs
    s3_region: str = "us-east-1"
    s3_access_key: str = DEV_S3_ACCESS_KEY
    s3_secret_key: SecretStr = SecretStr(DEV_S3_SECRET_KEY)
    bucket_prefix: str = "paoyici-"
    # Server-side encryption: "none", "sse-c" (customer key below, the server never stores it)
    # or "kms" (key id held by the server's KMS). MinIO and RGW both require TLS for either.
    sse: Literal["none", "sse-c", "kms"] = "none"
    sse_c_key: SecretStr | None = None  # base64 of 32 bytes
    sse_kms_key_id: str | None = None
    # Objects up to the threshold go in one PUT (Ceph RGW stores a 20 MB object ~1.7x faster
    # that way than in 5 MB parts); larger ones in parts of multipart_part_size, in parallel.
    multipart_threshold: int = 32 * MiB
    multipart_part_size: int = 16 * MiB
    # Parts of multipart uploads never completed are dropped by the server after this many days.
    abort_incomplete_upload_days: int = 1
    multipart_parallel: int = 3
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 30.0
    # Transient failures (connection refused/reset, 5xx, SlowDown) are retried with exponential
    # backoff until this deadline, then StorageUnavailableError.
    retry_deadline_s: float = 15.0
    pool_size: int = 16

    @field_validator("sse_c_key")
    @classmethod
    def _sse_c_key_is_32_bytes(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            try:
                raw = base64.b64decode(value.get_secret_value(), validate=True)
            except (binascii.Error, ValueError) as e:
                raise ValueError("sse_c_key must be base64") from e
            if len(raw) != 32:
                raise ValueError("sse_c_key must be base64 of exactly 32 bytes")
        return value

    @field_validator("multipart_part_size", "multipart_threshold")
    @classmethod
    def _part_size_within_s3_limits(cls, value: int) -> int:
        if not 5 * MiB <= value <= 5 * 1024 * MiB:
            raise ValueError("must be between 5 MiB and 5 GiB (S3 part size limits)")
        return value

    @field_validator("bucket_prefix")
    @classmethod
    def _bucket_prefix_is_dns_safe(cls, value: str) -> str:
        allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-")
        if not value or not set(value) <= allowed or len(value) > 40 or value[0] == "-":
            raise ValueError("bucket_prefix: 1-40 of a-z, 0-9, '-', not starting with '-'")
        return value

    def resolved_local_dir(self, data_dir: Path) -> Path:
        return self.local_dir if self.local_dir.is_absolute() else data_dir / self.local_dir

    def resolved_ca_file(self, data_dir: Path) -> Path | None:
        if self.s3_ca_file is None or self.s3_ca_file.is_absolute():
            return self.s3_ca_file
        return data_dir / self.s3_ca_file

    def insecure_defaults(self) -> list[str]:
        """Names of settings still at development values (production refuses to start)."""
        out: list[str] = []
        if self.backend == "local":
            out.append("PAOYICI_STORAGE_BACKEND (the local folder is for the embedded default)")
            if self.presign_secret.get_secret_value() == DEV_PRESIGN_SECRET:
                out.append("PAOYICI_STORAGE_PRESIGN_SECRET")
        else:
            if self.s3_secret_key.get_secret_value() == DEV_S3_SECRET_KEY:
                out.append("PAOYICI_STORAGE_S3_SECRET_KEY")
            if not self.s3_secure:
                out.append("PAOYICI_STORAGE_S3_SECURE (plain HTTP)")
        return out
