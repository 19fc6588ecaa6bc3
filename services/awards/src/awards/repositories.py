"""Every Mongo query of the awards service, within a Scope; writes go through the change log."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document
from thidua_shared.repository import ScopedRepository

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


@dataclass(frozen=True)
class Repositories:
    scores: ScopedRepository
    dossiers: ScopedRepository
    rules: ScopedRepository
    standings: ScopedRepository
    candidates: ScopedRepository
    sessions: ScopedRepository
    decisions: ScopedRepository
    proposals: ScopedRepository
    history: ScopedRepository
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
        proposals=ScopedRepository(database[PROPOSALS]),
        history=ScopedRepository(database[HISTORY]),
        letterheads=ScopedRepository(database[LETTERHEADS]),
        showcase=ScopedRepository(database[SHOWCASE]),
    )


QUERY_INDEXES = [
    *scoped([RULES, STANDINGS, LETTERHEADS, SHOWCASE, DOSSIERS]),
    *scoped([SCORES, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY], "period"),
    *scoped([HISTORY], "entrant.id"),
    index(STANDINGS, "tenant", "entrant.id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
