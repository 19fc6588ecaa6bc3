"""Sending what intake stored: the dispatcher (claim, send, record, retry, dead letter) and the overseers' view of
deliveries and their retry; on the service's own repositories in memory, the SMTP server and the communes' gateways
fakes in the test process (in_memory.Mailbox, in_memory.Gateway). The dispatcher reads the
wall clock: a failed attempt is due again at once here (a zero backoff) unless a test says otherwise."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from notifications.adapters.channels import Permanent, Temporary, Uncertain
from notifications.domain.aggregates import Delivery
from notifications.domain.delivery import verify_signature
from notifications.service import oversight
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import Conflict, Forbidden, NotFound

from .in_memory import GATEWAY_URL, SON_MAI, TAM_DIEP, Crash, Gateway, Mailbox, Notifications, returned

RETURNED_SUBJECT = "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"
OPERATOR = Principal("u-ops", "ops", frozenset({Role.OPERATOR}))


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    service.realm.add("lm.submitter", Role.SUBMITTER)
    service.realm.add("lm.officer", Role.COMMUNE_OFFICER)
    service.realm.add("td.submitter", Role.SUBMITTER, organization=TAM_DIEP)
    service.realm.add("td.officer", Role.COMMUNE_OFFICER, organization=TAM_DIEP)
    service.realm.add("sm.submitter", Role.SUBMITTER, organization=SON_MAI)
    service.realm.add("nb.admin", Role.PROVINCE_ADMIN, organization="tinh-37")
    return service


async def one_e_mail(service: Notifications) -> str:
    """The submitter's dossier returned: one e-mail waiting to be sent; its id."""
    await service.receive(returned())
    [e_mail] = await service.deliveries({"channel": "email"})
    return e_mail["_id"]


def outcomes(delivery: Delivery) -> list[str]:
    """How each attempt ended, in order."""
    return [attempt["outcome"] for attempt in delivery["history"]]


async def test_a_waiting_e_mail_is_sent_once_and_leaves_the_queue(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox()
    dispatcher = service.dispatcher(mailbox)

    assert await dispatcher.dispatch_due() == 1
    assert await dispatcher.dispatch_due() == 0

    assert mailbox.received == [("lm.submitter@example.vn", RETURNED_SUBJECT)]
    sent = await service.delivery(delivery_id)
    assert (sent["status"], sent["attempts"], sent["last_error"], outcomes(sent)) == ("sent", 1, None, ["sent"])
    assert sent.get("handed_over_at") is not None  # recorded before the text went to the server
    assert await service.waiting() == 0


async def test_a_refused_e_mail_is_tried_again_after_the_backoff_with_its_error_kept(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Temporary("SMTP 451: thử lại sau / try later")])
    dispatcher = service.dispatcher(mailbox, retry_base_seconds=30)

    assert await dispatcher.dispatch_due() == 1
    assert await dispatcher.dispatch_due() == 0  # not due again for 30 seconds

    waiting = await service.delivery(delivery_id)
    assert (waiting["status"], waiting["attempts"]) == ("pending", 1)
    assert waiting["last_error"] == "SMTP 451: thử lại sau / try later"
    assert outcomes(waiting) == ["retry"]
    assert waiting["next_attempt_at"] - waiting["history"][0]["at"] == timedelta(seconds=30)
    assert mailbox.received == []
    assert await service.waiting() == 1  # still listed for the dispatcher


async def test_a_failing_e_mail_is_retried_until_the_server_takes_it(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Temporary("SMTP 421"), Temporary("SMTP 421")])
    dispatcher = service.dispatcher(mailbox, max_attempts=3)

    for _ in range(3):
        assert await dispatcher.dispatch_due() == 1

    sent = await service.delivery(delivery_id)
    assert (sent["status"], sent["attempts"], outcomes(sent)) == ("sent", 3, ["retry", "retry", "sent"])
    assert mailbox.received == [("lm.submitter@example.vn", RETURNED_SUBJECT)]


async def test_the_dispatcher_gives_up_after_the_configured_attempts(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Temporary("SMTP 421") for _ in range(5)])
    dispatcher = service.dispatcher(mailbox, max_attempts=3)

    for _ in range(3):
        assert await dispatcher.dispatch_due() == 1
    assert await dispatcher.dispatch_due() == 0

    dead = await service.delivery(delivery_id)
    assert (dead["status"], dead["attempts"], outcomes(dead)) == ("dead", 3, ["retry", "retry", "dead"])
    assert dead["last_error"] == "SMTP 421"
    assert len(mailbox.failures) == 2  # never tried a fourth time
    assert await service.waiting() == 0


