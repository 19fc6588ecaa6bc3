"""Seeds what the awards worker keeps from other services' events: the evidence of every dossier ever submitted
(`dossiers`) and the final score of every finally scored one (`scores`), with the breakdown the scoring rules give
its total."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from awards.repository import DOSSIERS, SCORES
from benchmarks.seeding.awards.common import RECORDED_AFTER, REVIEWERS, Aggregate, _finalised_at, _first_submitted
from benchmarks.seeding.plan import PROVINCE, Dossier
from benchmarks.seeding.submissions import _evidence
from scoring.domain.assessment import assessed
from scoring.domain.rules import score_criterion
from submissions.domain.defaults import default_criteria_set
from submissions.service.criteria_sets import evidence_of
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import CriterionEvidence, SubmissionResubmitted, SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import from_event
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document


@functools.cache
def _evidence_criteria(group: str) -> tuple[CriterionEvidence, ...]:
    """The group's criteria as submission events carry them (the demo's template adopts the defaults)."""
    return tuple(evidence_of(c) for c in default_criteria_set(group).criteria)


@functools.cache
def _dossier_criteria(group: str) -> list[dict[str, Any]]:
    """What `record_dossier` keeps of each criterion; the benchmark writes no attachment."""
    return [{"code": c.code, "title": c.title, "attachments": []} for c in _evidence_criteria(group)]


@functools.cache
def _criterion_scores(group: str, total: float) -> list[dict[str, Any]]:
    """The final breakdown of a dossier of this group and total: its indicators scored by the scoring rules from the
    evidence the submissions seeder reports (quality = total / 100), the council's assessments making up the rest."""
    quality = total / 100
    defaults = {c.code: c for c in default_criteria_set(group).criteria}
    scored: list[dict[str, Any]] = []
    assessments: list[CriterionEvidence] = []
    for criterion in _evidence_criteria(group):
        if criterion.rule == "assessment":
            assessments.append(criterion)
            continue
        given = _evidence(defaults[criterion.code], quality) or {}
        reported = criterion.model_copy(update={k: v for k, v in given.items() if k in ("value", "level")})
        scored.append(score_criterion(reported).model_dump())
    rest = max(0.0, total - sum(s["points"] for s in scored))
    room = sum(c.max_points for c in assessments)
    for index, criterion in enumerate(assessments):
        points = round(min(rest * criterion.max_points / room, criterion.max_points), 2) if room else 0.0
        if index == len(assessments) - 1:  # the rounding remainder, so that the criteria add up to the total
            given_so_far = sum(s["points"] for s in scored)
            points = round(min(max(total - given_so_far, 0.0), criterion.max_points), 2)
        scored.append(assessed(criterion, [points] * REVIEWERS, "mean").model_dump())
    order = {c.code: i for i, c in enumerate(_evidence_criteria(group))}
    return sorted(scored, key=lambda s: order[s["code"]])


def _dossier_document(dossier: Dossier, ref: EntrantRef) -> Document | None:
    """What `record_dossier` leaves after the dossier's submission events (None: a draft never left the unit)."""
    if dossier.submitted_at is None:
        return None
    document: Document = {
        "_id": dossier.id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "version": 1,
        "period": dossier.period,
        "entrant": ref.model_dump(),
        "criteria": _dossier_criteria(dossier.entrant.target_group),
        "audit": [_recorded(dossier, 1, _first_submitted(dossier), SubmissionSubmitted.event_type)],
    }
    aggregate = Aggregate(DOSSIERS, document, caused_event=False)
    if dossier.version > 1:  # keep_latest: the resubmitted version replaces the first
        aggregate.revise(_recorded(dossier, 2, dossier.submitted_at, SubmissionResubmitted.event_type), version=2)
    return aggregate.document


def _recorded(dossier: Dossier, version: int, published: datetime, event_type: str) -> Document:
    event_id = derived_id("bench-event", dossier.id, version, "submitted")
    return from_event(event_id, event_type, "recorded", published + RECORDED_AFTER, version=version)


def _score_event_id(dossier: Dossier) -> uuid.UUID:
    """The id scoring gives the finalisation's event (finalisation.py), so the audit names the real cause."""
    return derived_id(dossier.id, dossier.version, "score.finalised")


def _score_document(dossier: Dossier, ref: EntrantRef) -> Document:
    """What `record_score` keeps from score.finalised."""
    assert dossier.total is not None
    assert dossier.grade is not None
    finalised = _finalised_at(dossier)
    recorded = from_event(
        _score_event_id(dossier), ScoreFinalised.event_type, "recorded", finalised + RECORDED_AFTER,
        version=dossier.version,
    )  # fmt: skip
    document: Document = {
        "_id": dossier.id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "version": dossier.version,
        "period": dossier.period,
        "entrant": ref.model_dump(),
        "submitted_by": dossier.submitted_by,
        "total": dossier.total,
        "max_total": 100.0,
        "grade": dossier.grade,
        "criteria": _criterion_scores(dossier.entrant.target_group, dossier.total),
        "finalised_at": finalised,
        "audit": [recorded],
    }
    return Aggregate(SCORES, document, caused_event=False).document


def _score_fields(dossier: Dossier, ref: EntrantRef) -> dict[str, Any]:
    """A candidate's copy of the score (intake.propose_commune_award, candidates.score_fields)."""
    return {
        "entrant": ref.model_dump(),
        "submission_id": dossier.id,
        "submission_version": dossier.version,
        "submitted_by": dossier.submitted_by,
        "total": dossier.total,
        "grade": dossier.grade,
    }
