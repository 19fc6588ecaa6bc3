"""Composition root of the submissions service: builds the API and the worker from settings."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from submissions.api import attachments, campaigns, entrants, reference, registrations, submissions
from submissions.repository import ensure_indexes, repositories
from submissions.service.entrants import announce_earlier
from submissions.settings import SubmissionsSettings
from thidua_contracts.topology import TOPIC_SUBMISSIONS
from thidua_platform.loops import pause
from thidua_platform.platform import build_platform
from thidua_platform.runtime import Worker
from thidua_platform.web import service_app

log = logging.getLogger(__name__)


def create_api(settings: SubmissionsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — submissions",
        description="Kế hoạch, bộ tiêu chí, đăng ký, đối tượng và hồ sơ thi đua của xã / "
        "Campaigns, criteria, registration, entrants and dossiers of a commune",
        routers=[
            reference.router,
            campaigns.router,
            entrants.router,
            registrations.router,
            submissions.router,
            attachments.router,
        ],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.repositories = repositories(platform.database)
    app.state.settings = settings
    return app


def build_worker(settings: SubmissionsSettings) -> Worker:
    """The worker relays the outbox of every aggregate to Kafka, and at start announces the entrants created before
    `entrant.recorded` existed."""
    platform = build_platform(settings)
    repos = repositories(platform.database)
    relay = platform.outbox_relay([TOPIC_SUBMISSIONS])

    async def announce_earlier_entrants(stop: asyncio.Event) -> None:
        """At start: every entrant never announced gets its `entrant.recorded` through the outbox (retried until the
        database answers), then idle until the worker stops (a loop that returns stops the worker). The indexes are
        declared first, as the API does when it starts: the search for unannounced entrants needs its own, and the
        API may not have started yet."""
        while not stop.is_set():
            try:
                await ensure_indexes(platform.database)
                if announced := await announce_earlier(repos=repos):
                    log.info("%d entrants created before entrant.recorded announced", announced)
                break
            except Exception:
                log.exception("announcing earlier entrants failed; trying again")
                await pause(stop, 5)
        await stop.wait()

    return Worker(platform=platform, loops=[relay.run, announce_earlier_entrants])
