from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from awards import service
from awards.api.schemas import CandidateList, CandidateView
from awards.repository import CandidateRepository
from thidua_shared.auth import Principal
from thidua_shared.events import PERIOD_CODE_PATTERN
from thidua_shared.tenancy import read_scope
from thidua_shared.web import roles_required

router = APIRouter(prefix="/candidates", tags=["candidates"])

Reader = Annotated[
    Principal,
    Depends(roles_required("commune_officer", "council_member", "commune_chair", "province_staff", "province_admin")),
]


def repository(request: Request) -> CandidateRepository:
    repo: CandidateRepository = request.app.state.candidates
    return repo


@router.get("", summary="Danh sách đề xuất khen thưởng / Award candidates")
async def list_candidates(
    principal: Reader,
    repo: Annotated[CandidateRepository, Depends(repository)],
    period: Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> CandidateList:
    documents = await service.list_candidates(repository=repo, scope=read_scope(principal), period=period, limit=limit)
    return CandidateList(items=[CandidateView.of(d) for d in documents])
