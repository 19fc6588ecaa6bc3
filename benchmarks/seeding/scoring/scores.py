"""Seeds one dossier version's scoring documents as the worker and the council leave them: the provisional score,
its return, the assignments with their slots, each reviewer's assessments and the final score."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from benchmarks.seeding.plan import PROVINCE, Dossier
from benchmarks.seeding.scoring.common import OFFICER, _entrant, _event_id, _person, _revised
from scoring.domain.aggregates import Score
from scoring.domain.assessment import final_breakdown
from scoring.domain.rules import score_submission
from scoring.repository import version_id
from scoring.service.assignment import new_assignment
from submissions.domain.defaults import default_criteria_set
from thidua_contracts.submissions import CriterionEvidence, SubmissionReturned, SubmissionSubmitted
from thidua_platform.audit import entry, event_actor, from_event
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


def _score(dossier: Dossier, version: int, evidence: tuple[CriterionEvidence, ...], at: datetime) -> Document:
    """What `provisional.score_submitted` stores for one submitted version."""
    content = default_criteria_set(dossier.entrant.target_group)
    # the event carries the maximum as a float (100.0), as every stored score has it
    breakdown = score_submission(evidence, max_total=float(content.max_total), policy=content.policy)
    event = _event_id(dossier, version, "submitted")
    computed = from_event(
        event,
        SubmissionSubmitted.event_type if version == 1 else "thidua.submissions.submission.resubmitted.v1",
        "computed",
        at,
        status="submitted",
        total=breakdown.total,
        grade=breakdown.grade,
    )
    document = {
        "_id": version_id(dossier.id, version),
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "submission_id": dossier.id,
        "submission_version": version,
        "period": dossier.period,
        "entrant": _entrant(dossier).model_dump(),
        "submitted_by": dossier.submitted_by,
        "total": breakdown.total,
        "max_total": breakdown.max_total,
        "grade": breakdown.grade,
        "criteria": [c.model_dump() for c in breakdown.criteria],
        "evidence": [c.model_dump() for c in evidence],
        "policy": content.policy.model_dump(),
        "status": "submitted",
        "computed_at": at,
        "caused_by": event,
    }
    return _revised(document, [computed])


def _returned(score: Document, dossier: Dossier, at: datetime) -> Document:
    """`provisional.follow_status` after the officer returned the version for correction."""
    returned = from_event(
        _event_id(dossier, score["submission_version"], "returned"),
        SubmissionReturned.event_type,
        "returned",
        at,
        status="returned",
        by=OFFICER,
    )
    return _revised({**score, "status": "returned"}, [*score["audit"], returned])


def _assignment(score: Document, reviewer: str, at: datetime) -> Document:
    """What `assignment.assign` adds, on the worker's `submission.submitted`: pending."""
    document = new_assignment(cast(Score, score), reviewer, actor=event_actor(score["caused_by"]), at=at)
    return _revised(cast(Document, document), document["audit"])


def _done(assignment: Document, at: datetime) -> Document:
    """`assignment.set_status` once the reviewer has assessed every criterion."""
    done = entry(_person(assignment["reviewer"]), "done", at)
    return _revised({**assignment, "status": "done", "done_at": at}, [*assignment["audit"], done])


def _closed(assignment: Document, cause: str, at: datetime) -> Document:
    """`finalisation.close_assignments` when the version was returned before it was reviewed."""
    closed = entry(event_actor(cause), "closed", at)
    return _revised({**assignment, "status": "closed"}, [*assignment["audit"], closed])


def _slots(dossier: Dossier, assignments: Sequence[Document]) -> list[Document]:
    """`AssignmentRepository._slot`: the dossier's assignments, numbered in the order they were made."""
    return [
        {"_id": f"{dossier.id}#{number}", "assignment_id": a["_id"], "tenant": a["tenant"], "province": a["province"]}
        for number, a in enumerate(assignments, start=1)
    ]


def _assessment(
    score: Document, reviewer: str, code: str, points: float, comment: str | None, at: datetime
) -> Document:
    """What `reviews.assess` adds for one criterion of one reviewer."""
    document = {
        "_id": f"{score['_id']}:{reviewer}:{code}",
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "reviewer": reviewer,
        "criterion": code,
        "points": points,
        "comment": comment,
        "updated_at": at,
    }
    return _revised(document, [entry(_person(reviewer), "assessed", at, criterion=code, points=points)])


def _final(score: Document, dossier: Dossier, reviews: dict[str, list[float]], actor: str, at: datetime) -> Document:
    """What `finalisation.finalise` stores when every review is in, with the plan's total and grade."""
    evidence = [CriterionEvidence.model_validate(c) for c in score["evidence"]]
    content = default_criteria_set(dossier.entrant.target_group)
    breakdown = final_breakdown(evidence, reviews, max_total=score["max_total"], policy=content.policy)
    document = {
        "_id": score["_id"],
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "period": score["period"],
        "entrant": score["entrant"],
        "submitted_by": score["submitted_by"],
        "total": dossier.total,
        "max_total": breakdown.max_total,
        "grade": dossier.grade,
        "criteria": [c.model_dump() for c in breakdown.criteria],
        "reason": "all_reviews_in",
        "finalised_at": at,
    }
    return _revised(
        document, [{"at": at, "actor": actor, "action": "finalised", "changes": {"reason": "all_reviews_in"}}]
    )


def _finalised_event(final: Document) -> str:
    """The id `finalise` gives its `score.finalised` event: the cause of the index computed after it."""
    return str(derived_id(final["submission_id"], final["submission_version"], "score.finalised"))
