"""A dossier through all five services without servers: submissions, scoring, awards, notifications and rollups,
each on its own in-memory database with its own repositories, use cases and handlers, joined by one in-process bus
as Kafka joins their workers (thidua_platform.memory). The province publishes its template, the commune adopts it,
opens the period and seats its council, an officer files and submits a dossier, returns it, the unit submits it
again: each service does its part from the events alone. The end-to-end tier proves the same on the real stack
(tests/e2e/test_submission_flow.py, tests/e2e/test_return_for_correction.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

from awards.consumers.events import handlers as awards_handlers
from awards.repository import Repositories as Awards
from awards.repository import repositories as awards_repositories
from notifications.consumers.events import handlers as notifications_handlers
from notifications.repository import Repositories as Notifications
from notifications.service.intake import IntakeConfig
from rollups.consumers.events import handlers as rollups_handlers
from rollups.repository import ReadModels
from rollups.service.summaries import refresh_dirty
from scoring.consumers.events import handlers as scoring_handlers
from scoring.repository import Repositories as Scoring
from scoring.repository import repositories as scoring_repositories
from scoring.service.council import Roster, set_roster
from submissions.domain.submission import EvidenceInput, NewSubmission, ReturnRequest
from submissions.repository import Repositories as Submissions
from submissions.repository import repositories as submissions_repositories
from submissions.service import submission_lifecycle, submissions
from submissions.service.access import Actor, commune_actor
from submissions.service.adoption import adopt_template
from submissions.service.campaigns import PeriodWindow, set_window
from submissions.service.entrants import NewEntrant, create_entrant
from submissions.service.templates import NewTemplate, create_template, publish_template
from thidua_contracts.roles import Role
from thidua_contracts.scoring import ReviewAssigned, ScoreComputed
from thidua_contracts.submissions import SubmissionResubmitted, SubmissionReturned, SubmissionSubmitted
from thidua_platform.auth import Principal
from thidua_platform.idempotency import idempotency
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope

from .people import People

VIETNAM = timezone(timedelta(hours=7))
TENANT, PROVINCE = "ph-37-lien-minh", "37"
SCOPE = Scope(tenant=TENANT, province=PROVINCE)
ADMIN = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province=PROVINCE)
OFFICER = Principal("u-lm.officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=TENANT, province=PROVINCE)


def open_period(now: datetime) -> tuple[str, PeriodWindow]:
    """This year's period (Vietnam time; in January, last year's, which may stay open until February) and a window
    of it open now, as the service allows one (opening within the year, closing by the end of January after it)."""
    local = now.astimezone(VIETNAM)
    year = local.year - 1 if local.month == 1 else local.year
    first, last_open = datetime(year, 1, 1, tzinfo=VIETNAM), datetime(year, 12, 31, tzinfo=VIETNAM)
    latest = datetime(year + 1, 2, 1, tzinfo=VIETNAM) - timedelta(minutes=1)
    opens = max(min(local - timedelta(days=1), last_open), first)
    return str(year), PeriodWindow(opens_at=opens, closes_at=min(local + timedelta(days=30), latest))


@dataclass
class Province:
    submissions: Submissions
    scoring: Scoring
    awards: Awards
    notifications: Notifications
    rollups: ReadModels
    bus: InProcessBus
    period: str

    async def actor(self) -> Actor:
        return await commune_actor(principal=OFFICER, entrants=self.submissions.entrants)

    async def inbox(self, username: str) -> list[str]:
        found, _ = await self.notifications.inbox.page(SCOPE, f"u-{username}", unread_only=False, skip=0, limit=50)
        return sorted(message["kind"] for message in found)

    async def in_progress(self) -> dict[str, int]:
        await refresh_dirty(models=self.rollups)
        [summary] = await self.rollups.summaries(SCOPE, period=self.period)
        return {kind: n for kind, n in summary["in_progress"].items() if n}


@pytest.fixture
async def province() -> Province:
    databases = {name: memory_database(name) for name in ("submissions", "scoring", "awards", "notifications")}
    rollups_database = memory_database("rollups")
    bus = InProcessBus()
    made = Province(
        submissions=submissions_repositories(databases["submissions"]),
        scoring=scoring_repositories(databases["scoring"]),
        awards=awards_repositories(databases["awards"]),
        notifications=Notifications.of(databases["notifications"]),
        rollups=ReadModels(rollups_database),
        bus=bus,
        period="",
    )
    people = People()
    people.add("lm.officer", roles=frozenset({Role.COMMUNE_OFFICER}))
    for member in ("lm.council1", "lm.council2"):
        people.add(member, roles=frozenset({Role.COUNCIL_MEMBER}))
    bus.subscribe(scoring_handlers(made.scoring))
    bus.subscribe(awards_handlers(made.awards))
    bus.subscribe(notifications_handlers(made.notifications, people, IntakeConfig(digest_hour=7)))
    bus.subscribe(rollups_handlers(made.rollups))
    for database in databases.values():
        bus.relay(database)

    template = await create_template(repos=made.submissions, principal=ADMIN, request=NewTemplate())
    await publish_template(repos=made.submissions, principal=ADMIN, template_id=template["_id"])
    campaign = await adopt_template(repos=made.submissions, principal=OFFICER, scope=SCOPE, template_id=template["_id"])
    made.period, window = open_period(datetime.now(UTC))
    await set_window(
        repos=made.submissions,
        principal=OFFICER,
        scope=SCOPE,
        campaign_id=campaign["_id"],
        period=made.period,
        window=window,
    )
    roster = Roster.model_validate({"members": [{"username": "lm.council1"}, {"username": "lm.council2"}]})
    await set_roster(repos=made.scoring, principal=OFFICER, scope=SCOPE, request=roster)
    await bus.settle()
    return made


async def test_a_dossier_submitted_returned_and_submitted_again(province: Province) -> None:
    actor = await province.actor()
    entrant = await create_entrant(
        repos=province.submissions,
        actor=actor,
        entrant=NewEntrant(name="Thôn Đông Hưng", kind="collective", target_group="a"),
    )
    request = NewSubmission(period=province.period, entrant_id=entrant["_id"])
    dossier, _ = await submissions.create_submission(
        repos=province.submissions,
        actor=actor,
        request=request,
        key=idempotency(OFFICER, "submission", None, request.model_dump()),
    )
    content = await submissions.criteria_of(repos=province.submissions, actor=actor, submission=dossier)
    ratio = next(c for c in content.criteria if c.rule.kind == "ratio")
    await submissions.report_evidence(
        repos=province.submissions,
        actor=actor,
        submission_id=dossier["_id"],
        code=ratio.code,
        evidence=EvidenceInput(value=90, narrative="Hồ sơ trực tuyến toàn trình."),
    )
    await submission_lifecycle.submit(repos=province.submissions, actor=actor, submission_id=dossier["_id"])
    delivered = await province.bus.settle()

    # submissions → scoring: the dossier scored, its assessment criteria sent to both council members
    kinds = [e.type for e in delivered]
    assert kinds.count(SubmissionSubmitted.event_type) == 1
    assert kinds.count(ScoreComputed.event_type) == 1
    assert sorted(e.data["reviewer"] for e in delivered if e.type == ReviewAssigned.event_type) == [
        "lm.council1",
        "lm.council2",
    ]
    score = await province.scoring.scores.latest(SCOPE, dossier["_id"])
    assert score is not None
    assert ratio.code in {c["code"] for c in score["criteria"]}
    # → notifications: the reviewers told; the submitter (the officer filed it) told it arrived
    assert await province.inbox("lm.council1") == ["review_assigned"]
    assert "submission_submitted" in await province.inbox("lm.officer")
    # → awards: the dossier's evidence kept for a later proposal; → rollups: the commune's figures
    assert [d["_id"] for d in await province.awards.dossiers.find(SCOPE, {})] == [dossier["_id"]]
    assert await province.in_progress() == {"submitted": 1, "awaiting_score": 1}

    await submission_lifecycle.return_for_correction(
        repos=province.submissions,
        actor=actor,
        submission_id=dossier["_id"],
        request=ReturnRequest.model_validate({"reasons": [{"code": ratio.code, "reason": "Thiếu số liệu quý IV."}]}),
    )
    delivered = await province.bus.settle()

    assert [e.type for e in delivered if e.source == "thidua/submissions"] == [SubmissionReturned.event_type]
    returned = await province.scoring.scores.latest(SCOPE, dossier["_id"])
    assert returned is not None
    assert returned["status"] == "returned"
    assignments = await province.scoring.assignments.of_version(SCOPE, dossier["_id"], 1)
    assert {a["status"] for a in assignments} == {"closed"}
    assert "submission_returned" in await province.inbox("lm.officer")
    # rollups count a returned dossier as still awaiting its score (it has none final): in_progress as it stands
    assert await province.in_progress() == {"submitted": 1, "returned": 1, "awaiting_score": 1}

    await submission_lifecycle.submit(repos=province.submissions, actor=actor, submission_id=dossier["_id"])
    delivered = await province.bus.settle()

    assert SubmissionResubmitted.event_type in {e.type for e in delivered}
    again = await province.scoring.scores.latest(SCOPE, dossier["_id"])
    assert again is not None
    assert (again["submission_version"], again["status"]) == (2, "submitted")
    assert await province.in_progress() == {"submitted": 1, "awaiting_score": 1}
