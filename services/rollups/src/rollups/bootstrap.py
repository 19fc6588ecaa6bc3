"""Composition root of the rollups service."""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Callable

from fastapi import FastAPI

from rollups.api import communes, provinces, reports
from rollups.consumers import replay
from rollups.consumers.events import batch_handler, handlers
from rollups.repository import ReadModels, ensure_indexes
from rollups.service.rebuild import digest, rebuild, refusal
from rollups.service.reports import Background
from rollups.service.summaries import keep_fresh
from rollups.settings import RollupsSettings
from thidua_commons.documents.fonts import check_fonts
from thidua_contracts.topology import CONSUMER_GROUPS, DOMAIN_TOPICS
from thidua_platform.lag import LagProbe
from thidua_platform.mongo import connect
from thidua_platform.platform import build_platform
from thidua_platform.runtime import Worker
from thidua_platform.units import unit_directory
from thidua_platform.web import service_app

GROUP_ID = "rollups"
TOPICS = CONSUMER_GROUPS[GROUP_ID]


def create_api(settings: RollupsSettings) -> FastAPI:
    platform = build_platform(settings)
    app = service_app(
        platform=platform,
        title="thidua — rollups",
        description="Tổng hợp số liệu cấp tỉnh, xếp hạng, báo cáo / Provincial rollups, rankings, reports",
        routers=[communes.router, provinces.router, reports.router],
        on_startup=lambda: ensure_indexes(platform.database),
    )
    app.state.read_models = ReadModels(platform.database)
    app.state.lag = LagProbe(settings.kafka_bootstrap, GROUP_ID, TOPICS)
    app.state.units = units = unit_directory(settings)
    app.state.reports = Background(fonts=check_fonts(settings.fonts), units=units)
    return app


def build_worker(settings: RollupsSettings) -> Worker:
    """The worker applies every domain event to the facts and keeps the summaries current."""
    platform = build_platform(settings)
    models = ReadModels(platform.database)
    consumer = platform.consumer(
        group_id=GROUP_ID, topics=list(TOPICS), handlers=handlers(models), batch=batch_handler(models)
    )

    async def summaries(stop: asyncio.Event) -> None:
        await keep_fresh(models=models, stop=stop, poll_seconds=settings.summary_poll_seconds)

    return Worker(platform=platform, loops=[consumer.run, summaries], checks={"consumer": consumer.joined})


def print_progress(applied: int, _total: int) -> None:
    print(f"  … {applied} events applied", file=sys.stderr)


async def rebuild_read_models(
    settings: RollupsSettings,
    *,
    database: str,
    replace: bool,
    digest_only: bool,
    progress: Callable[[int, int], None] = print_progress,
) -> int:
    """The rebuild as a command, its exit status returned: refused (3) when a partition of a domain topic no longer
    starts at offset 0, otherwise every domain topic replayed up to the end offsets taken at the start into `database`
    (the live one with `replace`, the worker stopped, its group then resuming after the replayed events), the digest
    printed. `progress(applied, total)`: total is the messages on the partitions (events of other kinds included)."""
    client = connect(settings.mongo_url, appname="thidua-rollups-rebuild")
    name = settings.database_name if replace else database
    models = ReadModels(client[name])
    bootstrap = settings.kafka_bootstrap
    try:
        if digest_only:
            print(await digest(models=models))
            return 0
        trimmed = replay.trimmed_partitions(bootstrap, DOMAIN_TOPICS)
        if trimmed:
            print(refusal(trimmed), file=sys.stderr)
            return 3
        if replace:
            replay.ensure_worker_stopped(bootstrap, GROUP_ID)
        until = replay.end_offsets(bootstrap, DOMAIN_TOPICS)
        print(f"rebuild: {sum(until.values())} messages on {len(until)} partitions into {name}", file=sys.stderr)
        total = sum(until.values())
        result = await rebuild(
            models=models,
            read=functools.partial(replay.replay, bootstrap, until),
            progress=lambda applied: progress(applied, total),
        )
        if replace:
            replay.commit_group(bootstrap, GROUP_ID, until)
        print(
            f"rebuild: {result.events} events applied in {result.seconds:.1f} s ({result.skipped} malformed or "
            "unreadable skipped, as the live consumer dead-letters them)",
            file=sys.stderr,
        )
        print(result.digest)
        return 0
    finally:
        await client.close()
