"""Reminders before a period closes: the service keeps, from events only, each review assigned, what its member
assessed, whether the score is final, and each period's closing time (its worker's handlers, in memory); the sweep
(`send_reminders`, given its `now`) reminds a member of an open review once, `days_before` the period closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notifications.service.reminders import ReminderPolicy, send_reminders
from thidua_contracts.roles import Role
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned
from thidua_contracts.submissions import CampaignPublished, PeriodRef
from thidua_contracts.testing import LIEN_MINH, score_finalised

from .in_memory import TAM_DIEP, Notifications, named

CLOSES = datetime(2025, 12, 15, 10, 0, tzinfo=UTC)  # in the past: the sweep is given its `now`
POLICY = ReminderPolicy(days_before=3)


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    for username in ("lm.council1", "lm.council2"):
        service.realm.add(username, Role.COUNCIL_MEMBER)
    service.realm.add("td.council1", Role.COUNCIL_MEMBER, organization=TAM_DIEP)
    return service


def campaign(closes_at: datetime, level: str = "commune") -> CampaignPublished:
    period = PeriodRef(code="2025", kind="yearly", opens_at=closes_at - timedelta(days=300), closes_at=closes_at)
    return CampaignPublished.model_validate(
        {"campaign_id": f"c-{level}", "name": "Phong trào thi đua 2025", "level": level, "periods": (period,)}
    )


def assigned(assignment_id: str, reviewer: str, *criteria: str, submission_id: str = "s-1") -> ReviewAssigned:
    return ReviewAssigned(
        assignment_id=assignment_id,
        submission_id=submission_id,
        submission_version=1,
        period="2025",
        reviewer=reviewer,
        criteria=criteria,
        entrant=named("Thôn Đông Hưng"),
        assigned_by="system",
    )


def assessed(reviewer: str, criterion: str) -> AssessmentRecorded:
    return AssessmentRecorded(
        submission_id="s-1", submission_version=1, period="2025", criterion=criterion, reviewer=reviewer, points=30
    )


async def remind(service: Notifications, now: datetime) -> int:
    return await send_reminders(
        repos=service.repos, directory=service.realm, policy=POLICY, config=service.config, now=now
    )


async def test_a_member_with_an_open_review_is_reminded_once_before_the_period_closes(service: Notifications) -> None:
    await service.receive(campaign(CLOSES))
    await service.receive(assigned("a-1", "lm.council1", "a3", "a4"))
    await service.receive(assigned("a-2", "lm.council2", "a3"))
    await service.receive(assessed("lm.council1", "a3"))  # a4 still to assess
    await service.receive(assessed("lm.council2", "a3"))  # done

    assert await remind(service, CLOSES - timedelta(days=4)) == 0  # not yet
    assert await remind(service, CLOSES - timedelta(days=2)) == 1
    assert await remind(service, CLOSES - timedelta(days=1)) == 0  # once

    assert await service.kinds_told("lm.council1") == ["review_assigned", "review_reminder"]
    assert await service.kinds_told("lm.council2") == ["review_assigned"]
    reminder = next(m for m in await service.inbox("lm.council1") if m["kind"] == "review_reminder")
    assert reminder["body_vi"].endswith("đồng chí chưa chấm xong tiêu chí a3, a4.")
    assert len(await service.deliveries({"kind": "review_reminder"})) == 1


async def test_a_review_assigned_again_after_the_reminder_is_not_reminded_again(service: Notifications) -> None:
    await service.receive(campaign(CLOSES))
    envelope = await service.receive(assigned("a-1", "lm.council1", "a3"))
    assert await remind(service, CLOSES - timedelta(days=2)) == 1

    await service.bus.deliver(envelope)  # redelivered by Kafka

    assert await remind(service, CLOSES - timedelta(days=1)) == 0


async def test_a_final_score_ends_the_reviews_still_open_so_nobody_is_reminded(service: Notifications) -> None:
    await service.receive(campaign(CLOSES))
    await service.receive(assigned("a-1", "lm.council1", "a3"))
    await service.receive(score_finalised("s-1", reason="period_closed"))

    assert await remind(service, CLOSES - timedelta(days=2)) == 0
    assert await service.kinds_told("lm.council1") == ["review_assigned"]


async def test_no_one_is_reminded_after_the_period_has_closed(service: Notifications) -> None:
    await service.receive(campaign(CLOSES))
    await service.receive(assigned("a-1", "lm.council1", "a3"))

    assert await remind(service, CLOSES + timedelta(minutes=1)) == 0


async def test_a_communes_own_period_governs_its_reviews_before_the_provinces(service: Notifications) -> None:
    """The province's campaign closes on the 15th; Liên Minh adopted its own, closing on the 25th. Tam Điệp, which
    has none, is reminded before the 15th; Liên Minh before the 25th."""
    await service.receive(campaign(CLOSES, level="province"), tenant=None)
    await service.receive(campaign(CLOSES + timedelta(days=10)), tenant=LIEN_MINH)
    await service.receive(assigned("a-1", "lm.council1", "a3"))
    await service.receive(assigned("a-2", "td.council1", "a3", submission_id="s-2"), tenant=TAM_DIEP)

    assert await remind(service, CLOSES - timedelta(days=2)) == 1
    assert await service.kinds_told("td.council1") == ["review_assigned", "review_reminder"]
    assert await service.kinds_told("lm.council1") == ["review_assigned"]

    assert await remind(service, CLOSES + timedelta(days=8)) == 1
    assert await service.kinds_told("lm.council1") == ["review_assigned", "review_reminder"]


async def test_a_reminder_the_directory_fails_to_send_holds_back_no_other_and_is_sent_by_the_next_sweep(
    service: Notifications,
) -> None:
    await service.receive(campaign(CLOSES))
    await service.receive(assigned("a-1", "lm.council1", "a3"))
    await service.receive(assigned("a-2", "lm.council2", "a3"))
    service.realm.unreachable.add("lm.council1")

    assert await remind(service, CLOSES - timedelta(days=2)) == 1
    assert await service.kinds_told("lm.council2") == ["review_assigned", "review_reminder"]

    service.realm.unreachable.clear()
    assert await remind(service, CLOSES - timedelta(days=2)) == 1
    assert await service.kinds_told("lm.council1") == ["review_assigned", "review_reminder"]
    assert await remind(service, CLOSES - timedelta(days=1)) == 0
