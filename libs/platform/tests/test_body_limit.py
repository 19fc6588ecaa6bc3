"""The edge limit on request bodies (`thidua_platform.body_limit`), on an app built as every API is (`create_app`):
a JSON body over the limit is refused with 413 problem+json before any handler (or the JSON parser) sees it, with
or without a Content-Length; a body under it arrives whole; a route that streams its own upload keeps its own limit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from fastapi import APIRouter, Request
from fastapi.testclient import TestClient
from pydantic import BaseModel

from thidua_platform.auth import TokenVerifier
from thidua_platform.problems import PROBLEM_JSON
from thidua_platform.web import create_app

LIMIT = 64 * 1024
TITLE = "Nội dung yêu cầu quá lớn / Request body too large"


class Entrant(BaseModel):
    name: str


def client(handled: list[str]) -> TestClient:
    router = APIRouter()

    @router.post("/entrants")
    async def create(body: Entrant) -> dict[str, Any]:
        handled.append("entrants")
        return {"name_length": len(body.name)}

    @router.post("/things/{thing}/submit")
    async def submit(thing: str) -> dict[str, str]:
        handled.append("submit")
        return {"thing": thing}

    @router.post(
        "/things/{thing}/attachments",
        openapi_extra={"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string"}}}}},
    )
    async def upload(request: Request) -> dict[str, int]:
        handled.append("upload")
        size = 0
        async for piece in request.stream():
            size += len(piece)
        return {"size": size}

    app = create_app(
        title="t",
        description="t",
        version="0",
        verifier=cast(TokenVerifier, object()),
        checks={},
        routers=[router],
        max_body_bytes=LIMIT,
    )
    return TestClient(app)


def chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """A body sent without a Content-Length (chunked transfer encoding)."""
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        yield b" " * piece
        sent += piece


def json_of(size: int) -> bytes:
    """A valid JSON body of `size` bytes: the name padded (what a parser would read in full)."""
    overhead = len(b'{"name": ""}')
    return b'{"name": "' + b"x" * (size - overhead) + b'"}'


def refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["title"] == TITLE
    assert body["status"] == 413
    assert body["max_bytes"] == LIMIT
    assert body["detail"].startswith("Nội dung vượt quá")
    assert f"{LIMIT} bytes" in body["detail"]
    return body


@pytest.mark.parametrize("size", [LIMIT + 1, 20 * 1024 * 1024])
def test_a_json_body_over_the_limit_is_refused_before_any_handler(size: int) -> None:
    handled: list[str] = []
    with client(handled) as http:
        body = refused(http.post("/entrants", content=json_of(size), headers={"content-type": "application/json"}))
        assert body["instance"] == "/entrants"
        # a route without a body parameter is no way round the limit
        refused(http.post("/things/a/submit", content=b"x" * size))
    assert handled == []


def test_a_streamed_body_is_counted_and_refused_as_it_passes_the_limit() -> None:
    handled: list[str] = []
    with client(handled) as http:
        response = http.post("/entrants", content=chunks(LIMIT + 1), headers={"content-type": "application/json"})
        refused(response)
    assert handled == []


def test_a_body_within_the_limit_arrives_whole_with_or_without_a_length() -> None:
    handled: list[str] = []
    with client(handled) as http:
        declared = http.post("/entrants", content=json_of(LIMIT), headers={"content-type": "application/json"})
        assert declared.status_code == 200
        assert declared.json() == {"name_length": LIMIT - 12}

        def streamed() -> Iterator[bytes]:
            body = json_of(LIMIT)
            for start in range(0, len(body), 1000):
                yield body[start : start + 1000]

        response = http.post("/entrants", content=streamed(), headers={"content-type": "application/json"})
        assert response.status_code == 200
        assert response.json() == {"name_length": LIMIT - 12}
    assert handled == ["entrants", "entrants"]


def test_an_upload_route_keeps_its_own_limit() -> None:
    handled: list[str] = []
    size = 3 * LIMIT
    with client(handled) as http:
        declared = http.post("/things/a/attachments", content=b"%" * size)
        assert declared.status_code == 200
        assert declared.json() == {"size": size}
        streamed = http.post("/things/a/attachments", content=chunks(size))
        assert streamed.status_code == 200
        assert streamed.json() == {"size": size}
    assert handled == ["upload", "upload"]
