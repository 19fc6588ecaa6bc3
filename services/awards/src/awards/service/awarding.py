"""Decisions and upward proposals: the commune chairman decides commune awards and proposes higher ones; province
staff record the province's answer and, for central forms, the central level's.

Every award lands in the entrant's history through `apply_award`, which is idempotent: the API applies it at once,
and the worker applies it again from the `award.decided` event, so a crash between the two writes loses nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from awards.domain.aggregates import (
    AwardedDecision,
    Candidate,
    ClaimField,
    Decision,
    Entrant,
    Proposal,
    ProposalOutcome,
    RecipientRow,
)
from awards.domain.catalogue import FORMS, FormCode, round_of
from awards.domain.lifecycle import CandidateStatus, ProposalStatus
from awards.repositories import Answer, Repositories
from awards.service.common import distinct, event, field_error, form_or_422, found, stored_entrant
from awards.service.letterhead import authority_of
from awards.service.standing import flags_of, history_entry
from thidua_shared.audit import entry as audit
from thidua_shared.audit import now
from thidua_shared.auth import Principal
from thidua_shared.events import (
    PERIOD_CODE_PATTERN,
    AwardDecided,
    AwardLevel,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
    Envelope,
    derived_id,
)
from thidua_shared.mongo import Document
from thidua_shared.problems import Conflict, Unprocessable
from thidua_shared.tenancy import Scope
from thidua_shared.text import STORED, ShortText, TextRule

Act = TypeVar("Act", Decision, Proposal)
NUMBER_PATTERN = r"^[0-9]{1,6}/[0-9A-Za-zĐđ/-]{2,40}$"


class Signed(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={"examples": [{"number": "125/QĐ-UBND", "signed_on": "2026-12-10"}]},
    )
    number: str = Field(pattern=NUMBER_PATTERN, description="Số văn bản, ví dụ 125/QĐ-UBND / Document number")
    signed_on: date
    signer_name: ShortText
    signer_title: ShortText = "CHỦ TỊCH"


class DecisionRequest(Signed):
    """The chairman's decision (quyết định) awarding a commune form to candidates the council passed."""

    award_form: FormCode
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    candidate_ids: tuple[str, ...] = Field(min_length=1, max_length=500)


class ProposalRequest(Signed):
    """The proposal letter (tờ trình) sending candidates for a higher form to the province."""

    award_form: FormCode
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    candidate_ids: tuple[str, ...] = Field(min_length=1, max_length=500)
    addressee: ShortText = "Chủ tịch Ủy ban nhân dân tỉnh (qua Sở Nội vụ)"


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


def recipient(candidate_id: str, entrant: Mapping[str, Any], submitted_by: str | None) -> AwardRecipient:
    """A recipient of an award event, its entrant as stored (thidua_shared.text)."""
    return AwardRecipient.model_validate(
        {"candidate_id": candidate_id, "entrant": entrant, "submitted_by": submitted_by}, context=STORED
    )


def recipients_of(candidates: Sequence[Candidate]) -> tuple[AwardRecipient, ...]:
    return tuple(recipient(c["_id"], c["entrant"], c.get("submitted_by")) for c in candidates)


CLAIMS: tuple[ClaimField, ...] = ("decision_id", "proposal_id")
CLAIMED_ELSEWHERE = (
    "Đề xuất đã được đưa vào một quyết định hay tờ trình khác / A candidate is already in another decision or proposal"
)


