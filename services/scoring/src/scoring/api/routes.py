from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from scoring import service
from scoring.api.schemas import ScoreView
from scoring.repository import ScoreRepository
from thidua_shared.auth import Principal
from thidua_shared.tenancy import read_scope
from thidua_shared.web import roles_required

router = APIRouter(prefix="/scores", tags=["scores"])

Reader = Annotated[
    Principal,
    Depends(
        roles_required(
            "submitter", "commune_officer", "council_member", "commune_chair", "province_staff", "province_admin"
        )
    ),
]


def repository(request: Request) -> ScoreRepository:
    repo: ScoreRepository = request.app.state.scores
    return repo


@router.get("/{submission_id}", summary="Điểm và cách tính / A submission's score breakdown")
async def get_score(
    submission_id: str, principal: Reader, repo: Annotated[ScoreRepository, Depends(repository)]
) -> ScoreView:
    document = await service.score_of(repository=repo, scope=read_scope(principal), submission_id=submission_id)
    return ScoreView.of(document)
