"""The submissions service's storage on the real MongoDB-wire server (FerretDB locally)."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from submissions.repository import CHUNK_BYTES, ENTRANTS, SUBMISSIONS, MongoChunkStore, ensure_indexes
from thidua_platform.mongo import Document, connect
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

MONGO_URL = os.environ.get("THIDUA_MONGO_URL", "mongodb://127.0.0.1:27027/")
LIEN_MINH = Scope(tenant="ph-37-lien-minh", province="37")
SON_MAI = Scope(tenant="ph-51-son-mai", province="51")


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    client = connect(MONGO_URL)
    try:
        await client.admin.command("ping")
    except Exception as exc:
        pytest.fail(f"needs the running stack (the database is unreachable: {exc}): deploy/stack up")
    name = f"thidua_test_{uuid.uuid4().hex[:8]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


async def test_attachment_chunks_round_trip(database: AsyncDatabase[Document], tmp_path: Path) -> None:
    store = MongoChunkStore(database["chunks"])
    data = os.urandom(CHUNK_BYTES * 2 + 123)
    source = tmp_path / "minh-chung.pdf"
    source.write_bytes(data)
    assert await store.write_file("blob-1", source) == 3
    assert b"".join([piece async for piece in store.read("blob-1", 3)]) == data
    await store.delete("blob-1", 3)
    with pytest.raises(LookupError):
        [piece async for piece in store.read("blob-1", 3)]


async def test_one_active_dossier_per_entrant_and_period(database: AsyncDatabase[Document]) -> None:
    await ensure_indexes(database)
    submissions = ScopedRepository(database[SUBMISSIONS])  # untyped: the index holds for any document
    dossier = {"tenant": LIEN_MINH.tenant, "province": "37", "active_key": "ph-37-lien-minh|e1|2026"}
    assert await submissions.add({"_id": "s1", **dossier})
    assert not await submissions.add({"_id": "s2", **dossier})
    assert not await submissions.add({"_id": "s1", **dossier, "active_key": "other"})  # same id


async def test_entrants_are_unique_by_natural_key(database: AsyncDatabase[Document]) -> None:
    await ensure_indexes(database)
    entrants = ScopedRepository(database[ENTRANTS])  # untyped: the index holds for any document
    assert await entrants.add({"_id": "e1", "tenant": "t", "natural_key": "t|collective|thôn đông|"})
    assert not await entrants.add({"_id": "e2", "tenant": "t", "natural_key": "t|collective|thôn đông|"})


async def test_a_stale_revision_changes_nothing(database: AsyncDatabase[Document]) -> None:
    repo = ScopedRepository(database["submissions"])
    await repo.add({"_id": "s1", "tenant": LIEN_MINH.tenant, "province": "37", "status": "draft"})
    assert await repo.update(LIEN_MINH, "s1", revision=1, update={"$set": {"status": "submitted"}})
    assert not await repo.update(LIEN_MINH, "s1", revision=1, update={"$set": {"status": "withdrawn"}})
    stored = await repo.get(LIEN_MINH, "s1")
    assert stored is not None
    assert (stored["status"], stored["revision"]) == ("submitted", 2)


async def test_another_commune_cannot_read_or_change(database: AsyncDatabase[Document]) -> None:
    repo = ScopedRepository(database["submissions"])
    await repo.add({"_id": "s1", "tenant": LIEN_MINH.tenant, "province": "37", "status": "draft"})
    assert await repo.get(SON_MAI, "s1") is None
    assert not await repo.update(SON_MAI, "s1", revision=1, update={"$set": {"status": "withdrawn"}})
    assert await repo.get(Scope(province="51"), "s1") is None
    assert await repo.get(Scope(province="37"), "s1") is not None
    documents, total = await repo.page(SON_MAI, {}, skip=0, limit=10)
    assert (documents, total) == ([], 0)
