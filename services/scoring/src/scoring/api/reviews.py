"""A council member's reviews: the next dossier to review, a dossier reviewed, its criteria scored, a recusal."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from scoring.api.deps import Member, Repos
from scoring.api.schemas import Count, QueueAnswer, ReviewView
from scoring.service import reviews
from scoring.service.reviews import AssessmentInput, Recusal
from thidua_platform.tenancy import commune_scope
from thidua_platform.text import STORED

router = APIRouter()
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]


@router.get("/reviews/queue", tags=["reviews"], summary="Hồ sơ tiếp theo cần chấm / My next dossier to review")
async def review_queue(principal: Member, repos: Repos) -> QueueAnswer:
    view, waiting = await reviews.queue(repos=repos, principal=principal, scope=commune_scope(principal))
    return QueueAnswer(next=ReviewView.model_validate(view, context=STORED) if view else None, waiting=waiting)


@router.get("/reviews/{submission_id}", tags=["reviews"], summary="Hồ sơ được phân công / A dossier I review")
async def review(submission_id: str, principal: Member, repos: Repos) -> ReviewView:
    view = await reviews.review_view(
        repos=repos, principal=principal, scope=commune_scope(principal), submission_id=submission_id
    )
    return ReviewView.model_validate(view, context=STORED)


@router.put(
    "/reviews/{submission_id}/assessments/{code}",
    tags=["reviews"],
    summary="Chấm một tiêu chí / Score an assessment criterion",
)
async def assess(submission_id: str, code: Code, body: AssessmentInput, principal: Member, repos: Repos) -> ReviewView:
    view = await reviews.assess(
        repos=repos,
        principal=principal,
        scope=commune_scope(principal),
        submission_id=submission_id,
        code=code,
        request=body,
    )
    return ReviewView.model_validate(view, context=STORED)


@router.post("/reviews/{submission_id}/recuse", tags=["reviews"], summary="Xin không chấm / Recuse myself")
async def recuse(submission_id: str, body: Recusal, principal: Member, repos: Repos) -> Count:
    return Count(
        count=await reviews.recuse(
            repos=repos, principal=principal, scope=commune_scope(principal), submission_id=submission_id, request=body
        )
    )
