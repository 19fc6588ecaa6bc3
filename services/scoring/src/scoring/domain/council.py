"""The commune's emulation council as reviewers, and conflicts of interest. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from thidua_shared.events import EntrantRef


class CouncilMember(BaseModel):
    """A council member (thành viên Hội đồng) and what they may not review: their units and themselves."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._@+-]+$")
    unit_entrant_ids: tuple[str, ...] = Field(
        default=(), max_length=20, description="Đơn vị của thành viên / The member's own units"
    )
    person_entrant_id: str | None = Field(default=None, description="Thành viên là đối tượng / The member as entrant")


def conflict(member: CouncilMember, entrant: EntrantRef) -> str | None:
    """Why this member may not review this entrant, or None."""
    if member.person_entrant_id is not None and entrant.id == member.person_entrant_id:
        return "chính mình / themselves"
    if entrant.id in member.unit_entrant_ids or (entrant.unit_id and entrant.unit_id in member.unit_entrant_ids):
        return "đơn vị của mình / their own unit"
    return None


def choose_reviewers(
    members: Sequence[CouncilMember],
    entrant: EntrantRef,
    load: Mapping[str, int],
    count: int,
    exclude: frozenset[str] = frozenset(),
) -> list[str]:
    """The `count` eligible members with the fewest open reviews (ties by name, so the choice is reproducible)."""
    eligible = [m.username for m in members if conflict(m, entrant) is None and m.username not in exclude]
    return sorted(eligible, key=lambda username: (load.get(username, 0), username))[:count]
