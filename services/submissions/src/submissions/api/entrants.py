"""Entrants of a commune, and their import from the Excel workbooks communes keep today."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from submissions.api.body import octet_stream, received_body
from submissions.api.deps import Officer, Reader, Repos, Settings
from submissions.api.schemas import EntrantView, ImportReportView
from submissions.domain.workbook.reading import MAX_BYTES, MAX_ROW_NUMBER, MAX_ROWS
from submissions.domain.workbook.template import template_workbook
from submissions.service import entrants
from submissions.service.entrants import NewEntrant
from thidua_contracts.terms import TargetGroup
from thidua_platform.pagination import Page, Paging
from thidua_platform.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/entrants", tags=["entrants"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.post("", status_code=status.HTTP_201_CREATED, summary="Thêm đối tượng thi đua / Add an entrant")
async def create_entrant(body: NewEntrant, actor: Officer, repos: Repos) -> EntrantView:
    return EntrantView.of(await entrants.create_entrant(repos=repos, actor=actor, entrant=body))


@router.get("", summary="Danh sách đối tượng / Entrants")
async def list_entrants(
    actor: Reader,
    repos: Repos,
    paging: Paging,
    group: TargetGroup | None = None,
    kind: Annotated[str | None, Query(pattern="^(collective|individual)$")] = None,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[EntrantView]:
    documents, total = await entrants.list_entrants(
        repos=repos, actor=actor, group=group, kind=kind, unit_id=unit_id, paging=paging
    )
    return Page(items=[EntrantView.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size)


@router.get(
    "/import-template",
    summary="Mẫu tệp Excel để nhập / The Excel template to fill in",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def import_template(actor: Officer) -> Response:
    return Response(
        template_workbook(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-danh-sach-doi-tuong.xlsx"'},
    )


@router.post(
    "/import",
    summary="Nhập danh sách từ tệp Excel / Import entrants from an Excel workbook",
    openapi_extra=octet_stream(
        (XLSX,),
        f"Tệp .xlsx, tối đa 5 MB và {MAX_ROWS} dòng, không dòng nào sau dòng {MAX_ROW_NUMBER} / An .xlsx workbook, "
        f"at most 5 MB and {MAX_ROWS} rows, none below row {MAX_ROW_NUMBER}",
    ),
    responses={
        422: {
            **PROBLEM_RESPONSES[422],
            "description": f"Tệp không đọc được, quá {MAX_ROWS} dòng hay có dòng sau dòng {MAX_ROW_NUMBER}, hoặc có "
            "dòng lỗi (khi không bỏ qua dòng lỗi): không dòng nào được nhập / The workbook is unreadable, has more "
            f"than {MAX_ROWS} rows or a row below row {MAX_ROW_NUMBER}, or has invalid rows (unless skip_invalid): "
            "nothing was imported",
        }
    },
)
async def import_entrants(
    request: Request,
    actor: Officer,
    repos: Repos,
    settings: Settings,
    skip_invalid: Annotated[bool, Query(description="Bỏ qua dòng lỗi, nhập dòng đúng / Import the valid rows")] = False,
) -> ImportReportView:
    received = await received_body(request, MAX_BYTES, settings.upload_directory)
    try:
        data = received.path.read_bytes()
    finally:
        received.path.unlink(missing_ok=True)
    report = await entrants.import_workbook(repos=repos, actor=actor, data=data, skip_invalid=skip_invalid)
    return ImportReportView(
        imported=report.imported,
        already_present=report.already_present,
        skipped=report.skipped,
        errors=[{"row": e.row, "column": e.column, "message": e.message} for e in report.errors],
        ignored_columns=list(report.ignored_columns),
    )


@router.get("/{entrant_id}", summary="Xem đối tượng / An entrant")
async def get_entrant(entrant_id: str, actor: Reader, repos: Repos) -> EntrantView:
    return EntrantView.of(await entrants.get_entrant(repos=repos, actor=actor, entrant_id=entrant_id))
