"""A council's vote as councils hold it (awards.service.voting, awards.service.paper_ballots, awards.service.counting):
the counting committee (Ban kiểm phiếu) chosen among those present, absent members' written opinions, and a secret
vote on paper ballots whose count the committee enters; without servers (in_memory.py). The minutes say all three."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from pypdf import PdfReader

from awards.adapters.documents import check_fonts, default_font_dir
from awards.domain.aggregates import Session
from awards.service import documents
from awards.service.counting import close
from awards.service.paper_ballots import PaperCountRequest, enter_count
from awards.service.sessions import convene
from awards.service.voting import BallotRequest, OpenRequest, cast_ballot, open_voting, record_written_opinion
from thidua_contracts.roles import Role
from thidua_platform.problems import Conflict, NotFound, Unprocessable

from .in_memory import OFFICER, SCOPE, Awards, member, on_the_list, session_request

CHAIR = member("lm.chair", Role.COMMUNE_CHAIR)
COUNCIL1 = member("lm.council1")  # works for the school: recused from the school's two candidates
COUNCIL2 = member("lm.council2")


class Council:
    """A council of three (lm.chair, lm.council1, lm.council2) before the hamlet's and the school's Giấy khen and the
    school's Bằng khen."""

    def __init__(self, awards: Awards, session: Session, ids: tuple[str, str, str]) -> None:
        self.awards, self.session_id = awards, session["_id"]
        self.hamlet_gk, self.school_gk, self.school_bk = ids

    @classmethod
    async def convened(cls, **overrides: Any) -> Council:
        awards = Awards()
        ids = await on_the_list(awards)
        session = await convene(
            repos=awards.repos, principal=OFFICER, scope=SCOPE, request=session_request(**overrides)
        )
        return cls(awards, session, ids)

    async def open(self, *present: str, committee: tuple[str, ...] = ()) -> Session:
        request = OpenRequest(present=present, counting_committee=committee)
        return await open_voting(
            repos=self.awards.repos, principal=OFFICER, scope=SCOPE, session_id=self.session_id, request=request
        )

    async def written(self, username: str, votes: dict[str, str]) -> Session:
        return await record_written_opinion(
            repos=self.awards.repos, principal=OFFICER, scope=SCOPE, session_id=self.session_id, member=username,
            request=ballot(votes),
        )  # fmt: skip

    async def vote(self, username: str, votes: dict[str, str]) -> Session:
        principal = CHAIR if username == "lm.chair" else member(username)
        return await cast_ballot(
            repos=self.awards.repos, principal=principal, scope=SCOPE, session_id=self.session_id, request=ballot(votes)
        )

    async def count(self, **fields: Any) -> Session:
        request = PaperCountRequest.model_validate(fields)
        return await enter_count(
            repos=self.awards.repos, principal=OFFICER, scope=SCOPE, session_id=self.session_id, request=request
        )

    async def close(self) -> Session:
        return await close(repos=self.awards.repos, principal=OFFICER, scope=SCOPE, session_id=self.session_id)

    def every(self, vote: str) -> dict[str, str]:
        return {self.hamlet_gk: vote, self.school_gk: vote, self.school_bk: vote}

    def papers(self, *counts: tuple[int, ...], ids: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The committee's count of (yes, no, abstain), missing ones 0, on the hamlet's Giấy khen, the school's and
        its Bằng khen (or the candidates `ids`)."""
        counted = []
        for candidate_id, marks in zip(ids or (self.hamlet_gk, self.school_gk, self.school_bk), counts, strict=True):
            yes, no, abstain = (*marks, 0, 0, 0)[:3]
            counted.append({"candidate_id": candidate_id, "yes": yes, "no": no, "abstain": abstain})
        return counted


def ballot(votes: dict[str, str]) -> BallotRequest:
    return BallotRequest.model_validate({"votes": [{"candidate_id": c, "vote": v} for c, v in votes.items()]})


def results(session: Session) -> dict[str, tuple[int, int, int, bool]]:
    return {r["candidate_id"]: (r["yes"], r["no"], r["abstain"], r["passed"]) for r in session["results"]}


def field_errors(raised: pytest.ExceptionInfo[Unprocessable]) -> list[str]:
    return [e["field"] for e in raised.value.extensions["errors"]]


@pytest.fixture(scope="module")
def fonts() -> Path:
    return check_fonts(default_font_dir())


def text_of(pdf: bytes) -> str:
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    return " ".join(unicodedata.normalize("NFC", "\n".join(pages)).split())


async def test_an_absent_members_written_opinion_counts_and_a_secret_vote_keeps_no_link_to_it() -> None:
    council = await Council.convened()
    await council.open("lm.chair", "lm.council2", committee=("lm.council2", "lm.chair"))

    session = await council.written("lm.council1", {council.hamlet_gk: "yes"})  # recused from the school's two

    assert session["voters"][-1]["member"] == "lm.council1"
    assert session["voters"][-1]["in_writing"] is True
    assert session["ballots"] == []  # secret: no paper kept, only the counts
    assert session["audit"][-1]["action"] == "written_opinion_recorded"
    assert session["audit"][-1]["changes"] == {"member": "lm.council1"}
    await council.vote("lm.chair", council.every("yes"))
    await council.vote("lm.council2", {**council.every("yes"), council.hamlet_gk: "no"})
    closed = await council.close()

    # the hamlet: 2 yes of 3 members passes (> 50%) only with the written yes; without it, 1 of 3 would not
    assert results(closed)[council.hamlet_gk] == (2, 1, 0, True)
    assert closed["counting_committee"] == ["lm.council2", "lm.chair"]


async def test_a_written_opinion_is_for_an_absent_member_once_while_voting_is_open() -> None:
    council = await Council.convened()
    with pytest.raises(Conflict):  # not open yet
        await council.written("lm.council1", {council.hamlet_gk: "yes"})
    await council.open("lm.chair", "lm.council2")

    with pytest.raises(Conflict):  # a member present votes in person
        await council.written("lm.chair", council.every("yes"))
    with pytest.raises(NotFound):
        await council.written("lm.stranger", council.every("yes"))
    with pytest.raises(Unprocessable):  # recused from the school's two: not theirs to vote on
        await council.written("lm.council1", council.every("yes"))
    await council.written("lm.council1", {council.hamlet_gk: "no"})
    with pytest.raises(Conflict):
        await council.written("lm.council1", {council.hamlet_gk: "yes"})


async def test_the_counting_committee_is_chosen_among_those_present_and_a_paper_vote_needs_one() -> None:
    council = await Council.convened(counting="paper")

    with pytest.raises(Unprocessable) as absent:
        await council.open("lm.chair", "lm.council2", committee=("lm.council1",))
    assert field_errors(absent) == ["counting_committee"]
    with pytest.raises(Unprocessable) as none:
        await council.open("lm.chair", "lm.council2")
    assert field_errors(none) == ["counting_committee"]
    opened = await council.open("lm.chair", "lm.council2", committee=("lm.council2",))
    assert (opened["status"], opened["counting_committee"]) == ("voting", ["lm.council2"])


def test_paper_ballots_are_for_a_secret_vote() -> None:
    with pytest.raises(ValidationError, match="paper ballots are for a secret vote only"):
        session_request(counting="paper", ballot_mode="open")


async def test_a_paper_vote_is_counted_from_the_committees_count_which_must_add_up(fonts: Path) -> None:
    council = await Council.convened(counting="paper")
    await council.open("lm.chair", "lm.council1", "lm.council2", committee=("lm.council2", "lm.chair"))
    with pytest.raises(Conflict):  # members do not vote in the platform
        await council.vote("lm.chair", council.every("yes"))
    with pytest.raises(Conflict):  # nothing entered yet
        await council.close()

    with pytest.raises(Unprocessable) as wrong:
        await council.count(
            issued=4, returned=3, valid=3,
            candidates=council.papers((3,), (3,), (1,), ids=(council.hamlet_gk, council.school_gk, "x")),
        )  # fmt: skip
    # four papers for three present; the school's Giấy khen has one recused member present, so 2 may vote on it;
    # an unknown candidate; the school's Bằng khen not counted
    assert sorted(field_errors(wrong)) == ["candidates", "candidates.1", "candidates.2", "issued"]
    with pytest.raises(Unprocessable) as more:
        await council.count(issued=3, returned=3, valid=4, candidates=council.papers((1,), (1,), (1,)))
    assert "valid" in field_errors(more)

    first = council.papers((1, 2), (2,), (1, 1))
    await council.count(issued=3, returned=3, valid=3, candidates=first)
    corrected = await council.count(
        issued=3, returned=3, valid=2,
        candidates=council.papers((2,), (2,), (1, 1)),
    )  # fmt: skip
    assert [e["action"] for e in corrected["audit"]][-2:] == ["paper_count_entered", "paper_count_entered"]
    assert corrected["voters"] == []  # who marked which paper is not known, nor kept

    closed = await council.close()
    assert results(closed) == {
        council.hamlet_gk: (2, 0, 0, True),
        council.school_gk: (2, 0, 0, True),
        council.school_bk: (1, 1, 0, False),
    }
    with pytest.raises(Conflict):  # the count is closed
        await council.count(issued=3, returned=3, valid=3, candidates=first)
    minutes = text_of(
        await documents.minutes(repos=council.awards.repos, scope=SCOPE, session_id=council.session_id, fonts=fonts)
    )
    for expected in (
        "Hình thức biểu quyết: bỏ phiếu kín bằng phiếu giấy",
        "Ban kiểm phiếu: Lê Văn Đức (Trưởng ban); Nguyễn Văn Hưng",
        "Số phiếu phát ra: 3; số phiếu thu về: 3; số phiếu hợp lệ: 2; số phiếu không hợp lệ: 1.",
    ):
        assert expected in minutes


async def test_the_minutes_of_a_vote_in_the_platform_count_the_papers_and_name_the_written_opinions() -> None:
    council = await Council.convened()
    await council.open("lm.chair", "lm.council2", committee=("lm.chair",))
    await council.written("lm.council1", {council.hamlet_gk: "abstain"})
    await council.vote("lm.chair", council.every("yes"))
    session = await council.close()  # lm.council2, present, did not vote

    data = await documents.minutes_data(repos=council.awards.repos, session=session)

    assert data.ballot_count == (2, 1, 1)
    assert data.written_opinions == ("Trần Thị Thủy",)
    assert data.counting_committee == ("Nguyễn Văn Hưng",)
    assert data.paper is False
