"""The in-app inbox: a person reads their own messages, within their commune or province."""

from __future__ import annotations

from datetime import UTC, datetime

from notifications.domain.aggregates import Message
from notifications.repository import InboxRepository
from thidua_platform.auth import Principal
from thidua_platform.problems import NotFound
from thidua_platform.tenancy import Scope


async def inbox(
    *, repository: InboxRepository, principal: Principal, scope: Scope, unread_only: bool, skip: int, limit: int
) -> tuple[list[Message], int]:
    """A page of the caller's own messages, newest first, and how many there are."""
    return await repository.page(scope, principal.user_id, unread_only=unread_only, skip=skip, limit=limit)


async def unread_count(*, repository: InboxRepository, principal: Principal, scope: Scope) -> int:
    return await repository.unread_count(scope, principal.user_id)


async def mark_read(*, repository: InboxRepository, principal: Principal, scope: Scope, message_id: str) -> Message:
    document = await repository.mark_read(scope, principal.user_id, message_id, datetime.now(UTC))
    if document is None:
        raise NotFound(f"Không có thông báo {message_id} / No message {message_id}")
    return document
