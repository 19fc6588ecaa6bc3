"""The units' names read from the running stack's Keycloak (`thidua_platform.units.KeycloakUnits`, ADR 0029): the
province's name and every commune of it, by name, in one paged request, answered from memory the second time; another
province's communes never; a refusal (a wrong secret) gives no names instead of an error.

The realm's `thidua-units` client (view-organizations only) exists in a realm imported since it was added; a stack
whose Keycloak kept an older realm lacks it, and that test is skipped (the reader is tried with the services' client,
which may also view organizations)."""

from __future__ import annotations

import os

import httpx
import pytest

from thidua_platform.units import KeycloakUnits

KEYCLOAK_URL = os.environ.get("THIDUA_KEYCLOAK_URL", "http://127.0.0.1:18080")
CLIENTS = {
    "thidua-units": os.environ.get("THIDUA_UNITS_CLIENT_SECRET", "thidua-units-dev-secret"),
    "thidua-services": os.environ.get("THIDUA_DIRECTORY_CLIENT_SECRET", "thidua-services-dev-secret"),
}


def client_exists(client_id: str) -> bool:
    token = httpx.post(
        f"{KEYCLOAK_URL}/realms/thidua/protocol/openid-connect/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": CLIENTS[client_id]},
        timeout=10,
    )
    return token.status_code == 200


def counting(calls: list[str]) -> httpx.AsyncHTTPTransport:
    class Counting(httpx.AsyncHTTPTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(request.url.path)
            return await super().handle_async_request(request)

    return Counting()


@pytest.mark.parametrize("client_id", list(CLIENTS))
async def test_a_provinces_units_by_name_read_once(client_id: str) -> None:
    if not client_exists(client_id):
        pytest.skip(f"the running realm has no client {client_id} (imported before it was added)")
    calls: list[str] = []
    units = KeycloakUnits(
        server_url=KEYCLOAK_URL,
        realm="thidua",
        client_id=client_id,
        client_secret=CLIENTS[client_id],
        transport=counting(calls),
    )
    try:
        ninh_binh = await units.province("37")
        assert ninh_binh.name == "Tỉnh Ninh Bình"
        assert ninh_binh.communes["ph-37-lien-minh"] == "Xã Liên Minh"
        assert ninh_binh.communes["ph-37-tam-diep"] == "Tam Điệp"
        assert "ph-51-son-mai" not in ninh_binh.communes  # another province's commune
        assert "tinh-37" not in ninh_binh.communes  # the province's own organization is not a commune
        asked = [path for path in calls if path.endswith("/organizations")]
        assert len(asked) == 1  # one page holds the province's units
        assert await units.province("37") == ninh_binh
        assert [path for path in calls if path.endswith("/organizations")] == asked  # from memory
        quang_ngai = await units.province("51")
        assert quang_ngai.communes["ph-51-son-mai"] == "Xã Sơn Mai"
        assert "ph-37-lien-minh" not in quang_ngai.communes
    finally:
        await units.aclose()


async def test_a_refused_client_gives_no_names_not_an_error() -> None:
    units = KeycloakUnits(server_url=KEYCLOAK_URL, realm="thidua", client_id="thidua-units", client_secret="wrong")
    try:
        found = await units.province("37")
        assert found.communes == {}
        assert found.title == "tỉnh 37"
    finally:
        await units.aclose()
