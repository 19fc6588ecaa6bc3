"""The rollups' read models on the real database, against a small dataset counted by hand: two communes of Ninh
Bình and one of Quảng Ngãi; every event applied twice and in another order gives the same read models."""

from __future__ import annotations

import asyncio
import io
import random
import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from pymongo.asynchronous.database import AsyncDatabase
from pypdf import PdfReader

from rollups.domain.changes import Change
from rollups.domain.listing import listing_rows
from rollups.repository import AWARDS, SUBMISSIONS, ReadModels, partition
from rollups.service import reports, views
from rollups.service.facts import apply_event, apply_events
from rollups.service.summaries import refresh_dirty
from thidua_commons.documents.fonts import default_font_dir
from thidua_commons.documents.model import Letterhead
from thidua_contracts.awards import AwardDecided, AwardProposalDecided, AwardProposalSubmitted, AwardRecipient
from thidua_contracts.scoring import CriterionScore, IndexComputed
from thidua_contracts.submissions import ReturnReason, SubmissionReturned, SubmissionWithdrawn
from thidua_contracts.testing import entrant, envelope_of, score_finalised, submission_submitted
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.mongo import Document
from thidua_platform.problems import Forbidden, NotFound
from thidua_platform.tenancy import Scope
from thidua_platform.testing import scratch_database

LM, TM, SM = "ph-37-lien-minh", "ph-37-tam-diep", "ph-51-son-mai"
P = "2026"
STAFF_37 = Principal(user_id="u-nb", username="nb.staff", roles=frozenset({"province_staff"}), province="37")
STAFF_51 = Principal(user_id="u-qn", username="qn.staff", roles=frozenset({"province_staff"}), province="51")
OFFICER_LM = Principal(
    user_id="u-lm", username="lm.officer", roles=frozenset({"commune_officer"}), tenant=LM, province="37"
)


def _criteria(theme_points: dict[int, tuple[float, float]]) -> tuple[CriterionScore, ...]:
    return tuple(
        CriterionScore(code=f"t{t}", theme=t, rule="ratio", inputs={}, max_points=mx, points=pts, explanation="")
        for t, (pts, mx) in theme_points.items()
    )


def dataset() -> list[Envelope]:
    """Liên Minh: 4 dossiers — A 95 (Xuất sắc), B 81 (Tốt), C returned and never scored, D scored 70 then withdrawn;
    one Giấy khen to A and B, a Bằng khen proposal for A awarded by the province, another still pending; index 0.8.
    Tam Điệp: one dossier, 90. Sơn Mai (province 51): one dossier, 50."""
    a, b, c, d = (entrant(id=f"e-{x}", name=f"Thôn {x}") for x in "ABCD")
    individual = entrant(id="e-I", name="Bà Nguyễn Thị Hường", kind="individual", target_group="d1")
    events: list[Envelope] = []

    def scored(sid: str, who: Any, total: float, grade: str, tenant: str = LM, province: str = "37") -> None:
        events.append(envelope_of(submission_submitted(sid, period=P, entrant=who), tenant=tenant, province=province))
        score = score_finalised(
            sid, period=P, entrant=who, total=total, grade=grade, criteria=_criteria({1: (total - 20, 80), 2: (20, 20)})
        )
        events.append(envelope_of(score, tenant=tenant, province=province))

    scored("s-a", a, 95, "Xuất sắc")
    scored("s-b", b, 81, "Tốt")
    events.append(envelope_of(submission_submitted("s-c", period=P, entrant=c)))
    events.append(
        envelope_of(
            SubmissionReturned(
                submission_id="s-c",
                version=1,
                period=P,
                entrant=c,
                submitted_by="u-1",
                returned_by="u-2",
                reasons=(ReturnReason(reason="Thiếu"),),
            )
        )
    )
    scored("s-d", d, 70, "Khá")
    events.append(
        envelope_of(SubmissionWithdrawn(submission_id="s-d", version=1, period=P, entrant=d, withdrawn_by="u-1"))
    )
    scored("s-i", individual, 88, "Tốt")
    recipients = tuple(
        AwardRecipient(candidate_id=f"c-{x.id}", entrant=x, submitted_by="u-1") for x in (a, b, individual)
    )
    events.append(
        envelope_of(
            AwardDecided(
                decision_id="d-1",
                award_form="GIAY_KHEN_XA",
                period=P,
                round="yearly",
                level="commune",
                number="15/QĐ-UBND",
                signed_on=date(2026, 12, 10),
                issuer="Chủ tịch UBND xã",
                recipients=recipients,
            )
        )
    )
    upward = (AwardRecipient(candidate_id="c-up-A", entrant=a),)
    for pid in ("p-1", "p-2"):
        events.append(
            envelope_of(
                AwardProposalSubmitted(
                    proposal_id=pid,
                    award_form="BANG_KHEN_TINH",
                    period=P,
                    number=f"{pid}/TTr",
                    recipients=upward,
                    proposed_by="lm.chair",
                )
            )
        )
    events.append(
        envelope_of(
            AwardProposalDecided(
                proposal_id="p-1",
                award_form="BANG_KHEN_TINH",
                period=P,
                level="province",
                outcome="awarded",
                recipients=upward,
                decided_by="nb.staff",
                number="9/QĐ-UBND",
            )
        )
    )
    events.append(
        envelope_of(
            AwardDecided(
                decision_id="d-p1",
                award_form="BANG_KHEN_TINH",
                period=P,
                round="yearly",
                level="province",
                number="9/QĐ-UBND",
                signed_on=date(2026, 12, 20),
                issuer="Chủ tịch UBND tỉnh",
                recipients=upward,
                proposal_id="p-1",
            )
        )
    )
    events.append(
        envelope_of(
            IndexComputed(
                period=P,
                digital_government=0.7,
                digital_economy=0.8,
                digital_society=0.9,
                overall=0.8,
                indicators=12,
            )
        )
    )
    scored("s-t", entrant(id="e-T", name="Thôn Tam Điệp"), 90, "Xuất sắc", tenant=TM)
    scored("s-s", entrant(id="e-S", name="Thôn Sơn Mai"), 50, "Đạt", tenant=SM, province="51")
    return events