async def _candidates_in(
    repos: Repositories,
    scope: Scope,
    ids: list[str],
    *,
    form: str,
    period: str,
    status: str,
    field: str,
    claim: tuple[ClaimField, str],
) -> list[Candidate]:
    """The named candidates, each of this form and period and in the status the act needs (422 naming them). One
    already in another decision or proposal is a conflict (409), as when two acts claim it at once (`claim`), so that
    the loser of a race gets the same answer whether it read the candidate before the winner's claim or after."""
    documents = {d["_id"]: d for d in await repos.candidates.named(scope, ids)}
    errors = []
    elsewhere = []
    for identifier in ids:
        c = documents.get(identifier)
        if c is None or c["award_form"] != form or c["period"] != period:
            errors.append(
                {"field": field, "message": f"{identifier}: không phải đề xuất / not a candidate for {form} {period}"}
            )
        elif c["status"] != status and any(c.get(other) not in (None, claim[1]) for other in CLAIMS):
            elsewhere.append(identifier)  # moved on by another act (a proposal returned keeps its id: not this)
        elif c["status"] != status and c.get(claim[0]) != claim[1]:  # claimed by this very act: a retry
            errors.append(
                {"field": field, "message": f"{identifier}: trạng thái / status {c['status']}, cần / needs {status}"}
            )
    if elsewhere and not errors:
        raise Conflict(CLAIMED_ELSEWHERE, candidate_ids=elsewhere)
    errors += [{"field": field, "message": f"{identifier}: {CLAIMED_ELSEWHERE}"} for identifier in elsewhere]
    if errors:
        raise Unprocessable(
            "Có đề xuất chưa được Hội đồng thông qua cho hình thức này / "
            "Some candidates have not been passed by the council for this form",
            errors=errors,
        )
    return [documents[i] for i in ids]


def _recipient_rows(candidates: Sequence[Candidate] | Sequence[Document]) -> list[RecipientRow]:
    """The recipients of a decision or proposal (from candidates; the benchmark's seeder passes plain documents)."""
    return [
        {
            "candidate_id": c["_id"],
            "entrant": c["entrant"],
            "submitted_by": c.get("submitted_by"),
            "submission_id": c["submission_id"],
            "total": c["total"],
            "grade": c["grade"],
            "session_id": c.get("session_id"),
        }
        for c in candidates
    ]


async def _claimed(
    repos: Repositories,
    scope: Scope,
    request: DecisionRequest | ProposalRequest,
    *,
    field: ClaimField,
    claim_id: str,
    move: tuple[CandidateStatus, CandidateStatus],
    actor: str,
) -> list[Candidate]:
    """The act's candidates: each of its form and period, passed by the council (or already claimed by this very
    act, on a retry), none barred by a flag — then claimed for it."""
    ids = distinct(list(request.candidate_ids), "candidate_ids")
    candidates = await _candidates_in(
        repos, scope, ids, form=request.award_form, period=request.period, status=move[0], field="candidate_ids",
        claim=(field, claim_id),
    )  # fmt: skip
    await refuse_barred(repos, scope, {c["_id"]: c["entrant"] for c in candidates})
    await claim(repos, scope, ids, field=field, claim_id=claim_id, move=move, actor=actor)
    return candidates


async def claim(
    repos: Repositories,
    scope: Scope,
    ids: list[str],
    *,
    field: ClaimField,
    claim_id: str,
    move: tuple[CandidateStatus, CandidateStatus],
    actor: str,
) -> None:
    """Claim every candidate for this decision or proposal before it is saved: a candidate goes into one only, even
    under concurrent requests (each claim is a revision of the candidate). A retry of the same act finds its own
    claims; if another act got there first, this one's claims are released and it is refused."""
    source, target = move
    at = now()
    taken: list[str] = []
    refused: list[str] = []
    for identifier in ids:
        try:
            claimed = await repos.candidates.claim(
                scope,
                identifier,
                field=field,
                claim_id=claim_id,
                move=move,
                audit=audit(actor, "claimed", at, **{field: claim_id, "status": target}),
            )
        except Conflict:
            refused.append(identifier)
        else:
            if claimed is not None:
                taken.append(identifier)
    if refused:
        for identifier in taken:
            released = audit(actor, "released", at, **{field: None, "status": source})
            await repos.candidates.release(
                scope, identifier, field=field, claim_id=claim_id, status=source, audit=released
            )
        raise Conflict(CLAIMED_ELSEWHERE, candidate_ids=refused)


