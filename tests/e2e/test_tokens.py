"""Every route of every service refuses requests without a valid token (401 problem+json, never a crash)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from thidua_shared.client import SERVICE_URLS

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


@pytest.mark.parametrize(("service", "method", "url"), ROUTES)
def test_every_route_refuses_bad_tokens(
    service: str, method: str, url: str, http: httpx.Client, token: Callable[[str], str]
) -> None:
    real = token("lm.officer")
    for name, headers in {
        "no token": {},
        "not a bearer": {"Authorization": f"Basic {real}"},
        "signed by another key": bearer(forged(real, same_kid=True)),
        "unknown kid": bearer(forged(real, same_kid=False)),
        "garbage": bearer("abc.def.ghi"),
    }.items():
        response = http.request(method, url, headers=headers, json={})
        assert response.status_code == 401, (service, method, url, name, response.status_code)
        assert response.headers["content-type"] == "application/problem+json", name
        assert response.headers.get("www-authenticate", "").startswith("Bearer"), name


def test_routes_were_found() -> None:
    assert len(ROUTES) >= 8
