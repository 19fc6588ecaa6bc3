"""The commune's emulation council as reviewers: who reviews which dossier. Pure."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from thidua_commons.council import CouncilMember, conflict
from thidua_contracts.terms import EntrantRef

__all__ = ["CouncilMember", "choose_reviewers", "conflict", "not_the_communes"]


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


def not_the_communes(
    named: Sequence[tuple[str, str]], commune: str, communes: Mapping[str, Collection[str]]
) -> list[tuple[str, str]]:
    """Of the (field, entrant id) pairs a roster names, those whose entrant is not known as the commune's own, given
    the communes each known id belongs to: another commune's and unknown ones alike, so that an answer never tells
    an id of another commune from an id of none (docs/adr/0003)."""
    return [(field, entrant_id) for field, entrant_id in named if set(communes.get(entrant_id, ())) != {commune}]
