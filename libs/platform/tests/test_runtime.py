"""A process serves with what its start-up built kept out of the garbage collector's full collections
(runtime.keep_built_objects_out_of_collections): without it, a full collection walked ~110,000 start-up objects and
stalled a request for ~60 ms every few dozen requests (ADR 0017)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi import FastAPI

from thidua_platform import runtime
from thidua_platform.settings import ServiceSettings


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(runtime, "setup_telemetry", lambda *_: None)
    gc.unfreeze()
    yield
    gc.unfreeze()


def built_at_start_up(settings: ServiceSettings) -> FastAPI:
    app = FastAPI(title=settings.service_name)
    app.state.start_up = [{"object": n} for n in range(1000)]  # what a composition root leaves behind
    return app


@pytest.mark.usefixtures("unfrozen")
def test_an_api_serves_with_its_start_up_objects_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def serve(app: FastAPI, _host: str, _port: int) -> None:
        seen["frozen"] = gc.get_freeze_count()
        collected = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        seen["start_up_is_frozen"] = not any(id(o) in collected for o in app.state.start_up)

    monkeypatch.setattr(runtime, "serve_api", serve)
    assert gc.get_freeze_count() == 0
    runtime.api_main(ServiceSettings(service_name="probe"), built_at_start_up)
    assert seen["frozen"] > 1000  # the modules and the app, not only the probe's list
    assert seen["start_up_is_frozen"]


@pytest.mark.usefixtures("unfrozen")
def test_a_worker_runs_with_its_start_up_objects_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, int] = {}

    async def run(**_: Any) -> int:
        seen["frozen"] = gc.get_freeze_count()
        return 0

    def build(_settings: ServiceSettings) -> runtime.Worker:
        platform = SimpleNamespace(checks=dict, close=None, refreshes=())  # what run_worker is given; it is replaced
        return runtime.Worker(platform=platform, loops=[])  # type: ignore[arg-type]

    monkeypatch.setattr(runtime, "run_worker", run)
    with pytest.raises(SystemExit) as exit_:
        runtime.worker_main(ServiceSettings(service_name="probe"), build)
    assert exit_.value.code == 0
    assert seen["frozen"] > 1000
