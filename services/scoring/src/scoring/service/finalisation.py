"""Final scores: when every review is in, at once when there is nothing to review, or when the period closes."""

from __future__ import annotations

from scoring.domain.aggregates import Final, FinalReason
from scoring.domain.assessment import final_breakdown
from scoring.domain.lifecycle import ASSIGNMENT_MOVES, COUNTING
from scoring.repository import Repositories, stored_criteria
from scoring.service.common import SOURCE, entrant_of, evidence_of, policy_of, version_id
from thidua_contracts.scoring import ScoreFinalised
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.envelope import derived_id, new_event
from thidua_platform.tenancy import Scope


async def reviews_of(*, repos: Repositories, scope: Scope, submission_id: str, version: int) -> dict[str, list[float]]:
    """Points per assessment criterion from the reviewers who did not recuse themselves."""
    assignments = await repos.assignments.of_version(scope, submission_id, version)
    active = {a["reviewer"] for a in assignments if a["status"] in COUNTING}
    assessments = await repos.assessments.find(
        scope, {"submission_id": submission_id, "submission_version": version}, limit=10_000
    )
    points: dict[str, list[float]] = {}
    for assessment in sorted(assessments, key=lambda a: (a["criterion"], a["reviewer"])):
        if assessment["reviewer"] in active:
            points.setdefault(assessment["criterion"], []).append(float(assessment["points"]))
    return points


async def finalise(
    *, repos: Repositories, scope: Scope, submission_id: str, version: int, reason: FinalReason, actor: str
) -> bool:
    """Record the final score of this version, once. False when superseded, not submitted, or already final."""
    score = await repos.scores.get(scope, version_id(submission_id, version))
    latest = await repos.scores.latest(scope, submission_id)
    if score is None or latest is None or latest["submission_version"] != version or score["status"] != "submitted":
        return False
    policy = policy_of(score)
    breakdown = final_breakdown(
        evidence_of(score),
        await reviews_of(repos=repos, scope=scope, submission_id=submission_id, version=version),
        max_total=score["max_total"],
        policy=policy,
    )
    event = new_event(
        ScoreFinalised(
            submission_id=submission_id,
            submission_version=version,
            period=score["period"],
            entrant=entrant_of(score),
            submitted_by=score["submitted_by"],
            total=breakdown.total,
            max_total=breakdown.max_total,
            grade=breakdown.grade,
            criteria=breakdown.criteria,
            reason=reason,
        ),
        event_id=derived_id(submission_id, version, "score.finalised"),
        source=SOURCE,
        subject=submission_id,
        tenant=score["tenant"],
        province=score["province"],
    )
    document: Final = {
        "_id": version_id(submission_id, version),
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": submission_id,
        "submission_version": version,
        "period": score["period"],
        "entrant": score["entrant"],
        "submitted_by": score["submitted_by"],
        "total": breakdown.total,
        "max_total": breakdown.max_total,
        "grade": breakdown.grade,
        "criteria": stored_criteria(breakdown.criteria),
        "reason": reason,
        "finalised_at": now(),
        "audit": [{"at": now(), "actor": actor, "action": "finalised", "changes": {"reason": reason}}],
    }
    if not await repos.finals.add(document, [event]):
        return False
    await close_assignments(repos=repos, scope=scope, submission_id=submission_id, version=version, actor=actor)
    return True


async def close_assignments(*, repos: Repositories, scope: Scope, submission_id: str, version: int, actor: str) -> None:
    """A final score ends the open reviews of its version: they leave queues and stop counting as load."""
    at = now()
    for assignment in await repos.assignments.of_version(scope, submission_id, version):
        if assignment["status"] in ASSIGNMENT_MOVES["closed"]:
            await repos.assignments.close(
                scope, assignment["_id"], revision=assignment["revision"], audit=audit(actor, "closed", at)
            )


async def finalise_if_reviewed(
    *, repos: Repositories, scope: Scope, submission_id: str, version: int, actor: str
) -> bool:
    assignments = await repos.assignments.of_version(scope, submission_id, version)
    active = [a for a in assignments if a["status"] in COUNTING]
    if active and all(a["status"] == "done" for a in active):
        return await finalise(
            repos=repos, scope=scope, submission_id=submission_id, version=version, reason="all_reviews_in", actor=actor
        )
    return False


async def close_period(*, repos: Repositories, scope: Scope, period: str, actor: str) -> int:
    """The commune officer closes scoring for a period: every submitted dossier not yet final is finalised with
    the reviews that are in."""
    final = {f["_id"] for f in await repos.finals.find(scope, {"period": period}, limit=100_000)}
    waiting = [
        s
        for s in await repos.scores.latest_per_submission(scope, {"period": period})
        if s["_id"] not in final and s["status"] == "submitted"
    ]
    finalised = 0
    for score in waiting:
        if await finalise(
            repos=repos,
            scope=scope,
            submission_id=score["submission_id"],
            version=score["submission_version"],
            reason="period_closed",
            actor=actor,
        ):
            finalised += 1
    return finalised
