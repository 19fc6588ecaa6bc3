"""The notifications service in memory, for the unit tests of its use cases: its own repositories on an in-memory
database, its worker's handlers subscribed to an in-process bus (thidua_platform.memory), a realm of people in place
of Keycloak, and a mailbox and a webhook gateway in place of the SMTP server and the communes' gateways. Nothing here
opens a connection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from notifications.adapters.channels import (
    HandingOver,
    Permanent,
    SmtpSender,
    Temporary,
    WebhookSender,
    nothing_to_record,
)
from notifications.adapters.directory import DirectoryUnavailable, Person
from notifications.consumers.events import handlers
from notifications.domain.aggregates import Delivery, Digest, Message, WebhookGateway
from notifications.domain.delivery import Preferences
from notifications.domain.templates import Rendered
from notifications.repository import Repositories
from notifications.service.dispatch import Dispatcher, DispatchPolicy
from notifications.service.intake import IntakeConfig
from notifications.service.preferences import set_gateway, set_preferences
from thidua_contracts.submissions import ReturnReason, SubmissionReturned
from thidua_contracts.terms import EntrantRef
from thidua_contracts.testing import LIEN_MINH, entrant
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope, EventData, new_event
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope, read_scope

TAM_DIEP = "ph-37-tam-diep"  # another commune of the same province (37)
SON_MAI = "ph-51-son-mai"  # a commune of another province (51)
PROVINCE = {LIEN_MINH: "37", TAM_DIEP: "37", SON_MAI: "51"}
LIEN_MINH_SCOPE = Scope(tenant=LIEN_MINH, province="37")
GATEWAY_URL = "https://zalo-gateway.example.vn/thidua"


@dataclass
class Realm:
    """People as the directory (Keycloak) knows them: user id `u-<username>`, an e-mail unless told otherwise, the
    organization they belong to (a commune's code, or `tinh-<province>` for a province's staff) and their roles."""

    people: dict[str, tuple[Person, str, frozenset[str]]] = field(default_factory=dict)
    unreachable: set[str] = field(default_factory=set)  # usernames whose lookup fails as when Keycloak is down

    def add(self, username: str, *roles: str, organization: str = LIEN_MINH, email: bool = True) -> Person:
        person = Person(f"u-{username}", username, f"{username}@example.vn" if email else None, username.title())
        self.people[username] = (person, organization, frozenset(roles))
        return person

    @staticmethod
    def _organization(tenant: str | None, province: str | None) -> str:
        return tenant if tenant else f"tinh-{province}"

    async def by_id(self, user_id: str) -> Person | None:
        return next((person for person, _, _ in self.people.values() if person.user_id == user_id), None)

    async def by_username(self, username: str) -> Person | None:
        if username in self.unreachable:
            raise DirectoryUnavailable(f"Keycloak did not answer for {username}")
        found = self.people.get(username)
        return found[0] if found else None

    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:
        organization = self._organization(tenant, province)
        return [p for p, org, roles in self.people.values() if role in roles and org == organization]

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:
        organization = self._organization(tenant, province)
        return frozenset(p.user_id for p, org, _ in self.people.values() if org == organization)


class Crash(BaseException):
    """The dispatcher's process dying mid-send (not an error any `except Exception` handles), after handing the
    e-mail over to the server or before."""

    def __init__(self, *, after_handover: bool = True) -> None:
        super().__init__("the dispatcher died")
        self.after_handover = after_handover


@dataclass(frozen=True)
class Mailbox(SmtpSender):
    """The SMTP server: accepts every e-mail into `received`, except that the next sends fail with `failures` in
    turn. A refusal (Temporary, Permanent) comes before the handover, as an SMTP server refuses a recipient; anything
    else (Uncertain, a Crash unless told otherwise) after it, once the message's text is on its way."""

    host: str = "mail.invalid"
    port: int = 25
    sender: str = "thidua@example.vn"
    received: list[tuple[str, str]] = field(default_factory=list)  # (address, Vietnamese subject)
    failures: list[BaseException] = field(default_factory=list)

    async def send(self, delivery: Delivery, rendered: Rendered, handing_over: HandingOver = nothing_to_record) -> None:
        failure = self.failures.pop(0) if self.failures else None
        if isinstance(failure, Temporary | Permanent) or (isinstance(failure, Crash) and not failure.after_handover):
            raise failure
        await handing_over()
        if failure is not None:
            raise failure
        self.received.append((str(delivery["recipient"]["email"]), rendered.subject_vi))


@dataclass
class Gateway:
    """A commune's webhook gateway (Zalo OA, SMS), answering `status`; the requests it received."""

    status: int = 200
    requests: list[httpx.Request] = field(default_factory=list)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.status)

    def sender(self) -> WebhookSender:
        # private addresses allowed: the gateway's name is never looked up (the transport answers in process)
        return WebhookSender(allow_private=True, transport=httpx.MockTransport(self.answer))


