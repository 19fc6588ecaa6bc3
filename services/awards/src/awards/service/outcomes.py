"""The province's answer to a proposal, recorded by province staff: awarded, rejected, returned, or forwarded to the
central level, whose answer they record later too. The proposal moves as `PROPOSAL_TRANSITIONS` says
(`awards.domain.lifecycle`), its candidates as `CANDIDATE_AFTER` says; an award goes through `apply_award`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awards.domain.ad_hoc import announced_round
from awards.domain.aggregates import Proposal, ProposalOutcome
from awards.domain.catalogue import FORMS
from awards.domain.lifecycle import CANDIDATE_AFTER, PROPOSAL_TRANSITIONS, ProposalStatus
from awards.repository import Answer, Repositories
from awards.service.acts import NUMBER_PATTERN, move_candidate, recipient, refuse_barred
from awards.service.common import event, field_error, found
from awards.service.decisions import apply_award
from awards.service.province_rules import effective_settings
from thidua_contracts.awards import AwardDecided, AwardLevel, AwardProposalDecided, AwardRecipient
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText, TextRule


class OutcomeRequest(BaseModel):
    """What the province (or the central level, recorded by the province) decided on a proposal."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    outcome: Literal["awarded", "rejected", "returned", "forwarded_to_central"]
    number: str | None = Field(default=None, pattern=NUMBER_PATTERN)
    signed_on: date | None = None
    issuer: ShortText | None = Field(default=None, description="Cơ quan, người quyết định / Issuing body")
    reason: Annotated[str, TextRule(max_length=300)] | None = None  # typed in a text area: lines allowed

    @model_validator(mode="after")
    def _complete(self) -> OutcomeRequest:
        if self.outcome == "awarded" and not (self.number and self.signed_on and self.issuer):
            raise ValueError("Quyết định khen cần số, ngày và cơ quan ban hành / number, signed_on and issuer")
        if self.outcome in ("rejected", "returned") and not self.reason:
            raise ValueError("Cần nêu lý do / A reason is required")
        return self


async def record_outcome(
    *, repos: Repositories, principal: Principal, scope: Scope, proposal_id: str, request: OutcomeRequest
) -> Proposal:
    """Province staff record the province's answer, or later the central level's, on a proposal."""
    at = now()
    if request.outcome == "awarded":
        await _refuse_barred_recipients(repos=repos, scope=scope, proposal_id=proposal_id)
    if request.outcome == "forwarded_to_central":
        await _within_central_quota(repos=repos, scope=scope, proposal_id=proposal_id)
    awarded: list[AwardDecided] = []  # the award of the last answer built (rebuilt on a concurrent change)

    def answer(proposal: Proposal) -> Answer:
        awarded.clear()
        built, award = _answer_to(proposal, request=request, actor=principal.user_id, at=at)
        if award is not None:
            awarded.append(award)
        return built

    proposal = found(await repos.proposals.record_outcome(scope, proposal_id, answer=answer), "tờ trình / proposal")
    for award in awarded:
        await apply_award(repos=repos, scope=_tenant_scope(proposal), decided=award, actor=principal.user_id)
    await settle_proposal(repos=repos, proposal=proposal, actor=principal.user_id)
    return proposal


async def _refuse_barred_recipients(*, repos: Repositories, scope: Scope, proposal_id: str) -> None:
    """Before an award: none of the proposal's recipients may be under disciplinary review, investigation or
    complaint verification."""
    current = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
    entrants = {r["candidate_id"]: r["entrant"] for r in current["recipients"]}
    await refuse_barred(repos=repos, scope=_tenant_scope(current), entrants=entrants)


async def _within_central_quota(*, repos: Repositories, scope: Scope, proposal_id: str) -> None:
    """A central form's places belong to the province (ADR 0028): forwarding is refused (409) when the proposal's
    recipients and those already forwarded for the form and round exceed the quota the province set."""
    current = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
    assert current["province"] is not None
    settings = await effective_settings(repos=repos, province=current["province"])
    quota = settings.central_quota(current["award_form"], current["round"])
    if quota is None:
        return
    forwarded = await repos.proposals.forwarded_places(
        Scope(province=current["province"]), award_form=current["award_form"], round_=current["round"],
        other_than=proposal_id,
    )  # fmt: skip
    asked = len(current["recipients"])
    if forwarded + asked > quota:
        name = FORMS[current["award_form"]].name
        raise Conflict(
            f"Vượt hạn mức trình Trung ương {name}: đã trình {forwarded}, đề nghị thêm {asked}, hạn mức {quota} suất / "
            f"Over the province's central quota: {forwarded} forwarded, {asked} more asked, quota {quota}",
            quota=quota,
            forwarded=forwarded,
            asked=asked,
        )


