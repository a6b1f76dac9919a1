"""Errors of the courier package.

Each has a stable ``code`` and a Chinese ``message`` (``common.DomainError``); the HTTP status is
decided at the edge (``api.errors``). No error ever carries a secret (check word, salt, key) or a
recipient's phone number: ``detail`` is English, for logs, and names only what went wrong.
"""

from __future__ import annotations

from common import DomainError


class CourierError(DomainError):
    """Base error of the courier package."""

    code = "courier_error"
    message = "寄递服务出错，请稍后重试"


class PushSignatureError(CourierError):
    """An inbound carrier push whose signature does not verify: nothing of it is recorded."""

    code = "invalid_signature"
    message = "推送签名校验失败"


class MalformedPushError(CourierError):
    """A push that verified but cannot be read (missing fields, bad JSON, bad time)."""

    code = "malformed_push"
    message = "推送内容格式不正确"


class InvalidAddressError(CourierError):
    """A recipient the carrier cannot deliver to: unknown province/city/district, bad phone."""

    code = "invalid_address"

    def __init__(self, message: str, *, field: str) -> None:
        self.field = field
        super().__init__(message, detail=f"field {field}")

    def details(self) -> dict[str, str]:
        return {"field": self.field}


class UnknownCarrierError(CourierError):
    code = "unknown_carrier"

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__("不支持该寄递公司", detail=f"carrier {name!r}")


class CarrierUnavailableError(CourierError):
    """The carrier did not answer in time (or answered 5xx) after the retries."""

    code = "carrier_unavailable"
    message = "寄递公司系统暂时无法访问，请稍后重试"


class CarrierRejectedError(CourierError):
    """The carrier answered and refused the request (its own error code in ``carrier_code``)."""

    code = "carrier_rejected"
    message = "寄递公司拒绝了该请求"

    def __init__(self, detail: str, *, carrier_code: str = "") -> None:
        self.carrier_code = carrier_code
        super().__init__(detail=detail)

    def details(self) -> dict[str, str]:
        return {"carrier_code": self.carrier_code} if self.carrier_code else {}


class ShipmentNotFoundError(CourierError):
    code = "shipment_not_found"
    message = "未找到该寄递记录"


class PickupCodeError(CourierError):
    """A window pickup code that is wrong, used, expired or locked after too many attempts.

    One message for every case, so a guesser learns nothing from the answer."""

    code = "invalid_pickup_code"
    message = "取件码无效或已过期"
