"""The portal's own app over a fake backend, for tests of its pages without servers (docs/adr/0023).

`PortalUnderTest` builds the app as production does (`create_portal`: routers, error pages, body limit, security
headers) and replaces two parts of it:

- the services: the `Backend` adapter keeps its code (headers, problem+json read into an `ApiError`, downloads) but
  its HTTP client goes through an `httpx.MockTransport` answering from canned answers routed by (method, service,
  path) — `FakeBackend.on(...)`, `FakeBackend.fail(...)` — and noting every call it gets (`FakeBackend.asked(...)`).
  A call nothing was canned for fails the test, naming the call;
- the sessions: the real `SessionStore` on the in-memory database (`thidua_platform.memory`), so flash messages and
  forms sent once work as in production; `sign_in(...)` stores a session for a person of the given roles, as the
  login callback would after Keycloak, and sets its cookie. The tokens stay valid for an hour: Keycloak is never
  asked to refresh them.

No lifespan runs (the session sweeper, the database client's close): nothing is reached but what is canned here.

One app serves every test of a process (`portal_app()`): building it (its routes, the OpenAPI walk that finds the
upload pages, the templates compiled on first use) was most of a page test's time. What a test can change is its own:
each `PortalUnderTest` gives the app a new backend, a new session store and the OIDC client's own HTTP client back.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from portal.adapters.backend import Backend
from portal.adapters.oidc import TokenSet
from portal.bootstrap import create_portal
from portal.sessions import Session, SessionStore
from portal.settings import PortalSettings
from portal.web import SESSION_COOKIE, Portal
from thidua_platform.auth import Principal
from thidua_platform.memory import memory_database

SERVICES = ("submissions", "scoring", "awards", "notifications", "rollups")
TENANT = "ph-37-lien-minh"
PROVINCE = "37"


@dataclass(frozen=True)
class Call:
    """One request the portal made to a service."""

    method: str
    service: str
    path: str
    params: dict[str, list[str]]
    body: Any  # the JSON sent, None without one
    content: bytes
    headers: httpx.Headers

    def param(self, name: str) -> str | None:
        values = self.params.get(name)
        return values[0] if values else None


Responder = Callable[[Call], httpx.Response]


def problem(status: int, title: str, detail: str = "", errors: dict[str, str] | None = None) -> httpx.Response:
    """A service's problem+json answer, with its per-field `errors` as the services write them."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors:
        body["errors"] = [{"field": name, "message": message} for name, message in errors.items()]
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def listing(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    """A page of a service's paged list."""
    return {"items": items, "total": len(items) if total is None else total, "page": 1, "page_size": 200}


@dataclass
class FakeBackend:
    """The five services as canned answers by (method, service, path), and the calls the portal made."""

    settings: PortalSettings
    answers: dict[tuple[str, str, str], Responder] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def on(self, method: str, service: str, path: str, answer: Any = None, *, status: int = 200) -> FakeBackend:
        """Answer `method service path` (whatever its query) with `answer` as JSON, or with what a function of the
        call returns (JSON, or an `httpx.Response` as it is)."""
        assert service in SERVICES, service

        def respond(call: Call) -> httpx.Response:
            found = answer(call) if callable(answer) else answer
            if isinstance(found, httpx.Response):
                return found
            return httpx.Response(status, json=found) if found is not None else httpx.Response(status)

        self.answers[(method, service, path)] = respond
        return self

    def get(self, service: str, path: str, answer: Any) -> FakeBackend:
        return self.on("GET", service, path, answer)

    def fail(
        self,
        method: str,
        service: str,
        path: str,
        status: int,
        title: str = "Lỗi / Error",
        *,
        detail: str = "",
        errors: dict[str, str] | None = None,
    ) -> FakeBackend:
        """Answer with a problem+json of `status`."""
        return self.on(method, service, path, lambda _call: problem(status, title, detail, errors))

    def asked(self, method: str, service: str, path: str) -> list[Call]:
        """The calls the portal made to `method service path`, in order."""
        return [c for c in self.calls if (c.method, c.service, c.path) == (method, service, path)]

    def _service_of(self, url: httpx.URL) -> str:
        base = f"{url.scheme}://{url.host}:{url.port}"
        for service in SERVICES:
            known = urlsplit(self.settings.service_url(service))
            if base == f"{known.scheme}://{known.hostname}:{known.port}":
                return service
        raise AssertionError(f"a call to no known service: {url}")

    def handle(self, request: httpx.Request) -> httpx.Response:
        content = request.read()
        is_json = request.headers.get("content-type", "").startswith("application/json")
        params: dict[str, list[str]] = {}
        for name, value in request.url.params.multi_items():
            params.setdefault(name, []).append(value)
        call = Call(
            method=request.method,
            service=self._service_of(request.url),
            path=request.url.path,
            params=params,
            body=json.loads(content) if is_json and content else None,
            content=content,
            headers=request.headers,
        )
        self.calls.append(call)
        respond = self.answers.get((call.method, call.service, call.path))
        if respond is None:
            raise AssertionError(f"no canned answer for {call.method} {call.service} {call.path} {call.params}")
        return respond(call)


@functools.cache
def portal_app() -> tuple[FastAPI, httpx.AsyncClient]:
    """The portal as production builds it, once per process, and the OIDC client's HTTP client as it was built with
    it (a test may replace that with a fake realm's; the next test gets it back)."""
    app = create_portal(PortalSettings(oidc_client_secret="only-in-tests"))
    return app, app.state.portal.oidc.http


class PortalUnderTest:
    """The portal's app with its services canned (`backend`) and its sessions in memory (`sign_in`)."""

    def __init__(self, *, raise_server_exceptions: bool = True) -> None:
        app, oidc_http = portal_app()
        self.portal: Portal = app.state.portal
        self.settings = self.portal.settings
        self.portal.oidc.http = oidc_http
        self.backend = FakeBackend(self.settings)
        self.portal.backend = Backend(
            self.settings, httpx.AsyncClient(transport=httpx.MockTransport(self.backend.handle))
        )
        self.portal.sessions = SessionStore(memory_database(), idle=timedelta(minutes=30), max_age=timedelta(hours=10))
        self.client = TestClient(app, raise_server_exceptions=raise_server_exceptions, follow_redirects=False)
        self.session: Session | None = None

    def sign_in(
        self,
        *roles: str,
        username: str = "lm.person",
        name: str = "Nguyễn Văn An",
        tenant: str | None = TENANT,
        province: str | None = PROVINCE,
        unit_name: str = "",
    ) -> Session:
        """A session of a person with `roles` (of the commune `tenant`, or of the province alone with tenant None),
        its cookie set on the client, as the login callback leaves it."""
        principal = Principal(f"u-{username}", username, frozenset(roles), tenant=tenant, province=province)
        tokens = TokenSet("access-token", "refresh-token", "id-token", time.time() + 3600, time.time() + 7200)
        self.session = asyncio.run(self.portal.sessions.create(principal, name, tokens, unit_name=unit_name))
        self.client.cookies.set(SESSION_COOKIE, self.session.id)
        return self.session

    def english(self) -> None:
        """The person chose English (the language cookie `/lang/en` sets)."""
        self.client.cookies.set("thidua_lang", "en")

    def get(self, path: str, **params: Any) -> httpx.Response:
        response: httpx.Response = self.client.get(path, params=params or None)
        return response

    def post(self, path: str, data: dict[str, Any] | Iterable[tuple[str, str]] | None = None) -> httpx.Response:
        """A form of the page, sent with the session's CSRF token (`data` as pairs when a name repeats)."""
        assert self.session is not None, "sign in first"
        pairs = list(data.items()) if isinstance(data, dict) else list(data or [])
        body = httpx.QueryParams([("csrf_token", self.session.csrf), *pairs])
        response: httpx.Response = self.client.post(
            path, content=str(body), headers={"content-type": "application/x-www-form-urlencoded"}
        )
        return response

    def flash(self) -> str | None:
        """The message the next page shows once (after a Post/Redirect/Get)."""
        assert self.session is not None
        found = asyncio.run(self.portal.sessions.get(self.session.id))
        return found.flash[0] if found and found.flash else None


# --- what a commune's pages read again and again: its campaign, the award catalogue, the reference lists


def _moment(days: int) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat().replace("+00:00", "Z")


OPEN_PERIOD = "2026"
CAMPAIGN: dict[str, Any] = {
    "id": "cmp-1",
    "name": "Phong trào thi đua đổi mới sáng tạo",
    "limits": {"max_points_change": 2, "may_add_criteria": True, "max_added_criteria": 1},
    "periods": [
        {"code": "2025", "kind": "annual", "opens_at": _moment(-400), "closes_at": _moment(-300)},
        {"code": OPEN_PERIOD, "kind": "annual", "opens_at": _moment(-30), "closes_at": _moment(30)},
        {"code": "2027", "kind": "annual", "opens_at": _moment(300), "closes_at": _moment(400)},
    ],
}
CATALOGUE: dict[str, Any] = {
    "forms": [
        {"code": "GIAY_KHEN_XA", "name": "Giấy khen của Chủ tịch UBND xã", "name_en": "Commune certificate of merit",
         "recipient_kinds": ["collective", "individual"]},
        {"code": "BANG_KHEN_TINH", "name": "Bằng khen của Chủ tịch UBND tỉnh", "name_en": "Provincial certificate",
         "recipient_kinds": ["collective", "individual"]},
    ]
}  # fmt: skip
REFERENCE: dict[str, Any] = {
    "target_groups": {"a": "Thôn, tổ dân phố", "b": "Cơ quan, đơn vị", "c": "Doanh nghiệp", "d1": "Cá nhân",
                      "d2": "Hộ gia đình"},
    "themes": {"1": "Chính quyền số", "2": "Kinh tế số", "3": "Xã hội số"},
}  # fmt: skip


def can_commune(backend: FakeBackend, *, campaign: dict[str, Any] | None = CAMPAIGN) -> FakeBackend:
    """The commune's campaign, the award catalogue and the reference lists, as the services answer them."""
    backend.get("submissions", "/campaigns", [campaign] if campaign else [])
    backend.get("awards", "/catalogue", CATALOGUE)
    return backend.get("submissions", "/reference", REFERENCE)
