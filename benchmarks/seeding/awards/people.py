"""Seeds who acts for a commune: the council seated for its sessions (xã Liên Minh's real one, made-up members
elsewhere), the ids the audit names them by, and the letterhead a benchmark-only commune's officer sets once."""

from __future__ import annotations

from dataclasses import dataclass

from awards.domain.council import SessionMember
from awards.repository import LETTERHEADS
from awards.service.letterhead import LetterheadInput
from benchmarks.seeding.awards.common import CHAIR_ROLE, FAMILY, GIVEN, LETTERHEAD_SET_AT, LIEN_MINH_COUNCIL, Aggregate
from benchmarks.seeding.plan import LARGE, PROVINCE, PROVINCE_NAME, SMALL, CommunePlan
from benchmarks.seeding.submissions import OFFICER
from thidua_platform.audit import entry
from thidua_platform.mongo import Document


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
