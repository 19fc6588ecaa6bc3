"""Logging in and out through Keycloak, and choosing the language."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from portal.adapters.oidc import KeycloakUnavailable, code_verifier
from portal.i18n import COOKIE as LANG_COOKIE
from portal.i18n import LANGUAGES, lang_of_cookie_max_age, nfc
from portal.web import SESSION_COOKIE, Page, error_page, lang_of, portal_of, safe_next, signed_in
from thidua_platform.auth import InvalidToken

router = APIRouter()
log = logging.getLogger("portal.auth")
LOGIN_COOKIE = "thidua_login"


def _callback(request: Request) -> str:
    return f"{portal_of(request).settings.public_url}/auth/callback"


def unit_name(claims: Mapping[str, Any]) -> str:
    """The name of the person's commune ("Xã Liên Minh") or province ("Tỉnh Ninh Bình"), from the attributes of their
    organization in the ID token; empty when it has none (a commune provisioned before names were kept)."""
    organizations = claims.get("organization")
    if not isinstance(organizations, dict) or len(organizations) != 1:
        return ""
    attributes = next(iter(organizations.values()))
    names = attributes.get("name") if isinstance(attributes, dict) else None
    return nfc(str(names[0]).strip()) if isinstance(names, list) and names else ""


def full_name(claims: Mapping[str, Any], username: str) -> str:
    """A person's name as Vietnamese write it, family name first ("Nguyễn Văn An"): from the ID token's family and
    given names (Keycloak's `name` puts the given name first), else its `name`, else the username."""
    family, given = str(claims.get("family_name") or "").strip(), str(claims.get("given_name") or "").strip()
    if family and given and family != given:
        return nfc(f"{family} {given}")
    return nfc(str(claims.get("name") or "").strip() or family or given or username)


@router.get("/auth/login")
async def login(request: Request, next: str = "/") -> Response:
    portal = portal_of(request)
    verifier, nonce = code_verifier(), secrets.token_urlsafe(16)
    state = await portal.sessions.begin_login(verifier=verifier, nonce=nonce, next_path=safe_next(next))
    target = portal.oidc.authorization_url(
        redirect_uri=_callback(request), state=state, nonce=nonce, verifier=verifier, lang=lang_of(request)
    )
    response = RedirectResponse(target, status_code=303)
    # binds the login to this browser: a callback with a state begun elsewhere is refused (login CSRF)
    response.set_cookie(
        LOGIN_COOKIE, state, max_age=600, httponly=True, samesite="lax", secure=portal.settings.cookie_secure
    )
    return response


@router.get("/auth/callback")
async def callback(
    request: Request,
    state: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=4000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    portal = portal_of(request)
    cookie = request.cookies.get(LOGIN_COOKIE, "")
    if error or not state or not code or not secrets.compare_digest(cookie, state):
        return error_page(request, 400, "Đăng nhập không thành công", "Login failed", detail=error)
    pending = await portal.sessions.finish_login(state)
    if pending is None:
        return error_page(request, 400, "Phiên đăng nhập đã hết hạn, hãy thử lại", "The login expired, try again")
    try:
        tokens = await portal.oidc.exchange(code=code, verifier=pending.verifier, redirect_uri=_callback(request))
        principal = await portal.verifier.verify(tokens.access_token)
        claims = await portal.oidc.id_claims(tokens.id_token, nonce=pending.nonce)
    except (KeycloakUnavailable, httpx.HTTPError):
        return error_page(
            request, 503, "Máy chủ đăng nhập tạm thời không trả lời", "The login server is not answering, try again"
        )
    except InvalidToken as exc:
        log.warning("login refused: %s", exc)
        return error_page(request, 400, "Đăng nhập không thành công", "Login failed", detail=str(exc))
    name = full_name(claims, principal.username)
    session = await portal.sessions.create(principal, name, tokens, unit_name=unit_name(claims))
    log.info("login user=%s tenant=%s", principal.user_id, principal.tenant or principal.province)
    response = RedirectResponse(pending.next, status_code=303)
    response.delete_cookie(LOGIN_COOKIE)
    response.set_cookie(
        SESSION_COOKIE,
        session.id,
        httponly=True,
        samesite="lax",
        secure=portal.settings.cookie_secure,
        path="/",
    )
    return response


@router.post("/auth/logout")
async def logout(page: Annotated[Page, Depends(signed_in)]) -> Response:
    portal = page.portal
    await portal.sessions.end(page.session.id)
    try:
        await portal.oidc.revoke(page.session.tokens)
    except Exception:  # the browser's logout below ends the SSO session anyway
        log.warning("back-channel logout failed", exc_info=True)
    log.info("logout user=%s", page.principal.user_id)
    target = portal.oidc.end_session_url(
        id_token=page.session.tokens.id_token, redirect_uri=f"{portal.settings.public_url}/?signed_out=1"
    )
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
async def choose_language(code: str, next: str = "/") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=lang_of_cookie_max_age(), samesite="lax", path="/")
    return response
