"""Settings of the application record: database and field encryption."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

# Development-only key: production refuses to start while it is in use.
DEV_ENCRYPTION_KEY = "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="


class DatabaseSettings(BaseSettings):
    """``PAOYICI_DATABASE_*``. Without a URL, the embedded SQLite file under the data dir."""

    model_config = SettingsConfigDict(env_prefix="PAOYICI_DATABASE_", extra="ignore")

    url: str | None = None
    echo: bool = False
    pool_size: int = 5
    connect_timeout_s: float = 3.0
    # base64 of 32 bytes (AES-256-GCM) for ID numbers and other personal data at rest
    encryption_key: str = DEV_ENCRYPTION_KEY

    def resolved_url(self, data_dir: Path) -> str:
        return self.url or f"sqlite:///{(data_dir / 'paoyici.db').resolve()}"

    def insecure_defaults(self) -> list[str]:
        out = []
        if self.encryption_key == DEV_ENCRYPTION_KEY:
            out.append("PAOYICI_DATABASE_ENCRYPTION_KEY")
        if self.url is None or self.url.startswith("sqlite"):
            out.append("PAOYICI_DATABASE_URL (SQLite is for the embedded default only)")
        return out
