"""Upward proposals: the pages province staff and communes read, and the answer recorded on one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from awards.domain.aggregates import AuditEntry, Proposal, ProposalOutcome
from awards.domain.lifecycle import ProposalStatus
from awards.repository.common import Listing, _amended, one_of
from thidua_platform.envelope import Envelope
from thidua_platform.repository import Revision, ScopedRepository
from thidua_platform.tenancy import Scope


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

    async def forwarded_places(self, scope: Scope, *, award_form: str, round_: str, other_than: str) -> int:
        """How many recipients the province (`scope`) has forwarded to the central level for this form and round,
        in proposals other than `other_than`: what counts against its quota."""
        query = {"award_form": award_form, "round": round_, "province_outcome.outcome": "forwarded_to_central"}
        forwarded = await self.find(scope, query, limit=10_000, audited=False)
        return sum(len(proposal["recipients"]) for proposal in forwarded if proposal["_id"] != other_than)

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
