"""What each role finds in the menu (../shared/DOMAIN.md §5). A route checks the roles again: the menu only guides."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_shared.auth import Principal


@dataclass(frozen=True)
class Entry:
    path: str
    vi: str
    en: str
    roles: frozenset[str]


def _e(path: str, vi: str, en: str, *roles: str) -> Entry:
    return Entry(path, vi, en, frozenset(roles))


ALL = ("submitter", "commune_officer", "council_member", "commune_chair", "province_staff", "province_admin")

MENU: tuple[Entry, ...] = (
    _e("/submitter/registrations", "Đăng ký thi đua", "Registration", "submitter", "commune_officer"),
    _e("/submitter/dossiers", "Hồ sơ của tôi", "My submissions", "submitter", "commune_officer"),
    _e("/submitter/results", "Điểm và khen thưởng", "Scores and awards", "submitter", "commune_officer"),
    _e("/officer/entrants", "Đối tượng thi đua", "Entrants", "commune_officer"),
    _e("/officer/criteria", "Bộ tiêu chí", "Criteria", "commune_officer"),
    _e("/officer/dossiers", "Kiểm tra hồ sơ", "Check dossiers", "commune_officer"),
    _e("/officer/periods", "Kỳ thi đua", "Periods", "commune_officer"),
    _e("/officer/sessions", "Phiên họp Hội đồng", "Council sessions", "commune_officer"),
    _e("/officer/reports", "Báo cáo của xã", "Commune reports", "commune_officer"),
    _e("/council/reviews", "Hồ sơ cần chấm", "Review queue", "council_member"),
    _e("/council/sessions", "Bỏ phiếu", "Ballots", "council_member", "commune_chair"),
    _e("/chair/decisions", "Quyết định khen thưởng", "Award decisions", "commune_chair"),
    _e("/chair/proposals", "Tờ trình lên tỉnh", "Proposals upward", "commune_chair"),
    _e("/province/dashboard", "Tổng hợp toàn tỉnh", "Province dashboard", "province_staff"),
    _e("/province/proposals", "Tờ trình nhận được", "Proposals received", "province_staff"),
    _e("/province/reports", "Báo cáo tổng hợp", "Consolidated report", "province_staff"),
    _e("/inbox", "Thông báo", "Notifications", *ALL),
    _e("/showcase", "Điển hình tiên tiến", "Role models", *ALL),
)


def menu_for(principal: Principal) -> list[Entry]:
    return [entry for entry in MENU if principal.has_any_role(*entry.roles)]
