"""The chairman's decision on a commune form (decide, apply_award) and the documents of the process (the council's
minutes, the decision, the proposal's dossier), without servers (in_memory_awards). Every document is rendered once;
pypdf reads its text back. tests/e2e/test_awards_flow.py goes the same way through the HTTP API on the real stack."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Coroutine
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from awards.adapters.documents import Signature, check_fonts, default_font_dir
from awards.domain.aggregates import Decision
from awards.service import documents
from awards.service.acts import recipient
from awards.service.decisions import apply_award
from thidua_contracts.awards import AwardDecided
from thidua_platform.envelope import Envelope
from thidua_platform.problems import Conflict, NotFound, Unprocessable

from .in_memory_awards import DONG_HUNG, LETTERHEAD, PROVINCE, SCHOOL, SCOPE, TAM_DIEP_SCOPE, TEACHER, Awards, World


@pytest.fixture
async def council() -> tuple[Awards, list[str]]:
    """The service, and the two candidates the council passed for the commune's Giấy khen."""
    awards = Awards()
    await awards.before_the_council()
    await awards.council()
    return awards, await awards.passed("GIAY_KHEN_XA")


async def test_the_chairmans_decision_awards_each_candidate_the_council_passed(
    council: tuple[Awards, list[str]],
) -> None:
    awards, ids = council
    decision, created = await awards.decide(ids)

    assert created
    assert (decision["issuer"], decision["round"]) == ("Chủ tịch UBND xã Liên Minh", "yearly")
    assert [r["candidate_id"] for r in decision["recipients"]] == ids
    assert decision["audit"][0]["changes"] == {"number": "125/QĐ-UBND", "recipients": ids}

    async def awarded() -> list[tuple[str, ...]]:
        """Each recipient's award in the history, and their candidacy awarded by this decision."""
        for identifier in ids:
            current = await awards.candidate(identifier)
            assert (current["status"], current["decision_id"]) == ("awarded", decision["_id"])
            assert current["decision"]["number"] == "125/QĐ-UBND"
        history = await awards.repos.history.find(SCOPE, {})
        return sorted(
            (h["entrant"]["id"], h["award_form"], h["decision"]["number"], h["source"]["id"]) for h in history
        )

    expected = [
        (TEACHER.id, "GIAY_KHEN_XA", "125/QĐ-UBND", decision["_id"]),
        (SCHOOL.id, "GIAY_KHEN_XA", "125/QĐ-UBND", decision["_id"]),
    ]
    assert await awarded() == expected  # at once, before the worker sees the event
    [decided] = [e.payload(AwardDecided) for e in await awards.published() if e.type == AwardDecided.event_type]
    assert (decided.decision_id, decided.level, decided.number) == (decision["_id"], "commune", "125/QĐ-UBND")
    assert [r.candidate_id for r in decided.recipients] == ids
    assert await awarded() == expected  # the worker applied the award again: once all the same


