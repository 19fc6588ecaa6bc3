"""The chairman's proposal letter (tờ trình) sending candidates for a higher form to the province."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import Field

from awards.domain.aggregates import Candidate, Proposal
from awards.domain.catalogue import AwardForm, FormCode
from awards.repository import Repositories
from awards.service.acts import Signed, act_round, recipient_rows, recipients_of, replay, take_candidates
from awards.service.common import event, field_error, form_or_422, found
from thidua_contracts.awards import AwardProposalSubmitted
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, derived_id
from thidua_platform.tenancy import Scope
from thidua_platform.text import ShortText


class ProposalRequest(Signed):
    """The proposal letter (tờ trình) sending candidates for a higher form to the province."""

    award_form: FormCode
    period: str = Field(pattern=PERIOD_CODE_PATTERN)
    candidate_ids: tuple[str, ...] = Field(min_length=1, max_length=500)
    addressee: ShortText = "Chủ tịch Ủy ban nhân dân tỉnh (qua Sở Nội vụ)"


async def propose(
    *, repos: Repositories, principal: Principal, scope: Scope, request: ProposalRequest
) -> tuple[Proposal, bool]:
    """The chairman's proposal of a higher form. Returns the proposal and whether it was new (a replay of the same
    proposal returns it unchanged)."""
    form = _proposed_upward(request.award_form)
    proposal_id = str(derived_id("proposal", scope.tenant, request.number))
    existing = await repos.proposals.get(scope, proposal_id)
    if existing is not None:
        return replay(existing, request), False
    candidates = await take_candidates(
        repos=repos, scope=scope, request=request, field="proposal_id", claim_id=proposal_id,
        move=("eligible_upward", "proposed_to_province"), actor=principal.user_id,
    )  # fmt: skip
    at = now()
    submitted = _submitted(request, scope, proposal_id, form=form, candidates=candidates, by=principal)
    document = _proposal(request, scope, proposal_id, form=form, candidates=candidates, by=principal, at=at)
    if not await repos.proposals.add(document, [submitted]):
        raced = found(await repos.proposals.get(scope, proposal_id), "tờ trình / proposal")
        return replay(raced, request), False
    return document, True


def _proposed_upward(code: str) -> AwardForm:
    """The form, if a level above the commune decides it (422 for a commune form: it is decided here)."""
    form = form_or_422(code)
    if not form.proposed_upward:
        raise field_error(
            "award_form",
            "hình thức cấp xã: ra quyết định / a commune form: decide it",
            f"{form.name} do xã quyết định / decided here",
        )
    return form


def _submitted(
    request: ProposalRequest,
    scope: Scope,
    proposal_id: str,
    *,
    form: AwardForm,
    candidates: Sequence[Candidate],
    by: Principal,
) -> Envelope:
    """The `award.proposal_submitted` event announcing the proposal to the province."""
    return event(
        AwardProposalSubmitted(
            proposal_id=proposal_id,
            award_form=form.code,
            period=request.period,
            number=request.number,
            recipients=recipients_of(candidates),
            proposed_by=by.user_id,
        ),
        scope=scope,
        subject=proposal_id,
    )


def _proposal(
    request: ProposalRequest,
    scope: Scope,
    proposal_id: str,
    *,
    form: AwardForm,
    candidates: Sequence[Candidate],
    by: Principal,
    at: datetime,
) -> Proposal:
    """The proposal as it is kept, submitted to the province, its audit trail opened by the submission."""
    ids = [c["_id"] for c in candidates]
    return {
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
        "round": act_round(request.period, candidates),
        "level": form.level,
        "status": "submitted_to_province",
        "recipients": recipient_rows(candidates),
        "created_at": at,
        "created_by": by.user_id,
        "audit": [audit(by.user_id, "submitted_to_province", at, number=request.number, recipients=ids)],
    }
