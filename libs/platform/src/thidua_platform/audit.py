"""Audit entries kept inside each aggregate, written in the same update as the change they record (ADR 0011).

Every change of an aggregate (its insert and each update: each revision) carries exactly one entry. The actor is
the person's user id for a request, `event:<event id>` for a change a worker makes from an event (the event type
goes into the entry's `changes` as `event`), and `system:<job>` for a sweep. `changes` holds ids and the new values
of the fields the action changed: no e-mail addresses, message bodies or secrets.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def now() -> datetime:
    return datetime.now(UTC)


def entry(actor: str, action: str, at: datetime, /, **changes: Any) -> dict[str, Any]:
    """Who, when, what: `changes` holds the new values of the fields the action changed."""
    return {"at": at, "actor": actor, "action": action, "changes": changes}


def event_actor(event_id: object) -> str:
    """The actor of a change a worker makes because of the event `event_id`."""
    return f"event:{event_id}"


def system_actor(job: str) -> str:
    """The actor of a change a periodic job (a sweep) makes on its own."""
    return f"system:{job}"


def from_event(event_id: object, event_type: str, action: str, at: datetime, /, **changes: Any) -> dict[str, Any]:
    """The entry of a change caused by an event: actor `event:<id>`, the event's type in `changes`."""
    return entry(event_actor(event_id), action, at, event=event_type, **changes)
