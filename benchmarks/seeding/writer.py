"""Bulk writes for the seeders: many documents per round trip, a second run of the same plan changing nothing."""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import DeleteOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError

from thidua_platform.mongo import Document, duplicate_key

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
    """Delete documents by `_id`, BATCH single-id deletes per round trip: each is the one lookup every server
    answers from an index, and one request carries many (one at a time, a 50,000-dossier province took 26 minutes
    to remove, each delete waiting on its own round trip)."""
    deleted = 0
    listed = list(ids)
    for start in range(0, len(listed), BATCH):
        deletes = [DeleteOne({"_id": document_id}) for document_id in listed[start : start + BATCH]]
        deleted += (await collection.bulk_write(deletes, ordered=False)).deleted_count
    return deleted
