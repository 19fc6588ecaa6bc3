"""HTTP entry points: parse, call one use case, map the result."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from submissions import service
from submissions.api.schemas import SubmissionList, SubmissionView
from submissions.domain.submission import NewSubmission
from submissions.repository import SubmissionRepository
from thidua_shared.auth import Principal
from thidua_shared.tenancy import commune_scope, read_scope
from thidua_shared.web import roles_required

router = APIRouter(prefix="/submissions", tags=["submissions"])

Filer = Annotated[Principal, Depends(roles_required("submitter", "commune_officer"))]
Reader = Annotated[
    Principal,
    Depends(
        roles_required(
            "submitter", "commune_officer", "council_member", "commune_chair", "province_staff", "province_admin"
        )
    ),
]


def repository(request: Request) -> SubmissionRepository:
    repo: SubmissionRepository = request.app.state.submissions
    return repo


Repository = Annotated[SubmissionRepository, Depends(repository)]


@router.post("", status_code=status.HTTP_201_CREATED, summary="Tạo hồ sơ nháp / Create a draft submission")
async def create_submission(body: NewSubmission, principal: Filer, repo: Repository) -> SubmissionView:
    document = await service.create_submission(
        repository=repo, principal=principal, scope=commune_scope(principal), request=body
    )
    return SubmissionView.of(document)


@router.post("/{submission_id}/submit", summary="Nộp hồ sơ / Submit a draft")
async def submit_submission(submission_id: str, principal: Filer, repo: Repository) -> SubmissionView:
    document = await service.submit_submission(
        repository=repo, principal=principal, scope=commune_scope(principal), submission_id=submission_id
    )
    return SubmissionView.of(document)


@router.get("/{submission_id}", summary="Xem hồ sơ / Read a submission")
async def get_submission(submission_id: str, principal: Reader, repo: Repository) -> SubmissionView:
    document = await service.get_submission(repository=repo, scope=read_scope(principal), submission_id=submission_id)
    return SubmissionView.of(document)


@router.get("", summary="Danh sách hồ sơ / List submissions")
async def list_submissions(
    principal: Reader,
    repo: Repository,
    period: Annotated[str | None, Query(pattern=r"^20(2[5-9]|30)$")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> SubmissionList:
    documents = await service.list_submissions(repository=repo, scope=read_scope(principal), period=period, limit=limit)
    return SubmissionList(items=[SubmissionView.of(d) for d in documents])
