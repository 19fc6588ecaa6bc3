"""Composition root of the rollups service."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from rollups.api import reports
from rollups.api.routes import router
from rollups.consumers.events import batch_handler, handlers
from rollups.repository import ReadModels, ensure_indexes
from rollups.service.summaries import keep_fresh
from rollups.settings import RollupsSettings
from thidua_shared.documents.fonts import check_fonts
from thidua_shared.events import CONSUMER_GROUPS
from thidua_shared.lag import LagProbe
from thidua_shared.platform import build_platform
from thidua_shared.runtime import Worker
from thidua_shared.web import service_app

GROUP_ID = "rollups"
TOPICS = CONSUMER_GROUPS[GROUP_ID]


def create_api(settings: RollupsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — rollups",
        description="Tổng hợp số liệu cấp tỉnh, xếp hạng, báo cáo / Provincial rollups, rankings, reports",
        routers=[router, reports.router],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.read_models = ReadModels(platform.database)
    app.state.lag = LagProbe(settings.kafka_bootstrap, GROUP_ID, TOPICS)
    app.state.fonts = check_fonts(settings.fonts)
    app.state.report_tasks = set()
    app.state.report_gate = asyncio.Semaphore(2)
    return app


def build_worker(settings: RollupsSettings) -> Worker:
    """The worker applies every domain event to the facts and keeps the summaries current."""
    platform = build_platform(settings)
    models = ReadModels(platform.database)
    consumer = platform.consumer(
        group_id=GROUP_ID, topics=list(TOPICS), handlers=handlers(models), batch=batch_handler(models)
    )

    async def summaries(stop: asyncio.Event) -> None:
        await keep_fresh(models, stop, settings.summary_poll_seconds)

    return Worker(platform=platform, loops=[consumer.run, summaries], checks={"consumer": consumer.joined})
