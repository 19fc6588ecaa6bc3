"""Seeds one dossier's notices: to the submitter when it is submitted, returned, resubmitted and scored, to each
council member when it is assigned (with the open review that assessments close and the reminder sweep reminds),
and of its award candidacy."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from benchmarks.seeding.notifications.common import (
    ASSESSED,
    MAX_TOTAL,
    REMINDER_DAYS,
    RETURN_REASON,
    _event,
    _notice,
    closes_at,
    nonce,
)
from benchmarks.seeding.notifications.deliveries import Pipeline
from benchmarks.seeding.notifications.recipients import Cast
from benchmarks.seeding.plan import PROVINCE, Dossier
from notifications.adapters.directory import Person
from notifications.domain.notices import Notice, form_names
from thidua_contracts.awards import AwardCandidateProposed
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import SubmissionResubmitted, SubmissionReturned, SubmissionSubmitted
from thidua_platform.audit import entry, from_event, system_actor
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


def _submission_notices(dossier: Dossier) -> list[tuple[Notice, datetime]]:
    """The submitter's notices of filing: submitted, then (when returned) returned and perhaps resubmitted."""
    assert dossier.submitted_at is not None
    entrant, period, at = dossier.entrant.name, dossier.period, dossier.submitted_at
    first = {"entrant": entrant, "period": period, "version": 1}
    made = [(_notice("submission_submitted", first, _event(dossier.id, "submitted", 1), SubmissionSubmitted), at)]
    if dossier.stage == "returned" or dossier.version > 1:
        reasons = [{"code": ASSESSED[dossier.entrant.target_group][0], "reason": RETURN_REASON}]
        cause = _event(dossier.id, "returned", 1)
        facts = {**first, "reasons": reasons}
        made.append((_notice("submission_returned", facts, cause, SubmissionReturned), at + timedelta(days=3)))
    if dossier.version > 1:
        again = {**first, "version": dossier.version}
        cause = _event(dossier.id, "resubmitted", dossier.version)
        made.append((_notice("submission_resubmitted", again, cause, SubmissionResubmitted), at + timedelta(days=8)))
    return made


def last_filed(dossier: Dossier) -> datetime:
    assert dossier.submitted_at is not None
    return dossier.submitted_at + timedelta(days=8 if dossier.version > 1 else 0)


def review(
    dossier: Dossier, reviewer: str, criteria: tuple[str, ...], assessed: int, now: datetime
) -> tuple[Document, datetime | None]:
    """The review reminders.review_assigned keeps, moved by each assessment (one revision each) and, when open as
    its period closes, by the reminder sweep; with when it was reminded (None: not)."""
    assignment = f"{dossier.id}:{dossier.version}:{reviewer}"
    assigned_at = last_filed(dossier) + timedelta(days=1)
    event = derived_id(assignment, "review.assigned")
    audit = [from_event(event, ReviewAssigned.event_type, "assigned", assigned_at, status="open")]
    done = assessed >= len(criteria)
    for index, criterion in enumerate(criteria[:assessed]):
        status = "done" if index == len(criteria) - 1 else "open"
        at = assigned_at + timedelta(days=1 + index, hours=2)
        cause = _event(assignment, "assessed", criterion)
        audit.append(
            from_event(cause, AssessmentRecorded.event_type, "assessed", at, criterion=criterion, status=status)
        )
    document: Document = {
        "_id": f"review:{assignment}",
        "kind": "review",
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "reviewer": reviewer,
        "submission_id": dossier.id,
        "submission_version": dossier.version,
        "period": dossier.period,
        "entrant": dossier.entrant.name,
        "criteria": list(criteria),
        "assessed": sorted(criteria[:assessed]),
        "status": "done" if done else "open",
        "reminded": False,
        "audit": audit,
        "revision": len(audit),
        "applied_changes": [nonce(f"review:{assignment}", r) for r in range(2, len(audit) + 1)],
    }
    closes = closes_at(dossier.period, dossier.year)
    remind_at = max(closes - timedelta(days=REMINDER_DAYS), assigned_at + timedelta(minutes=1))
    if done or remind_at >= closes or remind_at > now:
        return document, None
    # the sweep's plain update_one: a revision without a change-log nonce
    document["audit"].append(entry(system_actor("reminders"), "reminded", remind_at, reminded=True))
    document.update(reminded=True, revision=document["revision"] + 1)
    return document, remind_at


def seed_dossier(pipeline: Pipeline, cast: Cast, dossier: Dossier, criteria: tuple[str, ...]) -> None:
    if dossier.submitted_at is None:
        return  # a draft: nobody has been told anything
    submitter = [cast.submitter] if cast.submitter else []
    for notice, at in _submission_notices(dossier):
        pipeline.tell(notice, submitter, dossier.id, at)
    if not dossier.scored:
        return
    rng = random.Random(dossier.id)  # noqa: S311 (not security)
    for reviewer in cast.reviewers(dossier):
        assessed = len(criteria) if dossier.stage == "final" else rng.randrange(0, len(criteria) + 1)
        document, reminded = review(dossier, reviewer, criteria, assessed, pipeline.now)
        pipeline.out.reviews.append(document)
        facts = {"period": dossier.period, "entrant": dossier.entrant.name, "criteria": list(criteria)}
        event = str(derived_id(document["_id"].removeprefix("review:"), "review.assigned"))
        assigned = _notice("review_assigned", {**facts, "submission_id": dossier.id}, event, ReviewAssigned)
        pipeline.tell(assigned, cast.member(reviewer), dossier.id, document["audit"][0]["at"])
        if reminded is not None:
            closes = closes_at(dossier.period, dossier.year).isoformat()
            facts = {**facts, "submission_id": dossier.id, "closes_at": closes}
            notice = Notice("review_reminder", (), facts, f"reminder:{document['_id']}")
            pipeline.tell(notice, cast.member(reviewer), dossier.id, reminded)
    if dossier.stage == "final":
        seed_final(pipeline, submitter, dossier, criteria)


def finalised_at(dossier: Dossier, criteria: tuple[str, ...]) -> datetime:
    return last_filed(dossier) + timedelta(days=2 + len(criteria), hours=3)


def seed_final(pipeline: Pipeline, submitter: list[Person], dossier: Dossier, criteria: tuple[str, ...]) -> None:
    """The score (score.finalised: every review in) and, for an awarded dossier, its candidacy (awards' intake)."""
    at = finalised_at(dossier, criteria)
    finalised = derived_id(dossier.id, dossier.version, "score.finalised")
    facts = {
        "entrant": dossier.entrant.name,
        "period": dossier.period,
        "total": dossier.total,
        "max_total": MAX_TOTAL,
        "grade": dossier.grade,
    }
    pipeline.tell(_notice("submission_scored", facts, str(finalised), ScoreFinalised), submitter, dossier.id, at)
    if dossier.award is None:
        return
    round_ = (
        "so_ket" if dossier.period.startswith("so-ket") else "tong_ket" if "tong-ket" in dossier.period else "yearly"
    )
    cause = str(derived_id(finalised, "candidate.proposed", dossier.award, round_))
    facts = {"entrant": dossier.entrant.name, "period": dossier.period, **form_names(dossier.award)}
    candidate = _notice("award_candidate", facts, cause, AwardCandidateProposed)
    pipeline.tell(candidate, submitter, dossier.id, at + timedelta(seconds=1))
