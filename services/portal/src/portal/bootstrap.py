"""Composition root of the portal process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from portal.backend import Backend
from portal.oidc import OidcClient
from portal.pages import auth, chair, council, home, inbox, officer, province, showcase, submitter
from portal.sessions import SessionStore
from portal.settings import PortalSettings
from portal.web import Portal, install_error_pages, template_environment
from thidua_shared.auth import JwksCache, TokenVerifier
from thidua_shared.health import health_router
from thidua_shared.metrics import RequestMetrics, metrics_router
from thidua_shared.mongo import connect, ping
from thidua_shared.web import instrument

SWEEP_SECONDS = 300.0


def create_portal(settings: PortalSettings) -> FastAPI:
    mongo = connect(settings.mongo_url)
    database = mongo[settings.database_name]
    jwks = JwksCache(settings.jwks_url)
    http = httpx.AsyncClient(timeout=settings.backend_timeout_seconds)
    verifier = TokenVerifier(
        issuer=settings.oidc_issuer,
        audience=settings.oidc_audience,
        jwks=jwks,
        algorithms=settings.oidc_algorithms,
        leeway_seconds=settings.oidc_leeway_seconds,
    )
    sessions = SessionStore(
        database,
        idle=timedelta(seconds=settings.session_idle_seconds),
        max_age=timedelta(seconds=settings.session_max_seconds),
    )
    portal = Portal(
        settings=settings,
        sessions=sessions,
        oidc=OidcClient(
            issuer=settings.oidc_issuer,
            browser_issuer=settings.browser_issuer,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret,
            jwks=jwks,
            http=http,
        ),
        verifier=verifier,
        backend=Backend(settings, http),
        templates=template_environment(),
    )

    async def sweep(stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):
                await sessions.sweep()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SWEEP_SECONDS)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        sweeper = asyncio.create_task(sweep(stop))
        yield
        stop.set()
        await sweeper
        await http.aclose()
        await mongo.close()

    async def database_ready() -> bool:
        try:
            await ping(database)
        except Exception:
            return False
        return True

    async def keycloak_ready() -> bool:
        try:
            response = await http.get(f"{settings.oidc_issuer}/.well-known/openid-configuration")
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    app = FastAPI(title="thidua — cổng thông tin / portal", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.portal = portal
    install_error_pages(app)
    app.include_router(health_router({"database": database_ready, "keycloak": keycloak_ready}))
    for module in (auth, home, submitter, officer, council, chair, province, showcase, inbox):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.add_middleware(RequestMetrics, service=settings.service_name)
    app.include_router(metrics_router())
    instrument(app)
    return app
