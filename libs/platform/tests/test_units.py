"""The units' names: read from organizations' representations (pure), and the Keycloak reader's cost and failures
over a stand-in for the admin API's HTTP answers (the real one: tests/integration/test_unit_names.py)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from thidua_platform.settings import UnitNamesSettings
from thidua_platform.units import KeycloakUnits, KnownUnits, NoUnits, ProvinceUnits, province_units, unit_directory


def org(alias: str, name: str, level: str = "commune", province: str = "37", **more: Any) -> dict[str, Any]:
    attributes = {"name": [name], "level": [level], "province": [province], "province_name": ["Ninh Bình"]}
    return {"id": f"id-{alias}", "alias": alias, "name": name, "enabled": True, "attributes": attributes, **more}


ORGS = [
    org("ph-37-tam-diep", "Tam Điệp"),
    org("tinh-37", "Tỉnh Ninh Bình", level="province"),
    org("ph-37-lien-minh", "Xã Liên Minh"),
    org("ph-37-cu", "Xã Cũ", enabled=False),
    org("ph-51-son-mai", "Xã Sơn Mai", province="51"),
]


def test_a_provinces_units_from_its_organizations() -> None:
    units = province_units("37", ORGS)
    assert units.name == "Tỉnh Ninh Bình"
    assert units.communes == {"ph-37-lien-minh": "Xã Liên Minh", "ph-37-tam-diep": "Tam Điệp"}  # sorted, enabled
    assert units.commune_name("ph-37-lien-minh") == "Xã Liên Minh"
    assert units.commune_name("ph-37-moi") == "ph-37-moi"  # not in the directory: its code


def test_without_a_province_organization_its_communes_name_it() -> None:
    units = province_units("37", [o for o in ORGS if o["alias"] != "tinh-37"])
    assert units.name == "Tỉnh Ninh Bình"
    assert ProvinceUnits("37").title == "tỉnh 37"


class Admin:
    """The admin API's answers: a token, then the organizations in pages; what was asked is kept."""

    def __init__(self, organizations: list[dict[str, Any]], *, status: int = 200) -> None:
        self.organizations = organizations
        self.status = status
        self.asked: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request)
        if self.status != 200:
            return httpx.Response(self.status)
        if request.url.path.endswith("/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 300})
        code = request.url.params["q"].removeprefix("province:")
        first, most = int(request.url.params["first"]), int(request.url.params["max"])
        found = [o for o in self.organizations if o["attributes"]["province"] == [code]]
        return httpx.Response(200, content=json.dumps(found[first : first + most]))

    def reads(self) -> int:
        return sum(1 for r in self.asked if r.url.path.endswith("/organizations"))


def reader(admin: Admin, ttl: float = 300.0) -> KeycloakUnits:
    return KeycloakUnits(
        server_url="http://keycloak.test",
        realm="thidua",
        client_id="thidua-units",
        client_secret="s",
        ttl_seconds=ttl,
        transport=httpx.MockTransport(admin),
    )


async def test_one_read_per_province_then_from_memory() -> None:
    admin = Admin(ORGS)
    units = reader(admin)
    first = await units.province("37")
    assert first.communes == {"ph-37-lien-minh": "Xã Liên Minh", "ph-37-tam-diep": "Tam Điệp"}
    assert await units.province("37") == first
    assert admin.reads() == 1
    (read,) = [r for r in admin.asked if r.url.path.endswith("/organizations")]
    assert read.url.path == "/admin/realms/thidua/organizations"
    assert read.headers["authorization"] == "Bearer t"
    assert read.url.params["briefRepresentation"] == "false"  # the attributes (level, province) are needed
    assert (await units.province("51")).communes == {"ph-51-son-mai": "Xã Sơn Mai"}
    assert admin.reads() == 2
    await units.aclose()


async def test_every_page_is_read() -> None:
    many = [org(f"ph-37-x{n:03}", f"Xã X{n:03}") for n in range(450)]
    admin = Admin(many)
    units = await reader(admin).province("37")
    assert len(units.communes) == 450
    assert admin.reads() == 3  # 200 + 200 + 50


async def test_keycloak_refusing_gives_no_names_and_is_not_asked_again_at_once() -> None:
    admin = Admin(ORGS, status=401)
    units = reader(admin)
    assert await units.province("37") == ProvinceUnits("37")
    assert await units.province("37") == ProvinceUnits("37")
    assert len(admin.asked) == 1  # the failure is remembered for a while, not retried on every page


async def test_names_read_before_outlive_a_failure() -> None:
    admin = Admin(ORGS)
    units = reader(admin, ttl=0.0)  # every read goes to Keycloak
    known = await units.province("37")
    admin.status = 503
    assert await units.province("37") == known


async def test_a_code_that_is_not_one_is_not_sent() -> None:
    admin = Admin(ORGS)
    assert await reader(admin).province("37 OR x") == ProvinceUnits("37 OR x")
    assert admin.asked == []


async def test_the_directory_a_service_is_configured_with() -> None:
    assert isinstance(unit_directory(UnitNamesSettings()), NoUnits)  # no secret: no directory, codes shown
    configured = unit_directory(UnitNamesSettings(units_client_secret="s", units_url="http://keycloak:8080/"))
    assert isinstance(configured, KeycloakUnits)
    await configured.aclose()
    known = KnownUnits(ProvinceUnits("37", "Tỉnh Ninh Bình", {"ph-37-lien-minh": "Xã Liên Minh"}))
    assert (await known.province("37")).title == "Tỉnh Ninh Bình"
    assert await known.province("51") == ProvinceUnits("51")
    assert await NoUnits().province("37") == ProvinceUnits("37")
