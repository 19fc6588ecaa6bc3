"""Handlers for the events that concern a person."""

from __future__ import annotations

from notifications import service
from notifications.domain.messages import MESSAGES
from notifications.repository import InboxRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import Envelope


def handlers(repository: InboxRepository) -> dict[str, Handler]:
    async def deliver(envelope: Envelope) -> None:
        await service.deliver_in_app(repository=repository, envelope=envelope)

    return dict.fromkeys(MESSAGES, deliver)
