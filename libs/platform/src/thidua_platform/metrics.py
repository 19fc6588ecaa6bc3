"""Prometheus metrics of every process, served at `GET /metrics` on the API's port and on the worker's health port.

Counted as things happen (in this process, since it started): requests by route, events handled by type and
outcome, dead letters, deliveries by channel and outcome. Measured when scraped (so they are true even for work
another replica did): the consumer group's lag per partition and the service's outbox backlog. Labels carry no
personal data and no tenant (a province has ~100 communes: tenant labels would multiply every series by 100).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from thidua_platform.lag import LagProbe

REQUEST_SECONDS = Histogram(
    "thidua_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template and status",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS = Counter(
    "thidua_events_total",
    "Events a consumer group settled, by type and outcome (handled, skipped, dead_lettered)",
    ["group", "type", "outcome"],
)
DEAD_LETTERS = Counter(
    "thidua_dead_letters_total", "Events written to the group's dead-letter topic, by reason", ["group", "reason"]
)
DELIVERIES = Counter(
    "thidua_deliveries_total",
    "Notification deliveries that reached an outcome, by channel (email, webhook) and outcome",
    ["channel", "outcome"],
)
CONSUMER_LAG = Gauge(
    "thidua_consumer_lag", "Events on a partition the group has not handled yet", ["group", "topic", "partition"]
)
LAG_UNKNOWN = Gauge("thidua_consumer_lag_unknown", "1 when the broker did not answer the last lag measure", ["group"])
OUTBOX_BACKLOG = Gauge(
    "thidua_outbox_backlog", "Changes of the service whose events are not published yet (the outbox)", ["service"]
)

Refresh = Callable[[], Awaitable[None]]
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MEASURE_SECONDS = 5.0


def lag_refresh(probe: LagProbe) -> Refresh:
    """Measure the group's lag per partition (off the event loop: the Kafka client blocks)."""

    async def refresh() -> None:
        try:
            by_partition = await asyncio.wait_for(asyncio.to_thread(probe.by_partition), MEASURE_SECONDS)
        except TimeoutError:
            by_partition = None  # the values shown are the last measured; say they are not current
        LAG_UNKNOWN.labels(probe.group_id).set(1 if by_partition is None else 0)
        for (topic, partition), behind in (by_partition or {}).items():
            CONSUMER_LAG.labels(probe.group_id, topic, str(partition)).set(behind)

    return refresh


def backlog_refresh(service: str, count: Callable[[], Awaitable[int]]) -> Refresh:
    async def refresh() -> None:
        OUTBOX_BACKLOG.labels(service).set(await count())

    return refresh


def metrics_router(refreshes: Sequence[Refresh] = ()) -> APIRouter:
    """`GET /metrics` in the Prometheus text format; measured values are refreshed first (a failed refresh leaves
    the previous value, so a scrape never fails because Kafka or the database is slow)."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def metrics(_request: Request) -> Response:
        for refresh in refreshes:
            with contextlib.suppress(Exception):  # a scrape reports what it has; the `unknown` gauge says the rest
                await asyncio.wait_for(refresh(), timeout=MEASURE_SECONDS + 1)
        return Response(await asyncio.to_thread(generate_latest), media_type=CONTENT_TYPE_LATEST)

    return router


class RequestMetrics:
    """ASGI middleware: each HTTP request's duration by route template (never the raw path: ids would make a series
    each), method and status. Unmatched paths count as `unmatched`."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"] if scope["method"] in METHODS else "other"  # any token is a method to h11
            REQUEST_SECONDS.labels(self.service, method, route, str(status)).observe(time.perf_counter() - started)
