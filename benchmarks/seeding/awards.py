"""The awards service's documents for the benchmark's province, as its worker and use cases would have left them
after the plan's history (see plan.py):

- what the worker keeps from other services' events: the evidence of every dossier that was ever submitted
  (`dossiers`, from submission.submitted / resubmitted) and the final score of every finally scored one (`scores`,
  from score.finalised), with the Giấy khen candidacy such a score brings when it meets the rule (intake);
- per commune and period, the officer's evaluation of the Giấy khen and Bằng khen lists by the province's rules
  (quota, minimum score), then the officer's review: the plan's awardees kept (or put back, when a tie at the quota
  left them out), every other candidate still under review taken off with a reason;
- one council session per commune and period with candidates: convened, voting opened with every member present,
  one ballot per member, closed and counted, each candidate settled with the council's result;
- the chairman's decision for the Giấy khen, the proposal (tờ trình) for the Bằng khen with the province's answer,
  and the history entry each award leaves.

The province's rules are read, never written (the demo's, or the defaults); the catalogue is code. A commune that
exists only in the benchmark gets its letterhead (the officer sets it once); a demo commune keeps its own, or none.

Documents carry `revision`, `applied_changes` and `audit` the way ChangeLog and the use cases write them: one audit
entry per revision; an insert that causes an event records its change's nonce, an insert without one records none,
every later update records one. Nonces and the ids the service draws at random (a session's) are derived from the
plan, so that a second run builds the same documents and inserts nothing.

Documents per dossier (about 2.3 for the plan's mix): 1 `dossiers` per submitted dossier (0.95), 1 `scores` per
final one (0.75); a candidate per form whose rule a final score meets (0.34); 1 `history` per award (0.13); per
commune and period 1 session, 1 decision, 1 proposal at most, 2 showcase items (its first units awarded); per
benchmark-only commune 1 letterhead.
"""

from __future__ import annotations

import asyncio
import functools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from pymongo import AsyncMongoClient

from awards.domain.aggregates import HistoryEntry
from awards.domain.catalogue import FORMS, Track, period_label, round_of
from awards.domain.council import DEFAULT_QUORUM_SHARE, SessionMember, quorum_required, recusals, tally
from awards.domain.lifecycle import OPEN_TO_REVIEW
from awards.domain.rules import AwardRule, Scored, Verdict, evaluate, rule_for
from awards.repository import (
    CANDIDATES,
    DECISIONS,
    DOSSIERS,
    HISTORY,
    LETTERHEADS,
    PROPOSALS,
    SCORES,
    SESSIONS,
    SHOWCASE,
    Repositories,
    repositories,
)
from awards.service.acts import recipient_rows
from awards.service.common import candidate_id
from awards.service.decisions import DecisionRequest
from awards.service.intake import candidate, new_candidate
from awards.service.letterhead import LetterheadInput, letterhead_of
from awards.service.outcomes import OutcomeRequest
from awards.service.proposals import ProposalRequest
from awards.service.province_rules import effective_rules
from awards.service.sessions import SessionRequest
from awards.service.showcase import new_entry
from awards.service.standing import history_entry
from benchmarks.seeding.plan import (
    LARGE,
    PERIODS,
    PROVINCE,
    PROVINCE_NAME,
    SMALL,
    CommunePlan,
    Dossier,
    Entrant,
    ProvincePlan,
)
from benchmarks.seeding.submissions import OFFICER, _evidence
from benchmarks.seeding.writer import delete_ids, insert_all
from scoring.domain.assessment import assessed
from scoring.domain.rules import score_criterion
from submissions.domain.defaults import default_criteria_set
from submissions.service.criteria_sets import evidence_of
from thidua_contracts.awards import AwardLevel
from thidua_contracts.scoring import ScoreFinalised
from thidua_contracts.submissions import CriterionEvidence, SubmissionResubmitted, SubmissionSubmitted
from thidua_contracts.terms import EntrantRef
from thidua_platform.audit import entry, from_event
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document
from thidua_platform.tenancy import Scope

DATABASE = "thidua_awards"
GIAY_KHEN = "GIAY_KHEN_XA"
BANG_KHEN = "BANG_KHEN_TINH"
EVALUATED_FORMS = (GIAY_KHEN, BANG_KHEN)  # the officer evaluates the lists the plan awards from
TRACK: Track = "thematic"  # every award of this movement (apply_award)
CHAIR = "u-bench-chair"  # the commune chairman's user id, as the submissions seeder names its officer
PROVINCE_STAFF = "u-bench-province-staff"  # who records the province's answers (nb.staff's role)
PROVINCE_ISSUER = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"
REVIEWERS = 2  # the default scoring policy's reviewers per dossier: each assessment is the mean of two
# The worker records an event a moment after it was published; scoring finalises a month after the last version.
RECORDED_AFTER = timedelta(seconds=2)
FINALISED_AFTER = timedelta(days=30)
LETTERHEAD_SET_AT = datetime(2025, 1, 20, 2, 0, tzinfo=UTC)
COLLECTIONS = (SCORES, DOSSIERS, CANDIDATES, SESSIONS, DECISIONS, PROPOSALS, HISTORY, SHOWCASE, LETTERHEADS)
SHOWN_PER_ROUND = 2  # awards a commune publishes on the province's showcase each round (units: no consent needed)

