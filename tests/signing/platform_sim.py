"""A small simulator of the province's data-sharing platform (公共数据平台) e-certificate API,
as :mod:`signing.library` describes it: HMAC-signed requests, lookup by holder and type, fetch
by identifier. An ASGI app served over real HTTP by uvicorn in a thread."""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from signing.library import sign_request


@dataclass
class SimCertificate:
    identifier: str
    type_code: str
    holder_code: str
    holder: str
    number: str
    issued_on: str
    status: str
    pdf: bytes


@dataclass
class Platform:
    app_key: str
    app_secret: str
    certificates: list[SimCertificate] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def _authorised(self, request: Request) -> bool:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        key = request.headers.get("x-app-key", "")
        ts = request.headers.get("x-timestamp", "0")
        sig = request.headers.get("x-signature", "")
        fresh = ts.isdigit() and abs(time.time() - int(ts)) < 300
        want = sign_request(self.app_key, self.app_secret, ts, target)
        return key == self.app_key and fresh and hmac.compare_digest(sig, want)

    async def lookup(self, request: Request) -> Response:
        self.requests.append(str(request.url))
        if not self._authorised(request):
            return JSONResponse({"code": 401, "msg": "签名校验失败"}, status_code=401)
        holder = request.query_params.get("holder_code", "")
        type_code = request.query_params.get("type_code", "")
        data: list[dict[str, Any]] = [
            {
                "identifier": c.identifier,
                "type_code": c.type_code,
                "name": "不动产权证书",
                "number": c.number,
                "holder": c.holder,
                "issued_on": c.issued_on,
                "status": c.status,
            }
            for c in self.certificates
            if c.holder_code == holder and c.type_code == type_code
        ]
        return JSONResponse({"code": 0, "msg": "成功", "data": data})

    async def file(self, request: Request) -> Response:
        self.requests.append(str(request.url))
        if not self._authorised(request):
            return JSONResponse({"code": 401, "msg": "签名校验失败"}, status_code=401)
        ident = request.path_params["identifier"]
        for c in self.certificates:
            if c.identifier == ident:
                return Response(c.pdf, media_type="application/pdf")
        return JSONResponse({"code": 404, "msg": "证照不存在"}, status_code=404)

    def app(self, prefix: str = "/irs/ecert/v1") -> Starlette:
        return Starlette(
            routes=[
                Route(f"{prefix}/certificates", self.lookup),
                Route(f"{prefix}/certificates/{{identifier}}/file", self.file),
            ]
        )


class Served:
    """``uvicorn`` serving an ASGI app on 127.0.0.1:``port`` in a daemon thread."""

    def __init__(self, app: Any, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("simulator did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
