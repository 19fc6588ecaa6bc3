"""Hostile text from outside (issue #20): control characters in what people type are refused with a problem+json 422
naming the field, and nothing is stored; what is stored is NFC; an upload is taken for what its content is.

Settings that replace a commune's own (letterhead, notification templates) are tried on xã Sơn Mai, the fuzzing's
commune, so that xã Liên Minh, which the other end-to-end tests build on, keeps its own whatever the outcome.
"""

from __future__ import annotations

import hashlib
import io
import time
import unicodedata
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook

from thidua_platform.client import SERVICE_URLS

from .conftest import LIEN_MINH, eventually
from .test_bad_inputs import PDF, PROBLEM, entrant_total, snapshot
from .world import (
    AWARDS,
    BRIEF_EVIDENCE,
    COUNCIL,
    FUTURE_PERIOD,
    OPEN_PERIOD,
    SCORING,
    SUBMISSIONS,
    Commune,
    bearer,
    filled_dossier,
    new_entrant,
    ok,
    past_award,
)

NOTIFY = SERVICE_URLS["notifications"]
ROLLUPS = SERVICE_URLS["rollups"]
NUL = "\u0000"


def refused(response: httpx.Response, field: str, status: int = 422) -> dict[str, Any]:
    """A problem+json answer with `status` whose errors name `field`, each message Vietnamese / English."""
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    named = [error for error in body.get("errors", []) if error["field"] == field]
    assert named, f"no error names {field}: {body}"
    for error in named:
        vietnamese, separator, english = error["message"].partition(" / ")
        assert separator, error
        assert english, error
        assert any(ord(c) > 127 for c in vietnamese), error
    return body


# lien_minh for its effect, the commune ready (a fixture cannot be marked with usefixtures)
@pytest.fixture
def officer(token: Callable[[str], str], lien_minh: Commune) -> str:  # noqa: ARG001
    return token("lm.officer")


@pytest.fixture
def dossier(http: httpx.Client, officer: str) -> str:
    entrant = new_entrant(http, officer, name="Thôn Hiểm Văn")
    return filled_dossier(http, officer, entrant["id"], {"a7": {"value": 3}})


# --- control characters -----------------------------------------------------------------------------------------------


def test_a_nul_in_an_entrants_name_is_refused_and_nothing_is_stored(http: httpx.Client, officer: str) -> None:
    unit = new_entrant(http, officer)
    before = entrant_total(http, officer)
    tag = uuid.uuid4().hex[:6]
    collective = {"kind": "collective", "target_group": "a", "unit_type": "thôn"}
    person = {"name": f"Nguyễn Văn An {tag}", "kind": "individual", "target_group": "d1", "unit_id": unit["id"]}
    for body, field in (
        ({**collective, "name": f"Thôn Đông{NUL}Hưng {tag}"}, "name"),
        ({**collective, "name": f"Thôn Đông Hưng {tag}\u001b[31m"}, "name"),  # a terminal's escape sequence
        ({**collective, "name": f"Thôn Đông\nHưng {tag}"}, "name"),  # a name is one line
        ({**collective, "name": f"Thôn Đông Hưng {tag}", "unit_type": f"thôn{NUL}"}, "unit_type"),
        ({**person, "position": f"Trưởng{NUL}thôn"}, "position"),
    ):
        refused(http.post(f"{SUBMISSIONS}/entrants", json=body, headers=bearer(officer)), field)
    assert entrant_total(http, officer) == before


@pytest.mark.usefixtures("unopened_period")
def test_a_nul_in_a_criterion_title_is_refused_and_the_set_is_unchanged(
    http: httpx.Client, officer: str, lien_minh: Commune
) -> None:
    url = f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets"
    query = {"period": FUTURE_PERIOD, "group": "b"}
    base = ok(http.get(url, params=query, headers=bearer(officer)))[0]
    content = base["content"]
    criteria = list(content["criteria"])
    criteria[0] = {**criteria[0], "title": f"{criteria[0]['title']}{NUL}"}
    answer = http.put(f"{url}/{FUTURE_PERIOD}", json={**content, "criteria": criteria}, headers=bearer(officer))
    refused(answer, "criteria.0.title")
    with_indicator = next(i for i, c in enumerate(criteria) if c.get("indicator"))
    criteria = list(content["criteria"])
    indicator = {**criteria[with_indicator]["indicator"], "unit": "%\u0007"}
    criteria[with_indicator] = {**criteria[with_indicator], "indicator": indicator}
    answer = http.put(f"{url}/{FUTURE_PERIOD}", json={**content, "criteria": criteria}, headers=bearer(officer))
    refused(answer, f"criteria.{with_indicator}.indicator.unit")
    assert ok(http.get(url, params=query, headers=bearer(officer)))[0] == base


