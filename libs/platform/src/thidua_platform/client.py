"""A small client for people and tests: get a Keycloak token for a user, call the APIs.

`python -m thidua_platform.client token lm.officer` prints an access token: the password grant on `thidua-cli`, a public
client of the realm that allows it for command-line use (the local realm's; a production realm need not have it).
Demo users' password is the local realm's (`THIDUA_DEMO_PASSWORD` overrides it); a provisioned user's is read from
the environment variable `--password-env` names. `--help` says so.
"""

from __future__ import annotations

import argparse
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
    parser = argparse.ArgumentParser(
        prog="python -m thidua_platform.client",
        description=f"Prints a Keycloak access token for a user (password grant on the public client {CLI_CLIENT}, "
        f"realm {issuer()}; THIDUA_OIDC_ISSUER sets another).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print an access token for USERNAME")
    token.add_argument("username")
    token.add_argument(
        "--password-env",
        metavar="VAR",
        help=f"the environment variable holding the user's password (default: the demo users' password, "
        f"or {DEMO_PASSWORD_ENV})",
    )
    args = parser.parse_args(argv)
    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            print(f"Biến môi trường {args.password_env} trống / {args.password_env} is not set", file=sys.stderr)
            return 2
    try:
        print(password_token(args.username, password=password).access_token)
    except httpx.HTTPStatusError as error:
        print(refusal(args.username, error.response), file=sys.stderr)
        return 1
    except httpx.HTTPError as error:
        print(f"Không kết nối được Keycloak / Keycloak did not answer at {issuer()}: {error}", file=sys.stderr)
        return 1
    return 0


def refusal(username: str, response: httpx.Response) -> str:
    """Why Keycloak gave no token, in words an operator can act on."""
    try:
        described = str(response.json().get("error_description") or response.json().get("error") or "")
    except ValueError:
        described = response.text[:200]
    advice = (
        "tài khoản chưa hoàn tất (mật khẩu tạm): đăng nhập cổng thông tin một lần để đặt mật khẩu / the account is "
        "not fully set up (a one-time password): log in to the portal once to set a password"
        if "not fully set up" in described
        else "sai tên hoặc mật khẩu: với người dùng đã cấp, dùng --password-env BIẾN / wrong user or password: for "
        "a provisioned user, pass --password-env VAR naming the variable that holds the password"
    )
    refused = f"Keycloak từ chối cấp token cho {username} / Keycloak refused a token for {username}"
    return f"{refused} ({described}): {advice}"


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
