"""Every Mongo query and update of the awards service, within a Scope; writes go through the change log.

The use cases decide, the repositories write: each change of an aggregate is a named method here (`claim`,
`record_ballot`, `close_session`, `keep_latest`…) that builds the update from what the use case decided, re-reading
and rebuilding it on a concurrent change (`ScopedRepository.revise`). Each change carries its one audit entry in the
same update (ADR 0011). Repositories read and write the aggregates of `awards.domain.aggregates` (docs/adr/0018).

One module per aggregate: `intake` (scores and dossiers), `setup` (rules, standings, letterheads), `candidates`,
`sessions`, `proposals`, `history`, `showcase`, `prize` (prize-money settings and the commune's fund); decisions need
no more than `ScopedRepository`. This module gives `Repositories`, the collections and their indexes."""

from __future__ import annotations

from dataclasses import dataclass

from pymongo.asynchronous.database import AsyncDatabase

from awards.domain.aggregates import Decision, Dossier, Score
from awards.repository.candidates import CandidateRepository
from awards.repository.common import Listing, one_of
from awards.repository.history import HistoryRepository
from awards.repository.intake import LatestVersionRepository
from awards.repository.prize import FundRepository, PrizeSettingsRepository
from awards.repository.proposals import Answer, ProposalRepository
from awards.repository.sessions import BALLOT_ATTEMPTS, SessionRepository
from awards.repository.setup import LetterheadRepository, RuleRepository, SettingsRepository, StandingRepository
from awards.repository.showcase import ShowcaseRepository
from thidua_platform.indexes import declare, index, scoped
from thidua_platform.mongo import Document
from thidua_platform.repository import ScopedRepository
from thidua_platform.units import NO_UNITS, UnitDirectory

__all__ = [
    "BALLOT_ATTEMPTS",
    "CANDIDATES",
    "DECISIONS",
    "DOSSIERS",
    "FUND",
    "HISTORY",
    "LETTERHEADS",
    "PRIZE_SETTINGS",
    "PROPOSALS",
    "QUERY_INDEXES",
    "RULES",
    "SCORES",
    "SESSIONS",
    "SETTINGS",
    "SHOWCASE",
    "STANDINGS",
    "Answer",
    "CandidateRepository",
    "FundRepository",
    "HistoryRepository",
    "LatestVersionRepository",
    "LetterheadRepository",
    "Listing",
    "PrizeSettingsRepository",
    "ProposalRepository",
    "Repositories",
    "RuleRepository",
    "SessionRepository",
    "SettingsRepository",
    "ShowcaseRepository",
    "StandingRepository",
    "ensure_indexes",
    "one_of",
    "repositories",
]

SCORES = "scores"  # finalised score per submission (latest version), from scoring's events
DOSSIERS = "dossiers"  # evidence per submission (latest version), from submissions' events
RULES = "rules"  # a province's eligibility rules, where they differ from the defaults
SETTINGS = "province_settings"  # a province's council quorum and central quotas, where they differ from the defaults
STANDINGS = "standings"  # discipline, investigation and complaint flags per entrant
CANDIDATES = "candidates"
SESSIONS = "sessions"
DECISIONS = "decisions"
PROPOSALS = "proposals"
HISTORY = "history"
LETTERHEADS = "letterheads"
SHOWCASE = "showcase"  # awards a commune published for its province, keyed by the history entry
PRIZE_SETTINGS = "prize_settings"  # a province's prize-money settings, where they differ from the defaults
FUND = "fund_movements"  # the commune's fund (Quỹ thi đua, khen thưởng): receipts and expenses


@dataclass(frozen=True)
class Repositories:
    scores: LatestVersionRepository[Score]
    dossiers: LatestVersionRepository[Dossier]
    rules: RuleRepository
    settings: SettingsRepository
    standings: StandingRepository
    candidates: CandidateRepository
    sessions: SessionRepository
    decisions: ScopedRepository[Decision]
    proposals: ProposalRepository
    history: HistoryRepository
    letterheads: LetterheadRepository
    showcase: ShowcaseRepository
    prize_settings: PrizeSettingsRepository
    fund: FundRepository
    # the communes' names as provisioned (Keycloak organizations, read-only, cached; ADR 0029): a letterhead's default
    units: UnitDirectory = NO_UNITS


def repositories(database: AsyncDatabase[Document], *, units: UnitDirectory = NO_UNITS) -> Repositories:
    return Repositories(
        scores=LatestVersionRepository[Score](database[SCORES]),
        dossiers=LatestVersionRepository[Dossier](database[DOSSIERS]),
        rules=RuleRepository(database[RULES]),
        settings=SettingsRepository(database[SETTINGS]),
        standings=StandingRepository(database[STANDINGS]),
        candidates=CandidateRepository(database[CANDIDATES]),
        sessions=SessionRepository(database[SESSIONS]),
        decisions=ScopedRepository[Decision](database[DECISIONS]),
        proposals=ProposalRepository(database[PROPOSALS]),
        history=HistoryRepository(database[HISTORY]),
        letterheads=LetterheadRepository(database[LETTERHEADS]),
        showcase=ShowcaseRepository(database[SHOWCASE]),
        prize_settings=PrizeSettingsRepository(database[PRIZE_SETTINGS]),
        fund=FundRepository(database[FUND]),
        units=units,
    )


QUERY_INDEXES = [
    *scoped([RULES, SETTINGS, STANDINGS, LETTERHEADS, SHOWCASE, DOSSIERS, PRIZE_SETTINGS]),
    *scoped([SCORES, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY], "period"),
    *scoped([HISTORY], "entrant.id"),
    # the entrants a commune knows, by id (an award-history workbook's rows; require_own_entrant)
    *scoped([DOSSIERS, SCORES], "entrant.id"),
    # province staff's proposals received: those waiting for the province, or those it answered, newest first
    index(PROPOSALS, "province", "status", "-created_at"),
    # a page of proposals of a period, newest first, walked in the index's order, and counted on the index's keys (a
    # commune's scope fixes its province too): the commune's, or the province's
    index(PROPOSALS, "tenant", "province", "period", "-created_at", "-_id"),
    index(PROPOSALS, "province", "period", "-created_at", "-_id"),
    # the places of a central form and round the province already forwarded, counted against its quota
    index(PROPOSALS, "province", "award_form", "round", "province_outcome.outcome"),
    # a page of a commune's awards, newest recorded first: all periods (the five years of the movement), or one
    index(HISTORY, "tenant", "province", "-recorded_at", "-_id"),
    index(HISTORY, "tenant", "province", "period", "-recorded_at", "-_id"),
    index(HISTORY, "tenant", "province", "submitted_by", "-recorded_at", "-_id"),  # a focal officer's: what they filed
    index(STANDINGS, "tenant", "entrant.id"),
    # the province's showcase a page at a time, newest published first, walked in the index's order and counted on
    # its keys (without it, every published item of the province was read and sorted for each page); one commune's
    # (its officer's publishing page)
    index(SHOWCASE, "province", "status", "-published_at", "-_id"),
    index(SHOWCASE, "tenant", "province", "status", "-published_at", "-_id"),
    # the commune's fund a page at a time, the latest day first, and its balance summed over the commune's movements
    index(FUND, "tenant", "province", "-on", "-_id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