async def test_a_permanent_refusal_is_a_dead_letter_at_once(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    dispatcher = service.dispatcher(Mailbox(failures=[Permanent("SMTP 550: no such user")]), max_attempts=6)

    assert await dispatcher.dispatch_due() == 1

    dead = await service.delivery(delivery_id)
    assert (dead["status"], dead["attempts"], dead["last_error"]) == ("dead", 1, "SMTP 550: no such user")


async def test_an_e_mail_handed_over_without_an_answer_is_uncertain_and_not_sent_again(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    dispatcher = service.dispatcher(Mailbox(failures=[Uncertain("SMTP: no answer after DATA")]))

    assert await dispatcher.dispatch_due() == 1
    assert await dispatcher.dispatch_due() == 0

    assert (await service.delivery(delivery_id))["status"] == "uncertain"


async def test_a_bug_after_the_handover_leaves_the_e_mail_uncertain_not_sent_again(service: Notifications) -> None:
    """An error nobody expected, once the e-mail is in the server's hands: it may have been delivered, so it is not
    retried (a bug before the handover is: test_dispatch_loop_in_memory)."""
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[RuntimeError("mã lỗi / a bug")])  # raised after the handover, as Mailbox does
    dispatcher = service.dispatcher(mailbox)

    assert await dispatcher.dispatch_due() == 1
    assert await dispatcher.dispatch_due() == 0

    delivery = await service.delivery(delivery_id)
    assert (delivery["status"], delivery["last_error"]) == ("uncertain", "RuntimeError: mã lỗi / a bug")
    assert mailbox.received == []


async def test_an_e_mail_whose_dispatcher_died_after_the_handover_is_never_sent_twice(
    service: Notifications,
) -> None:
    """The claim lapses (lease 0 s); the next dispatcher sees the handover recorded and ends the delivery
    `uncertain` (perhaps delivered) for an operator, whose retry sends it again."""
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Crash()])
    dispatcher = service.dispatcher(mailbox, lease_seconds=0)

    with pytest.raises(Crash):
        await dispatcher.dispatch_due()
    assert (await service.delivery(delivery_id))["status"] == "sending"
    assert await dispatcher.dispatch_due() == 0  # taken over, not sent

    uncertain = await service.delivery(delivery_id)
    assert (uncertain["status"], outcomes(uncertain)) == ("uncertain", ["uncertain"])
    assert mailbox.received == []

    await oversight.retry(repos=service.repos, principal=OPERATOR, delivery_id=delivery_id)
    assert await dispatcher.dispatch_due() == 1
    assert mailbox.received == [("lm.submitter@example.vn", RETURNED_SUBJECT)]


async def test_an_e_mail_whose_dispatcher_died_before_the_handover_is_sent_by_the_next(
    service: Notifications,
) -> None:
    """The server never had the message: the lapsed claim counts as an attempt, and the e-mail is sent again."""
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Crash(after_handover=False)])
    dispatcher = service.dispatcher(mailbox, lease_seconds=0)

    with pytest.raises(Crash):
        await dispatcher.dispatch_due()
    assert await dispatcher.dispatch_due() == 1

    sent = await service.delivery(delivery_id)
    assert (sent["status"], sent["attempts"]) == ("sent", 2)
    assert mailbox.received == [("lm.submitter@example.vn", RETURNED_SUBJECT)]


async def test_an_e_mail_that_keeps_killing_its_dispatcher_ends_dead_not_looping(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Crash(after_handover=False) for _ in range(3)])
    dispatcher = service.dispatcher(mailbox, lease_seconds=0, max_attempts=2)

    for _ in range(2):
        with pytest.raises(Crash):
            await dispatcher.dispatch_due()
    assert await dispatcher.dispatch_due() == 0

    dead = await service.delivery(delivery_id)
    assert (dead["status"], dead["attempts"], outcomes(dead)) == ("dead", 2, ["dead"])
    assert "interrupted" in str(dead["last_error"])
    assert len(mailbox.failures) == 1
    assert await service.waiting() == 0


async def test_a_pending_delivery_missing_from_the_queue_is_listed_again_at_start(service: Notifications) -> None:
    """The dispatch queue only lists deliveries: one lost (or older than the queue) is rebuilt from them."""
    delivery_id = await one_e_mail(service)
    await service.repos.deliveries.queue.delete_many({})
    mailbox = Mailbox()
    dispatcher = service.dispatcher(mailbox)
    assert await dispatcher.dispatch_due() == 0

    assert await service.repos.deliveries.enqueue_unlisted() == 1
    assert await service.repos.deliveries.enqueue_unlisted() == 0
    assert await dispatcher.dispatch_due() == 1
    assert (await service.delivery(delivery_id))["status"] == "sent"


async def test_a_webhook_call_is_signed_with_the_communes_secret(service: Notifications) -> None:
    await service.prefer("lm.submitter", email=False, webhook=True)
    await service.gateway(secret="bí-mật")
    await service.receive(returned())
    gateway = Gateway()

    assert await service.dispatcher(Mailbox(), gateway=gateway).dispatch_due() == 1

    [request] = gateway.requests
    [call] = await service.deliveries({"channel": "webhook"})
    assert str(request.url) == GATEWAY_URL
    assert request.headers["X-Thidua-Delivery"] == call["_id"]
    stamp = int(request.headers["X-Thidua-Timestamp"])
    assert verify_signature("bí-mật", stamp, request.content, request.headers["X-Thidua-Signature"], now=stamp)
    body = json.loads(request.content)
    assert (body["recipient"], body["subject_vi"]) == (
        {"user_id": "u-lm.submitter", "username": "lm.submitter"},
        RETURNED_SUBJECT,
    )
    assert call["status"] == "sent"


@pytest.mark.parametrize(("answer", "status"), [(None, "dead"), (503, "pending"), (400, "dead")])
async def test_a_webhook_without_a_gateway_or_refused_is_retried_only_when_it_may_work(
    service: Notifications, answer: int | None, status: str
) -> None:
    """No gateway configured, or a 4xx, will never work: a dead letter; a 5xx may: tried again."""
    await service.prefer("lm.submitter", email=False, webhook=True)
    if answer is not None:
        await service.gateway(secret="s")
    await service.receive(returned())

    await service.dispatcher(Mailbox(), gateway=Gateway(status=answer or 200)).dispatch_due()

    [call] = await service.deliveries()
    assert call["status"] == status


async def test_overseers_see_the_deliveries_of_their_own_commune_or_province(service: Notifications) -> None:
    await service.receive(returned())
    await service.receive(returned("u-td.submitter"), tenant=TAM_DIEP)
    await service.receive(returned("u-sm.submitter"), tenant=SON_MAI, province="51")

    async def seen(principal: Principal) -> list[str]:
        found, total = await oversight.deliveries(
            repos=service.repos, principal=principal, status=None, channel="email", skip=0, limit=10
        )
        assert total == len(found)
        return sorted(d["recipient"]["username"] for d in found)

    assert await seen(service.principal("lm.officer")) == ["lm.submitter"]
    assert await seen(service.principal("nb.admin")) == ["lm.submitter", "td.submitter"]
    assert await seen(OPERATOR) == ["lm.submitter", "sm.submitter", "td.submitter"]
    with pytest.raises(Forbidden):
        await seen(service.principal("lm.submitter"))
    found, _ = await oversight.deliveries(
        repos=service.repos, principal=OPERATOR, status="dead", channel=None, skip=0, limit=10
    )
    assert found == []


async def test_an_officer_puts_a_dead_letter_of_their_commune_back_to_be_sent(service: Notifications) -> None:
    delivery_id = await one_e_mail(service)
    mailbox = Mailbox(failures=[Permanent("SMTP 550")])
    dispatcher = service.dispatcher(mailbox)
    await dispatcher.dispatch_due()

    with pytest.raises(NotFound):  # not Tam Điệp's to retry
        await oversight.retry(repos=service.repos, principal=service.principal("td.officer"), delivery_id=delivery_id)
    retried = await oversight.retry(
        repos=service.repos, principal=service.principal("lm.officer"), delivery_id=delivery_id
    )
    assert (retried["status"], retried["attempts"]) == ("pending", 0)
    assert retried["history"][-1]["outcome"] == "retried"
    assert retried["history"][-1].get("actor") == "lm.officer"

    assert await dispatcher.dispatch_due() == 1
    assert mailbox.received == [("lm.submitter@example.vn", RETURNED_SUBJECT)]
    with pytest.raises(Conflict):  # sent: nothing to retry
        await oversight.retry(repos=service.repos, principal=service.principal("lm.officer"), delivery_id=delivery_id)
