"""Every Mongo query of the awards service, within a Scope; writes go through the change log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document
from thidua_shared.repository import ScopedRepository
from thidua_shared.tenancy import Scope

SCORES = "scores"  # finalised score per submission (latest version), from scoring's events
DOSSIERS = "dossiers"  # evidence per submission (latest version), from submissions' events
RULES = "rules"  # a province's eligibility rules, where they differ from the defaults
STANDINGS = "standings"  # discipline, inspection and complaint flags per entrant
CANDIDATES = "candidates"
SESSIONS = "sessions"
DECISIONS = "decisions"
PROPOSALS = "proposals"
HISTORY = "history"
LETTERHEADS = "letterheads"
SHOWCASE = "showcase"  # awards a commune published for its province, keyed by the history entry

Listing = tuple[list[Document], int]  # a page of documents, and how many match in all


def one_of(values: Sequence[str]) -> Any:
    """The condition on a field that holds any of `values` (one value: equality, which any index serves best)."""
    return values[0] if len(values) == 1 else {"$in": list(values)}


class HistoryRepository(ScopedRepository):
    async def listed(
        self,
        scope: Scope,
        *,
        entrant_ids: Sequence[str],
        period: str | None,
        filed_by: str | None,
        skip: int,
        limit: int,
    ) -> Listing:
        """A page of the awards in scope, newest recorded first: of the named entrants only when some are named (all in
        one query), of one period, of the dossiers one person filed (`submitted_by`), as asked."""
        query: dict[str, Any] = {}
        if entrant_ids:
            query["entrant.id"] = one_of(entrant_ids)
        if period:
            query["period"] = period
        if filed_by:
            query["submitted_by"] = filed_by
        return await self.page(scope, query, skip=skip, limit=limit, sort=("recorded_at", -1))


class ProposalRepository(ScopedRepository):
    async def listed(
        self, scope: Scope, *, period: str | None, statuses: Sequence[str], skip: int, limit: int
    ) -> Listing:
        """A page of the proposals in scope (a province: every commune's), newest first, of one period and any of
        `statuses`, as asked."""
        query: dict[str, Any] = {}
        if period:
            query["period"] = period
        if statuses:
            query["status"] = one_of(statuses)
        return await self.page(scope, query, skip=skip, limit=limit, sort=("created_at", -1))


@dataclass(frozen=True)
class Repositories:
    scores: ScopedRepository
    dossiers: ScopedRepository
    rules: ScopedRepository
    standings: ScopedRepository
    candidates: ScopedRepository
    sessions: ScopedRepository
    decisions: ScopedRepository
    proposals: ProposalRepository
    history: HistoryRepository
    letterheads: ScopedRepository
    showcase: ScopedRepository


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        scores=ScopedRepository(database[SCORES]),
        dossiers=ScopedRepository(database[DOSSIERS]),
        rules=ScopedRepository(database[RULES]),
        standings=ScopedRepository(database[STANDINGS]),
        candidates=ScopedRepository(database[CANDIDATES]),
        sessions=ScopedRepository(database[SESSIONS]),
        decisions=ScopedRepository(database[DECISIONS]),
        proposals=ProposalRepository(database[PROPOSALS]),
        history=HistoryRepository(database[HISTORY]),
        letterheads=ScopedRepository(database[LETTERHEADS]),
        showcase=ScopedRepository(database[SHOWCASE]),
    )


QUERY_INDEXES = [
    *scoped([RULES, STANDINGS, LETTERHEADS, SHOWCASE, DOSSIERS]),
    *scoped([SCORES, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY], "period"),
    *scoped([HISTORY], "entrant.id"),
    # province staff's proposals received: those waiting for the province, or those it answered, newest first
    index(PROPOSALS, "province", "status", "-created_at"),
    index(STANDINGS, "tenant", "entrant.id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
