"""Provisioning in Keycloak: a province or a commune is an Organization of the realm, its people members with roles.

Every step looks before it writes, so running a provisioning again completes what an interrupted run left and
changes nothing that is already right (an existing user's password is never reset).
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from keycloak import KeycloakAdmin

from thidua_contracts.roles import Role

REALM_ROLES = {
    Role.SUBMITTER: "Cá nhân, tập thể nộp hồ sơ thi đua / Submits achievements and initiatives",
    Role.COMMUNE_OFFICER: "Cán bộ thi đua – khen thưởng của xã / The commune's emulation officer",
    Role.COUNCIL_MEMBER: "Thành viên Hội đồng thi đua – khen thưởng xã / Member of the commune's council",
    Role.COMMUNE_CHAIR: "Chủ tịch UBND xã / The commune's chairman",
    Role.PROVINCE_STAFF: "Cán bộ Ban Thi đua – Khen thưởng tỉnh / The province's emulation staff",
    Role.PROVINCE_ADMIN: "Quản trị cấp tỉnh / The province's administrator",
    Role.OPERATOR: "Vận hành hệ thống / The platform's operator",
}


class Refused(Exception):
    """Provisioning would break something that exists (said before anything is written)."""


@dataclass(frozen=True)
class Person:
    """Someone to give an account: `username:email[:Họ và tên]` on the command line (family name first)."""

    username: str
    email: str
    full_name: str = ""

    @classmethod
    def parse(cls, text: str) -> Person:
        parts = unicodedata.normalize("NFC", text).split(":", 2)
        if len(parts) < 2 or not parts[0] or "@" not in parts[1]:
            raise ValueError(
                f"«{text}»: cần / expected USERNAME:EMAIL[:HỌ TÊN / FULL NAME], "
                "e.g. ym.officer:officer@yenmo.vn:Lê Văn An"
            )
        return cls(parts[0].strip().lower(), parts[1].strip(), parts[2].strip() if len(parts) == 3 else "")

    def representation(self) -> dict[str, Any]:
        family, _, given = self.full_name.partition(" ")
        return {
            "username": self.username,
            "email": self.email,
            "emailVerified": True,
            "enabled": True,
            "firstName": given or self.username,
            "lastName": family or self.username,
        }


@dataclass(frozen=True)
class Unit:
    """A province (`tinh-<code>`) or a commune (its administrative code as alias) of the realm."""

    alias: str
    name: str
    province: str
    province_name: str
    level: str  # "commune" | "province"

    def representation(self) -> dict[str, Any]:
        return {
            "alias": self.alias,
            "name": self.name,
            "enabled": True,
            "attributes": {
                "name": [self.name],  # what people read (the portal shows it): the token carries attributes only
                "province": [self.province],
                "province_name": [self.province_name],
                "level": [self.level],
            },
            # Keycloak requires a domain per organization; `.invalid` keeps it from ever routing mail or logins
            "domains": [{"name": f"{self.alias}.thidua.invalid", "verified": False}],
        }


@dataclass(frozen=True)
class Created:
    """What a provisioning did, for the operator to read (and the one-time passwords to hand over)."""

    unit_created: bool
    users_created: list[str]
    temporary_passwords: dict[str, str]
    roles_created: list[str]


class Realm:
    def __init__(self, admin: KeycloakAdmin) -> None:
        self.admin = admin

    def ensure_roles(self) -> list[str]:
        existing = {role["name"] for role in self.admin.get_realm_roles()}
        missing = [role for role in REALM_ROLES if role not in existing]
        for role in missing:
            self.admin.create_realm_role({"name": role.value, "description": REALM_ROLES[role]}, skip_exists=True)
        return [role.value for role in missing]

    def ensure_unit(self, unit: Unit, found: dict[str, Any] | None) -> tuple[str, bool]:
        """The organization's id (`found` when it exists), and whether it was created now."""
        if found is not None:
            return str(found["id"]), False
        self.admin.create_organization(unit.representation())
        created = self._organization(unit.alias)
        if created is None:
            raise RuntimeError(f"Keycloak did not keep the organization {unit.alias}")
        return str(created["id"]), True

    def refusals(self, unit: Unit, found: dict[str, Any] | None, people: list[tuple[Person, str]]) -> list[str]:
        """Why provisioning must not start: checked before anything is written, so a refused run changes nothing.
        An existing organization of another level or province (its members' tokens would change meaning), or a
        person already in another organization (a token naming two is refused by every service)."""
        problems = []
        if found is not None:
            attributes = found.get("attributes", {})
            for name in ("province", "level"):
                wanted = unit.representation()["attributes"][name]
                if attributes.get(name) != wanted:
                    problems.append(f"{unit.alias} đã có với / exists with {name}={attributes.get(name)}, not {wanted}")
        for person, _role in people:
            user_id = self.admin.get_user_id(person.username)
            if user_id is None:
                continue
            for organization in self.admin.get_user_organizations(user_id):
                if organization.get("alias") != unit.alias:
                    problems.append(
                        f"{person.username} đã thuộc đơn vị khác / already belongs to {organization.get('alias')}: "
                        "remove them there first"
                    )
        return problems

    def _organization(self, alias: str) -> dict[str, Any] | None:
        """Keycloak searches organizations by name and domain, not alias: read them all (a province has a few
        hundred at most) and pick the alias."""
        listed = self.admin.get_organizations({"briefRepresentation": "false", "first": 0, "max": 10_000})
        return next((o for o in listed if o.get("alias") == alias), None)

    def ensure_member(
        self, organization_id: str, person: Person, role: str, password: str | None
    ) -> tuple[bool, str | None]:
        """The person's account, member of the organization, holding the role. Returns (created, temporary
        password): a new account gets `password` (permanent) or a random one to change at first login."""
        user_id = self.admin.get_user_id(person.username)
        temporary = None
        created = user_id is None
        if user_id is None:
            if password is None:
                temporary = secrets.token_urlsafe(12)
            credential = {"type": "password", "value": password or temporary, "temporary": password is None}
            user_id = self.admin.create_user({**person.representation(), "credentials": [credential]}, exist_ok=True)
        held = {r["name"] for r in self.admin.get_realm_roles_of_user(user_id)}
        if role not in held:
            self.admin.assign_realm_roles(user_id, [self.admin.get_realm_role(role)])
        if not any(o["id"] == organization_id for o in self.admin.get_user_organizations(user_id)):
            self.admin.organization_user_add(user_id, organization_id)
        return created, temporary

    def provision(self, unit: Unit, people: list[tuple[Person, str]], password: str | None) -> Created:
        found = self._organization(unit.alias)
        refused = self.refusals(unit, found, people)
        if refused:
            raise Refused("; ".join(refused))
        roles = self.ensure_roles()
        organization_id, unit_created = self.ensure_unit(unit, found)
        users, temporaries = [], {}
        for person, role in people:
            created, temporary = self.ensure_member(organization_id, person, role, password)
            if created:
                users.append(person.username)
            if temporary:
                temporaries[person.username] = temporary
        return Created(unit_created, users, temporaries, roles)
