"""The candidate list and the award history."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Response
from pydantic import StringConstraints

from awards.api.deps import HistoryReader, Officer, Reader, Repos
from awards.api.schemas import CandidateView, Evaluation, EvaluationList, HistoryView, page_of
from awards.domain.lifecycle import CandidateStatus
from awards.service import ad_hoc, candidates, standing
from awards.service.ad_hoc import AdHocRequest
from awards.service.candidates import AddRequest, EvaluateRequest, ReviewRequest
from awards.service.common import found
from awards.service.standing import PastAwardInput
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.pagination import Page, PageRequest, Paging
from thidua_platform.tenancy import ChosenCommune, commune_scope, listing_scope, read_scope
from thidua_platform.text import STORED

router = APIRouter()
Period = Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)]
MAX_ENTRANTS = 50  # entrants one GET /history answers
MAX_PAGE_SIZE = 200  # thidua_platform.pagination's bound, which the deprecated `limit` of GET /candidates keeps to
EntrantIds = Annotated[
    list[Annotated[str, StringConstraints(max_length=100)]] | None,
    Query(
        max_length=MAX_ENTRANTS,
        description="Mã đối tượng, lặp lại tối đa 50 lần / An entrant's id, repeated up to 50 times",
    ),
]


@router.get(
    "/candidates",
    tags=["candidates"],
    summary="Danh sách đề xuất khen thưởng, điểm cao trước / Award candidates, highest total first",
    description=(
        "Theo trang; xếp theo tổng điểm giảm dần, cùng điểm thì theo mã đề xuất. / "
        "Paged; ordered by total, highest first, equal totals by the candidate's id."
    ),
)
async def list_candidates(
    principal: Reader,
    repos: Repos,
    paging: Paging,
    period: Period = None,
    award_form: Annotated[str | None, Query(max_length=40)] = None,
    status: CandidateStatus | None = None,
    commune: ChosenCommune = None,
    limit: Annotated[
        int | None,
        Query(
            ge=1,
            le=500,
            deprecated=True,
            description=(
                "Cũ, dùng page_size; bỏ ở bản sau. Nếu có: số mục của trang, tối đa 200 / "
                "Deprecated, use page_size; removed in the next release. When sent: the page's size, at most 200"
            ),
        ),
    ] = None,
) -> Page[CandidateView]:
    if limit is not None:  # a caller of the old list: its first `limit` candidates, within the page size's bound
        paging = PageRequest(page=paging.page, page_size=min(limit, MAX_PAGE_SIZE))
    found_ = await candidates.list_candidates(
        repos=repos,
        scope=listing_scope(principal, commune),
        period=period,
        award_form=award_form,
        status=status,
        paging=paging,
    )
    return page_of(CandidateView, found_, paging)


@router.post(
    "/candidates/evaluate", tags=["candidates"], summary="Xét danh sách theo điều kiện / Evaluate the rule for a form"
)
async def evaluate(body: EvaluateRequest, principal: Officer, repos: Repos) -> EvaluationList:
    rows = await candidates.evaluate_list(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    return EvaluationList(items=[Evaluation.model_validate(r, context=STORED) for r in rows])


@router.post("/candidates", tags=["candidates"], status_code=201, summary="Bổ sung đề xuất / Add a candidate by hand")
async def add_candidate(body: AddRequest, principal: Officer, repos: Repos) -> CandidateView:
    document = await candidates.add(repos=repos, principal=principal, scope=commune_scope(principal), request=body)
    return CandidateView.of(document)


@router.post(
    "/candidates/ad-hoc",
    tags=["candidates"],
    status_code=201,
    summary="Đề xuất khen thưởng đột xuất / Propose an ad-hoc award",
    description=(
        "Một đối tượng của xã (theo mã, hoặc nêu tên nếu chưa có hồ sơ), hình thức, thành tích, ngày và minh chứng; "
        "không xét điểm, hạn mức; vẫn xét kỷ luật, thanh tra, khiếu nại. Trình Hội đồng bằng phiên họp đột xuất "
        "(`ad_hoc: true`). / An entrant of the commune (by id, or named when it has no dossier), the form, the "
        "achievement, its day and evidence; no score or quota applies, the bars do. Put before the council by an "
        "ad-hoc session (`ad_hoc: true`)."
    ),
    responses={200: {"description": "Đã có đề xuất này / The same proposal, already recorded"}},
)
async def propose_ad_hoc(body: AdHocRequest, principal: Officer, repos: Repos, response: Response) -> CandidateView:
    document, created = await ad_hoc.propose_ad_hoc(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    response.status_code = 201 if created else 200
    response.headers["Location"] = f"/candidates/{document['_id']}"
    return CandidateView.of(document)


@router.get("/candidates/{candidate_id}", tags=["candidates"], summary="Một đề xuất / One candidate")
async def get_candidate(candidate_id: str, principal: Reader, repos: Repos) -> CandidateView:
    document = found(await repos.candidates.get(read_scope(principal), candidate_id), "đề xuất / candidate")
    return CandidateView.of(document)


@router.post(
    "/candidates/{candidate_id}/review", tags=["candidates"], summary="Giữ hoặc bỏ một đề xuất / Keep or remove"
)
async def review_candidate(candidate_id: str, body: ReviewRequest, principal: Officer, repos: Repos) -> CandidateView:
    document = await candidates.review(
        repos=repos, principal=principal, scope=commune_scope(principal), identifier=candidate_id, request=body
    )
    return CandidateView.of(document)


@router.get(
    "/history",
    tags=["history"],
    summary="Lịch sử khen thưởng, mới ghi trước / Award history, newest first",
    description=(
        "Theo trang; xếp theo thời điểm ghi vào lịch sử, mới nhất trước. Của một hoặc nhiều đối tượng (tối đa 50), "
        "hoặc của cả xã. / Paged; newest recorded first. Of one or several entrants (up to 50), or the whole commune."
    ),
)
async def history(
    principal: HistoryReader,
    repos: Repos,
    paging: Paging,
    entrant_id: EntrantIds = None,
    period: Period = None,
    commune: ChosenCommune = None,
) -> Page[HistoryView]:
    found_ = await standing.list_history(
        repos=repos,
        principal=principal,
        scope=listing_scope(principal, commune),
        entrant_ids=list(dict.fromkeys(e for e in entrant_id or () if e)),
        period=period,
        paging=paging,
    )
    return page_of(HistoryView, found_, paging)


@router.post("/history", tags=["history"], status_code=201, summary="Ghi khen thưởng đã có / Record a past award")
async def record_past_award(body: PastAwardInput, principal: Officer, repos: Repos, response: Response) -> HistoryView:
    document = await standing.record_past_award(
        repos=repos, principal=principal, scope=commune_scope(principal), request=body
    )
    response.headers["Location"] = f"/history?{urlencode({'entrant_id': body.entrant.id})}"
    return HistoryView.of(document)
