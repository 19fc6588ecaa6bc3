"""The commune's standing emulation council (Hội đồng Thi đua - Khen thưởng xã): established by the chairman's
decision for a term, its members each with a place in it (chair, deputy, standing member, secretary, member), their
name and office. The same council reviews the dossiers (scoring) and votes at the sessions (awards), where the portal
seats it. Pure."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from thidua_commons.council import CouncilMember
from thidua_platform.text import ShortText

CouncilRole = Literal["chair", "deputy", "standing", "secretary", "member"]
ROLE_NAMES: dict[CouncilRole, str] = {
    "chair": "Chủ tịch Hội đồng",
    "deputy": "Phó Chủ tịch Hội đồng",
    "standing": "Ủy viên thường trực",
    "secretary": "Thư ký Hội đồng",
    "member": "Thành viên",
}
SINGLE_ROLES: tuple[CouncilRole, ...] = ("chair", "standing", "secretary")  # one member each, at most


class StandingMember(CouncilMember):
    """A member of the standing council: who reviews and votes, their place in the council and their office."""

    name: ShortText | None = Field(default=None, description="Họ và tên / Full name")
    position: ShortText | None = Field(default=None, description="Chức vụ, ví dụ Phó Chủ tịch UBND xã / Office")
    council_role: CouncilRole = Field(default="member", description="Vị trí trong Hội đồng / Place in the council")


class Establishment(BaseModel):
    """The decision that established the council (quyết định thành lập/kiện toàn Hội đồng) and its term."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    number: ShortText = Field(description="Số quyết định, ví dụ 45/QĐ-UBND / The decision's number")
    signed_on: date = Field(description="Ngày ký / Signed on")
    term_from: date = Field(description="Nhiệm kỳ từ / The term begins")
    term_to: date | None = Field(default=None, description="Nhiệm kỳ đến (trống: đến khi kiện toàn) / The term ends")

    @model_validator(mode="after")
    def _a_term_that_ends_after_it_begins(self) -> Establishment:
        if self.term_to is not None and self.term_to < self.term_from:
            raise ValueError("term_to: nhiệm kỳ kết thúc trước khi bắt đầu / the term ends before it begins")
        if not date(2020, 1, 1) <= self.signed_on <= date(2031, 12, 31):
            raise ValueError("signed_on: ngày ký ngoài 2020–2031 / signed outside 2020–2031")
        return self


def role_problems(members: tuple[StandingMember, ...], *, established: bool) -> list[dict[str, str]]:
    """Every way the places in the council are wrong, each naming its field: a place held by two members, and, for a
    council established by decision, no chair or a member with no name."""
    problems: list[dict[str, str]] = []
    for role in SINGLE_ROLES:
        holders = [i for i, m in enumerate(members) if m.council_role == role]
        for index in holders[1:]:
            problems.append(
                {"field": f"members.{index}.council_role", "message": f"chỉ một {ROLE_NAMES[role]} / only one {role}"}
            )
    if established:
        if members and not any(m.council_role == "chair" for m in members):
            message = "Hội đồng cần Chủ tịch Hội đồng / the council needs a chair"
            problems.append({"field": "members", "message": message})
        for index, member in enumerate(members):
            if not member.name:
                problems.append({"field": f"members.{index}.name", "message": "cần họ và tên / a name is needed"})
    return problems
