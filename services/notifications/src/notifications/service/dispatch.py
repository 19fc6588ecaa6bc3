"""Sending stored deliveries: claim, send, record the outcome; retry with backoff; dead-letter after the last try.

A delivery is sent only by the dispatcher whose revision moved it to `sending` (revisions have exactly one writer,
see thidua_platform.outbox), so two dispatchers never send the same delivery at once. An e-mail is never sent twice:
just before its text goes to the SMTP server the dispatcher records the handover (`handed_over_at`); a delivery
whose claim lapsed before that point is sent again (the server never had the message), one whose claim lapsed after
it, or whose handover got no answer, ends `uncertain` (perhaps delivered) for an operator to look at and, if need
be, send again. A webhook whose claim lapsed is sent again with the same X-Thidua-Delivery, which gateways drop.
See docs/adr/0009-notifications.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind

from notifications.adapters.channels import (
    DeliveryFailed,
    HandingOver,
    Permanent,
    SmtpSender,
    Uncertain,
    WebhookSender,
    rendered_of,
)
from notifications.domain.aggregates import Delivery, HistoryEntry, QueueEntry
from notifications.domain.delivery import retry_delay
from notifications.domain.lifecycle import (
    STATUS_AFTER,
    Ending,
    Outcome,
    after_lapse,
    claim_lapsed,
    is_due,
    outcome_of,
)
from notifications.repository import Claim, Repositories, Settlement, scope_of
from thidua_platform.audit import entry as audit
from thidua_platform.audit import system_actor
from thidua_platform.loops import poll
from thidua_platform.metrics import DELIVERIES
from thidua_platform.problems import Conflict
from thidua_platform.telemetry import context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

DISPATCH = system_actor("dispatch")
LAPSED = "Lần gửi trước bị gián đoạn quá số lần cho phép / the last attempts were interrupted (claim lapsed)"
UNANSWERED = (
    "Bộ gửi dừng sau khi đã giao thư cho máy chủ thư; thư có thể đã đến / the sender stopped after handing the "
    "e-mail to the mail server; it may have been delivered"
)


class ClaimLost(Exception):
    """The delivery is no longer this dispatcher's to send (its claim lapsed and another took it over)."""


@dataclass(frozen=True)
class DispatchPolicy:
    max_attempts: int = 6
    retry_base_seconds: float = 30.0
    lease_seconds: float = 120.0
    batch: int = 50
    concurrency: int = 8


