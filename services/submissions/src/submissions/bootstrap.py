"""Composition root of the submissions service: builds the API and the worker from settings."""

from __future__ import annotations

from fastapi import FastAPI

from submissions.api import attachments, campaigns, entrants, reference, registrations, submissions
from submissions.repositories import ensure_indexes, repositories
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
    """The worker relays the outbox of every aggregate to Kafka."""
    platform = build_platform(settings)
    relay = platform.outbox_relay([TOPIC_SUBMISSIONS])
    return Worker(platform=platform, loops=[relay.run])