@pytest.fixture
async def database() -> AsyncIterator[AsyncDatabase[Document]]:
    async with scratch_database() as database:
        yield database


async def load(database: AsyncDatabase[Document], events: list[Envelope], *, batch: int = 1) -> ReadModels:
    """Apply the events one by one (as after a failed batch) or in batches (as the worker polls them)."""
    models = ReadModels(database)
    at = datetime(2026, 12, 31, tzinfo=UTC)
    for start in range(0, len(events), batch):
        if batch == 1:
            await apply_event(models=models, envelope=events[start], now=at)
        else:
            await apply_events(models=models, envelopes=events[start : start + batch], now=at)
    while await refresh_dirty(models=models):
        pass
    return models


async def snapshot(models: ReadModels) -> dict[str, list[Document]]:
    """Every read model, without the moment it was computed."""
    out: dict[str, list[Document]] = {}
    for name in await models.read_model_names():
        rows = [doc async for doc in models[name].find({}, {"refreshed_at": 0}).sort("_id", 1)]
        out[name] = rows
    return out


async def test_figures_match_the_hand_count(database: AsyncDatabase[Document]) -> None:
    models = await load(database, dataset())
    mine = await views.commune(models=models, principal=OFFICER_LM, tenant=LM, period=P)
    # scored and not withdrawn: A 95, B 81, I 88 → mean 88.0; D (70) was withdrawn, C never scored
    assert (mine["scored"], mine["average_score"]) == (3, 88.0)
    assert mine["grades"] == {"Tốt": 2, "Xuất sắc": 1}
    assert mine["bands"] == {"80": 2, "90": 1}
    assert mine["groups"] == {
        "a": {"scored": 2, "points": 176.0, "average_score": 88.0},
        "d1": {"scored": 1, "points": 88.0, "average_score": 88.0},
    }
    assert mine["themes"]["2"] == {
        "scored": 3,
        "points": 60.0,
        "max_sum": 60.0,
        "average_points": 20.0,
        "max_points": 20.0,
    }
    assert mine["themes"]["1"]["average_points"] == 68.0  # (75 + 61 + 68) / 3
    # three Giấy khen (2 collectives, 1 individual), one Bằng khen at the province
    assert mine["awards"] == {
        "total": 4,
        "by_form": {"BANG_KHEN_TINH": 1, "GIAY_KHEN_XA": 3},
        "by_level": {"commune": 3, "province": 1},
        "by_kind": {"collective": 3, "individual": 1},
        "ad_hoc": 0,
    }
    assert (mine["proposals"], mine["pending_upward"]) == ({"awarded": 1, "submitted": 1}, 1)
    assert mine["index"] == {"overall": 0.8, "digital_government": 0.7, "digital_economy": 0.8, "digital_society": 0.9}
    assert mine["in_progress"] == {
        "submitted": 4,  # A, B, C, I (D withdrawn)
        "returned": 1,
        "withdrawn": 1,
        "awaiting_score": 1,
        "candidates": 0,
    }

    province = await views.province(models=models, principal=STAFF_37, code="37", period=P, skip=0, limit=50)
    assert [(r["commune"], r["rank"], r["average_score"]) for r in province["communes"]] == [
        (TM, 1, 90.0),
        (LM, 2, 88.0),
    ]
    # one commune's figures rank it as the province's table does, from the others' scores alone
    for row in province["communes"]:
        alone = await views.commune(models=models, principal=STAFF_37, tenant=row["commune"], period=P)
        assert (alone["rank"], alone["index_rank"], alone["scored"]) == (row["rank"], row["index_rank"], row["scored"])
    all_periods = await views.commune(models=models, principal=STAFF_37, tenant=LM, period=None)
    ranked_all = await views.province(models=models, principal=STAFF_37, code="37", period=None, skip=0, limit=50)
    assert all_periods["rank"] == next(r["rank"] for r in ranked_all["communes"] if r["commune"] == LM)
    assert all(r["in_progress"] is None for r in province["communes"])  # finalised work only
    assert (province["totals"]["scored"], province["totals"]["average_score"]) == (4, 88.5)  # (95+81+88+90)/4
    assert province["totals"]["awards"]["total"] == 4
    assert province["totals"]["in_progress"] is None
    assert province["total"] == 2
    page_two = await views.province(
        models=models, principal=STAFF_37, code="37", period=P, skip=1, limit=1
    )  # ranked over all, a page of one
    assert [(r["commune"], r["rank"]) for r in page_two["communes"]] == [(LM, 2)]
    assert page_two["total"] == 2
    assert page_two["totals"] == province["totals"]  # the province's totals whatever the page

    entrants, total = await views.entrants(models=models, principal=STAFF_37, tenant=LM, period=P, skip=0, limit=50)
    assert [(e["entrant_name"], e["total"], e["status"]) for e in entrants] == [  # the best final score first
        ("Thôn A", 95.0, None),
        ("Bà Nguyễn Thị Hường", 88.0, None),
        ("Thôn B", 81.0, None),
    ]
    assert total == 3
    assert {a["award_form"] for a in entrants[0]["awards"]} == {"GIAY_KHEN_XA", "BANG_KHEN_TINH"}
    second, total = await views.entrants(
        models=models, principal=STAFF_37, tenant=LM, period=P, skip=1, limit=1
    )  # page 2 of one
    assert [e["entrant_name"] for e in second] == ["Bà Nguyễn Thị Hường"]
    assert total == 3
    officer_view, total = await views.entrants(
        models=models, principal=OFFICER_LM, tenant=LM, period=P, skip=0, limit=50
    )
    assert {e["entrant_name"]: e["status"] for e in officer_view}["Thôn C"] == "returned"
    assert total == len(officer_view) > 3  # in-progress work too, after the scored entrants
    scored = [e["total"] is not None for e in officer_view]
    assert scored == sorted(scored, reverse=True), officer_view

    # a period's pages come from its listing, written with the summary: the same rows, in the same order, as folding
    # the period's facts (what a page of all periods still does)
    folded, folded_total = await models.entrants(Scope(tenant=LM, province="37"), period=P, scored_only=False, skip=0,
                                                 limit=50)  # fmt: skip
    assert [f["_id"] for f in folded] == [e["submission_id"] for e in officer_view]
    assert folded_total == total
    every_period, _ = await views.entrants(
        models=models, principal=OFFICER_LM, tenant=LM, period=None, skip=0, limit=50
    )
    assert [e["submission_id"] for e in every_period] == [e["submission_id"] for e in officer_view]
    # recomputed with nothing new, the listing writes no row
    submissions = await models.facts_of(SUBMISSIONS, LM, "37", P)
    awards = await models.facts_of(AWARDS, LM, "37", P)
    assert await models.save_listing(LM, P, listing_rows(LM, "37", P, submissions, awards)) == 0


