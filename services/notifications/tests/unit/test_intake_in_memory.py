"""Who an event tells, and how: the worker's handlers (consumers/events.py) on the service's own repositories in
memory (thidua_platform.memory), the directory a realm of people (in_memory.Realm). An in-app message and an e-mail
are stored once per (event, person, channel), so an event Kafka delivers twice tells nobody twice."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from notifications.service.templates import save
from thidua_contracts.awards import (
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
    CouncilSessionConvened,
)
from thidua_contracts.roles import Role
from thidua_contracts.scoring import ReviewAssigned
from thidua_contracts.testing import LIEN_MINH, score_finalised
from thidua_platform.tenancy import Scope

from .in_memory import LIEN_MINH_SCOPE, TAM_DIEP, Notifications, named, returned

EVERYONE = ("lm.submitter", "lm.submitter2", "lm.officer", "lm.council1", "td.officer", "td.council1", "nb.staff")


@pytest.fixture
def service() -> Notifications:
    service = Notifications()
    realm = service.realm
    realm.add("lm.submitter", Role.SUBMITTER)
    realm.add("lm.submitter2", Role.SUBMITTER)
    realm.add("lm.officer", Role.COMMUNE_OFFICER)
    realm.add("lm.council1", Role.COUNCIL_MEMBER)
    realm.add("td.submitter", Role.SUBMITTER, organization=TAM_DIEP)
    realm.add("td.officer", Role.COMMUNE_OFFICER, organization=TAM_DIEP)
    realm.add("td.council1", Role.COUNCIL_MEMBER, organization=TAM_DIEP)
    realm.add("nb.staff", Role.PROVINCE_STAFF, organization="tinh-37")
    realm.add("sm.staff", Role.PROVINCE_STAFF, organization="tinh-51")
    return service


async def told(service: Notifications) -> dict[str, list[str]]:
    """Who of EVERYONE has a message stored for them in the province, and of what kinds."""
    return {name: kinds for name in EVERYONE if (kinds := await service.kinds_stored(name))}


def recipient(name: str, submitted_by: str | None) -> AwardRecipient:
    return AwardRecipient(candidate_id=f"c-{name}", entrant=named(name), submitted_by=submitted_by)


async def test_a_returned_dossier_tells_its_submitter_once_though_the_event_comes_twice(service: Notifications) -> None:
    envelope = await service.receive(returned(code="b1", reason="Thiếu biên bản nghiệm thu"))
    await service.bus.deliver(envelope)  # Kafka delivers at least once

    assert await told(service) == {"lm.submitter": ["submission_returned"]}
    [message] = await service.inbox("lm.submitter")
    assert message["title_vi"] == "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"
    assert "- b1: Thiếu biên bản nghiệm thu" in message["body_vi"]
    assert (message["subject"], message["read_at"]) == (envelope.subject, None)
    [e_mail] = await service.deliveries()
    assert (e_mail["channel"], e_mail["status"], e_mail["kind"]) == ("email", "pending", "submission_returned")
    assert e_mail["recipient"] == {
        "user_id": "u-lm.submitter",
        "username": "lm.submitter",
        "email": "lm.submitter@example.vn",
    }
    assert e_mail["template_version"] == 0  # the built-in template: the commune has none of its own
    assert await service.waiting() == 1  # listed once for the dispatcher


async def test_a_final_score_tells_the_submitter_the_total_and_grade(service: Notifications) -> None:
    await service.receive(score_finalised(total=92.5, grade="Xuất sắc", submitted_by="u-lm.submitter2"))

    assert await told(service) == {"lm.submitter2": ["submission_scored"]}
    [message] = await service.inbox("lm.submitter2")
    assert message["body_vi"] == "Thôn Đông Hưng: 92.5/100 điểm, xếp loại Xuất sắc (kỳ 2025)."


async def test_a_signed_decision_tells_each_submitter_once_of_all_their_entrants(service: Notifications) -> None:
    decided = AwardDecided(
        decision_id="d-1",
        award_form="GIAY_KHEN_XA",
        period="2025",
        round="yearly",
        level="commune",
        number="15/QĐ-UBND",
        signed_on=date(2025, 12, 20),
        issuer="Chủ tịch UBND xã Liên Minh",
        recipients=(
            recipient("Thôn Đông Hưng", "u-lm.submitter"),
            recipient("Thôn Bắc Sơn", "u-lm.submitter"),
            recipient("Bà Nguyễn Thị Hường", "u-lm.submitter2"),
            recipient("Ông Trần Văn Đức", None),  # filed by nobody the service can name: no one to tell
        ),
    )
    envelope = await service.receive(decided)
    await service.bus.deliver(envelope)

    assert await told(service) == {"lm.submitter": ["award_decided"], "lm.submitter2": ["award_decided"]}
    [message] = await service.inbox("lm.submitter")
    assert "Thôn Đông Hưng, Thôn Bắc Sơn được tặng Giấy khen của Chủ tịch UBND xã" in message["body_vi"]
    assert "theo Quyết định số 15/QĐ-UBND" in message["body_vi"]
    assert len(await service.deliveries({"kind": "award_decided"})) == 2


async def test_an_awarded_proposal_tells_the_officers_of_its_commune_with_the_decision(service: Notifications) -> None:
    awarded = AwardProposalDecided(
        proposal_id="p-1",
        award_form="BANG_KHEN_TINH",
        period="2025",
        level="province",
        outcome="awarded",
        recipients=(recipient("Thôn Đông Hưng", "u-lm.submitter"),),
        decided_by="u-nb.staff",
        number="9/QĐ-UBND",
        signed_on=date(2025, 12, 20),
        issuer="Chủ tịch UBND tỉnh Ninh Bình",
    )
    await service.receive(awarded)

    assert await told(service) == {"lm.officer": ["proposal_outcome"], "lm.submitter": ["award_decided"]}
    [message] = await service.inbox("lm.officer")
    assert message["body_vi"] == (
        "Cấp trên đã quyết định tặng Bằng khen của Chủ tịch UBND tỉnh kỳ 2025 cho Thôn Đông Hưng. "
        "Quyết định số 9/QĐ-UBND của Chủ tịch UBND tỉnh Ninh Bình."
    )


async def test_a_rejected_proposal_tells_the_officers_of_its_own_commune_only(service: Notifications) -> None:
    rejected = AwardProposalDecided(
        proposal_id="p-1",
        award_form="BANG_KHEN_TINH",
        period="2025",
        level="province",
        outcome="rejected",
        recipients=(recipient("Thôn Đông Hưng", "u-lm.submitter"),),
        decided_by="u-nb.staff",
        reason="Chưa đủ thành tích",
    )
    await service.receive(rejected)

    assert await told(service) == {"lm.officer": ["proposal_outcome"]}  # td.officer holds the role in Tam Điệp
    [message] = await service.inbox("lm.officer")
    assert "không chấp thuận" in message["body_vi"]
    assert message["body_vi"].endswith("Lý do: Chưa đủ thành tích")


async def test_a_proposal_reaching_the_province_tells_that_provinces_staff(service: Notifications) -> None:
    submitted = AwardProposalSubmitted(
        proposal_id="p-2",
        award_form="BANG_KHEN_TINH",
        period="2025",
        number="12/TTr-UBND",
        recipients=(recipient("Thôn Đông Hưng", "u-lm.submitter"),),
        proposed_by="u-lm.chair",
    )
    await service.receive(submitted)

    assert await told(service) == {"nb.staff": ["proposal_received"]}  # the staff of province 51 hear nothing
    assert await service.kinds_stored("sm.staff") == []
    [message] = await service.inbox("nb.staff")  # read across the province's communes
    assert (message["tenant"], message["province"]) == (LIEN_MINH, "37")


async def test_a_review_assignment_tells_the_member_and_is_kept_once_for_reminders(service: Notifications) -> None:
    assigned = ReviewAssigned(
        assignment_id="a-1",
        submission_id="s-1",
        submission_version=1,
        period="2025",
        reviewer="lm.council1",
        criteria=("a3",),
        entrant=None,  # a blind review: the member must not learn whose dossier it is
        assigned_by="system",
    )
    envelope = await service.receive(assigned)
    await service.bus.deliver(envelope)

    assert await told(service) == {"lm.council1": ["review_assigned"]}
    [message] = await service.inbox("lm.council1")
    assert message["title_vi"] == "Hồ sơ cần chấm điểm"
    [review] = await service.repos.reviews.find(LIEN_MINH_SCOPE, {"kind": "review"})
    assert (review["reviewer"], review["criteria"], review["status"], review["reminded"]) == (
        "lm.council1",
        ["a3"],
        "open",
        False,
    )


async def test_people_named_from_another_commune_are_not_told(service: Notifications) -> None:
    """A council roster or a session's list is typed in by an officer: a name of another commune must not carry this
    commune's news there."""
    convened = CouncilSessionConvened(
        session_id="ss-1",
        period="2025",
        title="Phiên xét khen thưởng năm 2025",
        held_at=datetime.fromisoformat("2025-12-10T08:00:00+07:00"),
        members=("lm.council1", "td.council1", "khong.co"),
        candidates=3,
    )
    await service.receive(convened)

    assert await told(service) == {"lm.council1": ["session_convened"]}