async def refuse_barred(repos: Repositories, scope: Scope, entrants: Mapping[str, Entrant]) -> None:
    """Nobody under discipline, inspection or complaint review may be awarded or proposed (NĐ 152/2025): `entrants`
    holds each candidate's entrant by the candidate's id."""
    flags = await flags_of(repos, scope, [entrant["id"] for entrant in entrants.values()])
    barred = [(identifier, entrant) for identifier, entrant in entrants.items() if flags.get(entrant["id"])]
    if barred:
        raise Unprocessable(
            "Có đối tượng đang bị kỷ luật, thanh tra hoặc khiếu nại / Some entrants may not be awarded now",
            errors=[
                {
                    "field": "candidate_ids",
                    "message": f"{identifier}: đang bị / under {', '.join(sorted(flags[entrant['id']]))}",
                }
                for identifier, entrant in barred
            ],
        )


async def decide(
    *, repos: Repositories, principal: Principal, scope: Scope, request: DecisionRequest
) -> tuple[Decision, bool]:
    """The chairman's decision on a commune form. Returns the decision and whether it was new (a replay of the same
    decision returns it unchanged)."""
    form = form_or_422(request.award_form)
    if form.proposed_upward:
        raise field_error(
            "award_form",
            "hình thức cấp trên: lập tờ trình / a higher form: propose it",
            f"{form.name} do cấp trên quyết định / decided above",
        )
    decision_id = str(derived_id("decision", scope.tenant, request.number))
    existing = await repos.decisions.get(scope, decision_id)
    if existing is not None:
        return _replay(existing, request), False
    candidates = await _claimed(
        repos,
        scope,
        request,
        field="decision_id",
        claim_id=decision_id,
        move=("eligible_here", "eligible_here"),
        actor=principal.user_id,
    )
    ids = [c["_id"] for c in candidates]
    at = now()
    issuer = f"Chủ tịch {await authority_of(repos, scope)}"
    award = AwardDecided(
        decision_id=decision_id,
        award_form=form.code,
        period=request.period,
        round=round_of(request.period),
        level="commune",
        number=request.number,
        signed_on=request.signed_on,
        issuer=issuer,
        recipients=recipients_of(candidates),
    )
    decided = event(award, scope=scope, subject=decision_id)
    document: Decision = {
        "_id": decision_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "number": request.number,
        "signed_on": request.signed_on.isoformat(),
        "signer_name": request.signer_name,
        "signer_title": request.signer_title,
        "award_form": request.award_form,
        "period": request.period,
        "issuer": issuer,
        "round": round_of(request.period),
        "recipients": _recipient_rows(candidates),
        "created_at": at,
        "created_by": principal.user_id,
        "audit": [audit(principal.user_id, "decided", at, number=request.number, recipients=ids)],
    }
    if not await repos.decisions.add(document, [decided]):
        raced = found(await repos.decisions.get(scope, decision_id), "quyết định / decision")
        return _replay(raced, request), False
    await apply_award(repos, scope, award, actor=principal.user_id)
    return document, True


def _replay(existing: Act, request: DecisionRequest | ProposalRequest) -> Act:
    same = existing["award_form"] == request.award_form and sorted(
        r["candidate_id"] for r in existing["recipients"]
    ) == sorted(request.candidate_ids)
    if not same:
        raise Conflict(f"Số văn bản {request.number} đã được dùng / The number is already used")
    return existing


async def apply_award(repos: Repositories, scope: Scope, decided: AwardDecided, *, actor: str) -> None:
    """Write the award into each recipient's history and mark the candidate awarded. Safe to repeat; an award whose
    decision or proposal does not hold the candidate's claim writes nothing."""
    at = now()
    claimed_by: tuple[ClaimField, str] = (
        ("proposal_id", decided.proposal_id) if decided.proposal_id else ("decision_id", decided.decision_id)
    )
    for recipient in decided.recipients:
        candidate = await repos.candidates.get(scope, recipient.candidate_id)
        if candidate is None or candidate.get(claimed_by[0]) != claimed_by[1]:
            continue
        entry = history_entry(
            scope,
            entrant=stored_entrant(recipient.entrant),
            award_form=decided.award_form,
            period=decided.period,
            level=decided.level,
            track="thematic",
            number=decided.number,
            signed_on=decided.signed_on,
            issuer=decided.issuer,
            source={"kind": "decision", "id": decided.decision_id},
            submitted_by=recipient.submitted_by,
            actor=actor,
        )
        await repos.history.add(entry)
        await _set_status(
            repos, scope, recipient.candidate_id, "awarded", actor, at, expect=AWARDABLE, claimed_by=claimed_by,
            decision=entry["decision"],
        )  # fmt: skip


