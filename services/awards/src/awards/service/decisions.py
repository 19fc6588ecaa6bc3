"""The chairman's decision (quyết định) on a commune form, and every award landing in the entrant's history.

Every award lands in the entrant's history through `apply_award`, which is idempotent: the API applies it at once,
and the worker applies it again from the `award.decided` event, so a crash between the two writes loses nothing. The
decision's prize money is computed once, when it is stored, and its payment out of the commune's fund is recorded the
same way, by `apply_award`: at once, and again by the worker, once whatever the number of times (docs/adr/0025).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from awards.domain.ad_hoc import announced_round
from awards.domain.aggregates import Candidate, ClaimField, Decision, HistoryEntry
from awards.domain.catalogue import AwardForm, FormCode
from awards.domain.lifecycle import AWARDABLE
from awards.repository import Repositories
from awards.service.acts import (
    Signed,
    act_round,
    move_candidate,
    recipient_rows,
    recipients_of,
    replay,
    take_candidates,
)
from awards.service.common import event, field_error, form_or_422, found, stored_entrant
from awards.service.fund import record_payment
from awards.service.letterhead import authority_of
from awards.service.prize import decision_prize
from awards.service.standing import AdHocAward, history_entry
from thidua_contracts.awards import AwardDecided, AwardRecipient
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id
from thidua_platform.tenancy import Scope


class DecisionRequest(Signed):
    """The chairman's decision (quyết định) awarding a commune form to candidates the council passed."""

    award_form: FormCode
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    candidate_ids: tuple[str, ...] = Field(min_length=1, max_length=500)


async def decide(
    *, repos: Repositories, principal: Principal, scope: Scope, request: DecisionRequest
) -> tuple[Decision, bool]:
    """The chairman's decision on a commune form. Returns the decision and whether it was new (a replay of the same
    decision returns it unchanged)."""
    form = _decided_here(request.award_form)
    decision_id = str(derived_id("decision", scope.tenant, request.number))
    existing = await repos.decisions.get(scope, decision_id)
    if existing is not None:
        return replay(existing, request), False
    candidates = await take_candidates(
        repos=repos, scope=scope, request=request, field="decision_id", claim_id=decision_id,
        move=("eligible_here", "eligible_here"), actor=principal.user_id,
    )  # fmt: skip
    at = now()
    issuer = f"Chủ tịch {await authority_of(repos=repos, scope=scope)}"
    award = _award(request, form=form, decision_id=decision_id, issuer=issuer, candidates=candidates)
    decided = event(award, scope=scope, subject=decision_id)
    document = _decision(request, scope, decision_id, issuer=issuer, candidates=candidates, by=principal, at=at)
    prize, document["recipients"] = await decision_prize(
        repos=repos, scope=scope, form=form.code, signed_on=request.signed_on, rows=document["recipients"]
    )
    if prize is not None:
        document["prize"] = prize
    if not await repos.decisions.add(document, [decided]):
        raced = found(await repos.decisions.get(scope, decision_id), "quyết định / decision")
        return replay(raced, request), False
    await apply_award(repos=repos, scope=scope, decided=award, actor=principal.user_id)
    return document, True


def _decided_here(code: str) -> AwardForm:
    """The form, if the commune decides it (422 for a higher form: it is proposed)."""
    form = form_or_422(code)
    if form.proposed_upward:
        raise field_error(
            "award_form",
            "hình thức cấp trên: lập tờ trình / a higher form: propose it",
            f"{form.name} do cấp trên quyết định / decided above",
        )
    return form


def _award(
    request: DecisionRequest, *, form: AwardForm, decision_id: str, issuer: str, candidates: Sequence[Candidate]
) -> AwardDecided:
    """The award the decision makes, as the `award.decided` event announces it."""
    round_ = act_round(request.period, candidates)
    return AwardDecided(
        decision_id=decision_id,
        award_form=form.code,
        period=request.period,
        round=announced_round(round_, request.period),
        level="commune",
        number=request.number,
        signed_on=request.signed_on,
        issuer=issuer,
        recipients=recipients_of(candidates),
        ad_hoc=round_ == "ad_hoc",
    )


def _decision(
    request: DecisionRequest,
    scope: Scope,
    decision_id: str,
    *,
    issuer: str,
    candidates: Sequence[Candidate],
    by: Principal,
    at: datetime,
) -> Decision:
    """The decision as it is kept, its audit trail opened by the chairman's decision."""
    ids = [c["_id"] for c in candidates]
    return {
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
        "round": act_round(request.period, candidates),
        "recipients": recipient_rows(candidates),
        "created_at": at,
        "created_by": by.user_id,
        "audit": [audit(by.user_id, "decided", at, number=request.number, recipients=ids)],
    }


async def apply_award(*, repos: Repositories, scope: Scope, decided: AwardDecided, actor: str) -> None:
    """Write the award into each recipient's history and mark the candidate awarded; for a commune decision, record
    its payment out of the commune's fund. Safe to repeat; an award whose decision or proposal does not hold the
    candidate's claim writes nothing."""
    at = now()
    claimed_by: tuple[ClaimField, str] = (
        ("proposal_id", decided.proposal_id) if decided.proposal_id else ("decision_id", decided.decision_id)
    )
    for recipient in decided.recipients:
        candidate = await repos.candidates.get(scope, recipient.candidate_id)
        if candidate is None or candidate.get(claimed_by[0]) != claimed_by[1]:
            continue
        ad_hoc = AdHocAward(candidate["_id"], candidate["ad_hoc"]["achievement"]) if "ad_hoc" in candidate else None
        entry = _history_entry(scope, decided, recipient, actor=actor, ad_hoc=ad_hoc)
        await repos.history.add(entry)
        await move_candidate(
            repos=repos, scope=scope, candidate_id=recipient.candidate_id, status="awarded", actor=actor, at=at,
            expect=AWARDABLE, claimed_by=claimed_by, decision=entry["decision"],
        )  # fmt: skip
    await _pay(repos=repos, scope=scope, decided=decided, actor=actor)


def _history_entry(
    scope: Scope, decided: AwardDecided, recipient: AwardRecipient, *, actor: str, ad_hoc: AdHocAward | None
) -> HistoryEntry:
    """The recipient's award as the history keeps it."""
    return history_entry(
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
        ad_hoc=ad_hoc,
    )


async def _pay(*, repos: Repositories, scope: Scope, decided: AwardDecided, actor: str) -> None:
    """Record the payment of a commune decision out of the commune's fund, if it is not recorded yet (a province's
    or the central level's award is not paid by the commune's fund)."""
    if decided.level != "commune" or decided.proposal_id:
        return
    decision = await repos.decisions.get(scope, decided.decision_id)
    if decision is not None:
        await record_payment(repos=repos, scope=scope, decision=decision, actor=actor)
