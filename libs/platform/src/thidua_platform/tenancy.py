"""Who may see which documents. Every stored document carries `tenant` (commune code) and `province`.

A Scope is derived from the Principal once per request and applied by the repository layer to every query, so a
route cannot forget it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from fastapi import Query

from thidua_platform.auth import Principal
from thidua_platform.problems import Forbidden, Unprocessable


@dataclass(frozen=True)
class Scope:
    """Either one commune (tenant) or every commune of one province."""

    tenant: str | None = None
    province: str | None = None

    def __post_init__(self) -> None:
        if not self.tenant and not self.province:
            raise ValueError("a scope needs a tenant or a province")

    def filter(self) -> dict[str, Any]:
        """Both keys when both are known: a commune scope is also bounded by its province."""
        bounds: dict[str, Any] = {}
        if self.tenant:
            bounds["tenant"] = self.tenant
        if self.province:
            bounds["province"] = self.province
        return bounds

    @property
    def commune(self) -> str:
        """The commune a document created in this scope belongs to. Only a commune's scope creates a commune's
        documents (`commune_scope`); asking a province-wide scope is a programming error."""
        if not self.tenant:
            raise ValueError("a province-wide scope has no commune")
        return self.tenant

    @property
    def province_code(self) -> str:
        """The province a document created in this scope belongs to; `commune_scope` refuses a commune user whose
        commune names no province, so a scope that creates documents always has one."""
        if not self.province:
            raise ValueError("the scope names no province")
        return self.province

    def admits(self, document: Mapping[str, Any]) -> bool:
        """Whether a document read by its id lies within this scope: the test `filter()` makes, on the document."""
        return all(document.get(key) == value for key, value in self.filter().items())

    def apply(self, query: dict[str, Any]) -> dict[str, Any]:
        """The query restricted to this scope. Conflicting tenant or province keys in `query` cannot widen it."""
        return {"$and": [query, self.filter()]} if query else self.filter()

    def narrowed_to(self, tenant: str) -> Scope | None:
        """This scope limited to one commune, or None if that commune lies outside it."""
        if self.tenant is not None and self.tenant != tenant:
            return None
        return Scope(tenant=tenant, province=self.province)


class Placed(Protocol):
    """Anything placed in a commune (or none) of a province: an event's envelope, a notice."""

    @property
    def tenant(self) -> str | None: ...

    @property
    def province(self) -> str: ...


def event_scope(placed: Placed) -> Scope:
    """The scope an event belongs to: its commune, within its province."""
    return Scope(tenant=placed.tenant, province=placed.province)


def commune_scope(principal: Principal) -> Scope:
    """For acts that belong to one commune: the caller must be a member of a commune."""
    if not principal.tenant:
        raise Forbidden("Chức năng này dành cho người dùng của xã / This is for commune users only")
    if not principal.province:
        raise Forbidden("Xã của người dùng chưa được gắn với tỉnh / The user's commune names no province")
    return Scope(tenant=principal.tenant, province=principal.province)


def read_scope(principal: Principal) -> Scope:
    """For reads: commune users see their commune, province staff every commune of their province."""
    if principal.tenant:
        return Scope(tenant=principal.tenant, province=principal.province)
    if principal.province:
        return Scope(province=principal.province)
    raise Forbidden("Người dùng không thuộc xã hay tỉnh nào / The user belongs to no commune or province")


ChosenCommune = Annotated[
    str | None,
    Query(max_length=64, description="Tỉnh: mã xã (bắt buộc) / Province staff: the commune (required)"),
]


def listing_scope(principal: Principal, commune: str | None) -> Scope:
    """For the lists that grow with every commune's data (dossiers, candidates, sessions, decisions, the award
    history): commune users read their own commune, whatever they name; province staff name one commune at a time,
    within their province. The province's figures across communes are the rollups' read models, bounded by design."""
    scope = read_scope(principal)
    if scope.tenant is not None:
        return scope
    narrowed = scope.narrowed_to(commune) if commune else None
    if narrowed is None:
        raise Unprocessable(
            "Cần chọn xã / Choose a commune",
            errors=[{"field": "commune", "message": "Cán bộ tỉnh cần chọn một xã / Province staff name a commune"}],
        )
    return narrowed
