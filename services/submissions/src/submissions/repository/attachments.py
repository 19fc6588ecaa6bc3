"""Evidence files: their records (one entrant's each) and their bytes, as fixed-size chunks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from bson.binary import Binary
from pymongo.asynchronous.collection import AsyncCollection

from submissions.domain.aggregates import Attachment
from submissions.repository.common import EntrantOwnedRepository
from thidua_platform.indexes import scoped
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope

ATTACHMENTS = "attachments"
CHUNKS = "attachment_chunks"
CHUNK_BYTES = 255 * 1024


class AttachmentRepository(EntrantOwnedRepository[Attachment]):
    async def forget(self, scope: Scope, attachment_id: str) -> None:
        """Delete an attachment's record (an upload the dossier did not take: nothing may refer to it)."""
        await self.collection.delete_one(scope.apply({"_id": attachment_id}))


def chunk_id(blob_id: str, number: int) -> str:
    return f"{blob_id}:{number:06d}"


class MongoChunkStore:
    """Attachment bytes as fixed-size chunks in the service's own database (docs/adr/0005-attachment-storage.md).
    Chunks are addressed by `_id` = "<blob id>:<chunk number>", the only lookup FerretDB 1.x serves without
    scanning."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self._chunks = collection

    async def write_file(self, blob_id: str, path: Path) -> int:
        """Copy a file into chunks; returns how many were written."""
        written = 0
        with path.open("rb") as source:
            while data := source.read(CHUNK_BYTES):
                await self._chunks.replace_one(
                    {"_id": chunk_id(blob_id, written)}, {"data": Binary(data), "n": written}, upsert=True
                )
                written += 1
        return written

    async def read(self, blob_id: str, chunks: int) -> AsyncIterator[bytes]:
        for number in range(chunks):
            chunk = await self._chunks.find_one({"_id": chunk_id(blob_id, number)})
            if chunk is None:
                raise LookupError(f"chunk {number} of {blob_id} is missing")
            yield bytes(chunk["data"])

    async def delete(self, blob_id: str, chunks: int) -> None:
        await self._chunks.delete_many({"_id": {"$in": [chunk_id(blob_id, n) for n in range(chunks)]}})


INDEXES = scoped([ATTACHMENTS])  # the chunks are read by `_id` only
