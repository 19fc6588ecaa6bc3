"""What the awards service keeps from other services' events: final scores and the dossiers' evidence; and the
preliminary candidacy a final score brings for the commune's own award."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from awards.domain.aggregates import (
    AuditEntry,
    Candidate,
    Dossier,
    DossierCriterion,
    Score,
    ScoredCriterion,
    ScoreFields,
)
from awards.domain.catalogue import FORMS, round_of
from awards.domain.lifecycle import OPEN_TO_REVIEW, CandidateStatus
from awards.domain.rules import Scored, evaluate, rule_for
from awards.repository import Repositories
from awards.service.common import candidate_id, event, stored_entrant
from awards.service.province_rules import effective_rules
from awards.service.standing import flags_of, history_of
from thidua_contracts.awards import AwardCandidateProposed
from thidua_contracts.scoring import CriterionScore, ScoreFinalised
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry, from_event, now
from thidua_platform.envelope import Envelope, derived_id
from thidua_platform.tenancy import Scope, event_scope
from thidua_platform.text import STORED


def recorded(envelope: Envelope, version: int) -> AuditEntry:
    """The audit entry of a version an event brought."""
    return from_event(envelope.id, envelope.type, "recorded", now(), version=version)


async def record_dossier(*, repos: Repositories, envelope: Envelope) -> None:
    submitted = envelope.payload(SubmissionSubmitted)
    criteria: list[DossierCriterion] = [
        {
            "code": c.code,
            "title": c.title,
            "attachments": [
                {"id": a.id, "filename": a.filename, "media_type": a.media_type, "size": a.size, "sha256": a.sha256}
                for a in c.attachments
            ],
        }
        for c in submitted.criteria
    ]
    dossier: Dossier = {
        "_id": submitted.submission_id,
        "tenant": envelope.tenant,
        "province": envelope.province,
        "version": submitted.version,
        "period": submitted.period,
        "entrant": stored_entrant(submitted.entrant),
        "criteria": criteria,
    }
    await repos.dossiers.keep_latest(event_scope(envelope), dossier, recorded(envelope, dossier["version"]))


async def record_score(*, repos: Repositories, envelope: Envelope) -> None:
    """Keep the final score; if it meets the commune award's conditions, the entrant becomes a candidate."""
    score = envelope.payload(ScoreFinalised)
    scope = event_scope(envelope)
    document: Score = {
        "_id": score.submission_id,
        "tenant": envelope.tenant,
        "province": envelope.province,
        "version": score.submission_version,
        "period": score.period,
        "entrant": stored_entrant(score.entrant),
        "submitted_by": score.submitted_by,
        "total": score.total,
        "max_total": score.max_total,
        "grade": score.grade,
        "criteria": [scored_criterion(c) for c in score.criteria],
        "finalised_at": envelope.time,
    }
    await repos.scores.keep_latest(scope, document, recorded(envelope, document["version"]))
    await propose_commune_award(repos=repos, scope=scope, envelope=envelope, score=score)


def scored_criterion(criterion: CriterionScore) -> ScoredCriterion:
    """A criterion's final score as the scores keep it: what `criterion.model_dump()` gives."""
    return {
        "code": criterion.code,
        "theme": criterion.theme,
        "rule": criterion.rule,
        "inputs": dict(criterion.inputs),
        "max_points": criterion.max_points,
        "points": criterion.points,
        "explanation": criterion.explanation,
    }


async def propose_commune_award(
    *, repos: Repositories, scope: Scope, envelope: Envelope, score: ScoreFinalised
) -> None:
    round_ = round_of(score.period)
    rules = await effective_rules(repos=repos, province=scope.province_code)
    flags = await flags_of(repos=repos, scope=scope, entrant_ids=[score.entrant.id])
    history = await history_of(repos=repos, scope=scope, entrant_ids=[score.entrant.id])
    single = Scored(entrant=score.entrant, total=score.total, grade=score.grade)
    fields: ScoreFields = {
        "entrant": stored_entrant(score.entrant),
        "submission_id": score.submission_id,
        "submission_version": score.submission_version,
        "submitted_by": score.submitted_by,
        "total": score.total,
        "grade": score.grade,
    }
    for form in (f for f in FORMS.values() if f.level == "commune"):
        rule = rule_for(rules, form.code, round_)
        if rule is None:
            continue
        unbounded = rule.model_copy(update={"quota_percent": None})
        verdict = evaluate(unbounded, [single], flags=flags, history=history, period=score.period)
        if verdict[score.entrant.id].eligible:
            at = now()
            by = from_event(envelope.id, envelope.type, "proposed", at, status="under_review", total=score.total)
            document, proposed = new_candidate(scope, score.period, form.code, fields, at=at, by=by, cause=envelope.id)
            await add_or_refresh_candidate(repos=repos, scope=scope, document=document, events=[proposed])


