"""The province's council quorum and central quotas (ADR 0028) through the awards API: every user of the province
reads them, its administrator alone sets them, values outside the law's range are refused naming the field, and
another province keeps its own. Real services, real Keycloak tokens; the defaults are written back at the end."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from .world import AWARDS, bearer, ok

PROBLEM = "application/problem+json"


def test_the_province_sets_its_council_quorum_and_central_quotas(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    admin, staff = token("nb.admin"), token("nb.staff")
    defaults = ok(http.get(f"{AWARDS}/settings", headers=bearer(token("lm.officer"))))
    assert abs(defaults["quorum_share"] - 2 / 3) < 1e-9
    assert defaults["central_quotas"] == {}
    # Quảng Ngãi's, as this stack has them (the fuzzer, as qn.admin, may have set any valid values)
    theirs = ok(http.get(f"{AWARDS}/settings", headers=bearer(token("qn.staff"))))
    changed = {"quorum_share": 0.75, "central_quotas": {"BANG_KHEN_TTG:tong_ket": 3}}
    for person in (staff, token("lm.officer"), token("lm.chair")):
        assert http.put(f"{AWARDS}/settings", json=changed, headers=bearer(person)).status_code == 403
    for bad_settings, field in (
        ({"quorum_share": 0.3}, "quorum_share"),
        ({"central_quotas": {"BANG_KHEN_TINH:yearly": 3}}, "central_quotas"),
    ):
        bad = http.put(f"{AWARDS}/settings", json=bad_settings, headers=bearer(admin))
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"] == PROBLEM, bad.text
        assert field in bad.text
    try:
        assert ok(http.put(f"{AWARDS}/settings", json=changed, headers=bearer(admin))) == changed
        assert ok(http.get(f"{AWARDS}/settings", headers=bearer(staff))) == changed
        other = ok(http.get(f"{AWARDS}/settings", headers=bearer(token("qn.staff"))))
        assert other == theirs  # Quảng Ngãi keeps its own
    finally:
        ok(http.put(f"{AWARDS}/settings", json=defaults, headers=bearer(admin)))