async def test_another_province_sees_nothing(database: AsyncDatabase[Document]) -> None:
    models = await load(database, dataset())
    with pytest.raises(Forbidden):
        await views.province(models=models, principal=STAFF_51, code="37", period=P, skip=0, limit=50)
    with pytest.raises(NotFound):
        await views.commune(models=models, principal=STAFF_51, tenant=LM, period=P)
    theirs = await views.province(models=models, principal=STAFF_51, code="51", period=P, skip=0, limit=50)
    assert [r["commune"] for r in theirs["communes"]] == [SM]


async def test_duplicated_and_reordered_events_give_identical_read_models(database: AsyncDatabase[Document]) -> None:
    events = dataset()
    once = await snapshot(await load(database, events))
    shuffled = events + events  # every event twice
    random.Random(7).shuffle(shuffled)  # noqa: S311 (an order, not a secret)
    # a shuffle may put an event before the one it follows within its submission; version guards keep the latest,
    # so the same facts result whatever the order
    async with scratch_database() as other:
        again = await snapshot(await load(other, shuffled))
    assert again == once


@pytest.mark.parametrize("batch", [3, 7, 500])
async def test_batches_give_the_same_read_models_as_one_by_one(database: AsyncDatabase[Document], batch: int) -> None:
    events = dataset()
    once = await snapshot(await load(database, events))
    shuffled = events + events
    random.Random(batch).shuffle(shuffled)  # noqa: S311 (an order, not a secret)
    # within a batch the same fact is changed several times in memory (submitted, scored, returned, resubmitted,
    # candidate, duplicates, older versions after newer ones) and written once
    async with scratch_database() as other:
        again = await snapshot(await load(other, shuffled, batch=batch))
    assert again == once


