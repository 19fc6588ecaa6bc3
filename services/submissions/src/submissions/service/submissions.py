"""Submissions (hồ sơ thi đua): create, report evidence, submit, return for correction, resubmit, withdraw."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from submissions.domain.aggregates import AuditEntry, CompletenessCheck, CorrectionReason, Submission
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.domain.periods import PeriodClosed, require_open
from submissions.domain.submission import (
    EvidenceInput,
    EvidenceRefused,
    NewSubmission,
    ReturnRequest,
    SubmissionStatus,
    TransitionRefused,
    WithdrawRequest,
    check_evidence,
    missing_evidence,
    next_status,
    require_editable,
)
from submissions.repository import Repositories
from submissions.service import campaigns, criteria_sets
from submissions.service.access import Actor
from submissions.service.entrants import get_entrant
from submissions.service.registrations import entrant_snapshot
from thidua_contracts.submissions import (
    CriterionEvidence,
    ReturnReason,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry, now
from thidua_platform.envelope import Envelope, EventData, derived_id, new_event
from thidua_platform.idempotency import Idempotency
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.text import STORED

SOURCE = "thidua/submissions"


def active_key(tenant: str, entrant_id: str, period: str) -> str:
    """Unique while the dossier is active: one active dossier per entrant and period."""
    return f"{tenant}|{entrant_id}|{period}"


async def create_submission(
    *, repos: Repositories, actor: Actor, request: NewSubmission, key: Idempotency
) -> tuple[Submission, bool]:
    entrant = await get_entrant(repos=repos, actor=actor, entrant_id=request.entrant_id)
    campaign, period = await campaigns.campaign_for_period(repos=repos, scope=actor.scope, period=request.period)
    _require_window(period, now())
    criteria_set = await criteria_sets.current_set(
        repos=repos, scope=actor.scope, campaign=campaign, period=request.period, group=entrant["target_group"]
    )
    at = now()
    submission: Submission = {
        "_id": key.resource_id,
        "tenant": actor.scope.commune,
        "province": actor.scope.province_code,
        "campaign_id": campaign["_id"],
        "period": request.period,
        "entrant": entrant_snapshot(entrant),
        "criteria_set": {"id": criteria_set["_id"], "version": criteria_set["version"]},
        "evidence": {},
        "themes": [],
        "status": SubmissionStatus.DRAFT.value,
        "version": 0,
        "active_key": active_key(actor.scope.commune, entrant["_id"], request.period),
        "return_reasons": [],
        "created_by": actor.user,
        "created_at": at,
        "updated_at": at,
        "audit": [entry(actor.user, "created", at, status="draft", period=request.period, entrant=entrant["_id"])],
    }
    if key.keyed:  # key.stamp()
        submission["idempotency_fingerprint"] = key.fingerprint
    if await repos.submissions.add(submission):
        await repos.criteria_sets.freeze(actor.scope, criteria_set["_id"], actor=actor.user, at=at)
        return await get_submission(repos=repos, actor=actor, submission_id=key.resource_id), True
    existing = await repos.submissions.get(actor.scope, key.resource_id)
    if key.keyed and existing is not None:
        key.check_replay(dict(existing))
        return await get_submission(repos=repos, actor=actor, submission_id=key.resource_id), False
    raise Conflict(
        f"«{entrant['name']}» đã có hồ sơ đang xử lý cho kỳ {request.period} / "
        f"{entrant['name']} already has an active submission for {request.period}"
    )


def _require_window(period: Any, at: Any) -> None:
    try:
        require_open(period, at)
    except PeriodClosed as exc:
        raise Unprocessable(
            str(exc), errors=[{"field": "period", "message": "ngoài thời gian của kỳ / outside the period's window"}]
        ) from exc


async def get_submission(*, repos: Repositories, actor: Actor, submission_id: str) -> Submission:
    document = await repos.submissions.visible(actor.scope, submission_id, entrants=actor.own_entrants)
    if document is None:
        raise NotFound(f"Không có hồ sơ {submission_id} / No submission {submission_id}")
    return document


async def list_submissions(
    *,
    repos: Repositories,
    actor: Actor,
    period: str | None,
    group: str | None,
    theme: int | None,
    status: str | None,
    entrant: str | None,
    paging: PageRequest,
) -> tuple[list[Submission], int]:
    return await repos.submissions.listed(
        actor.scope,
        entrants=actor.own_entrants,
        period=period,
        group=group,
        theme=theme,
        status=status,
        entrant=entrant,
        skip=paging.skip,
        limit=paging.page_size,
    )


async def criteria_of(*, repos: Repositories, actor: Actor, submission: Submission) -> CriteriaSetContent:
    found = await repos.criteria_sets.get(actor.scope, submission["criteria_set"]["id"])
    if found is None:
        raise NotFound("Không tìm thấy bộ tiêu chí của hồ sơ / The submission's criteria set is missing")
    return CriteriaSetContent.model_validate(found["content"], context=STORED)


def entrant_of(submission: Submission) -> EntrantRef:
    """The entrant as the dossier keeps it, its name as stored (thidua_platform.text)."""
    return EntrantRef.model_validate(submission["entrant"], context=STORED)


def criterion_in(content: CriteriaSetContent, code: str) -> Criterion:
    for criterion in content.criteria:
        if criterion.code == code:
            return criterion
    raise NotFound(f"Bộ tiêu chí không có tiêu chí {code} / The criteria set has no criterion {code}")


async def _saved(repos: Repositories, actor: Actor, submission_id: str, saved: bool) -> Submission:
    """The dossier as the change left it; 409 if it was not `saved` (someone changed it since it was read)."""
    if not saved:
        raise Conflict("Hồ sơ vừa được thay đổi, hãy tải lại / The submission changed meanwhile, reload it")
    return await get_submission(repos=repos, actor=actor, submission_id=submission_id)


async def report_evidence(
    *, repos: Repositories, actor: Actor, submission_id: str, code: str, evidence: EvidenceInput
) -> Submission:
    """Evidence of one criterion. Writes to other criteria commute with it, so a concurrent change is not a
    conflict: the change is rebuilt on the newer revision (a few times, then 409)."""
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    criterion = criterion_in(await criteria_of(repos=repos, actor=actor, submission=submission), code)
    try:
        check_evidence(criterion, evidence)
    except EvidenceRefused as exc:
        raise Unprocessable(exc.message, errors=[{"field": exc.field, "message": exc.message}]) from exc
    given = evidence.model_dump(exclude_none=True)
    await repos.submissions.report(
        actor.scope,
        submission_id,
        criterion=code,
        theme=criterion.theme,
        evidence=given,
        check=ensure_editable,
        audit=lambda at: entry(actor.user, "evidence_reported", at, criterion=code, **given),
    )
    return await get_submission(repos=repos, actor=actor, submission_id=submission_id)


def ensure_editable(submission: Submission) -> None:
    try:
        require_editable(SubmissionStatus(submission["status"]))
    except TransitionRefused as exc:
        raise Conflict(str(exc)) from exc


def _next(action: Any, submission: Submission) -> SubmissionStatus:
    try:
        return next_status(action, SubmissionStatus(submission["status"]))
    except TransitionRefused as exc:
        raise Conflict(str(exc)) from exc


def evidence_for_scoring(
    content: CriteriaSetContent, evidence: Mapping[str, Mapping[str, Any]], targets: dict[str, float]
) -> tuple[CriterionEvidence, ...]:
    """What scoring needs per criterion: the rule, the target (the entrant's own if registered), the evidence (a
    dossier's, or what the province benchmark's seeder reports, benchmarks/seeding/scoring.py)."""
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


async def submit(*, repos: Repositories, actor: Actor, submission_id: str) -> Submission:
    """draft → submitted, returned → resubmitted; inside the period's window; the event leaves through the outbox."""
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    status = _next("submit", submission)
    campaign = await campaigns.get_campaign(repos=repos, scope=actor.scope, campaign_id=submission["campaign_id"])
    _require_window(campaigns.period_of(campaign, submission["period"]), now())
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


async def audit_trail(*, repos: Repositories, actor: Actor, submission_id: str) -> list[AuditEntry]:
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    return submission.get("audit", [])
