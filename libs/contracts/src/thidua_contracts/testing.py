"""Builders of events for tests, with sensible Vietnamese defaults. Imported by tests only."""

from __future__ import annotations

from typing import Any

from thidua_contracts.scoring import ScoreComputed, ScoreFinalised
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import Envelope, EventData, new_event

LIEN_MINH = "ph-37-lien-minh"


def entrant(**overrides: Any) -> EntrantRef:
    return EntrantRef.model_validate(
        {"id": "e-1", "name": "Thôn Đông Hưng", "kind": "collective", "target_group": "a"} | overrides
    )


def submission_submitted(submission_id: str = "s-1", **overrides: Any) -> SubmissionSubmitted:
    fields: dict[str, Any] = {
        "submission_id": submission_id,
        "version": 1,
        "period": "2025",
        "entrant": entrant(),
        "submitted_by": "u-1",
        "criteria": (),
    }
    return SubmissionSubmitted.model_validate(fields | overrides)


def score_computed(submission_id: str = "s-1", **overrides: Any) -> ScoreComputed:
    fields: dict[str, Any] = {
        "submission_id": submission_id,
        "submission_version": 1,
        "period": "2025",
        "entrant": entrant(),
        "submitted_by": "u-1",
        "total": 86.5,
        "max_total": 100,
        "grade": "Tốt",
        "criteria": (),
    }
    return ScoreComputed.model_validate(fields | overrides)


def score_finalised(submission_id: str = "s-1", **overrides: Any) -> ScoreFinalised:
    fields = score_computed(submission_id).model_dump() | {"reason": "all_reviews_in"}
    return ScoreFinalised.model_validate(fields | overrides)


def envelope_of(data: EventData, *, tenant: str = LIEN_MINH, province: str = "37") -> Envelope:
    subject = str(getattr(data, "submission_id", "subject"))
    return new_event(data, source="tests", subject=subject, tenant=tenant, province=province)
