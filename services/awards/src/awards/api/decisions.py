"""The chairman's decisions and upward proposals; the province's answers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from awards.api.council import PDF, pdf_response
from awards.api.deps import Chair, Fonts, ProvinceStaff, Reader, Repos
from awards.api.schemas import DecisionView, Dossier, ProposalView, page_of
from awards.domain.lifecycle import PROPOSAL_STATUS_NAMES, ProposalStatus
from awards.service import decisions, documents, outcomes, proposals
from awards.service.common import found
from awards.service.decisions import DecisionRequest
from awards.service.outcomes import OutcomeRequest
from awards.service.proposals import ProposalRequest
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.pagination import Page, Paging
from thidua_platform.tenancy import ChosenCommune, commune_scope, listing_scope, read_scope

router = APIRouter()
Period = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]


@router.post(
    "/decisions",
    tags=["decisions"],
    status_code=201,
    summary="Quyết định khen thưởng của Chủ tịch UBND xã / The chairman's decision",
    responses={200: {"description": "Đã có quyết định này / The same decision, already recorded"}},
)
async def decide(body: DecisionRequest, principal: Chair, repos: Repos, response: Response) -> DecisionView:
    document, created = await decisions.decide(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/decisions/{document['_id']}"
    return DecisionView.of(document)


@router.get(
    "/decisions",
    tags=["decisions"],
    summary="Các quyết định, mới nhất trước / Decisions, newest first",
    description="Theo trang; quyết định ghi sau cùng trước. / Paged; the latest recorded first.",
)
async def list_decisions(
    principal: Reader, repos: Repos, paging: Paging, period: Period = None, commune: ChosenCommune = None
) -> Page[DecisionView]:
    query = {"period": period} if period else {}
    found_ = await repos.decisions.page(
        listing_scope(principal, commune), query, skip=paging.skip, limit=paging.page_size, sort=("created_at", -1)
    )
    return page_of(DecisionView, found_, paging)


@router.get("/decisions/{decision_id}", tags=["decisions"], summary="Một quyết định / One decision")
async def get_decision(decision_id: str, principal: Reader, repos: Repos) -> DecisionView:
    return DecisionView.of(
        found(await repos.decisions.get(read_scope(principal), decision_id), "quyết định / decision")
    )


@router.get(
    "/decisions/{decision_id}/document.pdf",
    tags=["decisions"],
    summary="Quyết định kèm danh sách (PDF) / The decision with its list",
    response_class=Response,
    responses=PDF,  # type: ignore[arg-type]
)
async def decision_document(decision_id: str, principal: Reader, repos: Repos, fonts: Fonts) -> Response:
    content = await documents.decision(repos=repos, scope=read_scope(principal), decision_id=decision_id, fonts=fonts)
    return pdf_response(content, f"quyet-dinh-{decision_id}.pdf")


@router.post(
    "/proposals",
    tags=["proposals"],
    status_code=201,
    summary="Tờ trình đề nghị cấp trên khen thưởng / Propose a higher award",
    responses={200: {"description": "Đã có tờ trình này / The same proposal, already recorded"}},
)
async def propose(body: ProposalRequest, principal: Chair, repos: Repos, response: Response) -> ProposalView:
    document, created = await proposals.propose(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/proposals/{document['_id']}"
    return ProposalView.of(document)


@router.get(
    "/proposals",
    tags=["proposals"],
    summary="Các tờ trình, mới nhất trước / Proposals, newest first",
    description=(
        "Theo trang; tờ trình ghi sau cùng trước. Của xã; cán bộ tỉnh: của mọi xã trong tỉnh. / Paged; the latest "
        "recorded first. The commune's; province staff: every commune's of the province."
    ),
)
async def list_proposals(
    principal: Reader,
    repos: Repos,
    paging: Paging,
    period: Period = None,
    status: Annotated[
        list[ProposalStatus] | None,
        Query(
            max_length=len(PROPOSAL_STATUS_NAMES),
            description="Trạng thái, lặp lại để lấy nhiều trạng thái / A status, repeated for any of several",
        ),
    ] = None,
) -> Page[ProposalView]:
    found_ = await repos.proposals.listed(
        read_scope(principal),
        period=period,
        statuses=list(dict.fromkeys(status or ())),
        skip=paging.skip,
        limit=paging.page_size,
    )
    return page_of(ProposalView, found_, paging)


@router.get("/proposals/{proposal_id}", tags=["proposals"], summary="Một tờ trình / One proposal")
async def get_proposal(proposal_id: str, principal: Reader, repos: Repos) -> ProposalView:
    return ProposalView.of(found(await repos.proposals.get(read_scope(principal), proposal_id), "tờ trình / proposal"))


@router.get("/proposals/{proposal_id}/dossier", tags=["proposals"], summary="Hồ sơ đề nghị / The proposal's dossier")
async def dossier(proposal_id: str, principal: Reader, repos: Repos) -> Dossier:
    return Dossier.model_validate(
        await documents.dossier_index(repos=repos, scope=read_scope(principal), proposal_id=proposal_id)
    )


@router.get(
    "/proposals/{proposal_id}/documents/{kind}.pdf",
    tags=["proposals"],
    summary="Văn bản trong hồ sơ (PDF) / A document of the dossier",
    response_class=Response,
    responses=PDF,  # type: ignore[arg-type]
)
async def proposal_document(
    proposal_id: str,
    kind: Annotated[Literal["to-trinh", "bien-ban", "bao-cao-thanh-tich"], Path()],
    principal: Reader,
    repos: Repos,
    fonts: Fonts,
    candidate_id: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    content = await documents.proposal_document(
        repos=repos,
        scope=read_scope(principal),
        proposal_id=proposal_id,
        kind=kind,
        candidate_id=candidate_id,
        fonts=fonts,
    )
    return pdf_response(content, f"{kind}-{proposal_id}.pdf")


@router.post(
    "/proposals/{proposal_id}/outcome",
    tags=["proposals"],
    summary="Ghi kết quả của tỉnh hoặc Trung ương / Record the province's or the central answer",
)
async def record_outcome(
    proposal_id: str, body: OutcomeRequest, principal: ProvinceStaff, repos: Repos
) -> ProposalView:
    document = await outcomes.record_outcome(
        repos=repos, principal=principal, scope=read_scope(principal), proposal_id=proposal_id, request=body
    )
    return ProposalView.of(document)
