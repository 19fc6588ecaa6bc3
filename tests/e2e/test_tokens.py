"""Every route of every service refuses requests without a valid token (401 problem+json, never a crash).

The attacks whose point is a claim (expired, not yet valid, wrong issuer, wrong audience) must carry a signature the
services trust, or they would only prove the signature check: the test adds its own RSA key to the realm through
Keycloak's admin API for its duration, shows that a token signed with it and honest claims is accepted, then sends
each attack to every route."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from thidua_platform.client import SERVICE_URLS, issuer

from .conftest import RUN_SUMMARY, eventually
from .world import bearer

ATTACKER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def routes() -> Iterator[tuple[str, str, str]]:
    for service, base in SERVICE_URLS.items():
        document = httpx.get(f"{base}/openapi.json", timeout=10).json()
        for path, operations in document["paths"].items():
            if path.startswith("/health"):
                continue
            concrete = path.replace("{", "x-").replace("}", "")
            for method in operations:
                yield service, method.upper(), f"{base}{concrete}"


ROUTES = (
    list(routes())
    if all(httpx.get(f"{u}/health/live", timeout=2).status_code == 200 for u in SERVICE_URLS.values())
    else []
)


def forged(real_token: str, *, same_kid: bool) -> str:
    header = jwt.get_unverified_header(real_token)
    claims = jwt.decode(real_token, options={"verify_signature": False})
    return jwt.encode(
        claims, ATTACKER_KEY, algorithm="RS256", headers={"kid": header["kid"] if same_kid else "attacker-kid"}
    )


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    head = b64(json.dumps(header).encode())
    body = b64(json.dumps(claims).encode())
    return f"{head}.{body}.{b64(signature)}"


def admin_token() -> str:
    """The stack's Keycloak bootstrap admin (its password is generated into the stack's data folder)."""
    stack = Path(os.environ.get("THIDUA_STACK_DIR", Path(__file__).resolve().parents[2] / ".stack"))
    password = (
        os.environ.get("KC_BOOTSTRAP_ADMIN_PASSWORD")
        or (stack / "data" / "keycloak" / "bootstrap-admin-password").read_text().strip()
    )
    base = issuer().rsplit("/realms/", 1)[0]
    response = httpx.post(
        f"{base}/realms/master/protocol/openid-connect/token",
        data={"grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": password},
        timeout=10,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture(scope="module")
def trusted_key() -> Iterator[tuple[rsa.RSAPrivateKey, str]]:
    """An RSA key of the test's own, added to the realm's keys (lowest priority: Keycloak keeps signing with its
    own), published in the realm's JWKS; removed afterwards. Yields the key and its `kid`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()
    realm = issuer().rsplit("/realms/", 1)
    admin = f"{realm[0]}/admin/realms/{realm[1]}"
    headers = bearer(admin_token())
    realm_id = httpx.get(admin, headers=headers, timeout=10).json()["id"]
    created = httpx.post(
        f"{admin}/components",
        headers=headers,
        json={
            "name": "thidua-test-token-attacks",
            "providerId": "rsa",
            "providerType": "org.keycloak.keys.KeyProvider",
            "parentId": realm_id,
            "config": {
                "privateKey": [pem],
                "priority": ["-100"],
                "enabled": ["true"],
                "active": ["true"],
                "algorithm": ["RS256"],
            },
        },
        timeout=10,
    )
    assert created.status_code == 201, created.text
    component = created.headers["location"].rsplit("/", 1)[1]
    try:
        modulus = b64(key.public_key().public_numbers().n.to_bytes(256, "big"))
        jwks = httpx.get(f"{issuer()}/protocol/openid-connect/certs", timeout=10).json()["keys"]
        kid = next(k["kid"] for k in jwks if k.get("n") == modulus)
        yield key, kid
    finally:
        httpx.delete(f"{admin}/components/{component}", headers=bearer(admin_token()), timeout=10)


