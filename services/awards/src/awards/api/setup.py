"""Catalogue, rules and settings of the province, the commune's letterhead, entrants' standing."""

from __future__ import annotations

from fastapi import APIRouter

from awards.api.deps import AnyUser, Officer, ProvinceAdmin, Reader, Repos
from awards.api.schemas import Catalogue, FormView, RuleList, StandingView
from awards.domain.catalogue import FORMS, ROUND_NAMES
from awards.domain.rules import AwardRule
from awards.domain.settings import ProvinceSettings
from awards.service import letterhead, province_rules, standing
from awards.service.common import found, province_scope
from awards.service.letterhead import LetterheadInput
from awards.service.standing import StandingInput
from thidua_platform.tenancy import commune_scope, read_scope

router = APIRouter()


@router.get("/catalogue", tags=["catalogue"], summary="Danh mục hình thức khen thưởng / Award forms")
async def catalogue(_principal: AnyUser) -> Catalogue:
    return Catalogue(
        forms=[
            FormView(
                code=f.code,
                name=f.name,
                name_en=f.name_en,
                recipient_kinds=sorted(f.recipient_kinds),
                level=f.level,
                decided_by=f.decided_by,
                rounds=list(f.rounds),
                proposed_to=f.proposed_to,
            )
            for f in FORMS.values()
        ],
        rounds=dict(ROUND_NAMES),
    )


@router.get("/rules", tags=["catalogue"], summary="Điều kiện xét khen của tỉnh / The province's award rules")
async def get_rules(principal: AnyUser, repos: Repos) -> RuleList:
    scope = province_scope(principal)
    return RuleList(items=await province_rules.effective_rules(repos=repos, province=scope.province_code))


@router.put("/rules", tags=["catalogue"], summary="Đặt điều kiện cho một hình thức và đợt / Set one rule")
async def put_rule(body: AwardRule, principal: ProvinceAdmin, repos: Repos) -> AwardRule:
    return await province_rules.set_rule(repos=repos, principal=principal, rule=body)


@router.get("/letterhead", tags=["catalogue"], summary="Tiêu đề văn bản của xã / The commune's letterhead")
async def get_letterhead(principal: Reader, repos: Repos) -> LetterheadInput:
    return await letterhead.letterhead_of(repos=repos, scope=commune_scope(principal))


@router.put("/letterhead", tags=["catalogue"], summary="Đặt tiêu đề văn bản / Set the letterhead")
async def put_letterhead(body: LetterheadInput, principal: Officer, repos: Repos) -> LetterheadInput:
    return await letterhead.set_letterhead(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )


@router.get(
    "/settings", tags=["catalogue"], summary="Số thành viên tối thiểu, hạn mức Trung ương / Quorum, central quotas"
)
async def get_settings(principal: AnyUser, repos: Repos) -> ProvinceSettings:
    scope = province_scope(principal)
    return await province_rules.effective_settings(repos=repos, province=scope.province_code)


@router.put("/settings", tags=["catalogue"], summary="Đặt số thành viên tối thiểu, hạn mức / Set quorum and quotas")
async def put_settings(body: ProvinceSettings, principal: ProvinceAdmin, repos: Repos) -> ProvinceSettings:
    return await province_rules.set_settings(repos=repos, principal=principal, settings=body)


@router.put("/standings", tags=["candidates"], summary="Kỷ luật, điều tra, khiếu nại / An entrant's standing")
async def put_standing(body: StandingInput, principal: Officer, repos: Repos) -> StandingView:
    document = await standing.set_standing(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    return StandingView.of(document)


@router.get("/standings/{entrant_id}", tags=["candidates"], summary="Tình trạng của đối tượng / An entrant's standing")
async def get_standing(entrant_id: str, principal: Reader, repos: Repos) -> StandingView:
    scope = read_scope(principal)
    documents = await repos.standings.find(scope, {"entrant.id": entrant_id}, limit=1)
    return StandingView.of(found(documents[0] if documents else None, "tình trạng / standing"))
