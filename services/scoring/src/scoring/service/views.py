"""What people read: a dossier's score breakdown and the commune's leaderboard."""

from __future__ import annotations

from typing import Any

from scoring.domain.assessment import ranks
from scoring.repositories import Repositories
from scoring.service import reviews
from thidua_shared.auth import Principal
from thidua_shared.mongo import Document
from thidua_shared.problems import NotFound
from thidua_shared.tenancy import Scope, read_scope

OVERSEERS = ("commune_officer", "commune_chair", "province_staff", "province_admin")


async def _readable_score(repos: Repositories, principal: Principal, submission_id: str) -> Document:
    """Officers, the chairman and province staff read every dossier in scope; a submitter the dossiers they
    submitted; a council member the dossiers they review (never after recusing)."""
    scope = read_scope(principal)
    score = await repos.scores.latest(scope, submission_id)
    missing = NotFound(f"Chưa có điểm cho hồ sơ {submission_id} / No score for {submission_id}")
    if score is None:
        raise missing
    if principal.has_any_role(*OVERSEERS):
        return score
    if principal.has_any_role("submitter") and score["submitted_by"] == principal.user_id:
        return score
    if principal.has_any_role("council_member"):
        await reviews.review_view(repos=repos, principal=principal, scope=scope, submission_id=submission_id)
        return score
    raise missing


async def breakdown(*, repos: Repositories, principal: Principal, submission_id: str) -> dict[str, Any]:
    score = await _readable_score(repos, principal, submission_id)
    scope = Scope(tenant=score["tenant"], province=score["province"])
    final = await repos.finals.get(scope, score["_id"])
    rank = None
    if final is not None:
        group = score["entrant"]["target_group"]
        board = await leaderboard(repos=repos, scope=scope, period=score["period"], group=group)
        rank = next((row["rank"] for row in board if row["submission_id"] == submission_id), None)
    return {"provisional": score, "final": final, "rank": rank}


async def leaderboard(*, repos: Repositories, scope: Scope, period: str, group: str) -> list[dict[str, Any]]:
    finals = [
        f
        for f in await repos.finals.latest_per_submission(scope, {"period": period})
        if f["entrant"]["target_group"] == group
    ]
    positions = ranks([(f["submission_id"], f["total"]) for f in finals])
    rows = [
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
