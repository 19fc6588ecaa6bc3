"""Composition root of the awards service."""

from __future__ import annotations

from fastapi import FastAPI

from awards.api.routes import router
from awards.consumers.scoring import handlers
from awards.repository import COLLECTION, CandidateRepository
from awards.settings import AwardsSettings
from thidua_shared.events import TOPIC_AWARDS, TOPIC_SCORING
from thidua_shared.platform import build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app

GROUP_ID = "awards"


def create_api(settings: AwardsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(platform=platform, title="thidua — awards", description="Khen thưởng / Awards", routers=[router])
    app.state.candidates = CandidateRepository(platform.collection(COLLECTION))
    return app


def build_worker(settings: AwardsSettings) -> Worker:
    """The worker evaluates scores for candidacy and relays its outbox."""
    platform = build_platform(settings)
    consumer = platform.consumer(
        group_id=GROUP_ID,
        topics=[TOPIC_SCORING],
        handlers=handlers(CandidateRepository(platform.collection(COLLECTION))),
    )
    relay = platform.outbox_relay([TOPIC_AWARDS])
    return Worker(platform=platform, loops=[consumer.run, relay.run], checks={"consumer": consumer.joined})
