"""Everyone's pages over a fake backend (tests/unit/fake_backend.py): the start page and the language, signing in
asked for and an ended session, the inbox and its preferences, the showcase and its publishing page. Each renders
what the services answered, in Vietnamese first and in English on request, asks the services what it must, and is
refused to a role it is not for (what a page does when a service fails: test_error_pages_over_fake_backend.py)."""

from __future__ import annotations

from typing import Any

import pytest

from thidua_contracts.roles import Role

from .fake_backend import TENANT, PortalUnderTest, listing


@pytest.fixture
def site() -> PortalUnderTest:
    return PortalUnderTest()


# --- the start page and the language


def test_the_start_page_welcomes_someone_not_signed_in(site: PortalUnderTest) -> None:
    page = site.get("/")
    assert page.status_code == 200
    assert "Cổng thi đua – khen thưởng của xã" in page.text
    assert 'href="/auth/login"' in page.text
    assert site.backend.calls == []


def test_the_start_page_names_the_commune_and_the_province_by_their_names(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER, name="Nguyễn Văn An", unit_name="Xã Liên Minh")
    assert 'data-testid="tenant">Xã Liên Minh<' in site.get("/").text
    site.sign_in(Role.PROVINCE_STAFF, tenant=None, unit_name="Tỉnh Ninh Bình")
    assert "Đơn vị: Tỉnh Ninh Bình" in site.get("/").text


def test_the_start_page_lists_what_the_role_may_do(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_CHAIR, name="Trần Thị Bình")
    page = site.get("/")
    assert page.status_code == 200
    assert "Xin chào" in page.text
    assert "Trần Thị Bình" in page.text
    assert f'data-testid="tenant">{TENANT}<' in page.text
    assert "Quyết định khen thưởng" in page.text
    assert "Tờ trình lên tỉnh" in page.text
    assert "Kiểm tra hồ sơ" not in page.text  # an officer's page
    site.english()
    page = site.get("/")
    assert "Hello" in page.text
    assert "Award decisions" in page.text
    assert 'lang="en"' in page.text


def test_the_language_switch_sets_the_cookie_and_goes_back(site: PortalUnderTest) -> None:
    answer = site.get("/lang/en", next="/showcase")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/showcase"
    assert "thidua_lang=en" in answer.headers["set-cookie"]
    elsewhere = site.get("/lang/en", next="https://evil.example/")
    assert elsewhere.headers["location"] == "/"


def test_a_page_asks_someone_not_signed_in_to_log_in(site: PortalUnderTest) -> None:
    answer = site.get("/inbox", unread="1")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/login?next=/inbox%3Funread%3D1"
    assert site.backend.calls == []


def test_an_ended_session_says_so(site: PortalUnderTest) -> None:
    site.client.cookies.set("thidua_session", "a-session-that-ended")
    answer = site.get("/inbox")
    assert answer.status_code == 401
    assert "Phiên đăng nhập đã hết hạn" in answer.text


# --- the inbox


def message(n: int, *, read: bool) -> dict[str, Any]:
    return {
        "id": f"m-{n}", "kind": "submission_scored", "subject": f"s-{n}",
        "title_vi": f"Hồ sơ {n} đã có điểm", "body_vi": "Điểm tạm tính: 81,5", "title_en": f"Dossier {n} scored",
        "body_en": "Provisional score: 81.5", "created_at": "2026-12-01T08:00:00Z",
        "read_at": "2026-12-02T08:00:00Z" if read else None,
    }  # fmt: skip


def can_inbox(site: PortalUnderTest, total: int = 2) -> None:
    site.backend.get("notifications", "/inbox", listing([message(1, read=True), message(2, read=False)], total))
    site.backend.get("notifications", "/inbox/unread-count", {"unread": 1})


@pytest.mark.parametrize("role", [Role.SUBMITTER, Role.COUNCIL_MEMBER, Role.PROVINCE_STAFF, Role.PROVINCE_ADMIN])
def test_the_inbox_shows_everyones_messages_unread_first(site: PortalUnderTest, role: Role) -> None:
    site.sign_in(role)
    can_inbox(site)
    page = site.get("/inbox")
    assert page.status_code == 200
    assert "Thông báo" in page.text
    assert "thông báo chưa đọc" in page.text
    assert page.text.index("Hồ sơ 2 đã có điểm") < page.text.index("Hồ sơ 1 đã có điểm")
    assert "Đánh dấu đã đọc" in page.text
    (asked,) = site.backend.asked("GET", "notifications", "/inbox")
    assert (asked.param("unread_only"), asked.param("page"), asked.param("page_size")) == ("false", "1", "50")


def test_the_inbox_in_english_and_the_unread_filter_kept(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)
    site.english()
    can_inbox(site, total=120)
    page = site.get("/inbox", unread="1", page="2")
    assert page.status_code == 200
    assert "Dossier 2 scored" in page.text
    assert "Mark as read" in page.text
    assert "Page 2 / 3" in page.text
    (asked,) = site.backend.asked("GET", "notifications", "/inbox")
    assert (asked.param("unread_only"), asked.param("page")) == ("true", "2")


