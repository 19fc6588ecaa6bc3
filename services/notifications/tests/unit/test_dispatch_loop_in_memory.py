"""The worker's dispatch loop (`Dispatcher.run`, as bootstrap.py runs it beside the consumer) without servers: it
lists what the queue lacks, sends what is due, polls again for what arrives while it runs, and ends when the worker
stops; and a delivery no channel can take ends as it should. The service's own repositories in memory, the SMTP
server and a commune's gateway fakes in the test process (in_memory.Mailbox, in_memory.Gateway). Each test waits
for the state it needs with a deadline (`eventually`), never a fixed time."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

import pytest

from notifications.adapters.channels import HandingOver, nothing_to_record
from notifications.domain.aggregates import Delivery
from notifications.domain.delivery import Channel
from notifications.domain.templates import BUILTIN, SAMPLES, Rendered, render
from notifications.service.dispatch import Dispatcher
from notifications.service.intake import Place, new_delivery
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.audit import system_actor
from thidua_platform.testing import eventually

from .in_memory import Mailbox, Notifications, returned

RETURNED_SUBJECT = "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"
SUBMITTER = ("lm.submitter@example.vn", RETURNED_SUBJECT)
WITHIN = 5.0  # seconds: each wait below ends as soon as its state is there, in milliseconds here


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    service.realm.add("lm.submitter", Role.SUBMITTER)
    service.realm.add("lm.submitter2", Role.SUBMITTER)
    return service


@dataclass(frozen=True)
class Buggy(Mailbox):
    """A sender with bugs that show before anything reaches the server (building the message, say), in turn."""

    bugs: list[Exception] = field(default_factory=list)

    async def send(self, delivery: Delivery, rendered: Rendered, handing_over: HandingOver = nothing_to_record) -> None:
        if self.bugs:
            raise self.bugs.pop(0)
        await super().send(delivery, rendered, handing_over)


@contextlib.asynccontextmanager
async def running(dispatcher: Dispatcher, *, poll_seconds: float) -> AsyncIterator[asyncio.Task[None]]:
    """The dispatcher's loop running as the worker runs it; told to stop on the way out, and awaited."""
    stop = asyncio.Event()
    loop = asyncio.create_task(dispatcher.run(stop, poll_seconds))
    try:
        yield loop
    finally:
        stop.set()
        await asyncio.wait_for(loop, WITHIN)


async def status_of(service: Notifications, delivery_id: str) -> str:
    return (await service.delivery(delivery_id))["status"]


async def test_the_running_dispatcher_sends_a_queued_e_mail_and_ends_when_the_worker_stops(
    service: Notifications,
) -> None:
    await service.receive(returned())
    [e_mail] = await service.deliveries({"channel": "email"})
    mailbox = Mailbox()
    # a long poll: the loop ending promptly when told (`running` awaits it WITHIN seconds) proves the stop interrupts
    # its pause rather than the pause running out
    async with running(service.dispatcher(mailbox), poll_seconds=60) as loop:

        async def sent() -> bool:
            return await status_of(service, e_mail["_id"]) == "sent"

        await eventually(sent, within=WITHIN, every=0.005, what="the e-mail sent by the running dispatcher")
        assert mailbox.received == [SUBMITTER]
        assert await service.waiting() == 0
        assert not loop.done()  # sent, and still polling

    assert loop.exception() is None
    assert mailbox.received == [SUBMITTER]  # sent once


async def test_the_running_dispatcher_sends_what_arrives_while_it_runs(service: Notifications) -> None:
    """After the queue is empty the loop polls again: an e-mail stored later is sent by the same loop."""
    await service.receive(returned())
    mailbox = Mailbox()
    async with running(service.dispatcher(mailbox), poll_seconds=0.01) as loop:

        async def sent(count: int) -> bool:
            return len(mailbox.received) >= count and await service.waiting() == 0

        await eventually(lambda: sent(1), within=WITHIN, every=0.005, what="the first e-mail sent")
        await service.receive(returned("u-lm.submitter2"))
        await eventually(lambda: sent(2), within=WITHIN, every=0.005, what="the e-mail stored later sent")
        assert not loop.done()

    assert mailbox.received == [SUBMITTER, ("lm.submitter2@example.vn", RETURNED_SUBJECT)]
    assert {d["status"] for d in await service.deliveries({"channel": "email"})} == {"sent"}


