"""Who is told what: the audience of each event, always named within the event's commune or province."""

from datetime import UTC, date, datetime

from notifications.domain.notices import RoleHolders, UserId, Username, notices_for
from thidua_contracts.awards import (
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    AwardRecipient,
    CouncilSessionClosed,
    CouncilSessionConvened,
    SessionCandidateResult,
)
from thidua_contracts.scoring import ReviewAssigned
from thidua_contracts.submissions import ReturnReason, SubmissionReturned
from thidua_contracts.testing import entrant, envelope_of, score_finalised, submission_submitted


def test_the_submitter_hears_of_their_submission_and_its_score() -> None:
    submitted = notices_for(envelope_of(submission_submitted(submitted_by="u-1")))
    scored = notices_for(envelope_of(score_finalised(submitted_by="u-1", total=86.5, grade="Tốt")))
    assert [(n.kind, n.audience) for n in submitted + scored] == [
        ("submission_submitted", (UserId("u-1"),)),
        ("submission_scored", (UserId("u-1"),)),
    ]
    assert scored[0].facts["total"] == 86.5
    assert scored[0].facts["grade"] == "Tốt"


def test_a_notice_is_caused_by_its_event_so_a_replay_makes_the_same_ids() -> None:
    event = envelope_of(submission_submitted())
    assert notices_for(event)[0].cause == str(event.id) == notices_for(event)[0].cause


def test_reasons_for_a_return_reach_the_submitter() -> None:
    returned = SubmissionReturned(
        submission_id="s-1",
        version=1,
        period="2026",
        entrant=entrant(),
        submitted_by="u-1",
        returned_by="u-officer",
        reasons=(ReturnReason(code="TC01", reason="Thiếu biên bản"),),
    )
    (notice,) = notices_for(envelope_of(returned))
    assert notice.audience == (UserId("u-1"),)
    assert notice.facts["reasons"] == [{"code": "TC01", "reason": "Thiếu biên bản"}]


def _recipient(name: str, submitter: str | None) -> AwardRecipient:
    return AwardRecipient(candidate_id=f"c-{name}", entrant=entrant(id=name, name=name), submitted_by=submitter)


def test_an_award_tells_each_submitter_once_of_all_their_entrants() -> None:
    decided = AwardDecided(
        decision_id="d-1",
        award_form="GIAY_KHEN_XA",
        period="2026",
        round="yearly",
        level="commune",
        number="15/QĐ-UBND",
        signed_on=date(2026, 12, 20),
        issuer="Chủ tịch UBND xã",
        recipients=(_recipient("A", "u-1"), _recipient("B", "u-2"), _recipient("C", "u-1"), _recipient("D", None)),
    )
    notices = notices_for(envelope_of(decided))
    assert {n.audience: n.facts["entrants"] for n in notices} == {(UserId("u-1"),): ["A", "C"], (UserId("u-2"),): ["B"]}
    assert notices[0].facts["award_form_vi"] == "Giấy khen của Chủ tịch UBND xã"


def test_an_award_carried_by_a_proposal_is_told_by_the_proposal_outcome_to_the_officers_and_the_submitters() -> None:
    recipients = (_recipient("A", "u-1"),)
    decided = AwardDecided(
        decision_id="d-2",
        award_form="BANG_KHEN_TINH",
        period="2026",
        round="yearly",
        level="province",
        number="9/QĐ-UBND",
        signed_on=date(2026, 12, 20),
        issuer="Chủ tịch UBND tỉnh",
        recipients=recipients,
        proposal_id="p-1",
    )
    outcome = AwardProposalDecided(
        proposal_id="p-1",
        award_form="BANG_KHEN_TINH",
        period="2026",
        level="province",
        outcome="awarded",
        recipients=recipients,
        decided_by="nb.staff",
        number="9/QĐ-UBND",
    )
    assert notices_for(envelope_of(decided)) == []
    officers, submitter = notices_for(envelope_of(outcome))
    assert (officers.kind, officers.audience) == ("proposal_outcome", (RoleHolders("commune_officer"),))
    assert (officers.facts["outcome"], officers.facts["number"]) == ("awarded", "9/QĐ-UBND")
    assert (submitter.kind, submitter.audience) == ("award_decided", (UserId("u-1"),))
    returned = outcome.model_copy(update={"outcome": "returned", "reason": "Thiếu hồ sơ"})
    assert [n.audience for n in notices_for(envelope_of(returned))] == [(RoleHolders("commune_officer"),)]


def test_council_chairman_and_province_staff_are_told_their_part() -> None:
    convened = CouncilSessionConvened(
        session_id="h-1",
        period="2026",
        title="Phiên xét",
        held_at=datetime(2026, 12, 10, 1, tzinfo=UTC),
        members=("lm.council1", "lm.council2"),
        candidates=3,
    )
    result = SessionCandidateResult(
        candidate_id="c-1", entrant=entrant(), award_form="GIAY_KHEN_XA", yes=2, no=1, abstain=0, recused=0, passed=True
    )
    closed = CouncilSessionClosed(session_id="h-1", period="2026", present=3, members=3, results=(result,))
    failed = closed.model_copy(update={"results": (result.model_copy(update={"passed": False}),)})
    proposal = AwardProposalSubmitted(
        proposal_id="p-1",
        award_form="BANG_KHEN_TINH",
        period="2026",
        number="07/TTr-UBND",
        recipients=(_recipient("A", "u-1"),),
        proposed_by="lm.chair",
    )
    assert notices_for(envelope_of(convened))[0].audience == (Username("lm.council1"), Username("lm.council2"))
    assert notices_for(envelope_of(closed))[0].audience == (RoleHolders("commune_chair"),)
    assert notices_for(envelope_of(failed)) == []
    assert notices_for(envelope_of(proposal))[0].audience == (RoleHolders("province_staff", "province"),)


def test_a_blind_reviewer_is_not_told_whose_dossier_it_is() -> None:
    assigned = ReviewAssigned(
        assignment_id="a-1",
        submission_id="s-1",
        submission_version=1,
        period="2026",
        reviewer="lm.council1",
        criteria=("TC05",),
        entrant=None,
        assigned_by="system",
    )
    (notice,) = notices_for(envelope_of(assigned))
    assert notice.audience == (Username("lm.council1"),)
    assert notice.facts["entrant"] == ""
