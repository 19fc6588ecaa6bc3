from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class InboxMessage(BaseModel):
    id: str
    kind: str
    subject: str
    title_vi: str
    body_vi: str
    title_en: str
    body_en: str
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, document: dict[str, Any]) -> InboxMessage:
        return cls.model_validate({**document, "id": document["_id"]})


class Inbox(BaseModel):
    items: list[InboxMessage]


class UnreadCount(BaseModel):
    unread: int
