from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from rollups.api.schemas import (
    CommuneFiguresResponse,
    CommuneRow,
    EntrantRow,
    EntrantsResponse,
    Freshness,
    ProvinceFigures,
)
from rollups.repository import ReadModels
from rollups.service import views
from thidua_shared.auth import Principal
from thidua_shared.events import PERIOD_CODE_PATTERN
from thidua_shared.lag import LagProbe
from thidua_shared.pagination import Paging
from thidua_shared.web import roles_required

router = APIRouter(prefix="/rollups", tags=["rollups"])

CommuneReader = Annotated[
    Principal,
    Depends(roles_required("commune_officer", "commune_chair", "province_staff", "province_admin")),
]
ProvinceReader = Annotated[Principal, Depends(roles_required("province_staff", "province_admin"))]
Period = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]


def read_models(request: Request) -> ReadModels:
    models: ReadModels = request.app.state.read_models
    return models


def lag_probe(request: Request) -> LagProbe:
    probe: LagProbe = request.app.state.lag
    return probe


Models = Annotated[ReadModels, Depends(read_models)]
Lag = Annotated[LagProbe, Depends(lag_probe)]


async def freshness(models: ReadModels, probe: LagProbe) -> Freshness:
    found = await models.freshness()
    return Freshness(
        last_event_time=found.get("last_event_time") if found else None,
        last_applied_at=found.get("last_applied_at") if found else None,
        lag=await probe.lag(),
        pending_summaries=await models.pending(),
    )


@router.get("/communes/{commune}", summary="Số liệu của một xã / One commune's figures")
async def commune_figures(
    commune: str, principal: CommuneReader, models: Models, probe: Lag, period: Period = None
) -> CommuneFiguresResponse:
    row = await views.commune(models, principal, commune, period)
    return CommuneFiguresResponse(figures=CommuneRow(**row), freshness=await freshness(models, probe))


@router.get(
    "/communes/{commune}/entrants",
    summary="Các đối tượng thi đua của xã, điểm cao trước / A commune's entrants, best score first",
)
async def commune_entrants(
    commune: str, principal: CommuneReader, models: Models, probe: Lag, paging: Paging, period: Period = None
) -> EntrantsResponse:
    rows, total = await views.entrants(models, principal, commune, period, skip=paging.skip, limit=paging.page_size)
    return EntrantsResponse(
        commune=commune,
        period=period,
        items=[EntrantRow(**r) for r in rows],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
        freshness=await freshness(models, probe),
    )


@router.get(
    "/provinces/{province}", summary="Số liệu và xếp hạng các xã của tỉnh / Every commune of a province, ranked"
)
async def province_figures(
    province: str, principal: ProvinceReader, models: Models, probe: Lag, paging: Paging, period: Period = None
) -> ProvinceFigures:
    view = await views.province(models, principal, province, period, skip=paging.skip, limit=paging.page_size)
    return ProvinceFigures(
        **view, page=paging.page, page_size=paging.page_size, freshness=await freshness(models, probe)
    )