async def _set_status(
    repos: Repositories,
    scope: Scope,
    candidate_id: str,
    status: CandidateStatus,
    actor: str,
    at: datetime,
    *,
    expect: tuple[str, ...],
    of_proposal: str | None = None,
    claimed_by: tuple[ClaimField, str] | None = None,
    decision: AwardedDecision | None = None,
) -> None:
    """Move a candidate on, only from the statuses the step follows (and, for proposals, only the candidates of
    that proposal), so a repeated or late event never moves it back."""
    fields = {} if decision is None else {"decision": decision}
    await repos.candidates.move_on(
        scope,
        candidate_id,
        status=status,
        expect=expect,
        audit=audit(actor, status, at, **fields),
        of_proposal=of_proposal,
        claimed_by=claimed_by,
        decision=decision,
    )


async def propose(
    *, repos: Repositories, principal: Principal, scope: Scope, request: ProposalRequest
) -> tuple[Proposal, bool]:
    form = form_or_422(request.award_form)
    if not form.proposed_upward:
        raise field_error(
            "award_form",
            "hình thức cấp xã: ra quyết định / a commune form: decide it",
            f"{form.name} do xã quyết định / decided here",
        )
    proposal_id = str(derived_id("proposal", scope.tenant, request.number))
    existing = await repos.proposals.get(scope, proposal_id)
    if existing is not None:
        return _replay(existing, request), False
    candidates = await _claimed(
        repos,
        scope,
        request,
        field="proposal_id",
        claim_id=proposal_id,
        move=("eligible_upward", "proposed_to_province"),
        actor=principal.user_id,
    )
    ids = [c["_id"] for c in candidates]
    at = now()
    submitted = event(
        AwardProposalSubmitted(
            proposal_id=proposal_id,
            award_form=form.code,
            period=request.period,
            number=request.number,
            recipients=recipients_of(candidates),
            proposed_by=principal.user_id,
        ),
        scope=scope,
        subject=proposal_id,
    )
    document: Proposal = {
        "_id": proposal_id,
        "tenant": scope.tenant,
        "province": scope.province,
        "number": request.number,
        "signed_on": request.signed_on.isoformat(),
        "signer_name": request.signer_name,
        "signer_title": request.signer_title,
        "award_form": request.award_form,
        "period": request.period,
        "addressee": request.addressee,
        "round": round_of(request.period),
        "level": form.level,
        "status": "submitted_to_province",
        "recipients": _recipient_rows(candidates),
        "created_at": at,
        "created_by": principal.user_id,
        "audit": [audit(principal.user_id, "submitted_to_province", at, number=request.number, recipients=ids)],
    }
    if not await repos.proposals.add(document, [submitted]):
        raced = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
        return _replay(raced, request), False
    return document, True


TRANSITIONS: dict[str, dict[str, ProposalStatus]] = {
    # proposal status → outcome → next proposal status
    "submitted_to_province": {
        "awarded": "province_awarded",
        "rejected": "province_rejected",
        "returned": "returned",
        "forwarded_to_central": "forwarded_to_central",
    },
    "forwarded_to_central": {"awarded": "central_awarded", "rejected": "central_rejected"},
}
AWARDABLE = ("eligible_here", "proposed_to_province", "proposed_to_central")
# proposal status → (candidate status, the candidate statuses it follows); awards go through apply_award
CANDIDATE_AFTER: dict[str, tuple[CandidateStatus, tuple[str, ...]]] = {
    "province_rejected": ("rejected", ("proposed_to_province",)),
    "returned": ("eligible_upward", ("proposed_to_province",)),
    "forwarded_to_central": ("proposed_to_central", ("proposed_to_province",)),
    "central_rejected": ("rejected", ("proposed_to_central",)),
}


