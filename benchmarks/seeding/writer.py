"""Bulk writes for the seeders: many documents per round trip, a second run of the same plan changing nothing."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from thidua_shared.mongo import Document, duplicate_key

BATCH = 1000


async def insert_all(collection: AsyncCollection[Document], documents: Iterable[Document]) -> int:
    """Insert every document, BATCH at a time; documents already there (the same `_id`) are left as they are.
    Returns how many were inserted."""
    inserted = 0
    batch: list[Document] = []
    for document in documents:
        batch.append(document)
        if len(batch) >= BATCH:
            inserted += await _insert(collection, batch)
            batch = []
    if batch:
        inserted += await _insert(collection, batch)
    return inserted


async def _insert(collection: AsyncCollection[Document], batch: list[Document]) -> int:
    try:
        result = await collection.insert_many(batch, ordered=False)
    except BulkWriteError as error:
        others = [e for e in error.details.get("writeErrors", []) if not duplicate_key(e)]
        if others:
            raise
        return int(error.details.get("nInserted", 0))
    return len(result.inserted_ids)


async def delete_ids(collection: AsyncCollection[Document], ids: Iterable[str]) -> int:
    """Delete documents by `_id`, one at a time: the one lookup every server answers from an index."""
    deleted = 0
    for document_id in ids:
        deleted += (await collection.delete_one({"_id": document_id})).deleted_count
    return deleted
