from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from submissions.adapters.attachments import TooLarge, receive


async def pieces(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def test_an_upload_is_hashed_and_kept(tmp_path: Path) -> None:
    received = await receive(pieces(b"%PDF-1.7 ", b"minh chung"), limit=100, directory=str(tmp_path))
    assert received.size == 19
    assert received.sha256 == hashlib.sha256(b"%PDF-1.7 minh chung").hexdigest()
    assert received.path.read_bytes() == b"%PDF-1.7 minh chung"


async def test_reading_stops_at_the_limit_and_nothing_is_left(tmp_path: Path) -> None:
    with pytest.raises(TooLarge):
        await receive(pieces(b"x" * 60, b"x" * 60, b"never read"), limit=100, directory=str(tmp_path))
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 (a test assertion)
