"""A person's choices of channels and digest."""

from __future__ import annotations

from notifications.domain.aggregates import AuditEntry, Choices, PersonPreferences
from notifications.repository.common import _amended
from thidua_platform.indexes import scoped
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope

PREFERENCES = "preferences"


class PreferencesRepository(ScopedRepository[PersonPreferences]):
    """A person's choices of channels and digest, `_id` = their user id."""

    async def choose(self, scope: Scope, user_id: str, *, choices: Choices, audit: AuditEntry) -> PersonPreferences:
        """Store the person's `choices`: created with the audit entry, or when they exist, replaced by them (the
        last write wins, re-reading on a concurrent change) with it. Returns the stored preferences."""
        document: PersonPreferences = {
            "_id": user_id,
            "tenant": scope.tenant,
            "province": scope.province,
            "in_app": choices["in_app"],
            "email": choices["email"],
            "webhook": choices["webhook"],
            "digest": choices["digest"],
            "audit": [audit],
        }
        return await self.put(scope, document, _amended(choices, audit))


INDEXES = scoped([PREFERENCES])