class Notifications:
    """The service as its worker runs it, in memory: repositories, the handlers subscribed to the bus, the outbox
    relayed (it has no events of its own; the relay completes interrupted changes, as the worker's does)."""

    def __init__(self, *, digest_hour: int = 7) -> None:
        self.database = memory_database("notifications")
        self.repos = Repositories.of(self.database)
        self.realm = Realm()
        self.config = IntakeConfig(digest_hour=digest_hour)
        self.bus = InProcessBus()
        self.bus.subscribe(handlers(self.repos, self.realm, self.config))
        self.bus.relay(self.database)

    async def receive(self, data: EventData, *, tenant: str | None = LIEN_MINH, province: str = "37") -> Envelope:
        """An event from another service, delivered to the worker's handlers; the event."""
        envelope = new_event(data, source="tests", subject=subject_of(data), tenant=tenant, province=province)
        await self.bus.receive(envelope)
        return envelope

    async def inbox(self, username: str) -> list[Message]:
        """Everything in the person's inbox, newest first, as they read it (within their own scope)."""
        messages, _total = await self.repos.inbox.page(
            read_scope(self.principal(username)), f"u-{username}", unread_only=False, skip=0, limit=100
        )
        return messages

    async def kinds_told(self, username: str) -> list[str]:
        return sorted(message["kind"] for message in await self.inbox(username))

    async def kinds_stored(self, username: str, *, province: str = "37") -> list[str]:
        """The kinds of the messages stored for the person in any commune of the province, whether or not their own
        scope would show them: who was told, not what they can read."""
        everywhere = Scope(province=province)
        messages, _ = await self.repos.inbox.page(everywhere, f"u-{username}", unread_only=False, skip=0, limit=100)
        return sorted(message["kind"] for message in messages)

    async def deliveries(self, query: dict[str, object] | None = None, *, province: str = "37") -> list[Delivery]:
        """The e-mails and webhook calls stored in the province, oldest first."""
        return await self.repos.deliveries.find(Scope(province=province), query or {}, sort=("created_at", 1))

    async def delivery(self, delivery_id: str) -> Delivery:
        found = await self.repos.deliveries.overseen_one(None, delivery_id)
        assert found is not None
        return found

    def principal(self, username: str) -> Principal:
        """The person as their token names them: commune users with their commune, province staff their province."""
        _person, organization, roles = self.realm.people[username]
        if organization.startswith("tinh-"):
            return Principal(f"u-{username}", username, roles, province=organization.removeprefix("tinh-"))
        return Principal(f"u-{username}", username, roles, tenant=organization, province=PROVINCE[organization])

    async def gateway(
        self, *, secret: str, enabled: bool = True, url: str = GATEWAY_URL, allow_private: bool = True
    ) -> WebhookGateway:
        """Liên Minh's officer sets the commune's webhook gateway; by default the test's gateway is allowed as a
        development deployment allows private ones (no name is resolved)."""
        return await set_gateway(
            repos=self.repos,
            scope=LIEN_MINH_SCOPE,
            principal=self.principal("lm.officer"),
            url=url,
            secret=secret,
            enabled=enabled,
            allow_private=allow_private,
        )

    async def prefer(
        self, username: str, *, in_app: bool = True, email: bool = True, webhook: bool = False, digest: Digest = "off"
    ) -> None:
        """The person's choices, set as they set them (PUT /preferences)."""
        principal = self.principal(username)
        chosen = Preferences(in_app=in_app, email=email, webhook=webhook, digest=digest)
        await set_preferences(repos=self.repos, scope=read_scope(principal), principal=principal, chosen=chosen)

    def dispatcher(
        self,
        mailbox: Mailbox,
        *,
        gateway: Gateway | None = None,
        max_attempts: int = 3,
        retry_base_seconds: float = 0.0,
        lease_seconds: float = 120.0,
    ) -> Dispatcher:
        """The worker's dispatcher, sending through the fakes; by default a failed attempt is due again at once."""
        policy = DispatchPolicy(
            max_attempts=max_attempts, retry_base_seconds=retry_base_seconds, lease_seconds=lease_seconds
        )
        webhook = (gateway or Gateway()).sender()
        return Dispatcher(repos=self.repos, email=mailbox, webhook=webhook, policy=policy)

    async def waiting(self) -> int:
        """How many deliveries the dispatch queue lists, due or not."""
        return len(await self.repos.deliveries.due(datetime.max.replace(tzinfo=UTC), 1000))


def subject_of(data: EventData) -> str:
    for name in ("submission_id", "proposal_id", "decision_id", "session_id", "campaign_id"):
        if isinstance(value := getattr(data, name, None), str):
            return value
    return "subject"


def named(name: str, entrant_id: str = "e-1") -> EntrantRef:
    return entrant(id=entrant_id, name=name)


def returned(
    submitted_by: str = "u-lm.submitter", *, reason: str = "Thiếu chữ ký", code: str | None = None
) -> SubmissionReturned:
    """A dossier of xã Liên Minh returned by its officer for correction, with one reason."""
    return SubmissionReturned(
        submission_id=str(uuid.uuid4()),
        version=1,
        period="2025",
        entrant=entrant(),
        submitted_by=submitted_by,
        returned_by="u-lm.officer",
        reasons=(ReturnReason(code=code, reason=reason),),
    )


# a commune's own version of the returned-dossier template, as an officer edits it
EDITED = {
    "subject_vi": "Hồ sơ {{ entrant }} cần sửa",
    "body_vi": "{% for r in reasons %}* {{ r.reason }}\n{% endfor %}",
    "subject_en": "{{ entrant }}: please correct",
    "body_en": "{% for r in reasons %}* {{ r.reason }}\n{% endfor %}",
}