def test_control_characters_in_a_narrative_or_a_reason_are_refused(
    http: httpx.Client, officer: str, dossier: str
) -> None:
    drafted = snapshot(http, officer, dossier)
    answer = http.put(
        f"{SUBMISSIONS}/submissions/{dossier}/evidence/a7",
        json={"value": 3, "narrative": f"Họp thôn{NUL} hằng quý"},
        headers=bearer(officer),
    )
    refused(answer, "narrative")
    assert snapshot(http, officer, dossier) == drafted
    # line breaks and tabs are what a multi-line narrative is made of
    lines = "Quý I: họp trực tuyến.\r\n\tQuý II: họp trực tiếp."
    given = ok(
        http.put(
            f"{SUBMISSIONS}/submissions/{dossier}/evidence/a7",
            json={"value": 3, "narrative": lines},
            headers=bearer(officer),
        )
    )
    assert given["evidence"]["a7"]["narrative"] == lines
    before = snapshot(http, officer, dossier)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    submitted = snapshot(http, officer, dossier)

    answer = http.post(
        f"{SUBMISSIONS}/submissions/{dossier}/return",
        json={"reasons": [{"code": "a7", "reason": f"Thiếu biên bản{NUL}"}]},
        headers=bearer(officer),
    )
    refused(answer, "reasons.0.reason")
    answer = http.post(
        f"{SUBMISSIONS}/submissions/{dossier}/withdraw", json={"reason": "Rút\u007f hồ sơ"}, headers=bearer(officer)
    )
    refused(answer, "reason")
    after = snapshot(http, officer, dossier)
    assert after == submitted
    assert after["status"] == "submitted"
    assert before["evidence"] == after["evidence"]


def test_a_nul_in_a_reviewers_comment_is_refused_and_nothing_is_recorded(
    http: httpx.Client, officer: str, dossier: str, token: Callable[[str], str]
) -> None:
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    reviewers = {name: token(name) for name in COUNCIL}

    def assigned() -> tuple[str, dict[str, Any]] | None:
        for name, reviewer in reviewers.items():
            view = http.get(f"{SCORING}/reviews/{dossier}", headers=bearer(reviewer))
            if view.status_code == 200:
                return name, view.json()
        return None

    name, view = eventually(assigned, timeout=60, what="a reviewer assigned to the dossier")
    reviewer = reviewers[name]
    criterion = view["criteria"][0]
    url = f"{SCORING}/reviews/{dossier}/assessments/{criterion['code']}"
    body = {"points": criterion["max_points"] / 2, "comment": f"Có minh chứng{NUL} đầy đủ."}
    refused(http.put(url, json=body, headers=bearer(reviewer)), "comment")
    recusal = {"reason": f"Người{NUL} nhà"}
    refused(http.post(f"{SCORING}/reviews/{dossier}/recuse", json=recusal, headers=bearer(reviewer)), "reason")
    again = ok(http.get(f"{SCORING}/reviews/{dossier}", headers=bearer(reviewer)))
    assert again["my_assessments"] == view["my_assessments"] == {}
    assert again == view


