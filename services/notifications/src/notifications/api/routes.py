from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from notifications import service
from notifications.api.schemas import Inbox, InboxMessage, UnreadCount
from notifications.repository import InboxRepository
from thidua_shared.tenancy import read_scope
from thidua_shared.web import CurrentPrincipal

router = APIRouter(prefix="/inbox", tags=["inbox"])


def repository(request: Request) -> InboxRepository:
    repo: InboxRepository = request.app.state.inbox
    return repo


Repository = Annotated[InboxRepository, Depends(repository)]


@router.get("", summary="Hộp thư của tôi / My in-app messages")
async def my_inbox(
    principal: CurrentPrincipal,
    repo: Repository,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Inbox:
    documents = await service.inbox(
        repository=repo, principal=principal, scope=read_scope(principal), unread_only=unread_only, limit=limit
    )
    return Inbox(items=[InboxMessage.of(d) for d in documents])


@router.get("/unread-count", summary="Số thông báo chưa đọc / Unread count")
async def my_unread_count(principal: CurrentPrincipal, repo: Repository) -> UnreadCount:
    count = await service.unread_count(repository=repo, principal=principal, scope=read_scope(principal))
    return UnreadCount(unread=count)


@router.post("/{message_id}/read", summary="Đánh dấu đã đọc / Mark as read")
async def mark_read(message_id: str, principal: CurrentPrincipal, repo: Repository) -> InboxMessage:
    document = await service.mark_read(
        repository=repo, principal=principal, scope=read_scope(principal), message_id=message_id
    )
    return InboxMessage.of(document)
