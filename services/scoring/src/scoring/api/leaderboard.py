"""The leaderboard: a commune's dossiers of one target group and period, ranked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from scoring.api.deps import CommuneReader, PeriodQuery, Repos
from scoring.api.schemas import LeaderboardRow
from scoring.service import views
from thidua_contracts.terms import TargetGroup
from thidua_platform.problems import Forbidden
from thidua_platform.tenancy import Scope, read_scope
from thidua_platform.text import STORED

router = APIRouter()


@router.get("/leaderboard", tags=["scores"], summary="Xếp hạng trong nhóm / Ranking within a target group")
async def leaderboard(
    period: PeriodQuery,
    group: TargetGroup,
    principal: CommuneReader,
    repos: Repos,
    commune: Annotated[
        str | None, Query(max_length=64, description="Tỉnh: mã xã / Province staff: the commune")
    ] = None,
) -> list[LeaderboardRow]:
    scope = read_scope(principal)
    if scope.tenant is None:
        if not commune:
            raise Forbidden("Cần chọn xã / Choose a commune")
        scope = Scope(tenant=commune, province=scope.province)
    rows = await views.leaderboard(repos=repos, scope=scope, period=period, group=group)
    return [LeaderboardRow.model_validate(row, context=STORED) for row in rows]