KEEP = "Thành tích tiêu biểu trong nhóm đối tượng, đề nghị Hội đồng xét khen thưởng."
PUT_BACK = "Đồng điểm ở ngưỡng hạn mức nhưng thành tích tiêu biểu: bổ sung để Hội đồng xem xét."
LEFT_FOR_BANG_KHEN = "Đối tượng được đề nghị Chủ tịch UBND tỉnh tặng Bằng khen."
LEFT_FOR_GIAY_KHEN = "Đề nghị khen thưởng bằng Giấy khen của Chủ tịch UBND xã."
LEFT_OUT = "Thành tích chưa tiêu biểu bằng các đối tượng khác trong nhóm."
LEFT_FOR = {BANG_KHEN: LEFT_FOR_BANG_KHEN, GIAY_KHEN: LEFT_FOR_GIAY_KHEN}  # why an awardee leaves the other list
LOCATION = "Hội trường UBND xã"
# Council members of communes without people in the realm: made-up, but named as people are.
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn Minh", "Thị Lan", "Văn Hùng", "Thị Mai", "Văn Quang", "Thị Hạnh", "Văn Tuấn", "Thị Thu", "Văn Long")
# xã Liên Minh's council and chairman in the demo realm (deploy/keycloak/realm/thidua-realm.json)
LIEN_MINH_COUNCIL = (("lm.chair", "Hoàng Văn Dũng"), ("lm.council1", "Lê Văn Bình"), ("lm.council2", "Phạm Thị Cúc"))
CHAIR_ROLE = "Chủ tịch Hội đồng"


# ------------------------------------------------------------------------------------------------------ helpers


def _nonce(collection: str, document_id: str, revision: int) -> str:
    """The change-record nonce a revision records in `applied_changes`, derived so that reseeding is stable."""
    return derived_id("bench-change", collection, document_id, revision).hex


class Aggregate:
    """One aggregate's revisions as ChangeLog writes them: revision 1 at insert (with its change's nonce only when
    the insert caused an event), then one revision, one nonce and one audit entry per update."""

    def __init__(self, collection: str, document: Document, *, caused_event: bool) -> None:
        self.collection = collection
        self.document = document
        document["revision"] = 1
        document["applied_changes"] = [self._nonce(1)] if caused_event else []

    def _nonce(self, revision: int) -> str:
        return _nonce(self.collection, self.document["_id"], revision)

    @property
    def status(self) -> str:
        return str(self.document["status"])

    def revise(self, audit_entry: Document, **fields: Any) -> None:
        self.document.update(fields)
        self.document["audit"].append(audit_entry)
        revision = self.document["revision"] + 1
        self.document["revision"] = revision
        self.document["applied_changes"].append(self._nonce(revision))


def _ref(entrant: Entrant) -> EntrantRef:
    return EntrantRef(
        id=entrant.id, name=entrant.name, kind=entrant.kind, target_group=entrant.target_group, unit_id=entrant.unit_id
    )


def _first_submitted(dossier: Dossier) -> datetime:
    """When version 1 went out: the submissions seeder resubmits version 2 at `submitted_at`, after a first
    submission 40% of the way from creation."""
    assert dossier.submitted_at is not None
    if dossier.version == 1:
        return dossier.submitted_at
    return dossier.created_at + (dossier.submitted_at - dossier.created_at) * 0.4


def _finalised_at(dossier: Dossier) -> datetime:
    assert dossier.submitted_at is not None
    return dossier.submitted_at + FINALISED_AFTER


# ----------------------------------------------------------------------------------- what the worker keeps (intake)


@functools.cache
def _evidence_criteria(group: str) -> tuple[CriterionEvidence, ...]:
    """The group's criteria as submission events carry them (the demo's template adopts the defaults)."""
    return tuple(evidence_of(c) for c in default_criteria_set(group).criteria)


@functools.cache
def _dossier_criteria(group: str) -> list[dict[str, Any]]:
    """What `record_dossier` keeps of each criterion; the benchmark writes no attachment."""
    return [{"code": c.code, "title": c.title, "attachments": []} for c in _evidence_criteria(group)]


