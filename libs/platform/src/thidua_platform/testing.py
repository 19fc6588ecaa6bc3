"""Helpers of tests on the running stack: waits on conditions, a scratch database, a topic's messages, mail headers as
readers decode them. Imported by tests only (the events' builders are `thidua_contracts.testing`)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from confluent_kafka import Consumer, Message
from pymongo.asynchronous.database import AsyncDatabase

from thidua_platform.mongo import Document, connect

T = TypeVar("T")

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")  # RFC 2047: =?charset?encoding?text?=


def strictly_decoded(header_value: str) -> str:
    """A mail header as conforming readers decode it, stricter than Python's own: RFC 5322 §2.2.3 unfolding (only the
    CRLF goes), then RFC 2047, each encoded-word decoded and the whitespace between two adjacent ones ignored (§6.2)."""
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", header_value)
    out: list[str] = []
    position, after_word = 0, False
    for word in ENCODED_WORD.finditer(unfolded):
        between = unfolded[position : word.start()]
        if not (after_word and between.strip(" \t") == ""):
            out.append(between)
        charset, encoding, text = word.groups()
        if encoding in "bB":
            data = base64.b64decode(text)
        else:
            quoted = text.replace("_", " ")
            data = re.sub(r"=([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), quoted).encode("latin-1")
        out.append(data.decode(charset))
        position, after_word = word.end(), True
    out.append(unfolded[position:])
    return "".join(out)


async def eventually(
    probe: Callable[[], Awaitable[T | None]], *, within: float = 30.0, every: float = 0.05, what: str
) -> T:
    """Await `probe` until it gives something truthy, and return that; fail if it has not after `within` seconds,
    naming `what` was waited for. A wait on a condition, never a fixed sleep: it ends as soon as the state is there."""
    deadline = time.monotonic() + within
    while True:
        last = await probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {within:g}s waiting for {what}; last: {last!r}")
        await asyncio.sleep(every)


@contextlib.asynccontextmanager
async def scratch_database() -> AsyncIterator[AsyncDatabase[Document]]:
    """A database of its own on the running stack's server, for one test; dropped afterwards."""
    client = connect(MONGO_URL)
    database: AsyncDatabase[Document] = client[f"thidua_test_{uuid.uuid4().hex[:8]}"]
    try:
        await database.command("ping")
    except Exception as exc:
        raise AssertionError("needs the running stack (the database is unreachable): deploy/stack up") from exc
    try:
        yield database
    finally:
        await client.drop_database(database.name)
        await client.close()


def read_messages(
    bootstrap: str,
    topic: str,
    *,
    count: int,
    accept: Callable[[Message], bool] = lambda _m: True,
    timeout: float = 30.0,
) -> list[Message]:
    """Read `topic` from the beginning with a fresh group until `count` accepted messages (or the timeout)."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"test-reader-{uuid.uuid4()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    found: list[Message] = []
    deadline = time.monotonic() + timeout
    try:
        while len(found) < count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and not message.error() and accept(message):
                found.append(message)
    finally:
        consumer.close()
    return found
