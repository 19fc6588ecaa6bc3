"""Use cases of the awards service."""

from __future__ import annotations

from datetime import UTC, datetime

from awards.domain.candidacy import GIAY_KHEN_XA_YEARLY, CandidacyRule, is_candidate
from awards.repository import CandidateRepository
from thidua_shared.events import AwardCandidateProposed, Envelope, ScoreFinalised, derived_id, new_event
from thidua_shared.mongo import Document
from thidua_shared.tenancy import Scope

SOURCE = "thidua/awards"


async def evaluate_score(
    *, repository: CandidateRepository, envelope: Envelope, rule: CandidacyRule = GIAY_KHEN_XA_YEARLY
) -> bool:
    """Record whether a scored submission is a candidate; a candidate is announced with an event."""
    score = envelope.payload(ScoreFinalised)
    candidate_id = f"{score.submission_id}:{score.submission_version}:{rule.award_form}:{rule.round}"
    eligible = is_candidate(rule, total=score.total)
    events = []
    if eligible:
        events.append(
            new_event(
                AwardCandidateProposed(
                    candidate_id=candidate_id,
                    submission_id=score.submission_id,
                    submission_version=score.submission_version,
                    period=score.period,
                    entrant=score.entrant,
                    submitted_by=score.submitted_by,
                    award_form=rule.award_form,
                    round="yearly",
                    total=score.total,
                    grade=score.grade,
                ),
                event_id=derived_id(envelope.id, "candidate.proposed", rule.award_form, rule.round),
                source=SOURCE,
                subject=score.submission_id,
                tenant=envelope.tenant,
                province=envelope.province,
            )
        )
    document: Document = {
        "_id": candidate_id,
        "tenant": envelope.tenant,
        "province": envelope.province,
        "submission_id": score.submission_id,
        "submission_version": score.submission_version,
        "period": score.period,
        "entrant": score.entrant.model_dump(),
        "award_form": rule.award_form,
        "round": rule.round,
        "total": score.total,
        "grade": score.grade,
        "eligible": eligible,
        "rule": {"minimum_total": rule.minimum_total},
        "evaluated_at": datetime.now(UTC),
        "caused_by": str(envelope.id),
    }
    return await repository.add(document, events)


async def list_candidates(
    *, repository: CandidateRepository, scope: Scope, period: str | None, limit: int
) -> list[Document]:
    return await repository.list(scope, period=period, limit=limit)
