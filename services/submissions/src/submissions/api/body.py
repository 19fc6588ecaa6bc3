"""Raw request bodies (uploads), streamed and bounded."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from submissions.attachments.upload import Received, TooLarge, receive
from thidua_shared.problems import Problem


class PayloadTooLarge(Problem):
    status = 413
    title = "Tệp quá lớn / Payload too large"


def octet_stream(media_types: tuple[str, ...], description: str) -> dict[str, Any]:
    """OpenAPI for a raw binary request body."""
    content = {media: {"schema": {"type": "string", "format": "binary"}} for media in media_types}
    return {"requestBody": {"required": True, "description": description, "content": content}}


async def received_body(request: Request, limit: int, directory: str | None) -> Received:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Tệp vượt quá {limit // (1024 * 1024)} MB / The body exceeds {limit} bytes")
    try:
        return await receive(request.stream(), limit=limit, directory=directory)
    except TooLarge as exc:
        raise PayloadTooLarge(str(exc)) from exc
