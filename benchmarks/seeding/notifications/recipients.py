"""Who is told in a commune, as the directory would resolve them: the demo realm's people for the demo communes
(looked up once through a password grant), made-up people for benchmark-only communes."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import httpx

from benchmarks.seeding.plan import LARGE, SMALL, CommunePlan, Dossier
from notifications.adapters.directory import Person
from thidua_platform.client import CLI_CLIENT, DEMO_PASSWORD, issuer
from thidua_platform.envelope import derived_id

# The demo realm's people, by commune: who filed the dossiers (at Tam Điệp the officer, its only user), the council
# that reviews them (scoring's default policy: two reviewers), the chairman; Tam Điệp's council is not in the realm,
# so the directory finds nobody to tell there (its reviews are kept all the same).
DEMO_SUBMITTER = {LARGE: "lm.submitter", SMALL: "td.officer"}


DEMO_COUNCIL = {LARGE: ("lm.council1", "lm.council2")}


DEMO_CHAIR = {LARGE: "lm.chair"}


PROVINCE_STAFF = ("nb.staff",)  # holders of province_staff in Ninh Bình: told of every commune's proposals


SEEDED_REVIEWERS = 1  # made-up council members per dossier elsewhere: one, to keep the province's seeding short


@dataclass(frozen=True)
class Cast:
    """Who the directory resolves in one commune: the submitter, the council (usernames, as scoring assigns them,
    and those of them it knows), the chairman and the province's staff."""

    submitter: Person | None
    council: tuple[str, ...]
    members: dict[str, Person]
    chair: Person | None
    province_staff: tuple[Person, ...]
    per_dossier: int

    def reviewers(self, dossier: Dossier) -> tuple[str, ...]:
        """The members assigned to a dossier: the least loaded ones, here simply in turn."""
        start = int(dossier.id[:8], 16) % len(self.council)
        wanted = min(self.per_dossier, len(self.council))
        return tuple(self.council[(start + i) % len(self.council)] for i in range(wanted))

    def member(self, username: str) -> list[Person]:
        found = self.members.get(username)
        return [found] if found else []


_realm: dict[str, Person] = {}


async def realm_person(username: str) -> Person:
    """A demo user as the directory returns them (id, username, e-mail, name), through the CLI client's password
    grant with the e-mail scope: one token per person and process."""
    if username not in _realm:
        async with httpx.AsyncClient(timeout=10) as http:
            response = await http.post(
                f"{issuer()}/protocol/openid-connect/token",
                data={
                    "grant_type": "password",
                    "client_id": CLI_CLIENT,
                    "username": username,
                    "password": DEMO_PASSWORD,
                    "scope": "openid email",
                },
            )
        response.raise_for_status()
        claims = _claims(response.json()["access_token"])
        name = f"{claims.get('family_name', '')} {claims.get('given_name', '')}".strip() or username
        _realm[username] = Person(claims["sub"], claims["preferred_username"], claims.get("email"), name)
    return _realm[username]


def _claims(token: str) -> dict[str, Any]:
    body = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    return claims


def made_up(tenant: str, username: str, user_id: str | None = None) -> Person:
    user = user_id or str(derived_id("bench-user", tenant, username))
    return Person(user, username, f"{username}@thidua.invalid", username)


async def cast_of(plan: CommunePlan) -> Cast:
    commune = plan.commune
    staff = tuple([await realm_person(name) for name in PROVINCE_STAFF])
    bench_council = tuple(f"bench.council{i}.{commune.number:03d}" for i in range(1, 3))
    if commune.seeded_only:
        submitted_by = plan.dossiers[0].submitted_by if plan.dossiers else "u-bench-submitter"
        members = {name: made_up(commune.tenant, name) for name in bench_council}
        chair = made_up(commune.tenant, f"bench.chair.{commune.number:03d}")
        submitter = made_up(commune.tenant, "bench.submitter", submitted_by)
        return Cast(submitter, bench_council, members, chair, staff, SEEDED_REVIEWERS)
    council = DEMO_COUNCIL.get(commune.tenant)
    members = {name: await realm_person(name) for name in council or ()}
    chair_name = DEMO_CHAIR.get(commune.tenant)
    return Cast(
        await realm_person(DEMO_SUBMITTER[commune.tenant]),
        council or bench_council[:SEEDED_REVIEWERS],
        members,
        await realm_person(chair_name) if chair_name else None,
        staff,
        2 if council else SEEDED_REVIEWERS,
    )
