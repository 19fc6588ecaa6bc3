"""Use cases of the notifications service."""

from __future__ import annotations

from datetime import UTC, datetime

from notifications.domain.messages import message_for
from notifications.repository import InboxRepository
from thidua_shared.auth import Principal
from thidua_shared.events import Envelope, derived_id
from thidua_shared.mongo import Document
from thidua_shared.problems import NotFound
from thidua_shared.tenancy import Scope

IN_APP = "in_app"


async def deliver_in_app(*, repository: InboxRepository, envelope: Envelope) -> bool:
    """Store the in-app message an event causes, once per (event, recipient, channel)."""
    message = message_for(envelope)
    if message is None:
        return False
    document: Document = {
        "_id": str(derived_id(envelope.id, message.recipient, IN_APP)),
        "tenant": envelope.tenant,
        "province": envelope.province,
        "recipient": message.recipient,
        "kind": message.kind,
        "subject": envelope.subject,
        "title_vi": message.title_vi,
        "body_vi": message.body_vi,
        "title_en": message.title_en,
        "body_en": message.body_en,
        "event_id": str(envelope.id),
        "event_type": envelope.type,
        "created_at": datetime.now(UTC),
        "read_at": None,
    }
    return await repository.add_once(document)


async def inbox(
    *, repository: InboxRepository, principal: Principal, scope: Scope, unread_only: bool, limit: int
) -> list[Document]:
    return await repository.list(scope, principal.user_id, unread_only=unread_only, limit=limit)


async def unread_count(*, repository: InboxRepository, principal: Principal, scope: Scope) -> int:
    return await repository.unread_count(scope, principal.user_id)


async def mark_read(*, repository: InboxRepository, principal: Principal, scope: Scope, message_id: str) -> Document:
    document = await repository.mark_read(scope, principal.user_id, message_id, datetime.now(UTC))
    if document is None:
        raise NotFound(f"Không có thông báo {message_id} / No message {message_id}")
    return document
