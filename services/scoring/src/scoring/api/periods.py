"""A commune's scoring period: closing it finalises every dossier whose reviews are in."""

from __future__ import annotations

from fastapi import APIRouter

from scoring.api.deps import Officer, PeriodPath, Repos
from scoring.api.schemas import Count
from scoring.service import finalisation
from thidua_platform.tenancy import commune_scope

router = APIRouter()


@router.post(
    "/periods/{period}/close",
    tags=["scores"],
    summary="Chốt điểm của kỳ / Close scoring: finalise every dossier with the reviews in",
)
async def close_period(period: PeriodPath, principal: Officer, repos: Repos) -> Count:
    closed = await finalisation.close_period(
        repos=repos, scope=commune_scope(principal), period=period, actor=principal.user_id
    )
    return Count(count=closed)
