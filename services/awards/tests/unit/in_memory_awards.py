"""The awards service in memory, for the unit tests of its use cases: its repositories and change log on an
in-memory database, its outbox relayed onto an in-process bus that calls the handlers its worker registers
(`in_memory.Awards`), the people of a commune's council, and `World`: a commune after its council, with the
chairman's decision and proposals. Nothing here opens a connection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from awards.domain.aggregates import Candidate, Decision, Proposal, Session
from awards.domain.council import SessionMember
from awards.domain.rules import Flag
from awards.service.candidates import EvaluateRequest, evaluate_list
from awards.service.counting import close
from awards.service.decisions import DecisionRequest, decide
from awards.service.intake import candidate
from awards.service.letterhead import LetterheadInput, set_letterhead
from awards.service.proposals import ProposalRequest, propose
from awards.service.sessions import SessionRequest, convene
from awards.service.standing import StandingInput, set_standing
from awards.service.voting import BallotEntry, BallotRequest, OpenRequest, cast_ballot, open_voting
from thidua_contracts.roles import Role
from thidua_contracts.scoring import CriterionScore
from thidua_contracts.submissions import SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised, submission_submitted
from thidua_platform.audit import entry
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.tenancy import Scope

from . import in_memory

TAM_DIEP = "ph-37-tam-diep"  # another commune of the same province (37)
SCOPE = Scope(tenant=LIEN_MINH, province="37")
TAM_DIEP_SCOPE = Scope(tenant=TAM_DIEP, province="37")
PROVINCE = Scope(province="37")
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province="37")
CHAIR = Principal("u-chair", "lm.chair", frozenset({Role.COMMUNE_CHAIR}), tenant=LIEN_MINH, province="37")
COUNCIL = (
    SessionMember(username="lm.chair", name="Nguyễn Văn An", role="Chủ tịch Hội đồng"),
    SessionMember(username="lm.council1", name="Trần Thị Bình", role="Phó Chủ tịch Hội đồng"),
    SessionMember(username="lm.council2", name="Lê Văn Cường"),
)

HELD_AT = datetime(2025, 12, 5, 1, tzinfo=UTC)  # the council meets at 8 o'clock, Vietnam's time
LETTERHEAD = LetterheadInput(
    issuing_body="ỦY BAN NHÂN DÂN XÃ LIÊN MINH", parent_body="TỈNH NINH BÌNH", place="Liên Minh",
    authority="UBND xã Liên Minh",
)  # fmt: skip
CRITERION = CriterionScore(
    code="1.1", theme=1, rule="ratio", inputs={"value": 95, "target": 100}, max_points=10, points=9.5,
    explanation="Tỷ lệ hồ sơ trực tuyến 95%",
)  # fmt: skip
EVIDENCE = {
    "code": "1.1", "theme": 1, "max_points": 10, "title": "Dịch vụ công trực tuyến",
    "attachments": [{"id": "f-1", "filename": "bao-cao-dvc.pdf", "media_type": "application/pdf", "size": 1200,
                     "sha256": "ab" * 32}],
}  # fmt: skip

# the commune's entrants: a village (group a), a school (group c) and a teacher (group d1)
DONG_HUNG = entrant(id="e-dong-hung", name="Thôn Đông Hưng", kind="collective", target_group="a")
SCHOOL = entrant(id="e-school", name="Trường Tiểu học Liên Minh", kind="collective", target_group="c")
TEACHER = entrant(id="e-huong", name="Nguyễn Thị Hường", kind="individual", target_group="d1")


class Awards(in_memory.Awards):
    """The service (`in_memory.Awards`: its repositories over a fresh in-memory database, its worker's handlers on its
    bus), with the steps of a commune's round these tests take."""

    async def score(
        self,
        who: EntrantRef,
        total: float,
        *,
        submission_id: str | None = None,
        version: int = 1,
        period: str = "2025",
        grade: str = "Xuất sắc",
        tenant: str = LIEN_MINH,
        criteria: Sequence[CriterionScore] = (),
    ) -> list[Envelope]:
        """A dossier's final score arrives from scoring; what awards published because of it."""
        finalised = score_finalised(
            submission_id or f"s-{who.id}-{period}",
            submission_version=version,
            period=period,
            entrant=who,
            total=total,
            grade=grade,
            criteria=tuple(criteria),
        )
        return await self.receive(envelope_of(finalised, tenant=tenant))

    async def dossier(self, submitted: SubmissionSubmitted) -> None:
        """A dossier's evidence arrives from submissions."""
        await self.receive(envelope_of(submitted))

    async def bar(self, who: EntrantRef, *flags: Flag) -> None:
        """The officer records the entrant's flags (discipline, investigation, complaint); none lifts them."""
        request = StandingInput(entrant=who, flags=flags, note="Quyết định 15/QĐ-UBND")
        await set_standing(repos=self.repos, principal=OFFICER, scope=SCOPE, request=request)

    async def candidate(self, candidate_id: str, scope: Scope = SCOPE) -> Candidate:
        found = await self.repos.candidates.get(scope, candidate_id)
        assert found is not None, candidate_id
        return found

    async def statuses(self, candidate_ids: Sequence[str]) -> list[str]:
        return [(await self.candidate(i))["status"] for i in candidate_ids]

    async def passed(self, form: str) -> list[str]:
        """The candidates the council passed for the form and not yet decided or proposed, highest total first."""
        status = "eligible_here" if form == "GIAY_KHEN_XA" else "eligible_upward"
        found = await self.repos.candidates.find(SCOPE, {"award_form": form, "status": status}, sort=("total", -1))
        return [c["_id"] for c in found]

    async def before_the_council(self) -> None:
        """The commune names itself on its documents; a school, with its dossier's evidence, and a teacher are scored
        and put on the lists of the commune's Giấy khen and of the province's Bằng khen."""
        await set_letterhead(repos=self.repos, principal=OFFICER, scope=SCOPE, request=LETTERHEAD)
        await self.dossier(submission_submitted(f"s-{SCHOOL.id}-2025", entrant=SCHOOL, criteria=[EVIDENCE]))
        await self.score(SCHOOL, 96, criteria=[CRITERION])
        await self.score(TEACHER, 92.5)
        request = EvaluateRequest(period="2025", award_form="BANG_KHEN_TINH")
        await evaluate_list(repos=self.repos, principal=OFFICER, scope=SCOPE, request=request)

    async def convene(
        self,
        *,
        period: str = "2025",
        held_at: datetime = HELD_AT,
        ballot_mode: Literal["open", "secret"] = "open",
        secretary: str | None = "lm.council2",
    ) -> Session:
        """The officer convenes the council on the period's candidates under review."""
        request = SessionRequest.model_validate(
            {
                "period": period,
                "title": f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {period}",
                "held_at": held_at,
                "location": "Hội trường UBND xã Liên Minh",
                "ballot_mode": ballot_mode,
                "members": [m.model_dump() for m in COUNCIL],
                "chair": "lm.chair",
                "secretary": secretary,
            }
        )
        return await convene(repos=self.repos, principal=OFFICER, scope=SCOPE, request=request)

    async def council(
        self,
        *,
        period: str = "2025",
        held_at: datetime = HELD_AT,
        ballot_mode: Literal["open", "secret"] = "open",
        secretary: str | None = "lm.council2",
        votes: Literal["yes", "no", "abstain"] = "yes",
    ) -> Session:
        """A council session on the period's candidates under review, every member present and voting `votes` on
        each candidate, then closed and counted."""
        session = await self.convene(period=period, held_at=held_at, ballot_mode=ballot_mode, secretary=secretary)
        present = OpenRequest(present=tuple(m.username for m in COUNCIL))
        await open_voting(repos=self.repos, principal=OFFICER, scope=SCOPE, session_id=session["_id"], request=present)
        for member in COUNCIL:
            ballot = BallotRequest(
                votes=tuple(
                    BallotEntry(candidate_id=c["candidate_id"], vote=votes)
                    for c in session["candidates"]
                    if member.username not in {r["member"] for r in c["recused"]}
                )
            )
            voter = Principal(
                f"u-{member.username}", member.username, frozenset({Role.COUNCIL_MEMBER}), LIEN_MINH, "37"
            )
            await cast_ballot(repos=self.repos, principal=voter, scope=SCOPE, session_id=session["_id"], request=ballot)
        closed = await close(repos=self.repos, principal=CHAIR, scope=SCOPE, session_id=session["_id"])
        await self.published()
        return closed

    async def decide(
        self, ids: list[str], *, number: str = "125/QĐ-UBND", form: str = "GIAY_KHEN_XA"
    ) -> tuple[Decision, bool]:
        """The chairman decides the form for the candidates; the decision, and whether it is new."""
        request = DecisionRequest.model_validate(_signed(form, ids, number, "2025"))
        return await decide(repos=self.repos, principal=CHAIR, scope=SCOPE, request=request)

    async def propose(self, ids: list[str], *, number: str, period: str = "2025") -> Proposal:
        """The chairman proposes the province's Bằng khen for the candidates."""
        request = ProposalRequest.model_validate(_signed("BANG_KHEN_TINH", ids, number, period))
        proposal, _ = await propose(repos=self.repos, principal=CHAIR, scope=SCOPE, request=request)
        return proposal


