"""Notification deliveries on the real database, the realm's real directory (Keycloak), a real SMTP server
(aiosmtpd) and a real HTTP receiver that checks webhook signatures: exactly one outcome per (cause, recipient,
channel) under replays and racing dispatchers, retries with backoff, dead letters with their reason, preferences,
the daily digest, a commune's own template, and reminders before a period closes."""

from __future__ import annotations

import asyncio
import email
import json
import os
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from notifications.adapters.channels import SmtpSender, WebhookSender
from notifications.adapters.directory import KeycloakDirectory
from notifications.domain.aggregates import Delivery
from notifications.domain.delivery import Preferences, digest_date, verify_signature
from notifications.domain.notices import Notice, Username
from notifications.repository import Repositories, queue_entry
from notifications.service import oversight, templates
from notifications.service.digest import send_digests
from notifications.service.dispatch import Dispatcher, DispatchPolicy
from notifications.service.intake import IntakeConfig, Place, notify
from notifications.service.preferences import set_gateway, set_preferences
from notifications.service.reminders import ReminderPolicy, campaign_published, review_assigned, send_reminders
from thidua_contracts.scoring import ReviewAssigned
from thidua_contracts.submissions import CampaignPublished, PeriodRef
from thidua_contracts.testing import envelope_of
from thidua_platform.auth import Principal
from thidua_platform.tenancy import Scope
from thidua_platform.testing import eventually, scratch_database

KEYCLOAK_URL = os.environ.get("THIDUA_KEYCLOAK_URL", "http://127.0.0.1:18080")
TENANT, PROVINCE = "ph-37-lien-minh", "37"
SCOPE = Scope(tenant=TENANT, province=PROVINCE)
SUBMITTER_EMAIL = "lm.submitter@lienminh.thidua.invalid"
SECRET = "gateway-secret-0123456789"
CONFIG = IntakeConfig(digest_hour=17)
OPERATOR = Principal(user_id="u-op", username="op.admin", roles=frozenset({"operator"}))
OFFICER = Principal(
    user_id="u-officer", username="lm.officer", roles=frozenset({"commune_officer"}), tenant=TENANT, province=PROVINCE
)
OTHER_OFFICER = Principal(
    user_id="u-sm", username="sm.officer", roles=frozenset({"commune_officer"}), tenant="ph-51-son-mai", province="51"
)


@dataclass
class Mailbox:
    """An SMTP server's handler: stores what it accepts; answers 451 for the first `failures` messages; keeps the
    sender waiting `stall` seconds for its answer after storing a message (`settled` counts the messages stored whose
    exchange is over: answered, or the sender hung up meanwhile); runs `on_recipient` when a recipient is given
    (before the message's text is sent)."""

    failures: int = 0
    stall: float = 0.0
    port: int = 0
    received: list[EmailMessage] = field(default_factory=list)
    settled: int = 0
    on_recipient: Callable[[], None] | None = None  # runs on the server's own thread and event loop

    async def handle_RCPT(self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any) -> str:
        if self.on_recipient is not None:
            self.on_recipient()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Thử lại sau / try again later"
        self.received.append(email.message_from_bytes(envelope.content, policy=default_policy))
        try:
            await asyncio.sleep(self.stall)  # a server slow to answer, as the test wants it (not a wait in a test)
        finally:  # answered, or cancelled by aiosmtpd when the sender hung up during the stall
            self.settled += 1
        return "250 OK"


@dataclass
class Receiver:
    """A webhook gateway: verifies each call's signature and answers with the next status in `statuses`."""

    statuses: list[int] = field(default_factory=list)
    accepted: list[dict[str, Any]] = field(default_factory=list)
    calls: int = 0
    bad_signatures: int = 0
    url: str = ""


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with socket.socket() as probe:  # a free port (aiosmtpd checks readiness by connecting to the given one)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox(port=port)
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.calls += 1
            timestamp = int(self.headers["X-Thidua-Timestamp"])
            now = int(datetime.now(UTC).timestamp())
            if not verify_signature(SECRET, timestamp, body, self.headers["X-Thidua-Signature"], now=now):
                state.bad_signatures += 1
                status = 401
            else:
                status = state.statuses.pop(0) if state.statuses else 200
                if status == 200:
                    state.accepted.append({**json.loads(body), "header_id": self.headers["X-Thidua-Delivery"]})
            self.send_response(status)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


