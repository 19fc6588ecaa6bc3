"""A council member's reviews of assessment criteria: the queue, a dossier reviewed, its criteria assessed, recusal.

Conflicts of interest are checked everywhere a member touches a dossier: at assignment, in the queue, when reading
a dossier and when scoring it. A recused member sees nothing more of that dossier's reviews.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from scoring.domain.aggregates import Assessment, Assignment, Score
from scoring.domain.council import conflict
from scoring.domain.lifecycle import COUNTING, REVIEWING
from scoring.repository import Repositories
from scoring.service.assignment import fill_or_finalise, set_status
from scoring.service.common import SOURCE, assessment_codes, entrant_of, policy_of, version_id
from scoring.service.council import roster
from thidua_contracts.scoring import AssessmentRecorded
from thidua_platform.audit import entry as audit
from thidua_platform.audit import now
from thidua_platform.auth import Principal
from thidua_platform.envelope import derived_id, new_event
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable
from thidua_platform.tenancy import Scope
from thidua_platform.text import Text, TextRule


class AssessmentInput(BaseModel):
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [{"points": 7.5, "comment": "Mô hình số hóa sổ sách thôn hiệu quả, có minh chứng."}]
        },
    )
    points: float = Field(ge=0, description="0..điểm tối đa của tiêu chí / 0..the criterion's maximum")
    comment: Text | None = None


class Recusal(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    reason: Annotated[str, TextRule(max_length=500)]


async def _assignment(
    repos: Repositories, principal: Principal, scope: Scope, submission_id: str
) -> tuple[Score, Assignment]:
    """The latest version and this member's live assignment to it; 404 when there is none (or they recused)."""
    score = await repos.scores.latest(scope, submission_id)
    assignment = None
    if score is not None:
        assignment = await repos.assignments.get(scope, f"{score['_id']}:{principal.username}")
    if score is None or assignment is None or assignment["status"] not in COUNTING:
        raise NotFound(f"Bạn không được phân công hồ sơ {submission_id} / You review no submission {submission_id}")
    if score["status"] != "submitted":
        raise Conflict("Hồ sơ đang bị trả lại hoặc đã rút / The submission is returned or withdrawn")
    member = next((m for m in await roster(repos=repos, scope=scope) if m.username == principal.username), None)
    if member is None:
        raise Forbidden("Bạn không còn trong Hội đồng / You are no longer on the council")
    reason = conflict(member, entrant_of(score))
    if reason:
        raise Forbidden(f"Xung đột lợi ích: {reason} / Conflict of interest")
    return score, assignment


async def review_view(*, repos: Repositories, principal: Principal, scope: Scope, submission_id: str) -> dict[str, Any]:
    score, _assignment_doc = await _assignment(repos, principal, scope, submission_id)
    return await _view(repos, principal, scope, score)


async def _view(repos: Repositories, principal: Principal, scope: Scope, score: Score) -> dict[str, Any]:
    mine = await repos.assessments.find(
        scope,
        {
            "submission_id": score["submission_id"],
            "submission_version": score["submission_version"],
            "reviewer": principal.username,
        },
    )
    assignments = await repos.assignments.of_version(scope, score["submission_id"], score["submission_version"])
    return reviewer_view(score, mine, assignments)


def reviewer_view(score: Score, mine: list[Assessment], assignments: list[Assignment]) -> dict[str, Any]:
    """What a reviewer sees: the assessment criteria with their evidence, their own points, how many reviews are
    in; with a blind policy, nothing that names the entrant."""
    blind = policy_of(score).blind
    return {
        "submission_id": score["submission_id"],
        "submission_version": score["submission_version"],
        "period": score["period"],
        "blind": blind,
        "entrant": None if blind else score["entrant"],
        "criteria": [
            {key: c.get(key) for key in ("code", "theme", "title", "max_points", "narrative", "attachments")}
            for c in score["evidence"]
            if c["rule"] == "assessment"
        ],
        "my_assessments": {a["criterion"]: {"points": a["points"], "comment": a.get("comment")} for a in mine},
        "reviews_done": sum(1 for a in assignments if a["status"] == "done"),
        "reviews_wanted": sum(1 for a in assignments if a["status"] != "recused"),
    }


async def queue(*, repos: Repositories, principal: Principal, scope: Scope) -> tuple[dict[str, Any] | None, int]:
    """The member's next dossier: among their open reviews, the one with the fewest reviews done (a few bulk
    queries, whatever the number of open reviews)."""
    pending = await repos.assignments.pending_of(scope, principal.username)
    version_ids = [version_id(a["submission_id"], a["submission_version"]) for a in pending]
    if not version_ids:
        return None, 0
    scores = await repos.scores.of_versions(scope, version_ids)
    final = set(await repos.finals.of_versions(scope, version_ids))
    done: dict[str, int] = {}
    for other in await repos.assignments.done_of(scope, [a["submission_id"] for a in pending]):
        key = version_id(other["submission_id"], other["submission_version"])
        done[key] = done.get(key, 0) + 1
    waiting = [scores[v] for v in version_ids if v in scores and v not in final and scores[v]["status"] == "submitted"]
    if not waiting:
        return None, 0
    waiting.sort(key=lambda s: (done.get(s["_id"], 0), s["computed_at"]))
    try:
        view = await review_view(
            repos=repos, principal=principal, scope=scope, submission_id=waiting[0]["submission_id"]
        )
    except (Forbidden, NotFound, Conflict):
        return None, len(waiting)
    return view, len(waiting)


