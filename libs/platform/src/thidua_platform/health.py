"""Liveness and readiness endpoints. Readiness checks what the process cannot serve without: an API its database (it
writes events to the outbox, so a broker outage does not stop it), a worker its database and the broker."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from fastapi import APIRouter
from fastapi.responses import JSONResponse

Check = Callable[[], Awaitable[bool]]


def health_router(checks: Mapping[str, Check], timeout_seconds: float = 3.0) -> APIRouter:
    router = APIRouter(prefix="/health", tags=["health"])

    @router.get("/live", summary="The process is running")
    async def live() -> dict[str, str]:
        return {"status": "up"}

    @router.get("/ready", summary="The process can serve: what it needs answers (an API: its database)")
    async def ready() -> JSONResponse:
        results: dict[str, str] = {}
        for name, check in checks.items():
            try:
                ok = await asyncio.wait_for(check(), timeout_seconds)
            except Exception:
                ok = False
            results[name] = "up" if ok else "down"
        healthy = all(value == "up" for value in results.values())
        return JSONResponse(
            {"status": "up" if healthy else "down", "checks": results}, status_code=200 if healthy else 503
        )

    return router