@dataclass
class Dispatcher:
    repos: Repositories
    email: SmtpSender
    webhook: WebhookSender
    policy: DispatchPolicy

    async def run(self, stop: asyncio.Event, poll_seconds: float) -> None:
        """List what the queue lacks once (deliveries from before it, or a lost queue), then send what is due."""
        listed = False

        async def tick() -> int:
            nonlocal listed
            if not listed:
                if count := await self.repos.deliveries.enqueue_unlisted():
                    log.info("%d pending deliveries listed in the dispatch queue", count)
                listed = True
            return await self.dispatch_due()

        await poll(stop, tick, every=poll_seconds, what="dispatch")

    async def dispatch_due(self) -> int:
        """Send what is due now; returns how many deliveries this dispatcher claimed."""
        due = await self.repos.deliveries.due(datetime.now(UTC), self.policy.batch)
        gate = asyncio.Semaphore(self.policy.concurrency)

        async def one(reference: QueueEntry) -> Outcome | None:
            async with gate:
                return await self.dispatch(reference)

        outcomes = await asyncio.gather(*(one(reference) for reference in due))
        return sum(1 for outcome in outcomes if outcome is not None)

    async def dispatch(self, reference: QueueEntry) -> Outcome | None:
        """Claim one delivery and send it; None if it was not ours to send (sent, claimed elsewhere, not due).
        Either way its queue entry is then brought in line with it (next due, or gone)."""
        try:
            return await self._dispatch(reference)
        finally:
            await self.repos.deliveries.requeue(reference, datetime.now(UTC))

    async def _dispatch(self, reference: QueueEntry) -> Outcome | None:
        token = uuid.uuid4().hex
        claimed = await self._claim(reference, token)
        if claimed is None:
            return None
        error: DeliveryFailed | None = None
        handed_over = False

        async def hand_over() -> None:
            nonlocal handed_over
            await self._hand_over(claimed, token)
            handed_over = True

        with sending_span(claimed) as span:
            try:
                await self._send(claimed, hand_over)
            except ClaimLost:
                return None
            except DeliveryFailed as exc:
                error = exc
            except Exception as exc:  # a bug in a channel must not kill the loop; it retries, then dead-letters
                log.exception("delivery %s failed unexpectedly", claimed["_id"])
                # once the e-mail was handed over, sending it again could deliver it twice: uncertain, never retried
                failed = Uncertain if handed_over else DeliveryFailed
                error = failed(f"{type(exc).__name__}: {exc}")
            outcome = await self._record(claimed, token, error)
            span.set_attribute("thidua.delivery.outcome", outcome or "not recorded")
            return outcome

    async def _send(self, delivery: Delivery, hand_over: HandingOver) -> None:
        rendered = rendered_of(delivery)
        if delivery["channel"] == "email":
            await self.email.send(delivery, rendered, hand_over)
        elif delivery["channel"] == "webhook":
            gateway = await self.repos.webhooks.get(scope_of(delivery), delivery["tenant"] or "")
            await self.webhook.send(delivery, rendered, gateway)
        else:
            raise Permanent(f"unknown channel {delivery['channel']}")

    async def _claim(self, reference: QueueEntry, token: str) -> Delivery | None:
        """Move the delivery to `sending` under our token; None when it is not due or another dispatcher won. A
        send whose claim lapsed counts as an attempt: a delivery that kills its dispatcher ends dead, not looping."""
        now = datetime.now(UTC)

        def take(current: Delivery) -> Claim | Settlement | None:
            lapsed = claim_lapsed(current["status"], current["lease_until"], now)
            if not (is_due(current["status"], current["next_attempt_at"], now) or lapsed):
                return None
            ending = lapsed and after_lapse(
                handed_over=bool(current.get("handed_over_at")),
                attempts=current["attempts"],
                max_attempts=self.policy.max_attempts,
            )
            if ending:
                return ended(current, ending, now, UNANSWERED if ending == "uncertain" else LAPSED)
            lease = now + timedelta(seconds=self.policy.lease_seconds)
            audited = audit(DISPATCH, "claimed", now, status="sending", attempt=current["attempts"] + 1)
            return Claim(token=token, lease_until=lease, audit=audited)

        try:
            claimed = await self.repos.deliveries.claim(scope_of(reference), reference["_id"], take=take)
        except Conflict:  # other dispatchers are at it: it is theirs
            return None
        return claimed if claimed is not None and claimed.get("claim") == token else None

    async def _hand_over(self, delivery: Delivery, token: str) -> None:
        """Record, under our claim, that the e-mail is about to be handed over; ClaimLost if it is not ours."""
        now = datetime.now(UTC)
        # under our claim the delivery's attempts are those it was claimed with (only a new claim changes them)
        audited = audit(DISPATCH, "handed_over", now, status="sending", attempt=delivery["attempts"])
        try:
            recorded = await self.repos.deliveries.record_handover(
                scope_of(delivery), delivery["_id"], token=token, at=now, audit=audited
            )
        except Conflict as exc:
            raise ClaimLost(delivery["_id"]) from exc
        if not recorded:
            raise ClaimLost(delivery["_id"])

    async def _record(self, delivery: Delivery, token: str, error: DeliveryFailed | None) -> Outcome | None:
        now = datetime.now(UTC)
        attempts = int(delivery["attempts"])
        outcome = outcome_of(
            failed=error is not None,
            uncertain=isinstance(error, Uncertain),
            permanent=error is not None and error.permanent,
            attempts=attempts,
            max_attempts=self.policy.max_attempts,
        )
        fields: dict[str, Any] = {"status": STATUS_AFTER[outcome], "last_error": None if error is None else str(error)}
        if outcome == "sent":
            fields["sent_at"] = now
        elif outcome == "retry":
            fields["next_attempt_at"] = now + timedelta(seconds=retry_delay(attempts, self.policy.retry_base_seconds))
        else:
            fields["dead_at"] = now
        entry: HistoryEntry = {
            "at": now,
            "attempt": attempts,
            "outcome": outcome,
            "error": None if error is None else str(error),
        }
        audited = audit(DISPATCH, outcome, now, status=fields["status"], attempt=attempts)
        try:
            recorded = await self.repos.deliveries.record_outcome(
                scope_of(delivery),
                delivery["_id"],
                token=token,
                outcome=Settlement(fields=fields, history=entry, audit=audited),
            )
        except Conflict:
            log.warning("outcome of delivery %s not recorded (busy); its claim will lapse", delivery["_id"])
            return None
        if not recorded:
            return None  # our claim lapsed and someone else took the delivery over
        DELIVERIES.labels(delivery["channel"], outcome).inc()
        if outcome in ("dead", "uncertain"):
            log.warning("delivery %s (%s) %s: %s", delivery["_id"], delivery["channel"], outcome, error)
        return outcome


@contextlib.contextmanager
def sending_span(delivery: Delivery) -> Iterator[Span]:
    """The sending, in the trace of the event that caused the delivery (a digest has its own trace)."""
    with tracer.start_as_current_span(
        f"send {delivery['channel']}",
        context=context_from_traceparent(delivery.get("traceparent")),
        kind=SpanKind.CLIENT,
        attributes={
            "thidua.delivery.id": delivery["_id"],
            "thidua.delivery.kind": delivery["kind"],
            "thidua.delivery.attempt": int(delivery["attempts"]),
            "thidua.tenant": delivery.get("tenant") or "",
        },
    ) as span:
        yield span


def ended(current: Delivery, status: Ending, now: datetime, reason: str) -> Settlement:
    """A lapsed claim that is not sent again: `dead` (interrupted too often) or `uncertain` (handed over)."""
    entry: HistoryEntry = {"at": now, "attempt": current["attempts"], "outcome": status, "error": reason}
    fields = {"status": status, "dead_at": now, "last_error": reason}
    audited = audit(DISPATCH, status, now, status=status, attempt=current["attempts"])
    return Settlement(fields=fields, history=entry, audit=audited)
