"""The consumer runtime every worker uses.

Guarantees, in order of the code below:
- offsets are stored only after the handler's effect is saved (`enable.auto.offset.store=false`, then
  `store_offsets`), so a crash before that redelivers the event; handlers are idempotent, so redelivery is harmless;
- a handler that keeps failing is retried with exponential backoff `max_attempts` times, then the original message
  goes to the group's dead-letter topic with the reason in its headers, and the partition moves on; a failure to
  reach the database or another server (an outage, not the event's fault) is waited out instead, however long;
- a message that cannot be parsed, or an event type this platform does not know, is dead-lettered at once (retrying
  cannot help); known types this consumer does not handle are skipped;
- if even the dead-letter topic cannot be written, the offset is not stored and the message is read again;
- a consumer given a batch handler hands it every handled event of a poll at once (one write per batch instead of per
  event); if the batch fails, each of its events goes through the one-by-one path above, so a poison event is
  isolated and dead-lettered alone. Offsets are stored per partition only up to the first unsettled message;
- handlers run in stored mode (`text.stored_text()`): an event already published, and what a handler reads from its
  database, carry their text as it was written, so an event of older code with text today's rule refuses (a NUL, a
  decomposed spelling) is handled, not dead-lettered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import httpx
from confluent_kafka import Consumer, KafkaException, Message, TopicPartition
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind, Status, StatusCode
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure

from thidua_platform.envelope import Envelope, dead_letter_topic, is_known
from thidua_platform.kafka import EventPublisher, Headers
from thidua_platform.loops import pause
from thidua_platform.metrics import DEAD_LETTERS, EVENTS
from thidua_platform.telemetry import context_from_traceparent, current_tenant
from thidua_platform.text import stored_text

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

Handler = Callable[[Envelope], Awaitable[None]]
BatchHandler = Callable[[Sequence[Envelope]], Awaitable[None]]


class Outcome(StrEnum):
    HANDLED = "handled"
    SKIPPED = "skipped"
    DEAD_LETTERED = "dead_lettered"


@dataclass(frozen=True)
class Verdict:
    """What became of a message no handler sees (None: not settled, shutting down), with its type's metric label."""

    outcome: Outcome | None
    event_type: str | None = None  # known for a skipped event; a dead letter's is looked for in its headers


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    backoff_seconds: float = 0.2
    max_backoff_seconds: float = 10.0

    def delay(self, attempt: int) -> float:
        return min(self.backoff_seconds * float(2 ** (attempt - 1)), self.max_backoff_seconds)


def consumer_config(bootstrap: str, group_id: str) -> dict[str, object]:
    return {
        "bootstrap.servers": bootstrap,
        "group.id": group_id,
        "enable.auto.commit": True,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "auto.commit.interval.ms": 1000,
        "session.timeout.ms": 10000,
        "heartbeat.interval.ms": 1000,
        # a subscribed topic created moments ago is noticed within seconds, not librdkafka's default 5 minutes
        "topic.metadata.refresh.interval.ms": 10000,
    }