@pytest.fixture
async def repos() -> AsyncIterator[Repositories]:
    async with scratch_database() as database:
        yield Repositories.of(database)


@pytest.fixture(scope="module")
def directory() -> KeycloakDirectory:
    return KeycloakDirectory(
        server_url=KEYCLOAK_URL,
        realm="thidua",
        client_id="thidua-services",
        client_secret=os.environ.get("THIDUA_DIRECTORY_CLIENT_SECRET", "thidua-services-dev-secret"),
    )


def dispatcher(
    repos: Repositories, mailbox: Mailbox, *, allow_private: bool = True, smtp_timeout: float = 20.0, **policy: Any
) -> Dispatcher:
    return Dispatcher(
        repos=repos,
        email=SmtpSender(
            host="127.0.0.1", port=mailbox.port, sender="thidua@thidua.invalid", timeout_seconds=smtp_timeout
        ),
        webhook=WebhookSender(timeout_seconds=5, allow_private=allow_private),
        policy=DispatchPolicy(**{"retry_base_seconds": 0.05, "max_attempts": 3, **policy}),
    )


async def drain(sender: Dispatcher, rounds: int = 40) -> None:
    """Dispatch until nothing is due and nothing is waiting for a retry."""
    for _ in range(rounds):
        await sender.dispatch_due()
        waiting = await sender.repos.deliveries.collection.count_documents({"status": {"$in": ["pending", "sending"]}})
        if not waiting:
            return
        await asyncio.sleep(0.06)
    pytest.fail("deliveries still waiting after draining")


def scored(entrant: str = "Thôn Đông Hưng", cause: str | None = None) -> Notice:
    facts = {"entrant": entrant, "period": "2026", "total": 95.0, "max_total": 100.0, "grade": "Xuất sắc"}
    return Notice("submission_scored", (Username("lm.submitter"),), facts, cause or str(uuid.uuid4()))


PLACE = Place(tenant=TENANT, province=PROVINCE, subject="s-1")


async def submitter(directory: KeycloakDirectory) -> Principal:
    person = await directory.by_username("lm.submitter")
    assert person is not None, "the realm's lm.submitter must be found by the directory"
    return Principal(
        user_id=person.user_id,
        username="lm.submitter",
        roles=frozenset({"submitter"}),
        tenant=TENANT,
        province=PROVINCE,
    )


async def tell(repos: Repositories, directory: KeycloakDirectory, notice: Notice) -> int:
    return await notify(
        repos=repos, directory=directory, notice=notice, place=PLACE, config=CONFIG, now=datetime.now(UTC)
    )


