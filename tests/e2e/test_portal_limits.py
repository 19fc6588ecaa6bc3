"""Issue #20 on the real stack: the portal refuses a form over THIDUA_MAX_REQUEST_BODY_BYTES (1 MiB, as the APIs do)
with a 413 page before reading it, and a file larger than that, within the attachment limit, still uploads through
the portal's dossier page. The session is made through Keycloak's own login form, with httpx (no browser)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from thidua_platform.client import DEMO_PASSWORD

from .world import EVIDENCE_80, SUBMISSIONS, Commune, bearer, filled_dossier, new_entrant, ok

PORTAL = "http://127.0.0.1:8100"
LIMIT = 1024 * 1024  # THIDUA_MAX_REQUEST_BODY_BYTES's default, which the local stack keeps


@pytest.fixture(scope="module")
def portal_session() -> Iterator[httpx.Client]:
    """lm.submitter's portal session, logged in through Keycloak's login pages (username, then password)."""
    client = httpx.Client(follow_redirects=True, timeout=60)
    page = client.get(f"{PORTAL}/auth/login")
    for fields in ({"username": "lm.submitter"}, {"username": "lm.submitter", "password": DEMO_PASSWORD}):
        action = re.search(r'<form[^>]+action="([^"]+)"', page.text)
        assert action, page.text[:300]
        for cookie in client.cookies.jar:  # Keycloak's cookies are Secure: a browser sends them to 127.0.0.1 anyway
            cookie.secure = False
        page = client.post(html.unescape(action.group(1)), data=fields)
        if str(page.url).startswith(PORTAL):
            break
    assert str(page.url).startswith(PORTAL), page.text[:300]
    assert "thidua_session" in client.cookies, page.text[:300]
    client.follow_redirects = False
    yield client
    client.close()


# lien_minh for its effect, the commune ready (a fixture cannot be marked with usefixtures)
@pytest.fixture
def draft(http: httpx.Client, token: Callable[[str], str], lien_minh: Commune) -> str:  # noqa: ARG001
    """A fresh draft dossier of lm.submitter's."""
    entrant = new_entrant(http, token("lm.officer"), name="Thôn Giới Hạn")
    return filled_dossier(http, token("lm.submitter"), entrant["id"], EVIDENCE_80)


def csrf_of(portal: httpx.Client, dossier: str) -> str:
    page = portal.get(f"{PORTAL}/submitter/dossiers/{dossier}")
    assert page.status_code == 200, page.text[:300]
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:300]
    return found.group(1)


def test_a_form_over_the_limit_gets_a_413_page_and_changes_nothing(
    http: httpx.Client, token: Callable[[str], str], portal_session: httpx.Client, draft: str
) -> None:
    csrf = csrf_of(portal_session, draft)
    head = f"csrf_token={csrf}&reason=".encode()
    answer = portal_session.post(
        f"{PORTAL}/submitter/dossiers/{draft}/withdraw",
        content=head + b"x" * (2 * LIMIT),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413, answer.text[:300]
    assert answer.headers["content-type"].startswith("text/html")
    assert "Nội dung gửi lên quá lớn (tối đa 1 MB)" in answer.text
    dossier = ok(http.get(f"{SUBMISSIONS}/submissions/{draft}", headers=bearer(token("lm.submitter"))))
    assert dossier["status"] == "draft"


def test_a_file_over_the_form_limit_still_uploads_through_the_portal(
    http: httpx.Client, token: Callable[[str], str], portal_session: httpx.Client, draft: str
) -> None:
    pdf = b"%PDF-1.4\n%" + b"0" * (3 * LIMIT // 2) + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    answer = portal_session.post(
        f"{PORTAL}/submitter/dossiers/{draft}/evidence/a3/attachments",
        data={"csrf_token": csrf_of(portal_session, draft)},
        files={"file": ("Biên bản lớn.pdf", pdf, "application/pdf")},
    )
    assert answer.status_code == 303, answer.text[:300]
    dossier = ok(http.get(f"{SUBMISSIONS}/submissions/{draft}", headers=bearer(token("lm.submitter"))))
    files = dossier["evidence"]["a3"]["attachments"]
    assert [(f["filename"], f["size"]) for f in files] == [("Biên bản lớn.pdf", len(pdf))], files
