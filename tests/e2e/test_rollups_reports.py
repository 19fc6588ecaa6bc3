"""Issue #7's promise on the real stack: province staff of the demo province see every commune's figures, ranked,
drill down to a commune's entrants, and download both reports (Excel and PDF) through the API with real tokens;
a commune officer downloads their own commune's; another province sees nothing."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .world import (
    EVIDENCE_80,
    OPEN_PERIOD,
    SUBMISSIONS,
    bearer,
    every_item,
    filled_dossier,
    new_entrant,
    ok,
    rollups_settled,
)

ROLLUPS = SERVICE_URLS["rollups"]


def made(http: httpx.Client, token: str, body: dict[str, Any]) -> dict[str, Any]:
    """Ask for a report and follow its progress until it is ready."""
    job = ok(http.post(f"{ROLLUPS}/rollups/reports", json=body, headers=bearer(token)), 202)
    assert job["status"] == "queued"
    assert job["progress"] == 0
    seen: list[int] = []

    def ready() -> dict[str, Any] | None:
        now = ok(http.get(f"{ROLLUPS}/rollups/reports/{job['id']}", headers=bearer(token)))
        seen.append(now["progress"])
        assert now["status"] != "failed", now["error"]
        return now if now["status"] == "ready" else None

    done = eventually(ready, timeout=120, what="the report")
    assert seen == sorted(seen)
    assert done["progress"] == 100
    return done


@pytest.mark.usefixtures("lien_minh")
def test_province_staff_see_every_commune_and_download_both_reports(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    staff, officer, other = token("nb.staff"), token("lm.officer"), token("qn.staff")
    eventually(lambda: rollups_settled(http, staff), what="the rollups to catch up")
    figures = ok(http.get(f"{ROLLUPS}/rollups/provinces/37?period={OPEN_PERIOD}&page_size=200", headers=bearer(staff)))
    rows = {r["commune"]: r for r in figures["communes"]}
    assert LIEN_MINH in rows
    assert rows[LIEN_MINH]["rank"] >= 1
    assert rows[LIEN_MINH]["scored"] >= 1
    assert all(r["in_progress"] is None for r in rows.values())  # finalised work only
    assert figures["freshness"]["last_event_time"]
    assert figures["freshness"]["lag"] is not None

    # drill down: province → commune → entrants, scored only
    entrants = ok(
        http.get(f"{ROLLUPS}/rollups/communes/{LIEN_MINH}/entrants?period={OPEN_PERIOD}", headers=bearer(staff))
    )
    assert entrants["items"]
    assert all(e["total"] is not None and e["status"] is None for e in entrants["items"])

    # the province's consolidated report
    done = made(http, staff, {"kind": "province", "province": "37", "period": OPEN_PERIOD})
    workbook = http.get(f"{ROLLUPS}{done['files']['workbook']}", headers=bearer(staff))
    assert workbook.status_code == 200
    assert workbook.headers["content-type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(workbook.content))
    assert {"Tổng hợp", "0601.N", "0602.N", "0603.N"} <= set(book.sheetnames)
    scored_in_book = [str(row[2].value) for row in book["TH"].iter_rows(min_row=5)]
    assert sum(int(v) for v in scored_in_book) == sum(r["scored"] for r in rows.values())  # as the API says
    pdf = http.get(f"{ROLLUPS}{done['files']['narrative']}", headers=bearer(staff))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    text = unicodedata.normalize(
        "NFC", " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "BÁO CÁO" in text
    assert "Cả nước thi đua đổi mới sáng tạo" in " ".join(text.split())
    assert "PHỤ LỤC" in text

    # another province: nothing
    assert http.get(f"{ROLLUPS}/rollups/reports/{done['id']}", headers=bearer(other)).status_code == 404
    assert http.get(f"{ROLLUPS}{done['files']['workbook']}", headers=bearer(other)).status_code == 404
    refused = http.post(
        f"{ROLLUPS}/rollups/reports",
        json={"kind": "province", "province": "37", "period": OPEN_PERIOD},
        headers=bearer(other),
    )
    assert refused.status_code == 403

    # the commune's own annual report, by its officer; a report without its subject is a 422 naming the field
    mine = made(http, officer, {"kind": "commune", "commune": LIEN_MINH, "period": OPEN_PERIOD})
    assert http.get(f"{ROLLUPS}{mine['files']['narrative']}", headers=bearer(officer)).status_code == 200
    bad = http.post(
        f"{ROLLUPS}/rollups/reports", json={"kind": "commune", "period": OPEN_PERIOD}, headers=bearer(officer)
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"][0]["field"] == "commune"
    assert http.get(f"{ROLLUPS}/rollups/reports/{done['id']}", headers=bearer(officer)).status_code == 404


@pytest.mark.usefixtures("lien_minh")
def test_a_communes_entrants_come_a_page_at_a_time_best_score_first(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    staff, officer, submitter = token("nb.staff"), token("lm.officer"), token("lm.submitter")
    names: set[str] = set()
    for n in range(3):  # three dossiers in progress, listed after every scored one
        entrant = new_entrant(http, officer, name=f"Thôn Trang Tổng Hợp {n}")
        dossier = filled_dossier(http, submitter, entrant["id"], EVIDENCE_80)
        ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(submitter)))
        names.add(entrant["name"])
    url = f"{ROLLUPS}/rollups/communes/{LIEN_MINH}/entrants"

    def everything() -> list[dict[str, Any]] | None:
        if not rollups_settled(http, staff):  # then the pages below are read while nothing moves
            return None
        rows = every_item(http, url, bearer(officer), period=OPEN_PERIOD)
        return rows if rows is not None and names <= {r["entrant_name"] for r in rows} else None

    rows = eventually(everything, what="the three dossiers in the commune's rollups")
    # the order the province's commune page shows: the best final score first, those without one last, by name
    scores = [r["total"] for r in rows]
    scored = [s for s in scores if s is not None]
    assert scores == scored + [None] * (len(scores) - len(scored))
    assert scored == sorted(scored, reverse=True)
    unscored = [str(r["entrant_name"]) for r in rows if r["total"] is None]
    assert unscored == sorted(unscored)
    assert len({r["submission_id"] for r in rows}) == len(rows) >= 3

    # page 2 of two: the third and fourth of the whole list, with the total and the commune's freshness
    second = ok(http.get(url, params={"period": OPEN_PERIOD, "page": 2, "page_size": 2}, headers=bearer(officer)))
    assert (second["total"], second["page"], second["page_size"]) == (len(rows), 2, 2)
    assert [r["submission_id"] for r in second["items"]] == [r["submission_id"] for r in rows[2:4]]
    assert (second["commune"], second["period"]) == (LIEN_MINH, OPEN_PERIOD)
    assert second["freshness"]["lag"] is not None

    # province staff: the finalised ones only, counted as such
    theirs = every_item(http, url, bearer(staff), period=OPEN_PERIOD)
    assert theirs is not None
    assert all(r["total"] is not None for r in theirs)
    assert ok(http.get(url, params={"period": OPEN_PERIOD, "page_size": 1}, headers=bearer(staff)))["total"] == len(
        theirs
    )

    # a page holds at most 200 entrants
    refused = http.get(url, params={"period": OPEN_PERIOD, "page_size": 201}, headers=bearer(officer))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "page_size"
