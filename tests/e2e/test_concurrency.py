"""Concurrent changes to one dossier: every answer tells the truth, nothing acknowledged is lost."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from .world import SUBMISSIONS, bearer, filled_dossier, new_entrant

CODES = ("a7", "a8", "a9", "a10", "a11", "a12", "a13", "a14")


async def report_all(token: str, dossier: str) -> list[tuple[str, int]]:
    async with httpx.AsyncClient(base_url=SUBMISSIONS, headers=bearer(token), timeout=30) as client:
        responses = await asyncio.gather(
            *[client.put(f"/submissions/{dossier}/evidence/{code}", json={"value": 50}) for code in CODES]
        )
    return [(code, response.status_code) for code, response in zip(CODES, responses, strict=True)]


@pytest.mark.usefixtures("lien_minh")
def test_concurrent_evidence_is_never_lost(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    dossier = filled_dossier(http, officer, new_entrant(http, officer)["id"], {})
    outcomes = asyncio.run(report_all(officer, dossier))
    accepted = {code for code, status in outcomes if status == 200}
    assert {status for _code, status in outcomes} <= {200, 409}, outcomes
    assert accepted, outcomes
    stored = http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer)).json()
    assert set(stored["evidence"]) == accepted
    audit = http.get(f"{SUBMISSIONS}/submissions/{dossier}/audit", headers=bearer(officer)).json()
    assert sorted(e["changes"]["criterion"] for e in audit if e["action"] == "evidence_reported") == sorted(accepted)
    assert stored["version"] == 0
    assert stored["status"] == "draft"


@pytest.mark.usefixtures("lien_minh")
def test_concurrent_submits_submit_once(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("lm.officer")
    dossier = filled_dossier(http, officer, new_entrant(http, officer)["id"], {"a7": {"value": 4}})

    async def submit_many() -> list[int]:
        async with httpx.AsyncClient(base_url=SUBMISSIONS, headers=bearer(officer), timeout=30) as client:
            responses = await asyncio.gather(*[client.post(f"/submissions/{dossier}/submit") for _ in range(6)])
        return [response.status_code for response in responses]

    statuses = asyncio.run(submit_many())
    assert sorted(statuses) == [200] + [409] * 5, statuses
    stored = http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer)).json()
    assert (stored["status"], stored["version"]) == ("submitted", 1)
