"""The awards seeder's entry points: `build` makes every document of a commune (its dossiers' evidence and scores,
and each period's award round), `seed` writes them in bulk and `forget` removes exactly those, by id."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pymongo import AsyncMongoClient

from awards.repository import (
    CANDIDATES,
    DECISIONS,
    DOSSIERS,
    HISTORY,
    LETTERHEADS,
    PROPOSALS,
    SCORES,
    SESSIONS,
    SHOWCASE,
    Repositories,
    repositories,
)
from awards.service.letterhead import letterhead_of
from awards.service.province_rules import effective_rules
from benchmarks.seeding.awards.common import COLLECTIONS, DATABASE, _ref
from benchmarks.seeding.awards.intake import _dossier_document, _score_document
from benchmarks.seeding.awards.people import _letterhead, _people
from benchmarks.seeding.awards.round_state import Calendar
from benchmarks.seeding.awards.rounds import Round
from benchmarks.seeding.awards.showcase import _showcased
from benchmarks.seeding.plan import PERIODS, PROVINCE, CommunePlan, Dossier, ProvincePlan
from benchmarks.seeding.writer import delete_ids, insert_all
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope


@dataclass
class Documents:
    by_collection: dict[str, list[Document]] = field(default_factory=lambda: {c: [] for c in COLLECTIONS})

    def add(self, collection: str, documents: Iterable[Document]) -> None:
        self.by_collection[collection].extend(documents)


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing to write: the province's rules are the demo's (or the defaults), the catalogue is code."""
    return 0


async def _authority(repos: Repositories, scope: Scope, commune: CommunePlan) -> str:
    """How the commune's decisions name their issuer: the demo's letterhead (or its placeholder), or ours."""
    if commune.commune.seeded_only:
        return str(_letterhead(commune)["authority"])
    return (await letterhead_of(repos=repos, scope=scope)).authority


def _periods_of(commune: CommunePlan) -> Iterator[tuple[int, str, int, list[Dossier]]]:
    for index, (period, year, _) in enumerate(PERIODS):
        yield index, period, year, [d for d in commune.in_period(period) if d.stage == "final"]


async def build(client: AsyncMongoClient[Document], commune: CommunePlan) -> Documents:
    """Every document `seed` writes for the commune (reads the province's rules and the letterhead, once)."""
    repos = repositories(client[DATABASE])
    tenant = commune.commune.tenant
    scope = Scope(tenant=tenant, province=PROVINCE)
    rules = await effective_rules(repos=repos, province=PROVINCE)
    authority = await _authority(repos, scope, commune)
    people = _people(commune)
    refs = {e.id: _ref(e) for e in commune.entrants}
    out = Documents()
    if commune.commune.seeded_only:
        out.add(LETTERHEADS, [_letterhead(commune)])
    for dossier in commune.dossiers:
        ref = refs[dossier.entrant.id]
        kept = _dossier_document(dossier, ref)
        if kept is not None:
            out.add(DOSSIERS, [kept])
        if dossier.stage == "final":
            out.add(SCORES, [_score_document(dossier, ref)])
    for index, period, year, finals in _periods_of(commune):
        if not finals:
            continue
        made = Round(
            scope=scope, period=period, index=index, number=commune.commune.number, rules=rules, people=people,
            authority=authority, finals=finals, refs=refs, when=Calendar.of(year, period),
        ).build()  # fmt: skip
        out.add(CANDIDATES, (c.document for c in made.candidates.values()))
        out.add(SESSIONS, made.sessions)
        out.add(DECISIONS, made.decisions)
        out.add(PROPOSALS, made.proposals)
        out.add(HISTORY, made.history)
        out.add(SHOWCASE, _showcased(made.history, people))
    return out


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The commune's dossiers' evidence and scores, candidates, sessions, decisions, proposals and history."""
    database = client[DATABASE]
    documents = await build(client, commune)
    inserted = 0
    for collection, listed in documents.by_collection.items():
        inserted += await insert_all(database[collection], listed)
    return inserted


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """Exactly the documents `seed` wrote, by id, in every commune: the same build (deterministic: the plan and the
    province's rules) gives the same ids. By id even in a benchmark-only commune, where deleting by tenant would be
    allowed: FerretDB answers only a lone `_id` from an index (ADR 0012), so `delete_many({"tenant": ...})` reads the
    whole collection, the province's every commune, once per commune and collection."""
    database = client[DATABASE]
    documents = await build(client, commune)
    deletions = (
        delete_ids(database[collection], [document["_id"] for document in listed])
        for collection, listed in documents.by_collection.items()
    )
    return sum(await asyncio.gather(*deletions))  # the collections side by side: each waits on its round trips
