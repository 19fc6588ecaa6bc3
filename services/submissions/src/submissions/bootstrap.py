"""Composition root of the submissions service: builds the API and the worker from settings."""

from __future__ import annotations

from fastapi import FastAPI

from submissions.api.routes import router
from submissions.repository import COLLECTION, SubmissionRepository
from submissions.settings import SubmissionsSettings
from thidua_shared.events import TOPIC_SUBMISSIONS
from thidua_shared.platform import build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app


def create_api(settings: SubmissionsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — submissions",
        description="Hồ sơ thi đua của các đơn vị, cá nhân trong xã / Entrants' submissions of a commune",
        routers=[router],
    )
    app.state.submissions = SubmissionRepository(platform.collection(COLLECTION))
    return app


def build_worker(settings: SubmissionsSettings) -> Worker:
    """The worker relays the outbox of submissions to Kafka."""
    platform = build_platform(settings)
    relay = platform.outbox_relay([COLLECTION], [TOPIC_SUBMISSIONS])
    return Worker(platform=platform, loops=[relay.run])
