"""Council sessions: convene, open with a quorum, ballots, close, minutes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from awards.api.deps import Fonts, Officer, Reader, Repos, Voter
from awards.api.schemas import SessionView, page_of
from awards.service import counting, documents, paper_ballots, sessions, voting
from awards.service.common import found
from awards.service.paper_ballots import PaperCountRequest
from awards.service.sessions import SessionRequest
from awards.service.voting import BallotRequest, OpenRequest
from thidua_commons.council import USERNAME_PATTERN
from thidua_contracts.terms import PERIOD_CODE_PATTERN
from thidua_platform.pagination import Page, Paging
from thidua_platform.tenancy import ChosenCommune, commune_scope, listing_scope, read_scope

router = APIRouter(prefix="/sessions", tags=["council"])
Member = Annotated[str, Path(pattern=USERNAME_PATTERN, max_length=100, description="Tên đăng nhập / Username")]
PDF = {200: {"content": {"application/pdf": {}}, "description": "PDF"}}


@router.post("", status_code=201, summary="Triệu tập phiên họp Hội đồng / Convene a council session")
async def convene(body: SessionRequest, principal: Officer, repos: Repos, response: Response) -> SessionView:
    document = await sessions.convene(repos=repos, principal=principal, scope=commune_scope(principal), request=body)
    response.headers["Location"] = f"/sessions/{document['_id']}"
    return SessionView.of(document)


@router.get(
    "",
    summary="Các phiên họp, họp gần nhất trước / Council sessions, latest first",
    description=(
        "Theo trang; xếp theo thời gian họp, phiên họp sau cùng trước. / Paged; ordered by when each is held, the "
        "latest first."
    ),
)
async def list_sessions(
    principal: Reader,
    repos: Repos,
    paging: Paging,
    period: Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)] = None,
    commune: ChosenCommune = None,
) -> Page[SessionView]:
    query = {"period": period} if period else {}
    found_ = await repos.sessions.page(
        listing_scope(principal, commune), query, skip=paging.skip, limit=paging.page_size, sort=("held_at", -1)
    )
    return page_of(SessionView, found_, paging)


@router.get("/{session_id}", summary="Một phiên họp / One council session")
async def get_session(session_id: str, principal: Reader, repos: Repos) -> SessionView:
    return SessionView.of(found(await repos.sessions.get(read_scope(principal), session_id), "phiên họp / session"))


@router.post("/{session_id}/open", summary="Điểm danh và mở biểu quyết / Record attendance, open voting")
async def open_voting(session_id: str, body: OpenRequest, principal: Officer, repos: Repos) -> SessionView:
    document = await voting.open_voting(
        repos=repos, principal=principal, scope=commune_scope(principal), session_id=session_id, request=body
    )
    return SessionView.of(document)


@router.put("/{session_id}/ballot", summary="Bỏ phiếu / Cast my ballot")
async def cast_ballot(session_id: str, body: BallotRequest, principal: Voter, repos: Repos) -> SessionView:
    document = await voting.cast_ballot(
        repos=repos, principal=principal, scope=commune_scope(principal), session_id=session_id, request=body
    )
    return SessionView.of(document)


@router.put(
    "/{session_id}/written-opinions/{member}",
    summary="Ghi ý kiến bằng văn bản của thành viên vắng mặt / Record an absent member's written opinion",
)
async def record_written_opinion(
    session_id: str, member: Member, body: BallotRequest, principal: Officer, repos: Repos
) -> SessionView:
    document = await voting.record_written_opinion(
        repos=repos, principal=principal, scope=commune_scope(principal), session_id=session_id, member=member,
        request=body,
    )  # fmt: skip
    return SessionView.of(document)


@router.put(
    "/{session_id}/paper-count",
    summary="Nhập kết quả kiểm phiếu giấy / Enter the counting committee's count of a paper vote",
)
async def enter_paper_count(session_id: str, body: PaperCountRequest, principal: Officer, repos: Repos) -> SessionView:
    document = await paper_ballots.enter_count(
        repos=repos, principal=principal, scope=commune_scope(principal), session_id=session_id, request=body
    )
    return SessionView.of(document)


@router.post("/{session_id}/close", summary="Kết thúc biểu quyết, kiểm phiếu / Close voting and count")
async def close(session_id: str, principal: Officer, repos: Repos) -> SessionView:
    document = await counting.close(
        repos=repos, principal=principal, scope=commune_scope(principal), session_id=session_id
    )
    return SessionView.of(document)


@router.get(
    "/{session_id}/minutes.pdf",
    summary="Biên bản họp (PDF) / Minutes",
    response_class=Response,
    responses=PDF,  # type: ignore[arg-type]
)
async def minutes(session_id: str, principal: Reader, repos: Repos, fonts: Fonts) -> Response:
    content = await documents.minutes(repos=repos, scope=read_scope(principal), session_id=session_id, fonts=fonts)
    return pdf_response(content, f"bien-ban-{session_id}.pdf")


def pdf_response(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )
