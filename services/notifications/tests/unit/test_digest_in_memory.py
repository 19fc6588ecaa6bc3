"""The daily digest: e-mails held for a person and a day become one e-mail, made once after the day's digest hour
and sent by the dispatcher; on the service's own repositories in memory, intake given its `now` (service.intake.notify)
and the SMTP server a fake (in_memory.Mailbox)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from notifications.domain.delivery import VIETNAM
from notifications.domain.notices import notices_for
from notifications.service.digest import digest_through, send_digests
from notifications.service.intake import Place, notify
from thidua_contracts.awards import AwardProposalSubmitted, AwardRecipient
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised
from thidua_platform.envelope import EventData

from .in_memory import TAM_DIEP, Mailbox, Notifications, returned

RETURNED_SUBJECT = "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    service.realm.add("lm.submitter", Role.SUBMITTER)
    service.realm.add("nb.staff", Role.PROVINCE_STAFF, organization="tinh-37")
    return service


# past the digest hour (7): held for the next day's digest; in the past, as the dispatcher reads the wall clock
MORNING = datetime(2025, 12, 1, 8, 0, tzinfo=VIETNAM)
DAY = "2025-12-02"


async def told_at(service: Notifications, data: EventData, tenant: str = LIEN_MINH, now: datetime = MORNING) -> None:
    """The event's notices, as the worker's handler makes them, at `now`."""
    envelope = envelope_of(data, tenant=tenant)
    place = Place(tenant=envelope.tenant, province=envelope.province, subject=envelope.subject)
    for notice in notices_for(envelope):
        await notify(
            repos=service.repos, directory=service.realm, notice=notice, place=place, config=service.config, now=now
        )


async def test_e_mails_held_for_the_daily_digest_go_out_as_one_e_mail_once(service: Notifications) -> None:
    await service.prefer("lm.submitter", digest="daily")
    await told_at(service, returned())
    await told_at(service, score_finalised(submitted_by="u-lm.submitter"))
    held = await service.deliveries()
    assert [(d["status"], d["digest_date"]) for d in held] == [("held", DAY)] * 2
    assert await service.kinds_told("lm.submitter") == ["submission_returned", "submission_scored"]  # not held
    assert await service.waiting() == 0  # nothing for the dispatcher yet

    later = MORNING + timedelta(days=1)
    assert await send_digests(repos=service.repos, through=date(2025, 12, 1), now=later) == 0
    assert await send_digests(repos=service.repos, through=date(2025, 12, 2), now=later) == 1
    assert await send_digests(repos=service.repos, through=date(2025, 12, 2), now=later) == 0

    [digest] = await service.deliveries({"kind": "digest"})
    assert sorted(digest.get("items", [])) == sorted(d["_id"] for d in held)
    assert digest["rendered"]["subject_vi"] == f"Bản tin thi đua ngày {DAY}: 2 thông báo"
    assert RETURNED_SUBJECT in digest["rendered"]["body_vi"]
    digested = await service.deliveries({"kind": {"$ne": "digest"}})
    assert {(d["status"], d.get("digest_id")) for d in digested} == {("digested", digest["_id"])}

    mailbox = Mailbox()
    assert await service.dispatcher(mailbox).dispatch_due() == 1
    assert mailbox.received == [("lm.submitter@example.vn", f"Bản tin thi đua ngày {DAY}: 2 thông báo")]


def test_a_days_digest_is_made_only_once_its_hour_and_grace_have_passed() -> None:
    day = date(2026, 12, 8)
    assert digest_through(datetime(2026, 12, 8, 7, 4, tzinfo=VIETNAM), 7) == day - timedelta(days=1)
    assert digest_through(datetime(2026, 12, 8, 7, 6, tzinfo=VIETNAM), 7) == day


async def test_no_digest_is_made_for_someone_with_nothing_held(service: Notifications) -> None:
    await service.receive(returned())  # e-mailed one by one (the default)

    assert await send_digests(repos=service.repos, through=date(2100, 1, 1), now=MORNING) == 0
    assert [(d["kind"], d["status"]) for d in await service.deliveries()] == [("submission_returned", "pending")]


async def test_province_staff_get_one_digest_of_every_commune_they_heard_from(service: Notifications) -> None:
    """A digest of one commune's messages is that commune's; one of several communes' is the province's."""
    await service.prefer("nb.staff", digest="daily")
    for number, commune in enumerate((LIEN_MINH, TAM_DIEP)):
        recipient = AwardRecipient(candidate_id=f"c-{number}", entrant=entrant())
        proposal = AwardProposalSubmitted(
            proposal_id=f"p-{number}",
            award_form="BANG_KHEN_TINH",
            period="2025",
            number=f"{number}/TTr-UBND",
            recipients=(recipient,),
            proposed_by="u-chair",
        )
        await told_at(service, proposal, tenant=commune)

    assert await send_digests(repos=service.repos, through=date(2025, 12, 2), now=MORNING + timedelta(days=1)) == 1
    [digest] = await service.deliveries({"kind": "digest"})
    assert (digest["tenant"], digest["province"], len(digest.get("items", []))) == (None, "37", 2)
    assert digest["recipient"]["username"] == "nb.staff"
