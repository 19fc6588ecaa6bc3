"""A member of a commune's emulation council and their conflicts of interest. Pure; shared by the services that
seat the council: scoring (reviewers) and awards (voters)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from thidua_contracts.terms import EntrantRef

USERNAME_PATTERN = r"^[A-Za-z0-9._@+-]+$"


class CouncilMember(BaseModel):
    """A council member (thành viên Hội đồng) and what they may not judge: their units and themselves."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    username: str = Field(min_length=1, max_length=100, pattern=USERNAME_PATTERN)
    unit_entrant_ids: tuple[str, ...] = Field(
        default=(), max_length=20, description="Đơn vị của thành viên / The member's own units"
    )
    person_entrant_id: str | None = Field(default=None, description="Thành viên là đối tượng / The member as entrant")


def conflict(member: CouncilMember, entrant: EntrantRef) -> str | None:
    """Why this member may not judge this entrant, or None."""
    if member.person_entrant_id is not None and entrant.id == member.person_entrant_id:
        return "chính mình / themselves"
    if entrant.id in member.unit_entrant_ids or (entrant.unit_id and entrant.unit_id in member.unit_entrant_ids):
        return "đơn vị của mình / their own unit"
    return None
