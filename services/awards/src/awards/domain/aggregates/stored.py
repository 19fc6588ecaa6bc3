"""What every aggregate of the service holds (its id, scope, revision and audit trail), and the entrant as the
aggregates carry it."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from thidua_contracts.terms import EntrantKind, TargetGroup

AuditEntry = dict[str, Any]  # thidua_platform.audit's entry: who, when, what (`changes` holds what the action changed)


class Stored(TypedDict):
    """What every aggregate of the service holds: its id, its scope, its revision and its audit trail."""

    _id: str
    tenant: str | None
    province: str | None
    revision: NotRequired[int]
    audit: NotRequired[list[AuditEntry]]


class Entrant(TypedDict):
    """An entrant as events carry it (thidua_contracts.terms.EntrantRef)."""

    id: str
    name: str
    kind: EntrantKind
    target_group: TargetGroup
    unit_id: NotRequired[str | None]
