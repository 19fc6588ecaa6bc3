"""Target group a's default criteria set: phòng, ban, ngành, thôn, xóm, tổ dân phố (the commune's offices, villages
and residential groups), collectives."""

from __future__ import annotations

from submissions.domain.criteria import CriteriaSetContent, Indicator
from submissions.domain.defaults.rules import (
    MEETING_STEPS,
    assessment,
    discipline_penalty,
    level,
    model_bonus,
    percent,
    ratio,
    steps,
)

GROUP_A = CriteriaSetContent(
    target_group="a",
    criteria=(
        level(
            "a1",
            1,
            "Hoàn thành có chất lượng, đạt, vượt và về đích sớm các mục tiêu, nhiệm vụ, giải pháp được giao "
            "thực hiện Nghị quyết số 57-NQ/TW",
            15,
        ),
        assessment(
            "a2",
            3,
            "Kịp thời tham mưu, đề xuất ban hành quy định tháo gỡ điểm nghẽn, rào cản về thể chế, chính sách trong "
            "phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số; đơn giản hóa tối đa thủ tục hành chính",
            6,
        ),
        assessment(
            "a3",
            3,
            "Thực hiện có chất lượng, hiệu quả việc chuyển đổi số, ứng dụng khoa học, công nghệ, đổi mới sáng tạo "
            "trong hoạt động của đơn vị, góp phần nâng cao hiệu lực, hiệu quả quản lý nhà nước",
            5,
        ),
        assessment(
            "a4",
            4,
            "Tham mưu cơ chế, chính sách ưu đãi, hỗ trợ doanh nghiệp, nhất là doanh nghiệp vừa và nhỏ, đầu tư cho "
            "chuyển đổi số, nghiên cứu, ứng dụng khoa học, đổi mới công nghệ",
            5,
        ),
        assessment(
            "a5",
            3,
            "Tinh gọn bộ máy; giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông, phi địa giới "
            "hành chính; tái cấu trúc quy trình để cung cấp dịch vụ công trực tuyến toàn trình",
            6,
        ),
        assessment(
            "a6",
            3,
            "Xây dựng, phát huy hiệu quả dữ liệu của xã bảo đảm liên thông, tích hợp, chia sẻ; phát triển ứng dụng "
            "trí tuệ nhân tạo dựa trên dữ liệu lớn",
            5,
        ),
        steps(
            "a7",
            1,
            "Tổ chức họp Ban Chỉ đạo, giao ban chuyên đề về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số "
            "định kỳ trong năm",
            10,
            Indicator(name="Số cuộc họp Ban Chỉ đạo, giao ban chuyên đề trong năm", unit="cuộc", target=4),
            MEETING_STEPS,
        ),
        ratio(
            "a8",
            3,
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình",
            10,
            percent("Hồ sơ giải quyết trực tuyến toàn trình trên tổng số hồ sơ"),
        ),
        ratio(
            "a9",
            3,
            "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn",
            8,
            percent("Hồ sơ giải quyết đúng hạn trên tổng số hồ sơ"),
        ),
        ratio(
            "a10",
            4,
            "Tỷ lệ phí, lệ phí thủ tục hành chính được thanh toán không dùng tiền mặt",
            5,
            percent("Khoản phí, lệ phí thanh toán không dùng tiền mặt trên tổng số"),
        ),
        ratio(
            "a11",
            5,
            "Tỷ lệ cán bộ, công chức được bồi dưỡng, cấp chứng nhận kỹ năng số cơ bản",
            8,
            # Quảng Ngãi: ≥ 80% in 2025, 100% in 2026 (DOMAIN §3).
            percent("Cán bộ, công chức có chứng nhận kỹ năng số cơ bản", target=80),
        ),
        ratio(
            "a12",
            6,
            "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn thông tin",
            5,
            percent("Hệ thống thông tin đã phê duyệt cấp độ an toàn thông tin"),
        ),
        ratio(
            "a13",
            2,
            "Tỷ lệ hộ gia đình có kết nối Internet băng rộng cáp quang",
            5,
            percent("Hộ gia đình có Internet cáp quang"),
        ),
        ratio(
            "a14",
            2,
            "Tỷ lệ thôn, xóm, tổ dân phố được phủ sóng di động 4G/5G",
            4,
            percent("Thôn, xóm, tổ dân phố có sóng 4G/5G"),
        ),
        assessment(
            "a15",
            7,
            "Chủ động thiết lập, triển khai quan hệ hợp tác với viện, trường, doanh nghiệp, địa phương khác trong phát "
            "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            3,
        ),
        model_bonus("a"),
        discipline_penalty("a"),
    ),
)