async def assess(
    *,
    repos: Repositories,
    principal: Principal,
    scope: Scope,
    submission_id: str,
    code: str,
    request: AssessmentInput,
) -> dict[str, Any]:
    score, assignment = await _assignment(repos, principal, scope, submission_id)
    criterion = next((c for c in score["evidence"] if c["code"] == code), None)
    if criterion is None or criterion["rule"] != "assessment":
        raise NotFound(f"Không có tiêu chí chấm {code} / No assessment criterion {code}")
    if request.points > criterion["max_points"]:
        raise Unprocessable(
            f"Tối đa {criterion['max_points']:g} điểm / at most {criterion['max_points']:g}",
            errors=[{"field": "points", "message": "vượt điểm tối đa của tiêu chí / above the criterion's maximum"}],
        )
    if await repos.finals.get(scope, score["_id"]) is not None:
        raise Conflict("Điểm đã được chốt / The score is already final")
    at = now()
    assessment_id = f"{score['_id']}:{principal.username}:{code}"
    event = new_event(
        AssessmentRecorded(
            submission_id=submission_id,
            submission_version=score["submission_version"],
            period=score["period"],
            criterion=code,
            reviewer=principal.username,
            points=request.points,
        ),
        event_id=derived_id(assessment_id, at.isoformat()),
        source=SOURCE,
        subject=submission_id,
        tenant=score["tenant"],
        province=score["province"],
    )
    existing = await repos.assessments.get(scope, assessment_id)
    if existing is None:
        saved = await repos.assessments.add(
            {
                "_id": assessment_id,
                "tenant": score["tenant"],
                "province": score["province"],
                "submission_id": submission_id,
                "submission_version": score["submission_version"],
                "reviewer": principal.username,
                "criterion": code,
                "points": request.points,
                "comment": request.comment,
                "updated_at": at,
                "audit": [audit(principal.user_id, "assessed", at, criterion=code, points=request.points)],
            },
            [event],
        )
    else:
        saved = await repos.assessments.reassess(
            scope,
            assessment_id,
            revision=existing["revision"],
            points=request.points,
            comment=request.comment,
            audit=audit(principal.user_id, "reassessed", at, points=request.points),
            events=[event],
        )
    if not saved:
        raise Conflict("Đánh giá vừa được thay đổi / The assessment changed meanwhile, reload it")
    await _complete_if_done(repos, scope, score, assignment, principal)
    return await _view(repos, principal, scope, score)


async def _complete_if_done(
    repos: Repositories, scope: Scope, score: Score, assignment: Assignment, principal: Principal
) -> None:
    mine = await repos.assessments.find(
        scope,
        {
            "submission_id": score["submission_id"],
            "submission_version": score["submission_version"],
            "reviewer": principal.username,
        },
    )
    if {a["criterion"] for a in mine} >= set(assessment_codes(score)):
        await set_status(
            repos=repos, scope=scope, assignment_id=assignment["_id"], status="done", actor=principal.user_id
        )
        await fill_or_finalise(repos=repos, scope=scope, score=score, actor=principal.user_id)


async def recuse(
    *, repos: Repositories, principal: Principal, scope: Scope, submission_id: str, request: Recusal
) -> int:
    """The member steps aside: their reviews of this dossier no longer count and another member is assigned."""
    score = await repos.scores.latest(scope, submission_id)
    assignment = await repos.assignments.get(scope, f"{score['_id']}:{principal.username}") if score else None
    if score is None or assignment is None or assignment["status"] not in REVIEWING:
        raise NotFound(f"Bạn không được phân công hồ sơ {submission_id} / You review no submission {submission_id}")
    if await repos.finals.get(scope, score["_id"]) is not None:
        raise Conflict("Điểm đã được chốt / The score is already final")
    if not await set_status(
        repos=repos,
        scope=scope,
        assignment_id=assignment["_id"],
        status="recused",
        actor=principal.user_id,
        reason=request.reason,
    ):
        raise Conflict("Phân công vừa được thay đổi / The assignment changed meanwhile, reload it")
    before = await repos.assignments.of_version(scope, submission_id, score["submission_version"])
    await fill_or_finalise(repos=repos, scope=scope, score=score, actor=principal.user_id)
    after = await repos.assignments.of_version(scope, submission_id, score["submission_version"])
    return len(after) - len(before)