@functools.cache
def _criterion_scores(group: str, total: float) -> list[dict[str, Any]]:
    """The final breakdown of a dossier of this group and total: its indicators scored by the scoring rules from the
    evidence the submissions seeder reports (quality = total / 100), the council's assessments making up the rest."""
    quality = total / 100
    defaults = {c.code: c for c in default_criteria_set(group).criteria}
    scored: list[dict[str, Any]] = []
    assessments: list[CriterionEvidence] = []
    for criterion in _evidence_criteria(group):
        if criterion.rule == "assessment":
            assessments.append(criterion)
            continue
        given = _evidence(defaults[criterion.code], quality) or {}
        reported = criterion.model_copy(update={k: v for k, v in given.items() if k in ("value", "level")})
        scored.append(score_criterion(reported).model_dump())
    rest = max(0.0, total - sum(s["points"] for s in scored))
    room = sum(c.max_points for c in assessments)
    for index, criterion in enumerate(assessments):
        points = round(min(rest * criterion.max_points / room, criterion.max_points), 2) if room else 0.0
        if index == len(assessments) - 1:  # the rounding remainder, so that the criteria add up to the total
            given_so_far = sum(s["points"] for s in scored)
            points = round(min(max(total - given_so_far, 0.0), criterion.max_points), 2)
        scored.append(assessed(criterion, [points] * REVIEWERS, "mean").model_dump())
    order = {c.code: i for i, c in enumerate(_evidence_criteria(group))}
    return sorted(scored, key=lambda s: order[s["code"]])


def _dossier_document(dossier: Dossier, ref: EntrantRef) -> Document | None:
    """What `record_dossier` leaves after the dossier's submission events (None: a draft never left the unit)."""
    if dossier.submitted_at is None:
        return None
    document: Document = {
        "_id": dossier.id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "version": 1,
        "period": dossier.period,
        "entrant": ref.model_dump(),
        "criteria": _dossier_criteria(dossier.entrant.target_group),
        "audit": [_recorded(dossier, 1, _first_submitted(dossier), SubmissionSubmitted.event_type)],
    }
    aggregate = Aggregate(DOSSIERS, document, caused_event=False)
    if dossier.version > 1:  # keep_latest: the resubmitted version replaces the first
        aggregate.revise(_recorded(dossier, 2, dossier.submitted_at, SubmissionResubmitted.event_type), version=2)
    return aggregate.document


def _recorded(dossier: Dossier, version: int, published: datetime, event_type: str) -> Document:
    event_id = derived_id("bench-event", dossier.id, version, "submitted")
    return from_event(event_id, event_type, "recorded", published + RECORDED_AFTER, version=version)


def _score_event_id(dossier: Dossier) -> uuid.UUID:
    """The id scoring gives the finalisation's event (finalisation.py), so the audit names the real cause."""
    return derived_id(dossier.id, dossier.version, "score.finalised")


def _score_document(dossier: Dossier, ref: EntrantRef) -> Document:
    """What `record_score` keeps from score.finalised."""
    assert dossier.total is not None
    assert dossier.grade is not None
    finalised = _finalised_at(dossier)
    recorded = from_event(
        _score_event_id(dossier), ScoreFinalised.event_type, "recorded", finalised + RECORDED_AFTER,
        version=dossier.version,
    )  # fmt: skip
    document: Document = {
        "_id": dossier.id,
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "version": dossier.version,
        "period": dossier.period,
        "entrant": ref.model_dump(),
        "submitted_by": dossier.submitted_by,
        "total": dossier.total,
        "max_total": 100.0,
        "grade": dossier.grade,
        "criteria": _criterion_scores(dossier.entrant.target_group, dossier.total),
        "finalised_at": finalised,
        "audit": [recorded],
    }
    return Aggregate(SCORES, document, caused_event=False).document


def _score_fields(dossier: Dossier, ref: EntrantRef) -> dict[str, Any]:
    """A candidate's copy of the score (intake.propose_commune_award, candidates.score_fields)."""
    return {
        "entrant": ref.model_dump(),
        "submission_id": dossier.id,
        "submission_version": dossier.version,
        "submitted_by": dossier.submitted_by,
        "total": dossier.total,
        "grade": dossier.grade,
    }


# ------------------------------------------------------------------------------------------- the commune's people


@dataclass(frozen=True)
class People:
    """Who acts for the commune: the council seated for its sessions (the first member chairs) and the chairman's
    name on its decisions."""

    members: tuple[SessionMember, ...]

    @property
    def chair(self) -> SessionMember:
        return self.members[0]


