"""Every Mongo query and update of the awards service, within a Scope; writes go through the change log.

The use cases decide, the repositories write: each change of an aggregate is a named method here (`claim`,
`record_ballot`, `close_session`, `keep_latest`…) that builds the update from what the use case decided, re-reading
and rebuilding it on a concurrent change (`ScopedRepository.revise`). Each change carries its one audit entry in the
same update (ADR 0011). Repositories read and write the aggregates of `awards.domain.aggregates` (docs/adr/0018)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from pymongo.asynchronous.database import AsyncDatabase

from awards.domain.aggregates import (
    AuditEntry,
    AwardedDecision,
    Ballot,
    Candidate,
    CandidateResult,
    ClaimField,
    CouncilCounts,
    Decision,
    Dossier,
    HistoryEntry,
    Letterhead,
    OfficerReview,
    Proposal,
    ProposalOutcome,
    ProvinceRule,
    Score,
    ScoreFields,
    Session,
    ShowcaseEntry,
    Standing,
    Stored,
)
from awards.domain.lifecycle import OPEN_TO_REVIEW, CandidateStatus, ProposalStatus
from awards.domain.showcase import publish_action, withdraws
from thidua_shared.audit import entry, now
from thidua_shared.events import Envelope
from thidua_shared.indexes import declare, index, scoped
from thidua_shared.mongo import Document
from thidua_shared.problems import Conflict
from thidua_shared.repository import Revision, ScopedRepository
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

BALLOT_ATTEMPTS = 40  # every member of a council may vote at the same moment: ballots contend for one session

Kept = TypeVar("Kept", Score, Dossier)  # what the worker keeps of another service's aggregate, version by version
Listed = TypeVar("Listed", bound=Stored)
Listing = tuple[list[Listed], int]  # a page of aggregates, and how many match in all


def one_of(values: Sequence[str]) -> Any:
    """The condition on a field that holds any of `values` (one value: equality, which any index serves best)."""
    return values[0] if len(values) == 1 else {"$in": list(values)}


def _amended(fields: Mapping[str, Any], audit: AuditEntry) -> Document:
    """The update that sets `fields` and appends `audit` to the aggregate's audit trail."""
    return {"$set": fields, "$push": {"audit": audit}}


class LatestVersionRepository(ScopedRepository[Kept]):
    """Scores and dossiers: the latest version of each, as other services' events bring them."""

    async def keep_latest(self, scope: Scope, document: Kept, recorded: AuditEntry) -> None:
        """Store the document unless a newer version of it is already there (events may arrive late or twice);
        `recorded` is the audit entry of its arrival."""
        if await self.add(cast(Kept, {**document, "audit": [recorded]})):
            return

        async def newer(current: Kept) -> Revision | None:
            if current.get("version", 0) >= document["version"]:
                return None
            return Revision(_amended({k: v for k, v in document.items() if k != "_id"}, recorded))

        await self.revise(scope, document["_id"], newer)


class RuleRepository(ScopedRepository[ProvinceRule]):
    async def set_rule(self, scope: Scope, rule: ProvinceRule, audit: AuditEntry) -> ProvinceRule:
        """Create the province's rule, or replace the one it has (the last write wins), audited by `audit`."""
        fields = {"rule": rule["rule"], "updated_at": rule["updated_at"]}
        return await self.put(scope, {**rule, "audit": [audit]}, _amended(fields, audit))


class StandingRepository(ScopedRepository[Standing]):
    async def named(self, scope: Scope, standing_ids: list[str]) -> list[Standing]:
        """The standings with these ids, in one read."""
        return await self.find(scope, {"_id": {"$in": standing_ids}})

    async def set_standing(self, scope: Scope, standing: Standing, audit: AuditEntry) -> Standing:
        """Create the entrant's standing, or replace it (the last write wins), audited by `audit`."""
        fields = {
            "entrant": standing["entrant"],
            "flags": standing["flags"],
            "note": standing["note"],
            "updated_at": standing["updated_at"],
        }
        return await self.put(scope, {**standing, "audit": [audit]}, _amended(fields, audit))


