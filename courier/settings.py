"""Settings of the courier package (env prefix ``PAOYICI_COURIER_``).

Secrets are ``SecretStr``: their ``repr`` and ``str`` print ``**********``, so a settings object
that reaches a log line or a traceback leaks nothing. They are read with ``get_secret_value()``
only where a signature is computed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development-only values: production refuses to start while any is in use.
DEV_SF_CHECKWORD = "dev-only-sf-checkword-change-me"
DEV_KUAIDI100_SALT = "dev-only-kuaidi100-salt-change-me"
DEV_KUAIDI100_KEY = "dev-only-kuaidi100-key"
DEV_KUAIDI100_SECRET = "dev-only-kuaidi100-secret"  # noqa: S105
DEV_PICKUP_SECRET = "dev-only-pickup-code-secret-change-me"  # noqa: S105

CarrierName = Literal["sf", "kuaidi100"]


class CourierSettings(BaseSettings):
    """Carriers' endpoints and credentials.

    The embedded default points both carriers at the simulator (``courier.simulator``), which
    speaks their protocols with the same development secrets; production sets the carriers' own
    URLs and the credentials issued by them.
    """

    model_config = SettingsConfigDict(env_prefix="PAOYICI_COURIER_", extra="ignore")

    # Embedded default: the simulator carrier is mounted in the service at /simulator, and the
    # carriers' URLs below point at it (``embedded_defaults``).
    simulator: bool = True

    # SF Express open platform (丰桥): form POST to <sf_base_url>/std/service.
    sf_base_url: str = "http://127.0.0.1:8000/simulator/sf"
    sf_partner_id: str = "PAOYICI"
    sf_checkword: SecretStr = SecretStr(DEV_SF_CHECKWORD)
    sf_monthly_card: str = "7551234567"
    sf_express_type: int = 1  # 顺丰特快
    sf_label_template: str = "fm_150_standard_PAOYICI"

    # Kuaidi100: electronic waybill at <kuaidi100_api_url>/label/order, tracking at
    # <kuaidi100_poll_url>/poll and /poll/query.do. ``kuaidi100_com`` is the carrier it books
    # (EMS for government mail, 邮政 being the usual carrier of 政务寄递).
    kuaidi100_api_url: str = "http://127.0.0.1:8000/simulator/kuaidi100"
    kuaidi100_poll_url: str = "http://127.0.0.1:8000/simulator/kuaidi100"
    kuaidi100_key: SecretStr = SecretStr(DEV_KUAIDI100_KEY)
    kuaidi100_customer: str = "PAOYICI-CUSTOMER"
    kuaidi100_secret: SecretStr = SecretStr(DEV_KUAIDI100_SECRET)
    kuaidi100_salt: SecretStr = SecretStr(DEV_KUAIDI100_SALT)
    kuaidi100_com: str = "ems"

    # Where carriers push: the service's public base URL + the routes of CONTRACT §5.
    callback_base_url: str = "http://127.0.0.1:8000"

    # The sender printed on every waybill: the issuing office's mail room.
    sender_name: str = "政务服务中心寄递窗口"
    sender_phone: str = "057100000000"
    sender_province: str = "浙江省"
    sender_city: str = "杭州市"
    sender_district: str = "上城区"
    sender_address: str = "解放东路18号市民中心"

    # The embedded simulator's pace and faults (it pushes a step every ``simulator_step_s``).
    simulator_step_s: float = 5.0
    simulator_loss_rate: float = 0.1
    simulator_duplicate_rate: float = 0.2
    simulator_reorder_rate: float = 0.2
    # Route queries of open shipments (fills the gaps lost pushes leave).
    reconcile_interval_s: float = 60.0

    # HTTP to carriers: each call bounded; transient failures retried with the same order key.
    connect_timeout_s: float = 3.0
    read_timeout_s: float = 10.0
    retries: int = 3
    retry_backoff_s: float = 0.5

    # Window pickup codes: HMAC key (codes are 8 digits: the key, not the length, stops an
    # offline guess from a copy of the database), lifetime, wrong tries before a code locks.
    pickup_secret: SecretStr = SecretStr(DEV_PICKUP_SECRET)
    pickup_ttl_hours: int = 72
    pickup_max_attempts: int = 5

    def insecure_defaults(self) -> list[str]:
        """Names of settings still at development values (production refuses to start)."""
        out: list[str] = []
        if self.simulator:
            out.append(
                "PAOYICI_COURIER_SIMULATOR (the simulator carrier is for the embedded default)"
            )
        pairs = [
            ("PAOYICI_COURIER_SF_CHECKWORD", self.sf_checkword, DEV_SF_CHECKWORD),
            ("PAOYICI_COURIER_KUAIDI100_SALT", self.kuaidi100_salt, DEV_KUAIDI100_SALT),
            ("PAOYICI_COURIER_KUAIDI100_KEY", self.kuaidi100_key, DEV_KUAIDI100_KEY),
            ("PAOYICI_COURIER_KUAIDI100_SECRET", self.kuaidi100_secret, DEV_KUAIDI100_SECRET),
            ("PAOYICI_COURIER_PICKUP_SECRET", self.pickup_secret, DEV_PICKUP_SECRET),
        ]
        out.extend(name for name, value, dev in pairs if value.get_secret_value() == dev)
        urls = (self.sf_base_url, self.kuaidi100_api_url, self.kuaidi100_poll_url)
        if any(SIMULATOR_PATH + "/" in url for url in urls):
            out.append("PAOYICI_COURIER_SF_BASE_URL / _KUAIDI100_*_URL (the simulator's)")
        return out


SIMULATOR_PATH = "/simulator"


def embedded_defaults(public_base_url: str) -> dict[str, str]:
    """Defaults that follow the service's public address: where carriers push, and (embedded
    default) the simulator mounted in the service."""
    base = public_base_url.rstrip("/")
    return {
        "callback_base_url": base,
        "sf_base_url": f"{base}{SIMULATOR_PATH}/sf",
        "kuaidi100_api_url": f"{base}{SIMULATOR_PATH}/kuaidi100",
        "kuaidi100_poll_url": f"{base}{SIMULATOR_PATH}/kuaidi100",
    }
