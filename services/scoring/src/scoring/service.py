"""Use cases of the scoring service."""

from __future__ import annotations

from datetime import UTC, datetime

from scoring.domain.rules import score_submission
from scoring.repository import ScoreRepository
from thidua_shared.events import Envelope, ScoreComputed, SubmissionSubmitted, derived_id, new_event
from thidua_shared.mongo import Document
from thidua_shared.problems import NotFound
from thidua_shared.telemetry import current_traceparent
from thidua_shared.tenancy import Scope

SOURCE = "thidua/scoring"


async def score_submitted(*, repository: ScoreRepository, envelope: Envelope) -> bool:
    """Score one submitted version. Idempotent: the score's id and its event's id derive from the input."""
    submitted = envelope.payload(SubmissionSubmitted)
    breakdown = score_submission(submitted.criteria, max_total=submitted.max_total)
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
        traceparent=current_traceparent(),
    )
    document: Document = {
        "_id": f"{submitted.submission_id}:{submitted.version}",
        "tenant": envelope.tenant,
        "province": envelope.province,
        "submission_id": submitted.submission_id,
        "submission_version": submitted.version,
        "period": submitted.period,
        "entrant": submitted.entrant.model_dump(),
        "total": breakdown.total,
        "max_total": breakdown.max_total,
        "grade": breakdown.grade,
        "criteria": [c.model_dump() for c in breakdown.criteria],
        "computed_at": datetime.now(UTC),
        "caused_by": str(envelope.id),
    }
    return await repository.add(document, [event])


async def score_of(*, repository: ScoreRepository, scope: Scope, submission_id: str) -> Document:
    document = await repository.latest(scope, submission_id)
    if document is None:
        raise NotFound(f"Chưa có điểm cho hồ sơ {submission_id} / No score yet for {submission_id}")
    return document
