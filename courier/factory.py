"""Carriers built from settings (the composition root calls this once, at start)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from courier.kuaidi100 import Kuaidi100Carrier
from courier.settings import CourierSettings
from courier.sf import SfCarrier
from courier.types import Carrier, Party

SF_PUSH_PATH = "/api/courier/sf/push"
KUAIDI100_CALLBACK_PATH = "/api/courier/kuaidi100/callback"


def http_client(settings: CourierSettings) -> httpx.Client:
    """One pooled client for every carrier call, each bounded in time."""
    timeout = httpx.Timeout(
        settings.read_timeout_s, connect=settings.connect_timeout_s, pool=settings.read_timeout_s
    )
    return httpx.Client(timeout=timeout, follow_redirects=False)


def build_carriers(settings: CourierSettings, *, client: httpx.Client) -> Mapping[str, Carrier]:
    """``{"sf": SfCarrier, "kuaidi100": Kuaidi100Carrier}`` on the configured endpoints."""
    callback = settings.callback_base_url.rstrip("/") + KUAIDI100_CALLBACK_PATH
    return {
        "sf": SfCarrier(
            client=client,
            base_url=settings.sf_base_url,
            partner_id=settings.sf_partner_id,
            check_word=settings.sf_checkword.get_secret_value(),
            monthly_card=settings.sf_monthly_card,
            express_type=settings.sf_express_type,
            template_code=settings.sf_label_template,
            retries=settings.retries,
            backoff_s=settings.retry_backoff_s,
        ),
        "kuaidi100": Kuaidi100Carrier(
            client=client,
            api_url=settings.kuaidi100_api_url,
            poll_url=settings.kuaidi100_poll_url,
            key=settings.kuaidi100_key.get_secret_value(),
            customer=settings.kuaidi100_customer,
            secret=settings.kuaidi100_secret.get_secret_value(),
            salt=settings.kuaidi100_salt.get_secret_value(),
            callback_url=callback,
            company=settings.kuaidi100_com,
            retries=settings.retries,
            backoff_s=settings.retry_backoff_s,
        ),
    }


def sender_of(settings: CourierSettings) -> Party:
    return Party(
        name=settings.sender_name,
        phone=settings.sender_phone,
        province=settings.sender_province,
        city=settings.sender_city,
        district=settings.sender_district,
        address=settings.sender_address,
    )
