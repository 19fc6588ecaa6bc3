from __future__ import annotations

from fastapi import APIRouter

from notifications.api.deps import Repos
from notifications.api.schemas import InboxMessage, UnreadCount
from notifications.service import inbox as service
from thidua_platform.pagination import Page, Paging
from thidua_platform.tenancy import read_scope
from thidua_platform.web import CurrentPrincipal

router = APIRouter(prefix="/inbox", tags=["inbox"])


@router.get("", summary="Hộp thư của tôi, mới nhất trước / My in-app messages, newest first")
async def my_inbox(
    principal: CurrentPrincipal, repos: Repos, paging: Paging, unread_only: bool = False
) -> Page[InboxMessage]:
    documents, total = await service.inbox(
        repository=repos.inbox,
        principal=principal,
        scope=read_scope(principal),
        unread_only=unread_only,
        skip=paging.skip,
        limit=paging.page_size,
    )
    return Page(
        items=[InboxMessage.of(d) for d in documents], total=total, page=paging.page, page_size=paging.page_size
    )


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
