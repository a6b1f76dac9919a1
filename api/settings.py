"""The service's settings: one class per package, composed here (STYLE §6).

Every value can be overridden by a ``PAOYICI_*`` environment variable, e.g. ``PAOYICI_DATA_DIR``,
``PAOYICI_DATABASE_URL``, ``PAOYICI_STORAGE_BACKEND``, ``PAOYICI_JOBS_BACKEND``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic_settings import BaseSettings, SettingsConfigDict

from cases import DatabaseSettings
from cases.identity import IdentitySettings
from courier.settings import CourierSettings, embedded_defaults
from jobs import JobsSettings
from jobs.deadlines import DeadlineSettings
from jobs.review import ReviewSettings
from jobs.warnings import WarningSettings
from ocr.settings import OcrSettings
from precheck.settings import PrecheckSettings
from signing import SigningSettings
from storage import StorageSettings

_S = TypeVar("_S", bound=BaseSettings)

DEV_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 - detected and refused in production


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAOYICI_", extra="ignore")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    public_base_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEV_SECRET_KEY
    max_upload_mb: int = 20
    # a request body that stops arriving (slowloris) is answered 408 after this many seconds
    # without a byte: it would otherwise hold a worker thread and a spool file for ever
    body_timeout_s: float = 30.0
    migrate_on_start: bool = True
    log_level: str = "INFO"
    # accounts (issue 11): bearer-token lifetime, self-registration of citizens (off where they
    # come from the province's unified identity login), login attempts per account and address
    token_ttl_minutes: int = 60
    allow_registration: bool = True
    login_rate_limit: str = "10/minute"
    login_rate_limit_address: str = "60/minute"
    # Server-Sent Events of an application: how often it is looked at, how long one stream lasts
    events_poll_s: float = 1.0
    events_max_s: float = 300.0

    def insecure_defaults(self) -> list[str]:
        return ["PAOYICI_SECRET_KEY"] if self.secret_key == DEV_SECRET_KEY else []


class InsecureConfigurationError(RuntimeError):
    """Production refuses to start with development secrets or embedded-only parts."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__("生产环境不能使用开发默认配置，请设置：" + "，".join(names))


@dataclass(frozen=True)
class Settings:
    api: ApiSettings
    database: DatabaseSettings
    storage: StorageSettings
    jobs: JobsSettings
    signing: SigningSettings
    ocr: OcrSettings
    precheck: PrecheckSettings
    # review (issue 11): claim leases and crops; promised limits in working days
    review: ReviewSettings = field(default_factory=ReviewSettings)
    deadlines: DeadlineSettings = field(default_factory=DeadlineSettings)
    courier: CourierSettings = field(default_factory=CourierSettings)
    warnings: WarningSettings = field(default_factory=WarningSettings)
    # the unified real-name login (issue 14): the issuer's key verifies its assertions
    identity: IdentitySettings = field(default_factory=IdentitySettings)

    @property
    def data_dir(self) -> Path:
        return self.api.data_dir

    def insecure_defaults(self) -> list[str]:
        return [
            *self.api.insecure_defaults(),
            *self.database.insecure_defaults(),
            *self.storage.insecure_defaults(),
            *self.signing.insecure_defaults(),
            *self.courier.insecure_defaults(),
        ]

    def enforce_production(self) -> None:
        if self.api.env == "production":
            bad = self.insecure_defaults()
            if bad:
                raise InsecureConfigurationError(bad)


def load_settings(**api_overrides: object) -> Settings:
    """Read every package's settings from the environment (and ``api_overrides``).

    ``PAOYICI_PUBLIC_BASE_URL`` is the one public address; packages that build URLs inherit it
    unless their own variable is set.
    """
    api = ApiSettings(**api_overrides)  # type: ignore[arg-type]
    inherited = {"public_base_url": api.public_base_url}
    return Settings(
        api=api,
        database=DatabaseSettings(),
        storage=_with_defaults(StorageSettings, inherited),
        jobs=JobsSettings(),
        signing=_with_defaults(SigningSettings, inherited),
        ocr=OcrSettings(),
        precheck=PrecheckSettings(),
        review=ReviewSettings(),
        deadlines=DeadlineSettings(),
        courier=_with_defaults(CourierSettings, embedded_defaults(api.public_base_url)),
        warnings=WarningSettings(),
    )


def _with_defaults(cls: type[_S], defaults: dict[str, Any]) -> _S:
    """Instantiate ``cls`` from the environment, filling fields its own variables leave unset."""
    prefix = str(cls.model_config.get("env_prefix", ""))
    unset = {k: v for k, v in defaults.items() if (prefix + k).upper() not in os.environ}
    return cls(**unset)
