"""The notifications service's documents for the planned province: what its consumer, dispatcher and reminder sweep
would have left for every dossier the pipeline carried, as if each event had reached it and each e-mail been sent.

Per dossier (see `Commune.stages` in the plan), the events that tell someone something (domain/notices.py):
submitted, returned, resubmitted and scored tell the submitter; review.assigned tells each council member and keeps
an open review (reviews collection) that assessments then close; an award candidate tells the submitter. Per commune
and period with awards: the council session (members), its closing (the chairman), the commune's decision and the
province's answer to a proposal (the submitters), the proposal itself (the province's staff).

Each notice leaves an in-app message per recipient (`inbox`, most of them read) and, for whoever has an e-mail
address, an e-mail delivery already settled as sent (a few after one retry), so nothing is due for the running
dispatcher and no `dispatch_queue` entry exists. Open reviews whose period closed, or closes within the reminder
window, were reminded (with the reminder's messages), so the worker's sweep finds nothing to send either.

Recipients are whom the directory would resolve: the demo realm's people for the demo communes (looked up once,
through a password grant, for the id, username and e-mail the service stores), made-up people for benchmark-only
communes (which have no Keycloak organization).
"""

from __future__ import annotations

import base64
import functools
import json
import random
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jinja2
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from benchmarks.seeding.plan import LARGE, PROVINCE, PROVINCE_NAME, SMALL, CommunePlan, Dossier, ProvincePlan
from benchmarks.seeding.writer import delete_ids, insert_all
from notifications.adapters.directory import Person
from notifications.domain.aggregates import Delivery, Recipient
from notifications.domain.delivery import delivery_id
from notifications.domain.notices import Notice, form_names
from notifications.domain.templates import _ENVIRONMENT, BUILTIN, PARTS, Rendered
from notifications.repository import INBOX
from notifications.service.dispatch import DISPATCH
from notifications.service.intake import Place, new_delivery, notice_actor
from thidua_contracts.awards import (
    AwardCandidateProposed,
    AwardDecided,
    AwardProposalDecided,
    AwardProposalSubmitted,
    CouncilSessionClosed,
    CouncilSessionConvened,
)
from thidua_contracts.scoring import AssessmentRecorded, ReviewAssigned, ScoreFinalised
from thidua_contracts.submissions import SubmissionResubmitted, SubmissionReturned, SubmissionSubmitted
from thidua_platform.audit import entry, from_event, system_actor
from thidua_platform.client import CLI_CLIENT, DEMO_PASSWORD, issuer
from thidua_platform.envelope import derived_id
from thidua_platform.mongo import Document

DATABASE = "thidua_notifications"
DELIVERIES = "deliveries"
REVIEWS = "reviews"
COLLECTIONS = (INBOX, DELIVERIES, REVIEWS)

# The demo realm's people, by commune: who filed the dossiers (at Tam Điệp the officer, its only user), the council
# that reviews them (scoring's default policy: two reviewers), the chairman; Tam Điệp's council is not in the realm,
# so the directory finds nobody to tell there (its reviews are kept all the same).
DEMO_SUBMITTER = {LARGE: "lm.submitter", SMALL: "td.officer"}
DEMO_COUNCIL = {LARGE: ("lm.council1", "lm.council2")}
DEMO_CHAIR = {LARGE: "lm.chair"}
PROVINCE_STAFF = ("nb.staff",)  # holders of province_staff in Ninh Bình: told of every commune's proposals
SEEDED_REVIEWERS = 1  # made-up council members per dossier elsewhere: one, to keep the province's seeding short

READ_SHARE = 0.85  # most messages have been opened
RETRIED_SHARE = 0.03  # e-mails the relay refused once (4xx) before taking them
REMINDER_DAYS = 3.0  # the worker's default `reminder_days_before`
MAX_TOTAL = 100.0
TRANSIENT = "SMTP 421: Service not available, closing transmission channel"
RETURN_REASON = "Bổ sung minh chứng và thuyết minh kết quả thực hiện tiêu chí."
# Assessment criteria (the council's part) by target group, as the demo's criteria sets mark them; used when the
# submissions database has none to read.
ASSESSED: dict[str, tuple[str, ...]] = {
    "a": ("a2", "a3", "a4", "a5", "a6"),
    "b": ("b1", "b2", "b3"),
    "c": ("c1", "c2", "c3"),
    "d1": ("d1-1", "d1-2"),
    "d2": ("d2-1", "d2-2"),
}


