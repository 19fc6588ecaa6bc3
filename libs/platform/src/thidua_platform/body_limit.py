"""A limit on request bodies at the edge of every API, before anything reads or parses them.

Without it a 20 MB JSON body is read whole and parsed before validation refuses it. `BodyLimit` answers
413 problem+json ("Nội dung yêu cầu quá lớn / Request body too large") to a body over the limit:

- with a Content-Length over the limit, at once, without reading a byte of the body (the server discards what the
  client still sends once the answer is complete, so the client reads the 413 rather than a reset connection);
- without a Content-Length (chunked), by counting the bytes as they arrive: at most the limit is held, then the
  request goes on with the body it read, or is refused as soon as the count passes the limit.

Routes that stream their raw body themselves — uploads, which declare it in their OpenAPI (`openapi_extra` with a
`requestBody`, as the submissions service's `octet_stream` does) and take no body parameter — are left to their own,
larger limit (the attachment limit, `THIDUA_MAX_ATTACHMENT_BYTES`; the workbook import's 5 MB). `create_app` finds
them in the routers it includes (`streamed_routes`). They are looked up only for a body over the limit or of unknown
length, so an ordinary request costs a look at its headers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_platform.problems import PROBLEM_JSON, Problem

DEFAULT_MAX_BODY_BYTES = 1024 * 1024  # 1 MiB: the largest legitimate JSON body is a few tens of kilobytes


class BodyTooLarge(Problem):
    status = 413
    title = "Nội dung yêu cầu quá lớn / Request body too large"


def _limit_text(limit: int) -> str:
    shown = f"{limit // (1024 * 1024)} MiB" if limit % (1024 * 1024) == 0 else f"{limit} byte"
    return f"Nội dung vượt quá {shown} / The body exceeds {limit} bytes"


def streamed_routes(routers: Iterable[APIRouter]) -> list[APIRoute]:
    """The routes that read their raw body themselves and bound it: no body parameter, a `requestBody` declared in
    their OpenAPI (the uploads)."""
    return [
        route
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.body_field is None and "requestBody" in (route.openapi_extra or {})
    ]


def _framing(headers: Iterable[tuple[bytes, bytes]]) -> tuple[bytes | None, bool]:
    """The request's declared Content-Length (None: none), and whether it is sent with a Transfer-Encoding."""
    declared: bytes | None = None
    chunked = False
    for name, value in headers:
        if name == b"content-length":
            declared = value
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked


class BodyLimit:
    """ASGI middleware: refuse request bodies over `max_bytes` with 413 problem+json (see the module)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int = DEFAULT_MAX_BODY_BYTES, streamed: Sequence[APIRoute] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.streamed = [(route.path_regex, route.methods or set()) for route in streamed]

    def streams_its_own_body(self, scope: Scope) -> bool:
        """Whether the request goes to one of the `streamed` routes."""
        path: str = scope["path"]
        root: str = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        method = scope["method"]
        return any(method in methods and regex.match(path) for regex, methods in self.streamed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _framing(scope["headers"])
        if not chunked:
            # the server holds the body to its Content-Length: one at or under the limit cannot grow past it
            within = declared is None or not declared.isdigit() or int(declared) <= self.max_bytes
            if within or self.streams_its_own_body(scope):
                await self.app(scope, receive, send)
            else:
                await self.refuse(scope, receive, send)
            return
        if self.streams_its_own_body(scope):
            await self.app(scope, receive, send)
            return
        await self.count_the_body(scope, receive, send)

    async def count_the_body(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A body of unknown length: read at most the limit, refuse it as soon as it passes, else go on with it."""
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away: nobody to answer
            body += message.get("body", b"")
            if len(body) > self.max_bytes:
                await self.refuse(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # after the body: the server's own messages (a disconnect)
            replayed = True
            return {"type": "http.request", "body": bytes(body), "more_body": False}

        await self.app(scope, replay, send)

    async def refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        problem = BodyTooLarge(_limit_text(self.max_bytes), max_bytes=self.max_bytes)
        response = JSONResponse(problem.body(instance=scope.get("path")), status_code=413, media_type=PROBLEM_JSON)
        await response(scope, receive, send)
