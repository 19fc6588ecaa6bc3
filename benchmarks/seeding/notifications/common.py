"""What the notifications seeder's modules share: its collections, the shares of messages read and e-mails
retried, the council's criteria by group, and the ids, nonces and days derived from the plan, so that seeding
twice agrees."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from notifications.domain.notices import Notice
from notifications.repository import INBOX
from thidua_platform.envelope import derived_id

DATABASE = "thidua_notifications"


DELIVERIES = "deliveries"


REVIEWS = "reviews"


COLLECTIONS = (INBOX, DELIVERIES, REVIEWS)


READ_SHARE = 0.85  # most messages have been opened


RETRIED_SHARE = 0.03  # e-mails the relay refused once (4xx) before taking them


REMINDER_DAYS = 3.0  # the worker's default `reminder_days_before`


MAX_TOTAL = 100.0


TRANSIENT = "SMTP 421: Service not available, closing transmission channel"


RETURN_REASON = "Bổ sung minh chứng và thuyết minh kết quả thực hiện tiêu chí."


# Assessment criteria (the council's part) by target group, as the demo's criteria sets mark them; used when the
# submissions database has none to read.
ASSESSED: dict[str, tuple[str, ...]] = {
    "a": ("a2", "a3", "a4", "a5", "a6"),
    "b": ("b1", "b2", "b3"),
    "c": ("c1", "c2", "c3"),
    "d1": ("d1-1", "d1-2"),
    "d2": ("d2-1", "d2-2"),
}


def nonce(aggregate: str, revision: int) -> str:
    """The change-log nonce of a revision, derived so that a second seeding writes the same document."""
    return derived_id("bench-change", aggregate, revision).hex


def _fraction(key: str, salt: str) -> float:
    """A stable number in [0, 1) for a document and a purpose."""
    return int(derived_id(key, salt).hex[:8], 16) / 2**32


def _event(*parts: object) -> str:
    """The id of an event whose real id is random (a request's): derived here, so seeding twice agrees."""
    return str(derived_id("bench-event", *parts))


def closes_at(period: str, year: int) -> datetime:
    """When a period closes, as the demo's campaigns publish it (the reviews close on 30 November, years on
    10 December, Vietnam time)."""
    day = 29 if period.startswith(("so-ket", "tong-ket")) else 9
    month = 11 if day == 29 else 12
    return datetime(year, month, day, 17, tzinfo=UTC)


def _notice(kind: str, facts: dict[str, Any], cause: str, event: type[Any]) -> Notice:
    return Notice(kind, (), facts, cause, str(event.event_type))
