"""Composition root of the scoring service."""

from __future__ import annotations

from fastapi import FastAPI

from scoring.api.routes import router
from scoring.consumers.events import handlers
from scoring.repositories import repositories
from scoring.settings import ScoringSettings
from thidua_shared.events import TOPIC_SCORING, TOPIC_SUBMISSIONS
from thidua_shared.platform import build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app

GROUP_ID = "scoring"


def create_api(settings: ScoringSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — scoring",
        description="Chấm điểm, Hội đồng chấm, xếp hạng và chỉ số chuyển đổi số cấp xã / "
        "Scoring, council reviews, ranks and the commune digital-transformation index",
        routers=[router],
    )
    app.state.repositories = repositories(platform.database)
    return app


def build_worker(settings: ScoringSettings) -> Worker:
    """The worker scores submissions, assigns reviewers, indexes final scores and relays its outbox."""
    platform = build_platform(settings)
    consumer = platform.consumer(
        group_id=GROUP_ID, topics=[TOPIC_SUBMISSIONS, TOPIC_SCORING], handlers=handlers(repositories(platform.database))
    )
    relay = platform.outbox_relay([TOPIC_SCORING])
    return Worker(platform=platform, loops=[consumer.run, relay.run], checks={"consumer": consumer.joined})
