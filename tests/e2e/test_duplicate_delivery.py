"""The same event delivered twice leaves the same state in every consumer."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from thidua_contracts.submissions import SubmissionSubmitted
from thidua_platform.client import SERVICE_URLS
from thidua_platform.envelope import Envelope, new_event
from thidua_platform.kafka import EventPublisher

from .conftest import LIEN_MINH, eventually
from .mailbox import messages_about
from .settled import notifications_settled
from .world import INJECTED_PERIOD, bearer, every_item, final_score, rollups_settled

BOOTSTRAP = os.environ.get("THIDUA_KAFKA_BOOTSTRAP", "127.0.0.1:19092")


def submitted(submission_id: str, version: int, submitter: str) -> Envelope:
    return new_event(
        SubmissionSubmitted(
            submission_id=submission_id,
            version=version,
            period=INJECTED_PERIOD,  # no test works in it, in any year
            entrant={
                "id": f"e-dup-{submission_id}",  # a new entrant each run: one candidacy per entrant and period
                "name": "Tổ công nghệ số cộng đồng thôn Bắc",
                "kind": "collective",
                "target_group": "a",
            },
            submitted_by=submitter,
            criteria=({"code": "a3", "theme": 3, "max_points": 100, "value": 17, "target": 20},),
        ),
        source="tests/e2e",
        subject=submission_id,
        tenant=LIEN_MINH,
        province="37",
    )


async def publish(*events: Envelope) -> None:
    publisher = EventPublisher(BOOTSTRAP, "e2e-duplicates")
    for event in events:  # one after another: same key, same partition, this order
        await publisher.publish(event.topic, event)
    await publisher.close()


def test_a_redelivered_event_changes_nothing(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer, staff = token("lm.officer"), token("nb.staff")
    submitter = jwt.decode(officer, options={"verify_signature": False})["sub"]

    def scored_in_lien_minh() -> int:
        figures = http.get(
            f"{SERVICE_URLS['rollups']}/rollups/provinces/37?period={INJECTED_PERIOD}&page_size=200",
            headers=bearer(staff),
        )
        rows = figures.json()["communes"] if figures.status_code == 200 else []
        return next((row["scored"] for row in rows if row["commune"] == LIEN_MINH), 0)

    eventually(lambda: rollups_settled(http, staff), what="the rollups to catch up")
    before = scored_in_lien_minh()
    submission_id = str(uuid.uuid4())
    first = submitted(submission_id, 1, submitter)
    # the same event twice, then version 2 on the same key: once v2 is visible, both copies were processed
    asyncio.run(publish(first, first, submitted(submission_id, 2, submitter)))

    def inbox() -> list[dict[str, Any]]:
        listing = http.get(f"{SERVICE_URLS['notifications']}/inbox?page_size=200", headers=bearer(officer)).json()
        return [m for m in listing["items"] if m["subject"] == submission_id]

    final = eventually(lambda: final_score(http, officer, submission_id, version=2), what="the version-2 score")
    assert final["final"]["total"] == 85.0
    assert final["final"]["reason"] == "nothing_to_review"

    def five_or_more() -> list[dict[str, Any]] | None:
        found = inbox()
        return found if len(found) >= 5 else None

    messages = eventually(five_or_more, what="five messages")
    # submitted and scored per version, the candidacy once (one candidate per entrant, form and period); none for
    # the duplicate
    assert sorted(m["kind"] for m in messages) == sorted(
        ["submission_submitted", "submission_scored"] * 2 + ["award_candidate"]
    )

    # the same by e-mail: one per event, none for the duplicate
    kinds = sorted(["submission_submitted", "submission_scored"] * 2 + ["award_candidate"])

    def mailed() -> list[str]:
        found = messages_about("lm.officer@lienminh.thidua.invalid", "X-Thidua-Subject", submission_id)
        return sorted(str(m["X-Thidua-Kind"]) for m in found)

    eventually(lambda: mailed() == kinds, what="five e-mails")
    # a doubled e-mail would come from a second delivery (the duplicate event handled as new) or from one delivery
    # sent twice: waits until the notifications worker has committed every event so far and none of the dossier's
    # deliveries waits to be sent; from then on no e-mail about it is still on its way
    eventually(lambda: notifications_settled({submission_id}), what="the notifications about the dossier to settle")
    assert mailed() == kinds

    def refreshed() -> list[dict[str, Any]] | None:
        listing = (
            every_item(http, f"{SERVICE_URLS['awards']}/candidates", bearer(officer), period=INJECTED_PERIOD) or []
        )
        mine = [c for c in listing if c["submission_id"] == submission_id]
        return mine if mine and mine[0]["submission_version"] == 2 else None

    candidates = eventually(refreshed, what="the candidate brought up to version 2")
    assert len(candidates) == 1
    assert candidates[0]["award_form"] == "GIAY_KHEN_XA"
    eventually(lambda: scored_in_lien_minh() == before + 1, what="the rollup to count the submission once")
