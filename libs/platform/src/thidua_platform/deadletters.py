"""Dead letters for operators: list them, inspect one, replay them to the topic they came from.

The operator's command is `thidua-ops dead-letters list [GROUP]`, `show GROUP PARTITION:OFFSET`,
`replay GROUP PARTITION:OFFSET... | --all` (ops); this module is what it runs.

A dead letter is the original message (key, value, headers) with the consumer's reason in `dlq_*` headers
(`thidua_platform.consumer`). Reading never joins a consumer group, so listing changes nothing. Replaying produces the
original key, value and headers to the original topic with `dlq_replayed_from` added: every group reading that topic
sees the event again, which is harmless because every consumer is idempotent (README, guarantees); the group that
dead-lettered it applies it now that the cause is fixed, or dead-letters it again with the new reason.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from confluent_kafka import Consumer, TopicPartition
from confluent_kafka.admin import AdminClient

from thidua_platform.envelope import dead_letter_topic
from thidua_platform.kafka import EventPublisher, Headers

DLQ_PREFIX = dead_letter_topic("")
REPLAYED_FROM = "dlq_replayed_from"


@dataclass(frozen=True)
class DeadLetter:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]

    def header(self, name: str) -> str:
        return next((value.decode(errors="replace") for key, value in self.headers if key == name), "")

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"

    def event(self) -> dict[str, object]:
        """What the value says about itself, as far as it can be read."""
        try:
            data = json.loads(self.value or b"")
        except ValueError:
            return {}
        if not isinstance(data, dict):
            return {}
        return {name: data.get(name) for name in ("type", "id", "tenant", "province", "subject", "time")}

    def summary(self) -> dict[str, object]:
        event = self.event()
        return {
            "position": self.position,
            "reason": self.header("dlq_reason"),
            "attempts": self.header("dlq_attempts"),
            "from": f"{self.header('dlq_topic')}/{self.header('dlq_partition')}@{self.header('dlq_offset')}",
            "type": event.get("type") or "?",
            "id": event.get("id") or "?",
            "tenant": event.get("tenant") or "",
            "error": self.header("dlq_error")[:160],
            "replayed_from": self.header(REPLAYED_FROM),
        }

    def replay_headers(self) -> Headers:
        kept = [(key, value) for key, value in self.headers if not key.startswith("dlq_")]
        return [*kept, (REPLAYED_FROM, f"{self.topic}:{self.position}".encode())]


def dead_letter_topics(bootstrap: str) -> list[str]:
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    return sorted(name for name in metadata.topics if name.startswith(DLQ_PREFIX))


def read(bootstrap: str, topic: str, *, timeout: float = 30.0) -> list[DeadLetter]:
    """Every message of `topic` as it stands now (up to each partition's end when called), in partition order."""
    consumer = Consumer(
        {"bootstrap.servers": bootstrap, "group.id": f"thidua-dead-letters-{uuid.uuid4()}", "enable.auto.commit": False}
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10).topics.get(topic)
        if metadata is None or metadata.error is not None:
            return []
        wanted: dict[int, int] = {}
        starts = []
        for partition in sorted(metadata.partitions):
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
            if high > low:
                wanted[partition] = high
                starts.append(TopicPartition(topic, partition, low))
        if not starts:
            return []
        consumer.assign(starts)
        letters: list[DeadLetter] = []
        deadline = time.monotonic() + timeout
        while wanted and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None or message.error():
                continue
            partition, offset = message.partition() or 0, message.offset() or 0
            if partition not in wanted or offset >= wanted[partition]:
                continue
            raw = message.headers() or []
            pairs = raw.items() if isinstance(raw, dict) else raw
            headers = tuple((str(key), value if isinstance(value, bytes) else b"") for key, value in pairs)
            letters.append(DeadLetter(topic, partition, offset, message.key(), message.value(), headers))
            if offset + 1 >= wanted[partition]:
                del wanted[partition]
        return sorted(letters, key=lambda letter: (letter.partition, letter.offset))
    finally:
        consumer.close()


async def replay(
    bootstrap: str, letters: Sequence[DeadLetter], on_replayed: Callable[[DeadLetter], None] = lambda _letter: None
) -> int:
    """Produce each letter's original message to its original topic; returns how many."""
    publisher = EventPublisher(bootstrap, "thidua-dead-letters")
    try:
        for letter in letters:
            origin = letter.header("dlq_topic")
            if not origin:
                raise ValueError(
                    f"{letter.topic} {letter.position}: no dlq_topic header, cannot tell where it came from"
                )
            await publisher.publish_raw(origin, letter.key, letter.value, letter.replay_headers())
            on_replayed(letter)
    finally:
        await publisher.close()
    return len(letters)


def _topic(group: str) -> str:
    return group if group.startswith(DLQ_PREFIX) else dead_letter_topic(group)


def pick(letters: list[DeadLetter], positions: Sequence[str]) -> list[DeadLetter]:
    by_position = {letter.position: letter for letter in letters}
    missing = [position for position in positions if position not in by_position]
    if missing:
        raise SystemExit(f"no dead letter at {', '.join(missing)} (positions are PARTITION:OFFSET, see `list`)")
    return [by_position[position] for position in positions]


def print_listing(bootstrap: str, group: str | None) -> None:
    """Every dead letter of one consumer group, or of all."""
    topics = [_topic(group)] if group else dead_letter_topics(bootstrap)
    total = 0
    for topic in topics:
        letters = read(bootstrap, topic)
        total += len(letters)
        print(f"{topic}: {len(letters)} dead letter(s)")
        for letter in letters:
            print("  " + json.dumps(letter.summary(), ensure_ascii=False))
    print(f"{total} dead letter(s) in {len(topics)} topic(s)")


def print_letter(bootstrap: str, group: str, position: str) -> None:
    """One dead letter's headers and message."""
    [letter] = pick(read(bootstrap, _topic(group)), [position])
    headers = {k: v.decode(errors="replace") for k, v in letter.headers}
    print(json.dumps({**letter.summary(), "headers": headers}, ensure_ascii=False, indent=2))
    print((letter.value or b"").decode(errors="replace"))


def chosen(
    bootstrap: str, group: str, positions: Sequence[str], *, every: bool, reason: str | None
) -> list[DeadLetter]:
    """The group's dead letters at these positions (or all), only those dead-lettered for `reason` if given."""
    letters = read(bootstrap, _topic(group))
    picked = letters if every else pick(letters, positions)
    return [letter for letter in picked if reason is None or letter.header("dlq_reason") == reason]
