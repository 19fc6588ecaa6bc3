"""A small client for people and tests: get a Keycloak token for a demo user, call the APIs.

`python -m thidua_shared.client token lm.officer` prints an access token (password grant on the public
`thidua-cli` client, which the local realm allows for command-line use).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

import httpx

DEFAULT_ISSUER = "http://127.0.0.1:18080/realms/thidua"
CLI_CLIENT = "thidua-cli"
DEMO_PASSWORD_ENV = "THIDUA_DEMO_PASSWORD"  # noqa: S105 (a variable name)
DEMO_PASSWORD = "thidua-demo"  # the local realm's demo users only; see deploy/keycloak/realm/  # noqa: S105

SERVICE_URLS = {
    "submissions": "http://127.0.0.1:8101",
    "scoring": "http://127.0.0.1:8102",
    "awards": "http://127.0.0.1:8103",
    "notifications": "http://127.0.0.1:8104",
    "rollups": "http://127.0.0.1:8105",
}


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_in: int


def issuer() -> str:
    return os.environ.get("THIDUA_OIDC_ISSUER", DEFAULT_ISSUER).rstrip("/")


def password_token(username: str, *, password: str | None = None, client_id: str = CLI_CLIENT) -> Tokens:
    response = httpx.post(
        f"{issuer()}/protocol/openid-connect/token",
        data={
            "grant_type": "password",
            "client_id": client_id,
            "username": username,
            "password": password or os.environ.get(DEMO_PASSWORD_ENV, DEMO_PASSWORD),
            "scope": "openid",
        },
        timeout=10,
    )
    response.raise_for_status()
    body = response.json()
    return Tokens(access_token=body["access_token"], expires_in=int(body["expires_in"]))


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "token":
        print("usage: python -m thidua_shared.client token USERNAME", file=sys.stderr)
        return 2
    print(password_token(argv[1]).access_token)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
