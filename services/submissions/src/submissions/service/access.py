"""Who may act for which entrants (DOMAIN.md §5).

- submitter: only for the units whose focal officers (cán bộ đầu mối) they are, and those units' people;
- commune_officer: for every entrant of their commune;
- council_member, commune_chair: read their commune;
- province_staff, province_admin: read every commune of their province; nobody reads another province.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from submissions.repository import EntrantRepository
from thidua_contracts.roles import Role
from thidua_platform.auth import Principal
from thidua_platform.problems import Forbidden, NotFound
from thidua_platform.tenancy import Scope, commune_scope, listing_scope, read_scope


@dataclass(frozen=True)
class Actor:
    principal: Principal
    scope: Scope
    own_entrants: frozenset[str] | None  # None: every entrant in scope

    @property
    def user(self) -> str:
        return self.principal.user_id

    @property
    def is_officer(self) -> bool:
        return self.principal.has_any_role(Role.COMMUNE_OFFICER)

    def require_entrant(self, entrant_id: str) -> None:
        """Acting for an entrant outside one's own units looks like it does not exist (no probing)."""
        if self.own_entrants is not None and entrant_id not in self.own_entrants:
            raise NotFound(f"Không có đối tượng {entrant_id} / No entrant {entrant_id}")

    def within(self, commune: str | None) -> Actor:
        """Province staff read one commune's dossiers at a time (the province's figures are the rollups' read
        models); commune users always read their own commune, whatever they name."""
        return replace(self, scope=listing_scope(self.principal, commune))

    def require_officer(self) -> None:
        if not self.is_officer:
            raise Forbidden("Chỉ cán bộ Văn hóa - Xã hội của xã / Commune officers only")


async def reader(*, principal: Principal, entrants: EntrantRepository) -> Actor:
    scope = read_scope(principal)
    return Actor(principal, scope, await _own_entrants(principal, scope, entrants))


async def commune_actor(*, principal: Principal, entrants: EntrantRepository) -> Actor:
    """For changes: only commune users, and submitters only for their own units."""
    scope = commune_scope(principal)
    return Actor(principal, scope, await _own_entrants(principal, scope, entrants))


async def _own_entrants(principal: Principal, scope: Scope, entrants: EntrantRepository) -> frozenset[str] | None:
    if (
        principal.has_any_role(Role.COMMUNE_OFFICER, Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR)
        or principal.tenant is None
    ):
        return None
    units = await entrants.focal_units(scope, principal.username)
    return frozenset(units) | frozenset(await entrants.people_of(scope, units))