async def test_someone_the_directory_does_not_know_is_told_nothing(service: Notifications) -> None:
    await service.receive(returned(submitted_by="u-nobody"))

    assert await told(service) == {}
    assert await service.deliveries() == []
    assert await service.waiting() == 0


async def test_a_person_who_turned_e_mail_off_is_told_in_the_app_only(service: Notifications) -> None:
    await service.prefer("lm.submitter", email=False)
    await service.receive(returned())

    assert await service.kinds_told("lm.submitter") == ["submission_returned"]
    assert await service.deliveries() == []


async def test_a_person_who_chose_the_webhook_alone_gets_one_webhook_call_and_no_message(
    service: Notifications,
) -> None:
    await service.prefer("lm.submitter", in_app=False, email=False, webhook=True)
    await service.receive(returned())

    assert await service.kinds_told("lm.submitter") == []
    assert [d["channel"] for d in await service.deliveries()] == ["webhook"]


async def test_a_person_without_an_e_mail_address_is_sent_no_e_mail(service: Notifications) -> None:
    service.realm.add("lm.nomail", Role.SUBMITTER, email=False)
    await service.receive(returned(submitted_by="u-lm.nomail"))

    assert await service.kinds_told("lm.nomail") == ["submission_returned"]
    assert await service.deliveries() == []


