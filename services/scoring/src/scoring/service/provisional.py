"""Scores computed as soon as a dossier is submitted: indicator criteria by their rules, assessments pending."""

from __future__ import annotations

from scoring.domain.aggregates import Score
from scoring.domain.lifecycle import ScoreStatus, score_stays
from scoring.domain.rules import score_submission
from scoring.repository import Repositories, stored_criteria, stored_entrant, stored_evidence, stored_policy
from scoring.service import assignment, index
from scoring.service.common import SOURCE, assessment_codes, version_id
from scoring.service.finalisation import close_assignments, finalise
from thidua_contracts.scoring import ScoreComputed
from thidua_contracts.submissions import SubmissionReturned, SubmissionSubmitted, SubmissionWithdrawn
from thidua_platform.audit import event_actor, from_event, now
from thidua_platform.envelope import Envelope, derived_id, new_event
from thidua_platform.tenancy import event_scope


async def score_submitted(*, repos: Repositories, envelope: Envelope) -> None:
    """Score one submitted (or resubmitted) version, assign its reviewers, and finalise it at once when it has
    nothing for the council to assess. Every step is idempotent, so a redelivery completes what was interrupted."""
    submitted = envelope.payload(SubmissionSubmitted)
    scope = event_scope(envelope)
    actor = event_actor(envelope.id)
    breakdown = score_submission(submitted.criteria, max_total=submitted.max_total, policy=submitted.policy)
    event = new_event(
        ScoreComputed(
            submission_id=submitted.submission_id,
            submission_version=submitted.version,
            period=submitted.period,
            entrant=submitted.entrant,
            submitted_by=submitted.submitted_by,
            total=breakdown.total,
            max_total=breakdown.max_total,
            grade=breakdown.grade,
            criteria=breakdown.criteria,
        ),
        event_id=derived_id(envelope.id, "score.computed"),
        source=SOURCE,
        subject=submitted.submission_id,
        tenant=envelope.tenant,
        province=envelope.province,
    )
    document: Score = {
        "_id": version_id(submitted.submission_id, submitted.version),
        "tenant": str(envelope.tenant),  # a dossier's events always name its commune
        "province": envelope.province,
        "submission_id": submitted.submission_id,
        "submission_version": submitted.version,
        "period": submitted.period,
        "entrant": stored_entrant(submitted.entrant),
        "submitted_by": submitted.submitted_by,
        "total": breakdown.total,
        "max_total": breakdown.max_total,
        "grade": breakdown.grade,
        "criteria": stored_criteria(breakdown.criteria),
        "evidence": stored_evidence(submitted.criteria),
        "policy": stored_policy(submitted.policy),
        "status": "submitted",
        "computed_at": now(),
        "caused_by": str(envelope.id),
    }
    document["audit"] = [
        from_event(
            envelope.id,
            envelope.type,
            "computed",
            document["computed_at"],
            status="submitted",
            total=breakdown.total,
            grade=breakdown.grade,
        )
    ]
    # reviewers first: when the score becomes visible, every reviewer it names is already assigned
    if assessment_codes(document):
        await assignment.assign(repos=repos, scope=scope, score=document, actor=actor)
    await repos.scores.add(document, [event])
    await index.took_part(repos=repos, envelope=envelope, period=submitted.period)
    score = await repos.scores.get(scope, document["_id"])
    if score is None:
        return
    await assignment.supersede_older(repos=repos, scope=scope, score=score, actor=actor)
    if not assessment_codes(score):
        await finalise(
            repos=repos,
            scope=scope,
            submission_id=submitted.submission_id,
            version=submitted.version,
            reason="nothing_to_review",
            actor=actor,
        )


async def follow_status(*, repos: Repositories, envelope: Envelope) -> None:
    """A returned or withdrawn version is no longer reviewed, ranked or indexed (until it is resubmitted)."""
    change: SubmissionReturned | SubmissionWithdrawn
    status: ScoreStatus
    if envelope.type == SubmissionReturned.event_type:
        returned = envelope.payload(SubmissionReturned)
        change, status, actor = returned, "returned", returned.returned_by
    else:
        withdrawn = envelope.payload(SubmissionWithdrawn)
        change, status, actor = withdrawn, "withdrawn", withdrawn.withdrawn_by
    scope = event_scope(envelope)

    await repos.scores.mark_status(
        scope,
        version_id(change.submission_id, change.version),
        status,
        unless=score_stays(status),
        audit=lambda at: from_event(envelope.id, envelope.type, status, at, status=status, by=actor),
    )
    await close_assignments(
        repos=repos,
        scope=scope,
        submission_id=change.submission_id,
        version=change.version,
        actor=event_actor(envelope.id),
    )
    await index.mark_stale(repos=repos, envelope=envelope, period=change.period)
