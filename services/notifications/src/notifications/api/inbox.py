from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notifications.api.deps import Repos
from notifications.api.schemas import Inbox, InboxMessage, UnreadCount
from notifications.service import inbox as service
from thidua_shared.tenancy import read_scope
from thidua_shared.web import CurrentPrincipal

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("", summary="Hộp thư của tôi / My in-app messages")
async def my_inbox(
    principal: CurrentPrincipal,
    repos: Repos,
    unread_only: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Inbox:
    documents = await service.inbox(
        repository=repos.inbox, principal=principal, scope=read_scope(principal), unread_only=unread_only, limit=limit
    )
    return Inbox(items=[InboxMessage.of(d) for d in documents])


@router.get("/unread-count", summary="Số thông báo chưa đọc / Unread count")
async def my_unread_count(principal: CurrentPrincipal, repos: Repos) -> UnreadCount:
    count = await service.unread_count(repository=repos.inbox, principal=principal, scope=read_scope(principal))
    return UnreadCount(unread=count)


@router.post("/{message_id}/read", summary="Đánh dấu đã đọc / Mark as read")
async def mark_read(message_id: str, principal: CurrentPrincipal, repos: Repos) -> InboxMessage:
    document = await service.mark_read(
        repository=repos.inbox, principal=principal, scope=read_scope(principal), message_id=message_id
    )
    return InboxMessage.of(document)