# --- who is told


@dataclass(frozen=True)
class Cast:
    """Who the directory resolves in one commune: the submitter, the council (usernames, as scoring assigns them,
    and those of them it knows), the chairman and the province's staff."""

    submitter: Person | None
    council: tuple[str, ...]
    members: dict[str, Person]
    chair: Person | None
    province_staff: tuple[Person, ...]
    per_dossier: int

    def reviewers(self, dossier: Dossier) -> tuple[str, ...]:
        """The members assigned to a dossier: the least loaded ones, here simply in turn."""
        start = int(dossier.id[:8], 16) % len(self.council)
        wanted = min(self.per_dossier, len(self.council))
        return tuple(self.council[(start + i) % len(self.council)] for i in range(wanted))

    def member(self, username: str) -> list[Person]:
        found = self.members.get(username)
        return [found] if found else []


_realm: dict[str, Person] = {}


async def realm_person(username: str) -> Person:
    """A demo user as the directory returns them (id, username, e-mail, name), through the CLI client's password
    grant with the e-mail scope: one token per person and process."""
    if username not in _realm:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(
                f"{issuer()}/protocol/openid-connect/token",
                data={
                    "grant_type": "password",
                    "client_id": CLI_CLIENT,
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "scope": "openid email",
                },
            )
        response.raise_for_status()
        claims = _claims(response.json()["access_token"])
        name = f"{claims.get('family_name', '')} {claims.get('given_name', '')}".strip() or username
        _realm[username] = Person(claims["sub"], claims["preferred_username"], claims.get("email"), name)
    return _realm[username]


