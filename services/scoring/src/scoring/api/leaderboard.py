"""The leaderboard: a commune's dossiers of one target group and period, ranked."""

from __future__ import annotations

from fastapi import APIRouter

from scoring.api.deps import CommuneReader, PeriodQuery, Repos
from scoring.api.schemas import LeaderboardRow
from scoring.service import views
from thidua_contracts.terms import TargetGroup
from thidua_platform.tenancy import ChosenCommune, listing_scope
from thidua_platform.text import STORED

router = APIRouter()


@router.get("/leaderboard", tags=["scores"], summary="Xếp hạng trong nhóm / Ranking within a target group")
async def leaderboard(
    period: PeriodQuery,
    group: TargetGroup,
    principal: CommuneReader,
    repos: Repos,
    commune: ChosenCommune = None,
) -> list[LeaderboardRow]:
    rows = await views.leaderboard(repos=repos, scope=listing_scope(principal, commune), period=period, group=group)
    return [LeaderboardRow.model_validate(row, context=STORED) for row in rows]