async def test_writers_racing_with_the_same_and_with_stale_changes_leave_the_latest(
    database: AsyncDatabase[Document],
) -> None:
    models = ReadModels(database)
    facts = partition(SUBMISSIONS, LM, P)
    where = {"tenant": LM, "province": "37", "period": P}
    batch = [
        Change(facts, f"s-{i}", {**where, "status": "submitted", "submitted": 1}, "status_rank", 10) for i in range(300)
    ]
    newer = [Change(facts, f"s-{i}", {**where, "status": "returned"}, "status_rank", 11) for i in range(0, 300, 3)]
    candidates = [Change(facts, f"s-{i}", {**where, "candidate": 1}) for i in range(0, 300, 5)]
    # two workers (a rebalance) write overlapping batches at once; a redelivery repeats one
    await asyncio.gather(
        models.apply_changes(batch + newer),
        models.apply_changes(candidates + batch),
        models.apply_changes(batch[100:]),
    )
    await models.apply_changes(batch)  # an old event replayed after the newer one: changes nothing
    scope = Scope(tenant=LM, province="37")
    found = {fact["_id"]: fact for fact in await models.find_all(SUBMISSIONS, scope, period=P)}
    assert len(found) == 300
    assert sum(f["status"] == "returned" for f in found.values()) == 100
    assert all(f["status_rank"] == (11 if i % 3 == 0 else 10) for i, f in ((int(k[2:]), f) for k, f in found.items()))
    assert sum(f.get("candidate") == 1 for f in found.values()) == 60
    assert await models[facts].count_documents({}) == 300 + 100 + 60  # each change stored once


