"""A dossier's moves once filed (submit, resubmit, return for correction, withdraw) and the officer's completeness
check; each move's event leaves through the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from submissions.domain.aggregates import CompletenessCheck, CorrectionReason, Submission
from submissions.domain.criteria import CriteriaSetContent
from submissions.domain.lifecycle import SubmissionStatus, TransitionRefused, next_status
from submissions.domain.submission import ReturnRequest, WithdrawRequest, missing_evidence
from submissions.repository import Repositories
from submissions.service import campaigns, criteria_sets
from submissions.service.access import Actor
from submissions.service.submissions import criteria_of, criterion_in, entrant_of, get_submission, require_window
from thidua_contracts.submissions import (
    CriterionEvidence,
    ReturnReason,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_platform.audit import entry, now
from thidua_platform.envelope import Envelope, EventData, derived_id, new_event
from thidua_platform.problems import Conflict

SOURCE = "thidua/submissions"


async def submit(*, repos: Repositories, actor: Actor, submission_id: str) -> Submission:
    """draft → submitted, returned → resubmitted; inside the period's window; the event leaves through the outbox."""
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    status = _next("submit", submission)
    campaign = await campaigns.get_campaign(repos=repos, scope=actor.scope, campaign_id=submission["campaign_id"])
    require_window(campaigns.period_of(campaign, submission["period"]), now())
    content = await criteria_of(repos=repos, actor=actor, submission=submission)
    registration_id = str(
        derived_id("registration", actor.scope.tenant, submission["period"], submission["entrant"]["id"])
    )
    registration = await repos.registrations.get(actor.scope, registration_id)
    version = submission["version"] + 1
    event_type = SubmissionSubmitted if status is SubmissionStatus.SUBMITTED else SubmissionResubmitted
    data = event_type(
        submission_id=submission_id,
        version=version,
        period=submission["period"],
        entrant=entrant_of(submission),
        submitted_by=actor.user,
        max_total=content.max_total,
        criteria=evidence_for_scoring(
            content, submission["evidence"], registration.get("targets", {}) if registration else {}
        ),
        criteria_set_id=submission["criteria_set"]["id"],
        criteria_set_version=submission["criteria_set"]["version"],
        policy=content.policy,
    )
    at = now()
    saved = await repos.submissions.mark_submitted(
        actor.scope,
        submission_id,
        revision=submission["revision"],
        status=status.value,
        version=version,
        by=actor.user,
        audit=entry(actor.user, status.value, at, status=status.value, version=version),
        events=[_event(data, submission)],
    )
    return await _saved(repos, actor, submission_id, saved)


def evidence_for_scoring(
    content: CriteriaSetContent, evidence: Mapping[str, Mapping[str, Any]], targets: dict[str, float]
) -> tuple[CriterionEvidence, ...]:
    """What scoring needs per criterion: the rule, the target (the entrant's own if registered), the evidence (a
    dossier's, or what the province benchmark's seeder reports, benchmarks/seeding/scoring/)."""
    carried = []
    for criterion in content.criteria:
        base = criteria_sets.evidence_of(criterion)
        given = evidence.get(criterion.code, {})
        carried.append(
            base.model_copy(
                update={
                    "target": targets.get(criterion.code, base.target),
                    "value": given.get("value"),
                    "level": given.get("level"),
                    "occurrences": given.get("occurrences"),
                    "self_points": given.get("self_points"),
                    "narrative": given.get("narrative"),
                    "attachments": tuple(given.get("attachments", [])),
                }
            )
        )
    return tuple(carried)


def _event(data: EventData, submission: Submission) -> Envelope:
    return new_event(
        data,
        source=SOURCE,
        subject=submission["_id"],
        tenant=submission["tenant"],
        province=submission["province"],
    )


async def return_for_correction(
    *, repos: Repositories, actor: Actor, submission_id: str, request: ReturnRequest
) -> Submission:
    """The commune officer sends a submitted dossier back, with a reason per criterion (or a general one)."""
    actor.require_officer()
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    status = _next("return", submission)
    content = await criteria_of(repos=repos, actor=actor, submission=submission)
    for reason in request.reasons:
        if reason.code is not None:
            criterion_in(content, reason.code)
    reasons: list[CorrectionReason] = [{"code": r.code, "reason": r.reason} for r in request.reasons]
    data = SubmissionReturned(
        submission_id=submission_id,
        version=submission["version"],
        period=submission["period"],
        entrant=entrant_of(submission),
        submitted_by=submission["submitted_by"],
        returned_by=actor.user,
        reasons=tuple(ReturnReason(**r) for r in reasons),
    )
    at = now()
    saved = await repos.submissions.mark_returned(
        actor.scope,
        submission_id,
        revision=submission["revision"],
        status=status.value,
        reasons=reasons,
        audit=entry(actor.user, "returned", at, status=status.value, reasons=reasons),
        events=[_event(data, submission)],
    )
    return await _saved(repos, actor, submission_id, saved)


async def withdraw(*, repos: Repositories, actor: Actor, submission_id: str, request: WithdrawRequest) -> Submission:
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    status = _next("withdraw", submission)
    data = SubmissionWithdrawn(
        submission_id=submission_id,
        version=submission["version"],
        period=submission["period"],
        entrant=entrant_of(submission),
        withdrawn_by=actor.user,
        submitted_by=submission.get("submitted_by"),
    )
    at = now()
    saved = await repos.submissions.mark_withdrawn(
        actor.scope,
        submission_id,
        revision=submission["revision"],
        status=status.value,
        audit=entry(actor.user, "withdrawn", at, status=status.value, reason=request.reason),
        events=[_event(data, submission)] if submission["version"] > 0 else [],  # a draft never left the commune
    )
    return await _saved(repos, actor, submission_id, saved)


async def check_completeness(*, repos: Repositories, actor: Actor, submission_id: str) -> Submission:
    """The commune officer's completeness check: which criteria still lack what their rule needs."""
    actor.require_officer()
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    if submission["status"] == SubmissionStatus.WITHDRAWN.value:
        raise Conflict("Hồ sơ đã rút / The submission was withdrawn")
    content = await criteria_of(repos=repos, actor=actor, submission=submission)
    missing = missing_evidence(content.criteria, submission["evidence"])
    at = now()
    result: CompletenessCheck = {
        "complete": not missing,
        "missing": missing,
        "checked_by": actor.user,
        "checked_at": at,
    }
    saved = await repos.submissions.record_completeness(
        actor.scope,
        submission_id,
        revision=submission["revision"],
        result=result,
        audit=entry(actor.user, "completeness_checked", at, complete=not missing, missing=missing),
    )
    return await _saved(repos, actor, submission_id, saved)


def _next(action: Any, submission: Submission) -> SubmissionStatus:
    try:
        return next_status(action, SubmissionStatus(submission["status"]))
    except TransitionRefused as exc:
        raise Conflict(str(exc)) from exc


async def _saved(repos: Repositories, actor: Actor, submission_id: str, saved: bool) -> Submission:
    """The dossier as the change left it; 409 if it was not `saved` (someone changed it since it was read)."""
    if not saved:
        raise Conflict("Hồ sơ vừa được thay đổi, hãy tải lại / The submission changed meanwhile, reload it")
    return await get_submission(repos=repos, actor=actor, submission_id=submission_id)
