"""Composition root of the awards service."""

from __future__ import annotations

from fastapi import FastAPI

from awards.adapters.documents import check_fonts
from awards.api import candidates, council, decisions, history, prize, setup, showcase
from awards.consumers.events import handlers
from awards.repository import ensure_indexes, repositories
from awards.settings import AwardsSettings
from thidua_contracts.topology import CONSUMER_GROUPS, TOPIC_AWARDS
from thidua_platform.platform import build_platform
from thidua_platform.runtime import Worker
from thidua_platform.units import unit_directory
from thidua_platform.web import service_app

GROUP_ID = "awards"
TOPICS = CONSUMER_GROUPS[GROUP_ID]


def create_api(settings: AwardsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — awards",
        description="Khen thưởng: danh mục, điều kiện, đề xuất, họp Hội đồng, quyết định, tờ trình, lịch sử, "
        "điển hình tiên tiến / Awards: catalogue, rules, candidates, council sessions, decisions, upward proposals, "
        "history, showcase",
        routers=[
            setup.router,
            candidates.router,
            history.router,
            council.router,
            decisions.router,
            prize.router,
            showcase.router,
        ],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.repositories = repositories(platform.database, units=unit_directory(settings))
    app.state.fonts = check_fonts(settings.fonts)
    return app


def build_worker(settings: AwardsSettings) -> Worker:
    """The worker keeps scores and evidence, proposes commune candidates, re-applies decisions, relays its outbox."""
    platform = build_platform(settings)
    consumer = platform.consumer(
        group_id=GROUP_ID,
        topics=list(TOPICS),
        handlers=handlers(repositories(platform.database, units=unit_directory(settings))),
    )
    relay = platform.outbox_relay([TOPIC_AWARDS])
    return Worker(platform=platform, loops=[consumer.run, relay.run], checks={"consumer": consumer.joined})