def _people(plan: CommunePlan) -> People:
    """xã Liên Minh's real council; elsewhere made-up members (no account in the realm), xã Tam Điệp's prefixed
    like its real officer (td.)."""
    commune = plan.commune
    if commune.tenant == LARGE:
        seats = LIEN_MINH_COUNCIL
    else:
        prefix = "td" if commune.tenant == SMALL else f"x{commune.number:03d}"
        names = [f"{FAMILY[(commune.number + i) % len(FAMILY)]} {GIVEN[(commune.number * 3 + i) % len(GIVEN)]}"
                 for i in range(3)]  # fmt: skip
        seats = ((f"{prefix}.chair", names[0]), (f"{prefix}.council1", names[1]), (f"{prefix}.council2", names[2]))
    members = tuple(
        SessionMember(username=username, name=name, role=CHAIR_ROLE if index == 0 else "Thành viên")
        for index, (username, name) in enumerate(seats)
    )
    return People(members)


def _user_id(username: str) -> str:
    """A member's user id in the audit (the benchmark names people's ids; nothing reads them back)."""
    return f"u-bench-{username}"


def _letterhead(commune: CommunePlan) -> Document:
    """What the officer of a benchmark-only commune sets once (PUT /letterhead)."""
    name = commune.commune.name  # "Xã Thi Đua 7"
    place = name.removeprefix("Xã ")
    head = LetterheadInput(
        issuing_body=f"ỦY BAN NHÂN DÂN {name}".upper(),
        parent_body=f"TỈNH {PROVINCE_NAME}".upper(),
        place=place,
        authority=f"UBND xã {place}",
    )
    tenant = commune.commune.tenant
    document: Document = {
        "_id": tenant,
        "tenant": tenant,
        "province": PROVINCE,
        **head.model_dump(),
        "updated_at": LETTERHEAD_SET_AT,
        "audit": [entry(OFFICER, "letterhead_set", LETTERHEAD_SET_AT, **head.model_dump())],
    }
    return Aggregate(LETTERHEADS, document, caused_event=False).document


# ------------------------------------------------------------------------------------------ a period's award round


@dataclass(frozen=True)
class Calendar:
    """When each step of a period's round happened: the year's in December, the reviews' (sơ kết, tổng kết) later
    in the same December; the province answers two weeks after the proposal."""

    evaluated: datetime
    reviewed: datetime
    convened: datetime
    held: datetime
    decided: datetime
    proposed: datetime
    answered: datetime

    @classmethod
    def of(cls, year: int, period: str) -> Calendar:
        first = 1 if round_of(period) == "yearly" else 13

        def day(offset: int, hour: int = 2) -> datetime:  # 02:00 UTC is 09:00 in Vietnam
            return datetime.combine(date(year, 12, first + offset), time(hour), tzinfo=UTC)

        proposed = day(8, 3)
        return cls(
            evaluated=day(0),
            reviewed=day(1),
            convened=day(2),
            held=day(4, 1),
            decided=day(7, 3),
            proposed=proposed,
            answered=proposed + timedelta(days=14),
        )


