"""The start page: what the signed-in person can do, by role; a welcome for someone not signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal.web import SESSION_COOKIE, portal_of, render

router = APIRouter()


@router.get("/")
async def home(request: Request, signed_out: int = 0) -> Response:
    portal = portal_of(request)
    session_id = request.cookies.get(SESSION_COOKIE)
    session = await portal.sessions.get(session_id) if session_id else None
    return render(request, portal, "home.html", session=session, signed_out=bool(signed_out))
