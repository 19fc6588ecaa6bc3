"""The commune's emulation council as reviewers: who reviews which dossier. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thidua_shared.council import CouncilMember, conflict
from thidua_shared.events import EntrantRef

__all__ = ["CouncilMember", "choose_reviewers", "conflict"]


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
