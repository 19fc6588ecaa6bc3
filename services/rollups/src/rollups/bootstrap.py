"""Composition root of the rollups service."""

from __future__ import annotations

from fastapi import FastAPI

from rollups.api.routes import router
from rollups.consumers.events import handlers
from rollups.repository import FACTS, FRESHNESS, FactRepository
from rollups.settings import RollupsSettings
from thidua_shared.events import DOMAIN_TOPICS
from thidua_shared.platform import Platform, build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app

GROUP_ID = "rollups"


def facts(platform: Platform) -> FactRepository:
    return FactRepository(platform.collection(FACTS), platform.collection(FRESHNESS))


def create_api(settings: RollupsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — rollups",
        description="Tổng hợp số liệu cấp tỉnh / Provincial rollups",
        routers=[router],
    )
    app.state.facts = facts(platform)
    return app


def build_worker(settings: RollupsSettings) -> Worker:
    """The worker applies every domain event to the read model."""
    platform = build_platform(settings)
    consumer = platform.consumer(group_id=GROUP_ID, topics=list(DOMAIN_TOPICS), handlers=handlers(facts(platform)))
    return Worker(platform=platform, loops=[consumer.run], checks={"consumer": consumer.joined})
