"""The province benchmark's tokens outlive a measurement: each person's access token is fetched again a minute
before it expires (benchmarks.probes.BearerTokens), never on every request."""

from __future__ import annotations

from benchmarks.probes import BearerTokens
from thidua_platform.client import Tokens


def test_a_token_is_fetched_again_a_minute_before_it_expires() -> None:
    now = [0.0]
    fetched: list[str] = []

    def fetch(person: str) -> Tokens:
        fetched.append(person)
        return Tokens(access_token=f"{person}-{len(fetched)}", expires_in=300)

    tokens = BearerTokens(fetch, clock=lambda: now[0])
    assert tokens.header("lm.officer") == {"Authorization": "Bearer lm.officer-1"}
    now[0] = 239.0
    assert tokens.header("lm.officer") == {"Authorization": "Bearer lm.officer-1"}
    assert tokens.header("td.officer") == {"Authorization": "Bearer td.officer-2"}
    now[0] = 240.0
    assert tokens.header("lm.officer") == {"Authorization": "Bearer lm.officer-3"}
    assert fetched == ["lm.officer", "td.officer", "lm.officer"]
