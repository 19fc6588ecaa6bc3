"""A database connection that stops answering ends the operation with an error instead of waiting for ever: the
real FerretDB behind a proxy that, once told, stops passing the client's requests on. The error is one the consumer
runtime waits out (never dead-letters) and the APIs answer with 503."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from pymongo.errors import ConnectionFailure

from thidua_platform.consumer import unreachable
from thidua_platform.mongo import connect

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")


class SilentProxy:
    """Forwards TCP both ways until `silence` is set; then the client's bytes go nowhere (as to a stuck server)."""

    def __init__(self) -> None:
        self.silence = asyncio.Event()
        self.port = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        target = urlsplit(MONGO_URL)
        upstream_reader, upstream_writer = await asyncio.open_connection(target.hostname, target.port)

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter, gated: bool) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await source.read(65536):
                    if gated and self.silence.is_set():
                        continue
                    sink.write(data)
                    await sink.drain()

        await asyncio.gather(pipe(reader, upstream_writer, True), pipe(upstream_reader, writer, False))


@pytest.fixture
async def proxy() -> AsyncIterator[SilentProxy]:
    state = SilentProxy()
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    async with server:
        yield state
        server.close()


async def test_an_operation_the_database_never_answers_fails_and_is_waited_out(proxy: SilentProxy) -> None:
    client = connect(f"mongodb://127.0.0.1:{proxy.port}/?directConnection=true", socket_timeout_ms=1500)
    try:
        collection = client["thidua_scratch_unanswered"]["things"]
        await collection.find_one({"_id": "x"})  # answered while the proxy passes requests on
        proxy.silence.set()
        with pytest.raises(ConnectionFailure) as failure:
            await asyncio.wait_for(collection.find_one({"_id": "y"}), timeout=30)
        assert unreachable(failure.value)
    finally:
        await client.close()
