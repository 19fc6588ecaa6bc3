"""Ad-hoc awards (khen thưởng đột xuất, docs/adr/0026) through their own use cases on the in-memory database: proposed
by the officer with the achievement and its evidence, put before an ad-hoc council session, passed by the count,
decided by the chairman (or proposed upward), flagged in the history; the bars, bad input and another commune's
entrant refused."""

from __future__ import annotations

import io
import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import ValidationError
from pypdf import PdfReader

from awards.adapters.documents import check_fonts, default_font_dir
from awards.api import candidates
from awards.api.deps import repositories
from awards.domain.aggregates import Candidate, Session
from awards.service import documents
from awards.service.ad_hoc import AdHocRequest, propose_ad_hoc
from awards.service.counting import close
from awards.service.outcomes import OutcomeRequest, record_outcome
from awards.service.sessions import SessionRequest, convene
from awards.service.voting import BallotEntry, BallotRequest, OpenRequest, cast_ballot, open_voting
from thidua_contracts.awards import AwardDecided
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH, entrant
from thidua_platform.auth import Principal
from thidua_platform.problems import NotFound, Unprocessable, install_problem_handlers
from thidua_platform.web import current_principal

from .in_memory_awards import (
    CHAIR,
    COUNCIL,
    HELD_AT,
    OFFICER,
    PROVINCE,
    SCHOOL,
    SCOPE,
    TAM_DIEP,
    TEACHER,
    Awards,
)

STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province="37")
ACHIEVEMENT = "Hướng dẫn 320 người dân cài đặt và kích hoạt định danh điện tử VNeID mức 2 trong 10 ngày"
TEAM = {"name": "Tổ công nghệ số cộng đồng thôn Bắc Sơn", "kind": "collective", "target_group": "a"}
EVIDENCE = [{"title": "Báo cáo của Công an xã", "reference": "Số 45/BC-CAX ngày 20/9/2025"}]


def ad_hoc(**overrides: Any) -> AdHocRequest:
    fields: dict[str, Any] = {
        "entrant": TEAM,
        "award_form": "GIAY_KHEN_XA",
        "achievement": ACHIEVEMENT,
        "achieved_on": "2025-09-15",
        "evidence": EVIDENCE,
    }
    return AdHocRequest.model_validate(fields | overrides)


async def proposed(awards: Awards, request: AdHocRequest) -> Candidate:
    candidate, created = await propose_ad_hoc(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)
    assert created
    return candidate


async def ad_hoc_council(awards: Awards, *, period: str = "2025") -> Session:
    """The officer convenes an ad-hoc session; every member present votes yes; the chairman closes it."""
    request = SessionRequest.model_validate(
        {
            "period": period,
            "title": "Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng đột xuất",
            "held_at": HELD_AT,
            "location": "Hội trường UBND xã Liên Minh",
            "members": [m.model_dump() for m in COUNCIL],
            "chair": "lm.chair",
            "secretary": "lm.council2",
            "ad_hoc": True,
        }
    )
    session = await convene(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)
    present = OpenRequest(present=tuple(m.username for m in COUNCIL))
    await open_voting(repos=awards.repos, principal=OFFICER, scope=SCOPE, session_id=session["_id"], request=present)
    for member in COUNCIL:
        ballot = BallotRequest(
            votes=tuple(
                BallotEntry(candidate_id=c["candidate_id"], vote="yes")
                for c in session["candidates"]
                if member.username not in {r["member"] for r in c["recused"]}
            )
        )
        voter = Principal(f"u-{member.username}", member.username, frozenset({Role.COUNCIL_MEMBER}), LIEN_MINH, "37")
        await cast_ballot(repos=awards.repos, principal=voter, scope=SCOPE, session_id=session["_id"], request=ballot)
    closed = await close(repos=awards.repos, principal=CHAIR, scope=SCOPE, session_id=session["_id"])
    await awards.published()
    return closed


