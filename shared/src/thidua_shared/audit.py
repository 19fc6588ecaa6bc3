"""Audit entries kept inside each aggregate, written in the same update as the change they record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def now() -> datetime:
    return datetime.now(UTC)


def entry(actor: str, action: str, at: datetime, /, **changes: Any) -> dict[str, Any]:
    """Who, when, what: `changes` holds the new values of the fields the action changed."""
    return {"at": at, "actor": actor, "action": action, "changes": changes}