class EventConsumer:
    def __init__(
        self,
        *,
        bootstrap: str,
        group_id: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler],
        dead_letters: EventPublisher,
        retry: RetryPolicy,
        batch: BatchHandler | None = None,
        batch_size: int = 500,
    ) -> None:
        self.group_id = group_id
        self.topics = list(topics)
        self.handlers = dict(handlers)
        self.dead_letters = dead_letters
        self.retry = retry
        self.batch = batch
        self.batch_size = batch_size if batch is not None else 1
        self.assigned = False
        self._consumer = Consumer(consumer_config(bootstrap, group_id))

    async def joined(self) -> bool:
        """Readiness: the group has assigned this consumer its share of partitions."""
        return self.assigned

    def _on_assign(self, _consumer: Consumer, _partitions: list[TopicPartition]) -> None:
        self.assigned = True

    async def run(self, stop: asyncio.Event) -> None:
        self._consumer.subscribe(self.topics, on_assign=self._on_assign)
        try:
            while not stop.is_set():
                messages = await asyncio.to_thread(self._consumer.consume, self.batch_size, 0.5)
                usable = []
                for message in messages:
                    if message.error():
                        log.warning("consumer %s: %s", self.group_id, message.error())
                    else:
                        usable.append(message)
                if usable:
                    settled = await self.settle(usable, stop)
                    self._store(settled_prefixes(usable, settled))
        finally:
            await asyncio.to_thread(self._consumer.close)

    def _store(self, messages: Sequence[Message]) -> None:
        for message in messages:
            try:
                self._consumer.store_offsets(message=message)
            except KafkaException as exc:  # its partition was revoked meanwhile: its new owner reads it again
                log.warning("consumer %s: offset not stored: %s", self.group_id, exc)

    async def process(self, message: Message, stop: asyncio.Event) -> Outcome | None:
        """Handle one message. None means: not settled (shutting down), do not store its offset."""
        triaged = await self._triage(message, stop)
        if isinstance(triaged, Verdict):
            return self._counted(message, triaged.outcome, triaged.event_type)
        with self._span(triaged, message):
            outcome = await self._handle_with_retries(self.handlers[triaged.type], triaged, message, stop)
        return self._counted(message, outcome, triaged.type)

    def _counted(self, message: Message, outcome: Outcome | None, event_type: str | None = None) -> Outcome | None:
        if outcome is not None:
            EVENTS.labels(self.group_id, event_type or event_type_of(message), outcome.value).inc()
        return outcome

    async def settle(self, messages: Sequence[Message], stop: asyncio.Event) -> list[bool]:
        """Handle a poll's messages; for each, whether it is settled (its offset may be stored)."""
        if self.batch is None or len(messages) == 1:
            settled = []
            for message in messages:
                outcome = None if stop.is_set() else await self.process(message, stop)
                settled.append(outcome is not None)
            return settled
        triaged = [await self._triage(message, stop) for message in messages]
        done = [isinstance(item, Verdict) and item.outcome is not None for item in triaged]
        for message, item in zip(messages, triaged, strict=True):
            if isinstance(item, Verdict):
                self._counted(message, item.outcome, item.event_type)
        waiting = [(i, item) for i, item in enumerate(triaged) if isinstance(item, Envelope)]
        if waiting and await self._handle_batch(self.batch, [(messages[i], envelope) for i, envelope in waiting]):
            for i, envelope in waiting:
                done[i] = self._counted(messages[i], Outcome.HANDLED, envelope.type) is not None
            return done
        for i, envelope in waiting:  # the batch failed: one by one, so only a poison event is dead-lettered
            if stop.is_set():
                break
            with self._span(envelope, messages[i]):
                handler = self.handlers[envelope.type]
                outcome = await self._handle_with_retries(handler, envelope, messages[i], stop)
            done[i] = self._counted(messages[i], outcome, envelope.type) is not None
        return done

    async def _handle_batch(self, batch: BatchHandler, waiting: list[tuple[Message, Envelope]]) -> bool:
        """One attempt at the whole batch; each event gets its own span in its own trace, covering the batch."""
        started = time.time_ns()
        spans = [self._start_span(envelope, message, started) for message, envelope in waiting]
        try:
            with stored_text():
                await batch([envelope for _, envelope in waiting])
        except Exception as exc:
            log.warning("%s: a batch of %d failed (%r); handling them one by one", self.group_id, len(waiting), exc)
            for span in spans:
                span.set_status(Status(StatusCode.ERROR, "batch failed; handled again one by one"))
            return False
        finally:
            ended = time.time_ns()
            for span in spans:
                span.end(end_time=ended)
        return True

    async def _triage(self, message: Message, stop: asyncio.Event) -> Envelope | Verdict:
        """The envelope when a handler must see it; otherwise the outcome already reached (skip or dead letter).
        The type is read from the value (structured mode: the message has no `ce_type` header)."""
        try:
            envelope = Envelope.model_validate_json(message.value() or b"")
        except ValidationError as exc:
            return Verdict(await self._dead_letter(message, "malformed", str(exc)[:2000], stop))
        if envelope.type in self.handlers:
            return envelope
        if not is_known(envelope.type):
            return Verdict(await self._dead_letter(message, "unknown_type", envelope.type, stop))
        return Verdict(Outcome.SKIPPED, envelope.type)

    def _start_span(self, envelope: Envelope, message: Message, start_time: int | None = None) -> Span:
        return tracer.start_span(
            f"process {envelope.type}",
            context=context_from_traceparent(envelope.traceparent),
            kind=SpanKind.CONSUMER,
            start_time=start_time,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": message.topic() or "",
                "messaging.consumer.group.name": self.group_id,
                "messaging.message.id": str(envelope.id),
                "thidua.tenant": envelope.tenant,
            },
        )

    @contextlib.contextmanager
    def _span(self, envelope: Envelope, message: Message) -> Iterator[Span]:
        """The event's span, current while it is handled, and its tenant for the log lines written meanwhile."""
        tenant = current_tenant.set(envelope.tenant or envelope.province)
        try:
            with trace.use_span(self._start_span(envelope, message), end_on_exit=True) as span:
                yield span
        finally:
            current_tenant.reset(tenant)

    async def _handle_with_retries(
        self, handler: Handler, envelope: Envelope, message: Message, stop: asyncio.Event
    ) -> Outcome | None:
        attempt = 0
        outage = 0
        while True:
            try:
                with stored_text():
                    await handler(envelope)
                return Outcome.HANDLED
            except Exception as exc:
                if unreachable(exc):  # the database or a server is down: not the event's fault, wait for it
                    outage += 1
                    log.warning("%s: %r while handling %s; waiting (%d)", self.group_id, exc, envelope.id, outage)
                    if await pause(stop, self.retry.delay(min(outage, 8))):
                        return None
                    continue
                attempt += 1
                log.warning(
                    "%s failed on %s (attempt %d/%d): %r",
                    self.group_id,
                    envelope.id,
                    attempt,
                    self.retry.max_attempts,
                    exc,
                )
                if attempt >= self.retry.max_attempts:
                    return await self._dead_letter(message, "handler_failed", repr(exc)[:2000], stop, attempts=attempt)
                if await pause(stop, self.retry.delay(attempt)):
                    return None

    async def _dead_letter(
        self, message: Message, reason: str, error: str, stop: asyncio.Event, *, attempts: int = 1
    ) -> Outcome | None:
        headers: Headers = [
            *[(str(header[0]), header[1]) for header in (message.headers() or [])],
            ("dlq_reason", reason.encode()),
            ("dlq_error", error.encode()),
            ("dlq_topic", (message.topic() or "").encode()),
            ("dlq_partition", str(message.partition()).encode()),
            ("dlq_offset", str(message.offset()).encode()),
            ("dlq_group", self.group_id.encode()),
            ("dlq_attempts", str(attempts).encode()),
        ]
        attempt = 0
        while not stop.is_set():
            attempt += 1
            try:
                await self.dead_letters.publish_raw(
                    dead_letter_topic(self.group_id), message.key(), message.value(), headers
                )
                log.error("dead-lettered %s/%s@%s: %s", message.topic(), message.partition(), message.offset(), reason)
                DEAD_LETTERS.labels(self.group_id, reason).inc()
                return Outcome.DEAD_LETTERED
            except KafkaException as exc:
                log.error("cannot write dead letter (attempt %d): %s", attempt, exc)
                await pause(stop, self.retry.delay(min(attempt, 6)))
        return None


def event_type_of(message: Message) -> str:
    """The event type a message's `ce_type` header names, if it is one of ours (a label must not take any value it is
    sent). Only a dead letter is labelled so: this platform's producers write no `ce_` header (structured mode), a
    message of an older one or from outside may."""
    named = dict(message.headers() or []).get("ce_type", b"")
    text = named.decode(errors="replace") if isinstance(named, bytes) else str(named)
    return text if is_known(text) else "unknown"


def settled_prefixes(messages: Sequence[Message], settled: Sequence[bool]) -> list[Message]:
    """The messages whose offsets may be stored: per partition, those before its first unsettled one."""
    blocked: set[tuple[str | None, int | None]] = set()
    storable = []
    for message, done in zip(messages, settled, strict=True):
        partition = (message.topic(), message.partition())
        if partition in blocked:
            continue
        if done:
            storable.append(message)
        else:
            blocked.add(partition)
    return storable


def unreachable(error: BaseException) -> bool:
    """A failure to reach the database or another server (retried until it is back, never dead-lettered)."""
    return isinstance(error, ConnectionFailure | httpx.TransportError)
