"""A commune's dossiers without servers: created, filled in, checked, submitted, returned, resubmitted and withdrawn
through submissions' own use cases and repositories on an in-memory database; the events the outbox relays are
read off an in-process bus (thidua_platform.memory). tests/flows follows the same dossier into the other services;
tests/e2e does it on the real stack. Who may see and change which dossiers: test_dossier_access_in_memory.py."""

from __future__ import annotations

import pytest

from submissions.domain.submission import NewSubmission, ReturnRequest, WithdrawRequest
from submissions.service import submission_lifecycle, submissions
from submissions.service.registrations import NewRegistration, register
from thidua_contracts.submissions import (
    SubmissionResubmitted,
    SubmissionReturned,
    SubmissionSubmitted,
    SubmissionWithdrawn,
)
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.idempotency import idempotency
from thidua_platform.problems import Conflict, Forbidden, NotFound, Unprocessable

from .province import OFFICER, PROVINCE, SCOPE, SUBMITTER, Province, fields


@pytest.fixture
async def province() -> Province:
    return await Province.opened()


async def test_a_new_dossier_is_a_draft_of_the_commune_and_publishes_nothing(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    await province.events()

    dossier = await province.dossier(hamlet)

    assert (dossier["tenant"], dossier["province"], dossier["status"], dossier["version"]) == (
        LIEN_MINH,
        PROVINCE,
        "draft",
        0,
    )
    assert (dossier["entrant"]["id"], dossier["entrant"]["name"]) == (hamlet["_id"], "Thôn Đông Hưng")
    assert [a["action"] for a in dossier["audit"]] == ["created"]
    criteria_set = await province.repos.criteria_sets.get(SCOPE, dossier["criteria_set"]["id"])
    assert criteria_set is not None
    assert criteria_set["frozen"]  # a set a dossier used is kept as it was
    assert await province.events() == []  # a draft never leaves the commune


async def test_one_active_dossier_per_entrant_and_period_until_it_is_withdrawn(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    first = await province.dossier(hamlet)

    with pytest.raises(Conflict, match="Thôn Đông Hưng"):
        await province.dossier(hamlet)

    await submission_lifecycle.withdraw(
        repos=province.repos, actor=await province.actor(), submission_id=first["_id"], request=WithdrawRequest()
    )
    again = await province.dossier(hamlet)
    assert again["_id"] != first["_id"]
    assert again["status"] == "draft"


async def test_a_create_retried_under_its_key_returns_the_first_dossier(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    first = await province.dossier(hamlet, key="ho-so-dong-hung-1")
    request = NewSubmission(period=province.period, entrant_id=hamlet["_id"])

    replayed, created = await submissions.create_submission(
        repos=province.repos,
        actor=await province.actor(),
        request=request,
        key=idempotency(OFFICER, "submission", "ho-so-dong-hung-1", request.model_dump()),
    )

    assert (replayed["_id"], created) == (first["_id"], False)
    other = NewSubmission(period=province.period, entrant_id=(await province.entrant("Thôn Tây Hưng"))["_id"])
    with pytest.raises(Unprocessable, match="Idempotency-Key"):  # the key, used for a different request
        await submissions.create_submission(
            repos=province.repos,
            actor=await province.actor(),
            request=other,
            key=idempotency(OFFICER, "submission", "ho-so-dong-hung-1", other.model_dump()),
        )
    found, total = await province.listed(await province.actor())
    assert (found, total) == ([first["_id"]], 1)


async def test_submitting_a_draft_publishes_its_evidence_with_the_units_own_targets(province: Province) -> None:
    hamlet = await province.entrant("Thôn Đông Hưng")
    request = NewRegistration(period=province.period, entrant_id=hamlet["_id"], targets={"a1": 95})
    await register(
        repos=province.repos,
        actor=await province.actor(),
        request=request,
        key=idempotency(OFFICER, "registration", None, request.model_dump()),
    )
    dossier = await province.dossier(hamlet)
    await province.report(dossier["_id"], "a1", value=90, narrative="90% hồ sơ trực tuyến toàn trình.")
    await province.events()

    assert await province.submit(dossier["_id"]) == "submitted"

    [event] = await province.events()
    assert (event.type, event.subject, event.tenant) == (SubmissionSubmitted.event_type, dossier["_id"], LIEN_MINH)
    submitted = event.payload(SubmissionSubmitted)
    assert (submitted.version, submitted.period, submitted.entrant.id) == (1, province.period, hamlet["_id"])
    assert (submitted.submitted_by, submitted.criteria_set_id) == ("u-officer", dossier["criteria_set"]["id"])
    by_code = {c.code: c for c in submitted.criteria}
    assert (by_code["a1"].rule, by_code["a1"].value, by_code["a1"].target) == ("ratio", 90, 95)
    assert (by_code["a2"].rule, by_code["a2"].narrative) == ("assessment", None)
    stored = await submissions.get_submission(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )
    assert (stored["status"], stored["version"], stored["submitted_by"]) == ("submitted", 1, "u-officer")


async def test_a_submitted_dossier_is_neither_submitted_again_nor_changed(province: Province) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    await province.submit(dossier["_id"])
    await province.events()

    with pytest.raises(Conflict, match="đã nộp"):
        await province.submit(dossier["_id"])
    with pytest.raises(Conflict, match="nháp hoặc bị trả lại"):
        await province.report(dossier["_id"], "a1", value=70)
    assert await province.events() == []


async def test_evidence_a_criterion_does_not_take_is_refused_naming_the_field(province: Province) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))

    with pytest.raises(Unprocessable) as refused:
        await province.report(dossier["_id"], "a1", level="full")  # a ratio takes a value, not a level
    assert fields(refused.value) == ["level"]
    with pytest.raises(Unprocessable) as refused:
        await province.report(dossier["_id"], "a1", value=120)  # a percentage
    assert fields(refused.value) == ["value"]
    with pytest.raises(NotFound):
        await province.report(dossier["_id"], "z9", value=1)
    unchanged = await submissions.get_submission(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )
    assert unchanged["evidence"] == {}


async def test_the_completeness_check_names_the_criteria_still_missing(province: Province) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    await province.report(dossier["_id"], "a1", value=85)

    checked = await submission_lifecycle.check_completeness(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )
    assert (checked["completeness"]["complete"], checked["completeness"]["missing"]) == (False, ["a2"])

    await province.report(dossier["_id"], "a2", narrative="Tổ chức 12 lớp “Bình dân học vụ số” cho 340 người dân.")
    checked = await submission_lifecycle.check_completeness(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )
    assert (checked["completeness"]["complete"], checked["completeness"]["missing"]) == (True, [])
    assert sorted(checked["themes"]) == [3, 5]


async def test_a_returned_dossier_goes_back_with_its_reasons_and_is_resubmitted_as_a_new_version(
    province: Province,
) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    await province.submit(dossier["_id"])
    await province.events()
    reasons = ReturnRequest.model_validate({"reasons": [{"code": "a1", "reason": "Thiếu số liệu quý IV."}]})

    returned = await submission_lifecycle.return_for_correction(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"], request=reasons
    )

    assert (returned["status"], returned["return_reasons"]) == (
        "returned",
        [{"code": "a1", "reason": "Thiếu số liệu quý IV."}],
    )
    [event] = await province.events()
    sent_back = event.payload(SubmissionReturned)
    assert (event.type, sent_back.version, sent_back.returned_by) == (SubmissionReturned.event_type, 1, "u-officer")
    assert [(r.code, r.reason) for r in sent_back.reasons] == [("a1", "Thiếu số liệu quý IV.")]
    with pytest.raises(Conflict):  # only a submitted dossier is returned
        await submission_lifecycle.return_for_correction(
            repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"], request=reasons
        )

    await province.report(dossier["_id"], "a1", value=88)  # returned: editable again
    assert await province.submit(dossier["_id"]) == "resubmitted"
    [event] = await province.events()
    resubmitted = event.payload(SubmissionResubmitted)
    assert (event.type, resubmitted.version) == (SubmissionResubmitted.event_type, 2)
    assert {c.code: c.value for c in resubmitted.criteria}["a1"] == 88


async def test_only_the_officer_returns_a_dossier_and_only_for_its_own_criteria(province: Province) -> None:
    unit = await province.entrant("Thôn Đông Hưng", focal_users=["lm.submitter"])
    dossier = await province.dossier(unit, by=SUBMITTER)
    await province.submit(dossier["_id"], by=SUBMITTER)
    await province.events()

    with pytest.raises(Forbidden):
        await submission_lifecycle.return_for_correction(
            repos=province.repos,
            actor=await province.actor(SUBMITTER),
            submission_id=dossier["_id"],
            request=ReturnRequest.model_validate({"reasons": [{"reason": "Bổ sung minh chứng."}]}),
        )
    with pytest.raises(NotFound):
        await submission_lifecycle.return_for_correction(
            repos=province.repos,
            actor=await province.actor(),
            submission_id=dossier["_id"],
            request=ReturnRequest.model_validate({"reasons": [{"code": "b1", "reason": "Không thuộc nhóm a."}]}),
        )
    assert await province.events() == []


async def test_withdrawing_a_draft_is_not_announced_but_a_submitted_one_is(province: Province) -> None:
    draft = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    filed = await province.dossier(await province.entrant("Thôn Tây Hưng"))
    await province.submit(filed["_id"])
    await province.events()
    actor = await province.actor()

    for dossier in (draft, filed):
        withdrawn = await submission_lifecycle.withdraw(
            repos=province.repos,
            actor=actor,
            submission_id=dossier["_id"],
            request=WithdrawRequest(reason="Đăng ký nhầm."),
        )
        assert withdrawn["status"] == "withdrawn"

    [event] = await province.events()
    assert (event.type, event.subject) == (SubmissionWithdrawn.event_type, filed["_id"])
    assert event.payload(SubmissionWithdrawn).submitted_by == "u-officer"
    with pytest.raises(Conflict, match="đã rút"):
        await submission_lifecycle.withdraw(
            repos=province.repos, actor=actor, submission_id=filed["_id"], request=WithdrawRequest()
        )
    with pytest.raises(Conflict):
        await submission_lifecycle.check_completeness(repos=province.repos, actor=actor, submission_id=filed["_id"])


async def test_the_audit_trail_keeps_every_change_in_order(province: Province) -> None:
    dossier = await province.dossier(await province.entrant("Thôn Đông Hưng"))
    await province.report(dossier["_id"], "a1", value=85)
    await submission_lifecycle.check_completeness(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )
    await province.submit(dossier["_id"])

    trail = await submissions.audit_trail(
        repos=province.repos, actor=await province.actor(), submission_id=dossier["_id"]
    )

    assert [(e["action"], e["actor"]) for e in trail] == [
        ("created", "u-officer"),
        ("evidence_reported", "u-officer"),
        ("completeness_checked", "u-officer"),
        ("submitted", "u-officer"),
    ]
    assert trail[1]["changes"] == {"criterion": "a1", "value": 85}
