"""Events into facts. Every change sets fields under a version guard and marks the (commune, period) summary it
touches for recomputation (each applier returns that period); nothing is incremented, so a duplicated or replayed
event counts once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from rollups.domain.summary import band_of
from rollups.repository import AWARDS, INDEX, PROPOSALS, SUBMISSIONS, ReadModels
from thidua_shared.events import (
    AwardCandidateProposed,
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    EntrantRef,
    Envelope,
    IndexComputed,
    ScoreFinalised,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)

# A dossier's status follows (version, step): a return comes after the submission of the same version, and a
# withdrawal after everything before it. Comparing ranks keeps the latest status whatever order events arrive in.
STATUS_STEP = {"submitted": 0, "resubmitted": 0, "returned": 1, "withdrawn": 9}
# A proposal moves submitted → (forwarded to the central level) → decided.
PROPOSAL_STEP = {"submitted": 0, "forwarded_to_central": 1, "awarded": 2, "rejected": 2, "returned": 2}


def _entrant(entrant: EntrantRef) -> dict[str, object]:
    return {
        "entrant_id": entrant.id,
        "entrant_name": entrant.name,
        "entrant_kind": entrant.kind,
        "target_group": entrant.target_group,
    }


def status_fields(status: str) -> dict[str, object]:
    return {
        "status": status,
        "submitted": int(status != "withdrawn"),
        "returned": int(status == "returned"),
        "withdrawn": int(status == "withdrawn"),
    }


Apply = Callable[[ReadModels, Envelope], Awaitable[str]]


def _where(envelope: Envelope) -> dict[str, object]:
    return {"tenant": envelope.tenant, "province": envelope.province}


StatusChange = SubmissionSubmitted | SubmissionReturned | SubmissionWithdrawn


def _status(status: str, model: type[StatusChange]) -> Apply:
    async def apply(models: ReadModels, envelope: Envelope) -> str:
        change = envelope.payload(model)
        await models.set_versioned(
            models.facts(SUBMISSIONS, envelope.tenant or "", change.period),
            change.submission_id,
            "status_rank",
            change.version * 10 + STATUS_STEP[status],
            {**_where(envelope), "period": change.period, **_entrant(change.entrant), **status_fields(status)},
        )
        return change.period

    return apply


async def _scored(models: ReadModels, envelope: Envelope) -> str:
    score = envelope.payload(ScoreFinalised)
    themes: dict[str, dict[str, float]] = {}
    for criterion in score.criteria:
        if criterion.theme is not None:
            mine = themes.setdefault(str(criterion.theme), {"points": 0.0, "max_points": 0.0})
            mine["points"] += criterion.points
            mine["max_points"] += criterion.max_points
    await models.set_versioned(
        models.facts(SUBMISSIONS, envelope.tenant or "", score.period),
        score.submission_id,
        "score_version",
        score.submission_version,
        {
            **_where(envelope),
            "period": score.period,
            **_entrant(score.entrant),
            "scored": 1,
            "total": score.total,
            "grade": score.grade,
            "band": band_of(score.total),
            "themes": themes,
        },
    )
    return score.period


async def _candidate(models: ReadModels, envelope: Envelope) -> str:
    candidate = envelope.payload(AwardCandidateProposed)
    fields = {**_where(envelope), "period": candidate.period, "candidate": 1}
    facts = models.facts(SUBMISSIONS, envelope.tenant or "", candidate.period)
    await models.set_fields(facts, candidate.submission_id, fields)
    return candidate.period


async def _awarded(models: ReadModels, envelope: Envelope) -> str:
    decided = envelope.payload(AwardDecided)
    for recipient in decided.recipients:
        await models.set_fields(
            models.facts(AWARDS, envelope.tenant or "", decided.period),
            f"{decided.decision_id}:{recipient.candidate_id}",
            {
                **_where(envelope),
                "period": decided.period,
                "award_form": decided.award_form,
                "level": decided.level,
                "round": decided.round,
                "number": decided.number,
                "signed_on": decided.signed_on.isoformat(),
                "issuer": decided.issuer,
                **_entrant(recipient.entrant),
            },
        )
    return decided.period


async def _proposed(models: ReadModels, envelope: Envelope) -> str:
    proposal = envelope.payload(AwardProposalSubmitted)
    fields = {
        **_where(envelope),
        "period": proposal.period,
        "award_form": proposal.award_form,
        "recipients": len(proposal.recipients),
        "status": "submitted",
    }
    await models.set_versioned(models[PROPOSALS], proposal.proposal_id, "step", PROPOSAL_STEP["submitted"], fields)
    # what only the submission says, kept whatever the order the proposal's events are applied in
    await models.set_fields(models[PROPOSALS], proposal.proposal_id, {"number": proposal.number})
    return proposal.period


async def _proposal_decided(models: ReadModels, envelope: Envelope) -> str:
    outcome = envelope.payload(AwardProposalDecided)
    fields = {
        **_where(envelope),
        "period": outcome.period,
        "award_form": outcome.award_form,
        "recipients": len(outcome.recipients),
        "status": outcome.outcome,
        "level": outcome.level,
    }
    await models.set_versioned(models[PROPOSALS], outcome.proposal_id, "step", PROPOSAL_STEP[outcome.outcome], fields)
    return outcome.period


async def _index(models: ReadModels, envelope: Envelope) -> str:
    index = envelope.payload(IndexComputed)
    fields = {
        **_where(envelope),
        "period": index.period,
        "overall": index.overall,
        "digital_government": index.digital_government,
        "digital_economy": index.digital_economy,
        "digital_society": index.digital_society,
        "indicators": index.indicators,
    }
    await models.set_versioned(
        models[INDEX], f"{envelope.tenant}|{index.period}", "computed_at", envelope.time.timestamp(), fields
    )
    return index.period


# Every event the read models follow; the consumer subscribes to exactly these.
APPLY: dict[str, Apply] = {
    SubmissionSubmitted.event_type: _status("submitted", SubmissionSubmitted),
    SubmissionResubmitted.event_type: _status("resubmitted", SubmissionResubmitted),
    SubmissionReturned.event_type: _status("returned", SubmissionReturned),
    SubmissionWithdrawn.event_type: _status("withdrawn", SubmissionWithdrawn),
    ScoreFinalised.event_type: _scored,
    AwardCandidateProposed.event_type: _candidate,
    AwardDecided.event_type: _awarded,
    AwardProposalSubmitted.event_type: _proposed,
    AwardProposalDecided.event_type: _proposal_decided,
    IndexComputed.event_type: _index,
}


async def apply_event(models: ReadModels, envelope: Envelope, *, now: datetime | None = None) -> None:
    """Apply one event to the facts and mark the summary it changes."""
    apply = APPLY.get(envelope.type)
    if apply is None or envelope.tenant is None:
        return
    at = now or datetime.now(UTC)
    period = await apply(models, envelope)
    await models.mark_dirty(envelope.tenant, envelope.province, period, at)
    await models.mark_applied(envelope.time, at)
