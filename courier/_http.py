"""Posting to a carrier: bounded time, retries on transient failures only.

Retrying a POST is safe here because every call that books something carries our idempotency
key (the order id), and the others (query, cancel, label) are naturally repeatable.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx

from courier.errors import CarrierUnavailableError

log = logging.getLogger(__name__)

_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def request_with_retries(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    carrier: str,
    what: str,
    retries: int,
    backoff_s: float,
    data: Mapping[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Response:
    """``method url`` with up to ``retries`` further attempts after a timeout, a network error
    or a 5xx; ``CarrierUnavailableError`` once they are spent. ``what`` names the call in logs
    (never the form: it carries signatures and personal data)."""
    attempt = 0
    while True:
        try:
            response = client.request(method, url, data=data, headers=headers)
        except _TRANSIENT as e:
            failure: str = type(e).__name__
        else:
            if response.status_code < 500:
                return response
            failure = f"HTTP {response.status_code}"
        if attempt >= retries:
            raise CarrierUnavailableError(
                detail=f"{carrier} {what}: {failure} after {attempt + 1} tries"
            )
        log.warning("courier: %s %s failed (%s), retrying", carrier, what, failure)
        time.sleep(backoff_s * (2**attempt))
        attempt += 1


def json_body(response: httpx.Response, *, carrier: str, what: str) -> Any:
    try:
        return response.json()
    except ValueError as e:
        raise CarrierUnavailableError(
            detail=f"{carrier} {what}: HTTP {response.status_code}, not JSON"
        ) from e