def attacks(real: str, key: rsa.RSAPrivateKey, kid: str) -> dict[str, dict[str, str]]:
    """Every way in that must fail, by name."""
    header = jwt.get_unverified_header(real)
    honest = jwt.decode(real, options={"verify_signature": False})
    now = int(time.time())

    def signed(**changes: Any) -> str:
        return jwt.encode(honest | changes, key, algorithm="RS256", headers={"kid": kid})

    head, _, signature = real.split(".")
    tampered_claims = honest | {"preferred_username": "lm.chairman"}
    tampered = f"{head}.{b64(json.dumps(tampered_claims).encode())}.{signature}"
    realm_jwk = next(
        k
        for k in httpx.get(f"{issuer()}/protocol/openid-connect/certs", timeout=10).json()["keys"]
        if k["kid"] == header["kid"]
    )
    public_key = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(realm_jwk))
    assert isinstance(public_key, rsa.RSAPublicKey)
    public_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    hs_header = {"alg": "HS256", "typ": "JWT", "kid": header["kid"]}
    hs_signing_input = f"{b64(json.dumps(hs_header).encode())}.{b64(json.dumps(honest).encode())}".encode()
    hs256 = f"{hs_signing_input.decode()}.{b64(hmac.new(public_pem, hs_signing_input, hashlib.sha256).digest())}"
    return {
        "no token": {},
        "not a bearer": {"Authorization": f"Basic {real}"},
        "garbage": bearer("abc.def.ghi"),
        "expired": bearer(signed(exp=now - 60, iat=now - 400)),
        "not yet valid": bearer(signed(nbf=now + 600, iat=now)),
        "issued in the future": bearer(signed(iat=now + 600, exp=now + 900)),
        "wrong issuer": bearer(signed(iss="http://127.0.0.1:18080/realms/master")),
        "wrong audience": bearer(signed(aud="account")),
        "tampered payload": bearer(tampered),
        "alg none": bearer(unsigned({"alg": "none", "typ": "JWT", "kid": header["kid"]}, honest)),
        "HS256 with the realm's public key": bearer(hs256),
        "signed by another key": bearer(forged(real, same_kid=True)),
        "unknown kid": bearer(forged(real, same_kid=False)),
    }


def first_get(service: str) -> str:
    return next(url for name, method, url in ROUTES if name == service and method == "GET")


def test_every_route_refuses_every_bad_token(
    http: httpx.Client,
    token: Callable[[str], str],
    trusted_key: tuple[rsa.RSAPrivateKey, str],
    request: pytest.FixtureRequest,
) -> None:
    key, kid = trusted_key
    real = token("lm.officer")
    honest = jwt.decode(real, options={"verify_signature": False})
    control = bearer(jwt.encode(honest, key, algorithm="RS256", headers={"kid": kid}))
    # the control: with honest claims the test's key is trusted by every service (each fetched the realm's keys anew),
    # so the attacks below fail for their claims, not for the key
    for service in SERVICE_URLS:
        url = first_get(service)
        eventually(
            lambda url=url: http.get(url, headers=control).status_code != 401,  # type: ignore[misc]
            timeout=40,
            what=f"{service} to trust the test's key",
        )
    tried = 0
    for name, headers in attacks(real, key, kid).items():
        for service, method, url in ROUTES:
            response = http.request(method, url, headers=headers, json={})
            assert response.status_code == 401, (service, method, url, name, response.status_code, response.text)
            assert response.headers["content-type"] == "application/problem+json", (name, url)
            assert response.headers.get("www-authenticate", "").startswith("Bearer"), (name, url)
            tried += 1
    line = f"token attacks: {tried} requests ({len(ROUTES)} routes × {tried // len(ROUTES)} attacks), all 401"
    request.config.stash.setdefault(RUN_SUMMARY, []).append(line)


def test_routes_were_found() -> None:
    assert len(ROUTES) >= 8
