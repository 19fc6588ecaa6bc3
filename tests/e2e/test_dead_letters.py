"""Poison events on the live platform: dead-lettered without stalling their partition; listed, shown and replayed
by the operator command `thidua-ops dead-letters`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.testing import entrant, envelope_of, submission_submitted
from thidua_platform.client import SERVICE_URLS
from thidua_platform.deadletters import DeadLetter, read
from thidua_platform.envelope import dead_letter_topic
from thidua_platform.kafka import EventPublisher, encode

from .conftest import BOOTSTRAP, LIEN_MINH, eventually
from .world import bearer, every_item

TOPIC = SubmissionSubmitted.topic
# a period no other test uses (the mid-term review): the good event is read by every group, scoring keeps a dossier
PERIOD = "so-ket-2027"


def operator(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("thidua-ops")), "dead-letters", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"THIDUA_KAFKA_BOOTSTRAP": BOOTSTRAP, "PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


def three_letters(marker: str) -> list[DeadLetter] | None:
    found = letters_of("rollups", marker)
    return found if len(found) == 3 else None


def letters_of(group: str, marker: str) -> list[DeadLetter]:
    return [letter for letter in read(BOOTSTRAP, dead_letter_topic(group)) if marker.encode() in (letter.value or b"")]


async def publish_poison(marker: str, key: bytes) -> str:
    """A malformed message, an event of a version nobody knows, an event whose payload breaks the handler, then a
    good event, all on one partition (one key). Returns the good event's entrant name."""
    good = envelope_of(
        submission_submitted(
            f"dlq-{marker}", period=PERIOD, entrant=entrant(id=f"e-{marker}", name=f"Thôn thử {marker}")
        ),
        tenant=LIEN_MINH,
    )
    _, good_value, good_headers = encode(good)
    future = json.loads(good_value) | {"type": "thidua.submissions.submission.submitted.v9", "id": str(uuid.uuid4())}
    broken = json.loads(good_value) | {"id": str(uuid.uuid4()), "data": {"submission_id": f"broken-{marker}"}}
    publisher = EventPublisher(BOOTSTRAP, "tests")
    try:
        await publisher.publish_raw(TOPIC, key, f'{{"not json {marker}'.encode(), [])
        await publisher.publish_raw(TOPIC, key, json.dumps(future).encode(), [])
        await publisher.publish_raw(TOPIC, key, json.dumps(broken).encode(), [])
        await publisher.publish_raw(TOPIC, key, good_value, good_headers)
    finally:
        await publisher.close()
    return f"Thôn thử {marker}"


def test_poison_events_are_dead_lettered_and_the_operator_lists_shows_and_replays_them(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    marker = uuid.uuid4().hex[:10]
    name = asyncio.run(publish_poison(marker, key=f"dlq-{marker}".encode()))

    # the partition moved on: the good event behind the three poison ones reached the rollups
    officer = bearer(token("lm.officer"))
    entrants = f"{SERVICE_URLS['rollups']}/rollups/communes/{LIEN_MINH}/entrants"

    def applied() -> bool:
        rows = every_item(http, entrants, officer, period=PERIOD)  # None until the commune has figures for the period
        return rows is not None and any(row["entrant_name"] == name for row in rows)

    eventually(applied, what="the good event after the poison ones applied")
    letters = eventually(lambda: three_letters(marker), what="three dead letters of the rollups group")
    reasons = {letter.header("dlq_reason"): letter for letter in letters}
    assert set(reasons) == {"malformed", "unknown_type", "handler_failed"}
    assert all(letter.header("dlq_topic") == TOPIC for letter in letters)
    assert "submission.submitted.v9" in reasons["unknown_type"].header("dlq_error")
    crashed = reasons["handler_failed"]
    assert "validation error" in crashed.header("dlq_error")
    assert crashed.header("dlq_attempts") == os.environ.get("THIDUA_CONSUMER_MAX_ATTEMPTS", "5")  # retried first

    listed = operator("list", "rollups").stdout
    assert "thidua.dlq.rollups: " in listed
    for letter in letters:
        assert f'"position": "{letter.position}"' in listed
    shown = operator("show", "rollups", reasons["unknown_type"].position).stdout
    assert '"reason": "unknown_type"' in shown
    assert "submission.submitted.v9" in shown

    # replayed to its topic, the event of an unknown version is read again and dead-lettered again, with its origin
    replayed = operator("replay", "rollups", reasons["unknown_type"].position).stdout
    assert "replayed 1 dead letter(s)" in replayed
    again = eventually(
        lambda: [
            letter
            for letter in letters_of("rollups", marker)
            if letter.header("dlq_replayed_from")
            == f"{dead_letter_topic('rollups')}:{reasons['unknown_type'].position}"
        ],
        what="the replayed event dead-lettered again",
    )
    assert again[0].header("dlq_reason") == "unknown_type"


def test_the_operator_command_names_what_is_wrong() -> None:
    missing = operator("show", "rollups", "999:999999")
    assert missing.returncode != 0
    assert "no dead letter at 999:999999" in missing.stderr
    refused = operator("replay", "rollups")
    assert refused.returncode != 0
    assert "--all" in refused.stderr