def _signed(form: str, ids: list[str], number: str, period: str) -> dict[str, object]:
    return {"award_form": form, "period": period, "number": number, "signed_on": "2025-12-10",
            "signer_name": "Phạm Văn Minh", "candidate_ids": ids}  # fmt: skip


@dataclass
class World:
    """A commune after its council: the closed session, the decision on the Giấy khen, the proposal of the Bằng khen,
    and a proposal with no council session, score or dossier behind it (as the benchmark's seeder makes them)."""

    awards: Awards
    session: Session
    decision: Decision
    proposal: Proposal
    unheard: Proposal

    @classmethod
    async def after_the_council(cls) -> World:
        """`Awards.before_the_council`, then every member votes for each candidate; the chairman decides the Giấy
        khen, proposes the Bằng khen, and proposes one more (seeded) candidate."""
        awards = Awards()
        await awards.before_the_council()
        session = await awards.council()
        decision, _ = await awards.decide(await awards.passed("GIAY_KHEN_XA"))
        proposal = await awards.propose(await awards.passed("BANG_KHEN_TINH"), number="12/TTr-UBND")
        at = datetime.now(UTC)
        score = {"entrant": DONG_HUNG.model_dump(), "submission_id": "s-unkept", "submission_version": 1,
                 "submitted_by": "u-1", "total": 97.0, "grade": "Xuất sắc"}  # fmt: skip
        by = entry("u-seed", "added", at)
        seeded = candidate(SCOPE, "2026", "BANG_KHEN_TINH", score=score, status="eligible_upward", at=at, by=by)
        assert await awards.repos.candidates.add(seeded)
        unheard = await awards.propose([seeded["_id"]], number="13/TTr-UBND", period="2026")
        await awards.published()
        return cls(awards, session, decision, proposal, unheard)
