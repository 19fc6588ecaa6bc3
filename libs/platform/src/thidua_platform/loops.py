"""The loops a worker runs beside its consumer: pausing until a deadline or the stop signal, and polling work."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from thidua_platform.text import stored_text

log = logging.getLogger(__name__)


async def pause(stop: asyncio.Event, seconds: float) -> bool:
    """Wait `seconds`, or less if the worker is stopping; True when it is."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


async def poll(stop: asyncio.Event, work: Callable[[], Awaitable[int]], *, every: float, what: str) -> None:
    """Run `work` until the worker stops: again at once while it finds something to do (it returns how much it did),
    else after `every` seconds. A failure is logged and retried after the pause; it never ends the loop. The work
    reads what is stored, so it runs in stored mode (`text.stored_text()`): older code's text is taken as it is."""
    while not stop.is_set():
        try:
            with stored_text():
                done = await work()
        except Exception:
            log.exception("%s failed; trying again", what)
            done = 0
        if not done:
            await pause(stop, every)