async def test_the_province_report_opens_with_its_tables_and_text(database: AsyncDatabase[Document]) -> None:
    models = await load(database, dataset())
    job = await reports.request(
        models=models, principal=STAFF_37, kind="province", code="37", period=P, letterhead=None
    )
    await reports.generate(models=models, job=job, fonts=default_font_dir())
    done = await reports.job_of(models=models, principal=STAFF_37, job_id=job["_id"])
    assert (done["status"], done["progress"], done["error"]) == ("ready", 100, None)

    book = load_workbook(
        io.BytesIO(await reports.file_of(models=models, principal=STAFF_37, job_id=job["_id"], extension="xlsx"))
    )
    assert book.sheetnames == ["Tổng hợp", "0601.N", "0602.N", "0603.N", "TH", "Điển hình"]
    province_awards = book["0603.N"]
    rows = [[c.value for c in row] for row in province_awards.iter_rows(min_row=5)]
    # Bằng khen tỉnh: 1 collective (Thôn A); Giấy khen xã: 2 collectives and 1 individual (group d1); total 4
    assert rows[1][1:5] == ["Bằng khen của Chủ tịch UBND tỉnh", 1, 1, 0]
    assert rows[2][1:5] == ["Giấy khen của Chủ tịch UBND xã (bổ sung)", 3, 2, 1]
    assert rows[-1][1:3] == ["Tổng cộng", 4]
    assert rows[-1][8] == 1  # d1
    movement = [c.value for c in book["0601.N"][5]]
    # finalised work only (the province made it): A, B, T collectives and I; C (returned) and D (withdrawn) not
    assert movement[1] == "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"
    assert movement[5:8] == [3, 1, 4]
    ranking = [[c.value for c in row] for row in book["TH"].iter_rows(min_row=5)]
    assert [(r[1], r[2], r[8], r[9]) for r in ranking] == [(TM, 1, 90, 1), (LM, 3, 88, 2)]

    pdf = PdfReader(
        io.BytesIO(await reports.file_of(models=models, principal=STAFF_37, job_id=job["_id"], extension="pdf"))
    )
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() or "" for p in pdf.pages))
    text = " ".join(text.split())
    for expected in ("BÁO CÁO", "TÌNH HÌNH CHUNG", "KẾT QUẢ TRIỂN KHAI", "ĐÁNH GIÁ CHUNG", "KIẾN NGHỊ", "PHỤ LỤC"):
        assert expected in text, expected
    assert "4 hồ sơ thi đua đã được chấm điểm, điểm bình quân 88,5/100" in text
    assert "Tổng số 4 lượt khen thưởng" in text
    assert "Thôn A" in text

    # another province's staff can neither read the job nor make a report of this province
    with pytest.raises(NotFound):
        await reports.job_of(models=models, principal=STAFF_51, job_id=job["_id"])
    with pytest.raises(Forbidden):
        await reports.request(models=models, principal=STAFF_51, kind="province", code="37", period=P, letterhead=None)
    # the commune's own report leaves the other commune out
    mine = await reports.request(
        models=models, principal=OFFICER_LM, kind="commune", code=LM, period=P, letterhead=None
    )
    await reports.generate(models=models, job=mine, fonts=default_font_dir())
    commune_book = load_workbook(
        io.BytesIO(await reports.file_of(models=models, principal=OFFICER_LM, job_id=mine["_id"], extension="xlsx"))
    )
    assert [r[1].value for r in commune_book["TH"].iter_rows(min_row=5)] == [LM]
    with pytest.raises(NotFound):
        await reports.job_of(
            models=models, principal=OFFICER_LM, job_id=job["_id"]
        )  # the province's report is not the commune's


async def test_text_in_a_workbook_is_never_a_formula_and_role_models_are_each_once(
    database: AsyncDatabase[Document],
) -> None:
    events = dataset()
    sneaky = entrant(id="e-X", name='=HYPERLINK("http://evil.example","Thôn X")')
    events.append(envelope_of(submission_submitted("s-x", period=P, entrant=sneaky)))
    events.append(envelope_of(score_finalised("s-x", period=P, entrant=sneaky, total=99, grade="Xuất sắc")))
    models = await load(database, events)
    letterhead = Letterhead(issuing_body="=1+1", parent_body="", place="Liên Minh")
    job = await reports.request(
        models=models, principal=OFFICER_LM, kind="commune", code=LM, period=P, letterhead=letterhead
    )
    await reports.generate(models=models, job=job, fonts=default_font_dir())
    book = load_workbook(
        io.BytesIO(await reports.file_of(models=models, principal=OFFICER_LM, job_id=job["_id"], extension="xlsx"))
    )
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # nothing a spreadsheet would run
    assert any(c.value == "=1+1" for c in cells)
    models_sheet = [row[1].value for row in book["Điển hình"].iter_rows(min_row=5)]
    assert models_sheet[0] == '=HYPERLINK("http://evil.example","Thôn X")'
    assert len(models_sheet) == len(set(models_sheet))  # each entrant once, graded Tốt or better
    assert "Thôn B" in models_sheet
    assert "Thôn C" not in models_sheet


async def test_province_staff_report_on_their_communes_only_and_finalised_work_only(
    database: AsyncDatabase[Document],
) -> None:
    models = await load(database, dataset())
    with pytest.raises(NotFound):  # a commune of another province, or one without figures
        await reports.request(models=models, principal=STAFF_37, kind="commune", code=SM, period=P, letterhead=None)
    with pytest.raises(NotFound):
        await reports.request(
            models=models, principal=STAFF_37, kind="commune", code="ph-37-khong-co", period=P, letterhead=None
        )
    with pytest.raises(NotFound):
        await views.entrants(models=models, principal=STAFF_51, tenant=LM, period=P, skip=0, limit=50)
    job = await reports.request(models=models, principal=STAFF_37, kind="commune", code=LM, period=P, letterhead=None)
    await reports.generate(models=models, job=job, fonts=default_font_dir())
    book = load_workbook(
        io.BytesIO(await reports.file_of(models=models, principal=STAFF_37, job_id=job["_id"], extension="xlsx"))
    )
    taking_part = [c.value for c in book["0601.N"][5]]
    assert taking_part[5:8] == [2, 1, 3]  # A, B and I were scored; C (returned) and D (withdrawn) are not counted
