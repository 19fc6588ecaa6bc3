"""Bad input to the submissions API: each is answered with a clear 4xx problem naming the field, and changes nothing."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from .world import (
    FUTURE_PERIOD,
    OPEN_PERIOD,
    SUBMISSIONS,
    WINDOW_RULES_PERIOD,
    YEAR,
    Commune,
    bearer,
    filled_dossier,
    new_entrant,
    ok,
)

PROBLEM = "application/problem+json"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    return body


def fields(body: dict[str, Any]) -> set[str]:
    return {error["field"] for error in body.get("errors", [])}


# lien_minh for its effect, the commune ready (a fixture cannot be marked with usefixtures)
@pytest.fixture
def officer(token: Callable[[str], str], lien_minh: Commune) -> str:  # noqa: ARG001
    return token("lm.officer")


@pytest.fixture
def dossier(http: httpx.Client, officer: str) -> str:
    entrant = new_entrant(http, officer)
    return filled_dossier(http, officer, entrant["id"], {"a7": {"value": 3}})


def snapshot(http: httpx.Client, officer: str, dossier: str) -> dict[str, Any]:
    return ok(http.get(f"{SUBMISSIONS}/submissions/{dossier}", headers=bearer(officer)))  # type: ignore[no-any-return]


def test_wrong_types(http: httpx.Client, officer: str, dossier: str) -> None:
    body = problem(
        http.post(f"{SUBMISSIONS}/submissions", json={"period": YEAR, "entrant_id": 5}, headers=bearer(officer)), 422
    )
    assert {"period", "entrant_id"} <= fields(body)
    before = snapshot(http, officer, dossier)
    for code, given, field in (
        ("a7", {"value": "nhiều"}, "value"),
        ("a7", {"level": "full"}, "level"),
        ("a1", {"value": 1}, "value"),
        ("a7", {"value": -1}, "value"),
    ):
        body = problem(
            http.put(f"{SUBMISSIONS}/submissions/{dossier}/evidence/{code}", json=given, headers=bearer(officer)), 422
        )
        assert field in fields(body), body
    problem(
        http.put(f"{SUBMISSIONS}/submissions/{dossier}/evidence/zz9", json={"value": 1}, headers=bearer(officer)), 404
    )
    problem(
        http.put(f"{SUBMISSIONS}/submissions/{dossier}/evidence/A7", json={"value": 1}, headers=bearer(officer)), 422
    )
    assert snapshot(http, officer, dossier) == before


def vietnamese_first(message: str) -> bool:
    vietnamese, _, english = message.partition(" / ")
    return bool(english) and any(ord(c) > 127 for c in vietnamese)


@pytest.mark.usefixtures("unopened_period")
def test_out_of_window(http: httpx.Client, officer: str) -> None:
    entrant = new_entrant(http, officer)
    body = problem(
        http.post(
            f"{SUBMISSIONS}/submissions",
            json={"period": FUTURE_PERIOD, "entrant_id": entrant["id"]},
            headers=bearer(officer),
        ),
        422,
    )
    assert "period" in fields(body)
    assert FUTURE_PERIOD in body["detail"]
    assert all(vietnamese_first(error["message"]) for error in body["errors"]), body
    body = problem(
        http.post(
            f"{SUBMISSIONS}/registrations",
            json={"period": FUTURE_PERIOD, "entrant_id": entrant["id"]},
            headers=bearer(officer),
        ),
        422,
    )
    assert all(vietnamese_first(error["message"]) for error in body["errors"]), body
    body = problem(
        http.post(
            f"{SUBMISSIONS}/submissions", json={"period": "2024", "entrant_id": entrant["id"]}, headers=bearer(officer)
        ),
        422,
    )
    assert "period" in fields(body)
    assert all(vietnamese_first(error["message"]) for error in body["errors"]), body
    listed = ok(http.get(f"{SUBMISSIONS}/submissions?entrant={entrant['id']}", headers=bearer(officer)))
    assert listed["total"] == 0


def test_an_individual_of_an_unknown_collective_is_refused_naming_unit_id(http: httpx.Client, officer: str) -> None:
    person = {
        "name": "Nguyễn Văn An",
        "kind": "individual",
        "target_group": "d1",
        "unit_id": str(uuid.uuid4()),
        "position": "Trưởng thôn",
    }
    body = problem(http.post(f"{SUBMISSIONS}/entrants", json=person, headers=bearer(officer)), 422)
    [error] = body["errors"]
    assert error["field"] == "unit_id", body
    assert vietnamese_first(error["message"]), body


def test_another_tenants_ids(http: httpx.Client, officer: str, dossier: str, token: Callable[[str], str]) -> None:
    other = token("sm.officer")
    before = snapshot(http, officer, dossier)
    entrant_id = before["entrant"]["id"]
    for method, path, body in (
        ("GET", f"/submissions/{dossier}", None),
        ("PUT", f"/submissions/{dossier}/evidence/a7", {"value": 4}),
        ("POST", f"/submissions/{dossier}/submit", None),
        ("POST", f"/submissions/{dossier}/withdraw", {}),
        ("POST", f"/submissions/{dossier}/return", {"reasons": [{"reason": "x"}]}),
        ("GET", f"/submissions/{dossier}/audit", None),
        ("GET", f"/entrants/{entrant_id}", None),
        ("POST", "/submissions", {"period": OPEN_PERIOD, "entrant_id": entrant_id}),
    ):
        response = http.request(method, f"{SUBMISSIONS}{path}", json=body, headers=bearer(other))
        assert response.status_code in (404, 422), (method, path, response.status_code)  # never 200, never 5xx
        assert response.headers["content-type"] == PROBLEM
    assert snapshot(http, officer, dossier) == before


def test_a_submitter_acts_only_for_their_own_unit(
    http: httpx.Client, officer: str, token: Callable[[str], str]
) -> None:
    someone_else = new_entrant(http, officer, focal=("lm.officer",))
    submitter = token("lm.submitter")
    problem(
        http.post(
            f"{SUBMISSIONS}/submissions",
            json={"period": OPEN_PERIOD, "entrant_id": someone_else["id"]},
            headers=bearer(submitter),
        ),
        404,
    )
    problem(
        http.post(
            f"{SUBMISSIONS}/registrations",
            json={"period": OPEN_PERIOD, "entrant_id": someone_else["id"]},
            headers=bearer(submitter),
        ),
        404,
    )
    listing = ok(http.get(f"{SUBMISSIONS}/entrants?page_size=200", headers=bearer(submitter)))
    assert someone_else["id"] not in {e["id"] for e in listing["items"]}
    # naming the other unit in a filter does not widen what a submitter sees
    filled_dossier(http, officer, someone_else["id"], {"a7": {"value": 2}})
    for listed in ("submissions", "registrations"):
        found = ok(
            http.get(f"{SUBMISSIONS}/{listed}", params={"entrant": someone_else["id"]}, headers=bearer(submitter))
        )
        assert found["total"] == 0, listed
        assert (
            ok(http.get(f"{SUBMISSIONS}/{listed}", params={"entrant": someone_else["id"]}, headers=bearer(officer)))[
                "total"
            ]
            == 1
        )


def test_attachments_are_checked_on_content(http: httpx.Client, officer: str, dossier: str) -> None:
    url = f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments"
    before = snapshot(http, officer, dossier)
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
    body = problem(http.post(url, params={"filename": "bien-ban.pdf"}, content=elf, headers=bearer(officer)), 415)
    assert "filename" in fields(body)
    problem(http.post(url, params={"filename": "bao-cao.docx"}, content=PDF, headers=bearer(officer)), 415)
    problem(http.post(url, params={"filename": "../../etc/passwd.pdf"}, content=PDF, headers=bearer(officer)), 415)
    problem(http.post(url, params={"filename": "rong.pdf"}, content=b"", headers=bearer(officer)), 422)
    assert snapshot(http, officer, dossier) == before

    attached = ok(
        http.post(url, params={"filename": "Biên bản họp thôn.pdf"}, content=PDF, headers=bearer(officer)), 201
    )
    [ref] = attached["evidence"]["a3"]["attachments"]
    assert ref["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert ref["media_type"] == "application/pdf"
    assert ref["filename"] == "Biên bản họp thôn.pdf"
    download = http.get(f"{SUBMISSIONS}/attachments/{ref['id']}", headers=bearer(officer))
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["x-content-type-options"] == "nosniff"

    detach = f"{url}/{ref['id']}"
    detached = ok(http.delete(detach, headers=bearer(officer)))
    assert detached["evidence"]["a3"]["attachments"] == []
    problem(http.delete(detach, headers=bearer(officer)), 404)
    audit = ok(http.get(f"{SUBMISSIONS}/submissions/{dossier}/audit", headers=bearer(officer)))
    assert [e["action"] for e in audit][-2:] == ["attachment_added", "attachment_removed"]


def test_oversize_attachments_are_refused_while_streaming(http: httpx.Client, officer: str, dossier: str) -> None:
    url = f"{SUBMISSIONS}/submissions/{dossier}/evidence/a3/attachments"
    before = snapshot(http, officer, dossier)
    declared = problem(
        http.post(
            url, params={"filename": "lon.pdf"}, content=PDF + b"0" * (21 * 1024 * 1024), headers=bearer(officer)
        ),
        413,
    )
    assert "20 MB" in declared["title"] + declared["detail"] or "bytes" in declared["detail"]

    def stream() -> Iterator[bytes]:  # no Content-Length: the limit is enforced on what arrives
        yield PDF
        for _ in range(22):
            yield b"0" * (1024 * 1024)

    problem(http.post(url, params={"filename": "lon.pdf"}, content=stream(), headers=bearer(officer)), 413)
    assert snapshot(http, officer, dossier) == before


def workbook(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm", "Thuộc đơn vị", "Chức vụ", "Số CCCD"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def entrant_total(http: httpx.Client, officer: str) -> int:
    return int(ok(http.get(f"{SUBMISSIONS}/entrants?page_size=1", headers=bearer(officer)))["total"])


def test_workbooks_import_all_or_nothing(http: httpx.Client, officer: str) -> None:
    url = f"{SUBMISSIONS}/entrants/import"
    tag = uuid.uuid4().hex[:6]
    before = entrant_total(http, officer)
    problem(http.post(url, content=b"PK\x03\x04 not really a workbook", headers=bearer(officer)), 422)
    problem(http.post(url, content=b"", headers=bearer(officer)), 422)
    rows: list[list[Any]] = [
        [f"Thôn Bắc {tag}", "Tập thể", "a", None, None, "001203004005"],
        [f"Trần Văn Bình {tag}", "Cá nhân", "d1", f"Thôn Bắc {tag}", "Trưởng thôn", "001203004006"],
        [f"Lê Thị Cúc {tag}", "Cá nhân", "a", f"Thôn Bắc {tag}", None, None],  # an individual in group a
    ]
    body = problem(http.post(url, content=workbook(rows), headers=bearer(officer)), 422)
    assert any("row 4" in field for field in fields(body)), body
    assert "001203004005" not in str(body)  # national ID numbers are never read back
    assert entrant_total(http, officer) == before

    report = ok(http.post(url, params={"skip_invalid": "true"}, content=workbook(rows), headers=bearer(officer)))
    assert (report["imported"], report["skipped"]) == (2, 1)
    assert "Số CCCD" in report["ignored_columns"]
    assert entrant_total(http, officer) == before + 2
    again = ok(http.post(url, params={"skip_invalid": "true"}, content=workbook(rows), headers=bearer(officer)))
    assert (again["imported"], again["already_present"]) == (0, 2)
    assert entrant_total(http, officer) == before + 2


def test_an_idempotency_key_makes_a_retry_harmless(http: httpx.Client, officer: str) -> None:
    entrant = new_entrant(http, officer)
    key = {**bearer(officer), "Idempotency-Key": f"tao-ho-so-{uuid.uuid4()}"}
    body = {"period": OPEN_PERIOD, "entrant_id": entrant["id"]}
    first = http.post(f"{SUBMISSIONS}/submissions", json=body, headers=key)
    assert first.status_code == 201
    retry = http.post(f"{SUBMISSIONS}/submissions", json=body, headers=key)
    assert retry.status_code == 200
    assert retry.headers["idempotent-replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    other = new_entrant(http, officer)
    problem(
        http.post(f"{SUBMISSIONS}/submissions", json={"period": OPEN_PERIOD, "entrant_id": other["id"]}, headers=key),
        422,
    )
    listed = ok(http.get(f"{SUBMISSIONS}/submissions?entrant={entrant['id']}", headers=bearer(officer)))
    assert listed["total"] == 1
    unkeyed = http.post(f"{SUBMISSIONS}/submissions", json=body, headers=bearer(officer))
    problem(unkeyed, 409)
    body_bad_key = problem(
        http.post(f"{SUBMISSIONS}/submissions", json=body, headers={**bearer(officer), "Idempotency-Key": "x y"}), 422
    )
    assert "Idempotency-Key" in fields(body_bad_key)


@pytest.mark.usefixtures("unopened_period")
def test_criteria_adaptation_limits(http: httpx.Client, officer: str, lien_minh: Commune) -> None:
    base = ok(
        http.get(
            f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets",
            params={"period": FUTURE_PERIOD, "group": "b"},
            headers=bearer(officer),
        )
    )[0]
    content = base["content"]
    moved = [dict(c, max_points=c["max_points"] + (20 if c["code"] == "b1" else 0)) for c in content["criteria"]]
    body = problem(
        http.put(
            f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets/{FUTURE_PERIOD}",
            json={**content, "criteria": moved},
            headers=bearer(officer),
        ),
        422,
    )
    assert "b1" in body["detail"]
    opened = problem(
        http.put(
            f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets/{OPEN_PERIOD}",
            json=content,
            headers=bearer(officer),
        ),
        409,
    )
    assert OPEN_PERIOD in opened["detail"]
    after = ok(
        http.get(
            f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets",
            params={"period": FUTURE_PERIOD, "group": "b"},
            headers=bearer(officer),
        )
    )[0]
    assert after == base


def test_lifecycle_steps_out_of_order(http: httpx.Client, officer: str, dossier: str) -> None:
    problem(
        http.post(f"{SUBMISSIONS}/submissions/{dossier}/return", json={"reasons": []}, headers=bearer(officer)), 422
    )
    body = problem(
        http.post(
            f"{SUBMISSIONS}/submissions/{dossier}/return",
            json={"reasons": [{"code": "a7", "reason": "Thiếu biên bản"}]},
            headers=bearer(officer),
        ),
        409,
    )
    assert "nháp" in body["detail"]  # a draft cannot be returned


def test_registered_targets_cannot_buy_points(http: httpx.Client, officer: str) -> None:
    entrant = new_entrant(http, officer)
    body = {"period": OPEN_PERIOD, "entrant_id": entrant["id"]}
    lower = problem(
        http.post(f"{SUBMISSIONS}/registrations", json={**body, "targets": {"a8": 0.000001}}, headers=bearer(officer)),
        422,
    )
    assert "targets.a8" in fields(lower)
    infinite = problem(
        http.post(
            f"{SUBMISSIONS}/registrations",
            headers={**bearer(officer), "content-type": "application/json"},
            content=b'{"period": "%s", "entrant_id": "%s", "targets": {"a8": Infinity}}'
            % (OPEN_PERIOD.encode(), entrant["id"].encode()),
        ),
        422,
    )
    assert "targets.a8" in fields(infinite)
    listed = ok(http.get(f"{SUBMISSIONS}/registrations?entrant={entrant['id']}", headers=bearer(officer)))
    assert listed["total"] == 0


@pytest.mark.usefixtures("unopened_period")
def test_province_rules_cannot_be_loosened(http: httpx.Client, officer: str, lien_minh: Commune) -> None:
    url = f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/criteria-sets"
    base = ok(http.get(url, params={"period": FUTURE_PERIOD, "group": "a"}, headers=bearer(officer)))[0]
    content = base["content"]

    def changed(code: str, **fields_: Any) -> dict[str, Any]:
        criteria = [dict(c, **fields_) if c["code"] == code else c for c in content["criteria"]]
        return {**content, "criteria": criteria}

    bonus = next(c for c in content["criteria"] if c["code"] == "a-model")
    meetings = next(c for c in content["criteria"] if c["code"] == "a7")
    online = next(c for c in content["criteria"] if c["code"] == "a8")
    attempts = {
        "a bigger bonus": changed("a-model", rule={**bonus["rule"], "points_per_occurrence": 100}),
        "a penalty made a bonus": changed(
            "a-discipline", rule={"kind": "bonus_penalty", "steps": [], "points_per_occurrence": 0.01}
        ),
        "a step at zero": changed("a7", rule={**meetings["rule"], "steps": [{"at_least": 0, "points": 10}]}),
        "a tiny target": changed("a8", indicator={**online["indicator"], "target": 0.0001}),
    }
    for name, attempt in attempts.items():
        response = http.put(f"{url}/{FUTURE_PERIOD}", json=attempt, headers=bearer(officer))
        assert response.status_code == 422, (name, response.text)
    after = ok(http.get(url, params={"period": FUTURE_PERIOD, "group": "a"}, headers=bearer(officer)))[0]
    assert after == base


def test_period_windows_must_make_sense(http: httpx.Client, officer: str, lien_minh: Commune) -> None:
    url = f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}/periods/{WINDOW_RULES_PERIOD}"  # 2029: refused in any year
    before = ok(http.get(f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}", headers=bearer(officer)))
    backwards = problem(
        http.put(
            url,
            json={"opens_at": "2029-12-01T00:00:00+07:00", "closes_at": "2029-01-01T00:00:00+07:00"},
            headers=bearer(officer),
        ),
        422,
    )
    assert backwards["errors"]
    naive = problem(
        http.put(
            url, json={"opens_at": "2029-01-01T00:00:00", "closes_at": "2029-12-01T00:00:00"}, headers=bearer(officer)
        ),
        422,
    )
    assert {"opens_at", "closes_at"} <= fields(naive)
    assert ok(http.get(f"{SUBMISSIONS}/campaigns/{lien_minh.campaign_id}", headers=bearer(officer))) == before


def test_a_workbook_row_with_too_many_focal_users(http: httpx.Client, officer: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tên", "Loại", "Nhóm", "Cán bộ đầu mối"])
    sheet.append([f"Thôn Nam {uuid.uuid4().hex[:6]}", "Tập thể", "a", ", ".join(f"user{n}" for n in range(21))])
    out = io.BytesIO()
    book.save(out)
    before = entrant_total(http, officer)
    body = problem(http.post(f"{SUBMISSIONS}/entrants/import", content=out.getvalue(), headers=bearer(officer)), 422)
    assert any("row 2" in field for field in fields(body)), body
    assert entrant_total(http, officer) == before


def test_a_submitter_counts_only_their_own_registrations(
    http: httpx.Client, officer: str, token: Callable[[str], str]
) -> None:
    others = new_entrant(http, officer, focal=("lm.officer",))
    ok(
        http.post(
            f"{SUBMISSIONS}/registrations",
            json={"period": OPEN_PERIOD, "entrant_id": others["id"]},
            headers=bearer(officer),
        ),
        201,
    )
    submitter = token("lm.submitter")
    mine = ok(http.get(f"{SUBMISSIONS}/registrations?period={OPEN_PERIOD}&page_size=1", headers=bearer(submitter)))[
        "total"
    ]
    counts = ok(http.get(f"{SUBMISSIONS}/registrations/counts?period={OPEN_PERIOD}", headers=bearer(submitter)))
    assert sum(row["total"] for row in counts) == mine
    commune = ok(http.get(f"{SUBMISSIONS}/registrations/counts?period={OPEN_PERIOD}", headers=bearer(officer)))
    assert sum(row["total"] for row in commune) > mine


def test_completeness_of_a_withdrawn_dossier(http: httpx.Client, officer: str, dossier: str) -> None:
    ok(http.post(f"{SUBMISSIONS}/submissions/{dossier}/withdraw", json={}, headers=bearer(officer)))
    before = snapshot(http, officer, dossier)
    problem(http.post(f"{SUBMISSIONS}/submissions/{dossier}/completeness", headers=bearer(officer)), 409)
    assert snapshot(http, officer, dossier) == before


def test_what_the_contract_says_is_what_is_refused(http: httpx.Client, officer: str) -> None:
    """Contract slips found from outside: a report of commune "" was refused with 422 though the schema allowed it,
    and a body that is not UTF-8 answered a 400 no OpenAPI document listed."""
    reports = "http://127.0.0.1:8105/rollups/reports"
    refused = problem(
        http.post(reports, json={"kind": "commune", "period": OPEN_PERIOD, "commune": ""}, headers=bearer(officer)), 422
    )
    assert "commune" in fields(refused)
    schema = http.get("http://127.0.0.1:8105/openapi.json").json()
    request = schema["components"]["schemas"]["ReportRequest"]["properties"]["commune"]
    assert any(option.get("minLength") == 1 for option in request.get("anyOf", [request]))

    latin1 = "Thôn Đông".encode("latin-1", errors="replace") + b"\xff\xfe"
    headers = {**bearer(officer), "content-type": "application/json"}
    unreadable = problem(
        http.post(f"{SUBMISSIONS}/entrants", content=b'{"name": "' + latin1 + b'"}', headers=headers), 400
    )
    assert fields(unreadable) == {"body"}
    documented = http.get(f"{SUBMISSIONS}/openapi.json").json()["paths"]["/entrants"]["post"]["responses"]
    assert "400" in documented
    assert "413" in documented
