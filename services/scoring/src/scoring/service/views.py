"""What people read: a dossier's score breakdown (one or several at once) and the commune's leaderboard."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scoring.domain.aggregates import Final, Score
from scoring.domain.assessment import ranks
from scoring.repository import Repositories
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import NotFound
from thidua_platform.tenancy import Scope, read_scope


async def standing_finals(
    *, repos: Repositories, scope: Scope, period: str, group: str | None = None, fields: Sequence[str] = ()
) -> list[Final]:
    """Final scores of dossiers still in the running: their latest version is the final one and is not returned
    or withdrawn; of one target group's dossiers only when `group` is named (read from the index on the group: a
    ranking reads its own group, not the commune's whole period). Only the `fields` named of each (with its
    dossier's id and version) when some are: read no other key of those."""
    statuses = await repos.scores.latest_in_period(scope, period, group=group, fields=("status",))
    latest = {s["submission_id"]: s for s in statuses}
    return [
        f
        for f in await repos.finals.latest_in_period(scope, period, group=group, fields=fields)
        if (score := latest.get(f["submission_id"])) is not None
        and score["submission_version"] == f["submission_version"]
        and score["status"] == "submitted"
    ]


RANKED = ("total",)  # what a final score is ranked by, within its target group
OVERSEERS = (Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN)


def may_read(principal: Principal, score: Score) -> bool:
    """Officers, the chairman and province staff read every dossier in scope; a submitter the dossiers they
    submitted. Council members read what they review through /reviews, which keeps a blind review blind."""
    if principal.has_any_role(*OVERSEERS):
        return True
    return principal.has_any_role(Role.SUBMITTER) and score["submitted_by"] == principal.user_id


async def _readable_score(repos: Repositories, principal: Principal, submission_id: str) -> Score:
    score = await repos.scores.latest(read_scope(principal), submission_id)
    if score is None or not may_read(principal, score):
        raise NotFound(f"Chưa có điểm cho hồ sơ {submission_id} / No score for {submission_id}")
    return score


async def breakdown(*, repos: Repositories, principal: Principal, submission_id: str) -> dict[str, Any]:
    score = await _readable_score(repos, principal, submission_id)
    scope = Scope(tenant=score["tenant"], province=score["province"])
    final = await repos.finals.get(scope, score["_id"])
    rank = None
    if final is not None:
        group = score["entrant"]["target_group"]
        rank = (await group_ranks(repos=repos, scope=scope, period=score["period"], group=group)).get(submission_id)
    return {"provisional": score, "final": final, "rank": rank}


async def breakdowns(
    *, repos: Repositories, principal: Principal, submission_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """`breakdown` of several dossiers, in their order, at a cost that does not grow with their number: their latest
    scores in one `$in` on `_id`, their final scores in another, each commune's ranking of the period read once. A
    dossier `breakdown` answers 404 for (no score, out of scope, not the caller's to read) is simply absent."""
    scope = read_scope(principal)
    latest = await repos.scores.latest_of(scope, submission_ids)
    scores = [latest[i] for i in submission_ids if i in latest and may_read(principal, latest[i])]
    if not scores:
        return []
    wanted = [s["_id"] for s in scores]
    finals = await repos.finals.of_versions(scope, wanted)
    ranked = {
        (s["tenant"], s["province"], s["period"], s["entrant"]["target_group"]) for s in scores if s["_id"] in finals
    }
    positions = {
        (tenant, period, group): await group_ranks(
            repos=repos, scope=Scope(tenant=tenant, province=province), period=period, group=group
        )
        for tenant, province, period, group in ranked
    }
    answers = []
    for score in scores:
        final = finals.get(score["_id"])
        board = (score["tenant"], score["period"], score["entrant"]["target_group"])
        rank = positions[board].get(score["submission_id"]) if final else None
        answers.append({"provisional": score, "final": final, "rank": rank})
    return answers


async def group_ranks(*, repos: Repositories, scope: Scope, period: str, group: str) -> dict[str, int]:
    """Each dossier of the leaderboard of the commune's period and target group: its rank there."""
    finals = await standing_finals(repos=repos, scope=scope, period=period, group=group, fields=RANKED)
    return ranks([(f["submission_id"], f["total"]) for f in finals])


async def leaderboard(*, repos: Repositories, scope: Scope, period: str, group: str) -> list[dict[str, Any]]:
    standing = await standing_finals(
        repos=repos, scope=scope, period=period, group=group, fields=("entrant", "total", "grade")
    )
    finals = [f for f in standing if f["entrant"]["target_group"] == group]
    positions = ranks([(f["submission_id"], f["total"]) for f in finals])
    rows: list[dict[str, Any]] = [
        {
            "submission_id": f["submission_id"],
            "submission_version": f["submission_version"],
            "entrant": f["entrant"],
            "total": f["total"],
            "grade": f["grade"],
            "rank": positions[f["submission_id"]],
        }
        for f in finals
    ]
    return sorted(rows, key=lambda r: (r["rank"], r["entrant"]["name"]))
