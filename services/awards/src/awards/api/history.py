"""The award history's catalogue of forms, and its import from the commune's Excel workbook."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from awards.adapters.workbook import MAX_BYTES, MAX_ROW_NUMBER, MAX_ROWS, XLS_REFUSED, template_workbook
from awards.api.deps import AnyUser, Officer, Repos
from awards.domain.past_forms import LEVEL_NAMES, PAST_FORMS, HistoryLevel
from awards.service import history_import
from awards.service.history_import import file_problem
from thidua_platform.problems import PROBLEM_RESPONSES, Problem
from thidua_platform.tenancy import commune_scope

router = APIRouter(tags=["history"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART = "multipart/form-data"
ENVELOPE_BYTES = 64 * 1024  # a multipart body's boundaries and part headers around the file
DRAIN_FACTOR = 4  # past this many times the limit, a refused body's connection is simply closed


class PastFormView(BaseModel):
    code: str
    name: str
    name_en: str
    recipient_kinds: list[str]
    usual_level: HistoryLevel | None
    levels: list[HistoryLevel]


class PastFormList(BaseModel):
    items: list[PastFormView]
    levels: dict[str, str]


class ImportResult(BaseModel):
    recorded: int
    already_present: int


class PayloadTooLarge(Problem):
    status = 413
    title = "Tệp quá lớn / Payload too large"


@router.get("/history/forms", summary="Các hình thức lịch sử khen thưởng ghi được / The forms the history records")
async def history_forms(_principal: AnyUser) -> PastFormList:
    return PastFormList(
        items=[
            PastFormView(
                code=f.code,
                name=f.name,
                name_en=f.name_en,
                recipient_kinds=sorted(f.recipient_kinds),
                usual_level=f.usual_level,
                levels=[level for level in LEVEL_NAMES if level in f.levels],
            )
            for f in PAST_FORMS.values()
        ],
        levels=dict(LEVEL_NAMES),
    )


@router.get(
    "/history/template.xlsx",
    summary="Mẫu Excel lịch sử khen thưởng / The award-history Excel template",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def history_template(_principal: Officer) -> Response:
    return Response(
        template_workbook(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="mau-lich-su-khen-thuong.xlsx"'},
    )


UPLOAD = {
    "requestBody": {
        "required": True,
        "description": f"Tệp .xlsx (trường “file”, hoặc cả thân yêu cầu), tối đa 5 MB và {MAX_ROWS} dòng, không dòng "
        f"nào sau dòng {MAX_ROW_NUMBER} / An .xlsx workbook (the “file” field, or the whole body), at most 5 MB and "
        f"{MAX_ROWS} rows, none below row {MAX_ROW_NUMBER}",
        "content": {
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post(
    "/history/import",
    summary="Nhập lịch sử khen thưởng từ Excel / Import award history from an Excel workbook",
    description="Mọi dòng được kiểm tra trước; có lỗi thì không ghi dòng nào và trả về từng lỗi (dòng, cột). Nhập lại "
    "cùng tệp không ghi trùng. / Every row is checked first; with errors nothing is recorded and each is answered "
    "(row, column). Importing the same file again records no duplicates.",
    openapi_extra=UPLOAD,
    responses={
        413: PROBLEM_RESPONSES[413],
        422: {
            **PROBLEM_RESPONSES[422],
            "description": "Tệp không đọc được hoặc có dòng lỗi: không dòng nào được ghi; mỗi lỗi có row, column, "
            "message / The workbook is unreadable or has wrong rows: nothing was recorded; each error has its row, "
            "column and message",
        },
    },
)
async def import_history(request: Request, principal: Officer, repos: Repos) -> ImportResult:
    data = await uploaded_workbook(request)
    report = await history_import.import_history(
        repos=repos, principal=principal, scope=commune_scope(principal), data=data
    )
    return ImportResult(recorded=report.recorded, already_present=report.already_present)


async def uploaded_workbook(request: Request) -> bytes:
    """The workbook's bytes: the multipart body's `file`, or the whole body; bounded before it is parsed."""
    multipart = request.headers.get("content-type", "").startswith(MULTIPART)
    body = await _bounded(request, MAX_BYTES + (ENVELOPE_BYTES if multipart else 0))
    if not multipart:
        return body
    try:
        form = await MultiPartParser(request.headers, _once(body), max_files=1, max_fields=5).parse()
    except MultiPartException as exc:
        raise file_problem(f"Không đọc được tệp gửi lên / The upload could not be read: {exc.message}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise file_problem("Thiếu tệp trong trường “file” / The “file” field holds no file")
        if (upload.filename or "").lower().endswith(".xls"):
            raise file_problem(XLS_REFUSED)
        return await upload.read()
    finally:
        await form.close()


async def _once(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body


async def _bounded(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    too_large = PayloadTooLarge(f"Tệp vượt quá {MAX_BYTES // (1024 * 1024)} MB / The file exceeds {MAX_BYTES} bytes")
    stream = request.stream()
    if declared and declared.isdigit() and int(declared) > limit:
        await _drain(stream, limit * DRAIN_FACTOR)
        raise too_large
    body = bytearray()
    async for chunk in stream:
        body += chunk
        if len(body) > limit:
            await _drain(stream, limit * DRAIN_FACTOR)
            raise too_large
    return bytes(body)


async def _drain(stream: AsyncIterator[bytes], budget: int) -> None:
    """Reading (and discarding) the rest of a refused body lets the client receive the 413, not a reset."""
    async for piece in stream:
        budget -= len(piece)
        if budget < 0:
            return
