"""Downloading evidence files."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from submissions.api.deps import Reader, Repos
from submissions.service import attachments

router = APIRouter(prefix="/attachments", tags=["attachments"])


@router.get(
    "/{attachment_id}",
    summary="Tải tệp minh chứng / Download an evidence file",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
async def download(attachment_id: str, actor: Reader, repos: Repos) -> StreamingResponse:
    document, content = await attachments.open_attachment(repos=repos, actor=actor, attachment_id=attachment_id)
    return StreamingResponse(
        content,
        media_type=document["media_type"],
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document['filename'])}",
            "Content-Length": str(document["size"]),
            "ETag": f'"{document["sha256"]}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )
