"""Hostile input, bounds (issue #20): values nobody could mean are refused with a problem naming the field, nothing
is stored, never a 500, and a hostile workbook does not stall the submissions API."""

from __future__ import annotations

import io
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from thidua_platform.client import SERVICE_URLS

from .conftest import eventually
from .test_bad_inputs import entrant_total, fields, problem
from .world import (
    AWARDS,
    BRIEF_EVIDENCE,
    SCORING,
    SUBMISSIONS,
    WINDOW_RULES_PERIOD,
    Commune,
    bearer,
    filled_dossier,
    new_entrant,
    ok,
    past_award,
    recorded_award,
)

NOTIFY = SERVICE_URLS["notifications"]


# lien_minh for its effect, the commune ready (a fixture cannot be marked with usefixtures)
@pytest.fixture
def officer(token: Callable[[str], str], lien_minh: Commune) -> str:  # noqa: ARG001
    return token("lm.officer")


def campaign(http: httpx.Client, officer: str, commune: Commune) -> dict[str, Any]:
    return ok(http.get(f"{SUBMISSIONS}/campaigns/{commune.campaign_id}", headers=bearer(officer)))  # type: ignore[no-any-return]


def test_a_period_window_lies_within_the_periods_year(http: httpx.Client, officer: str, lien_minh: Commune) -> None:
    # the yearly period 2029: each window is refused by rules that do not depend on today, so the dates are fixed
    url = f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/periods/{WINDOW_RULES_PERIOD}"
    before = campaign(http, officer, lien_minh)
    closes = "2029-12-10T00:00:00+07:00"
    for window, named in (
        ({"opens_at": 12345, "closes_at": closes}, {"opens_at"}),  # a Unix timestamp is not a date (1970)
        ({"opens_at": "2029-01-01T00:00:00+07:00", "closes_at": 1_893_456_000}, {"closes_at"}),
        (
            {"opens_at": "1900-01-01T00:00:00+07:00", "closes_at": "9999-12-31T00:00:00+07:00"},
            {"opens_at", "closes_at"},
        ),
        (  # another year's window
            {"opens_at": "2026-01-01T00:00:00+07:00", "closes_at": "2026-12-10T00:00:00+07:00"},
            {"opens_at", "closes_at"},
        ),
        ({"opens_at": "2029-01-01T00:00:00+07:00", "closes_at": "2030-03-01T00:00:00+07:00"}, {"closes_at"}),
        ({"opens_at": "2029-12-01T00:00:00+07:00", "closes_at": "2029-02-01T00:00:00+07:00"}, {"closes_at"}),
    ):
        body = problem(http.put(url, json=window, headers=bearer(officer)), 422)
        assert fields(body) == named, (window, body)
    late = problem(
        http.put(
            url,
            json={"opens_at": "2029-01-01T00:00:00+07:00", "closes_at": "2030-02-02T00:00:00+07:00"},
            headers=bearer(officer),
        ),
        422,
    )
    assert "31/01/2030" in str(late["errors"]), late  # a yearly period may close until the end of January after it
    assert campaign(http, officer, lien_minh) == before


def test_a_past_award_is_dated_between_1945_and_today(http: httpx.Client, officer: str) -> None:
    entrant, recorded = recorded_award(http, officer, name="Thôn Khen Xưa")
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    for signed_on in ("1900-01-01", "1945-09-01", "9999-12-31", tomorrow, 12345):
        award = past_award(entrant, signed_on=signed_on)
        body = problem(http.post(f"{AWARDS}/history", json=award, headers=bearer(officer)), 422)
        assert fields(body) == {"signed_on"}, (signed_on, body)
    history = ok(http.get(f"{AWARDS}/history", params={"entrant_id": entrant["id"]}, headers=bearer(officer)))
    assert [entry["id"] for entry in history["items"]] == [recorded["id"]]


def test_a_percentage_lies_between_0_and_100(http: httpx.Client, officer: str) -> None:
    entrant = new_entrant(http, officer)
    dossier = filled_dossier(http, officer, entrant["id"], {"a8": {"value": 80}})
    before = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer)))
    for code, value in (("a8", 250), ("a8", 100.5), ("a9", 1e9), ("a7", -1)):
        body = problem(
            http.put(
                f"{SUBMISSIONS}/submissions/{dossier}/evidence/{code}", json={"value": value}, headers=bearer(officer)
            ),
            422,
        )
        assert fields(body) == {"value"}, (code, value, body)
    assert ok(http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer))) == before
    ok(http.put(f"{SUBMISSIONS}/submissions/{dossier}/evidence/a8", json={"value": 100}, headers=bearer(officer)))


def test_a_council_names_only_its_own_communes_entrants(
    http: httpx.Client, officer: str, token: Callable[[str], str]
) -> None:
    # a unit of xã Liên Minh whose dossier the scoring service knows, named in the roster of xã Tam Điệp
    theirs = new_entrant(http, officer, name="Thôn Láng Giềng")
    dossier = filled_dossier(http, officer, theirs["id"], BRIEF_EVIDENCE)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    eventually(
        lambda: http.get(f"{SCORING}/scores/{dossier}", headers=bearer(officer)).status_code == 200,
        what="the scoring service to know the dossier",
    )
    other = token("td.officer")
    before = ok(http.get(f"{SCORING}/council", headers=bearer(other)))
    try:
        for member, field, status in (
            ({"unit_entrant_ids": [theirs["id"]]}, "members.0.unit_entrant_ids.0", 404),
            ({"person_entrant_id": theirs["id"]}, "members.0.person_entrant_id", 404),
            ({"unit_entrant_ids": [str(uuid.uuid4()), "bất kỳ chuỗi nào"]}, "members.0.unit_entrant_ids.1", 422),
            ({"person_entrant_id": "x" * 2000}, "members.0.person_entrant_id", 422),
        ):
            roster = {"members": [{"username": "td.council1", **member}]}
            body = problem(http.put(f"{SCORING}/council", json=roster, headers=bearer(other)), status)
            assert fields(body) == {field}, (member, body)
            assert theirs["name"] not in str(body)
        assert ok(http.get(f"{SCORING}/council", headers=bearer(other))) == before
    finally:
        if ok(http.get(f"{SCORING}/council", headers=bearer(other))) != before:
            ok(http.put(f"{SCORING}/council", json=before, headers=bearer(other)))


def nested(depth: int) -> dict[str, Any]:
    """Facts `depth` objects deep, beside the kind's sample facts (which keep the template rendering)."""
    facts: Any = "Thôn Đông Hưng"
    for _ in range(depth):
        facts = {"chi_tiet": facts}
    return dict(facts)


def test_preview_facts_are_bounded_in_depth(http: httpx.Client, officer: str) -> None:
    url = f"{NOTIFY}/templates/submission_submitted/preview"
    for depth in (21, 300, 900):
        body = problem(http.post(url, json={"facts": nested(depth)}, headers=bearer(officer)), 422)
        assert fields(body) == {"facts"}, (depth, body)
    many = problem(http.post(url, json={"facts": {"n": list(range(5000))}}, headers=bearer(officer)), 422)
    assert fields(many) == {"facts"}
    ok(http.post(url, json={"facts": nested(5)}, headers=bearer(officer)))


def far_row_workbook() -> bytes:
    """A few KB: the header, and one row numbered 1,048,576 (Excel's last)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm"])
    for column, value in enumerate((f"Thôn Cuối {uuid.uuid4().hex[:6]}", "Tập thể", "a"), start=1):
        sheet.cell(row=1_048_576, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_reaching_the_last_excel_row_is_refused_without_stalling_the_api(
    http: httpx.Client, officer: str
) -> None:
    data = far_row_workbook()
    assert len(data) < 8 * 1024
    before = entrant_total(http, officer)
    answers: list[tuple[float, httpx.Response]] = []
    importing = threading.Event()

    def upload() -> None:
        importing.set()
        started = time.monotonic()
        with httpx.Client(timeout=60) as client:
            response = client.post(f"{SUBMISSIONS}/entrants/import", content=data, headers=bearer(officer))
        answers.append((time.monotonic() - started, response))

    with ThreadPoolExecutor(max_workers=3) as pool:
        uploads = [pool.submit(upload) for _ in range(3)]
        importing.wait(5)
        probes: list[float] = []
        while not all(u.done() for u in uploads) or not probes:
            started = time.monotonic()
            live = httpx.get(f"{SUBMISSIONS}/health/live", timeout=10)
            probes.append(time.monotonic() - started)
            assert live.status_code == 200
        for finished in uploads:
            finished.result()
    assert max(probes) < 1.0, f"/health/live answered in {max(probes):.2f} s during the imports"
    for took, response in answers:
        body = problem(response, 422)
        assert fields(body) == {"body"}, body
        assert "10000" in body["detail"], body
        assert took < 10, f"the import took {took:.1f} s to refuse"
    assert entrant_total(http, officer) == before


def test_the_imports_refusal_is_documented(http: httpx.Client) -> None:
    spec = ok(http.get(f"{SUBMISSIONS}/openapi.json"))
    refused = spec["paths"]["/entrants/import"]["post"]["responses"]["422"]
    assert "application/problem+json" in refused["content"]
    assert "2000" in refused["description"]
