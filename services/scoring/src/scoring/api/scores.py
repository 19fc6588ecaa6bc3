"""Scores: a dossier's score breakdown, or several dossiers' at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import StringConstraints

from scoring.api.deps import Repos, ScoreReader
from scoring.api.schemas import ScoreBreakdown, ScoreList
from scoring.service import views
from thidua_platform.text import STORED

router = APIRouter()
MAX_BATCH = 50  # dossiers one GET /scores answers
SubmissionIds = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
    Query(
        min_length=1,
        max_length=MAX_BATCH,
        description="Mã hồ sơ, lặp lại tối đa 50 lần / A dossier's id, repeated up to 50 times",
    ),
]


@router.get("/scores", tags=["scores"], summary="Điểm của nhiều hồ sơ / Several dossiers' score breakdowns")
async def list_scores(submission_id: SubmissionIds, principal: ScoreReader, repos: Repos) -> ScoreList:
    """Each dossier as `GET /scores/{submission_id}` answers it; one it would answer 404 for is left out."""
    found = await views.breakdowns(repos=repos, principal=principal, submission_ids=list(dict.fromkeys(submission_id)))
    return ScoreList(items=[ScoreBreakdown.model_validate(view, context=STORED) for view in found])


@router.get("/scores/{submission_id}", tags=["scores"], summary="Điểm và cách tính / A dossier's score breakdown")
async def get_score(submission_id: str, principal: ScoreReader, repos: Repos) -> ScoreBreakdown:
    return ScoreBreakdown.model_validate(
        await views.breakdown(repos=repos, principal=principal, submission_id=submission_id), context=STORED
    )
