"""Every domain event the read model follows feeds it."""

from __future__ import annotations

from rollups import service
from rollups.repository import FactRepository
from thidua_shared.consumer import Handler
from thidua_shared.events import Envelope


def handlers(repository: FactRepository) -> dict[str, Handler]:
    async def apply(envelope: Envelope) -> None:
        await service.apply_event(repository=repository, envelope=envelope)

    return dict.fromkeys(service.APPLIED, apply)
