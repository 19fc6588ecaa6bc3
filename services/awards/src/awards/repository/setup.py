"""What administrators and officers set, the last write winning: a province's rules and settings, an entrant's
standing, a commune's letterhead."""

from __future__ import annotations

from awards.domain.aggregates import AuditEntry, Letterhead, ProvinceRule, Standing, StoredProvinceSettings
from awards.repository.common import _amended
from thidua_platform.repository import ScopedRepository
from thidua_platform.tenancy import Scope


class RuleRepository(ScopedRepository[ProvinceRule]):
    async def set_rule(self, scope: Scope, rule: ProvinceRule, audit: AuditEntry) -> ProvinceRule:
        """Create the province's rule, or replace the one it has (the last write wins), audited by `audit`."""
        fields = {"rule": rule["rule"], "updated_at": rule["updated_at"]}
        return await self.put(scope, {**rule, "audit": [audit]}, _amended(fields, audit))


class SettingsRepository(ScopedRepository[StoredProvinceSettings]):
    async def set_settings(
        self, scope: Scope, settings: StoredProvinceSettings, audit: AuditEntry
    ) -> StoredProvinceSettings:
        """Create the province's settings, or replace them (the last write wins), audited by `audit`."""
        fields = {"settings": settings["settings"], "updated_at": settings["updated_at"]}
        return await self.put(scope, {**settings, "audit": [audit]}, _amended(fields, audit))


class StandingRepository(ScopedRepository[Standing]):
    async def named(self, scope: Scope, standing_ids: list[str]) -> list[Standing]:
        """The standings with these ids, in one read."""
        return await self.find(scope, {"_id": {"$in": standing_ids}})

    async def set_standing(self, scope: Scope, standing: Standing, audit: AuditEntry) -> Standing:
        """Create the entrant's standing, or replace it (the last write wins), audited by `audit`."""
        fields = {
            "entrant": standing["entrant"],
            "flags": standing["flags"],
            "note": standing["note"],
            "updated_at": standing["updated_at"],
        }
        return await self.put(scope, {**standing, "audit": [audit]}, _amended(fields, audit))


class LetterheadRepository(ScopedRepository[Letterhead]):
    async def set_letterhead(self, scope: Scope, letterhead: Letterhead, audit: AuditEntry) -> Letterhead:
        """Create the commune's letterhead, or replace it (the last write wins), audited by `audit`."""
        fields = {
            "issuing_body": letterhead["issuing_body"],
            "parent_body": letterhead["parent_body"],
            "place": letterhead["place"],
            "authority": letterhead["authority"],
            "updated_at": letterhead["updated_at"],
        }
        return await self.put(scope, {**letterhead, "audit": [audit]}, _amended(fields, audit))
