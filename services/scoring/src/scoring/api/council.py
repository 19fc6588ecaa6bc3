"""The commune's council: its roster, and the assignment of the dossiers waiting for reviewers."""

from __future__ import annotations

from fastapi import APIRouter

from scoring.api.deps import CommuneReader, Officer, PeriodQuery, Repos
from scoring.api.schemas import Count
from scoring.service import assignment, council
from scoring.service.council import Roster
from thidua_platform.tenancy import commune_scope

router = APIRouter()


@router.get("/council", tags=["council"], summary="Hội đồng Thi đua - Khen thưởng của xã / The commune's council")
async def get_council(principal: CommuneReader, repos: Repos) -> Roster:
    return await council.standing_council(repos=repos, scope=commune_scope(principal))


@router.put("/council", tags=["council"], summary="Cập nhật Hội đồng / Set the council roster")
async def set_council(body: Roster, principal: Officer, repos: Repos) -> Roster:
    """The entrant ids it names (a member's units, a member as entrant) must be entrants of the commune that scoring
    knows: any other id answers 404 naming the field and the id, and nothing is stored. An entrant created a moment
    ago becomes known within seconds (its `entrant.recorded` event): try again."""
    document = await assignment.change_council(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    return Roster.model_validate({"members": document["members"], "established_by": document.get("established_by")})


@router.post("/council/assign", tags=["council"], summary="Phân công chấm hồ sơ còn thiếu / Assign waiting dossiers")
async def assign_waiting(period: PeriodQuery, principal: Officer, repos: Repos) -> Count:
    assigned = await assignment.assign_waiting(
        repos=repos, scope=commune_scope(principal), period=period, actor=principal.user_id
    )
    return Count(count=assigned)
