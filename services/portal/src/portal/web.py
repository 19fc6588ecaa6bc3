"""What every page shares: the signed-in person's session, API calls as that person, rendering, CSRF, roles, errors.

A page handler takes a `Page` (or a role-checked one from `role_page`) and either renders a template or redirects
(Post/Redirect/Get) with a flash message. An API's 422 answer is shown next to the fields it names, with what the
person typed kept; other API errors become an error page with the API's own message, never a stack trace (the
errors' pages: `portal.errors`).
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.datastructures import FormData, UploadFile

from portal.adapters.backend import ApiError, Backend, Download
from portal.adapters.oidc import KeycloakUnavailable, OidcClient, RefreshRefused
from portal.i18n import COOKIE as LANG_COOKIE
from portal.i18n import Translator, language
from portal.navigation import menu_for
from portal.sessions import Session, SessionStore
from portal.settings import PortalSettings
from thidua_platform.auth import InvalidToken, Principal, TokenVerifier
from thidua_platform.telemetry import current_tenant

log = logging.getLogger("portal")
SESSION_COOKIE = "thidua_session"
REFRESH_MARGIN_SECONDS = 20
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Portal:
    """The process's parts, built once by the composition root."""

    settings: PortalSettings
    sessions: SessionStore
    oidc: OidcClient
    verifier: TokenVerifier
    backend: Backend
    templates: Environment


def template_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class SessionExpired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class NotAllowed(Exception):
    pass


class BadForm(Exception):
    """The CSRF token is missing or wrong: the form did not come from a portal page of this session."""


class TooLarge(Exception):
    """A form (with its files) larger than the portal takes: refused before it is read into memory."""


FIELD_MAX_BYTES = 1024 * 1024  # a text field of a form; files have their own limit (upload_max_bytes)


def portal_of(request: Request) -> Portal:
    portal: Portal = request.app.state.portal
    return portal


def lang_of(request: Request) -> str:
    return language(request.cookies.get(LANG_COOKIE))


def safe_next(path: str | None) -> str:
    """Only a path on this site: never an absolute or protocol-relative address (no open redirect)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def here(request: Request) -> str:
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


class Page:
    """One request of a signed-in person."""

    def __init__(self, request: Request, portal: Portal, session: Session, form: FormData | None) -> None:
        self.request = request
        self.portal = portal
        self.session = session
        self.form = form
        self.lang = lang_of(request)
        self.t = Translator(self.lang)

    @property
    def principal(self) -> Principal:
        return self.session.principal

    def has(self, *roles: str) -> bool:
        return self.principal.has_any_role(*roles)

    def field(self, name: str, default: str = "") -> str:
        """A form field, trimmed ("" when absent)."""
        if self.form is None:
            return default
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str) and v.strip()]

    async def api(self, method: str, service: str, path: str, **kwargs: Any) -> Any:
        return await self.portal.backend.json(self.session.tokens.access_token, method, service, path, **kwargs)

    async def get(self, service: str, path: str, **params: Any) -> Any:
        return await self.api("GET", service, path, params=params)

    async def download(self, service: str, path: str, params: dict[str, Any] | None = None) -> Response:
        file: Download = await self.portal.backend.download(self.session.tokens.access_token, service, path, params)
        return Response(
            content=file.content,
            media_type=file.media_type,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.filename)}"},
        )

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, self.portal, template, status=status, session=self.session, **context)

    async def done(self, url: str, vi: str, en: str) -> RedirectResponse:
        """Post/Redirect/Get with a message shown once on the next page."""
        await self.portal.sessions.flash(self.session.id, (vi, en))
        return RedirectResponse(url, status_code=303)

    async def once(self, act: Callable[[], Awaitable[Response]]) -> Response:
        """Acts once per form shown (its `idempotency_key`): the same form sent again — a double click, a reload —
        leads where the first sending led, or says it is still being handled."""
        key = self.field("idempotency_key")
        if not key:
            return await act()
        earlier = await self.portal.sessions.claim_form(self.session.id, key)
        if earlier is not None:
            if earlier.get("location"):
                return RedirectResponse(str(earlier["location"]), status_code=303)
            return error_page(
                self.request, 409, "Biểu mẫu này đang được xử lý", "This form is already being handled, please wait"
            )
        response: Response | None = None
        try:
            response = await act()
        finally:
            led = response.headers.get("location") if response is not None and response.status_code == 303 else None
            await self.portal.sessions.form_done(self.session.id, key, led)
        return response

    def idempotency_key(self) -> str:
        """The form's own key (a hidden field made when the form was shown), so a resent form acts once."""
        return self.field("idempotency_key") or str(uuid.uuid4())


