"""Handlers: every event the service follows goes to one use case (`service.arrivals`)."""

from __future__ import annotations

from datetime import UTC, datetime

from notifications.adapters.directory import Directory
from notifications.repository import Repositories
from notifications.service.arrivals import FOLLOWED, arrived
from notifications.service.intake import IntakeConfig
from thidua_platform.consumer import Handler
from thidua_platform.envelope import Envelope


def handlers(repos: Repositories, directory: Directory, config: IntakeConfig) -> dict[str, Handler]:
    async def handle(envelope: Envelope) -> None:
        await arrived(repos=repos, directory=directory, config=config, envelope=envelope, now=datetime.now(UTC))

    return dict.fromkeys(FOLLOWED, handle)
