"""The awards service in memory, for the unit tests of its use cases: its repositories and change log on an
in-memory database, its outbox relayed onto an in-process bus that calls the handlers its worker registers, its own
events included (thidua_platform.memory); and a commune's council ready to be convened. Nothing here opens a
connection."""

from __future__ import annotations

from typing import Any

from awards.consumers.events import handlers
from awards.repository import Repositories, repositories
from awards.service.candidates import AddRequest, add
from awards.service.common import candidate_id
from awards.service.sessions import SessionRequest
from thidua_contracts.roles import Role
from thidua_contracts.testing import LIEN_MINH, entrant, envelope_of, score_finalised
from thidua_platform.auth import Principal
from thidua_platform.envelope import Envelope
from thidua_platform.memory import InProcessBus, memory_database
from thidua_platform.tenancy import Scope

SCOPE = Scope(tenant=LIEN_MINH, province="37")
TAM_DIEP = Scope(tenant="ph-37-tam-diep", province="37")  # another commune of the same province
PERIOD = "2026"  # a yearly round
OFFICER = Principal("u-officer", "lm.officer", frozenset({Role.COMMUNE_OFFICER}), tenant=LIEN_MINH, province="37")

# The council: lm.council1 works for the primary school, so may not judge it.
SCHOOL = "e-school"
MEMBERS: tuple[dict[str, Any], ...] = (
    {"username": "lm.chair", "name": "Nguyễn Văn Hưng", "role": "Chủ tịch Hội đồng"},
    {"username": "lm.council1", "name": "Trần Thị Thủy", "unit_entrant_ids": [SCHOOL]},
    {"username": "lm.council2", "name": "Lê Văn Đức", "role": "Thư ký Hội đồng"},
)


class Awards:
    def __init__(self) -> None:
        self.repos: Repositories = repositories(memory_database("awards"))
        self.bus = InProcessBus()
        self.bus.subscribe(handlers(self.repos))
        self.bus.relay(self.repos.candidates.collection.database)

    async def receive(self, envelope: Envelope) -> list[Envelope]:
        """Deliver an event from another service, then everything it causes; what awards published."""
        return [e for e in await self.bus.receive(envelope) if e.source == "thidua/awards"]

    async def published(self) -> list[Envelope]:
        """What awards published since last asked (each event delivered to its handlers first)."""
        return [e for e in await self.bus.settle() if e.source == "thidua/awards"]

    async def scored(self, entrant_id: str, total: float, *, name: str, target_group: str = "a") -> str:
        """A collective entrant's final score for the period (a commune award's candidacy if it is high enough);
        the submission's id."""
        submission_id = f"s-{entrant_id}"
        who = entrant(id=entrant_id, name=name, target_group=target_group)
        await self.receive(envelope_of(score_finalised(submission_id, period=PERIOD, total=total, entrant=who)))
        return submission_id


async def on_the_list(awards: Awards) -> tuple[str, str, str]:
    """The candidates of the period before a council meets: the hamlet and the school for the commune's Giấy khen
    (their scores meet it), and the school for the province's Bằng khen, added by the officer with a reason. Their
    ids: the hamlet's Giấy khen, the school's Giấy khen, the school's Bằng khen."""
    await awards.scored("e-hamlet", 85.0, name="Thôn Đông Hưng", target_group="a")
    school = await awards.scored(SCHOOL, 95.0, name="Trường Tiểu học Liên Minh", target_group="c")
    reason = "Thành tích xuất sắc, tiêu biểu của xã"
    request = AddRequest(submission_id=school, award_form="BANG_KHEN_TINH", reason=reason)
    await add(repos=awards.repos, principal=OFFICER, scope=SCOPE, request=request)
    await awards.published()
    ids = (("GIAY_KHEN_XA", "e-hamlet"), ("GIAY_KHEN_XA", SCHOOL), ("BANG_KHEN_TINH", SCHOOL))
    hamlet_gk, school_gk, school_bk = (candidate_id(LIEN_MINH, PERIOD, form, who) for form, who in ids)
    return hamlet_gk, school_gk, school_bk


def member(username: str, role: Role = Role.COUNCIL_MEMBER) -> Principal:
    return Principal(f"u-{username}", username, frozenset({role}), tenant=LIEN_MINH, province="37")


def session_request(**overrides: Any) -> SessionRequest:
    fields: dict[str, Any] = {
        "period": PERIOD,
        "title": f"Họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {PERIOD}",
        "held_at": "2026-12-05T08:00:00+07:00",
        "location": "Hội trường UBND xã Liên Minh",
        "members": MEMBERS,
        "chair": "lm.chair",
        "secretary": "lm.council2",
    }
    return SessionRequest.model_validate(fields | overrides)
