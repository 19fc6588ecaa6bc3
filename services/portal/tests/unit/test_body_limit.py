"""The portal's limit on request bodies (`portal.limits`), on the portal's own app (`create_portal`) with a signed-in
person and the services answered in memory: a form over THIDUA_MAX_REQUEST_BODY_BYTES is refused with a 413 page
before anything reads it (problem+json when JSON is asked for), with or without a Content-Length; the pages that
take a file keep their own, larger limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from portal.adapters.backend import Backend
from portal.adapters.oidc import TokenSet
from portal.bootstrap import create_portal
from portal.sessions import Session
from portal.settings import PortalSettings
from portal.web import SESSION_COOKIE
from thidua_platform.auth import Principal

LIMIT = 1024 * 1024  # THIDUA_MAX_REQUEST_BODY_BYTES's default
UPLOAD_LIMIT = 4 * 1024 * 1024
CSRF = "csrf-of-this-session"
SUBMIT = "/submitter/dossiers/d-1/submit"
ATTACH = "/submitter/dossiers/d-1/evidence/a3/attachments"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def called() -> list[httpx.Request]:
    """What the portal sent to the services."""
    return []


@pytest.fixture
def client(monkeypatch: pytest.MonkeyPatch, called: list[httpx.Request]) -> TestClient:
    settings = PortalSettings(oidc_client_secret="only-in-tests", upload_max_bytes=UPLOAD_LIMIT)
    assert settings.max_request_body_bytes == LIMIT
    app = create_portal(settings)
    now = datetime.now(UTC)
    session = Session(
        id="s-1",
        principal=Principal("u-1", "lm.submitter", frozenset({"submitter"}), tenant="lm", province="37"),
        display_name="Người nộp",
        tokens=TokenSet("access", "refresh", "id", time.time() + 3600, time.time() + 7200),
        csrf=CSRF,
        created_at=now,
        last_seen=now,
    )

    async def signed_in(session_id: str) -> Session | None:
        return session if session_id == session.id else None

    async def nothing(*_args: Any) -> None:
        return None

    def service(request: httpx.Request) -> httpx.Response:
        called.append(request)
        return httpx.Response(201, json={"id": "x"})

    portal = app.state.portal
    monkeypatch.setattr(portal.sessions, "get", signed_in)
    monkeypatch.setattr(portal.sessions, "flash", nothing)
    portal.backend = Backend(settings, httpx.AsyncClient(transport=httpx.MockTransport(service)))
    return TestClient(app, cookies={SESSION_COOKIE: session.id})  # no lifespan: no database is reached


def form_of(size: int) -> bytes:
    """An urlencoded form of `size` bytes: the CSRF token and a long note."""
    head = f"csrf_token={CSRF}&note=".encode()
    return head + b"x" * (size - len(head))


def chunks(body: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    """The body without a Content-Length (chunked transfer encoding)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


URLENCODED = {"content-type": "application/x-www-form-urlencoded"}


def test_a_form_over_the_limit_gets_a_413_page_in_vietnamese_before_it_is_read(
    client: TestClient, called: list[httpx.Request]
) -> None:
    answer = client.post(SUBMIT, content=form_of(2 * LIMIT), headers=URLENCODED, follow_redirects=False)
    assert answer.status_code == 413, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Nội dung gửi lên quá lớn (tối đa 1 MB)" in answer.text
    assert 'lang="vi"' in answer.text
    assert answer.headers["x-frame-options"] == "DENY"  # the page's security headers as on every page
    assert called == []  # nothing went to the service


def test_the_413_page_is_in_english_when_english_was_chosen(client: TestClient) -> None:
    client.cookies.set("thidua_lang", "en")
    answer = client.post(SUBMIT, content=form_of(LIMIT + 1), headers=URLENCODED, follow_redirects=False)
    assert answer.status_code == 413
    assert "What was sent is too large (at most 1 MB)" in answer.text
    assert 'lang="en"' in answer.text


def test_a_form_over_the_limit_without_a_content_length_is_refused_as_it_arrives(
    client: TestClient, called: list[httpx.Request]
) -> None:
    answer = client.post(SUBMIT, content=chunks(form_of(3 * LIMIT)), headers=URLENCODED, follow_redirects=False)
    assert answer.status_code == 413
    assert "Nội dung gửi lên quá lớn" in answer.text
    assert called == []


def test_a_request_asking_for_json_gets_the_apis_problem(client: TestClient) -> None:
    headers = URLENCODED | {"accept": "application/json"}
    answer = client.post(SUBMIT, content=form_of(2 * LIMIT), headers=headers, follow_redirects=False)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == PROBLEM_JSON
    assert answer.json()["title"] == "Nội dung yêu cầu quá lớn / Request body too large"


def test_a_form_within_the_limit_goes_through(client: TestClient, called: list[httpx.Request]) -> None:
    for body in (form_of(LIMIT), chunks(form_of(LIMIT))):
        called.clear()
        answer = client.post(SUBMIT, content=body, headers=URLENCODED, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
        assert [r.url.path for r in called] == ["/submissions/d-1/submit"]


def test_a_file_over_the_form_limit_but_within_its_own_is_uploaded(
    client: TestClient, called: list[httpx.Request]
) -> None:
    evidence = b"%PDF-1.4\n" + b"0" * (3 * LIMIT)
    answer = client.post(
        ATTACH,
        data={"csrf_token": CSRF},
        files={"file": ("biên bản.pdf", evidence, "application/pdf")},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text[:300]
    assert len(called) == 1
    assert called[0].url.path == "/submissions/d-1/evidence/a3/attachments"
    assert called[0].content == evidence


def test_a_file_over_its_own_limit_is_refused_even_without_a_content_length(
    client: TestClient, called: list[httpx.Request]
) -> None:
    boundary = "thidua-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{CSRF}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="lon.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + b"0" * (UPLOAD_LIMIT + 2 * LIMIT)
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    answer = client.post(ATTACH, content=chunks(body), headers=headers, follow_redirects=False)
    assert answer.status_code == 413
    assert "Tệp quá lớn (tối đa 4 MB)" in answer.text
    answer = client.post(ATTACH, content=body, headers=headers, follow_redirects=False)
    assert answer.status_code == 413
    assert "Tệp quá lớn (tối đa 4 MB)" in answer.text
    assert called == []


def test_an_upload_page_takes_only_multipart_bodies_over_the_form_limit(
    client: TestClient, called: list[httpx.Request]
) -> None:
    answer = client.post(ATTACH, content=form_of(2 * LIMIT), headers=URLENCODED, follow_redirects=False)
    assert answer.status_code == 413
    assert "Nội dung gửi lên quá lớn" in answer.text
    assert called == []


def test_the_pages_that_take_a_file_are_the_attachment_and_the_excel_imports() -> None:
    from portal.limits import upload_routes

    app = create_portal(PortalSettings(oidc_client_secret="only-routes-are-read"))
    found = {(next(iter(methods)), regex.pattern) for regex, methods in upload_routes(app)}
    assert {method for method, _ in found} == {"POST"}
    assert len(found) == 3
    assert any(regex.match(ATTACH) for regex, _ in upload_routes(app))
    assert any(regex.match("/officer/entrants/import") for regex, _ in upload_routes(app))
    assert any(regex.match("/officer/history/import") for regex, _ in upload_routes(app))
