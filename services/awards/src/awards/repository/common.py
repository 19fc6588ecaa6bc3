"""What the awards repositories share: the update that amends an aggregate with its audit entry, conditions, pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from awards.domain.aggregates import AuditEntry, Stored
from thidua_platform.mongo import Document

Listed = TypeVar("Listed", bound=Stored)
Listing = tuple[list[Listed], int]  # a page of aggregates, and how many match in all


def one_of(values: Sequence[str]) -> Any:
    """The condition on a field that holds any of `values` (one value: equality, which any index serves best)."""
    return values[0] if len(values) == 1 else {"$in": list(values)}


def _amended(fields: Mapping[str, Any], audit: AuditEntry) -> Document:
    """The update that sets `fields` and appends `audit` to the aggregate's audit trail."""
    return {"$set": fields, "$push": {"audit": audit}}
