"""Composition root of the scoring service."""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI

from scoring.api import council, index, leaderboard, periods, reviews, scores
from scoring.consumers.events import handlers
from scoring.repository import ensure_indexes, repositories
from scoring.service.index import recompute_marked
from scoring.settings import ScoringSettings
from thidua_contracts.topology import CONSUMER_GROUPS, TOPIC_SCORING
from thidua_platform.loops import pause, poll
from thidua_platform.platform import build_platform
from thidua_platform.runtime import Loop, Worker
from thidua_platform.web import service_app

GROUP_ID = "scoring"
TOPICS = CONSUMER_GROUPS[GROUP_ID]
log = logging.getLogger(__name__)


def create_api(settings: ScoringSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — scoring",
        description="Chấm điểm, Hội đồng chấm, xếp hạng và chỉ số chuyển đổi số cấp xã / "
        "Scoring, council reviews, ranks and the commune digital-transformation index",
        routers=[scores.router, council.router, reviews.router, periods.router, leaderboard.router, index.router],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.repositories = repositories(platform.database)
    return app


def build_worker(settings: ScoringSettings) -> Worker:
    """The worker scores submissions, assigns reviewers, indexes final scores and relays its outbox."""
    platform = build_platform(settings)
    repos = repositories(platform.database)
    consumer = platform.consumer(group_id=GROUP_ID, topics=list(TOPICS), handlers=handlers(repos))
    relay = platform.outbox_relay([TOPIC_SCORING])

    async def slot_earlier_assignments(stop: asyncio.Event) -> None:
        """At start, unless done before: list assignments made before the slots existed (retried until the database
        answers), then idle until the worker stops (a loop that returns stops the worker)."""
        while not stop.is_set():
            try:
                if slotted := await repos.assignments.list_unslotted():
                    log.info("%d earlier assignments listed in their dossiers' slots", slotted)
                break
            except Exception:
                log.exception("listing earlier assignments failed; trying again")
                await pause(stop, 5)
        await stop.wait()

    async def indexes(stop: asyncio.Event) -> None:
        await poll(stop, lambda: recompute_marked(repos=repos), every=settings.index_poll_seconds, what="index")

    loops: list[Loop] = [consumer.run, relay.run, slot_earlier_assignments, indexes]
    return Worker(platform=platform, loops=loops, checks={"consumer": consumer.joined})
