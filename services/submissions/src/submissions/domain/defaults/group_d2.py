"""Target group d2's default criteria set: đối tượng khác (người dân, doanh nhân: residents, business people),
individuals."""

from __future__ import annotations

from submissions.domain.criteria import CriteriaSetContent, Indicator
from submissions.domain.defaults.rules import assessment, discipline_penalty, level, ratio

GROUP_D2 = CriteriaSetContent(
    target_group="d2",
    criteria=(
        assessment(
            "d2",
            5,
            "Có nhiều đóng góp về công sức, trí tuệ, vật chất, sáng kiến vào quá trình phát triển khoa học, công nghệ, "
            "đổi mới sáng tạo, chuyển đổi số của xã",
            50,
        ),
        level(
            "d2-2",
            5,
            "Hoàn thành chương trình “Bình dân học vụ số”, có kỹ năng số cơ bản",
            20,
        ),
        ratio(
            "d2-3",
            5,
            "Số người được hướng dẫn sử dụng dịch vụ công trực tuyến, nền tảng số (thành viên tổ công nghệ số cộng "
            "đồng)",
            15,
            Indicator(name="Người dân được hướng dẫn", unit="người", target=20),
        ),
        level(
            "d2-4",
            3,
            "Thực hiện thủ tục hành chính qua dịch vụ công trực tuyến và thanh toán không dùng tiền mặt",
            15,
        ),
        discipline_penalty("d2"),
    ),
)
