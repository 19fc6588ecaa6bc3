"""The portal's pages as its own app declares them, with the roles each is for (read by the route matrix and the
province benchmark)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.dependencies.models import Dependant

from portal.bootstrap import create_portal
from portal.settings import PortalSettings

PUBLIC = {"/", "/auth/login", "/auth/callback", "/lang/{code}", "/health/live", "/health/ready", "/metrics"}


def routes() -> list[tuple[str, str, frozenset[str] | None]]:
    """(method, path, the roles the page is for — None for any signed-in person) of every page. FastAPI 0.165 keeps
    included routers as such; their routes are read through `effective_route_contexts` (if that changes, the count
    below fails rather than the matrix passing on nothing)."""
    found: list[tuple[str, str, frozenset[str] | None]] = []
    for route in create_portal(PortalSettings(oidc_client_secret="only-routes-are-read")).routes:
        contexts: Iterable[Any] = (
            route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        )
        for context in contexts:
            if not isinstance(getattr(context, "dependant", None), Dependant) or context.path in PUBLIC:
                continue
            roles = None
            for dependency in context.dependant.dependencies:
                roles = getattr(dependency.call, "roles", roles)
            found.extend((method, context.path, roles) for method in context.methods)
    return sorted(found, key=lambda r: (r[1], r[0]))
