"""Process runners: an API process serves HTTP; a worker process runs its loops and a small health endpoint."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from thidua_platform.health import Check, health_router
from thidua_platform.metrics import Refresh, metrics_router
from thidua_platform.platform import Platform
from thidua_platform.settings import ServiceSettings
from thidua_platform.telemetry import setup_telemetry

log = logging.getLogger(__name__)

Loop = Callable[[asyncio.Event], Awaitable[None]]
S = TypeVar("S", bound=ServiceSettings)


@dataclass
class Worker:
    """What a worker process runs: its loops, and readiness checks beyond the platform's own."""

    platform: Platform
    loops: list[Loop]
    checks: dict[str, Check] = field(default_factory=dict)


def api_main(settings: S, create_api: Callable[[S], FastAPI]) -> None:
    setup_telemetry(settings.service_name, "api")
    app = create_api(settings)
    keep_built_objects_out_of_collections()
    serve_api(app, settings.api_host, settings.api_port)


def worker_main(settings: S, build_worker: Callable[[S], Worker]) -> None:
    setup_telemetry(settings.service_name, "worker")

    async def main() -> int:
        worker = build_worker(settings)
        keep_built_objects_out_of_collections()
        return await run_worker(
            name=settings.service_name,
            loops=worker.loops,
            checks={**worker.platform.checks(), **worker.checks},
            host=settings.worker_host,
            port=settings.worker_port,
            close=worker.platform.close,
            refreshes=worker.platform.refreshes,
        )

    raise SystemExit(asyncio.run(main()))


def keep_built_objects_out_of_collections() -> None:
    """Move what start-up built (modules, routes, schemas, clients: ~110,000 objects in an API) into the collector's
    permanent generation, so a full collection walks only what requests made since. Without it a full collection took
    ~60 ms every few dozen requests that each decode a page of documents, stalling whichever request it met (ADR 0017).
    """
    gc.collect()
    gc.freeze()


def serve_api(app: FastAPI, host: str, port: int) -> None:
    uvicorn.run(app, host=host, port=port, log_config=None, access_log=False, proxy_headers=False)


async def run_worker(
    *,
    name: str,
    loops: Sequence[Loop],
    checks: Mapping[str, Check],
    host: str,
    port: int,
    close: Callable[[], Awaitable[None]],
    refreshes: Sequence[Refresh] = (),
) -> int:
    """Run the worker's loops until SIGTERM/SIGINT, then let each finish its current message and close.

    Returns the exit status: 1 if a loop crashed (so a supervisor restarts the process), else 0.
    """
    stop = asyncio.Event()
    crashed = False
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))

    health = FastAPI(title=f"{name} worker", docs_url=None, redoc_url=None)
    health.include_router(health_router(checks))
    health.include_router(metrics_router(refreshes))
    server = uvicorn.Server(uvicorn.Config(health, host=host, port=port, log_config=None, access_log=False))

    async def supervise(run: Loop) -> None:
        nonlocal crashed
        try:
            await run(stop)
        except Exception:
            crashed = True
            log.exception("worker loop crashed; stopping the worker so it is restarted")
        finally:
            stop.set()

    tasks = [asyncio.create_task(supervise(run)) for run in loops]
    server_task = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await asyncio.gather(*tasks, server_task, return_exceptions=True)
    await close()
    log.info("%s worker stopped", name)
    return 1 if crashed else 0
