"""One commune's figures and its entrants, with how current they are."""

from __future__ import annotations

from fastapi import APIRouter

from rollups.api.deps import CommuneReader, Lag, Models, Period, Units
from rollups.api.schemas import CommuneFiguresResponse, CommuneRow, EntrantRow, EntrantsResponse, Freshness
from rollups.service import views
from thidua_platform.pagination import Paging

router = APIRouter(prefix="/rollups/communes", tags=["rollups"])


@router.get("/{commune}", summary="Số liệu của một xã / One commune's figures")
async def commune_figures(
    commune: str, principal: CommuneReader, models: Models, units: Units, probe: Lag, period: Period = None
) -> CommuneFiguresResponse:
    row = await views.commune(models=models, units=units, principal=principal, tenant=commune, period=period)
    return CommuneFiguresResponse(
        figures=CommuneRow(**row), freshness=Freshness(**await views.freshness(models=models, probe=probe))
    )


@router.get(
    "/{commune}/entrants",
    summary="Các đối tượng thi đua của xã, điểm cao trước / A commune's entrants, best score first",
)
async def commune_entrants(
    commune: str, principal: CommuneReader, models: Models, probe: Lag, paging: Paging, period: Period = None
) -> EntrantsResponse:
    rows, total = await views.entrants(
        models=models, principal=principal, tenant=commune, period=period, skip=paging.skip, limit=paging.page_size
    )
    return EntrantsResponse(
        commune=commune,
        period=period,
        items=[EntrantRow(**r) for r in rows],
        total=total,
        page=paging.page,
        page_size=paging.page_size,
        freshness=Freshness(**await views.freshness(models=models, probe=probe)),
    )
