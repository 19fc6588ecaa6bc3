"""Dossiers: create, evidence, submit, return for correction, resubmit, withdraw, completeness, audit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from submissions.api.body import octet_stream, received_body
from submissions.api.deps import Filer, Officer, Reader, Repos, Settings
from submissions.api.schemas import AuditEntry, SubmissionView
from submissions.domain.lifecycle import SubmissionStatus
from submissions.domain.submission import EvidenceInput, NewSubmission, ReturnRequest, WithdrawRequest
from submissions.service import attachments, submission_lifecycle, submissions
from thidua_contracts.terms import PERIOD_CODE_PATTERN, TargetGroup
from thidua_platform.idempotency import IdempotencyKeyHeader, answer_replay, idempotency
from thidua_platform.pagination import Page, Paging
from thidua_platform.tenancy import ChosenCommune

router = APIRouter(prefix="/submissions", tags=["submissions"])
Code = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,31}$", description="Mã tiêu chí / Criterion code")]
UPLOAD_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp", "image/gif", "application/octet-stream")


@router.post("", status_code=status.HTTP_201_CREATED, summary="Tạo hồ sơ nháp / Create a draft dossier")
async def create_submission(
    body: NewSubmission, actor: Filer, repos: Repos, response: Response, key: IdempotencyKeyHeader = None
) -> SubmissionView:
    document, created = await submissions.create_submission(
        repos=repos, actor=actor, request=body, key=idempotency(actor.principal, "submission", key, body.model_dump())
    )
    answer_replay(response, created)
    return SubmissionView.of(document)


@router.get("", summary="Danh sách hồ sơ / Dossiers")
async def list_submissions(
    actor: Reader,
    repos: Repos,
    paging: Paging,
    period: Annotated[str | None, Query(pattern=PERIOD_CODE_PATTERN)] = None,
    group: TargetGroup | None = None,
    theme: Annotated[int | None, Query(ge=1, le=7)] = None,
    status_: Annotated[SubmissionStatus | None, Query(alias="status")] = None,
    entrant: Annotated[str | None, Query(max_length=64)] = None,
    commune: ChosenCommune = None,
) -> Page[SubmissionView]:
    documents, total = await submissions.list_submissions(
        repos=repos,
        actor=actor.within(commune),
        period=period,
        group=group,
        theme=theme,
        status=status_.value if status_ else None,
        entrant=entrant,
        paging=paging,
    )
    return Page(
        items=[SubmissionView.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size
    )


@router.get("/{submission_id}", summary="Xem hồ sơ / A dossier")
async def get_submission(submission_id: str, actor: Reader, repos: Repos) -> SubmissionView:
    return SubmissionView.of(await submissions.get_submission(repos=repos, actor=actor, submission_id=submission_id))


@router.put("/{submission_id}/evidence/{code}", summary="Khai báo minh chứng một tiêu chí / Report evidence")
async def report_evidence(
    submission_id: str, code: Code, body: EvidenceInput, actor: Filer, repos: Repos
) -> SubmissionView:
    document = await submissions.report_evidence(
        repos=repos, actor=actor, submission_id=submission_id, code=code, evidence=body
    )
    return SubmissionView.of(document)


@router.post(
    "/{submission_id}/evidence/{code}/attachments",
    status_code=status.HTTP_201_CREATED,
    summary="Đính kèm tệp minh chứng / Attach an evidence file",
    openapi_extra=octet_stream(UPLOAD_TYPES, "Nội dung tệp (PDF, ảnh, văn bản Office) / The file's bytes"),
    responses={413: {"description": "Tệp quá lớn / Too large"}, 415: {"description": "Loại tệp / File type"}},
)
async def attach(
    submission_id: str,
    code: Code,
    request: Request,
    actor: Filer,
    repos: Repos,
    settings: Settings,
    filename: Annotated[str, Query(min_length=1, max_length=200, description="Tên tệp / File name")],
) -> SubmissionView:
    received = await received_body(request, settings.max_attachment_bytes, settings.upload_directory)
    try:
        document = await attachments.attach(
            repos=repos, actor=actor, submission_id=submission_id, code=code, filename=filename, received=received
        )
    finally:
        received.path.unlink(missing_ok=True)
    return SubmissionView.of(document)


@router.delete(
    "/{submission_id}/evidence/{code}/attachments/{attachment_id}",
    summary="Gỡ tệp minh chứng khỏi hồ sơ / Remove a file from the dossier",
)
async def detach(submission_id: str, code: Code, attachment_id: str, actor: Filer, repos: Repos) -> SubmissionView:
    document = await attachments.detach(
        repos=repos, actor=actor, submission_id=submission_id, code=code, attachment_id=attachment_id
    )
    return SubmissionView.of(document)


@router.post("/{submission_id}/submit", summary="Nộp hoặc nộp lại hồ sơ / Submit or resubmit")
async def submit(submission_id: str, actor: Filer, repos: Repos) -> SubmissionView:
    return SubmissionView.of(await submission_lifecycle.submit(repos=repos, actor=actor, submission_id=submission_id))


@router.post("/{submission_id}/return", summary="Trả lại để bổ sung / Return for correction")
async def return_for_correction(
    submission_id: str, body: ReturnRequest, actor: Officer, repos: Repos
) -> SubmissionView:
    document = await submission_lifecycle.return_for_correction(
        repos=repos, actor=actor, submission_id=submission_id, request=body
    )
    return SubmissionView.of(document)


@router.post("/{submission_id}/withdraw", summary="Rút hồ sơ / Withdraw")
async def withdraw(submission_id: str, body: WithdrawRequest, actor: Filer, repos: Repos) -> SubmissionView:
    document = await submission_lifecycle.withdraw(repos=repos, actor=actor, submission_id=submission_id, request=body)
    return SubmissionView.of(document)


@router.post("/{submission_id}/completeness", summary="Kiểm tra đầy đủ hồ sơ / Completeness check")
async def completeness(submission_id: str, actor: Officer, repos: Repos) -> SubmissionView:
    document = await submission_lifecycle.check_completeness(repos=repos, actor=actor, submission_id=submission_id)
    return SubmissionView.of(document)


@router.get("/{submission_id}/audit", summary="Nhật ký thay đổi / Audit trail")
async def audit(submission_id: str, actor: Reader, repos: Repos) -> list[AuditEntry]:
    trail = await submissions.audit_trail(repos=repos, actor=actor, submission_id=submission_id)
    return [AuditEntry.model_validate(e) for e in trail]
