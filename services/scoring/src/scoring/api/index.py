"""The commune digital-transformation index: the province's ranking, and its weights and pillars."""

from __future__ import annotations

from fastapi import APIRouter

from scoring.api.deps import PeriodQuery, ProvinceAdmin, ProvinceReader, Repos
from scoring.api.schemas import IndexRow
from scoring.domain.index import IndexSettings
from scoring.service import index
from thidua_platform.problems import Forbidden

router = APIRouter()


@router.get(
    "/index/provinces/{province}",
    tags=["index"],
    summary="Xếp hạng chỉ số chuyển đổi số cấp xã / The province's commune index ranking",
)
async def province_index(province: str, period: PeriodQuery, principal: ProvinceReader, repos: Repos) -> list[IndexRow]:
    if principal.province != province or principal.tenant is not None:
        raise Forbidden("Chỉ xem được tỉnh của mình / Only your own province")
    rows = await index.province_ranking(repos=repos, province=province, period=period)
    return [IndexRow.model_validate(row) for row in rows]


@router.get("/index/settings", tags=["index"], summary="Trọng số và trụ cột / Index weights and pillars")
async def get_index_settings(principal: ProvinceReader, repos: Repos) -> IndexSettings:
    return await index.settings_for(repos=repos, province=str(principal.province))


@router.put("/index/settings", tags=["index"], summary="Đặt trọng số / Set index weights and pillars")
async def put_index_settings(body: IndexSettings, principal: ProvinceAdmin, repos: Repos) -> IndexSettings:
    if principal.tenant is not None:
        raise Forbidden("Chỉ quản trị cấp tỉnh / Province administrators only")
    return await index.set_settings(repos=repos, principal=principal, settings=body)
