"""The notifications directory against the real Keycloak with the thidua realm (deploy/keycloak/realm)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from notifications.adapters.directory import Directory, DirectoryError, DirectoryUnavailable, KeycloakDirectory, Person
from notifications.bootstrap import directory as directory_of
from notifications.settings import NotificationsSettings
from thidua_contracts.roles import Role

KEYCLOAK_URL = os.environ.get("THIDUA_KEYCLOAK_URL", "http://127.0.0.1:18080")
REALM = "thidua"
CLIENT_ID = "thidua-services"
CLIENT_SECRET = "thidua-services-dev-secret"
LIEN_MINH = "ph-37-lien-minh"


def directory_for(*, secret: str = CLIENT_SECRET, url: str = KEYCLOAK_URL) -> KeycloakDirectory:
    return KeycloakDirectory(server_url=url, realm=REALM, client_id=CLIENT_ID, client_secret=secret)


@pytest.fixture
async def directory() -> AsyncIterator[KeycloakDirectory]:
    directory = directory_for()
    try:
        await directory.by_username("lm.submitter")
    except DirectoryUnavailable as exc:
        pytest.fail(f"needs the running stack (Keycloak at {KEYCLOAK_URL} is unreachable: {exc}): deploy/stack up")
    directory.clear_cache()
    yield directory
    await directory.aclose()


def usernames(people: list[Person]) -> list[str]:
    return [person.username for person in people]


async def test_a_user_by_username_then_by_id(directory: KeycloakDirectory) -> None:
    as_protocol: Directory = directory  # mypy checks that KeycloakDirectory implements the protocol
    person = await as_protocol.by_username("lm.submitter")
    assert person is not None
    assert person.username == "lm.submitter"
    assert person.email == "lm.submitter@lienminh.thidua.invalid"
    assert person.name == "Trần Thị Hoa"  # family name first
    assert person.user_id
    assert await directory.by_id(person.user_id) == person


async def test_unknown_people_are_none(directory: KeycloakDirectory) -> None:
    assert await directory.by_username("khong.ton.tai") is None
    assert await directory.by_id("00000000-0000-0000-0000-000000000000") is None
    assert await directory.by_id("../roles") is None  # never sent to Keycloak
    assert await directory.by_username(f"service-account-{CLIENT_ID}") is None  # a client, not a person


async def test_the_chair_of_a_commune(directory: KeycloakDirectory) -> None:
    chair = await directory.by_username("lm.chair")
    assert await directory.holders("commune_chair", tenant=LIEN_MINH) == [chair]


async def test_council_members_of_one_commune_only(directory: KeycloakDirectory) -> None:
    council = await directory.holders("council_member", tenant=LIEN_MINH)
    assert set(usernames(council)) == {"lm.council1", "lm.council2"}  # not sm.council1 (Sơn Mai)
    assert all(person.email and person.email.endswith("@lienminh.thidua.invalid") for person in council)


async def test_staff_of_one_province_only(directory: KeycloakDirectory) -> None:
    assert usernames(await directory.holders("province_staff", province="37")) == ["nb.staff"]  # not qn.staff
    assert usernames(await directory.holders("province_admin", province="51")) == ["qn.admin"]
    # a commune member does not count as province staff, a province officer as a commune officer
    assert await directory.holders("submitter", province="37") == []
    assert await directory.holders("province_staff", tenant=LIEN_MINH) == []


async def test_the_members_of_a_commune_or_a_province(directory: KeycloakDirectory) -> None:
    council1, sm_council1, staff = [await directory.by_username(u) for u in ("lm.council1", "sm.council1", "nb.staff")]
    assert council1
    assert sm_council1
    assert staff
    lien_minh = await directory.members(tenant=LIEN_MINH)
    assert council1.user_id in lien_minh
    assert sm_council1.user_id not in lien_minh
    assert staff.user_id in await directory.members(province="37")
    assert staff.user_id not in lien_minh
    assert council1.user_id not in await directory.members(province="37")


async def test_unknown_commune_or_province_has_nobody(directory: KeycloakDirectory) -> None:
    assert await directory.holders("commune_chair", tenant="ph-99-khong-co") == []
    assert await directory.holders("province_staff", province="99") == []


async def test_an_unknown_role_is_an_error_not_nobody(directory: KeycloakDirectory) -> None:
    with pytest.raises(DirectoryError):
        await directory.holders("no_such_role", tenant=LIEN_MINH)


async def test_exactly_one_scope(directory: KeycloakDirectory) -> None:
    with pytest.raises(ValueError, match="exactly one of tenant= and province="):
        await directory.holders("commune_chair")
    with pytest.raises(ValueError, match="exactly one of tenant= and province="):
        await directory.holders("commune_chair", tenant=LIEN_MINH, province="37")


async def test_answers_are_cached(directory: KeycloakDirectory) -> None:
    person = await directory.by_username("lm.officer")
    chair = await directory.holders("commune_chair", tenant=LIEN_MINH)
    await directory.aclose()  # no more HTTP from here on
    assert await directory.by_username("lm.officer") == person
    assert await directory.holders("commune_chair", tenant=LIEN_MINH) == chair
    with pytest.raises(DirectoryUnavailable):
        await directory.by_username("lm.council1")


@pytest.mark.usefixtures("directory")  # Keycloak is up: the error is the secret's, not an unreachable server's
async def test_a_wrong_secret_is_an_error_not_an_empty_answer() -> None:
    wrong = directory_for(secret="not-the-secret")
    try:
        with pytest.raises(DirectoryError):
            await wrong.holders("commune_chair", tenant=LIEN_MINH)
        with pytest.raises(DirectoryError):
            await wrong.by_username("lm.submitter")
    finally:
        await wrong.aclose()


async def test_an_unreachable_keycloak_is_unavailable() -> None:
    nowhere = directory_for(url="http://127.0.0.1:9")  # discard port: connection refused
    try:
        with pytest.raises(DirectoryUnavailable):
            await nowhere.by_id("00000000-0000-0000-0000-000000000000")
    finally:
        await nowhere.aclose()


async def test_the_services_reach_keycloak_at_their_own_address_when_tokens_name_a_public_one() -> None:
    # in a cluster or a Compose network, tokens name the public issuer and the services call Keycloak inside
    settings = NotificationsSettings(
        oidc_issuer="http://sso.thidua.invalid/realms/thidua",
        directory_url=KEYCLOAK_URL,
        directory_client_secret=SecretStr(CLIENT_SECRET),
    )
    directory = directory_of(settings)
    try:
        person = await directory.by_username("lm.submitter")
    finally:
        await directory.aclose()
    assert person is not None
    assert person.username == "lm.submitter"


async def test_a_chairman_given_the_role_after_the_commune_was_read_is_found_without_waiting_out_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue #22: people holding a role were cached realm-wide for five minutes, so a chairman created a moment
    before "decisions waiting" was never told. A new commune, read while it has no chairman; its chairman created
    in Keycloak; the directory (answers kept five minutes) finds them once the short look-again delay has passed."""
    from notifications.adapters import directory as module
    from thidua_ops.realm import Person as Account
    from thidua_ops.realm import Realm, Unit
    from thidua_ops.settings import OpsSettings

    monkeypatch.setattr(module, "NEGATIVE_TTL_SECONDS", 0.5)  # the look-again delay, shortened for the test
    realm = Realm(OpsSettings().keycloak_admin())
    suffix = uuid.uuid4().hex[:6]
    unit = Unit(f"ph-37-cache-{suffix}", f"Xã Thử {suffix}", "37", "Ninh Bình", "commune")
    officer = Account(f"c{suffix}.officer", f"c{suffix}.officer@cache.thidua.invalid", "Lê Văn An")
    realm.provision(unit, [(officer, Role.COMMUNE_OFFICER.value)], password=None)
    directory = directory_for()
    try:
        assert await directory.holders(Role.COMMUNE_CHAIR, tenant=unit.alias) == []
        chairman = Account(f"c{suffix}.chair", f"c{suffix}.chair@cache.thidua.invalid", "Phạm Văn Minh")
        realm.provision(unit, [(chairman, Role.COMMUNE_CHAIR.value)], password=None)

        deadline = time.monotonic() + 20
        while not (found := await directory.holders(Role.COMMUNE_CHAIR, tenant=unit.alias)):
            assert time.monotonic() < deadline, "the new chairman was not found within 20 s"
            await asyncio.sleep(0.2)
        assert usernames(found) == [chairman.username]
    finally:
        await directory.aclose()
