"""What each role finds in the menu (../shared/DOMAIN.md §5). A route checks the roles again: the menu only guides."""

from __future__ import annotations

from dataclasses import dataclass

from thidua_contracts.roles import Role
from thidua_platform.auth import Principal


@dataclass(frozen=True)
class Entry:
    path: str
    vi: str
    en: str
    roles: frozenset[str]


def _e(path: str, vi: str, en: str, *roles: str) -> Entry:
    return Entry(path, vi, en, frozenset(roles))


ALL = (
    Role.SUBMITTER,
    Role.COMMUNE_OFFICER,
    Role.COUNCIL_MEMBER,
    Role.COMMUNE_CHAIR,
    Role.PROVINCE_STAFF,
    Role.PROVINCE_ADMIN,
)

MENU: tuple[Entry, ...] = (
    _e("/submitter/registrations", "Đăng ký thi đua", "Registration", Role.SUBMITTER, Role.COMMUNE_OFFICER),
    _e("/submitter/dossiers", "Hồ sơ của tôi", "My submissions", Role.SUBMITTER, Role.COMMUNE_OFFICER),
    _e("/submitter/results", "Điểm và khen thưởng", "Scores and awards", Role.SUBMITTER, Role.COMMUNE_OFFICER),
    _e("/officer/entrants", "Đối tượng thi đua", "Entrants", Role.COMMUNE_OFFICER),
    _e("/officer/criteria", "Bộ tiêu chí", "Criteria", Role.COMMUNE_OFFICER),
    _e("/officer/dossiers", "Kiểm tra hồ sơ", "Check dossiers", Role.COMMUNE_OFFICER),
    _e("/officer/periods", "Kỳ thi đua", "Periods", Role.COMMUNE_OFFICER),
    _e("/officer/sessions", "Phiên họp Hội đồng", "Council sessions", Role.COMMUNE_OFFICER),
    _e("/officer/reports", "Báo cáo của xã", "Commune reports", Role.COMMUNE_OFFICER),
    _e("/officer/ad-hoc", "Khen thưởng đột xuất", "Ad-hoc awards", Role.COMMUNE_OFFICER),
    _e("/officer/history", "Lịch sử khen thưởng", "Award history", Role.COMMUNE_OFFICER),
    _e("/officer/fund", "Quỹ thi đua, khen thưởng", "Awards fund", Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR),
    _e("/council/reviews", "Hồ sơ cần chấm", "Review queue", Role.COUNCIL_MEMBER),
    _e("/council/sessions", "Bỏ phiếu", "Ballots", Role.COUNCIL_MEMBER, Role.COMMUNE_CHAIR),
    _e("/chair/decisions", "Quyết định khen thưởng", "Award decisions", Role.COMMUNE_CHAIR),
    _e("/chair/proposals", "Tờ trình lên tỉnh", "Proposals upward", Role.COMMUNE_CHAIR),
    _e("/province/dashboard", "Tổng hợp toàn tỉnh", "Province dashboard", Role.PROVINCE_STAFF),
    _e("/province/proposals", "Tờ trình nhận được", "Proposals received", Role.PROVINCE_STAFF),
    _e("/province/reports", "Báo cáo tổng hợp", "Consolidated report", Role.PROVINCE_STAFF),
    _e("/admin/rules", "Danh mục và điều kiện khen thưởng", "Award catalogue and rules", Role.PROVINCE_ADMIN),
    _e("/admin/settings", "Hội đồng và tiền thưởng", "Council and prize money", Role.PROVINCE_ADMIN),
    _e("/admin/criteria", "Bộ tiêu chí mặc định", "Default criteria", Role.PROVINCE_ADMIN),
    _e("/admin/notifications", "Lượt gửi thông báo", "Notification deliveries", Role.PROVINCE_ADMIN),
    _e("/admin/communes", "Các xã của tỉnh", "The province's communes", Role.PROVINCE_ADMIN),
    _e("/inbox", "Thông báo", "Notifications", *ALL),
    _e("/showcase", "Điển hình tiên tiến", "Role models", *ALL),
)


def menu_for(principal: Principal) -> list[Entry]:
    return [entry for entry in MENU if principal.has_any_role(*entry.roles)]