class LetterheadRepository(ScopedRepository[Letterhead]):
    async def set_letterhead(self, scope: Scope, letterhead: Letterhead, audit: AuditEntry) -> Letterhead:
        """Create the commune's letterhead, or replace it (the last write wins), audited by `audit`."""
        fields = {
            "issuing_body": letterhead["issuing_body"],
            "parent_body": letterhead["parent_body"],
            "place": letterhead["place"],
            "authority": letterhead["authority"],
            "updated_at": letterhead["updated_at"],
        }
        return await self.put(scope, {**letterhead, "audit": [audit]}, _amended(fields, audit))


class CandidateRepository(ScopedRepository[Candidate]):
    """Candidates from the list to the award. Each step moves a candidate only from the statuses it follows, so a
    repeated or late step (the worker replays events) changes nothing."""

    async def named(self, scope: Scope, candidate_ids: list[str]) -> list[Candidate]:
        """The candidates with these ids, in one read."""
        return await self.find(scope, {"_id": {"$in": candidate_ids}}, limit=len(candidate_ids))

    async def under_review(
        self, scope: Scope, *, period: str, forms: Sequence[str], limit: int, sort: tuple[str, int] = ("_id", 1)
    ) -> list[Candidate]:
        """The period's candidates still under review, of the given forms only when some are named."""
        query: dict[str, Any] = {"period": period, "status": "under_review"}
        if forms:
            query["award_form"] = {"$in": list(forms)}
        return await self.find(scope, query, limit=limit, sort=sort)

    async def refresh_score(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        newer: Callable[[Candidate], ScoreFields | None],
        audit: Callable[[ScoreFields], AuditEntry],
    ) -> Candidate | None:
        """Bring the candidate's copy of its score up to date: `newer` gives the score fields to set, from the
        candidate as read (None: nothing to change), `audit` the entry of that change."""

        async def change(current: Candidate) -> Revision | None:
            fields = newer(current)
            if fields is None:
                return None
            return Revision(_amended(fields, audit(fields)))

        return await self.revise(scope, candidate_id, change)

    async def record_verdict(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        changes: Callable[[Candidate], Mapping[str, Any]],
        audit: AuditEntry,
    ) -> Candidate | None:
        """The form's rule evaluated again for a candidate still open to review: `changes` gives the fields the
        verdict changes on the candidate as read (its verdict, a newer score, its status)."""

        async def change(current: Candidate) -> Revision | None:
            if current["status"] not in OPEN_TO_REVIEW:
                return None
            return Revision(_amended(changes(current), audit))

        return await self.revise(scope, candidate_id, change)

    async def record_review(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        note: OfficerReview,
        audit: AuditEntry,
        reviewed: Callable[[Candidate], Envelope],
    ) -> Candidate | None:
        """The officer keeps the candidate on the list or takes it off, as `note` says; `reviewed` raises when the
        candidate as read may no longer be reviewed, or gives the event announcing the review."""

        async def change(current: Candidate) -> Revision:
            announced = reviewed(current)
            fields = {
                "status": "under_review" if note["included"] else "excluded",
                "officer_review": note,
                "updated_at": note["at"],
            }
            return Revision(_amended(fields, audit), [announced])

        return await self.revise(scope, candidate_id, change)

    async def put_before_council(
        self, scope: Scope, candidate_id: str, *, session_id: str, audit: AuditEntry
    ) -> Candidate | None:
        """The candidate goes before the session's council, if it is still under review (None: missing, or not)."""

        async def change(current: Candidate) -> Revision | None:
            if current["status"] != "under_review":
                return None
            fields = {"status": "in_session", "session_id": session_id, "updated_at": audit["at"]}
            return Revision(_amended(fields, audit))

        return await self.revise(scope, candidate_id, change)

    async def record_council_result(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        session_id: str,
        status: CandidateStatus,
        counts: CouncilCounts,
        audit: AuditEntry,
    ) -> Candidate | None:
        """The council's result for a candidate before this session (None: missing, or settled already)."""

        async def change(current: Candidate) -> Revision | None:
            if current["status"] != "in_session" or current.get("session_id") != session_id:
                return None
            return Revision(_amended({"status": status, "council": counts, "updated_at": audit["at"]}, audit))

        return await self.revise(scope, candidate_id, change)

    async def claim(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        field: ClaimField,
        claim_id: str,
        move: tuple[CandidateStatus, CandidateStatus],
        audit: AuditEntry,
    ) -> Candidate | None:
        """Claim the candidate for the decision or proposal `claim_id` (`field` says which), moving it from
        `move[0]` to `move[1]`. None when this very act holds it already (a retry) or it is missing; Conflict when
        it is not in the status the act needs, or another act holds it."""
        source, target = move

        async def change(current: Candidate) -> Revision | None:
            if current.get(field) == claim_id and current["status"] == target:
                return None
            if current["status"] != source or (source == target and current.get(field) not in (None, claim_id)):
                raise Conflict("taken")
            return Revision(_amended({field: claim_id, "status": target, "updated_at": audit["at"]}, audit))

        return await self.revise(scope, candidate_id, change)

    async def release(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        field: ClaimField,
        claim_id: str,
        status: CandidateStatus,
        audit: AuditEntry,
    ) -> Candidate | None:
        """Give back a claim of the act `claim_id`, the candidate back in `status` (None: not this act's)."""

        async def change(current: Candidate) -> Revision | None:
            if current.get(field) != claim_id:
                return None
            return Revision(_amended({field: None, "status": status, "updated_at": audit["at"]}, audit))

        return await self.revise(scope, candidate_id, change)

    async def move_on(
        self,
        scope: Scope,
        candidate_id: str,
        *,
        status: CandidateStatus,
        expect: tuple[str, ...],
        audit: AuditEntry,
        of_proposal: str | None = None,
        claimed_by: tuple[ClaimField, str] | None = None,
        decision: AwardedDecision | None = None,
    ) -> Candidate | None:
        """Move the candidate on to `status`, only from the statuses `expect`ed (and, for a proposal's candidates,
        only those of `of_proposal`; for an award, only those the act `claimed_by` holds), with the `decision` that
        awarded it, if any. None when it is missing or the step does not apply."""

        async def change(current: Candidate) -> Revision | None:
            if current["status"] not in expect or (of_proposal and current.get("proposal_id") != of_proposal):
                return None
            if claimed_by and current.get(claimed_by[0]) != claimed_by[1]:
                return None  # the candidate belongs to another decision or proposal
            fields: dict[str, Any] = {"status": status, "updated_at": audit["at"]}
            if decision is not None:
                fields["decision"] = decision
            return Revision(_amended(fields, audit))

        return await self.revise(scope, candidate_id, change)


