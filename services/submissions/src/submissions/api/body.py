"""Raw request bodies (uploads), streamed and bounded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request

from submissions.adapters.attachments import Received, TooLarge, receive
from thidua_platform.problems import Problem


class PayloadTooLarge(Problem):
    status = 413
    title = "Tệp quá lớn / Payload too large"


def octet_stream(media_types: tuple[str, ...], description: str) -> dict[str, Any]:
    """OpenAPI for a raw binary request body."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    return {"requestBody": {"required": True, "description": description, "content": content}}


# Reading (and discarding) the rest of a refused body lets the client receive the 413 instead of a connection
# reset; past this many bytes the connection is simply closed.
DRAIN_FACTOR = 4


async def _drain(stream: AsyncIterator[bytes], budget: int) -> None:
    async for piece in stream:
        budget -= len(piece)
        if budget < 0:
            return


async def received_body(request: Request, limit: int, directory: str | None) -> Received:
    stream = request.stream()
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        await _drain(stream, limit * DRAIN_FACTOR)
        raise PayloadTooLarge(f"Tệp vượt quá {limit // (1024 * 1024)} MB / The body exceeds {limit} bytes")
    try:
        return await receive(stream, limit=limit, directory=directory)
    except TooLarge as exc:
        await _drain(stream, limit * DRAIN_FACTOR)
        raise PayloadTooLarge(str(exc)) from exc