async def test_the_running_dispatcher_first_lists_pending_deliveries_missing_from_the_queue(
    service: Notifications,
) -> None:
    """A delivery stored before the queue existed (or a queue lost) is found once, at the loop's start, and sent."""
    await service.receive(returned())
    [e_mail] = await service.deliveries({"channel": "email"})
    await service.repos.deliveries.queue.delete_many({})
    assert await service.waiting() == 0
    mailbox = Mailbox()

    async with running(service.dispatcher(mailbox), poll_seconds=0.01):

        async def sent() -> bool:
            return await status_of(service, e_mail["_id"]) == "sent"

        await eventually(sent, within=WITHIN, every=0.005, what="the unlisted e-mail sent")
    assert mailbox.received == [SUBMITTER]


async def test_a_dispatcher_stopped_before_it_starts_sends_nothing(service: Notifications) -> None:
    await service.receive(returned())
    mailbox = Mailbox()
    stop = asyncio.Event()
    stop.set()

    await asyncio.wait_for(service.dispatcher(mailbox).run(stop, poll_seconds=60), WITHIN)

    assert mailbox.received == []
    [e_mail] = await service.deliveries({"channel": "email"})
    assert (e_mail["status"], e_mail["attempts"]) == ("pending", 0)


async def test_a_bug_in_a_channel_is_retried_by_the_running_dispatcher_and_does_not_end_it(
    service: Notifications,
) -> None:
    """An error no channel expects (not a refusal the channel names) counts as a failed attempt, with its type kept;
    the loop goes on and the next attempt sends the e-mail."""
    await service.receive(returned())
    [e_mail] = await service.deliveries({"channel": "email"})
    mailbox = Buggy(bugs=[RuntimeError("mã lỗi / a bug")])

    async with running(service.dispatcher(mailbox, max_attempts=3), poll_seconds=0.01) as loop:

        async def sent() -> bool:
            return await status_of(service, e_mail["_id"]) == "sent"

        await eventually(sent, within=WITHIN, every=0.005, what="the e-mail sent on its second attempt")
        assert not loop.done()

    delivered = await service.delivery(e_mail["_id"])
    assert [(a["outcome"], a["error"]) for a in delivered["history"]] == [
        ("retry", "RuntimeError: mã lỗi / a bug"),
        ("sent", None),
    ]
    assert (delivered["attempts"], delivered["last_error"]) == (2, None)
    assert mailbox.received == [SUBMITTER]


async def test_a_delivery_of_a_channel_the_dispatcher_does_not_know_is_a_dead_letter_at_once(
    service: Notifications,
) -> None:
    """A channel added by a newer version, read by an older dispatcher: never sendable here, so never retried."""
    now = datetime.now(UTC)
    place = Place(tenant=LIEN_MINH, province="37", subject="s-1")
    unknown = new_delivery(
        by=(system_actor("tests"), {}),
        place=place,
        channel=cast(Channel, "sms"),
        cause="cause-1",
        kind="submission_returned",
        recipient={"user_id": "u-lm.submitter", "username": "lm.submitter", "email": "lm.submitter@example.vn"},
        rendered=render(BUILTIN["submission_returned"], SAMPLES["submission_returned"]),
        version=0,
        now=now,
    )
    assert await service.repos.deliveries.add(unknown)
    mailbox = Mailbox()

    assert await service.dispatcher(mailbox, max_attempts=6).dispatch_due() == 1

    dead = await service.delivery(unknown["_id"])
    assert (dead["status"], dead["attempts"], dead["last_error"]) == ("dead", 1, "unknown channel sms")
    assert [attempt["outcome"] for attempt in dead["history"]] == ["dead"]
    assert mailbox.received == []
    assert await service.waiting() == 0