class SessionRepository(ScopedRepository[Session]):
    """Council sessions: every ballot and the closing are revisions of the one session, so a member cannot vote
    twice even with concurrent requests, and no ballot slips in after the count."""

    async def drop_candidates(
        self, scope: Scope, session_id: str, *, kept: Collection[str], actor: str
    ) -> Session | None:
        """Take off a session still convened the candidates it does not keep (they went to another session
        meanwhile); the audit entry names those dropped. None when it is missing or no longer convened."""

        async def change(current: Session) -> Revision | None:
            if current["status"] != "convened":
                return None
            remaining = [c for c in current["candidates"] if c["candidate_id"] in kept]
            dropped = sorted(c["candidate_id"] for c in current["candidates"] if c["candidate_id"] not in kept)
            return Revision(
                _amended({"candidates": remaining}, entry(actor, "candidates_dropped", now(), dropped=dropped))
            )

        return await self.revise(scope, session_id, change)

    async def open_voting(
        self,
        scope: Scope,
        session_id: str,
        *,
        present: list[str],
        quorum: Callable[[Session], int],
        audit: AuditEntry,
    ) -> Session | None:
        """Open voting with the members `present`: `quorum` raises when the session as read may not open with them,
        or gives how many members its quorum requires."""

        async def change(current: Session) -> Revision:
            required = quorum(current)
            fields = {"status": "voting", "present": present, "quorum_required": required, "opened_at": audit["at"]}
            return Revision(_amended(fields, audit))

        return await self.revise(scope, session_id, change)

    async def record_ballot(
        self,
        scope: Scope,
        session_id: str,
        *,
        ballot: Callable[[Session], Ballot],
        audit: AuditEntry,
        attempts: int = BALLOT_ATTEMPTS,
    ) -> Session | None:
        """Add a member's ballot: `ballot` raises when the session as read may not take it, or gives the ballot."""

        async def change(current: Session) -> Revision:
            return Revision({"$push": {"ballots": ballot(current), "audit": audit}})

        return await self.revise(scope, session_id, change, attempts=attempts)

    async def close_session(
        self,
        scope: Scope,
        session_id: str,
        *,
        count: Callable[[Session], tuple[list[CandidateResult], Sequence[Envelope]]],
        actor: str,
        at: datetime,
    ) -> Session | None:
        """Close voting: `count` raises when the session as read may not close, or gives the results of its ballots
        and the events the closing causes; the audit entry says how many passed."""

        async def change(current: Session) -> Revision:
            results, events = count(current)
            passed = sum(r["passed"] for r in results)
            fields = {"status": "closed", "results": results, "closed_at": at}
            return Revision(_amended(fields, entry(actor, "closed", at, passed=passed)), events)

        return await self.revise(scope, session_id, change)


