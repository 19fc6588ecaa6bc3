"""What the notifications repositories share: the scope of a stored document, and the shape of an audited update
(`_amended`, `_attempted`: for the modules of this package only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from notifications.domain.aggregates import AuditEntry, HistoryEntry
from thidua_platform.tenancy import Scope


def scope_of(document: Mapping[str, Any]) -> Scope:
    """The commune or province of a document (a delivery, a review, a period deadline...)."""
    return Scope(tenant=document.get("tenant"), province=document.get("province"))


def _amended(fields: Mapping[str, Any], audit: AuditEntry) -> dict[str, Any]:
    """The update that sets `fields` and appends `audit` to the aggregate's audit trail: every change of an aggregate
    carries its one entry in the same update (ADR 0011)."""
    return {"$set": fields, "$push": {"audit": audit}}


def _attempted(fields: Mapping[str, Any], history: HistoryEntry, audit: AuditEntry) -> dict[str, Any]:
    """The update that sets a delivery's `fields` and appends `history` to its attempts and `audit` to its trail."""
    return {"$set": fields, "$push": {"history": history, "audit": audit}}
