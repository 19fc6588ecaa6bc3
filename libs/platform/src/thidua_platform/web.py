"""The FastAPI pieces every API shares: app factory, bearer authentication, role checks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from thidua_platform.auth import Principal, TokenVerifier
from thidua_platform.body_limit import DEFAULT_MAX_BODY_BYTES, BodyLimit, streamed_routes
from thidua_platform.health import Check, health_router
from thidua_platform.metrics import RequestMetrics, metrics_router
from thidua_platform.platform import Platform
from thidua_platform.problems import PROBLEM_RESPONSES, Forbidden, Unauthorized, install_problem_handlers
from thidua_platform.telemetry import current_tenant

_bearer = HTTPBearer(auto_error=False, description="Keycloak access token of the realm `thidua`")


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None:
        raise Unauthorized("Thiếu mã truy cập / Missing bearer token")
    verifier: TokenVerifier = request.app.state.verifier
    principal = await verifier.verify(credentials.credentials)
    current_tenant.set(principal.tenant or principal.province)
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def roles_required(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    async def dependency(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any_role(*roles):
            raise Forbidden(
                f"Cần một trong các vai trò / Requires one of the roles: {', '.join(roles)}", required_roles=list(roles)
            )
        return principal

    return dependency


def create_app(
    *,
    title: str,
    description: str,
    version: str,
    verifier: TokenVerifier,
    checks: Mapping[str, Check],
    routers: Sequence[APIRouter],
    lifespan: Callable[[FastAPI], AbstractAsyncContextManager[None]] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    app = FastAPI(title=title, description=description, version=version, lifespan=lifespan)
    app.state.verifier = verifier
    install_problem_handlers(app)
    # inside the metrics and tracing added later: a refused body is counted and traced as its 413
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes, streamed=streamed_routes(routers))
    app.include_router(health_router(checks))
    for router in routers:
        app.include_router(router, responses=PROBLEM_RESPONSES)
    return app


def service_app(
    *,
    platform: Platform,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    on_startup: Callable[[], Awaitable[object]] | None = None,
) -> FastAPI:
    """A service's API app whose lifetime closes the platform's connections. It is ready when its database answers:
    it writes events to the outbox, which the worker relays, so a broker outage does not take it out of service."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if on_startup is not None:
            await on_startup()
        yield
        await platform.close()

    app = create_app(
        title=title,
        description=description,
        version="0.1.0",
        verifier=platform.verifier,
        checks=platform.api_checks(),
        routers=routers,
        lifespan=lifespan,
        max_body_bytes=platform.settings.max_request_body_bytes,
    )
    app.add_middleware(RequestMetrics, service=platform.settings.service_name)
    app.include_router(metrics_router())
    instrument(app)
    return app


def instrument(app: FastAPI) -> None:
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(app, excluded_urls="health/.*")
