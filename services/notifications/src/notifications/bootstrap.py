"""Composition root of the notifications service."""

from __future__ import annotations

from fastapi import FastAPI

from notifications.api.routes import router
from notifications.consumers.events import handlers
from notifications.repository import INBOX, InboxRepository
from notifications.settings import NotificationsSettings
from thidua_shared.events import DOMAIN_TOPICS
from thidua_shared.platform import build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app

GROUP_ID = "notifications"


def create_api(settings: NotificationsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform, title="thidua — notifications", description="Thông báo / Notifications", routers=[router]
    )
    app.state.inbox = InboxRepository(platform.collection(INBOX))
    return app


def build_worker(settings: NotificationsSettings) -> Worker:
    """The worker turns events into in-app messages."""
    platform = build_platform(settings)
    consumer = platform.consumer(
        group_id=GROUP_ID, topics=list(DOMAIN_TOPICS), handlers=handlers(InboxRepository(platform.collection(INBOX)))
    )
    return Worker(platform=platform, loops=[consumer.run], checks={"consumer": consumer.joined})
