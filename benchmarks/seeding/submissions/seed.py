"""The submissions seeder's entry points: `seed_province` checks the province's published template, `seed` writes a
commune's campaign (when the benchmark adopts it), entrants, registrations and dossiers in bulk, and `forget`
removes them again by id."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from benchmarks.seeding.plan import GROUPS, CommunePlan, ProvincePlan
from benchmarks.seeding.submissions.campaign import Campaign, _campaign, _published_template
from benchmarks.seeding.submissions.common import DATABASE, DELETE_STREAMS, OFFICER, _campaign_id, _registration_id
from benchmarks.seeding.submissions.dossiers import _submission
from benchmarks.seeding.submissions.entrants import _entrant, _registration
from benchmarks.seeding.writer import delete_ids, insert_all
from submissions.repository import CAMPAIGNS, CRITERIA_SETS, ENTRANTS, REGISTRATIONS, SUBMISSIONS, criteria_set_id
from thidua_platform.mongo import Document


async def seed_province(client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing to write: the province's template exists (the demo published it). Checked here, once."""
    await _published_template(client[DATABASE])
    return 0


def _entrant_documents(commune: CommunePlan) -> dict[str, Document]:
    return {e.id: _entrant(e, number) for number, e in enumerate(commune.entrants)}


def _dossier_documents(
    commune: CommunePlan, campaign: Campaign, entrants: dict[str, Document]
) -> Iterator[tuple[Document, Document]]:
    """Each dossier's registration and submission."""
    for dossier in commune.dossiers:
        entrant = entrants[dossier.entrant.id]
        yield _registration(dossier, campaign, entrant), _submission(dossier, campaign, entrant)


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The commune's campaign and criteria sets (unless the demo adopted them), entrants, registrations, dossiers."""
    database = client[DATABASE]
    campaign = await _campaign(database, commune)
    entrants = _entrant_documents(commune)
    pairs = list(_dossier_documents(commune, campaign, entrants))
    inserted = 0
    if campaign.adopted_here:  # the sets first: a campaign present means its adoption was completed
        inserted += await insert_all(database[CRITERIA_SETS], campaign.sets.values())
        inserted += await insert_all(database[CAMPAIGNS], [campaign.document])
    inserted += await insert_all(database[ENTRANTS], entrants.values())
    inserted += await insert_all(database[REGISTRATIONS], (registration for registration, _ in pairs))
    inserted += await insert_all(database[SUBMISSIONS], (submission for _, submission in pairs))
    return inserted


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The plan's ids, and the campaign with its criteria sets when the benchmark adopted it (a demo commune's own
    adoption stays). By id even for benchmark-only communes: FerretDB answers a delete by `_id` from its index, where
    `delete_many({"tenant": …})` scans the whole collection, every commune's dossiers, once per commune."""
    database = client[DATABASE]
    deleted = await _delete(database[SUBMISSIONS], [d.id for d in commune.dossiers])
    deleted += await _delete(database[REGISTRATIONS], [_registration_id(d) for d in commune.dossiers])
    deleted += await _delete(database[ENTRANTS], [e.id for e in commune.entrants])
    campaign_id = _campaign_id(commune.commune.tenant)
    campaign = await database[CAMPAIGNS].find_one({"_id": campaign_id}, {"adopted_by": 1, "periods": 1})
    if campaign is not None and campaign.get("adopted_by") == OFFICER:
        set_ids = [criteria_set_id(campaign_id, p["code"], g, 1) for p in campaign["periods"] for g in GROUPS]
        deleted += await _delete(database[CRITERIA_SETS], set_ids)
        deleted += await delete_ids(database[CAMPAIGNS], [campaign_id])  # last, as `seed` wrote it last
    return deleted


async def _delete(collection: AsyncCollection[Document], ids: list[str]) -> int:
    """Deletes by id, a few streams at once: each delete waits on its own round trip and commit (about 4 ms
    alone, 2 ms with four at a time)."""
    slices = [ids[start::DELETE_STREAMS] for start in range(DELETE_STREAMS)]
    return sum(await asyncio.gather(*(delete_ids(collection, part) for part in slices if part)))
