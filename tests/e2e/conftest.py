"""End-to-end fixtures: real Keycloak tokens, the running services, polling with deadlines (never fixed sleeps)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx
import pytest

from thidua_platform.client import SERVICE_URLS
from thidua_platform.testing import read_messages

from .world import FUTURE_PERIOD, Commune, default_opening, fresh_tokens, ready_commune

T = TypeVar("T")

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
LIEN_MINH = "ph-37-lien-minh"
SON_MAI = "ph-51-son-mai"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


# Lines a test leaves for the end of the run, such as the fuzzing's case counts.
RUN_SUMMARY = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    lines = config.stash.get(RUN_SUMMARY, [])
    if lines:
        terminalreporter.write_sep("-", "end-to-end summary")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session", autouse=True)
def stack_is_up() -> None:
    for service, url in SERVICE_URLS.items():
        try:
            response = httpx.get(f"{url}/health/ready", timeout=5)
        except httpx.HTTPError as exc:
            pytest.fail(f"{service} is not running ({exc}); start the stack: deploy/stack up")
        assert response.status_code == 200, f"{service} not ready: {response.text}"


@pytest.fixture(scope="session")
def token() -> Callable[[str], str]:
    return fresh_tokens()


@pytest.fixture(scope="session")
def lien_minh(http: httpx.Client, token: Callable[[str], str]) -> Commune:
    """Ninh Bình's template published, adopted by xã Liên Minh, the current year's period (OPEN_PERIOD) open."""
    return ready_commune(http, admin=token("nb.admin"), officer=token("lm.officer"))


@pytest.fixture
def unopened_period() -> str:
    """FUTURE_PERIOD, which has not opened yet (its criteria may be adapted, nothing may be filed in it). The movement
    ends in 2030: from its tổng kết's opening (1 July 2030) it has no such period left, and the tests that need one
    are skipped."""
    if datetime.now(UTC) >= default_opening(FUTURE_PERIOD):
        pytest.skip(f"every period of the movement has opened ({FUTURE_PERIOD} on {default_opening(FUTURE_PERIOD)})")
    return FUTURE_PERIOD


@pytest.fixture(scope="module")
def council(token: Callable[[str], str]) -> dict[str, str]:
    return {name: token(name) for name in ("lm.council1", "lm.council2")}


@pytest.fixture(scope="session")
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=15) as client:
        yield client


def eventually(probe: Callable[[], T | None], *, timeout: float = 60.0, what: str = "condition") -> T:
    """Poll `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")


def events_about(topic: str, subject: str, *, count: int) -> list[dict[str, Any]]:
    """The first `count` events on `topic` about `subject` (its key), read from the beginning."""
    found = read_messages(BOOTSTRAP, topic, count=count, accept=lambda m: m.key() == subject.encode())
    assert len(found) >= count, f"found {len(found)} of {count} events about {subject} on {topic}"
    return [json.loads(message.value() or b"null") for message in found]