@dataclass(frozen=True)
class Answer:
    """What an answer does to a proposal: its next `status`, the `outcome` recorded as `<level>_outcome`, the
    audit entry and the events it causes."""

    status: ProposalStatus
    outcome: ProposalOutcome
    audit: AuditEntry
    events: Sequence[Envelope] = ()


class ProposalRepository(ScopedRepository[Proposal]):
    async def listed(
        self, scope: Scope, *, period: str | None, statuses: Sequence[str], skip: int, limit: int
    ) -> Listing[Proposal]:
        """A page of the proposals in scope (a province: every commune's), newest first, of one period and any of
        `statuses`, as asked."""
        query: dict[str, Any] = {}
        if period:
            query["period"] = period
        if statuses:
            query["status"] = one_of(statuses)
        return await self.page(scope, query, skip=skip, limit=limit, sort=("created_at", -1))

    async def record_outcome(
        self, scope: Scope, proposal_id: str, *, answer: Callable[[Proposal], Answer]
    ) -> Proposal | None:
        """Record the province's or the central level's answer: `answer` raises when the proposal as read may not
        take it, or says what it does (re-read and asked again on a concurrent change)."""

        async def change(current: Proposal) -> Revision:
            decided = answer(current)
            outcome = decided.outcome
            fields = {"status": decided.status, f"{outcome['level']}_outcome": outcome, "updated_at": outcome["at"]}
            return Revision(_amended(fields, decided.audit), list(decided.events))

        return await self.revise(scope, proposal_id, change)


class HistoryRepository(ScopedRepository[HistoryEntry]):
    async def of_entrants(self, scope: Scope, entrant_ids: Sequence[str]) -> list[HistoryEntry]:
        """Every award in scope of these entrants, in one read."""
        return await self.find(scope, {"entrant.id": {"$in": list(entrant_ids)}}, limit=100_000)

    async def listed(
        self,
        scope: Scope,
        *,
        entrant_ids: Sequence[str],
        period: str | None,
        filed_by: str | None,
        skip: int,
        limit: int,
    ) -> Listing[HistoryEntry]:
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


