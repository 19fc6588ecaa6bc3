"""What people read: a dossier's score breakdown and the commune's leaderboard."""

from __future__ import annotations

from typing import Any

from scoring.domain.assessment import ranks
from scoring.repositories import Repositories
from thidua_shared.auth import Principal
from thidua_shared.mongo import Document
from thidua_shared.problems import NotFound
from thidua_shared.tenancy import Scope, read_scope


async def standing_finals(repos: Repositories, scope: Scope, period: str) -> list[Document]:
    """Final scores of dossiers still in the running: their latest version is the final one and is not returned
    or withdrawn."""
    latest = {s["submission_id"]: s for s in await repos.scores.latest_per_submission(scope, {"period": period})}
    return [
        f
        for f in await repos.finals.latest_per_submission(scope, {"period": period})
        if (score := latest.get(f["submission_id"])) is not None
        and score["submission_version"] == f["submission_version"]
        and score["status"] == "submitted"
    ]


OVERSEERS = ("commune_officer", "commune_chair", "province_staff", "province_admin")


async def _readable_score(repos: Repositories, principal: Principal, submission_id: str) -> Document:
    """Officers, the chairman and province staff read every dossier in scope; a submitter the dossiers they
    submitted. Council members read what they review through /reviews, which keeps a blind review blind."""
    scope = read_scope(principal)
    score = await repos.scores.latest(scope, submission_id)
    missing = NotFound(f"Chưa có điểm cho hồ sơ {submission_id} / No score for {submission_id}")
    if score is None:
        raise missing
    if principal.has_any_role(*OVERSEERS):
        return score
    if principal.has_any_role("submitter") and score["submitted_by"] == principal.user_id:
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
    finals = [f for f in await standing_finals(repos, scope, period) if f["entrant"]["target_group"] == group]
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
