"""Composition root of the portal process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from portal.adapters.backend import Backend
from portal.adapters.oidc import OidcClient
from portal.errors import install_error_pages
from portal.limits import PortalBodyLimit, upload_routes
from portal.pages import admin, auth, chair, council, home, inbox, officer, province, showcase, submitter
from portal.sessions import SessionStore
from portal.settings import PortalSettings
from portal.web import FIELD_MAX_BYTES, Portal, template_environment
from thidua_platform.auth import JwksCache, TokenVerifier
from thidua_platform.health import health_router
from thidua_platform.metrics import RequestMetrics, metrics_router
from thidua_platform.mongo import connect, ping
from thidua_platform.web import instrument

SWEEP_SECONDS = 300.0


def security_headers_for(settings: PortalSettings) -> dict[str, str]:
    """No script runs on the portal's pages, nothing frames them, nothing loads from elsewhere; forms post to the
    portal only (logging out redirects to Keycloak, which `form-action` must allow)."""
    keycloak = urlsplit(settings.browser_issuer)
    return {
        "Content-Security-Policy": "default-src 'self'; script-src 'none'; object-src 'none'; "
        f"frame-ancestors 'none'; base-uri 'none'; form-action 'self' {keycloak.scheme}://{keycloak.netloc}",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
    }


def create_portal(settings: PortalSettings) -> FastAPI:
    mongo = connect(settings.mongo_url, appname="thidua-portal")
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
            backchannel=settings.backchannel_url,
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
            response = await http.get(f"{settings.backchannel_url}/.well-known/openid-configuration")
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    app = FastAPI(title="thidua — cổng thông tin / portal", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.portal = portal
    install_error_pages(app)
    app.include_router(health_router({"database": database_ready, "keycloak": keycloak_ready}))
    for module in (auth, home, submitter, officer, council, chair, province, admin, showcase, inbox):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    # inside the metrics, security headers and tracing added later: a refused body is counted and traced as its 413
    app.add_middleware(
        PortalBodyLimit,
        max_bytes=settings.max_request_body_bytes,
        uploads=upload_routes(app),
        upload_max_bytes=settings.upload_max_bytes + FIELD_MAX_BYTES,
    )
    app.add_middleware(RequestMetrics, service=settings.service_name)

    headers = security_headers_for(settings)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response

    app.include_router(metrics_router())
    instrument(app)
    return app
