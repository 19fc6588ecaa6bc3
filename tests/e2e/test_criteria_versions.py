"""A criteria set version is frozen once a dossier uses it: adapting it afterwards makes a new version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

from submissions.domain.defaults import default_criteria_set

from .world import (
    OPEN_PERIOD,
    SUBMISSIONS,
    YEAR,
    adopted_campaign,
    bearer,
    new_entrant,
    ok,
    open_period,
    open_window,
    published_template,
    unopened_window,
)

# A window lies within its period's year (issue #20), so the period opened for the test is the current one, of xã Tam
# Điệp: adapting Liên Minh's would move the points the other tests count on.
PERIOD = OPEN_PERIOD


def current_set(http: httpx.Client, officer: str, campaign_id: str) -> dict[str, Any]:
    sets = ok(
        http.get(
            f"{SUBMISSIONS}/campaigns/{campaign_id}/criteria-sets",
            params={"period": PERIOD, "group": "a"},
            headers=bearer(officer),
        )
    )
    return dict(sets[0])


def window(http: httpx.Client, officer: str, campaign_id: str, dates: dict[str, str]) -> None:
    ok(http.put(f"{SUBMISSIONS}/campaigns/{campaign_id}/periods/{PERIOD}", headers=bearer(officer), json=dates))


def test_a_used_version_is_frozen(http: httpx.Client, token: Callable[[str], str]) -> None:
    officer = token("td.officer")
    campaign = adopted_campaign(http, officer, published_template(http, token("nb.admin"))["id"])["id"]
    now = datetime.now(UTC)
    # later this year (the period may close until the end of January): not opened, so criteria may be adapted
    future = unopened_window(YEAR, now)
    try:
        window(http, officer, campaign, open_window(YEAR, now, days=1))
        entrant = new_entrant(http, officer, focal=())
        dossier = ok(
            http.post(
                f"{SUBMISSIONS}/submissions",
                json={"period": PERIOD, "entrant_id": entrant["id"]},
                headers=bearer(officer),
            ),
            201,
        )
        used = current_set(http, officer, campaign)
        assert used["frozen"] is True
        assert dossier["criteria_set"]["version"] == used["version"]
    finally:
        window(http, officer, campaign, future)  # the period has not opened again: criteria may be adapted

    criteria = used["content"]["criteria"]
    base = {c.code: c.max_points for c in default_criteria_set("a").criteria}
    # move two points from a3 to a2, or back to the province's values if an earlier run moved them
    shifted = {"a2": base["a2"] + 2, "a3": base["a3"] - 2}
    if criteria[1]["max_points"] != base["a2"]:
        shifted = {"a2": base["a2"], "a3": base["a3"]}
    moved = [dict(c, max_points=shifted.get(c["code"], c["max_points"])) for c in criteria]
    adapted = ok(
        http.put(
            f"{SUBMISSIONS}/campaigns/{campaign}/criteria-sets/{PERIOD}",
            headers=bearer(officer),
            json={**used["content"], "criteria": moved},
        )
    )
    assert adapted["version"] == used["version"] + 1
    assert adapted["frozen"] is False
    points = {c["code"]: c["max_points"] for c in adapted["content"]["criteria"]}
    assert (points["a2"], points["a3"]) == (shifted["a2"], shifted["a3"])

    # the dossier keeps the version it was made with, and that version is unchanged
    kept = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier['id']}", headers=bearer(officer)))
    assert kept["criteria_set"] == {"id": used["id"], "version": used["version"]}
    assert current_set(http, officer, campaign)["id"] == adapted["id"]
    open_period(http, officer, campaign)  # open again, as the other tests of xã Tam Điệp find it


def test_reference_lists_are_in_vietnamese(http: httpx.Client, token: Callable[[str], str]) -> None:
    reference = ok(http.get(f"{SUBMISSIONS}/reference", headers=bearer(token("lm.submitter"))))
    assert len(reference["themes"]) == 7
    assert reference["themes"]["2"] == "Phát triển hạ tầng số"
    assert list(reference["target_groups"]) == ["a", "b", "c", "d1", "d2"]
    assert reference["statuses"]["returned"] == "trả lại để bổ sung"