def text_of(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(unicodedata.normalize("NFC", "\n".join(pages)).split())


@pytest.fixture(scope="module")
def fonts() -> Path:
    return check_fonts(default_font_dir())


async def test_an_ad_hoc_award_goes_from_the_officer_to_the_chairmans_decision_and_the_history(fonts: Path) -> None:
    awards = Awards()
    await awards.before_the_council()  # the year's round: the school and the teacher scored, on the lists
    team = await proposed(awards, ad_hoc(achievement=unicodedata.normalize("NFD", ACHIEVEMENT)))
    assert team["round"] == "ad_hoc"
    assert team["period"] == "2025"
    assert team["status"] == "under_review"
    assert team["total"] is None
    assert team["submission_id"] is None
    assert team["ad_hoc"]["achievement"] == ACHIEVEMENT  # stored NFC
    assert team["ad_hoc"]["evidence"] == EVIDENCE
    assert team["ad_hoc"]["proposed_by"] == OFFICER.user_id
    again, created = await propose_ad_hoc(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=ad_hoc())
    assert not created
    assert again["_id"] == team["_id"]

    session = await ad_hoc_council(awards)
    assert session["round"] == "ad_hoc"
    assert [c["candidate_id"] for c in session["candidates"]] == [team["_id"]]  # the round's candidates stay out
    assert session["candidates"][0]["achievement"] == ACHIEVEMENT
    assert (await awards.candidate(team["_id"]))["status"] == "eligible_here"
    round_session = await awards.council()  # the year's session seats the round's candidates, not the ad-hoc one
    assert team["_id"] not in {c["candidate_id"] for c in round_session["candidates"]}

    decision, _ = await awards.decide([team["_id"]], number="130/QĐ-UBND")
    assert decision["round"] == "ad_hoc"
    assert decision["recipients"][0]["achievement"] == ACHIEVEMENT
    [decided] = [e.payload(AwardDecided) for e in await awards.published() if e.type.endswith("award.decided.v1")]
    assert decided.ad_hoc is True
    assert (decided.round, decided.period) == ("yearly", "2025")  # the year's round, for consumers that know no flag
    assert (await awards.candidate(team["_id"]))["status"] == "awarded"
    [entry] = await awards.repos.history.of_entrants(SCOPE, [team["entrant"]["id"]])
    assert entry["ad_hoc"] is True
    assert entry["achievement"] == ACHIEVEMENT
    assert entry["round"] == "ad_hoc"
    assert entry["decision"]["number"] == "130/QĐ-UBND"

    minutes = text_of(await documents.minutes(repos=awards.repos, scope=SCOPE, session_id=session["_id"], fonts=fonts))
    assert "Thành tích đột xuất" in minutes
    assert "VNeID" in minutes
    text = text_of(await documents.decision(repos=awards.repos, scope=SCOPE, decision_id=decision["_id"], fonts=fonts))
    assert "Về việc tặng Giấy khen của Chủ tịch UBND xã cho tập thể, cá nhân có thành tích xuất sắc đột xuất" in text
    assert "đã có thành tích xuất sắc đột xuất trong" in text
    assert "năm 2025: Hướng dẫn 320 người dân" in text
    assert "điểm, xếp loại" not in text


async def test_a_known_entrant_holds_its_ad_hoc_award_beside_the_rounds_one(fonts: Path) -> None:
    awards = Awards()
    await awards.before_the_council()
    school = await proposed(awards, ad_hoc(entrant=None, entrant_id=SCHOOL.id, award_form="BANG_KHEN_TINH"))
    assert school["entrant"] == SCHOOL.model_dump()  # as its scores name it
    await awards.council()  # the round's session: the ad-hoc candidate stays under review
    round_ids = await awards.passed("BANG_KHEN_TINH")
    assert round_ids
    assert school["_id"] not in round_ids
    await ad_hoc_council(awards)
    assert (await awards.candidate(school["_id"]))["status"] == "eligible_upward"
    with pytest.raises(Unprocessable) as mixed:  # an ad-hoc award and a round's award: two documents
        await awards.propose([school["_id"], round_ids[0]], number="14/TTr-UBND")
    assert mixed.value.extensions["errors"] == [
        {"field": "candidate_ids", "message": f"{school['_id']}: khen thưởng đột xuất / ad-hoc"}
    ]
    await awards.propose(round_ids, number="12/TTr-UBND")
    proposal = await awards.propose([school["_id"]], number="15/TTr-UBND")
    assert proposal["round"] == "ad_hoc"

    letter = await documents.proposal_document(
        repos=awards.repos, scope=PROVINCE, proposal_id=proposal["_id"], kind="to-trinh", candidate_id=None,
        fonts=fonts,
    )  # fmt: skip
    assert "thành tích xuất sắc đột xuất" in text_of(letter)
    report = text_of(
        await documents.proposal_document(
            repos=awards.repos,
            scope=PROVINCE,
            proposal_id=proposal["_id"],
            kind="bao-cao-thanh-tich",
            candidate_id=school["_id"],
            fonts=fonts,
        )
    )
    assert "BÁO CÁO THÀNH TÍCH ĐỘT XUẤT" in report
    assert "VNeID" in report
    assert "Số 45/BC-CAX" in report
    assert "Tổng điểm" not in report
    index = await documents.dossier_index(repos=awards.repos, scope=PROVINCE, proposal_id=proposal["_id"])
    assert index["evidence"] == []  # no dossier: its evidence is in its achievement report

    awarded = OutcomeRequest(outcome="awarded", number="501/QĐ-UBND", signed_on=date(2026, 1, 5), issuer="Chủ tịch")
    await record_outcome(
        repos=awards.repos, principal=STAFF, scope=PROVINCE, proposal_id=proposal["_id"], request=awarded
    )
    await awards.published()
    entries = await awards.repos.history.of_entrants(SCOPE, [SCHOOL.id])
    ad_hoc_entries = [e for e in entries if e.get("ad_hoc")]
    assert [(e["award_form"], e["level"], e["period"]) for e in ad_hoc_entries] == [
        ("BANG_KHEN_TINH", "province", "2025")
    ]
    assert ad_hoc_entries[0]["achievement"] == ACHIEVEMENT


async def test_an_entrant_under_a_bar_is_refused_naming_why() -> None:
    awards = Awards()
    await awards.before_the_council()
    await awards.bar(SCHOOL, "discipline")
    with pytest.raises(Unprocessable) as refused:
        await propose_ad_hoc(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, request=ad_hoc(entrant=None, entrant_id=SCHOOL.id)
        )
    assert "kỷ luật" in refused.value.detail
    assert refused.value.extensions["errors"][0]["field"] == "entrant_id"

    teacher = await proposed(awards, ad_hoc(entrant=None, entrant_id=TEACHER.id))
    await awards.bar(TEACHER, "investigation")  # barred once proposed: kept out of the session
    with pytest.raises(Unprocessable) as nobody:
        await ad_hoc_council(awards)
    assert nobody.value.extensions["errors"][0]["field"] == "ad_hoc"
    assert (await awards.candidate(teacher["_id"]))["status"] == "under_review"


async def test_another_communes_entrant_is_refused_as_an_unknown_one() -> None:
    awards = Awards()
    theirs = entrant(id="e-tam-diep-school", name="Trường Tiểu học Tam Điệp", kind="collective", target_group="c")
    await awards.score(theirs, 95, tenant=TAM_DIEP)
    for request, field in (
        (ad_hoc(entrant=None, entrant_id=theirs.id), "entrant_id"),
        (ad_hoc(entrant=None, entrant_id="e-nobody"), "entrant_id"),
        (ad_hoc(entrant={**TEAM, "kind": "individual", "target_group": "d2", "unit_id": theirs.id}), "entrant.unit_id"),
    ):
        with pytest.raises(NotFound) as refused:
            await propose_ad_hoc(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)
        assert refused.value.extensions["errors"][0]["field"] == field
    assert await awards.repos.candidates.find(SCOPE, {}) == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"achievement": "  "}, "achievement"),
        ({"achievement": "Thành tích\x00"}, "achievement"),
        ({"achieved_on": (datetime.now(UTC).date() + timedelta(days=2)).isoformat()}, "achieved_on"),
        ({"achieved_on": "2024-12-31"}, "achieved_on"),
        ({"achieved_on": 1757894400}, "achieved_on"),
        ({"award_form": "CO_THI_DUA_TINH"}, "award_form"),
        ({"award_form": "HUY_CHUONG"}, "award_form"),
        ({"entrant": {**TEAM, "target_group": "d1"}}, "entrant"),
        ({"entrant_id": SCHOOL.id}, "entrant"),  # both an id and a named entrant
        ({"entrant": None}, "entrant"),  # neither
        ({"entrant_id": "x" * 101, "entrant": None}, "entrant_id"),
        ({"evidence": [{"title": ""}]}, "evidence"),
    ],
)
def test_bad_input_is_refused_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        ad_hoc(**overrides)
    locations = [error["loc"] for error in refused.value.errors()]
    assert any(loc and loc[0] == field for loc in locations), locations


def test_the_route_answers_201_then_200_and_refuses_bad_input_and_other_roles_naming_the_field() -> None:
    awards = Awards()
    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(candidates.router)
    principal = {"who": OFFICER}
    app.dependency_overrides = {current_principal: lambda: principal["who"], repositories: lambda: awards.repos}
    client = TestClient(app, raise_server_exceptions=False)
    body = {"entrant": TEAM, "award_form": "GIAY_KHEN_XA", "achievement": ACHIEVEMENT, "achieved_on": "2025-09-15"}

    created = client.post("/candidates/ad-hoc", json=body)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == f"/candidates/{created.json()['id']}"
    assert created.json()["ad_hoc"]["achievement"] == ACHIEVEMENT
    assert created.json()["total"] is None
    again = client.post("/candidates/ad-hoc", json=body)
    assert (again.status_code, again.json()["id"]) == (200, created.json()["id"])
    blank = client.post("/candidates/ad-hoc", json=body | {"achievement": " "})
    assert blank.status_code == 422
    assert [e["field"] for e in blank.json()["errors"]] == ["achievement"]
    principal["who"] = CHAIR
    assert client.post("/candidates/ad-hoc", json=body).status_code == 403
