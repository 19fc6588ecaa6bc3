"""HTTP entry points of the scoring service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import StringConstraints

from scoring.api.deps import CommuneReader, Member, Officer, ProvinceAdmin, ProvinceReader, Repos, ScoreReader
from scoring.api.schemas import (
    Count,
    IndexRow,
    LeaderboardRow,
    QueueAnswer,
    ReviewView,
    ScoreBreakdown,
    ScoreList,
)
from scoring.domain.index import IndexSettings
from scoring.service import council, finalisation, index, reviews, views
from scoring.service.council import Roster
from scoring.service.reviews import AssessmentInput, Recusal
from thidua_shared.events import PERIOD_CODE_PATTERN, TargetGroup
from thidua_shared.problems import Forbidden
from thidua_shared.tenancy import Scope, commune_scope, read_scope
from thidua_shared.text import STORED

router = APIRouter()
PeriodQuery = Annotated[str, Query(pattern=PERIOD_CODE_PATTERN)]
PeriodPath = Annotated[str, Path(pattern=PERIOD_CODE_PATTERN)]
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,31}$")]
MAX_BATCH = 50  # dossiers one GET /scores answers
SubmissionIds = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=64)]],
    Query(
        min_length=1,
        max_length=MAX_BATCH,
        description="Mã hồ sơ, lặp lại tối đa 50 lần / A dossier's id, repeated up to 50 times",
    ),
]


@router.get("/scores", tags=["scores"], summary="Điểm của nhiều hồ sơ / Several dossiers' score breakdowns")
async def list_scores(submission_id: SubmissionIds, principal: ScoreReader, repos: Repos) -> ScoreList:
    """Each dossier as `GET /scores/{submission_id}` answers it; one it would answer 404 for is left out."""
    found = await views.breakdowns(repos=repos, principal=principal, submission_ids=list(dict.fromkeys(submission_id)))
    return ScoreList(items=[ScoreBreakdown.model_validate(view, context=STORED) for view in found])


@router.get("/scores/{submission_id}", tags=["scores"], summary="Điểm và cách tính / A dossier's score breakdown")
async def get_score(submission_id: str, principal: ScoreReader, repos: Repos) -> ScoreBreakdown:
    return ScoreBreakdown.model_validate(
        await views.breakdown(repos=repos, principal=principal, submission_id=submission_id), context=STORED
    )


@router.get("/council", tags=["council"], summary="Hội đồng chấm của xã / The commune's council roster")
async def get_council(principal: CommuneReader, repos: Repos) -> Roster:
    return Roster(members=tuple(await council.roster(repos, commune_scope(principal))))


@router.put("/council", tags=["council"], summary="Cập nhật Hội đồng / Set the council roster")
async def set_council(body: Roster, principal: Officer, repos: Repos) -> Roster:
    """The entrant ids it names (a member's units, a member as entrant) must be entrants of the commune that scoring
    knows: any other id answers 404 naming the field and the id, and nothing is stored. An entrant created a moment
    ago becomes known within seconds (its `entrant.recorded` event): try again."""
    scope = commune_scope(principal)
    await council.check_entrants(repos, scope, body)
    document = await council.set_roster(repos=repos, principal=principal, scope=scope, request=body)
    await reviews.follow_roster(repos=repos, scope=scope, actor=principal.user_id)
    return Roster.model_validate({"members": document["members"]})


@router.post("/council/assign", tags=["council"], summary="Phân công chấm hồ sơ còn thiếu / Assign waiting dossiers")
async def assign_waiting(period: PeriodQuery, principal: Officer, repos: Repos) -> Count:
    assigned = await reviews.assign_waiting(
        repos=repos, scope=commune_scope(principal), period=period, actor=principal.user_id
    )
    return Count(count=assigned)


@router.get("/reviews/queue", tags=["reviews"], summary="Hồ sơ tiếp theo cần chấm / My next dossier to review")
async def review_queue(principal: Member, repos: Repos) -> QueueAnswer:
    view, waiting = await reviews.queue(repos=repos, principal=principal, scope=commune_scope(principal))
    return QueueAnswer(next=ReviewView.model_validate(view, context=STORED) if view else None, waiting=waiting)


@router.get("/reviews/{submission_id}", tags=["reviews"], summary="Hồ sơ được phân công / A dossier I review")
async def review(submission_id: str, principal: Member, repos: Repos) -> ReviewView:
    view = await reviews.review_view(
        repos=repos, principal=principal, scope=commune_scope(principal), submission_id=submission_id
    )
    return ReviewView.model_validate(view, context=STORED)


@router.put(
    "/reviews/{submission_id}/assessments/{code}",
    tags=["reviews"],
    summary="Chấm một tiêu chí / Score an assessment criterion",
)
async def assess(submission_id: str, code: Code, body: AssessmentInput, principal: Member, repos: Repos) -> ReviewView:
    view = await reviews.assess(
        repos=repos,
        principal=principal,
        scope=commune_scope(principal),
        submission_id=submission_id,
        code=code,
        request=body,
    )
    return ReviewView.model_validate(view, context=STORED)


@router.post("/reviews/{submission_id}/recuse", tags=["reviews"], summary="Xin không chấm / Recuse myself")
async def recuse(submission_id: str, body: Recusal, principal: Member, repos: Repos) -> Count:
    return Count(
        count=await reviews.recuse(
            repos=repos, principal=principal, scope=commune_scope(principal), submission_id=submission_id, request=body
        )
    )


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
    return await index.settings_for(repos, str(principal.province))


@router.put("/index/settings", tags=["index"], summary="Đặt trọng số / Set index weights and pillars")
async def put_index_settings(body: IndexSettings, principal: ProvinceAdmin, repos: Repos) -> IndexSettings:
    if principal.tenant is not None:
        raise Forbidden("Chỉ quản trị cấp tỉnh / Province administrators only")
    return await index.set_settings(repos=repos, principal=principal, settings=body)
