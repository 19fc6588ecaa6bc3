"""Token verification with locally made keys: every way a token can be wrong is refused."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from thidua_platform.auth import InvalidToken, JwksCache, Principal, TokenVerifier, principal_from_claims

ISSUER = "http://127.0.0.1:18080/realms/thidua"
AUDIENCE = "thidua-api"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
COMMUNE_ORG = {"ph-37-lien-minh": {"province": ["37"], "level": ["commune"]}}


def jwks_transport(calls: list[str]) -> httpx.MockTransport:
    jwk = json.loads(RSAAlgorithm.to_jwk(KEY.public_key()))
    jwk.update(kid="k1", use="sig", alg="RS256")

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json={"keys": [jwk]})

    return httpx.MockTransport(handler)


def verifier(calls: list[str] | None = None) -> TokenVerifier:
    jwks = JwksCache("http://jwks.test/certs", transport=jwks_transport(calls if calls is not None else []))
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=jwks)


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": ["thidua-api", "account"],
        "sub": "user-1",
        "iat": now,
        "exp": now + 300,
        "preferred_username": "lm.officer",
        "realm_access": {"roles": ["commune_officer", "default-roles-thidua"]},
        "organization": COMMUNE_ORG,
    }
    base.update(overrides)
    return base


def sign(payload: dict[str, Any], *, key: Any = KEY, kid: str = "k1", algorithm: str = "RS256") -> str:
    return jwt.encode(payload, key, algorithm=algorithm, headers={"kid": kid})


async def test_a_valid_token_gives_the_principal() -> None:
    principal = await verifier().verify(sign(claims()))
    assert principal == Principal(
        user_id="user-1",
        username="lm.officer",
        roles=frozenset({"commune_officer", "default-roles-thidua"}),
        tenant="ph-37-lien-minh",
        province="37",
    )


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(claims(exp=int(time.time()) - 1), id="expired"),
        pytest.param(claims(nbf=int(time.time()) + 120), id="not yet valid"),
        pytest.param(claims(iss="http://evil.test/realms/thidua"), id="issuer"),
        pytest.param(claims(aud="another-client"), id="audience"),
        pytest.param({k: v for k, v in claims().items() if k != "exp"}, id="no exp"),
        pytest.param({k: v for k, v in claims().items() if k != "sub"}, id="no sub"),
    ],
)
async def test_claims_that_fail_are_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(InvalidToken):
        await verifier().verify(sign(payload))


async def test_a_token_signed_by_another_key_is_refused() -> None:
    with pytest.raises(InvalidToken):
        await verifier().verify(sign(claims(), key=OTHER_KEY))


async def test_a_tampered_payload_is_refused() -> None:
    header, _payload, signature = sign(claims()).split(".")
    forged = base64.urlsafe_b64encode(json.dumps(claims(sub="admin")).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        await verifier().verify(f"{header}.{forged}.{signature}")


async def test_alg_none_is_refused() -> None:
    token = jwt.encode(claims(), "", algorithm="none", headers={"kid": "k1"})
    with pytest.raises(InvalidToken, match="Algorithm"):
        await verifier().verify(token)


async def test_hs256_signed_with_the_public_key_is_refused() -> None:
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "kid": "k1"}).encode()).rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    import hashlib
    import hmac

    mac = hmac.new(public_pem, header + b"." + body, hashlib.sha256).digest()
    token = b".".join([header, body, base64.urlsafe_b64encode(mac).rstrip(b"=")]).decode()
    with pytest.raises(InvalidToken, match="Algorithm"):
        await verifier().verify(token)


async def test_an_unknown_kid_refreshes_once_then_is_refused() -> None:
    calls: list[str] = []
    v = verifier(calls)
    await v.verify(sign(claims()))
    with pytest.raises(InvalidToken, match="Unknown signing key"):
        await v.verify(sign(claims(), kid="k-unknown"))
    with pytest.raises(InvalidToken):
        await v.verify(sign(claims(), kid="k-unknown-2"))
    assert len(calls) == 1  # the refresh after the first fetch is rate-limited


class Clock:
    """The cache's monotonic clock, moved by the test (`JwksCache(clock=…)`): the keys' age without waiting for it."""

    def __init__(self) -> None:
        self.now = 5_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def test_keys_are_fetched_again_when_old_so_a_removed_key_stops_being_trusted() -> None:
    published = {"keys": [{**json.loads(RSAAlgorithm.to_jwk(KEY.public_key())), "kid": "k1", "use": "sig"}]}
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(str(request.url))
        return httpx.Response(200, json=published)

    clock = Clock()
    jwks = JwksCache("http://jwks.test/certs", transport=httpx.MockTransport(handler), max_age_seconds=300, clock=clock)
    check = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=jwks)
    await check.verify(sign(claims()))
    await check.verify(sign(claims()))
    assert len(calls) == 1  # fresh: from the cache
    published = {"keys": []}  # the realm dropped the key
    clock.advance(299)  # not yet max_age_seconds old: still trusted, from the cache
    await check.verify(sign(claims()))
    assert len(calls) == 1
    clock.advance(1)  # max_age_seconds old: fetched again, and the key is gone
    with pytest.raises(InvalidToken):
        await check.verify(sign(claims()))
    assert len(calls) == 2


async def test_an_unreachable_realm_keeps_the_keys_held() -> None:
    state = {"up": True}
    calls: list[int] = []
    jwk = {**json.loads(RSAAlgorithm.to_jwk(KEY.public_key())), "kid": "k1", "use": "sig"}

    def handler(_request: httpx.Request) -> httpx.Response:
        calls.append(200 if state["up"] else 503)
        return httpx.Response(calls[-1], json={"keys": [jwk]} if state["up"] else None)

    clock = Clock()
    jwks = JwksCache(
        "http://jwks.test/certs",
        transport=httpx.MockTransport(handler),
        max_age_seconds=300,
        min_refresh_seconds=10,
        clock=clock,
    )
    check = TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks=jwks)
    await check.verify(sign(claims()))
    state["up"] = False
    clock.advance(300)  # the keys are old: the next use fetches them again, and the realm does not answer
    assert (await check.verify(sign(claims()))).username == "lm.officer"
    assert calls == [200, 503]  # tried, refused, the keys held kept
    clock.advance(9)  # the fetch is tried again only `min_refresh_seconds` later
    assert (await check.verify(sign(claims()))).username == "lm.officer"
    assert calls == [200, 503]
    clock.advance(1)
    assert (await check.verify(sign(claims()))).username == "lm.officer"
    assert calls == [200, 503, 503]


async def test_garbage_is_refused() -> None:
    with pytest.raises(InvalidToken):
        await verifier().verify("not-a-token")


def test_province_organization_gives_province_scope() -> None:
    principal = principal_from_claims(
        claims(
            organization={"tinh-37": {"province": ["37"], "level": ["province"]}},
            realm_access={"roles": ["province_staff"]},
        )
    )
    assert principal.tenant is None
    assert principal.province == "37"


def test_no_organization_gives_no_tenant() -> None:
    principal = principal_from_claims(claims(organization=None, realm_access={"roles": ["operator"]}))
    assert (principal.tenant, principal.province) == (None, None)


def test_two_organizations_are_refused() -> None:
    with pytest.raises(InvalidToken):
        principal_from_claims(claims(organization={**COMMUNE_ORG, "ph-51-son-mai": {"province": ["51"]}}))
