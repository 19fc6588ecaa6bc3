from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from rollups import service
from rollups.api.schemas import CommuneFiguresResponse, CommuneFiguresView, Freshness, ProvinceFigures
from rollups.repository import FactRepository
from thidua_shared.auth import Principal
from thidua_shared.events import PERIOD_CODE_PATTERN
from thidua_shared.problems import Forbidden
from thidua_shared.tenancy import Scope, read_scope
from thidua_shared.web import roles_required

router = APIRouter(prefix="/rollups", tags=["rollups"])

CommuneReader = Annotated[
    Principal,
    Depends(roles_required("commune_officer", "commune_chair", "province_staff", "province_admin")),
]
ProvinceReader = Annotated[Principal, Depends(roles_required("province_staff", "province_admin"))]
Period = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]


def repository(request: Request) -> FactRepository:
    repo: FactRepository = request.app.state.facts
    return repo


Repository = Annotated[FactRepository, Depends(repository)]


async def _freshness(repo: FactRepository) -> Freshness:
    document = await repo.freshness() or {}
    return Freshness(last_event_time=document.get("last_event_time"), last_applied_at=document.get("last_applied_at"))


@router.get("/communes/{commune}", summary="Số liệu của một xã / One commune's figures")
async def commune_figures(
    commune: str, principal: CommuneReader, repo: Repository, period: Period = None
) -> CommuneFiguresResponse:
    figures = await service.one_commune(repository=repo, scope=read_scope(principal), commune=commune, period=period)
    return CommuneFiguresResponse(figures=CommuneFiguresView(**asdict(figures)), freshness=await _freshness(repo))


@router.get("/provinces/{province}", summary="Số liệu các xã của tỉnh / Every commune of a province")
async def province_figures(
    province: str, principal: ProvinceReader, repo: Repository, period: Period = None
) -> ProvinceFigures:
    if principal.province != province or principal.tenant is not None:
        raise Forbidden("Chỉ xem được tỉnh của mình / Only your own province")
    rows = await service.commune_figures(repository=repo, scope=Scope(province=province), period=period)
    communes = [CommuneFiguresView(**asdict(row)) for row in rows]
    totals = CommuneFiguresView(**asdict(service.totals(rows)))
    return ProvinceFigures(
        province=province, period=period, communes=communes, totals=totals, freshness=await _freshness(repo)
    )