async def test_a_communes_own_template_is_used_for_its_people_and_no_one_elses(service: Notifications) -> None:
    parts = {
        "subject_vi": "Kết quả chấm điểm: {{ entrant }} đạt {{ total | points }} điểm",
        "body_vi": "Xếp loại {{ grade }}.",
        "subject_en": "Scored: {{ entrant }}",
        "body_en": "Grade {{ grade }}.",
    }
    await save(
        repos=service.repos,
        scope=LIEN_MINH_SCOPE,
        kind="submission_scored",
        parts=parts,
        actor="lm.officer",
        actor_id="u-lm.officer",
    )
    await service.receive(score_finalised("s-lm", total=91.0, submitted_by="u-lm.submitter"))
    await service.receive(score_finalised("s-td", total=91.0, submitted_by="u-td.submitter"), tenant=TAM_DIEP)

    [ours] = await service.inbox("lm.submitter")
    assert (ours["title_vi"], ours["body_vi"]) == ("Kết quả chấm điểm: Thôn Đông Hưng đạt 91 điểm", "Xếp loại Tốt.")
    [theirs] = await service.inbox("td.submitter")
    assert theirs["title_vi"] == "Hồ sơ đã được chấm điểm: Thôn Đông Hưng"
    versions = {d["subject"]: d["template_version"] for d in await service.deliveries()}
    assert versions == {"s-lm": 1, "s-td": 0}


async def test_a_template_that_fails_on_an_events_facts_falls_back_to_the_built_in_one(
    service: Notifications,
) -> None:
    """A template is checked against the kind's sample facts when saved; one that still fails on a real event (here
    the second reason of a return with one) must not leave the person untold."""
    parts = {
        "subject_vi": "Trả lại: {{ entrant }}",
        "body_vi": "Lý do thứ hai: {{ reasons[1].reason }}",
        "subject_en": "Returned: {{ entrant }}",
        "body_en": "{{ reasons[1].reason }}",
    }
    await save(
        repos=service.repos,
        scope=LIEN_MINH_SCOPE,
        kind="submission_returned",
        parts=parts,
        actor="lm.officer",
        actor_id="u-lm.officer",
    )
    await service.receive(returned())

    [message] = await service.inbox("lm.submitter")
    assert message["title_vi"] == "Hồ sơ bị trả lại để bổ sung: Thôn Đông Hưng"
    assert [d["template_version"] for d in await service.deliveries()] == [0]


async def test_a_notice_of_a_commune_stays_out_of_another_communes_inbox_scope(service: Notifications) -> None:
    """The inbox is read within the reader's scope: a message of Liên Minh is not found when read as Tam Điệp's."""
    await service.receive(returned())
    scoped = Scope(tenant=TAM_DIEP, province="37")

    messages, total = await service.repos.inbox.page(scoped, "u-lm.submitter", unread_only=False, skip=0, limit=10)
    assert (messages, total) == ([], 0)