def render(
    request: Request,
    portal: Portal,
    template: str,
    *,
    status: int = 200,
    session: Session | None = None,
    **context: Any,
) -> HTMLResponse:
    lang = lang_of(request)
    t = Translator(lang)
    flash = t(*session.flash) if session and session.flash else None
    # the services' messages are bilingual ("vi / en"): each field's in the reader's language
    errors = {name: t.pick(message) for name, message in context.pop("errors", {}).items()}
    html = portal.templates.get_template(template).render(
        t=t,
        lang=lang,
        request=request,
        here=here(request),
        session=session,
        principal=session.principal if session else None,
        menu=menu_for(session.principal) if session else [],
        csrf=session.csrf if session else "",
        flash=flash,
        new_key=lambda: str(uuid.uuid4()),
        errors=errors,
        values=context.pop("values", {}),
        **context,
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _session_of(request: Request, portal: Portal) -> Session:
    session_id = request.cookies.get(SESSION_COOKIE)
    session = await portal.sessions.get(session_id) if session_id else None
    if session is None:
        if session_id:  # there was one: it ended (idle, too old, logged out elsewhere)
            raise SessionExpired(here(request))
        raise LoginRequired(here(request))
    if session.tokens.access_expires_at - time.time() < REFRESH_MARGIN_SECONDS:
        try:
            tokens = await portal.oidc.refresh(session.tokens)
            await portal.verifier.verify(tokens.access_token)
        except (KeycloakUnavailable, httpx.HTTPError) as exc:
            raise ApiError(503, "Máy chủ đăng nhập tạm thời không trả lời / The login server is not answering") from exc
        except (RefreshRefused, InvalidToken) as exc:
            log.info("session ended: token refresh refused (%s)", exc)
            await portal.sessions.end(session.id)
            raise SessionExpired(here(request)) from exc
        session = await portal.sessions.store_tokens(session, tokens)
    if session.flash:
        await portal.sessions.flash(session.id, None)
    current_tenant.set(session.principal.tenant or session.principal.province)
    return session


async def signed_in(request: Request) -> Page:
    portal = portal_of(request)
    session = await _session_of(request, portal)
    form = None
    if request.method in UNSAFE:
        limit = portal.settings.upload_max_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit + FIELD_MAX_BYTES:
            raise TooLarge()
        form = await request.form(max_part_size=FIELD_MAX_BYTES)  # files are spooled to disk, not kept in memory
        sent = form.get("csrf_token")
        if not isinstance(sent, str) or not secrets.compare_digest(sent, session.csrf):
            raise BadForm()
        if any(isinstance(v, UploadFile) and (v.size or 0) > limit for _, v in form.multi_items()):
            raise TooLarge()
    return Page(request, portal, session, form)


def role_page(*roles: str) -> Callable[[Request], Awaitable[Page]]:
    async def dependency(request: Request) -> Page:
        page = await signed_in(request)
        if not page.has(*roles):
            raise NotAllowed()
        return page

    dependency.roles = frozenset(roles)  # type: ignore[attr-defined]  # read by the route matrix test
    return dependency


def error_page(request: Request, status: int, vi: str, en: str, detail: str = "") -> HTMLResponse:
    return render(request, portal_of(request), "error.html", status=status, title_vi=vi, title_en=en, detail=detail)