def _claims(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims


def made_up(tenant: str, username: str, user_id: str | None = None) -> Person:
    user = user_id or str(derived_id("bench-user", tenant, username))
    return Person(user, username, f"{username}@thidua.invalid", username)


async def cast_of(plan: CommunePlan) -> Cast:
    commune = plan.commune
    staff = tuple([await realm_person(name) for name in PROVINCE_STAFF])
    bench_council = tuple(f"bench.council{i}.{commune.number:03d}" for i in range(1, 3))
    if commune.seeded_only:
        submitted_by = plan.dossiers[0].submitted_by if plan.dossiers else "u-bench-submitter"
        members = {name: made_up(commune.tenant, name) for name in bench_council}
        chair = made_up(commune.tenant, f"bench.chair.{commune.number:03d}")
        submitter = made_up(commune.tenant, "bench.submitter", submitted_by)
        return Cast(submitter, bench_council, members, chair, staff, SEEDED_REVIEWERS)
    council = DEMO_COUNCIL.get(commune.tenant)
    members = {name: await realm_person(name) for name in council or ()}
    chair_name = DEMO_CHAIR.get(commune.tenant)
    return Cast(
        await realm_person(DEMO_SUBMITTER[commune.tenant]),
        council or bench_council[:SEEDED_REVIEWERS],
        members,
        await realm_person(chair_name) if chair_name else None,
        staff,
        2 if council else SEEDED_REVIEWERS,
    )


# --- what they are told


@functools.cache
def _compiled(kind: str, part: str) -> jinja2.Template:
    return _ENVIRONMENT.from_string(BUILTIN[kind].part(part))


def rendered(kind: str, facts: dict[str, Any]) -> Rendered:
    """`templates.render` of the built-in template (no commune saved its own), compiled once per kind and part:
    `render` checks and compiles the source on every call (3.5 ms), too slow for a province."""
    out: dict[str, str] = {}
    for part in PARTS:
        text = unicodedata.normalize("NFC", _compiled(kind, part).render(facts)).strip()
        out[part] = " ".join(text.split()) if part.startswith("subject") else text
    return Rendered(**out)


def nonce(aggregate: str, revision: int) -> str:
    """The change-log nonce of a revision, derived so that a second seeding writes the same document."""
    return derived_id("bench-change", aggregate, revision).hex


@dataclass
class Documents:
    """What one commune's seeding writes, by collection."""

    inbox: list[Document] = field(default_factory=list)
    deliveries: list[Document] = field(default_factory=list)
    reviews: list[Document] = field(default_factory=list)

    def by_collection(self) -> Iterator[tuple[str, list[Document]]]:
        yield REVIEWS, self.reviews
        yield DELIVERIES, self.deliveries
        yield INBOX, self.inbox


@dataclass
class Pipeline:
    """Replays, in memory, what the consumer and the dispatcher store for each notice."""

    tenant: str
    now: datetime
    out: Documents = field(default_factory=Documents)

    def tell(self, notice: Notice, people: Iterable[Person], subject: str, at: datetime) -> None:
        place = Place(tenant=self.tenant, province=PROVINCE, subject=subject)
        text = rendered(notice.kind, notice.facts)
        for person in {p.user_id: p for p in people}.values():
            self.out.inbox.append(self._message(notice, place, person, text, at))
            if person.email:
                self.out.deliveries.append(self._email(notice, place, person, text, at))

    def _message(self, notice: Notice, place: Place, person: Person, text: Rendered, at: datetime) -> Document:
        """intake._in_app's document, opened by most people an hour or a day later."""
        message_id = delivery_id(notice.cause, person.user_id, "in_app")
        read_at = at + timedelta(minutes=30 + _fraction(message_id, "read-after") * 2880)
        opened = _fraction(message_id, "read") < READ_SHARE and read_at <= self.now
        return {
            "_id": message_id,
            "tenant": place.tenant,
            "province": place.province,
            "recipient": person.user_id,
            "kind": notice.kind,
            "subject": place.subject,
            "title_vi": text.subject_vi,
            "body_vi": text.body_vi,
            "title_en": text.subject_en,
            "body_en": text.body_en,
            "cause": notice.cause,
            "created_at": at,
            "read_at": read_at if opened else None,
        }

    def _email(self, notice: Notice, place: Place, person: Person, text: Rendered, at: datetime) -> Document:
        recipient: Recipient = {"user_id": person.user_id, "username": person.username, "email": person.email}
        queued = new_delivery(
            by=notice_actor(notice),
            place=place,
            channel="email",
            cause=notice.cause,
            kind=notice.kind,
            recipient=recipient,
            rendered=text,
            version=0,
            now=at,
        )
        return sent(queued, retried=_fraction(queued["_id"], "retry") < RETRIED_SHARE)


def sent(delivery: Delivery, *, retried: bool) -> Document:
    """The delivery as the dispatcher leaves it once the relay took it: each claim, handover and outcome a
    revision of its own (dispatch.py), a refused first attempt retried 30 s later when `retried`."""
    at: datetime = delivery["created_at"] + timedelta(milliseconds=500)
    audit, history = list(delivery["audit"]), []
    attempts = 2 if retried else 1
    for attempt in range(1, attempts + 1):
        handed = at + timedelta(milliseconds=40)
        done = handed + timedelta(milliseconds=60)
        outcome, status = ("retry", "pending") if attempt < attempts else ("sent", "sent")
        audit += [
            entry(DISPATCH, "claimed", at, status="sending", attempt=attempt),
            entry(DISPATCH, "handed_over", handed, status="sending", attempt=attempt),
            entry(DISPATCH, outcome, done, status=status, attempt=attempt),
        ]
        error = TRANSIENT if outcome == "retry" else None
        history.append({"at": done, "attempt": attempt, "outcome": outcome, "error": error})
        next_attempt = done + timedelta(seconds=30)
        at = next_attempt if outcome == "retry" else at
    revisions = len(audit)  # the insert, then one revision per later audit entry
    return {
        **delivery,
        "status": "sent",
        "attempts": attempts,
        "next_attempt_at": next_attempt if retried else delivery["next_attempt_at"],
        "history": history,
        "audit": audit,
        "revision": revisions,
        "applied_changes": [nonce(delivery["_id"], r) for r in range(2, revisions + 1)],
        "claim": None,
        "handed_over_at": handed,
        "sent_at": done,
    }


def _fraction(key: str, salt: str) -> float:
    """A stable number in [0, 1) for a document and a purpose."""
    return int(derived_id(key, salt).hex[:8], 16) / 2**32


def _event(*parts: object) -> str:
    """The id of an event whose real id is random (a request's): derived here, so seeding twice agrees."""
    return str(derived_id("bench-event", *parts))


def closes_at(period: str, year: int) -> datetime:
    """When a period closes, as the demo's campaigns publish it (the reviews close on 30 November, years on
    10 December, Vietnam time)."""
    day = 29 if period.startswith(("so-ket", "tong-ket")) else 9
    month = 11 if day == 29 else 12
    return datetime(year, month, day, 17, tzinfo=UTC)


# --- one dossier


def _submission_notices(dossier: Dossier) -> list[tuple[Notice, datetime]]:
    """The submitter's notices of filing: submitted, then (when returned) returned and perhaps resubmitted."""
    assert dossier.submitted_at is not None
    entrant, period, at = dossier.entrant.name, dossier.period, dossier.submitted_at
    first = {"entrant": entrant, "period": period, "version": 1}
    made = [(_notice("submission_submitted", first, _event(dossier.id, "submitted", 1), SubmissionSubmitted), at)]
    if dossier.stage == "returned" or dossier.version > 1:
        reasons = [{"code": ASSESSED[dossier.entrant.target_group][0], "reason": RETURN_REASON}]
        cause = _event(dossier.id, "returned", 1)
        facts = {**first, "reasons": reasons}
        made.append((_notice("submission_returned", facts, cause, SubmissionReturned), at + timedelta(days=3)))
    if dossier.version > 1:
        again = {**first, "version": dossier.version}
        cause = _event(dossier.id, "resubmitted", dossier.version)
        made.append((_notice("submission_resubmitted", again, cause, SubmissionResubmitted), at + timedelta(days=8)))
    return made


def _notice(kind: str, facts: dict[str, Any], cause: str, event: type[Any]) -> Notice:
    return Notice(kind, (), facts, cause, str(event.event_type))


def last_filed(dossier: Dossier) -> datetime:
    assert dossier.submitted_at is not None
    return dossier.submitted_at + timedelta(days=8 if dossier.version > 1 else 0)


def review(
    dossier: Dossier, reviewer: str, criteria: tuple[str, ...], assessed: int, now: datetime
) -> tuple[Document, datetime | None]:
    """The review reminders.review_assigned keeps, moved by each assessment (one revision each) and, when open as
    its period closes, by the reminder sweep; with when it was reminded (None: not)."""
    assignment = f"{dossier.id}:{dossier.version}:{reviewer}"
    assigned_at = last_filed(dossier) + timedelta(days=1)
    event = derived_id(assignment, "review.assigned")
    audit = [from_event(event, ReviewAssigned.event_type, "assigned", assigned_at, status="open")]
    done = assessed >= len(criteria)
    for index, criterion in enumerate(criteria[:assessed]):
        status = "done" if index == len(criteria) - 1 else "open"
        at = assigned_at + timedelta(days=1 + index, hours=2)
        cause = _event(assignment, "assessed", criterion)
        audit.append(
            from_event(cause, AssessmentRecorded.event_type, "assessed", at, criterion=criterion, status=status)
        )
    document: Document = {
        "_id": f"review:{assignment}",
        "kind": "review",
        "tenant": dossier.tenant,
        "province": PROVINCE,
        "reviewer": reviewer,
        "submission_id": dossier.id,
        "submission_version": dossier.version,
        "period": dossier.period,
        "entrant": dossier.entrant.name,
        "criteria": list(criteria),
        "assessed": sorted(criteria[:assessed]),
        "status": "done" if done else "open",
        "reminded": False,
        "audit": audit,
        "revision": len(audit),
        "applied_changes": [nonce(f"review:{assignment}", r) for r in range(2, len(audit) + 1)],
    }
    closes = closes_at(dossier.period, dossier.year)
    remind_at = max(closes - timedelta(days=REMINDER_DAYS), assigned_at + timedelta(minutes=1))
    if done or remind_at >= closes or remind_at > now:
        return document, None
    # the sweep's plain update_one: a revision without a change-log nonce
    document["audit"].append(entry(system_actor("reminders"), "reminded", remind_at, reminded=True))
    document.update(reminded=True, revision=document["revision"] + 1)
    return document, remind_at


def seed_dossier(pipeline: Pipeline, cast: Cast, dossier: Dossier, criteria: tuple[str, ...]) -> None:
    if dossier.submitted_at is None:
        return  # a draft: nobody has been told anything
    submitter = [cast.submitter] if cast.submitter else []
    for notice, at in _submission_notices(dossier):
        pipeline.tell(notice, submitter, dossier.id, at)
    if not dossier.scored:
        return
    rng = random.Random(dossier.id)  # noqa: S311 (not security)
    for reviewer in cast.reviewers(dossier):
        assessed = len(criteria) if dossier.stage == "final" else rng.randrange(0, len(criteria) + 1)
        document, reminded = review(dossier, reviewer, criteria, assessed, pipeline.now)
        pipeline.out.reviews.append(document)
        facts = {"period": dossier.period, "entrant": dossier.entrant.name, "criteria": list(criteria)}
        event = str(derived_id(document["_id"].removeprefix("review:"), "review.assigned"))
        assigned = _notice("review_assigned", {**facts, "submission_id": dossier.id}, event, ReviewAssigned)
        pipeline.tell(assigned, cast.member(reviewer), dossier.id, document["audit"][0]["at"])
        if reminded is not None:
            closes = closes_at(dossier.period, dossier.year).isoformat()
            facts = {**facts, "submission_id": dossier.id, "closes_at": closes}
            notice = Notice("review_reminder", (), facts, f"reminder:{document['_id']}")
            pipeline.tell(notice, cast.member(reviewer), dossier.id, reminded)
    if dossier.stage == "final":
        seed_final(pipeline, submitter, dossier, criteria)


def finalised_at(dossier: Dossier, criteria: tuple[str, ...]) -> datetime:
    return last_filed(dossier) + timedelta(days=2 + len(criteria), hours=3)


def seed_final(pipeline: Pipeline, submitter: list[Person], dossier: Dossier, criteria: tuple[str, ...]) -> None:
    """The score (score.finalised: every review in) and, for an awarded dossier, its candidacy (awards' intake)."""
    at = finalised_at(dossier, criteria)
    finalised = derived_id(dossier.id, dossier.version, "score.finalised")
    facts = {
        "entrant": dossier.entrant.name,
        "period": dossier.period,
        "total": dossier.total,
        "max_total": MAX_TOTAL,
        "grade": dossier.grade,
    }
    pipeline.tell(_notice("submission_scored", facts, str(finalised), ScoreFinalised), submitter, dossier.id, at)
    if dossier.award is None:
        return
    round_ = (
        "so_ket" if dossier.period.startswith("so-ket") else "tong_ket" if "tong-ket" in dossier.period else "yearly"
    )
    cause = str(derived_id(finalised, "candidate.proposed", dossier.award, round_))
    facts = {"entrant": dossier.entrant.name, "period": dossier.period, **form_names(dossier.award)}
    candidate = _notice("award_candidate", facts, cause, AwardCandidateProposed)
    pipeline.tell(candidate, submitter, dossier.id, at + timedelta(seconds=1))


# --- one period's awards


def seed_awards(pipeline: Pipeline, cast: Cast, plan: CommunePlan, period: str, year: int) -> None:
    """The council session that passed the period's awards, the chairman's decision on the Giấy khen and the
    province's on the proposed Bằng khen: each one notice to its audience (the submitters hear once per decision)."""
    awarded = [d for d in plan.in_period(period) if d.award is not None]
    if not awarded:
        return
    tenant, closes = plan.commune.tenant, closes_at(period, year)
    session, held = _event(tenant, period, "session"), closes + timedelta(days=3)
    entrants = [f"{d.entrant.name} ({form_names(d.award or '')['award_form_vi']})" for d in awarded]
    title = f"Phiên xét khen thưởng kỳ {period}"
    convened = {"title": title, "period": period, "held_at": held.isoformat(), "candidates": len(awarded)}
    members = [p for name in cast.council for p in cast.member(name)]
    notice = _notice("session_convened", convened, _event(session, "convened"), CouncilSessionConvened)
    pipeline.tell(notice, members, session, held - timedelta(days=2))
    closed = {"period": period, "passed": len(awarded), "entrants": entrants}
    notice = _notice("decisions_waiting", closed, _event(session, "closed"), CouncilSessionClosed)
    pipeline.tell(notice, [cast.chair] if cast.chair else [], session, held + timedelta(hours=3))
    submitter = [cast.submitter] if cast.submitter else []
    commune_awards = [d.entrant.name for d in awarded if d.award == "GIAY_KHEN_XA"]
    if commune_awards:
        decision = _event(tenant, period, "decision", "GIAY_KHEN_XA")
        facts = {
            "period": period,
            "number": f"{plan.commune.number + 1}/QĐ-UBND",
            "issuer": f"Chủ tịch UBND {plan.commune.name}",
            **form_names("GIAY_KHEN_XA"),
            "entrants": commune_awards,
        }
        notice = _notice("award_decided", facts, _event(decision, "decided"), AwardDecided)
        pipeline.tell(notice, submitter, decision, held + timedelta(days=3))
    province_awards = [d.entrant.name for d in awarded if d.award == "BANG_KHEN_TINH"]
    if province_awards:
        seed_proposal(pipeline, cast, plan, period, held, province_awards)


def seed_proposal(
    pipeline: Pipeline, cast: Cast, plan: CommunePlan, period: str, held: datetime, entrants: list[str]
) -> None:
    proposal = _event(plan.commune.tenant, period, "proposal", "BANG_KHEN_TINH")
    names = form_names("BANG_KHEN_TINH")
    received = {"period": period, "number": f"{plan.commune.number + 1}/TTr-UBND", "entrants": entrants, **names}
    notice = _notice("proposal_received", received, _event(proposal, "submitted"), AwardProposalSubmitted)
    pipeline.tell(notice, cast.province_staff, proposal, held + timedelta(days=4))
    issuer = f"Chủ tịch UBND tỉnh {PROVINCE_NAME}"
    decided = {"period": period, "number": f"{plan.commune.number + 1}/QĐ-UBND", "issuer": issuer, **names}
    notice = _notice(
        "award_decided", {**decided, "entrants": entrants}, _event(proposal, "decided"), AwardProposalDecided
    )
    pipeline.tell(notice, [cast.submitter] if cast.submitter else [], proposal, held + timedelta(days=16))


# --- the commune


_criteria: dict[str, tuple[str, ...]] = {}


async def assessment_criteria(client: AsyncMongoClient[Document]) -> dict[str, tuple[str, ...]]:
    """The council's criteria by target group, from the demo's criteria sets (read once); ASSESSED otherwise."""
    if not _criteria:
        _criteria.update(ASSESSED)
        query = {"tenant": LARGE, "period": "2026"}
        async for found in client["thidua_submissions"]["criteria_sets"].find(query, {"content": 1}):
            content = found.get("content") or {}
            codes = tuple(c["code"] for c in content.get("criteria", []) if c["rule"]["kind"] == "assessment")
            if codes:
                _criteria[content["target_group"]] = codes
    return _criteria


async def documents(client: AsyncMongoClient[Document], commune: CommunePlan, now: datetime) -> Documents:
    cast = await cast_of(commune)
    criteria = await assessment_criteria(client)
    pipeline = Pipeline(commune.commune.tenant, now)
    for dossier in commune.dossiers:
        seed_dossier(pipeline, cast, dossier, criteria[dossier.entrant.target_group])
    for period in sorted({(d.period, d.year) for d in commune.dossiers}):
        seed_awards(pipeline, cast, commune, *period)
    return pipeline.out


def _database(client: AsyncMongoClient[Document]) -> AsyncDatabase[Document]:
    return client[DATABASE]


async def seed_province(_client: AsyncMongoClient[Document], _plan: ProvincePlan) -> int:
    """Nothing of the province's own: its periods' deadlines came with the demo's campaign (period:37:<code>)."""
    return 0


async def seed(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = _database(client)
    made = await documents(client, commune, datetime.now(UTC))
    return sum([await insert_all(database[name], docs) for name, docs in made.by_collection()])


async def forget(client: AsyncMongoClient[Document], _plan: ProvincePlan, commune: CommunePlan) -> int:
    database = _database(client)
    tenant = commune.commune.tenant
    if commune.commune.seeded_only:
        return sum([(await database[name].delete_many({"tenant": tenant})).deleted_count for name in COLLECTIONS])
    # the demo's own documents share the commune: only the ids seeding makes, recomputed (reminders included,
    # whichever day they were seeded on)
    made = await documents(client, commune, datetime.max.replace(tzinfo=UTC))
    return sum([await delete_ids(database[name], [d["_id"] for d in docs]) for name, docs in made.by_collection()])