@dataclass
class Round:
    """The documents of one commune's award round for one period, built step by step as the use cases write them."""

    scope: Scope
    period: str
    index: int  # the period's place in PERIODS: numbers the round's documents
    number: int  # the commune's number in the plan
    rules: list[AwardRule]
    people: People
    authority: str
    finals: list[Dossier]
    refs: dict[str, EntrantRef]
    when: Calendar
    candidates: dict[str, Aggregate] = field(default_factory=dict)
    sessions: list[Document] = field(default_factory=list)
    decisions: list[Document] = field(default_factory=list)
    proposals: list[Document] = field(default_factory=list)
    history: list[Document] = field(default_factory=list)

    @property
    def tenant(self) -> str:
        return str(self.scope.tenant)

    def rule(self, form: str) -> AwardRule | None:
        return rule_for(self.rules, form, round_of(self.period))

    def build(self) -> Round:
        for dossier in sorted(self.finals, key=_finalised_at):
            self.propose_commune_award(dossier)
        verdicts = {form: self.evaluate(form) for form in EVALUATED_FORMS if self.rule(form) is not None}
        self.review(verdicts)
        session = self.convene(verdicts)
        if session is not None:
            self.decide()
            self.propose()
        return self

    # intake.record_score → propose_commune_award: a final score meeting a commune form's rule (without its quota)
    def propose_commune_award(self, dossier: Dossier) -> None:
        ref = self.refs[dossier.entrant.id]
        single = [Scored(entrant=ref, total=dossier.total or 0.0, grade=dossier.grade or "")]
        for form in (f for f in FORMS.values() if f.level == "commune"):
            rule = self.rule(form.code)
            if rule is None:
                continue
            verdict = evaluate(rule.model_copy(update={"quota_percent": None}), single, flags={}, history={})
            if not verdict[ref.id].eligible:
                continue
            cause = _score_event_id(dossier)
            at = _finalised_at(dossier) + RECORDED_AFTER
            by = from_event(
                cause, ScoreFinalised.event_type, "proposed", at, status="under_review", total=dossier.total
            )
            document, _ = new_candidate(
                self.scope, self.period, form.code, _score_fields(dossier, ref), at=at, by=by, cause=cause
            )
            self.candidates[document["_id"]] = Aggregate(CANDIDATES, dict(document), caused_event=True)

    # candidates.evaluate_list: the form's rule over every final score of the period
    def evaluate(self, form: str) -> dict[str, Verdict]:
        rule = self.rule(form)
        assert rule is not None
        scored = [
            Scored(entrant=self.refs[d.entrant.id], total=d.total or 0.0, grade=d.grade or "") for d in self.finals
        ]
        verdicts = evaluate(rule, scored, flags={}, history={})
        at = self.when.evaluated + timedelta(minutes=EVALUATED_FORMS.index(form) * 5)
        for dossier in self.finals:
            verdict = verdicts[dossier.entrant.id]
            computed = {"eligible": verdict.eligible, "reasons": list(verdict.reasons), "rank": verdict.rank}
            current = self.candidates.get(self.candidate_id(form, dossier))
            if verdict.eligible and current is None:
                by = entry(OFFICER, "evaluated", at, status="under_review", eligible=True, rank=verdict.rank)
                fields = _score_fields(dossier, self.refs[dossier.entrant.id])
                document, _ = new_candidate(self.scope, self.period, form, fields, at=at, by=by)
                evaluated: Document = {**document, "computed": {**computed, "at": at}}
                self.candidates[document["_id"]] = Aggregate(CANDIDATES, evaluated, caused_event=True)
            elif current is not None and current.status in OPEN_TO_REVIEW:
                before = {k: v for k, v in (current.document.get("computed") or {}).items() if k != "at"}
                if before != computed:
                    self.apply_verdict(current, {**computed, "at": at})
        return verdicts

    @staticmethod
    def apply_verdict(current: Aggregate, computed: dict[str, Any]) -> None:
        """candidates._apply_verdict: left out by the rule unless the officer put them there by hand."""
        fields: dict[str, Any] = {"computed": computed, "updated_at": computed["at"]}
        by_hand = (current.document.get("officer_review") or {}).get("included")
        if not computed["eligible"] and by_hand is not True and current.status == "under_review":
            fields["status"] = "excluded"
        elif computed["eligible"] and by_hand is not False and current.status == "excluded":
            fields["status"] = "under_review"
        changes = {k: computed[k] for k in ("eligible", "rank")}
        current.revise(entry(OFFICER, "evaluated", computed["at"], **changes), **fields)

    def candidate_id(self, form: str, dossier: Dossier) -> str:
        return candidate_id(self.tenant, self.period, form, dossier.entrant.id)

    # candidates.review and candidates.add: the officer keeps the plan's awardees and takes the others off
    def review(self, verdicts: dict[str, dict[str, Verdict]]) -> None:
        at = self.when.reviewed
        for form in verdicts:
            for dossier in sorted(self.finals, key=lambda d: d.id):
                current = self.candidates.get(self.candidate_id(form, dossier))
                wanted = dossier.award == form
                if wanted and current is None:  # tied at the cutoff of an empty list: added by hand
                    current = self.add(form, dossier, at)
                if current is None or (current.status != "under_review" and not wanted):
                    continue
                reason = KEEP if current.status == "under_review" else PUT_BACK
                if not wanted:
                    reason = LEFT_FOR.get(dossier.award or "", LEFT_OUT)
                note = {"included": wanted, "reason": reason, "by": OFFICER, "at": at}
                current.revise(
                    entry(OFFICER, "reviewed", at, **note),
                    status="under_review" if wanted else "excluded",
                    officer_review=note,
                    updated_at=at,
                )
                at += timedelta(seconds=30)

    def add(self, form: str, dossier: Dossier, at: datetime) -> Aggregate:
        fields = _score_fields(dossier, self.refs[dossier.entrant.id])
        by = entry(OFFICER, "added", at, status="excluded", submission_id=dossier.id)
        document = candidate(self.scope, self.period, form, score=fields, status="excluded", at=at, by=by)
        added = Aggregate(CANDIDATES, dict(document), caused_event=False)
        self.candidates[document["_id"]] = added
        return added

    # sessions.convene → claim_candidates → voting.open_voting → voting.cast_ballot × members → counting.close → settle
    def convene(self, verdicts: dict[str, dict[str, Verdict]]) -> Document | None:
        at = self.when.convened
        listed = sorted(
            (c for c in self.candidates.values() if c.status == "under_review"),
            key=lambda c: (-c.document["total"], c.document["_id"]),
        )
        if not listed:  # nobody to put before the council: convening is refused
            return None
        for item in listed:  # evaluated again first: only a candidate added by hand has no verdict yet
            if "computed" not in item.document:
                verdict = verdicts[item.document["award_form"]][item.document["entrant"]["id"]]
                computed = {"eligible": verdict.eligible, "reasons": list(verdict.reasons), "rank": verdict.rank}
                self.apply_verdict(item, {**computed, "at": at})
        request = SessionRequest(
            period=self.period,
            title=f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng {period_label(self.period)}",
            held_at=self.when.held,
            location=LOCATION,
            ballot_mode="secret",
            members=self.people.members,
            chair=self.people.chair.username,
        )
        session_id = str(derived_id("bench-session", self.tenant, self.period))
        members = list(request.members)
        document: Document = {
            "_id": session_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="python", exclude={"members"}),
            "quorum_share": DEFAULT_QUORUM_SHARE,
            "round": round_of(self.period),
            "members": [m.model_dump() for m in members],
            "candidates": [self.seat(c.document, members) for c in listed],
            "status": "convened",
            "present": [],
            "ballots": [],
            "results": [],
            "created_at": at,
            "created_by": OFFICER,
            "audit": [entry(OFFICER, "convened", at, candidates=len(listed))],
        }
        session = Aggregate(SESSIONS, document, caused_event=True)
        for item in listed:
            item.revise(
                entry(OFFICER, "before_council", at, session_id=session_id),
                status="in_session", session_id=session_id, updated_at=at,
            )  # fmt: skip
        self.vote(session)
        self.settle(session)
        self.sessions.append(session.document)
        return session.document

    def seat(self, listed: Document, members: list[SessionMember]) -> Document:
        rule = self.rule(listed["award_form"])
        assert rule is not None
        conflicts = recusals(members, EntrantRef.model_validate(listed["entrant"]))
        return {
            "candidate_id": listed["_id"],
            "entrant": listed["entrant"],
            "award_form": listed["award_form"],
            "total": listed["total"],
            "grade": listed["grade"],
            "submission_id": listed["submission_id"],
            "submitted_by": listed.get("submitted_by"),
            "rule": rule.model_dump(mode="json"),
            "recused": [{"member": m, "reason": why} for m, why in conflicts.items()],
        }

    def vote(self, session: Aggregate) -> None:
        """Every member present and voting yes, but the last member abstains on every seventh candidate."""
        document = session.document
        present = [m["username"] for m in document["members"]]
        opened = self.when.held + timedelta(minutes=15)
        required = quorum_required(len(present), document["quorum_share"])
        session.revise(
            entry(OFFICER, "voting_opened", opened, present=present),
            status="voting", present=present, quorum_required=required, opened_at=opened,
        )  # fmt: skip
        for number, member in enumerate(present):
            at = opened + timedelta(minutes=15 + number)
            votes = [
                {"candidate_id": c["candidate_id"], "vote": _vote(number, len(present), place), "reason": None}
                for place, c in enumerate(document["candidates"])
                if member not in {r["member"] for r in c["recused"]}
            ]
            document["ballots"].append({"member": member, "at": at, "votes": votes})
            session.revise(entry(_user_id(member), "ballot_cast", at, member=member))
        closed = opened + timedelta(minutes=45)
        results = [self.count(document, c) for c in document["candidates"]]
        passed = sum(r["passed"] for r in results)
        session.revise(
            entry(OFFICER, "closed", closed, passed=passed), status="closed", results=results, closed_at=closed
        )

    @staticmethod
    def count(document: Document, seated: Document) -> Document:
        """counting.close for one candidate: its votes against the rule it was convened under."""
        rule = AwardRule.model_validate(seated["rule"])
        votes = [
            v["vote"] for b in document["ballots"] for v in b["votes"] if v["candidate_id"] == seated["candidate_id"]
        ]
        recused = len(seated["recused"]) + votes.count("recuse")
        counted = tally(
            [v for v in votes if v != "recuse"], members=len(document["members"]), recused=recused, rule=rule
        )
        return {
            "candidate_id": seated["candidate_id"],
            "entrant": seated["entrant"],
            "award_form": seated["award_form"],
            "yes": counted.yes,
            "no": counted.no,
            "abstain": counted.abstain,
            "recused": counted.recused,
            "base": counted.base,
            "passed": counted.passed,
            "pass_rule": rule.pass_rule_text(),
        }

    def settle(self, session: Aggregate) -> None:
        at = session.document["closed_at"]
        for result in session.document["results"]:
            status = "not_eligible"
            if result["passed"]:
                status = "eligible_upward" if FORMS[result["award_form"]].proposed_upward else "eligible_here"
            counts = {k: result[k] for k in ("yes", "no", "abstain", "recused", "passed")}
            self.candidates[result["candidate_id"]].revise(
                entry(OFFICER, "council_result", at, session_id=session.document["_id"], **counts),
                status=status, council=counts, updated_at=at,
            )  # fmt: skip

    def passed(self, form: str, status: str) -> list[Aggregate]:
        return sorted(
            (c for c in self.candidates.values() if c.document["award_form"] == form and c.status == status),
            key=lambda c: (-c.document["total"], c.document["_id"]),
        )

    # decisions.decide → claim → apply_award: the chairman's decision on the Giấy khen
    def decide(self) -> None:
        awarded = self.passed(GIAY_KHEN, "eligible_here")
        if not awarded:
            return
        at = self.when.decided
        request = DecisionRequest(
            number=f"{801 + self.index}/QĐ-UBND",
            signed_on=at.date(),
            signer_name=self.people.chair.name,
            award_form=GIAY_KHEN,
            period=self.period,
            candidate_ids=tuple(c.document["_id"] for c in awarded),
        )
        decision_id = str(derived_id("decision", self.tenant, request.number))
        self.claim(awarded, "decision_id", decision_id, "eligible_here", CHAIR, at)
        issuer = f"Chủ tịch {self.authority}"
        ids = [c.document["_id"] for c in awarded]
        document: Document = {
            "_id": decision_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="json", exclude={"candidate_ids"}),
            "issuer": issuer,
            "round": round_of(self.period),
            "recipients": recipient_rows([c.document for c in awarded]),
            "created_at": at,
            "created_by": CHAIR,
            "audit": [entry(CHAIR, "decided", at, number=request.number, recipients=ids)],
        }
        self.decisions.append(Aggregate(DECISIONS, document, caused_event=True).document)
        self.award(awarded, request.number, request.signed_on, issuer, "commune", decision_id, CHAIR, at)

    # proposals.propose → claim, then outcomes.record_outcome("awarded") by the province → apply_award
    def propose(self) -> None:
        proposed = self.passed(BANG_KHEN, "eligible_upward")
        if not proposed:
            return
        at = self.when.proposed
        request = ProposalRequest(
            number=f"{801 + self.index}/TTr-UBND",
            signed_on=at.date(),
            signer_name=self.people.chair.name,
            award_form=BANG_KHEN,
            period=self.period,
            candidate_ids=tuple(c.document["_id"] for c in proposed),
        )
        proposal_id = str(derived_id("proposal", self.tenant, request.number))
        self.claim(proposed, "proposal_id", proposal_id, "proposed_to_province", CHAIR, at)
        ids = [c.document["_id"] for c in proposed]
        document: Document = {
            "_id": proposal_id,
            "tenant": self.tenant,
            "province": self.scope.province,
            **request.model_dump(mode="json", exclude={"candidate_ids"}),
            "round": round_of(self.period),
            "level": FORMS[BANG_KHEN].level,
            "status": "submitted_to_province",
            "recipients": recipient_rows([c.document for c in proposed]),
            "created_at": at,
            "created_by": CHAIR,
            "audit": [entry(CHAIR, "submitted_to_province", at, number=request.number, recipients=ids)],
        }
        proposal = Aggregate(PROPOSALS, document, caused_event=True)
        answered = self.when.answered
        outcome = OutcomeRequest(
            outcome="awarded",
            number=f"{2000 + self.number * len(PERIODS) + self.index}/QĐ-UBND",
            signed_on=answered.date(),
            issuer=PROVINCE_ISSUER,
        )
        answer = outcome.model_dump(mode="json") | {"by": PROVINCE_STAFF, "at": answered, "level": "province"}
        proposal.revise(
            entry(PROVINCE_STAFF, "province_awarded", answered, **answer),
            status="province_awarded", province_outcome=answer, updated_at=answered,
        )  # fmt: skip
        self.proposals.append(proposal.document)
        assert outcome.number is not None
        assert outcome.signed_on is not None
        assert outcome.issuer is not None
        decision_id = f"{proposal_id}:province"
        self.award(
            proposed, outcome.number, outcome.signed_on, outcome.issuer, "province", decision_id, PROVINCE_STAFF,
            answered,
        )  # fmt: skip

    @staticmethod
    def claim(
        candidates: list[Aggregate], field_name: str, claim_id: str, status: str, actor: str, at: datetime
    ) -> None:
        for item in candidates:
            item.revise(
                entry(actor, "claimed", at, **{field_name: claim_id, "status": status}),
                **{field_name: claim_id, "status": status, "updated_at": at},
            )

    def award(
        self,
        candidates: list[Aggregate],
        number: str,
        signed_on: date,
        issuer: str,
        level: AwardLevel,
        decision_id: str,
        actor: str,
        at: datetime,
    ) -> None:
        """decisions.apply_award: a history entry per recipient, the candidate awarded."""
        form = candidates[0].document["award_form"]
        for item in candidates:
            recorded = history_entry(
                self.scope,
                entrant=item.document["entrant"],
                award_form=form,
                period=self.period,
                level=level,
                track=TRACK,
                number=number,
                signed_on=signed_on,
                issuer=issuer,
                source={"kind": "decision", "id": decision_id},
                submitted_by=item.document.get("submitted_by"),
                actor=actor,
            )
            recorded["recorded_at"] = at  # history_entry stamps the present; the plan's round happened then
            recorded["audit"][0]["at"] = at
            self.history.append(Aggregate(HISTORY, dict(recorded), caused_event=False).document)
            decision = recorded["decision"]
            item.revise(
                entry(actor, "awarded", at, decision=decision), status="awarded", updated_at=at, decision=decision
            )


