"""Events into facts. Each event becomes changes (fields set under a version guard, never incremented), so a
duplicated or replayed event counts once; a batch of events is written together and marks each (commune, period)
summary it touches for recomputation once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from rollups.domain.changes import Change
from rollups.domain.summary import band_of
from rollups.repository import AWARDS, INDEX, PROPOSALS, SUBMISSIONS, ReadModels, partition
from thidua_contracts.awards import AwardCandidateProposed, AwardDecided, AwardProposalDecided, AwardProposalSubmitted
from thidua_contracts.scoring import IndexComputed, ScoreFinalised
from thidua_contracts.submissions import (
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.terms import EntrantRef
from thidua_platform.envelope import Envelope

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


# An event's changes, and the period whose summary they touch.
Apply = Callable[[Envelope], tuple[str, list[Change]]]


def _where(envelope: Envelope) -> dict[str, object]:
    return {"tenant": envelope.tenant, "province": envelope.province}


StatusChange = SubmissionSubmitted | SubmissionReturned | SubmissionWithdrawn


def _status(status: str, model: type[StatusChange]) -> Apply:
    def apply(envelope: Envelope) -> tuple[str, list[Change]]:
        change = envelope.payload(model)
        return change.period, [
            Change(
                partition(SUBMISSIONS, envelope.tenant or "", change.period),
                change.submission_id,
                {**_where(envelope), "period": change.period, **_entrant(change.entrant), **status_fields(status)},
                "status_rank",
                change.version * 10 + STATUS_STEP[status],
            )
        ]

    return apply


def _scored(envelope: Envelope) -> tuple[str, list[Change]]:
    score = envelope.payload(ScoreFinalised)
    themes: dict[str, dict[str, float]] = {}
    for criterion in score.criteria:
        if criterion.theme is not None:
            mine = themes.setdefault(str(criterion.theme), {"points": 0.0, "max_points": 0.0})
            mine["points"] += criterion.points
            mine["max_points"] += criterion.max_points
    fields = {
        **_where(envelope),
        "period": score.period,
        **_entrant(score.entrant),
        "scored": 1,
        "total": score.total,
        "grade": score.grade,
        "band": band_of(score.total),
        "themes": themes,
    }
    facts = partition(SUBMISSIONS, envelope.tenant or "", score.period)
    return score.period, [Change(facts, score.submission_id, fields, "score_version", score.submission_version)]


def _candidate(envelope: Envelope) -> tuple[str, list[Change]]:
    candidate = envelope.payload(AwardCandidateProposed)
    fields = {**_where(envelope), "period": candidate.period, "candidate": 1}
    facts = partition(SUBMISSIONS, envelope.tenant or "", candidate.period)
    return candidate.period, [Change(facts, candidate.submission_id, fields)]


def _awarded(envelope: Envelope) -> tuple[str, list[Change]]:
    decided = envelope.payload(AwardDecided)
    facts = partition(AWARDS, envelope.tenant or "", decided.period)
    return decided.period, [
        Change(
            facts,
            f"{decided.decision_id}:{recipient.candidate_id}",
            {
                **_where(envelope),
                "period": decided.period,
                "award_form": decided.award_form,
                "level": decided.level,
                "round": decided.round,
                **({"ad_hoc": True} if decided.ad_hoc else {}),  # an ad-hoc award (docs/adr/0026)
                "number": decided.number,
                "signed_on": decided.signed_on.isoformat(),
                "issuer": decided.issuer,
                **_entrant(recipient.entrant),
            },
        )
        for recipient in decided.recipients
    ]


def _proposed(envelope: Envelope) -> tuple[str, list[Change]]:
    proposal = envelope.payload(AwardProposalSubmitted)
    fields = {
        **_where(envelope),
        "period": proposal.period,
        "award_form": proposal.award_form,
        "recipients": len(proposal.recipients),
        "status": "submitted",
    }
    return proposal.period, [
        Change(PROPOSALS, proposal.proposal_id, fields, "step", PROPOSAL_STEP["submitted"]),
        # what only the submission says, kept whatever the order the proposal's events are applied in
        Change(
            PROPOSALS, proposal.proposal_id, {**_where(envelope), "period": proposal.period, "number": proposal.number}
        ),
    ]


def _proposal_decided(envelope: Envelope) -> tuple[str, list[Change]]:
    outcome = envelope.payload(AwardProposalDecided)
    fields = {
        **_where(envelope),
        "period": outcome.period,
        "award_form": outcome.award_form,
        "recipients": len(outcome.recipients),
        "status": outcome.outcome,
        "level": outcome.level,
    }
    return outcome.period, [Change(PROPOSALS, outcome.proposal_id, fields, "step", PROPOSAL_STEP[outcome.outcome])]


def _index(envelope: Envelope) -> tuple[str, list[Change]]:
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
    fact_id = f"{envelope.tenant}|{index.period}"
    return index.period, [Change(INDEX, fact_id, fields, "computed_at", envelope.time.timestamp())]


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


def unreadable(envelope: Envelope) -> bool:
    """An event whose payload its applier cannot read: the live consumer dead-letters it (after its retries), so it
    counts nowhere; a rebuild skips it the same way."""
    apply = APPLY.get(envelope.type)
    if apply is None:
        return False
    try:
        apply(envelope)
    except ValueError:  # pydantic's ValidationError is a ValueError
        return True
    return False


async def apply_events(*, models: ReadModels, envelopes: Sequence[Envelope], now: datetime | None = None) -> None:
    """Apply a batch of events to the facts, then mark each summary they change (once) and the freshness."""
    changes: list[Change] = []
    touched: dict[tuple[str, str], str] = {}
    for envelope in envelopes:
        apply = APPLY.get(envelope.type)
        if apply is None or envelope.tenant is None:
            continue
        period, its = apply(envelope)
        changes += its
        touched[(envelope.tenant, period)] = envelope.province
    if not touched:
        return
    at = now or datetime.now(UTC)
    await models.apply_changes(changes)
    await models.mark_dirty([(tenant, province, period) for (tenant, period), province in touched.items()], at)
    await models.mark_applied(max(envelope.time for envelope in envelopes), at)


async def apply_event(*, models: ReadModels, envelope: Envelope, now: datetime | None = None) -> None:
    """Apply one event (the one-by-one path, when a batch failed)."""
    await apply_events(models=models, envelopes=[envelope], now=now)