def _answer_to(
    proposal: Proposal, *, request: OutcomeRequest, actor: str, at: datetime
) -> tuple[Answer, AwardDecided | None]:
    """What the answer does to the proposal as read (Conflict or 422 when it may not take it), and the award it
    makes, if any."""
    status, level = _next_status(proposal, request.outcome)
    recipients = tuple(
        recipient(r["candidate_id"], r["entrant"], r.get("submitted_by")) for r in proposal["recipients"]
    )
    award = _award(proposal, request, level=level, recipients=recipients) if request.outcome == "awarded" else None
    events = _announced(proposal, request, level=level, recipients=recipients, award=award, actor=actor)
    outcome = _outcome(request, level=level, actor=actor, at=at)
    return Answer(
        status=status,
        outcome=outcome,
        audit=audit(actor, f"{level}_{request.outcome}", at, **outcome),
        events=events,
    ), award


def _next_status(proposal: Proposal, outcome: str) -> tuple[ProposalStatus, AwardLevel]:
    """The proposal's next status and the level answering (the central level once forwarded); a conflict when the
    proposal's status takes no such outcome, 422 when the form is not decided at the level answering."""
    moves = PROPOSAL_TRANSITIONS.get(proposal["status"], {})
    if outcome not in moves:
        raise Conflict(
            f"Không thể ghi kết quả '{outcome}' cho tờ trình ở trạng thái này / Not possible now",
            status_now=proposal["status"],
        )
    level: AwardLevel = "central" if proposal["status"] == "forwarded_to_central" else "province"
    form = FORMS[proposal["award_form"]]
    if outcome == "awarded" and form.level != level:
        raise field_error(
            "outcome",
            f"{form.name} do {form.decided_by} quyết định / decided by {form.decided_by}",
            "Hình thức này phải trình Trung ương / This form is decided at the central level",
        )
    if outcome == "forwarded_to_central" and form.level != "central":
        raise field_error(
            "outcome", "hình thức cấp tỉnh / a province form", "Hình thức này do tỉnh quyết định / Decided here"
        )
    return moves[outcome], level


def _award(
    proposal: Proposal, request: OutcomeRequest, *, level: AwardLevel, recipients: tuple[AwardRecipient, ...]
) -> AwardDecided:
    """The award the province or the central level made on the proposal, as `award.decided` announces it."""
    assert request.number
    assert request.signed_on
    assert request.issuer
    return AwardDecided(
        proposal_id=proposal["_id"],
        decision_id=f"{proposal['_id']}:{level}",
        award_form=proposal["award_form"],
        period=proposal["period"],
        round=announced_round(proposal["round"], proposal["period"]),
        level=level,
        number=request.number,
        signed_on=request.signed_on,
        issuer=request.issuer,
        recipients=recipients,
        ad_hoc=proposal["round"] == "ad_hoc",
    )


def _announced(
    proposal: Proposal,
    request: OutcomeRequest,
    *,
    level: AwardLevel,
    recipients: tuple[AwardRecipient, ...],
    award: AwardDecided | None,
    actor: str,
) -> Sequence[Envelope]:
    """The events of the answer: `award.proposal_decided`, and `award.decided` for an award."""
    tenant_scope = _tenant_scope(proposal)
    decided = AwardProposalDecided(
        proposal_id=proposal["_id"],
        award_form=proposal["award_form"],
        period=proposal["period"],
        level=level,
        outcome=request.outcome,
        recipients=recipients,
        decided_by=actor,
        number=request.number,
        signed_on=request.signed_on,
        issuer=request.issuer,
        reason=request.reason,
    )
    events = [event(decided, scope=tenant_scope, subject=proposal["_id"])]
    if award is not None:
        events.append(event(award, scope=tenant_scope, subject=proposal["_id"], event_id=uuid.uuid4()))
    return events


def _outcome(request: OutcomeRequest, *, level: AwardLevel, actor: str, at: datetime) -> ProposalOutcome:
    """The answer as the proposal keeps it, as `<level>_outcome`."""
    return {
        "outcome": request.outcome,
        "number": request.number,
        "signed_on": request.signed_on.isoformat() if request.signed_on else None,
        "issuer": request.issuer,
        "reason": request.reason,
        "by": actor,
        "at": at,
        "level": level,
    }


async def settle_proposal(*, repos: Repositories, proposal: Proposal, actor: str) -> None:
    """Move the proposal's candidates as its status says. Idempotent: the worker repeats it from the event."""
    if proposal["status"] not in CANDIDATE_AFTER:
        return
    status, expect = CANDIDATE_AFTER[proposal["status"]]
    scope = _tenant_scope(proposal)
    at = now()
    for r in proposal["recipients"]:
        await move_candidate(
            repos=repos, scope=scope, candidate_id=r["candidate_id"], status=status, actor=actor, at=at,
            expect=expect, of_proposal=proposal["_id"],
        )  # fmt: skip


def _tenant_scope(proposal: Proposal) -> Scope:
    """The commune's scope the proposal belongs to (province staff read it in the province's)."""
    return Scope(tenant=proposal["tenant"], province=proposal["province"])