def test_marking_a_message_read_leads_back_to_its_page(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    site.backend.on("POST", "notifications", "/inbox/m-2/read", status=204)
    answer = site.post("/inbox/m-2/read", {"page": "3", "unread": "1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/inbox?unread=1&page=3"
    assert site.flash() == "Đã đánh dấu là đã đọc"


def test_a_person_with_no_portal_role_is_refused_the_inbox(site: PortalUnderTest) -> None:
    site.sign_in(Role.OPERATOR, tenant=None, province=None)
    page = site.get("/inbox")
    assert page.status_code == 403
    assert "Bạn không có quyền xem trang này" in page.text
    assert site.backend.calls == []


def test_the_preferences_are_shown_and_a_refusal_is_shown_on_its_field(site: PortalUnderTest) -> None:
    site.sign_in(Role.SUBMITTER)
    site.backend.get("notifications", "/preferences", {"in_app": True, "email": False, "webhook": False,
                                                       "digest": "daily"})  # fmt: skip
    page = site.get("/inbox/preferences")
    assert page.status_code == 200
    assert "Tùy chọn nhận thông báo" in page.text
    assert 'id="in_app" name="in_app" checked' in page.text
    assert '<option value="daily" selected>' in page.text

    site.backend.fail(
        "PUT", "notifications", "/preferences", 422, "Dữ liệu không hợp lệ / Invalid data",
        errors={"email": "Chưa có địa chỉ e-mail / No e-mail address on file"},
    )  # fmt: skip
    page = site.post("/inbox/preferences", {"email": "on", "digest": "off"})
    assert page.status_code == 422
    assert 'class="field-error" id="email-error">Chưa có địa chỉ e-mail<' in page.text
    assert 'id="email" name="email" checked' in page.text  # what was chosen is kept
    (sent,) = site.backend.asked("PUT", "notifications", "/preferences")
    assert sent.body == {"in_app": False, "email": True, "webhook": False, "digest": "off"}


# --- the showcase


def showcase_item(n: int, tenant: str = TENANT, history_id: str = "") -> dict[str, Any]:
    return {
        "id": history_id or f"h-{n}", "tenant": tenant, "title": f"Mô hình “Chợ số” {n}", "story": "Câu chuyện",
        "entrant_name": f"Thôn Đông {n}", "entrant_kind": "collective", "award_name": "Giấy khen của Chủ tịch UBND xã",
        "level": "commune", "period": "2025", "decision_number": f"{n}/QĐ-UBND", "decision_signed_on": "2025-12-20",
        "published_at": "2026-01-05T08:00:00Z",
    }  # fmt: skip


@pytest.mark.parametrize("role", [Role.SUBMITTER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF])
def test_the_showcase_shows_what_the_communes_published(site: PortalUnderTest, role: Role) -> None:
    site.sign_in(role)
    site.backend.get("awards", "/showcase", listing([showcase_item(1), showcase_item(2, "ph-37-khac")], total=45))
    page = site.get("/showcase", page="2")
    assert page.status_code == 200
    assert "Điển hình tiên tiến" in page.text
    assert "Mô hình “Chợ số” 1" in page.text
    assert "Thôn Đông 2" in page.text
    assert "ph-37-khac" in page.text
    assert "Tập thể" in page.text
    assert "Cấp xã" in page.text
    assert "20/12/2025" in page.text
    assert 'href="/showcase?page=3"' in page.text
    assert 'href="/showcase?page=1"' in page.text
    assert "/showcase/publish" not in page.text  # only an officer publishes
    (asked,) = site.backend.asked("GET", "awards", "/showcase")
    assert (asked.param("page"), asked.param("page_size")) == ("2", "20")


def test_the_showcase_in_english(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    site.english()
    site.backend.get("awards", "/showcase", listing([showcase_item(1)]))
    page = site.get("/showcase")
    assert "Role models and initiatives" in page.text
    assert "Collective" in page.text
    assert "2025-12-20" in page.text
    assert 'href="/showcase/publish"' in page.text


def history_entry(entry_id: str, name: str, kind: str = "collective") -> dict[str, Any]:
    return {
        "id": entry_id, "entrant": {"id": f"e-{entry_id}", "name": name, "kind": kind}, "period": "2025",
        "award_name": "Giấy khen của Chủ tịch UBND xã", "level": "commune",
        "decision": {"number": "12/QĐ-UBND", "signed_on": "2025-12-20"},
    }  # fmt: skip


def can_publishing(site: PortalUnderTest) -> None:
    site.backend.get("awards", "/history", listing([history_entry("h-1", "Thôn Đông"),
                                                    history_entry("h-2", "Lê Văn Cường", "individual")]))  # fmt: skip
    # the service answers the commune's own items (`commune=`): not another commune's, whatever its id
    site.backend.get("awards", "/showcase", listing([showcase_item(1, history_id="h-1")]))


def test_the_officer_publishes_from_the_communes_award_history(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    can_publishing(site)
    page = site.get("/showcase/publish")
    assert page.status_code == 200
    assert "Đăng điển hình tiên tiến của xã" in page.text
    assert "Thôn Đông: Giấy khen của Chủ tịch UBND xã (Năm 2025)" in page.text
    assert 'value="Mô hình “Chợ số” 1"' in page.text  # the commune's own post, to update
    assert "Gỡ bài" in page.text
    assert "Đồng ý cho đăng công khai" not in page.text
    assert page.text.count("Đang đăng") == 1
    (history,) = site.backend.asked("GET", "awards", "/history")
    assert history.param("page_size") == "200"
    (own,) = site.backend.asked("GET", "awards", "/showcase")  # its own commune's, not the province's showcase
    assert (own.param("page"), own.param("commune")) == ("1", TENANT)


def test_publishing_without_a_title_keeps_the_story_typed(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    can_publishing(site)
    page = site.post("/showcase/publish", {"history_id": "h-2", "title": "", "story": "Gương sáng vượt khó"})
    assert page.status_code == 422
    assert 'id="h-2-title-error">Bắt buộc nhập<' in page.text
    assert "Gương sáng vượt khó</textarea>" in page.text
    assert site.backend.asked("PUT", "awards", "/showcase/h-2") == []


def test_the_services_refusal_to_publish_is_shown_on_its_field(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    can_publishing(site)
    site.backend.fail(
        "PUT", "awards", "/showcase/h-2", 422, "Chưa được đăng / Not published",
        errors={"consent": "Cần sự đồng ý của cá nhân / The person's consent is needed"},
    )  # fmt: skip
    page = site.post("/showcase/publish", {"history_id": "h-2", "title": "Gương sáng", "story": "Vượt khó"})
    assert page.status_code == 422
    assert 'id="h-2-consent-error">Cần sự đồng ý của cá nhân<' in page.text
    assert 'value="Gương sáng"' in page.text
    (sent,) = site.backend.asked("PUT", "awards", "/showcase/h-2")
    assert sent.body == {"title": "Gương sáng", "story": "Vượt khó", "consent": False}


def test_publishing_leads_back_to_the_entry(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    site.backend.on("PUT", "awards", "/showcase/h:1", {"id": "h:1"})
    answer = site.post("/showcase/publish", {"history_id": "h:1", "title": "T", "story": "S", "consent": "true"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/showcase/publish#entry-h-1"
    assert site.backend.asked("PUT", "awards", "/showcase/h:1")[0].body["consent"] is True


def test_the_publishing_page_reads_only_the_communes_own_posts_to_their_end(site: PortalUnderTest) -> None:
    """The page asks the showcase for its own commune's items (`commune=`), 200 at a time to their end: not the
    province's whole showcase, which grows with every commune."""
    site.sign_in(Role.COMMUNE_OFFICER)
    site.backend.get(
        "awards", "/history", listing([history_entry("h-1", "Thôn Đông"), history_entry("h-2", "Thôn Tây")])
    )

    def communes_showcase(call: Any) -> dict[str, Any]:  # 201 items of its own, over two pages of 200
        assert call.param("commune") == TENANT
        number = int(call.param("page"))
        earlier = [showcase_item(1000 + i) for i in range(199 if number == 1 else 0)]
        mine = {1: [showcase_item(1, history_id="h-1")], 2: [showcase_item(2, history_id="h-2")]}.get(number, [])
        return listing(earlier + mine, total=201)

    site.backend.on("GET", "awards", "/showcase", communes_showcase)
    page = site.get("/showcase/publish")
    assert page.status_code == 200
    assert page.text.count("Đang đăng") == 2
    assert 'value="Mô hình “Chợ số” 2"' in page.text
    assert [c.param("page") for c in site.backend.asked("GET", "awards", "/showcase")] == ["1", "2"]


def test_withdrawing_a_post(site: PortalUnderTest) -> None:
    site.sign_in(Role.COMMUNE_OFFICER)
    site.backend.on("DELETE", "awards", "/showcase/h-1", status=204)
    answer = site.post("/showcase/unpublish", {"history_id": "h-1"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/showcase/publish#entry-h-1"
    assert site.flash() == "Đã gỡ khỏi điển hình tiên tiến"


@pytest.mark.parametrize("role", [Role.SUBMITTER, Role.COMMUNE_CHAIR, Role.PROVINCE_STAFF])
def test_only_an_officer_may_publish(site: PortalUnderTest, role: Role) -> None:
    site.sign_in(role)
    assert site.get("/showcase/publish").status_code == 403
    refused = site.post("/showcase/publish", {"history_id": "h-1", "title": "T", "story": "S"})
    assert refused.status_code == 403
    assert "Bạn không có quyền xem trang này" in refused.text
    assert site.backend.calls == []
