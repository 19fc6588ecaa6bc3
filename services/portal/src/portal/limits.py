"""The limit on request bodies at the portal's edge: the APIs' (`thidua_platform.body_limit`), answered as a page.

Every form is refused over THIDUA_MAX_REQUEST_BODY_BYTES (1 MiB, as at the APIs) before anything reads it — at once
with a Content-Length over the limit, or as soon as a body of unknown length passes it — with a 413 page in the
reader's language (Vietnamese unless English was chosen), or the APIs' 413 problem+json when the request asks for JSON.

The pages that take a file declare it (`openapi_extra=UPLOAD_FORM`, a multipart `requestBody`, as the APIs' uploads
declare theirs) and keep their own, larger limit: THIDUA_UPLOAD_MAX_BYTES for the file plus the form's fields. A
multipart body to such a page is left to `signed_in`, which refuses a larger Content-Length before reading and
checks each file's size; here a body of unknown length is counted as it arrives (never held) and refused past that
limit. Any other body to an upload page (not multipart) has the 1 MiB limit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal.web import TooLarge, error_page
from thidua_platform.body_limit import BodyLimit

MULTIPART = "multipart/form-data"

# What a page that takes a file declares (`@router.post(..., openapi_extra=UPLOAD_FORM)`)
UPLOAD_FORM: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["csrf_token", "file"],
                    "properties": {"csrf_token": {"type": "string"}, "file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}

Route = tuple[re.Pattern[str], set[str]]


def upload_routes(app: FastAPI) -> list[Route]:
    """The pages that take a file (a multipart `requestBody` in the portal's OpenAPI): their path and methods."""
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    found: list[Route] = []
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if MULTIPART in operation.get("requestBody", {}).get("content", {}):
                regex, _, _ = compile_path(path)
                found.append((regex, {method.upper()}))
    return found


def is_multipart(scope: Scope) -> bool:
    return any(
        name == b"content-type" and value.split(b";", 1)[0].strip().lower() == MULTIPART.encode()
        for name, value in scope["headers"]
    )


def asks_for_json(request: Request) -> bool:
    accept = request.headers.get("accept", "").lower()
    return "json" in accept and "text/html" not in accept


def shown(size: int) -> str:
    mib = 1024 * 1024
    return f"{size // mib} MB" if size % mib == 0 else f"{size:,} byte".replace(",", ".")


def counted(receive: Receive, limit: int) -> Receive:
    """The request's body as it arrives, raising TooLarge (a 413 page) once more than `limit` bytes came."""
    seen = 0

    async def counting() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge()
        return message

    return counting


class PortalBodyLimit(BodyLimit):
    """ASGI middleware: the APIs' body limit, with upload pages apart and the refusal as a page (see the module)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, uploads: Sequence[Route] = (), upload_max_bytes: int = 0
    ) -> None:
        super().__init__(app, max_bytes=max_bytes)
        self.streamed = list(uploads)
        self.upload_max_bytes = max(upload_max_bytes, max_bytes)

    def streams_its_own_body(self, scope: Scope) -> bool:
        return is_multipart(scope) and super().streams_its_own_body(scope)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.streams_its_own_body(scope):
            await self.app(scope, counted(receive, self.upload_max_bytes), send)
            return
        await super().__call__(scope, receive, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if asks_for_json(request):
            await super().refuse(scope, receive, send)
            return
        limit = shown(self.max_bytes)
        response = error_page(
            request,
            413,
            f"Nội dung gửi lên quá lớn (tối đa {limit})",
            f"What was sent is too large (at most {limit})",
        )
        await response(scope, receive, send)
