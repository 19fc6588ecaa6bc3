"""Every domain event the read models follow feeds them, a poll's worth at a time."""

from __future__ import annotations

from collections.abc import Sequence

from rollups.repository import ReadModels
from rollups.service.facts import APPLY, apply_event, apply_events
from thidua_platform.consumer import BatchHandler, Handler
from thidua_platform.envelope import Envelope


def handlers(models: ReadModels) -> dict[str, Handler]:
    """One event at a time: the path a failed batch falls back to, so a poison event is isolated."""

    async def apply(envelope: Envelope) -> None:
        await apply_event(models=models, envelope=envelope)

    return dict.fromkeys(APPLY, apply)


def batch_handler(models: ReadModels) -> BatchHandler:
    async def apply(envelopes: Sequence[Envelope]) -> None:
        await apply_events(models=models, envelopes=envelopes)

    return apply