async def test_one_email_and_one_signed_webhook_per_event_under_replays_and_racing_dispatchers(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox, receiver: Receiver
) -> None:
    me = await submitter(directory)
    await set_preferences(repos=repos, scope=SCOPE, principal=me, chosen=Preferences(webhook=True))
    await set_gateway(
        repos=repos, scope=SCOPE, principal=OFFICER, url=receiver.url, secret=SECRET, enabled=True, allow_private=True
    )
    notices = [scored(f"Thôn số {n}") for n in range(6)]
    assert [await tell(repos, directory, n) for n in notices] == [3] * 6  # in-app, e-mail, webhook
    assert [await tell(repos, directory, n) for n in notices] == [0] * 6  # a replayed event stores nothing

    senders = [dispatcher(repos, mailbox) for _ in range(3)]
    await asyncio.gather(*(s.dispatch_due() for s in senders))
    await drain(senders[0])
    await asyncio.gather(*(tell(repos, directory, n) for n in notices))
    await drain(senders[1])

    subjects = sorted(str(m["Subject"]) for m in mailbox.received)
    assert subjects == sorted(f"Hồ sơ đã được chấm điểm: Thôn số {n}" for n in range(6))
    assert {m["To"] for m in mailbox.received} == {SUBMITTER_EMAIL}
    assert len({m["Message-ID"] for m in mailbox.received}) == 6
    assert len(receiver.accepted) == 6
    assert receiver.bad_signatures == 0
    assert {a["recipient"]["username"] for a in receiver.accepted} == {"lm.submitter"}
    assert all(a["header_id"] == a["delivery_id"] and "email" not in a["recipient"] for a in receiver.accepted)
    body = mailbox.received[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "điểm, xếp loại Xuất sắc" in body
    assert "points, grade Xuất sắc" in body
    inbox, total = await repos.inbox.page(SCOPE, me.user_id, unread_only=False, skip=0, limit=50)
    assert len(inbox) == total == 6
    # a page at a time, newest first: two pages of four make the same six, none twice
    first, total = await repos.inbox.page(SCOPE, me.user_id, unread_only=False, skip=0, limit=4)
    second, again = await repos.inbox.page(SCOPE, me.user_id, unread_only=False, skip=4, limit=4)
    assert (len(first), len(second), total, again) == (4, 2, 6, 6)
    assert [m["_id"] for m in first + second] == [m["_id"] for m in inbox]
    moments = [m["created_at"] for m in inbox]
    assert moments == sorted(moments, reverse=True)


async def test_a_temporary_smtp_failure_is_retried_with_backoff_then_sent_once(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    mailbox.failures = 2
    await tell(repos, directory, scored())
    await drain(dispatcher(repos, mailbox, max_attempts=5))
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 3
    assert [h["outcome"] for h in delivery["history"]] == ["retry", "retry", "sent"]
    assert "451" in (delivery["history"][0]["error"] or "")
    assert len(mailbox.received) == 1


async def test_a_failing_gateway_dead_letters_with_its_reason_and_an_operator_can_retry(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox, receiver: Receiver
) -> None:
    me = await submitter(directory)
    await set_preferences(repos=repos, scope=SCOPE, principal=me, chosen=Preferences(email=False, webhook=True))
    await set_gateway(
        repos=repos, scope=SCOPE, principal=OFFICER, url=receiver.url, secret=SECRET, enabled=True, allow_private=True
    )
    receiver.statuses = [500, 503, 502]
    await tell(repos, directory, scored())
    sender = dispatcher(repos, mailbox, max_attempts=3)
    await drain(sender)
    (dead,) = await repos.deliveries.find(SCOPE, {"channel": "webhook"})
    assert (dead["status"], dead["attempts"], dead["last_error"]) == ("dead", 3, "webhook HTTP 502")
    listed, total = await oversight.deliveries(
        repos=repos, principal=OPERATOR, status="dead", channel=None, skip=0, limit=10
    )
    assert total == 1
    assert listed[0]["_id"] == dead["_id"]
    hidden, none = await oversight.deliveries(
        repos=repos, principal=OTHER_OFFICER, status="dead", channel=None, skip=0, limit=10
    )
    assert (hidden, none) == ([], 0)  # another commune's officer sees nothing of it

    await oversight.retry(repos=repos, principal=OPERATOR, delivery_id=dead["_id"])
    await drain(sender)
    (sent,) = await repos.deliveries.find(SCOPE, {"channel": "webhook"})
    assert sent["status"] == "sent"
    assert [h["outcome"] for h in sent["history"]][-2:] == ["retried", "sent"]
    assert len(receiver.accepted) == 1
    assert receiver.calls == 4
    assert not mailbox.received


async def test_a_rejected_call_is_dead_at_once_and_a_bad_secret_never_passes_the_receiver(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox, receiver: Receiver
) -> None:
    me = await submitter(directory)
    await set_preferences(repos=repos, scope=SCOPE, principal=me, chosen=Preferences(email=False, webhook=True))
    await set_gateway(
        repos=repos,
        scope=SCOPE,
        principal=OFFICER,
        url=receiver.url,
        secret="not-the-gateways-secret",
        enabled=True,
        allow_private=True,
    )
    await tell(repos, directory, scored())
    await drain(dispatcher(repos, mailbox))
    (dead,) = await repos.deliveries.find(SCOPE, {"channel": "webhook"})
    assert (dead["status"], dead["attempts"], dead["last_error"]) == ("dead", 1, "webhook HTTP 401")
    assert receiver.bad_signatures == 1
    assert not receiver.accepted


async def test_channels_switched_off_receive_nothing(repos: Repositories, directory: KeycloakDirectory) -> None:
    me = await submitter(directory)
    await set_preferences(
        repos=repos, scope=SCOPE, principal=me, chosen=Preferences(in_app=False, email=False, webhook=False)
    )
    assert await tell(repos, directory, scored()) == 0
    assert await repos.inbox.unread_count(SCOPE, me.user_id) == 0


async def test_a_daily_digest_gathers_the_days_emails_into_one_once(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    me = await submitter(directory)
    await set_preferences(repos=repos, scope=SCOPE, principal=me, chosen=Preferences(digest="daily"))
    for name in ("Thôn Đông Hưng", "Hội Nông dân xã"):
        await tell(repos, directory, scored(name))
    sender = dispatcher(repos, mailbox)
    await drain(sender)
    assert not mailbox.received  # held for the digest
    assert await repos.inbox.unread_count(SCOPE, me.user_id) == 2  # the inbox does not wait

    day = digest_date(datetime.now(UTC), CONFIG.digest_hour)
    assert await send_digests(repos=repos, through=day - timedelta(days=1), now=datetime.now(UTC)) == 0
    assert await send_digests(repos=repos, through=day, now=datetime.now(UTC)) == 1
    assert await send_digests(repos=repos, through=day, now=datetime.now(UTC)) == 0
    await drain(sender)
    (digest,) = mailbox.received
    assert str(digest["Subject"]) == f"Bản tin thi đua ngày {day.isoformat()}: 2 thông báo"
    text = digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Thôn Đông Hưng" in text
    assert "Hội Nông dân xã" in text
    statuses = sorted(d["status"] for d in await repos.deliveries.find(SCOPE, {}))
    assert statuses == ["digested", "digested", "sent"]


async def test_a_communes_template_is_used_and_its_version_recorded(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    parts = {
        "subject_vi": "Kết quả chấm điểm của {{ entrant }}",
        "body_vi": "Xin chúc mừng {{ entrant }}: {{ total | points }} điểm.",
        "subject_en": "Score of {{ entrant }}",
        "body_en": "{{ entrant }}: {{ total | points }} points.",
    }
    saved = await templates.save(
        repos=repos, scope=SCOPE, kind="submission_scored", parts=parts, actor="lm.officer", actor_id="u-officer"
    )
    assert saved["version"] == 1
    await tell(repos, directory, scored("Thôn Tân Tiến"))
    await drain(dispatcher(repos, mailbox))
    (mail,) = mailbox.received
    assert str(mail["Subject"]) == "Kết quả chấm điểm của Thôn Tân Tiến"
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert delivery["template_version"] == 1
    other = await templates.current(
        repos=repos, scope=Scope(tenant="ph-51-son-mai", province="51"), kind="submission_scored"
    )
    assert other["version"] == 0  # another commune keeps the built-in one


async def test_a_reviewer_is_reminded_once_before_the_period_closes(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    closes = datetime.now(UTC) + timedelta(days=2)
    period = PeriodRef(code="2026", kind="yearly", opens_at=datetime(2026, 1, 1, tzinfo=UTC), closes_at=closes)
    published = CampaignPublished(campaign_id="c-1", name="Thi đua 2026", level="commune", periods=(period,))
    assigned = ReviewAssigned(
        assignment_id="s-9:1:lm.council1",
        submission_id="s-9",
        submission_version=1,
        period="2026",
        reviewer="lm.council1",
        criteria=("TC05",),
        entrant=None,
        assigned_by="system",
    )
    await campaign_published(repos=repos, envelope=envelope_of(published))
    await review_assigned(repos=repos, envelope=envelope_of(assigned))
    now = datetime.now(UTC)
    far = ReminderPolicy(days_before=1)
    near = ReminderPolicy(days_before=3)
    assert await send_reminders(repos=repos, directory=directory, policy=far, config=CONFIG, now=now) == 0
    assert await send_reminders(repos=repos, directory=directory, policy=near, config=CONFIG, now=now) == 1
    assert await send_reminders(repos=repos, directory=directory, policy=near, config=CONFIG, now=now) == 0
    await drain(dispatcher(repos, mailbox))
    (mail,) = mailbox.received
    assert mail["To"] == "lm.council1@lienminh.thidua.invalid"
    assert str(mail["Subject"]) == "Nhắc hạn chấm điểm"


async def test_a_gateway_inside_the_network_is_refused_unless_allowed(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox, receiver: Receiver
) -> None:
    me = await submitter(directory)
    await set_preferences(repos=repos, scope=SCOPE, principal=me, chosen=Preferences(email=False, webhook=True))
    await set_gateway(
        repos=repos, scope=SCOPE, principal=OFFICER, url=receiver.url, secret=SECRET, enabled=True, allow_private=True
    )
    await tell(repos, directory, scored())
    await drain(dispatcher(repos, mailbox, allow_private=False))
    (dead,) = await repos.deliveries.find(SCOPE, {"channel": "webhook"})
    assert dead["status"] == "dead"
    assert "private network" in (dead["last_error"] or "")
    assert receiver.calls == 0


async def test_a_delivery_whose_sends_keep_being_interrupted_ends_dead(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    await tell(repos, directory, scored())
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    past = datetime.now(UTC) - timedelta(seconds=1)
    # as if three dispatchers had died mid-send: claimed, attempts used up, the lease lapsed
    await repos.deliveries.collection.update_one(
        {"_id": delivery["_id"]}, {"$set": {"status": "sending", "attempts": 3, "lease_until": past, "claim": "gone"}}
    )
    await drain(dispatcher(repos, mailbox, max_attempts=3))
    (dead,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert dead["status"] == "dead"
    assert "interrupted" in (dead["last_error"] or "")
    assert not mailbox.received


async def lapse(repos: Repositories, delivery: Delivery, **fields: Any) -> None:
    """As if the dispatcher that claimed the delivery had been killed: still `sending`, its lease run out."""
    past = datetime.now(UTC) - timedelta(seconds=1)
    changed = {"status": "sending", "lease_until": past, "claim": "killed", **fields}
    await repos.deliveries.collection.update_one({"_id": delivery["_id"]}, {"$set": changed})


async def test_an_email_handed_over_before_its_dispatcher_died_is_not_sent_again_until_an_operator_says_so(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    await tell(repos, directory, scored())
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    await lapse(repos, delivery, attempts=1, handed_over_at=datetime.now(UTC))
    await drain(dispatcher(repos, mailbox))
    (uncertain,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert uncertain["status"] == "uncertain"
    assert "may have been delivered" in (uncertain["last_error"] or "")
    assert not mailbox.received
    listed, total = await oversight.deliveries(
        repos=repos, principal=OFFICER, status="uncertain", channel=None, skip=0, limit=10
    )
    assert total == 1
    assert listed[0]["_id"] == delivery["_id"]

    await oversight.retry(repos=repos, principal=OFFICER, delivery_id=delivery["_id"])
    await drain(dispatcher(repos, mailbox))
    (sent,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert sent["status"] == "sent"
    assert len(mailbox.received) == 1
    assert [h["outcome"] for h in sent["history"]] == ["uncertain", "retried", "sent"]
    assert len(sent["audit"]) == sent["revision"]


async def test_an_email_whose_dispatcher_died_before_the_handover_is_sent_once(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    await tell(repos, directory, scored())
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    await lapse(repos, delivery, attempts=1)
    await drain(dispatcher(repos, mailbox))
    (sent,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert sent["status"] == "sent"
    assert sent["attempts"] == 2
    assert sent["handed_over_at"] is not None
    assert len(mailbox.received) == 1


async def test_an_email_whose_answer_never_came_is_uncertain_not_sent_twice(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    mailbox.stall = 2.0  # the server keeps the message but answers after the sender gave up
    await tell(repos, directory, scored())
    await drain(dispatcher(repos, mailbox, smtp_timeout=1.0))
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert delivery["status"] == "uncertain"
    assert delivery["attempts"] == 1
    assert "no answer" in (delivery["last_error"] or "")

    async def exchange_over() -> bool:
        return mailbox.settled == 1

    # waits until the server is done with the message it kept (the sender hung up during its 2 s stall, at most 10 s):
    # that SMTP exchange is over, the delivery uncertain and no dispatcher running, and the one message it stored is
    # all it got
    await eventually(exchange_over, within=10, what="the slow server to be done with the message it kept")
    assert len(mailbox.received) == 1


async def test_an_email_taken_over_before_the_handover_is_not_sent_by_the_dispatcher_that_lost_it(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    await tell(repos, directory, scored())
    (delivery,) = await repos.deliveries.find(SCOPE, {"channel": "email"})

    loop = asyncio.get_running_loop()
    collection = repos.deliveries.collection

    def taken_over() -> None:  # while the server reads the recipient, the claim passes to another dispatcher
        mailbox.on_recipient = None
        change = collection.update_one({"_id": delivery["_id"]}, {"$set": {"claim": "another"}})
        asyncio.run_coroutine_threadsafe(change, loop).result(timeout=10)

    mailbox.on_recipient = taken_over
    assert await dispatcher(repos, mailbox).dispatch(queue_entry(delivery, datetime.now(UTC))) is None
    (current,) = await repos.deliveries.find(SCOPE, {"channel": "email"})
    assert current["status"] == "sending"
    assert current["claim"] == "another"
    assert not current.get("handed_over_at")
    assert not mailbox.received


async def test_the_dispatch_queue_lists_only_what_waits_and_can_be_rebuilt_from_the_deliveries(
    repos: Repositories, directory: KeycloakDirectory, mailbox: Mailbox
) -> None:
    queue = repos.deliveries.queue
    for n in range(3):
        await tell(repos, directory, scored(f"Thôn số {n}"))
    assert await queue.count_documents({}) == 3  # one entry per e-mail waiting, written with it
    await drain(dispatcher(repos, mailbox))
    assert len(mailbox.received) == 3
    assert await queue.count_documents({}) == 0  # settled: gone from the queue

    # deliveries from before the queue existed (or a lost queue): listed again when the dispatcher starts
    for n in range(3, 5):
        await tell(repos, directory, scored(f"Thôn số {n}"))
    await queue.delete_many({})
    sender = dispatcher(repos, mailbox)
    assert await sender.dispatch_due() == 0  # nothing listed, nothing sent
    assert await repos.deliveries.enqueue_unlisted() == 2
    assert await repos.deliveries.enqueue_unlisted() == 0
    await drain(sender)
    assert len(mailbox.received) == 5
    assert await queue.count_documents({}) == 0


async def test_a_queue_entry_whose_delivery_never_came_is_dropped_after_a_while(repos: Repositories) -> None:
    now = datetime.now(UTC)
    queue = repos.deliveries.queue
    old = {"_id": "gone", "tenant": TENANT, "province": PROVINCE, "due_at": now, "queued_at": now - timedelta(hours=1)}
    young = {**old, "_id": "coming", "queued_at": now}
    await queue.insert_many([old, young])
    for entry in (old, young):
        await repos.deliveries.requeue(entry, now)
    assert [e["_id"] async for e in queue.find({})] == ["coming"]  # its delivery may still be on its way
