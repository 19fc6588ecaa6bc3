"""Use cases of the rollups service: apply events to the read model, answer dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rollups.repository import FactRepository
from thidua_shared.events import (
    AwardCandidateProposed,
    Envelope,
    ScoreFinalised,
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
    event_model,
)
from thidua_shared.problems import NotFound
from thidua_shared.tenancy import Scope

# A dossier's status follows (version, step): a return comes after the submission of the same version, and a
# withdrawal after everything before it. Comparing ranks keeps the latest status whatever order events arrive in.
STATUS_STEP = {"submitted": 0, "resubmitted": 0, "returned": 1, "withdrawn": 9}


def status_fields(status: str) -> dict[str, object]:
    return {
        "status": status,
        "submitted": int(status != "withdrawn"),
        "returned": int(status == "returned"),
        "withdrawn": int(status == "withdrawn"),
    }


STATUS_EVENTS: dict[str, str] = {
    SubmissionSubmitted.event_type: "submitted",
    SubmissionResubmitted.event_type: "resubmitted",
    SubmissionReturned.event_type: "returned",
    SubmissionWithdrawn.event_type: "withdrawn",
}


# Every event the read model follows; the consumer subscribes to exactly these.
APPLIED = (*STATUS_EVENTS, ScoreFinalised.event_type, AwardCandidateProposed.event_type)


async def apply_event(*, repository: FactRepository, envelope: Envelope) -> None:
    where = {"tenant": envelope.tenant, "province": envelope.province}
    if envelope.type in STATUS_EVENTS:
        status = STATUS_EVENTS[envelope.type]
        change = envelope.payload(event_model(envelope.type))
        assert isinstance(change, SubmissionSubmitted | SubmissionReturned | SubmissionWithdrawn)
        await repository.set_versioned(
            change.submission_id,
            "status_rank",
            change.version * 10 + STATUS_STEP[status],
            {**where, "period": change.period, "target_group": change.entrant.target_group, **status_fields(status)},
        )
    elif envelope.type == ScoreFinalised.event_type:
        score = envelope.payload(ScoreFinalised)
        await repository.set_versioned(
            score.submission_id,
            "score_version",
            score.submission_version,
            {
                **where,
                "period": score.period,
                "target_group": score.entrant.target_group,
                "scored": 1,
                "total": score.total,
                "grade": score.grade,
            },
        )
    elif envelope.type == AwardCandidateProposed.event_type:
        candidate = envelope.payload(AwardCandidateProposed)
        await repository.set_fields(candidate.submission_id, {**where, "period": candidate.period, "candidate": 1})
    await repository.mark_applied(envelope.time, datetime.now(UTC))


@dataclass(frozen=True)
class CommuneFigures:
    commune: str
    submitted: int
    returned: int
    withdrawn: int
    scored: int
    candidates: int
    average_score: float | None


async def commune_figures(*, repository: FactRepository, scope: Scope, period: str | None) -> list[CommuneFigures]:
    sums = await repository.per_commune(scope, period=period)
    return [
        CommuneFigures(
            commune=commune,
            submitted=int(row["submitted"]),
            returned=int(row["returned"]),
            withdrawn=int(row["withdrawn"]),
            scored=int(row["scored"]),
            candidates=int(row["candidate"]),
            average_score=round(row["total"] / row["scored"], 2) if row["scored"] else None,
        )
        for commune, row in sums.items()
    ]


def totals(figures: list[CommuneFigures]) -> CommuneFigures:
    """The province line: sums, and the mean score over every scored submission (not a mean of means)."""
    scored = sum(f.scored for f in figures)
    points = sum((f.average_score or 0) * f.scored for f in figures)
    return CommuneFigures(
        commune="*",
        submitted=sum(f.submitted for f in figures),
        returned=sum(f.returned for f in figures),
        withdrawn=sum(f.withdrawn for f in figures),
        scored=scored,
        candidates=sum(f.candidates for f in figures),
        average_score=round(points / scored, 2) if scored else None,
    )


async def one_commune(*, repository: FactRepository, scope: Scope, commune: str, period: str | None) -> CommuneFigures:
    narrowed = scope.narrowed_to(commune)
    figures = await commune_figures(repository=repository, scope=narrowed, period=period) if narrowed else []
    if not figures:
        raise NotFound(f"Không có số liệu của xã {commune} / No figures for commune {commune}")
    return figures[0]
