"""A delivery's lifecycle: its statuses and the moves between them. Pure rules, no I/O.

pending ──a dispatcher claims it──► sending ──accepted──► sent
                                      │ ──failed, attempts left──► pending (after the backoff)
                                      │ ──failed for good, or no attempts left──► dead
                                      │ ──handed over, no answer──► uncertain (never sent twice on its own)
                                      └ ──the claim lapsed──► claimed again, or dead / uncertain as above
held (an e-mail for the daily digest) ──the digest is made──► digested
dead | uncertain ──an officer retries it──► pending, with a fresh set of attempts
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

DeliveryStatus = Literal["pending", "sending", "sent", "held", "digested", "dead", "uncertain"]
Outcome = Literal["sent", "retry", "dead", "uncertain"]  # of one attempt
Ending = Literal["dead", "uncertain"]

STATUS_AFTER: dict[Outcome, DeliveryStatus] = {
    "sent": "sent",
    "retry": "pending",
    "dead": "dead",
    "uncertain": "uncertain",
}
PUT_BACK_FROM: tuple[DeliveryStatus, ...] = ("dead", "uncertain")  # what an officer may send again
QUEUED: tuple[DeliveryStatus, ...] = ("pending", "sending")  # what the dispatcher still looks at


def is_due(status: str, next_attempt_at: datetime | None, now: datetime) -> bool:
    """A pending delivery whose next attempt's time has come."""
    return status == "pending" and next_attempt_at is not None and next_attempt_at <= now


def claim_lapsed(status: str, lease_until: datetime | None, now: datetime) -> bool:
    """A send whose dispatcher's lease ran out before it recorded an outcome (it died or hung)."""
    return status == "sending" and lease_until is not None and lease_until <= now


def after_lapse(*, handed_over: bool, attempts: int, max_attempts: int) -> Ending | None:
    """What a lapsed send becomes instead of being claimed again: `uncertain` once the e-mail was handed over (it may
    have gone out), `dead` when it has had its attempts (a delivery that kills its dispatcher must not loop); None:
    claim it again."""
    if handed_over:
        return "uncertain"
    if attempts >= max_attempts:
        return "dead"
    return None


def outcome_of(*, failed: bool, uncertain: bool, permanent: bool, attempts: int, max_attempts: int) -> Outcome:
    """The outcome of an attempt: sent; uncertain (handed over, no answer); dead (refused for good, or the last
    attempt); else retried after the backoff."""
    if not failed:
        return "sent"
    if uncertain:
        return "uncertain"
    if permanent or attempts >= max_attempts:
        return "dead"
    return "retry"