def new_candidate(
    scope: Scope,
    period: str,
    form: str,
    fields: Mapping[str, Any],
    *,
    at: datetime,
    by: AuditEntry,
    cause: uuid.UUID | None = None,
) -> tuple[Candidate, Envelope]:
    """A candidate under review and the event announcing it (its id derived from the causing event, if any);
    `fields` holds its score fields (see `candidate`), `by` is the audit entry of its creation."""
    document = candidate(scope, period, form, score=fields, status="under_review", at=at, by=by)
    proposed = event(
        AwardCandidateProposed(
            candidate_id=document["_id"],
            submission_id=fields["submission_id"],
            submission_version=fields["submission_version"],
            period=period,
            entrant=EntrantRef.model_validate(fields["entrant"], context=STORED),  # as stored (thidua_platform.text)
            submitted_by=fields["submitted_by"],
            award_form=form,
            round=round_of(period),
            total=fields["total"],
            grade=fields["grade"],
        ),
        scope=scope,
        subject=fields["submission_id"],
        event_id=derived_id(cause, "candidate.proposed", form, round_of(period)) if cause else None,
    )
    return document, proposed


def candidate(
    scope: Scope,
    period: str,
    form: str,
    *,
    score: Mapping[str, Any],
    status: CandidateStatus,
    at: datetime,
    by: AuditEntry,
) -> Candidate:
    """A new candidate; `score` holds the `ScoreFields` it copies (any mapping of them: tests and the benchmark's
    seeder pass plain dicts), `by` is the audit entry of its creation (who or which event put it on the list)."""
    assert scope.tenant is not None
    document: Candidate = {
        "_id": candidate_id(scope.tenant, period, form, score["entrant"]["id"]),
        "tenant": scope.tenant,
        "province": scope.province,
        "period": period,
        "round": round_of(period),
        "award_form": form,
        "entrant": score["entrant"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "submitted_by": score["submitted_by"],
        "total": score["total"],
        "grade": score["grade"],
        "status": status,
        "created_at": at,
        "updated_at": at,
        "audit": [by],
    }
    return document


def _cause(by: AuditEntry) -> dict[str, Any]:
    """The event type of an event-made entry, to repeat in the entries that follow from it."""
    return {"event": by["changes"]["event"]} if "event" in by["changes"] else {}


def newer_score(current: Candidate, score: ScoreFields) -> ScoreFields | None:
    """The score fields to bring a candidate up to date with, or None. Before the council the list follows the
    newest score (a new dossier replaces a withdrawn one); after, the candidate keeps what the council saw."""
    same_dossier = current["submission_id"] == score["submission_id"]
    if current["status"] not in OPEN_TO_REVIEW or (
        same_dossier and (current["submission_version"] or 0) >= score["submission_version"]
    ):
        return None
    return {
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "submitted_by": score["submitted_by"],
        "total": score["total"],
        "grade": score["grade"],
        "entrant": score["entrant"],
    }


async def add_or_refresh_candidate(
    *, repos: Repositories, scope: Scope, document: Candidate, events: list[Envelope] | None = None
) -> bool:
    """Insert the candidate; if it exists, bring its score up to date while the list is still open. True if new.
    The refresh is audited as made by whoever made the creation entry `document["audit"][0]`."""
    if await repos.candidates.add(document, events or []):
        return True
    by = document["audit"][0]

    def refreshed(newer: ScoreFields) -> AuditEntry:
        fields = {
            "submission_id": newer["submission_id"],
            "submission_version": newer["submission_version"],
            "total": newer["total"],
            "grade": newer["grade"],
        }
        return entry(by["actor"], "score_refreshed", now(), **_cause(by), **fields)

    score = _scored(document)
    await repos.candidates.refresh_score(
        scope, document["_id"], newer=lambda current: newer_score(current, score), audit=refreshed
    )
    return False


def _scored(candidate: Candidate) -> ScoreFields:
    """The score fields of a candidate made from a final score (an ad-hoc one has none, and is never refreshed)."""
    submission_id, version, by = candidate["submission_id"], candidate["submission_version"], candidate["submitted_by"]
    total, grade = candidate["total"], candidate["grade"]
    if submission_id is None or version is None or by is None or total is None or grade is None:
        raise ValueError(f"candidate {candidate['_id']} has no score to refresh")
    return {
        "entrant": candidate["entrant"],
        "submission_id": submission_id,
        "submission_version": version,
        "submitted_by": by,
        "total": total,
        "grade": grade,
    }