class ShowcaseRepository(ScopedRepository[ShowcaseEntry]):
    async def publish_again(
        self, scope: Scope, item_id: str, *, title: str, story: str, consent: bool, actor: str, at: datetime
    ) -> ShowcaseEntry | None:
        """Publish an item that exists with this title and story: again after a withdrawal (it comes first in the
        list again), or with its text edited; None when it has them already, or is missing. The audit entry records
        whether the officer confirmed the person's consent."""

        async def change(current: ShowcaseEntry) -> Revision | None:
            action = publish_action(current, title=title, story=story)
            if action is None:
                return None
            fields: dict[str, Any] = {"title": title, "story": story, "status": "published", "updated_at": at}
            if action == "published":
                fields["published_at"] = at
            changes = {k: v for k, v in fields.items() if k != "updated_at"}
            return Revision(_amended(fields, entry(actor, action, at, consent=consent, **changes)))

        return await self.revise(scope, item_id, change)

    async def withdraw(self, scope: Scope, item_id: str, *, audit: AuditEntry) -> ShowcaseEntry | None:
        """Take the item off the showcase (None: missing, or withdrawn already)."""

        async def change(current: ShowcaseEntry) -> Revision | None:
            if not withdraws(current):
                return None
            return Revision(_amended({"status": "withdrawn", "updated_at": audit["at"]}, audit))

        return await self.revise(scope, item_id, change)


@dataclass(frozen=True)
class Repositories:
    scores: LatestVersionRepository[Score]
    dossiers: LatestVersionRepository[Dossier]
    rules: RuleRepository
    standings: StandingRepository
    candidates: CandidateRepository
    sessions: SessionRepository
    decisions: ScopedRepository[Decision]
    proposals: ProposalRepository
    history: HistoryRepository
    letterheads: LetterheadRepository
    showcase: ShowcaseRepository


def repositories(database: AsyncDatabase[Document]) -> Repositories:
    return Repositories(
        scores=LatestVersionRepository[Score](database[SCORES]),
        dossiers=LatestVersionRepository[Dossier](database[DOSSIERS]),
        rules=RuleRepository(database[RULES]),
        standings=StandingRepository(database[STANDINGS]),
        candidates=CandidateRepository(database[CANDIDATES]),
        sessions=SessionRepository(database[SESSIONS]),
        decisions=ScopedRepository[Decision](database[DECISIONS]),
        proposals=ProposalRepository(database[PROPOSALS]),
        history=HistoryRepository(database[HISTORY]),
        letterheads=LetterheadRepository(database[LETTERHEADS]),
        showcase=ShowcaseRepository(database[SHOWCASE]),
    )


QUERY_INDEXES = [
    *scoped([RULES, STANDINGS, LETTERHEADS, SHOWCASE, DOSSIERS]),
    *scoped([SCORES, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY], "period"),
    *scoped([HISTORY], "entrant.id"),
    # province staff's proposals received: those waiting for the province, or those it answered, newest first
    index(PROPOSALS, "province", "status", "-created_at"),
    # a page of proposals of a period, newest first, walked in the index's order, and counted on the index's keys (a
    # commune's scope fixes its province too): the commune's, or the province's
    index(PROPOSALS, "tenant", "province", "period", "-created_at", "-_id"),
    index(PROPOSALS, "province", "period", "-created_at", "-_id"),
    # a page of a commune's awards, newest recorded first: all periods (the five years of the movement), or one
    index(HISTORY, "tenant", "province", "-recorded_at", "-_id"),
    index(HISTORY, "tenant", "province", "period", "-recorded_at", "-_id"),
    index(HISTORY, "tenant", "province", "submitted_by", "-recorded_at", "-_id"),  # a focal officer's: what they filed
    index(STANDINGS, "tenant", "entrant.id"),
]


async def ensure_indexes(database: AsyncDatabase[Document]) -> None:
    await declare(database, QUERY_INDEXES)
