"""Candidates from the list to the award: each step a named change of the candidate."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, get_args

from awards.domain.aggregates import (
    AuditEntry,
    AwardedDecision,
    Candidate,
    ClaimField,
    CouncilCounts,
    OfficerReview,
    ScoreFields,
)
from awards.domain.lifecycle import OPEN_TO_REVIEW, CandidateStatus
from awards.repository.common import _amended
from thidua_contracts.awards import AwardRound
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope


def _round(ad_hoc: bool) -> Any:
    """The ad-hoc round, or the rounds (candidates kept before the ad-hoc round all hold one of these)."""
    return "ad_hoc" if ad_hoc else {"$in": [r for r in get_args(AwardRound) if r != "ad_hoc"]}


class CandidateRepository(ScopedRepository[Candidate]):
    """Candidates from the list to the award. Each step moves a candidate only from the statuses it follows, so a
    repeated or late step (the worker replays events) changes nothing."""

    async def named(self, scope: Scope, candidate_ids: list[str]) -> list[Candidate]:
        """The candidates with these ids, in one read."""
        return await self.find(scope, {"_id": {"$in": candidate_ids}}, limit=len(candidate_ids))

    async def under_review(
        self,
        scope: Scope,
        *,
        period: str,
        forms: Sequence[str],
        limit: int,
        sort: tuple[str, int] = ("_id", 1),
        ad_hoc: bool = False,
    ) -> list[Candidate]:
        """The period's candidates still under review, of the given forms only when some are named: the ad-hoc ones
        (docs/adr/0026), or those of the rounds."""
        query: dict[str, Any] = {"period": period, "status": "under_review", "round": _round(ad_hoc)}
        if forms:
            query["award_form"] = {"$in": list(forms)}
        return await self.find(scope, query, limit=limit, sort=sort)

    async def of_the_rounds(self, scope: Scope, *, period: str, award_form: str, limit: int) -> list[Candidate]:
        """The period's candidates for a form that its final scores made (not the ad-hoc ones)."""
        return await self.find(scope, {"period": period, "award_form": award_form, "round": _round(False)}, limit=limit)

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
