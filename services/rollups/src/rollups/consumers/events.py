"""Every domain event the read models follow feeds them."""

from __future__ import annotations

from rollups.repository import ReadModels
from rollups.service.facts import APPLY, apply_event
from thidua_shared.consumer import Handler
from thidua_shared.events import Envelope


def handlers(models: ReadModels) -> dict[str, Handler]:
    async def apply(envelope: Envelope) -> None:
        await apply_event(models, envelope)

    return dict.fromkeys(APPLY, apply)
