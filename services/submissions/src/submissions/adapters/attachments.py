"""Evidence files (minh chứng) as they are uploaded: streamed to a temporary file with a hard size limit, hashed as
they arrive (their chunks are then stored by `submissions.repository.attachments`)."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"Tệp vượt quá {limit // (1024 * 1024)} MB / The file exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Received:
    path: Path
    size: int
    sha256: str


async def receive(body: AsyncIterator[bytes], *, limit: int, directory: str | None = None) -> Received:
    """Write the body to a temporary file; stop reading and delete it as soon as it passes `limit` bytes."""
    digest = hashlib.sha256()
    size = 0
    handle = tempfile.NamedTemporaryFile(prefix="thidua-upload-", dir=directory, delete=False)  # noqa: SIM115
    path = Path(handle.name)
    try:
        with handle:
            async for piece in body:
                size += len(piece)
                if size > limit:
                    raise TooLarge(limit)
                digest.update(piece)
                handle.write(piece)
    except BaseException:
        path.unlink(missing_ok=True)  # noqa: ASYNC240 (a local temp file, removed once)
        raise
    return Received(path=path, size=size, sha256=digest.hexdigest())
