"""The upload size limit, enforced while the body streams in (before anything is spooled).

A file upload (``POST /api/applications/{id}/files``) larger than
``PAOYICI_MAX_UPLOAD_MB`` (+ room for the multipart envelope) is refused with 413
``too_large``: at once when its ``Content-Length`` says so, and otherwise as soon as the bytes
received pass the limit — the application then sees the client as gone, and whatever it would
have answered is replaced by the 413.
"""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ocr.errors import TooLargeError

MB = 1024 * 1024
#: room for the multipart envelope (boundaries, part headers, the slot field) around the file
ENVELOPE = 64 * 1024
UPLOAD_PATH = re.compile(r"^(/api)?/applications/[^/]+/files/?$")  # the API and the page


async def _too_large(send: Send) -> None:
    err = TooLargeError(limit="request_bytes")
    await _answer(send, 413, err.code, err.message)


async def _answer(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": code, "message": message}, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class UploadLimitMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def _limit(self, scope: Scope) -> int | None:
        services: Any = getattr(scope["app"].state, "services", None)
        if services is None:
            return None
        return int(services.settings.api.max_upload_mb) * MB + ENVELOPE

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not UPLOAD_PATH.match(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(send)
            return
        seen = 0
        exceeded = False
        replied = False

        async def limited_receive() -> Message:
            nonlocal seen, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal replied
            if exceeded:
                if not replied:
                    replied = True
                    await _too_large(send)
                return
            await send(message)

        await self.app(scope, limited_receive, guarded_send)
        if exceeded and not replied:
            await _too_large(send)


class BodyTimeoutMiddleware:
    """A request body that stops arriving is answered 408 ``request_timeout``.

    Each piece of a body must come within ``PAOYICI_BODY_TIMEOUT_S`` of the one before; the
    application then sees the client as gone (as with the size limit above) and its answer is
    replaced by the 408. Once the body is complete, ``receive`` is left alone: an event stream
    waits on it for the client's disconnect for as long as it likes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        services: Any = getattr(scope.get("app"), "state", None)
        services = getattr(services, "services", None)
        if scope["type"] != "http" or services is None:
            await self.app(scope, receive, send)
            return
        timeout = float(services.settings.api.body_timeout_s)
        complete = False
        timed_out = False
        started = False

        async def timed_receive() -> Message:
            nonlocal complete, timed_out
            if timed_out:
                return {"type": "http.disconnect"}
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                timed_out = True
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                complete = True
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if timed_out:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, timed_receive, guarded_send)
        if timed_out and not started:
            await _answer(
                send,
                408,
                "request_timeout",
                "请求内容长时间未传完，连接已断开，请检查网络后重新提交",
            )
