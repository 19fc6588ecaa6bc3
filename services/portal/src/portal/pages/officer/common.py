"""What the officer's pages share: the role's dependency, the page size and target groups, refusals shown on the
form, Vietnam time for the datetime inputs, and rendering with those helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Query
from fastapi.responses import Response

from portal.commune import Period
from portal.i18n import VIETNAM
from portal.web import Page, role_page
from thidua_contracts.roles import Role

Officer = Annotated[Page, Depends(role_page(Role.COMMUNE_OFFICER))]
OfficerOrChair = Annotated[Page, Depends(role_page(Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR))]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=100_000)]

GROUPS = ("a", "b", "c", "d1", "d2")
PAGE_SIZE = 50
EXTRA_MEMBER_ROWS = 2


def first_part(errors: dict[str, str], known: tuple[str, ...]) -> dict[str, str]:
    """`focal_users.3` → `focal_users` when the form has one input for the list."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        head = name.split(".", 1)[0]
        key = head if head in known else name
        shown[key] = f"{shown[key]}; {message}" if key in shown else message
    return shown


def item_of(name: str, collection: str, count: int) -> tuple[int, str] | None:
    """An API's error path into a list the form sent, `members.3.username` → (3, "username"); None for any other
    path, or an index beyond what was sent. The column is "" when the path names the item only."""
    parts = name.split(".")
    if parts[0] != collection or len(parts) < 2 or not parts[1].isdigit() or int(parts[1]) >= count:
        return None
    return int(parts[1]), parts[2] if len(parts) > 2 else ""


def local(value: Any) -> datetime | None:
    """A moment in Vietnam time (UTC+7), as the commune reads it."""
    if value in (None, ""):
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM)


def local_input(value: Any) -> str:
    """The value of a datetime-local input, in Vietnam time."""
    moment = local(value)
    return moment.strftime("%Y-%m-%dT%H:%M") if moment else ""


def from_local_input(text: str) -> str | None:
    """A datetime-local input's text (Vietnam time) as an ISO moment with its offset; None when empty or unreadable
    (the API then names the field)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=VIETNAM, second=0, microsecond=0).isoformat()


def render(page: Page, template: str, *, status: int = 200, **context: Any) -> Response:
    """The page, with Vietnam-time helpers and each field message in the reader's language."""
    context["errors"] = {name: page.t.pick(message) for name, message in (context.get("errors") or {}).items()}
    return page.render(template, status=status, local=local, local_input=local_input, **context)


def period_state(period: Period) -> str:
    now = datetime.now(UTC)
    return "open" if period.is_open else "upcoming" if now < period.opens_at else "closed"
