"""What the awards service keeps from other services' events: final scores and the dossiers' evidence; and the
preliminary candidacy a final score brings for the commune's own award."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from awards.domain.catalogue import FORMS, round_of
from awards.domain.lifecycle import OPEN_TO_REVIEW
from awards.domain.rules import Scored, evaluate, rule_for
from awards.repositories import Repositories
from awards.service.common import candidate_id, event
from awards.service.rules import effective_rules
from awards.service.standing import flags_of, history_of
from thidua_shared.audit import entry, from_event, now
from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
    ScoreFinalised,
    SubmissionSubmitted,
    derived_id,
)
from thidua_shared.mongo import Document
from thidua_shared.repository import Revision, ScopedRepository
from thidua_shared.tenancy import Scope


def envelope_scope(envelope: Envelope) -> Scope:
    return Scope(tenant=envelope.tenant, province=envelope.province)


async def keep_latest(repository: ScopedRepository, scope: Scope, document: Document, envelope: Envelope) -> None:
    """Store the document unless a newer version of it is already there (events may arrive late or twice)."""
    recorded = from_event(envelope.id, envelope.type, "recorded", now(), version=document["version"])
    if await repository.add({**document, "audit": [recorded]}):
        return

    async def newer(current: Document) -> Revision | None:
        if current.get("version", 0) >= document["version"]:
            return None
        return Revision({"$set": {k: v for k, v in document.items() if k != "_id"}, "$push": {"audit": recorded}})

    await repository.revise(scope, document["_id"], newer)


async def record_dossier(repos: Repositories, envelope: Envelope) -> None:
    submitted = envelope.payload(SubmissionSubmitted)
    criteria = [
        {"code": c.code, "title": c.title, "attachments": [a.model_dump() for a in c.attachments]}
        for c in submitted.criteria
    ]
    await keep_latest(
        repos.dossiers,
        envelope_scope(envelope),
        {
            "_id": submitted.submission_id,
            "tenant": envelope.tenant,
            "province": envelope.province,
            "version": submitted.version,
            "period": submitted.period,
            "entrant": submitted.entrant.model_dump(),
            "criteria": criteria,
        },
        envelope,
    )


async def record_score(repos: Repositories, envelope: Envelope) -> None:
    """Keep the final score; if it meets the commune award's conditions, the entrant becomes a candidate."""
    score = envelope.payload(ScoreFinalised)
    scope = envelope_scope(envelope)
    document: dict[str, Any] = {
        "_id": score.submission_id,
        "tenant": envelope.tenant,
        "province": envelope.province,
        "version": score.submission_version,
        "period": score.period,
        "entrant": score.entrant.model_dump(),
        "submitted_by": score.submitted_by,
        "total": score.total,
        "max_total": score.max_total,
        "grade": score.grade,
        "criteria": [c.model_dump() for c in score.criteria],
        "finalised_at": envelope.time,
    }
    await keep_latest(repos.scores, scope, document, envelope)
    await propose_commune_award(repos, scope, envelope, score)


async def propose_commune_award(repos: Repositories, scope: Scope, envelope: Envelope, score: ScoreFinalised) -> None:
    round_ = round_of(score.period)
    rules = await effective_rules(repos, str(scope.province))
    flags = await flags_of(repos, scope, [score.entrant.id])
    history = await history_of(repos, scope, [score.entrant.id])
    single = Scored(entrant=score.entrant, total=score.total, grade=score.grade)
    fields = {
        "entrant": score.entrant.model_dump(),
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
        verdict = evaluate(rule.model_copy(update={"quota_percent": None}), [single], flags=flags, history=history)
        if verdict[score.entrant.id].eligible:
            at = now()
            by = from_event(envelope.id, envelope.type, "proposed", at, status="under_review", total=score.total)
            document, proposed = new_candidate(scope, score.period, form.code, fields, at=at, by=by, cause=envelope.id)
            await add_or_refresh_candidate(repos, scope, document, events=[proposed])


def new_candidate(
    scope: Scope,
    period: str,
    form: str,
    fields: dict[str, Any],
    *,
    at: datetime,
    by: Document,
    cause: uuid.UUID | None = None,
) -> tuple[Document, Envelope]:
    """A candidate under review and the event announcing it (its id derived from the causing event, if any); `by`
    is the audit entry of its creation."""
    document = candidate(scope, period, form, score=fields, status="under_review", at=at, by=by)
    proposed = event(
        AwardCandidateProposed(
            candidate_id=document["_id"],
            submission_id=fields["submission_id"],
            submission_version=fields["submission_version"],
            period=period,
            entrant=fields["entrant"],
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
    scope: Scope, period: str, form: str, *, score: dict[str, Any], status: str, at: Any, by: Document, **extra: Any
) -> Document:
    """A new candidate; `by` is the audit entry of its creation (who or which event put it on the list)."""
    assert scope.tenant is not None
    return {
        "_id": candidate_id(scope.tenant, period, form, score["entrant"]["id"]),
        "tenant": scope.tenant,
        "province": scope.province,
        "period": period,
        "round": round_of(period),
        "award_form": form,
        **score,
        "status": status,
        "created_at": at,
        "updated_at": at,
        "audit": [by],
        **extra,
    }


def _cause(by: Document) -> dict[str, Any]:
    """The event type of an event-made entry, to repeat in the entries that follow from it."""
    return {"event": by["changes"]["event"]} if "event" in by["changes"] else {}


SCORE_FIELDS = ("submission_id", "submission_version", "submitted_by", "total", "grade", "entrant")


def newer_score(current: Document, score: dict[str, Any]) -> dict[str, Any]:
    """The score fields to bring a candidate up to date with, or nothing. Before the council the list follows the
    newest score (a new dossier replaces a withdrawn one); after, the candidate keeps what the council saw."""
    same_dossier = current["submission_id"] == score["submission_id"]
    if current["status"] not in OPEN_TO_REVIEW or (
        same_dossier and current["submission_version"] >= score["submission_version"]
    ):
        return {}
    return {field: score[field] for field in SCORE_FIELDS}


async def add_or_refresh_candidate(
    repos: Repositories, scope: Scope, document: Document, events: list[Envelope] | None = None
) -> bool:
    """Insert the candidate; if it exists, bring its score up to date while the list is still open. True if new.
    The refresh is audited as made by whoever made the creation entry `document["audit"][0]`."""
    if await repos.candidates.add(document, events or []):
        return True
    by = document["audit"][0]

    async def refresh(current: Document) -> Revision | None:
        newer = newer_score(current, document)
        if not newer:
            return None
        fields = {k: newer[k] for k in ("submission_id", "submission_version", "total", "grade")}
        return Revision(
            {"$set": newer, "$push": {"audit": entry(by["actor"], "score_refreshed", now(), **_cause(by), **fields)}}
        )

    await repos.candidates.revise(scope, document["_id"], refresh)
    return False
