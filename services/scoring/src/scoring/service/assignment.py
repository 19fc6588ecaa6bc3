"""Council members assigned to review a dossier's assessment criteria: filling its council, superseding the reviews
of earlier versions, following the roster when it changes, and an assignment's status moves.

A member with a conflict of interest is never assigned; whoever recused from, or was released from, a dossier is not
asked again. The reviewer's own work (the queue, a dossier reviewed, assessments, recusal) is in `reviews`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scoring.domain.aggregates import Assignment, Council, Score
from scoring.domain.council import choose_reviewers, conflict
from scoring.domain.lifecycle import ASSIGNMENT_MOVES, COUNTING, AssignmentStatus
from scoring.repository import Repositories
from scoring.service.common import SOURCE, assessment_codes, entrant_of, policy_of, version_id
from scoring.service.council import Roster, check_entrants, roster, set_roster
from scoring.service.finalisation import finalise_if_reviewed
from thidua_contracts.scoring import ReviewAssigned
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, derived_id, new_event
from thidua_platform.tenancy import Scope


async def assign(*, repos: Repositories, scope: Scope, score: Score, actor: str) -> list[str]:
    """Fill the dossier's council up to the policy's number of reviewers with eligible, least-loaded members.
    Whoever recused from, or was released from, any version of this dossier is not asked again."""
    if not assessment_codes(score):
        return []
    every = await repos.assignments.of_dossier(scope, score["submission_id"])
    existing = [a for a in every if a["submission_version"] == score["submission_version"]]
    active = [a for a in existing if a["status"] in COUNTING]
    wanted = policy_of(score).reviewers - len(active)
    if wanted <= 0:
        return []
    stepped_aside = {a["reviewer"] for a in every if a["status"] in ("recused", "released")}
    chosen = choose_reviewers(
        await roster(repos=repos, scope=scope),
        entrant_of(score),
        await repos.assignments.open_load(scope),
        wanted,
        exclude=frozenset(a["reviewer"] for a in existing) | stepped_aside,
    )
    at = now()
    for reviewer in chosen:
        assignment = new_assignment(score, reviewer, actor=actor, at=at)
        await repos.assignments.add(assignment, [_review_assigned(score, assignment["_id"], reviewer, actor)])
    return chosen


def new_assignment(score: Score, reviewer: str, *, actor: str, at: datetime) -> Assignment:
    """A reviewer's pending assignment to one scored version of a dossier."""
    return {
        "_id": f"{version_id(score['submission_id'], score['submission_version'])}:{reviewer}",
        "tenant": score["tenant"],
        "province": score["province"],
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "period": score["period"],
        "reviewer": reviewer,
        "status": "pending",
        "assigned_at": at,
        "audit": [audit(actor, "assigned", at, reviewer=reviewer)],
    }


def _review_assigned(score: Score, assignment_id: str, reviewer: str, actor: str) -> Envelope:
    """Tells the reviewer (through notifications) what to assess; a blind policy keeps the entrant from them."""
    return new_event(
        ReviewAssigned(
            assignment_id=assignment_id,
            submission_id=score["submission_id"],
            submission_version=score["submission_version"],
            period=score["period"],
            reviewer=reviewer,
            criteria=tuple(assessment_codes(score)),
            entrant=None if policy_of(score).blind else entrant_of(score),
            assigned_by=actor,
        ),
        event_id=derived_id(assignment_id, "review.assigned"),
        source=SOURCE,
        subject=score["submission_id"],
        tenant=score["tenant"],
        province=score["province"],
    )


async def set_status(
    *,
    repos: Repositories,
    scope: Scope,
    assignment_id: str,
    status: AssignmentStatus,
    actor: str,
    **changes: Any,
) -> bool:
    """Move an assignment to `status` (re-reading on a concurrent change); False if its status no longer allows the
    move (`ASSIGNMENT_MOVES`)."""
    return await repos.assignments.set_status(
        scope,
        assignment_id,
        status,
        only_from=ASSIGNMENT_MOVES[status],
        audit=lambda at: audit(actor, status, at, **changes),
    )


async def supersede_older(*, repos: Repositories, scope: Scope, score: Score, actor: str) -> None:
    """Open reviews of earlier versions stop counting: the new version is what the council reviews."""
    for old in await repos.assignments.of_dossier(scope, score["submission_id"]):
        if old["status"] in ASSIGNMENT_MOVES["superseded"] and old["submission_version"] < score["submission_version"]:
            await set_status(repos=repos, scope=scope, assignment_id=old["_id"], status="superseded", actor=actor)


async def assign_waiting(*, repos: Repositories, scope: Scope, period: str, actor: str) -> int:
    """After the roster changes: give reviewers to every submitted dossier of the period that lacks them. A dossier is
    its latest version: an earlier version still reading "submitted" (its return lost) is not the dossier's."""
    assigned = 0
    for score in await repos.scores.latest_in_period(scope, period):
        if score["status"] == "submitted" and await repos.finals.get(scope, score["_id"]) is None:
            assigned += len(await assign(repos=repos, scope=scope, score=score, actor=actor))
    return assigned


async def follow_roster(*, repos: Repositories, scope: Scope, actor: str) -> int:
    """After the roster changes: open reviews of members who left or now have a conflict are released and the
    dossiers get other reviewers."""
    members = {m.username: m for m in await roster(repos=repos, scope=scope)}
    released = 0
    for assignment in await repos.assignments.find(scope, {"status": "pending"}, limit=100_000):
        score = await repos.scores.get(scope, version_id(assignment["submission_id"], assignment["submission_version"]))
        member = members.get(assignment["reviewer"])
        if score is None or (member is not None and conflict(member, entrant_of(score)) is None):
            continue
        if await set_status(repos=repos, scope=scope, assignment_id=assignment["_id"], status="released", actor=actor):
            released += 1
            await fill_or_finalise(repos=repos, scope=scope, score=score, actor=actor)
    return released


async def fill_or_finalise(*, repos: Repositories, scope: Scope, score: Score, actor: str) -> None:
    """Final when every counting reviewer is done — after filling the council up to the policy's number where an
    eligible member is left (a short roster finalises with the reviews it could get)."""
    if await assign(repos=repos, scope=scope, score=score, actor=actor):
        return
    await finalise_if_reviewed(
        repos=repos,
        scope=scope,
        submission_id=score["submission_id"],
        version=score["submission_version"],
        actor=actor,
    )


async def change_council(*, repos: Repositories, principal: Principal, scope: Scope, request: Roster) -> Council:
    """The officer sets the roster: its entrant ids must be the commune's, as scoring knows them (else 404 naming the
    field, and nothing is stored); then open reviews of members who left or now have a conflict are released and their
    dossiers get other reviewers."""
    await check_entrants(repos=repos, scope=scope, request=request)
    document = await set_roster(repos=repos, principal=principal, scope=scope, request=request)
    await follow_roster(repos=repos, scope=scope, actor=principal.user_id)
    return document
