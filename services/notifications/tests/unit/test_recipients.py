"""A person named in an event (a council roster or a session's list, typed in by an officer) is told only if they
belong to the event's commune: naming someone of another commune must not send them that commune's news."""

from __future__ import annotations

from notifications.adapters.directory import Directory, Person
from notifications.domain.notices import RoleHolders, UserId, Username
from notifications.service.recipients import everyone

LIEN_MINH, SON_MAI = "ph-37-lien-minh", "ph-51-son-mai"
PEOPLE = {
    "lm.council1": (Person("u-lm", "lm.council1", "lm.council1@lienminh.invalid", "Trần Thị Thủy"), LIEN_MINH),
    "sm.council1": (Person("u-sm", "sm.council1", "sm.council1@sonmai.invalid", "Võ Văn Hải"), SON_MAI),
    "nb.staff": (Person("u-nb", "nb.staff", "nb.staff@ninhbinh.invalid", "Phạm Thị Lan"), "tinh-37"),
}


class Realm:
    """Three people in three organizations; the province organization of Ninh Bình is "tinh-37"."""

    async def by_id(self, user_id: str) -> Person | None:
        return next((p for p, _org in PEOPLE.values() if p.user_id == user_id), None)

    async def by_username(self, username: str) -> Person | None:
        found = PEOPLE.get(username)
        return found[0] if found else None

    # The Directory protocol's signature (its keyword-only names are the protocol's): nobody holds a role here.
    async def holders(self, role: str, *, tenant: str | None = None, province: str | None = None) -> list[Person]:  # noqa: ARG002
        return []

    async def members(self, *, tenant: str | None = None, province: str | None = None) -> frozenset[str]:
        organization = tenant or f"tinh-{province}"
        return frozenset(p.user_id for p, org in PEOPLE.values() if org == organization)


REALM: Directory = Realm()


async def test_a_member_of_another_commune_named_in_an_event_is_not_told() -> None:
    named = (Username("lm.council1"), Username("sm.council1"), UserId("u-sm"))
    told = await everyone(audiences=named, tenant=LIEN_MINH, province="37", directory=REALM)
    assert [p.username for p in told] == ["lm.council1"]


async def test_unknown_people_and_commune_roles_without_a_commune_are_nobody() -> None:
    unknown = (Username("khong.co"), UserId("u-x"))
    assert await everyone(audiences=unknown, tenant=LIEN_MINH, province="37", directory=REALM) == []
    council = (RoleHolders("council_member", "commune"),)
    assert await everyone(audiences=council, tenant=None, province="37", directory=REALM) == []


async def test_a_province_notice_reaches_only_that_province_s_staff_by_name() -> None:
    named = (UserId("u-nb"), UserId("u-lm"))
    assert [p.username for p in await everyone(audiences=named, tenant=None, province="37", directory=REALM)] == [
        "nb.staff"
    ]
    assert await everyone(audiences=named, tenant=None, province="51", directory=REALM) == []
