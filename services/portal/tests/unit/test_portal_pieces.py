"""The portal's pure pieces: PKCE, safe redirects, language, the role menu, the API's problem answers."""

from __future__ import annotations

import base64
import hashlib

import httpx
import pytest

from portal.adapters.backend import _error_of, filename_of
from portal.adapters.oidc import code_challenge, code_verifier
from portal.forms import parse_number, parse_whole
from portal.i18n import Translator, language
from portal.navigation import menu_for
from portal.pages.officer.common import item_of
from portal.pages.officer.sessions import session_errors
from portal.settings import PortalSettings
from portal.web import safe_next
from thidua_platform.auth import Principal


def test_the_pkce_challenge_is_the_s256_of_the_verifier_as_rfc_7636_says() -> None:
    # RFC 7636 appendix B
    assert (
        code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )
    verifier = code_verifier()
    assert 43 <= len(verifier) <= 128
    assert verifier != code_verifier()
    digest = base64.urlsafe_b64decode(code_challenge(verifier) + "=")
    assert digest == hashlib.sha256(verifier.encode()).digest()


@pytest.mark.parametrize(
    ("asked", "followed"),
    [
        ("/submitter/dossiers?period=2026", "/submitter/dossiers?period=2026"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_only_paths_of_the_portal_are_followed_after_login(asked: str | None, followed: str) -> None:
    assert safe_next(asked) == followed


def test_vietnamese_first_english_on_request() -> None:
    assert language(None) == "vi"
    assert language("en") == "en"
    assert language("fr") == "vi"
    vi, en = Translator("vi"), Translator("en")
    assert vi("Hồ sơ", "Dossier") == "Hồ sơ"
    assert en("Hồ sơ", "Dossier") == "Dossier"
    assert vi.pick("Đang xét / Under review") == "Đang xét"
    assert en.pick("Đang xét / Under review") == "Under review"
    assert vi.number(1234.5) == "1.234,5"
    assert en.number(1234.5) == "1,234.5"
    assert vi.number(80.0) == "80"
    assert vi.date("2026-12-10") == "10/12/2026"
    assert en.date("2026-12-10") == "2026-12-10"
    decomposed = "Tho\u0302n"  # "Thôn" with a combining circumflex
    assert vi(decomposed, "x") == "Thôn"
    assert len(vi(decomposed, "x")) == 4


def test_each_role_finds_its_own_pages_in_the_menu() -> None:
    def paths(*roles: str) -> set[str]:
        return {e.path for e in menu_for(Principal("u", "u", frozenset(roles), tenant="t", province="37"))}

    assert "/submitter/dossiers" in paths("submitter")
    assert "/officer/entrants" not in paths("submitter")
    assert {"/council/reviews", "/council/sessions"} <= paths("council_member")
    assert "/chair/decisions" in paths("commune_chair")
    assert "/chair/decisions" not in paths("council_member")
    assert "/council/sessions" in paths("commune_chair")
    assert "/council/reviews" not in paths("commune_chair")
    assert "/province/dashboard" in paths("province_staff")
    assert "/province/dashboard" not in paths("commune_officer")
    assert paths("operator") == set()  # no business pages for IT operations
    for role in ("submitter", "commune_officer", "council_member", "commune_chair", "province_staff"):
        assert {"/inbox", "/showcase"} <= paths(role)


def test_an_api_problem_keeps_its_messages_by_field() -> None:
    answer = httpx.Response(
        422,
        json={
            "title": "Dữ liệu không hợp lệ / Invalid input",
            "status": 422,
            "errors": [
                {"field": "held_at", "message": "Thiếu / Missing"},
                {"field": "held_at", "message": "Sai múi giờ / Wrong zone"},
                {"field": "members", "message": "Ít nhất 3 / At least 3"},
            ],
        },
    )
    error = _error_of(answer)
    assert error.status == 422
    assert error.errors == {
        "held_at": "Thiếu / Missing; Sai múi giờ / Wrong zone",
        "members": "Ít nhất 3 / At least 3",
    }
    assert _error_of(httpx.Response(502, text="<html>bad gateway</html>")).status == 502


@pytest.mark.parametrize(
    ("typed", "read"),
    [("7,5", 7.5), ("7.5", 7.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("1.234", 1234.0), ("90", 90.0),
     (" 12 ", 12.0), ("-3", -3.0), ("0,25", 0.25)],
)  # fmt: skip
def test_numbers_are_read_as_vietnamese_or_english_write_them(typed: str, read: float) -> None:
    assert parse_number(typed) == read


@pytest.mark.parametrize("typed", ["một trăm", "nan", "inf", "1e999", "", "1,2,3.4.5", "--1", "1..2"])
def test_anything_but_a_finite_number_is_refused(typed: str) -> None:
    with pytest.raises(ValueError, match=r"^not a (finite )?number: "):
        parse_number(typed)


def test_whole_numbers_only_where_a_count_is_asked() -> None:
    assert parse_whole("4") == 4
    assert parse_whole("1.000") == 1000
    with pytest.raises(ValueError, match=r"^not a whole number: '2,5'$"):
        parse_whole("2,5")


def test_a_downloaded_file_keeps_its_vietnamese_name() -> None:
    encoded = "attachment; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp%20th%C3%B4n.pdf"
    assert filename_of(encoded, "x") == "Biên bản họp thôn.pdf"
    assert filename_of('attachment; filename="report.xlsx"', "x") == "report.xlsx"
    assert filename_of("", "minutes.pdf") == "minutes.pdf"


def test_the_portal_refuses_settings_unsafe_outside_the_local_stack() -> None:
    with pytest.raises(ValueError, match="CLIENT_SECRET"):
        PortalSettings(oidc_client_secret="")
    with pytest.raises(ValueError, match="COOKIE_SECURE"):
        PortalSettings(oidc_client_secret="s", public_url="https://thidua.ninhbinh.gov.vn")
    assert PortalSettings(oidc_client_secret="s", public_url="https://x.gov.vn", cookie_secure=True).cookie_secure


def test_an_api_error_path_into_a_sent_list_finds_its_item() -> None:
    assert item_of("members.2.username", "members", 3) == (2, "username")
    assert item_of("reasons.0", "reasons", 1) == (0, "")
    assert item_of("members.3.name", "members", 3) is None  # beyond what was sent
    assert item_of("members", "members", 3) is None
    assert item_of("held_at", "members", 3) is None
    assert item_of("members.x.name", "members", 3) is None


def test_a_refused_session_names_the_row_the_officer_typed() -> None:
    shown = session_errors(
        {"members.1.role": "Quá dài / Too long", "members.0.username": "Trùng / Repeated", "held_at.x": "Sai / Wrong"},
        rows=[0, 2],
    )
    assert shown == {
        "member.2.role": "Quá dài / Too long",
        "member.0.username": "Trùng / Repeated",
        "held_at": "Sai / Wrong",
    }