def _vote(member: int, members: int, place: int) -> str:
    return "abstain" if member == members - 1 and place % 7 == 6 else "yes"


# ------------------------------------------------------------------------------------------------- seed and forget


@dataclass
class Documents:
    by_collection: dict[str, list[Document]] = field(default_factory=lambda: {c: [] for c in COLLECTIONS})

    def add(self, collection: str, documents: Iterable[Document]) -> None:
        self.by_collection[collection].extend(documents)


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing to write: the province's rules are the demo's (or the defaults), the catalogue is code."""
    return 0


async def _authority(repos: Repositories, scope: Scope, commune: CommunePlan) -> str:
    """How the commune's decisions name their issuer: the demo's letterhead (or its placeholder), or ours."""
    if commune.commune.seeded_only:
        return str(_letterhead(commune)["authority"])
    return (await letterhead_of(repos=repos, scope=scope)).authority


def _periods_of(commune: CommunePlan) -> Iterator[tuple[int, str, int, list[Dossier]]]:
    for index, (period, year, _) in enumerate(PERIODS):
        yield index, period, year, [d for d in commune.in_period(period) if d.stage == "final"]


async def build(client: AsyncMongoClient[Document], commune: CommunePlan) -> Documents:
    """Every document `seed` writes for the commune (reads the province's rules and the letterhead, once)."""
    repos = repositories(client[DATABASE])
    tenant = commune.commune.tenant
    scope = Scope(tenant=tenant, province=PROVINCE)
    rules = await effective_rules(repos=repos, province=PROVINCE)
    authority = await _authority(repos, scope, commune)
    people = _people(commune)
    refs = {e.id: _ref(e) for e in commune.entrants}
    out = Documents()
    if commune.commune.seeded_only:
        out.add(LETTERHEADS, [_letterhead(commune)])
    for dossier in commune.dossiers:
        ref = refs[dossier.entrant.id]
        kept = _dossier_document(dossier, ref)
        if kept is not None:
            out.add(DOSSIERS, [kept])
        if dossier.stage == "final":
            out.add(SCORES, [_score_document(dossier, ref)])
    for index, period, year, finals in _periods_of(commune):
        if not finals:
            continue
        made = Round(
            scope=scope, period=period, index=index, number=commune.commune.number, rules=rules, people=people,
            authority=authority, finals=finals, refs=refs, when=Calendar.of(year, period),
        ).build()  # fmt: skip
        out.add(CANDIDATES, (c.document for c in made.candidates.values()))
        out.add(SESSIONS, made.sessions)
        out.add(DECISIONS, made.decisions)
        out.add(PROPOSALS, made.proposals)
        out.add(HISTORY, made.history)
        out.add(SHOWCASE, _showcased(made.history, people))
    return out


def _showcased(history: list[Document], people: People) -> list[Document]:
    """showcase.publish: the round's first units awarded, published by the commune a few days after the award."""
    units = [h for h in history if h["entrant"]["kind"] != "individual"][:SHOWN_PER_ROUND]
    return [
        dict(
            new_entry(
                cast(HistoryEntry, entry),
                title=f"Điển hình: {entry['entrant']['name']}",
                story="Đơn vị tiêu biểu trong phong trào thi đua đổi mới sáng tạo và chuyển đổi số của xã.",
                consent=False,
                actor=_user_id(people.chair.username),
                at=entry["recorded_at"] + timedelta(days=3),
            )
        )
        for entry in units
    ]


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """The commune's dossiers' evidence and scores, candidates, sessions, decisions, proposals and history."""
    database = client[DATABASE]
    documents = await build(client, commune)
    inserted = 0
    for collection, listed in documents.by_collection.items():
        inserted += await insert_all(database[collection], listed)
    return inserted


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    """Exactly the documents `seed` wrote, by id, in every commune: the same build (deterministic: the plan and the
    province's rules) gives the same ids. By id even in a benchmark-only commune, where deleting by tenant would be
    allowed: FerretDB answers only a lone `_id` from an index (ADR 0012), so `delete_many({"tenant": ...})` reads the
    whole collection, the province's every commune, once per commune and collection."""
    database = client[DATABASE]
    documents = await build(client, commune)
    deletions = (
        delete_ids(database[collection], [document["_id"] for document in listed])
        for collection, listed in documents.by_collection.items()
    )
    return sum(await asyncio.gather(*deletions))  # the collections side by side: each waits on its round trips
