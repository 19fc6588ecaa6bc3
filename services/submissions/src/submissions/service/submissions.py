"""Submissions (hồ sơ thi đua): create, read, list, report evidence; the audit trail.

A dossier's moves once filed (submit, resubmit, return for correction, withdraw, the completeness check) are in
`submission_lifecycle`.
"""

from __future__ import annotations

from typing import Any

from submissions.domain.aggregates import AuditEntry, Submission
from submissions.domain.criteria import CriteriaSetContent, Criterion
from submissions.domain.lifecycle import SubmissionStatus, TransitionRefused, require_editable
from submissions.domain.periods import PeriodClosed, require_open
from submissions.domain.submission import EvidenceInput, EvidenceRefused, NewSubmission, check_evidence
from submissions.repository import Repositories
from submissions.service import campaigns, criteria_sets
from submissions.service.access import Actor
from submissions.service.entrants import get_entrant
from submissions.service.registrations import entrant_snapshot
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry, now
from thidua_platform.idempotency import Idempotency
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Conflict, NotFound, Unprocessable
from thidua_platform.text import STORED


def active_key(tenant: str, entrant_id: str, period: str) -> str:
    """Unique while the dossier is active: one active dossier per entrant and period."""
    return f"{tenant}|{entrant_id}|{period}"


async def create_submission(
    *, repos: Repositories, actor: Actor, request: NewSubmission, key: Idempotency
) -> tuple[Submission, bool]:
    entrant = await get_entrant(repos=repos, actor=actor, entrant_id=request.entrant_id)
    campaign, period = await campaigns.campaign_for_period(repos=repos, scope=actor.scope, period=request.period)
    require_window(period, now())
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


def require_window(period: Any, at: Any) -> None:
    """422 outside the period's window (a dossier is created and submitted within it)."""
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


async def audit_trail(*, repos: Repositories, actor: Actor, submission_id: str) -> list[AuditEntry]:
    submission = await get_submission(repos=repos, actor=actor, submission_id=submission_id)
    return submission.get("audit", [])
