"""Use cases of the rollups service: apply events to the read model, answer dashboards."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from rollups.repository import FactRepository
from thidua_shared.events import AwardCandidateProposed, Envelope, ScoreComputed, SubmissionSubmitted
from thidua_shared.problems import NotFound
from thidua_shared.tenancy import Scope


async def apply_event(*, repository: FactRepository, envelope: Envelope) -> None:
    where = {"tenant": envelope.tenant, "province": envelope.province}
    if envelope.type == SubmissionSubmitted.event_type:
        submitted = envelope.payload(SubmissionSubmitted)
        await repository.set_versioned(
            submitted.submission_id,
            "submitted_version",
            submitted.version,
            {**where, "period": submitted.period, "target_group": submitted.entrant.target_group, "submitted": 1},
        )
    elif envelope.type == ScoreComputed.event_type:
        score = envelope.payload(ScoreComputed)
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
    scored: int
    candidates: int
    average_score: float | None


async def commune_figures(*, repository: FactRepository, scope: Scope, period: str | None) -> list[CommuneFigures]:
    sums = await repository.per_commune(scope, period=period)
    return [
        CommuneFigures(
            commune=commune,
            submitted=int(row["submitted"]),
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
