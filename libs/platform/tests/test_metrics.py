"""The metrics every process serves: request durations by route template, refreshed gauges, bounded labels."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY

from thidua_contracts.submissions import SubmissionSubmitted
from thidua_platform.consumer import event_type_of
from thidua_platform.metrics import OUTBOX_BACKLOG, RequestMetrics, backlog_refresh, metrics_router
from thidua_platform.telemetry import JsonLogFormatter, current_tenant


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def app_with_metrics(*refreshes: object) -> FastAPI:
    app = FastAPI()

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    app.add_middleware(RequestMetrics, service="test-metrics")
    app.include_router(metrics_router(list(refreshes)))  # type: ignore[arg-type]
    return app


def test_requests_are_timed_by_route_template_and_status_never_by_raw_path() -> None:
    client = TestClient(app_with_metrics())
    labels = {"service": "test-metrics", "method": "GET", "route": "/things/{thing_id}", "status": "200"}
    before = sample("thidua_http_request_duration_seconds_count", **labels)
    for n in range(3):
        assert client.get(f"/things/id-{n}").status_code == 200
    assert client.get("/nowhere").status_code == 404
    for n in range(3):  # a made-up method is still one series, whatever its name
        client.request(f"ZZ{n}", "/nowhere")
    methods = {
        s.labels["method"]
        for metric in REGISTRY.collect()
        for s in metric.samples
        if s.name == "thidua_http_request_duration_seconds_count" and s.labels["service"] == "test-metrics"
    }
    assert "other" in methods
    assert not any(m.startswith("ZZ") for m in methods)
    assert sample("thidua_http_request_duration_seconds_count", **labels) == before + 3
    unmatched = {**labels, "route": "unmatched", "status": "404"}
    assert sample("thidua_http_request_duration_seconds_count", **unmatched) >= 1
    exposed = client.get("/metrics").text
    assert 'route="/things/{thing_id}"' in exposed
    assert "id-1" not in exposed


def test_a_scrape_refreshes_what_is_measured_and_survives_a_refresh_that_fails() -> None:
    backlog = iter([4, 0])

    async def count() -> int:
        return next(backlog)

    async def broken() -> None:
        raise ConnectionError("the broker is away")

    client = TestClient(app_with_metrics(backlog_refresh("test-outbox", count), broken))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert 'thidua_outbox_backlog{service="test-outbox"} 4.0' in response.text
    client.get("/metrics")
    assert OUTBOX_BACKLOG.labels("test-outbox")._value.get() == 0


class _Headers:
    """Just enough of a Kafka message for `event_type_of`."""

    def __init__(self, headers: list[tuple[str, bytes]] | None) -> None:
        self._headers = headers

    def headers(self) -> list[tuple[str, bytes]] | None:
        return self._headers


def test_an_event_label_is_one_of_our_types_whatever_the_header_says() -> None:
    def of(headers: list[tuple[str, bytes]] | None) -> str:
        return event_type_of(_Headers(headers))  # type: ignore[arg-type]

    assert of([("ce_type", SubmissionSubmitted.event_type.encode())]) == SubmissionSubmitted.event_type
    assert of([("ce_type", b"thidua.anything.you.like.v1")]) == "unknown"
    assert of([("ce_type", b"\xff\xfe")]) == "unknown"
    assert of(None) == "unknown"


def test_log_lines_carry_the_tenant_being_served() -> None:
    record = logging.LogRecord("thidua", logging.INFO, __file__, 1, "xin chào", None, None)
    assert "tenant" not in json.loads(JsonLogFormatter().format(record))
    token = current_tenant.set("ph-37-lien-minh")
    try:
        line = json.loads(JsonLogFormatter().format(record))
    finally:
        current_tenant.reset(token)
    assert line["tenant"] == "ph-37-lien-minh"
    assert line["message"] == "xin chào"
