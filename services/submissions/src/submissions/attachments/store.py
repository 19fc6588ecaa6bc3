"""Attachment bytes as fixed-size chunks in the service's own database (see docs/adr/0005-attachment-storage.md).

Chunks are addressed by `_id` = "<blob id>:<chunk number>", the only lookup FerretDB 1.x serves without scanning.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from bson.binary import Binary
from pymongo.asynchronous.collection import AsyncCollection

from thidua_shared.mongo import Document

CHUNK_BYTES = 255 * 1024


def chunk_id(blob_id: str, number: int) -> str:
    return f"{blob_id}:{number:06d}"


class MongoChunkStore:
    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._chunks = collection

    async def write_file(self, blob_id: str, path: Path) -> int:
        """Copy a file into chunks; returns how many were written."""
        count = 0
        with path.open("rb") as source:
            while data := source.read(CHUNK_BYTES):
                await self._chunks.replace_one(
                    {"_id": chunk_id(blob_id, count)}, {"data": Binary(data), "n": count}, upsert=True
                )
                count += 1
        return count

    async def read(self, blob_id: str, chunks: int) -> AsyncIterator[bytes]:
        for number in range(chunks):
            chunk = await self._chunks.find_one({"_id": chunk_id(blob_id, number)})
            if chunk is None:
                raise LookupError(f"chunk {number} of {blob_id} is missing")
            yield bytes(chunk["data"])

    async def delete(self, blob_id: str, chunks: int) -> None:
        ids: Iterable[str] = [chunk_id(blob_id, n) for n in range(chunks)]
        await self._chunks.delete_many({"_id": {"$in": list(ids)}})
