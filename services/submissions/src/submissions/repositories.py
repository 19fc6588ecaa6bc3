"""Every Mongo query of the submissions service lives here or in ScopedRepository, always within a Scope (but the
attachments' chunks, addressed by the attachment's id)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from itertools import count
from pathlib import Path

from bson.binary import Binary
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from thidua_shared.events import derived_id
from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document
from thidua_shared.repository import Revision, ScopedRepository
from thidua_shared.tenancy import Scope

TEMPLATES = "campaign_templates"
CAMPAIGNS = "campaigns"
CRITERIA_SETS = "criteria_sets"
ENTRANTS = "entrants"
REGISTRATIONS = "registrations"
SUBMISSIONS = "submissions"
ATTACHMENTS = "attachments"
CHUNKS = "attachment_chunks"
CHUNK_BYTES = 255 * 1024


def criteria_set_id(campaign_id: str, period: str, target_group: str, version: int) -> str:
    """Versions of a (campaign, period, target group) set are numbered from 1 without gaps, each id derived."""
    return str(derived_id("criteria_set", campaign_id, period, target_group, version))


class CriteriaSetRepository(ScopedRepository):
    async def latest(self, scope: Scope, *, campaign_id: str, period: str, target_group: str) -> Document | None:
        """Read version after version by id until one is missing: a few lookups FerretDB answers from its `_id`
        index, where a filter on the other fields would decode every criteria set of every commune."""
        found: Document | None = None
        for version in count(1):
            document = await self.get(scope, criteria_set_id(campaign_id, period, target_group, version))
            if document is None:
                return found
            found = document
        raise AssertionError("unreachable")

    async def present(self, scope: Scope, campaign_id: str) -> set[tuple[str, str]]:
        """The (period, target group) pairs of a campaign that have a criteria set, in one read."""
        cursor = self.collection.find(scope.apply({"campaign_id": campaign_id}), {"period": 1, "target_group": 1})
        return {(document["period"], document["target_group"]) async for document in cursor}

    async def freeze(self, scope: Scope, set_id: str, *, actor: str, at: datetime) -> None:
        """Mark a version as used by a dossier; from now on an adaptation makes a new version."""

        async def change(current: Document) -> Revision | None:
            if current["frozen"]:
                return None
            entry = {"at": at, "actor": actor, "action": "frozen", "changes": {"version": current["version"]}}
            return Revision({"$set": {"frozen": True}, "$push": {"audit": entry}})

        await self.revise(scope, set_id, change)


class EntrantRepository(ScopedRepository):
    async def focal_units(self, scope: Scope, username: str) -> list[str]:
        """Collectives whose focal officers (cán bộ đầu mối) include this user."""
        return [doc["_id"] for doc in await self.find(scope, {"focal_users": username, "kind": "collective"})]

    async def people_of(self, scope: Scope, unit_ids: list[str]) -> list[str]:
        if not unit_ids:
            return []
        return [doc["_id"] for doc in await self.find(scope, {"unit_id": {"$in": unit_ids}})]

    async def by_natural_keys(self, scope: Scope, keys: list[str]) -> list[Document]:
        return await self.find(scope, {"natural_key": {"$in": keys}}, limit=len(keys) or 1)


class AttachmentRepository(ScopedRepository):
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


@dataclass(frozen=True)
class Repositories:
    templates: ScopedRepository
    campaigns: ScopedRepository
    criteria_sets: CriteriaSetRepository
    entrants: EntrantRepository
    registrations: ScopedRepository
    submissions: ScopedRepository
    attachments: AttachmentRepository
    blobs: MongoChunkStore


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        templates=ScopedRepository(database[TEMPLATES]),
        campaigns=ScopedRepository(database[CAMPAIGNS]),
        criteria_sets=CriteriaSetRepository(database[CRITERIA_SETS]),
        entrants=EntrantRepository(database[ENTRANTS]),
        registrations=ScopedRepository(database[REGISTRATIONS]),
        submissions=ScopedRepository(database[SUBMISSIONS]),
        attachments=AttachmentRepository(database[ATTACHMENTS]),
        blobs=MongoChunkStore(database[CHUNKS]),
    )


QUERY_INDEXES = [
    # uniqueness the domain relies on: one entrant per name and unit, one active dossier per entrant and period
    index(ENTRANTS, "natural_key", unique=True, label="entrant_natural_key"),
    index(SUBMISSIONS, "active_key", unique=True, label="one_active_dossier"),
    *scoped([TEMPLATES, CAMPAIGNS, ENTRANTS, ATTACHMENTS]),
    *scoped([CRITERIA_SETS, REGISTRATIONS, SUBMISSIONS], "period"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