async def test_the_same_decision_sent_again_is_returned_unchanged(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    first, _ = await awards.decide(ids)
    await awards.published()

    again, created = await awards.decide(list(reversed(ids)))  # a retry: the same candidates, in any order

    assert (again, created) == (await awards.repos.decisions.get(SCOPE, first["_id"]), False)
    assert await awards.published() == []
    assert len(await awards.repos.history.find(SCOPE, {})) == 2


async def test_a_decisions_number_cannot_be_used_again_for_other_candidates(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    await awards.decide(ids[:1])
    with pytest.raises(Conflict):
        await awards.decide(ids[1:])
    assert await awards.statuses(ids) == ["awarded", "eligible_here"]


async def test_a_higher_form_is_proposed_to_the_province_not_decided(council: tuple[Awards, list[str]]) -> None:
    awards, _ = council
    with pytest.raises(Unprocessable) as refused:
        await awards.decide(await awards.passed("BANG_KHEN_TINH"), form="BANG_KHEN_TINH")
    assert refused.value.extensions["errors"][0]["field"] == "award_form"
    assert await awards.repos.decisions.find(SCOPE, {}) == []


async def test_only_candidates_the_council_passed_can_be_decided(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    await awards.score(DONG_HUNG, 90)  # on the list after the council met: under review
    late = (await awards.repos.candidates.find(SCOPE, {"status": "under_review"}))[0]["_id"]

    with pytest.raises(Unprocessable) as refused:
        await awards.decide([ids[0], late])

    assert [e["field"] for e in refused.value.extensions["errors"]] == ["candidate_ids"]
    assert "under_review" in refused.value.extensions["errors"][0]["message"]
    assert await awards.statuses([ids[0], late]) == ["eligible_here", "under_review"]  # neither claimed
    assert await awards.repos.decisions.find(SCOPE, {}) == []


async def test_a_decision_saved_meanwhile_by_a_concurrent_request_is_returned_not_made_twice(
    council: tuple[Awards, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    awards, ids = council
    save = awards.repos.decisions.add

    async def saved_second(document: Decision, events: list[Envelope]) -> bool:
        assert await save(document, events)  # the other request, which found no decision either, saves it first
        return await save(document, events)

    monkeypatch.setattr(awards.repos.decisions, "add", saved_second)
    decision, created = await awards.decide(ids)

    assert created is False
    assert [d["_id"] for d in await awards.repos.decisions.find(SCOPE, {})] == [decision["_id"]]
    await awards.published()  # the other request's award, as the worker applies it
    assert await awards.statuses(ids) == ["awarded", "awarded"]
    assert len(await awards.repos.history.find(SCOPE, {})) == 2


async def test_an_award_reaches_only_the_candidates_its_decision_holds(council: tuple[Awards, list[str]]) -> None:
    awards, ids = council
    decision, _ = await awards.decide(ids[:1])
    [decided] = [e.payload(AwardDecided) for e in await awards.published() if e.type == AwardDecided.event_type]
    unclaimed = (await awards.candidate(ids[1]))["entrant"]
    others = (recipient(ids[1], unclaimed, "u-1"), recipient("gone", unclaimed, "u-1"))
    stray = decided.model_copy(
        update={"decision_id": "another", "number": "9/QĐ-UBND", "recipients": (*decided.recipients, *others)}
    )
    await apply_award(repos=awards.repos, scope=SCOPE, decided=stray, actor="system")
    await apply_award(repos=awards.repos, scope=SCOPE, decided=decided, actor="system")  # delivered again

    [only] = await awards.repos.history.find(SCOPE, {})
    assert (only["decision"]["number"], only["source"]["id"]) == ("125/QĐ-UBND", decision["_id"])
    assert await awards.statuses(ids) == ["awarded", "eligible_here"]


@pytest.fixture(scope="module")
async def world() -> World:
    return await World.after_the_council()


@pytest.fixture(scope="module")
def fonts() -> Path:
    return check_fonts(default_font_dir())


def text_of(pdf: bytes) -> str:
    """The PDF's text, whitespace collapsed (wrapped cells join up again)."""
    assert pdf.startswith(b"%PDF-")
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(unicodedata.normalize("NFC", "\n".join(pages)).split())


async def test_the_minutes_name_each_members_open_vote_in_vietnam_time_and_go_into_the_dossier(
    world: World, fonts: Path
) -> None:
    repos = world.awards.repos
    minutes = text_of(await documents.minutes(repos=repos, scope=SCOPE, session_id=world.session["_id"], fonts=fonts))

    for expected in (
        "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "BIÊN BẢN", "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm 2025",
        "Thời gian: 8 giờ 00 phút, ngày 05 tháng 12 năm 2025", "Chủ trì: Nguyễn Văn An - CHỦ TỊCH HỘI ĐỒNG",
        "Thư ký: Lê Văn Cường - THƯ KÝ", "trên 50% tổng số thành viên Hội đồng",
        "Nguyễn Thị Hường Nhóm d1 Giấy khen của Chủ tịch UBND xã 92,5 3 0 0 0 Đạt",
        "Trần Thị Bình Trường Tiểu học Liên Minh Đồng ý",
    ):  # fmt: skip
        assert expected in minutes
    in_dossier = await documents.proposal_document(
        repos=repos, scope=PROVINCE, proposal_id=world.proposal["_id"], kind="bien-ban", candidate_id=None, fonts=fonts
    )
    assert text_of(in_dossier) == minutes


async def test_a_secret_ballots_minutes_name_no_ones_vote() -> None:
    awards = Awards()
    await awards.score(SCHOOL, 96)
    session = await awards.council(ballot_mode="secret", secretary=None)

    data = await documents.minutes_data(repos=awards.repos, session=session)

    assert (data.ballot_mode, data.votes, data.secretary) == ("secret", (), None)
    assert [(r.candidate, r.yes, r.passed) for r in data.results] == [(SCHOOL.name, 3, True)]
    assert data.letterhead.issuing_body == "ỦY BAN NHÂN DÂN PH-37-LIEN-MINH"  # no letterhead set: the placeholder


async def test_the_minutes_wait_for_the_count_and_stay_within_the_commune(world: World, fonts: Path) -> None:
    awards = Awards()
    await awards.score(SCHOOL, 96)
    convened = await awards.convene()
    with pytest.raises(Conflict):
        await documents.minutes(repos=awards.repos, scope=SCOPE, session_id=convened["_id"], fonts=fonts)
    for scope, session_id in ((SCOPE, "no-such-session"), (TAM_DIEP_SCOPE, world.session["_id"])):
        with pytest.raises(NotFound):
            await documents.minutes(repos=world.awards.repos, scope=scope, session_id=session_id, fonts=fonts)


async def test_the_decision_lists_each_recipient_with_their_points(world: World, fonts: Path) -> None:
    repos = world.awards.repos
    text = text_of(await documents.decision(repos=repos, scope=SCOPE, decision_id=world.decision["_id"], fonts=fonts))

    for expected in (
        "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "Số: 125/QĐ-UBND Liên Minh, ngày 10 tháng 12 năm 2025",
        "Về việc tặng Giấy khen của Chủ tịch UBND xã", "năm 2025", "CHỦ TỊCH Phạm Văn Minh",
        "1 Trường Tiểu học Liên Minh Tập thể Nhóm c Đạt 96 điểm, xếp loại Xuất sắc",
        "2 Nguyễn Thị Hường Cá nhân Nhóm d1 Đạt 92,5 điểm, xếp loại Xuất sắc",
    ):  # fmt: skip
        assert expected in text
    for scope, decision_id in ((SCOPE, "no-such-decision"), (TAM_DIEP_SCOPE, world.decision["_id"])):
        with pytest.raises(NotFound):
            await documents.decision(repos=repos, scope=scope, decision_id=decision_id, fonts=fonts)


async def test_the_province_reads_the_proposal_letter_under_the_communes_letterhead_with_the_councils_summary(
    world: World, fonts: Path
) -> None:
    pdf = await documents.proposal_document(
        repos=world.awards.repos, scope=PROVINCE, proposal_id=world.proposal["_id"], kind="to-trinh",
        candidate_id=None, fonts=fonts,
    )  # fmt: skip
    text = text_of(pdf)

    for expected in (
        "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "TỜ TRÌNH", "Số: 12/TTr-UBND", "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh",
        "Về việc đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh",
        "họp ngày 05/12/2025, có mặt 3/3 thành viên, biểu quyết thông qua 2 trường hợp",
        "Trường Tiểu học Liên Minh Tập thể Nhóm c Đạt 96 điểm",
    ):  # fmt: skip
        assert expected in text


async def test_a_proposal_with_no_council_session_has_a_letter_without_its_summary_and_no_minutes(
    world: World, fonts: Path
) -> None:
    def document(kind: str) -> Coroutine[Any, Any, bytes]:
        return documents.proposal_document(
            repos=world.awards.repos, scope=SCOPE, proposal_id=world.unheard["_id"], kind=kind, candidate_id=None,
            fonts=fonts,
        )  # fmt: skip

    text = text_of(await document("to-trinh"))
    assert "Số: 13/TTr-UBND" in text
    assert "Thôn Đông Hưng Tập thể Nhóm a Đạt 97 điểm" in text
    assert "Hội đồng Thi đua - Khen thưởng họp ngày" not in text
    with pytest.raises(NotFound):
        await document("bien-ban")


async def test_the_achievement_report_shows_the_criteria_and_the_evidence_of_the_dossier(
    world: World, fonts: Path
) -> None:
    school = next(r["candidate_id"] for r in world.proposal["recipients"] if r["entrant"]["id"] == SCHOOL.id)
    pdf = await documents.proposal_document(
        repos=world.awards.repos, scope=PROVINCE, proposal_id=world.proposal["_id"], kind="bao-cao-thanh-tich",
        candidate_id=school, fonts=fonts,
    )  # fmt: skip
    text = text_of(pdf)

    for expected in (
        "BÁO CÁO THÀNH TÍCH", "Tập thể, cá nhân: Trường Tiểu học Liên Minh", "Kỳ đánh giá: năm 2025",
        "Tổng điểm: 96/100 điểm", "1.1 Dịch vụ công trực tuyến 9,5/10 Tỷ lệ hồ sơ trực tuyến 95%",
        "1 1.1 bao-cao-dvc.pdf application/pdf", "Phạm Văn Minh",
    ):  # fmt: skip
        assert expected in text


async def test_an_achievement_report_is_of_a_candidate_named_in_the_proposal(world: World, fonts: Path) -> None:
    repos = world.awards.repos
    with pytest.raises(Unprocessable) as unnamed:
        await documents.proposal_document(
            repos=repos, scope=SCOPE, proposal_id=world.proposal["_id"], kind="bao-cao-thanh-tich", candidate_id=None,
            fonts=fonts,
        )  # fmt: skip
    assert unnamed.value.extensions["errors"][0]["field"] == "candidate_id"
    decided = world.decision["recipients"][0]["candidate_id"]  # awarded by the commune, not proposed
    for scope, proposal_id, candidate_id in (
        (SCOPE, world.proposal["_id"], decided),
        (SCOPE, "no-such-proposal", decided),
        (TAM_DIEP_SCOPE, world.proposal["_id"], world.proposal["recipients"][0]["candidate_id"]),
    ):
        with pytest.raises(NotFound):
            await documents.proposal_document(
                repos=repos, scope=scope, proposal_id=proposal_id, kind="bao-cao-thanh-tich",
                candidate_id=candidate_id, fonts=fonts,
            )  # fmt: skip


async def test_a_report_without_a_kept_score_or_dossier_has_no_criteria_and_counts_out_of_100(world: World) -> None:
    [row] = world.unheard["recipients"]
    data = await documents.report_data(
        repos=world.awards.repos, scope=SCOPE, row=row, head=LETTERHEAD, signer=Signature("CHỦ TỊCH", "Phạm Văn Minh"),
        signed_on=date(2026, 12, 10), period="2026",
    )  # fmt: skip
    assert (data.entrant, data.kind, data.unit) == ("Thôn Đông Hưng", "Tập thể", "Nhóm a")
    assert (data.period_label, data.total, data.max_total) == ("năm 2026", 97, 100)
    assert (data.criteria, data.evidence) == ((), ())


async def test_the_dossier_index_links_each_document_and_lists_the_evidence(world: World) -> None:
    proposal_id = world.proposal["_id"]
    index = await documents.dossier_index(repos=world.awards.repos, scope=PROVINCE, proposal_id=proposal_id)

    base = f"/proposals/{proposal_id}/documents"
    reports = [f"{base}/bao-cao-thanh-tich.pdf?candidate_id={r['candidate_id']}" for r in world.proposal["recipients"]]
    assert [d["href"] for d in index["documents"]] == [f"{base}/to-trinh.pdf", f"{base}/bien-ban.pdf", *reports]
    assert index["evidence"] == [
        {"entrant": SCHOOL.name, "criterion": "1.1", "filename": "bao-cao-dvc.pdf", "media_type": "application/pdf",
         "sha256": "ab" * 32}
    ]  # fmt: skip
    with pytest.raises(NotFound):
        await documents.dossier_index(repos=world.awards.repos, scope=TAM_DIEP_SCOPE, proposal_id=proposal_id)


def test_a_stored_time_without_its_zone_is_utc_and_documents_show_it_in_vietnam_time() -> None:
    vietnam = timezone(timedelta(hours=7))
    assert documents.local_time(datetime(2025, 12, 5, 1, 30)) == datetime(2025, 12, 5, 8, 30, tzinfo=vietnam)  # noqa: DTZ001
    assert documents.local_time(datetime(2025, 12, 4, 20, tzinfo=UTC)).date() == date(2025, 12, 5)
