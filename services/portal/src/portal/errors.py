"""What an error becomes: a page in the reader's language, never a stack trace.

Signing in is asked for (a redirect to the login), an ended session says so (401), a role that does not allow the page,
a stale form or one too large get their page; an API's error shows the API's own message with its status (a 5xx as
502), anything unexpected is logged and shown as an internal error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from portal.adapters.backend import ApiError
from portal.i18n import Translator
from portal.web import (
    SESSION_COOKIE,
    BadForm,
    LoginRequired,
    NotAllowed,
    SessionExpired,
    TooLarge,
    error_page,
    here,
    lang_of,
    portal_of,
    render,
    safe_next,
)

log = logging.getLogger("portal")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    next_path = exc.next_path if request.method == "GET" else request.headers.get("referer", "/")
    return RedirectResponse(f"/auth/login?next={quote(safe_next(next_path))}", status_code=303)


async def _session_expired(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SessionExpired)
    response = render(request, portal_of(request), "expired.html", status=401, next_path=safe_next(exc.next_path))
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _not_allowed(request: Request, _exc: Exception) -> Response:
    return error_page(request, 403, "Bạn không có quyền xem trang này", "Your role does not allow this page")


async def _bad_form(request: Request, _exc: Exception) -> Response:
    return error_page(
        request,
        403,
        "Biểu mẫu đã cũ hoặc không hợp lệ, vui lòng tải lại trang",
        "The form is stale or not from this site; please reload the page",
    )


async def _too_large(request: Request, _exc: Exception) -> Response:
    mb = portal_of(request).settings.upload_max_bytes // (1024 * 1024)
    return error_page(request, 413, f"Tệp quá lớn (tối đa {mb} MB)", f"The file is too large (at most {mb} MB)")


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    if exc.status == 401:
        return await _session_expired(request, SessionExpired(here(request)))
    status = exc.status if exc.status in (403, 404, 409, 422) else 502 if exc.status >= 500 else 400
    t = Translator(lang_of(request))
    return error_page(request, status, *_split(exc.title), detail=t.pick(exc.detail))


async def _bad_request(request: Request, exc: Exception) -> Response:
    fields = []
    if isinstance(exc, RequestValidationError):
        fields = [".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()]
    return error_page(
        request,
        400,
        "Địa chỉ hoặc dữ liệu không hợp lệ",
        "The address or data is not valid",
        detail=", ".join(f for f in fields if f),
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return error_page(request, 404, "Không tìm thấy trang", "Page not found")
    return error_page(request, exc.status_code, "Yêu cầu không thực hiện được", "The request cannot be served")


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return error_page(request, 500, "Lỗi hệ thống, vui lòng thử lại sau", "Internal error, please try again later")


def install_error_pages(app: Any) -> None:
    handlers: Mapping[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
        LoginRequired: _login_required,
        SessionExpired: _session_expired,
        NotAllowed: _not_allowed,
        BadForm: _bad_form,
        TooLarge: _too_large,
        ApiError: _api_error,
        RequestValidationError: _bad_request,
        StarletteHTTPException: _http_error,
        Exception: _unexpected,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)


def _split(text: str) -> tuple[str, str]:
    vi, _, en = text.partition(" / ")
    return vi, en or vi
