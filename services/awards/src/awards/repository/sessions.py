"""Council sessions: every ballot and the closing are revisions of the one session."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from awards.domain.aggregates import AuditEntry, CandidateResult, PaperCount, Session
from awards.repository.common import _amended
from thidua_platform.audit import entry, now
from thidua_platform.envelope import Envelope
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope

BALLOT_ATTEMPTS = 40  # every member of a council may vote at the same moment: ballots contend for one session


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
        committee: list[str],
        quorum: Callable[[Session], int],
        audit: AuditEntry,
    ) -> Session | None:
        """Open voting with the members `present` and their counting `committee`: `quorum` raises when the session as
        read may not open with them, or gives how many members its quorum requires."""

        async def change(current: Session) -> Revision:
            required = quorum(current)
            fields = {
                "status": "voting",
                "present": present,
                "counting_committee": committee,
                "quorum_required": required,
                "opened_at": audit["at"],
            }
            return Revision(_amended(fields, audit))

        return await self.revise(scope, session_id, change)

    async def record_ballot(
        self,
        scope: Scope,
        session_id: str,
        *,
        ballot: Callable[[Session], dict[str, Any]],
        audit: AuditEntry,
        attempts: int = BALLOT_ATTEMPTS,
    ) -> Session | None:
        """Put a member's ballot in the box: `ballot` raises when the session as read may not take it, or gives the
        session's fields with it in (awards.domain.ballot_box.cast)."""

        async def change(current: Session) -> Revision:
            return Revision(_amended(ballot(current), audit))

        return await self.revise(scope, session_id, change, attempts=attempts)

    async def enter_paper_count(
        self, scope: Scope, session_id: str, *, count: Callable[[Session], PaperCount], audit: AuditEntry
    ) -> Session | None:
        """Keep the counting committee's count of a paper vote (again, to correct it, until the session closes):
        `count` raises when the session as read may not take it, or gives the count to keep."""

        async def change(current: Session) -> Revision:
            return Revision(_amended({"paper_count": count(current)}, audit))

        return await self.revise(scope, session_id, change)

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
