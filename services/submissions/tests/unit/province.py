"""The submissions service in memory, for the unit tests of its use cases: its own repositories (and the indexes its
API declares at start) on an in-memory database, its outbox relayed onto an in-process bus (thidua_platform.memory).
The province publishes a small template, communes adopt it and open this year's period; who is who is below."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from submissions.domain.aggregates import Campaign, Entrant, Submission
from submissions.domain.criteria import TARGET_GROUPS, CriteriaSetContent
from submissions.domain.periods import VIETNAM
from submissions.domain.submission import EvidenceInput, NewSubmission
from submissions.repository import Repositories, ensure_indexes, repositories
from submissions.service import submission_lifecycle, submissions
from submissions.service.access import Actor, commune_actor, reader
from submissions.service.adoption import adopt_template
from submissions.service.campaigns import PeriodWindow, set_window
from submissions.service.entrants import NewEntrant, create_entrant
from submissions.service.templates import NewTemplate, create_template, publish_template
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.idempotency import idempotency
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.pagination import PageRequest
from thidua_platform.problems import Problem
from thidua_platform.tenancy import Scope

PROVINCE = "37"
KIM_SON = "ph-37-kim-son"
SCOPE = Scope(tenant=LIEN_MINH, province=PROVINCE)
ADMIN = Principal("u-admin", "nb.admin", frozenset({Role.PROVINCE_ADMIN}), province=PROVINCE)
STAFF = Principal("u-staff", "nb.staff", frozenset({Role.PROVINCE_STAFF}), province=PROVINCE)
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province=PROVINCE)
SUBMITTER = Principal("u-submitter", "lm.submitter", frozenset({Role.SUBMITTER}), tenant=LIEN_MINH, province=PROVINCE)
KIM_SON_OFFICER = Principal(
    "u-ks-officer", "ks.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=KIM_SON, province=PROVINCE
)


def small_set(group: str) -> CriteriaSetContent:
    """Two criteria per group: `<group>1` an indicator in per cent (ratio, 60 points, target 80), `<group>2` judged
    by the council from the evidence (assessment, 40 points)."""
    return CriteriaSetContent.model_validate(
        {
            "target_group": group,
            "criteria": [
                {
                    "code": f"{group}1",
                    "theme": 3,
                    "title": "Tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình",
                    "max_points": 60,
                    "rule": {"kind": "ratio"},
                    "indicator": {"name": "Hồ sơ trực tuyến toàn trình", "unit": "%", "target": 80},
                },
                {
                    "code": f"{group}2",
                    "theme": 5,
                    "title": "Tham gia phong trào “Bình dân học vụ số”",
                    "max_points": 40,
                    "rule": {"kind": "assessment"},
                },
            ],
        }
    )


TEMPLATE = NewTemplate(criteria_sets={group: small_set(group) for group in TARGET_GROUPS})


def open_period(now: datetime) -> tuple[str, PeriodWindow]:
    """This year's period (Vietnam time; in January, last year's, which may stay open until February) and a window
    of it open now, as a commune may set one (opening within the year, closing by the end of January after it)."""
    local = now.astimezone(VIETNAM)
    year = local.year - 1 if local.month == 1 else local.year
    first, last_open = datetime(year, 1, 1, tzinfo=VIETNAM), datetime(year, 12, 31, tzinfo=VIETNAM)
    latest = datetime(year + 1, 2, 1, tzinfo=VIETNAM) - timedelta(minutes=1)
    opens = max(min(local - timedelta(days=1), last_open), first)
    return str(year), PeriodWindow(opens_at=opens, closes_at=min(local + timedelta(days=30), latest))


class Province:
    """The service as its API and worker run it, in memory; `events()` is what its outbox has published since."""

    def __init__(self) -> None:
        self.repos: Repositories = repositories(memory_database("submissions"))
        self.bus = InProcessBus()
        self.bus.relay(self.repos.submissions.collection.database)
        self.period = ""
        self.template_id = ""
        self.campaigns: dict[str, Campaign] = {}

    @classmethod
    async def opened(cls) -> Province:
        """The province with its template published and Liên Minh's period open, the events of it all read."""
        made = cls()
        await made.start()
        await made.open_commune(OFFICER)
        await made.events()
        return made

    async def start(self) -> None:
        """The indexes (the one active dossier per entrant and period is a unique key), the province's template."""
        await ensure_indexes(self.repos.submissions.collection.database)
        template = await create_template(repos=self.repos, principal=ADMIN, request=TEMPLATE)
        await publish_template(repos=self.repos, principal=ADMIN, template_id=template["_id"])
        self.template_id = template["_id"]

    async def open_commune(self, officer: Principal) -> Campaign:
        """The officer's commune adopts the template and opens this year's period now."""
        assert officer.tenant is not None
        scope = Scope(tenant=officer.tenant, province=PROVINCE)
        campaign = await adopt_template(repos=self.repos, principal=officer, scope=scope, template_id=self.template_id)
        self.period, window = open_period(datetime.now(UTC))
        self.campaigns[officer.tenant] = await set_window(
            repos=self.repos,
            principal=officer,
            scope=scope,
            campaign_id=campaign["_id"],
            period=self.period,
            window=window,
        )
        return self.campaigns[officer.tenant]

    async def events(self) -> list[Envelope]:
        """The events relayed from the outbox since the last call, in order per aggregate."""
        return await self.bus.settle()

    async def actor(self, principal: Principal = OFFICER) -> Actor:
        """Acting (creating, changing): a commune's users only, a submitter for their own units."""
        return await commune_actor(principal=principal, entrants=self.repos.entrants)

    async def reader(self, principal: Principal) -> Actor:
        return await reader(principal=principal, entrants=self.repos.entrants)

    async def entrant(self, name: str, *, group: str = "a", officer: Principal = OFFICER, **fields: object) -> Entrant:
        kind = "individual" if group in ("d1", "d2") else "collective"
        request = NewEntrant.model_validate({"name": name, "kind": kind, "target_group": group, **fields})
        return await create_entrant(repos=self.repos, actor=await self.actor(officer), entrant=request)

    async def dossier(self, entrant: Entrant, *, by: Principal = OFFICER, key: str | None = None) -> Submission:
        """A new draft dossier of the entrant for the open period."""
        request = NewSubmission(period=self.period, entrant_id=entrant["_id"])
        created, _ = await submissions.create_submission(
            repos=self.repos,
            actor=await self.actor(by),
            request=request,
            key=idempotency(by, "submission", key, request.model_dump()),
        )
        return created

    async def report(self, submission_id: str, code: str, **evidence: object) -> None:
        """The officer reports a criterion's evidence."""
        await submissions.report_evidence(
            repos=self.repos,
            actor=await self.actor(),
            submission_id=submission_id,
            code=code,
            evidence=EvidenceInput.model_validate(evidence),
        )

    async def submit(self, submission_id: str, *, by: Principal = OFFICER) -> str:
        """Submit (or resubmit) the dossier; its status after."""
        done = await submission_lifecycle.submit(
            repos=self.repos, actor=await self.actor(by), submission_id=submission_id
        )
        return done["status"]

    async def listed(self, actor: Actor, *, page: int = 1, page_size: int = 50) -> tuple[list[str], int]:
        """The ids of a page of the dossiers the actor sees, and how many they see in all."""
        found, total = await submissions.list_submissions(
            repos=self.repos,
            actor=actor,
            period=None,
            group=None,
            theme=None,
            status=None,
            entrant=None,
            paging=PageRequest(page=page, page_size=page_size),
        )
        return [d["_id"] for d in found], total


def types(events: list[Envelope]) -> list[str]:
    """The events' types, sorted: the relay keeps each aggregate's events in order, not one order across them."""
    return sorted(event.type for event in events)


def fields(problem: Problem) -> list[str]:
    """The fields a refusal names (its `errors`, as the API answers them)."""
    return [error["field"] for error in problem.extensions.get("errors", [])]
