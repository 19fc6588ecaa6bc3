"""A province's communes, ranked, with the province's totals and how current they are; the province's units by name."""

from __future__ import annotations

from fastapi import APIRouter

from rollups.api.deps import Lag, Models, Period, ProvinceReader, Units
from rollups.api.schemas import Freshness, ProvinceFigures, ProvinceUnits
from rollups.service import views
from thidua_platform.pagination import Paging

router = APIRouter(prefix="/rollups/provinces", tags=["rollups"])


@router.get("/{province}", summary="Số liệu và xếp hạng các xã của tỉnh / Every commune of a province, ranked")
async def province_figures(
    province: str,
    principal: ProvinceReader,
    models: Models,
    units: Units,
    probe: Lag,
    paging: Paging,
    period: Period = None,
) -> ProvinceFigures:
    view = await views.province(
        models=models,
        units=units,
        principal=principal,
        code=province,
        period=period,
        skip=paging.skip,
        limit=paging.page_size,
    )
    return ProvinceFigures(
        **view,
        page=paging.page,
        page_size=paging.page_size,
        freshness=Freshness(**await views.freshness(models=models, probe=probe)),
    )


@router.get("/{province}/units", summary="Tên tỉnh và tên các xã của tỉnh / The province's and its communes' names")
async def province_units(province: str, principal: ProvinceReader, units: Units) -> ProvinceUnits:
    return ProvinceUnits(**await views.unit_names(units=units, principal=principal, code=province))
