"""Page routes answer errors with a page, not JSON.

:class:`WebRoute` wraps a route's handler (its dependencies included): a ``DomainError`` is
answered with ``error.html`` under the status ``api.errors`` gives it, and a request the route
cannot parse with a 422 page, each saying in Chinese what to do. The status table stays the one
in ``api.errors``; only the body's form differs from the API's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from api.errors import http_status
from api.web.sessions import session_of
from api.web.templating import render
from common import DomainError

__all__ = ["NOTICE_KEY", "PageRedirect", "WebRoute", "error_page"]

#: The session key of a one-time notice shown by the next page (e.g. why one must sign in).
NOTICE_KEY = "notice"


class PageRedirect(Exception):
    """Raised by a page dependency: answer 303 to ``url``, leaving ``notice`` for that page."""

    def __init__(self, url: str, *, notice: str | None = None) -> None:
        super().__init__(url)
        self.url = url
        self.notice = notice


log = logging.getLogger(__name__)


def error_page(request: Request, *, status_code: int, title: str, message: str) -> Response:
    return render(request, "error.html", status_code=status_code, title=title, message=message)


_TITLES = {400: "请求有误", 403: "无法完成操作", 404: "页面不存在", 409: "操作无法完成"}


class WebRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except PageRedirect as r:
                if r.notice:
                    session_of(request)[NOTICE_KEY] = r.notice
                return RedirectResponse(r.url, status_code=303)
            except DomainError as e:
                status = http_status(e)
                if status >= 500:
                    log.error("%s: %s", type(e).__name__, e, exc_info=e)
                title = _TITLES.get(status, "服务暂时出错" if status >= 500 else "无法完成操作")
                return error_page(request, status_code=status, title=title, message=e.message)
            except RequestValidationError:
                return error_page(
                    request,
                    status_code=422,
                    title="填写的内容不完整",
                    message="请返回上一页，检查每一项都已填写后重新提交。",
                )

        return page_handler