def test_control_characters_in_a_letterhead_are_refused_and_it_is_unchanged(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("sm.officer")
    before = ok(http.get(f"{AWARDS}/letterhead", headers=bearer(officer)))
    good = {
        "issuing_body": "ỦY BAN NHÂN DÂN XÃ SƠN MAI",
        "parent_body": "TỈNH QUẢNG NGÃI",
        "place": "Sơn Mai",
        "authority": "UBND xã Sơn Mai",
    }
    for field, value in (
        ("issuing_body", f"ỦY BAN NHÂN DÂN{NUL} XÃ SƠN MAI"),
        ("parent_body", "TỈNH\bQUẢNG NGÃI"),
        ("place", "Sơn\nMai"),
        ("authority", f"UBND xã Sơn Mai{NUL}"),
    ):
        refused(http.put(f"{AWARDS}/letterhead", json={**good, field: value}, headers=bearer(officer)), field)
    assert ok(http.get(f"{AWARDS}/letterhead", headers=bearer(officer))) == before


def test_a_nul_in_a_report_letterhead_is_refused(http: httpx.Client, officer: str) -> None:
    body = {
        "kind": "commune",
        "commune": LIEN_MINH,
        "period": OPEN_PERIOD,
        "letterhead": {"issuing_body": f"ỦY BAN NHÂN DÂN XÃ LIÊN MINH{NUL}", "place": "Liên Minh"},
    }
    refused(http.post(f"{ROLLUPS}/rollups/reports", json=body, headers=bearer(officer)), "letterhead.issuing_body")
    body["letterhead"] = {"issuing_body": "ỦY BAN NHÂN DÂN XÃ LIÊN MINH", "place": "Liên\u000bMinh"}
    refused(http.post(f"{ROLLUPS}/rollups/reports", json=body, headers=bearer(officer)), "letterhead.place")


def test_a_nul_in_an_award_history_number_is_refused_and_nothing_is_recorded(http: httpx.Client, officer: str) -> None:
    entrant = new_entrant(http, officer, name="Thôn Số Hiệu")
    dossier = filled_dossier(http, officer, entrant["id"], BRIEF_EVIDENCE)
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/submit", headers=bearer(officer)))
    award = past_award(entrant)
    named = award["entrant"]
    for field, wrong in (
        ("number", {**award, "number": f"{award['number']}{NUL}"}),
        ("issuer", {**award, "issuer": "Chủ tịch\u001f UBND xã Liên Minh"}),
        ("entrant.name", {**award, "entrant": {**named, "name": f"{entrant['name']}{NUL}"}}),
    ):
        refused(http.post(f"{AWARDS}/history", json=wrong, headers=bearer(officer)), field)
    # the same award, written properly, is recorded (once the awards service knows the dossier): it alone
    deadline = time.monotonic() + 60
    while (answer := http.post(f"{AWARDS}/history", json=award, headers=bearer(officer))).status_code == 404:
        assert time.monotonic() < deadline, "the awards service did not learn of the dossier within 60 s"
        time.sleep(0.3)
    ok(answer, 201)
    history = ok(http.get(f"{AWARDS}/history", params={"entrant_id": entrant["id"]}, headers=bearer(officer)))
    assert [item["decision"]["number"] for item in history["items"]] == [award["number"]]


def test_a_nul_in_a_notification_template_is_refused_and_it_is_unchanged(
    http: httpx.Client, token: Callable[[str], str]
) -> None:
    officer = token("sm.officer")
    url = f"{NOTIFY}/templates/submission_submitted"
    before = ok(http.get(url, headers=bearer(officer)))
    current = {part: before["current"][part] for part in ("subject_vi", "body_vi", "subject_en", "body_en")}
    for part, value in (
        ("body_vi", f"Hồ sơ của {{{{ entrant }}}} đã được nộp.{NUL}"),
        ("subject_en", "Submission received\u001b]8;;http://x\u0007: {{ entrant }}"),
    ):
        refused(http.put(url, json={**current, part: value}, headers=bearer(officer)), part)
    assert ok(http.get(url, headers=bearer(officer))) == before


# --- NFC --------------------------------------------------------------------------------------------------------------


def test_an_attachments_decomposed_name_is_stored_composed(http: httpx.Client, officer: str, dossier: str) -> None:
    composed = "Biên bản họp thôn quý IV.pdf"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    url = f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments"
    attached = ok(http.post(url, params={"filename": decomposed}, content=PDF, headers=bearer(officer)), 201)
    [ref] = attached["evidence"]["a3"]["attachments"]
    assert ref["filename"] == composed
    assert snapshot(http, officer, dossier)["evidence"]["a3"]["attachments"][0]["filename"] == composed


def test_a_reports_decomposed_letterhead_is_stored_composed(http: httpx.Client, officer: str) -> None:
    issuing_body = f"ỦY BAN NHÂN DÂN XÃ LIÊN MINH {uuid.uuid4().hex[:4].upper()}"
    letterhead = {
        "issuing_body": unicodedata.normalize("NFD", issuing_body),
        "parent_body": unicodedata.normalize("NFD", "TỈNH NINH BÌNH"),
        "place": unicodedata.normalize("NFD", "Liên Minh"),
    }
    body = {"kind": "commune", "commune": LIEN_MINH, "period": OPEN_PERIOD, "letterhead": letterhead}
    job = ok(http.post(f"{ROLLUPS}/rollups/reports", json=body, headers=bearer(officer)), 202)

    def ready() -> dict[str, Any] | None:
        now = ok(http.get(f"{ROLLUPS}/rollups/reports/{job['id']}", headers=bearer(officer)))
        assert now["status"] != "failed", now["error"]
        return now if now["status"] == "ready" else None

    done = eventually(ready, timeout=120, what="the report")
    workbook = http.get(f"{ROLLUPS}{done['files']['workbook']}", headers=bearer(officer))
    assert workbook.status_code == 200
    cells = [
        str(cell.value)
        for sheet in load_workbook(io.BytesIO(workbook.content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert any(issuing_body in cell for cell in cells), "the letterhead is not in the workbook as composed text"
    assert not any(letterhead["issuing_body"] in cell for cell in cells)


# --- uploads are what their content is --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("a.pdf", b"alert(1)//%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
        ("bien-ban.pdf", b"<html><script>alert(1)</script></html>\n" + PDF),
        ("bien-ban.pdf", b"\xef\xbb\xbf" + PDF),
        ("anh.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
    ],
)
def test_an_upload_whose_content_is_not_its_type_is_refused(
    http: httpx.Client, officer: str, dossier: str, filename: str, content: bytes
) -> None:
    url = f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments"
    before = snapshot(http, officer, dossier)
    refused(http.post(url, params={"filename": filename}, content=content, headers=bearer(officer)), "filename", 415)
    assert snapshot(http, officer, dossier) == before


def test_a_real_pdf_is_accepted(http: httpx.Client, officer: str, dossier: str) -> None:
    url = f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments"
    attached = ok(http.post(url, params={"filename": "a.pdf"}, content=PDF, headers=bearer(officer)), 201)
    [ref] = attached["evidence"]["a3"]["attachments"]
    assert ref["media_type"] == "application/pdf"
    assert ref["sha256"] == hashlib.sha256(PDF).hexdigest()
    download = http.get(f"{SUBMISSIONS}/attachments/{ref['id']}", headers=bearer(officer))
    assert download.status_code == 200
    assert download.content == PDF