async def record_outcome(
    *, repos: Repositories, principal: Principal, scope: Scope, proposal_id: str, request: OutcomeRequest
) -> Proposal:
    """Province staff record the province's answer, or later the central level's, on a proposal."""
    at = now()
    if request.outcome == "awarded":
        current = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
        tenant_scope = Scope(tenant=current["tenant"], province=current["province"])
        await refuse_barred(repos, tenant_scope, {r["candidate_id"]: r["entrant"] for r in current["recipients"]})
    decided_award: list[AwardDecided] = []

    def answer(proposal: Proposal) -> Answer:
        decided_award.clear()
        outcome_event: list[Envelope] = []
        moves = TRANSITIONS.get(proposal["status"], {})
        if request.outcome not in moves:
            raise Conflict(
                f"Không thể ghi kết quả '{request.outcome}' cho tờ trình ở trạng thái này / Not possible now",
                status_now=proposal["status"],
            )
        level: AwardLevel = "central" if proposal["status"] == "forwarded_to_central" else "province"
        form = FORMS[proposal["award_form"]]
        if request.outcome == "awarded" and form.level != level:
            raise field_error(
                "outcome",
                f"{form.name} do {form.decided_by} quyết định / decided by {form.decided_by}",
                "Hình thức này phải trình Trung ương / This form is decided at the central level",
            )
        if request.outcome == "forwarded_to_central" and form.level != "central":
            raise field_error(
                "outcome",
                "hình thức cấp tỉnh / a province form",
                "Hình thức này do tỉnh quyết định / Decided here",
            )
        tenant_scope = Scope(tenant=proposal["tenant"], province=proposal["province"])
        recipients = tuple(
            recipient(r["candidate_id"], r["entrant"], r.get("submitted_by")) for r in proposal["recipients"]
        )
        outcome_event.append(
            event(
                AwardProposalDecided(
                    proposal_id=proposal["_id"],
                    award_form=proposal["award_form"],
                    period=proposal["period"],
                    level=level,
                    outcome=request.outcome,
                    recipients=recipients,
                    decided_by=principal.user_id,
                    number=request.number,
                    signed_on=request.signed_on,
                    issuer=request.issuer,
                    reason=request.reason,
                ),
                scope=tenant_scope,
                subject=proposal["_id"],
            )
        )
        if request.outcome == "awarded":
            assert request.number and request.signed_on and request.issuer
            award = AwardDecided(
                proposal_id=proposal["_id"],
                decision_id=f"{proposal['_id']}:{level}",
                award_form=proposal["award_form"],
                period=proposal["period"],
                round=proposal["round"],
                level=level,
                number=request.number,
                signed_on=request.signed_on,
                issuer=request.issuer,
                recipients=recipients,
            )
            decided_award.append(award)
            outcome_event.append(event(award, scope=tenant_scope, subject=proposal["_id"], event_id=uuid.uuid4()))
        outcome: ProposalOutcome = {
            "outcome": request.outcome,
            "number": request.number,
            "signed_on": request.signed_on.isoformat() if request.signed_on else None,
            "issuer": request.issuer,
            "reason": request.reason,
            "by": principal.user_id,
            "at": at,
            "level": level,
        }
        return Answer(
            status=moves[request.outcome],
            outcome=outcome,
            audit=audit(principal.user_id, f"{level}_{request.outcome}", at, **outcome),
            events=outcome_event,
        )

    proposal = found(await repos.proposals.record_outcome(scope, proposal_id, answer=answer), "tờ trình / proposal")
    for award in decided_award:
        await apply_award(
            repos, Scope(tenant=proposal["tenant"], province=proposal["province"]), award, actor=principal.user_id
        )
    await settle_proposal(repos, proposal, actor=principal.user_id)
    return proposal


async def settle_proposal(repos: Repositories, proposal: Proposal, *, actor: str) -> None:
    """Move the proposal's candidates as its status says. Idempotent: the worker repeats it from the event."""
    if proposal["status"] not in CANDIDATE_AFTER:
        return
    status, expect = CANDIDATE_AFTER[proposal["status"]]
    scope = Scope(tenant=proposal["tenant"], province=proposal["province"])
    at = now()
    for r in proposal["recipients"]:
        await _set_status(
            repos, scope, r["candidate_id"], status, actor, at, expect=expect, of_proposal=proposal["_id"]
        )
